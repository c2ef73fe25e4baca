// Request capture for the drift monitor: scored rows as JSON Lines under
// `inference-logs/{model}/{yyyy-mm-dd}/{hh}/{name}.jsonl` (DESIGN.md section 4), sampled per
// request by the policy's `capture.rate`. The request path only keeps a reference to what it
// scored; rows are serialized and written by a timer, one blob per model and hour per flush.
// Memory is bounded: past `maxRows` waiting rows, new ones are dropped and counted, so slow
// storage never makes scoring wait.
import type { Clock } from '../clock.js';
import type { ScoreEvent, Scored } from '../scoring/scores.js';
import { PeriodicFlush } from './periodic-flush.js';

export interface CaptureSink {
  /** Writes one new blob of the inference-logs container. */
  write(path: string, text: string): Promise<void>;
}

export interface CaptureOptions {
  readonly sink: CaptureSink;
  readonly clock: Clock;
  readonly random: () => number;
  /** Part of every blob name, so instances never write the same blob. */
  readonly instance: string;
  readonly flushMs: number;
  readonly maxRows: number;
  readonly log: (message: string, error?: unknown) => void;
}

interface Pending {
  readonly event: ScoreEvent;
  readonly scored: Scored;
}

export class Capture {
  private pending: Pending[] = [];
  private pendingRows = 0;
  private sequence = 0;
  private readonly flusher: PeriodicFlush;
  /** Rows not captured because the buffer was full or a write failed. */
  dropped = 0;
  written = 0;

  constructor(private readonly options: CaptureOptions) {
    this.flusher = new PeriodicFlush(() => this.flushOnce(), options.flushMs);
  }

  readonly observe = (event: ScoreEvent): void => {
    const scored = event.scored;
    if (!scored || this.options.random() >= event.policy.capture.rate) return;
    const rows = scored.table.rowCount;
    if (this.pendingRows + rows > this.options.maxRows) {
      this.dropped += rows;
      return;
    }
    this.pending.push({ event, scored });
    this.pendingRows += rows;
    this.flusher.arm();
  };

  private async flushOnce(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    const files = new Map<string, string[]>();
    for (const { event, scored } of batch) {
      const folder = `${event.model}/${new Date(event.at).toISOString().slice(0, 13).replace('T', '/')}`;
      const lines = files.get(folder) ?? [];
      files.set(folder, lines);
      lines.push(...linesOf(event, scored));
    }
    const stamp = this.options.clock.now();
    await Promise.all(
      [...files].map(async ([folder, lines]) => {
        this.sequence += 1;
        const path = `${folder}/${stamp}-${this.options.instance}-${this.sequence}.jsonl`;
        try {
          await this.options.sink.write(path, `${lines.join('\n')}\n`);
          this.written += lines.length;
        } catch (error) {
          this.dropped += lines.length;
          this.options.log(`capture write of ${lines.length} rows to ${path} failed; dropped`, error);
        }
      }),
    );
  }
}

function linesOf(event: ScoreEvent, scored: Scored): string[] {
  const { table, scores, meta } = scored;
  const columns = meta.features.map((f) => [f.name, table.columns.get(f.name)!.values] as const);
  const width = meta.classes.length;
  const ts = new Date(event.at).toISOString();
  return Array.from({ length: table.rowCount }, (_, row) => {
    const inputs: Record<string, number | string | null> = {};
    for (const [name, values] of columns) {
      const value = values[row] ?? null;
      inputs[name] = typeof value === 'number' && Number.isNaN(value) ? null : value;
    }
    const outputs: Record<string, unknown> = {
      prediction: scores.labels ? scores.labels[row] : scores.values?.[row],
    };
    if (scores.probabilities) {
      outputs.probabilities = Object.fromEntries(
        meta.classes.map((c, k) => [c, scores.probabilities![row * width + k]]),
      );
    }
    return JSON.stringify({
      ts,
      requestId: event.requestId,
      model: event.model,
      version: event.version,
      alias: event.alias ?? null,
      inputs,
      outputs,
      ...(event.shadow ? { shadow: true } : {}),
    });
  });
}
