// One colour language for statuses across runs, steps, drift and batch.
const tones: Record<string, string> = {
  succeeded: 'good',
  passed: 'good',
  completed: 'good',
  ok: 'good',
  'no drift': 'good',
  'too few rows': 'muted',
  serving: 'good',
  running: 'busy',
  pending: 'busy',
  'awaiting-approval': 'wait',
  rejected: 'warn',
  drifted: 'bad',
  failed: 'bad',
  skipped: 'muted',
};

export function StatusBadge({ status }: { status: string | undefined }) {
  const text = status ?? 'unknown';
  return <span class={`badge ${tones[text] ?? 'muted'}`}>{text}</span>;
}
