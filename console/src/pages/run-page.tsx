// One training run: the step timeline (live while it runs), the candidate's metrics beside the
// champion's, the gate report or the error, and approve / reject while it awaits approval.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { href } from '../route.js';
import { describe, formatDuration, formatNumber, formatTime, shortHash } from '../format.js';
import { useResource } from '../use-resource.js';
import { Failure, Loading, NoticeBar } from '../components/states.js';
import { useAction, type Action } from '../use-action.js';
import { StatusBadge } from '../components/status-badge.js';
import { GateReportView } from '../components/gate-report.js';
import type { Run, RunStep } from '../types.js';
import { isLive } from './runs-page.js';

function Timeline({ steps }: { steps: RunStep[] }) {
  return (
    <ol class="timeline" aria-label="Steps">
      {steps.map((step) => (
        <li key={step.name} class={`step ${step.status}`}>
          <span class="dot" aria-hidden="true" />
          <div>
            <div class="step-head">
              <strong>{step.name}</strong> <StatusBadge status={step.status} />{' '}
              <span class="muted small">{formatDuration(step.startedAt, step.endedAt)}</span>
            </div>
            {step.detail !== undefined && step.detail !== null && (
              <div class="muted small step-detail">{describe(step.detail)}</div>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}

function RunError({ error }: { error: NonNullable<Run['error']> }) {
  const { message, code, ...details } = error;
  return (
    <div class="state failure">
      <strong>
        {message ?? 'The run failed'}
        {code && <code class="code">{code}</code>}
      </strong>
      {Object.keys(details).length > 0 && <pre>{describe(details)}</pre>}
    </div>
  );
}

function MetricsTable({ run }: { run: Run }) {
  const candidate = run.metrics ?? {};
  const champion = run.champion?.metrics ?? {};
  const names = [...new Set([...Object.keys(candidate), ...Object.keys(champion)])].sort();
  if (names.length === 0) return null;
  return (
    <div class="table-wrap">
      <table aria-label="Metrics">
        <thead>
          <tr>
            <th>Metric</th>
            <th class="num">Candidate</th>
            <th class="num">Champion{run.champion?.version ? ` (v${run.champion.version})` : ''}</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr key={name}>
              <td>{name}</td>
              <td class="num">{formatNumber(candidate[name])}</td>
              <td class="num">{formatNumber(champion[name])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Decision({ run, action }: { run: Run; action: Action }) {
  const [by, setBy] = useState(() => localStorage.getItem('mlops-console-approver') ?? '');
  const [comment, setComment] = useState('');
  const decide = (decision: 'approve' | 'reject') =>
    action.run(decision === 'approve' ? 'Approval' : 'Rejection', async () => {
      localStorage.setItem('mlops-console-approver', by);
      await api(`runs/${encodeURIComponent(run.runId)}/${decision}`, {
        method: 'POST',
        body: { by, ...(comment ? { comment } : {}) },
      });
      return decision === 'approve'
        ? 'Approved; the version is being promoted.'
        : 'Rejected; nothing will be promoted.';
    });
  return (
    <form class="card decision" onSubmit={(event) => event.preventDefault()}>
      <h2>Awaiting approval</h2>
      <p>
        Version {run.version ? `v${run.version}` : ''} passed its gates and is registered; it is served only
        once approved.
      </p>
      <label>
        Your name
        <input value={by} required onInput={(event) => setBy(event.currentTarget.value)} />
      </label>
      <label>
        Comment
        <input value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
      </label>
      <div class="actions">
        <button type="button" disabled={action.busy || !by.trim()} onClick={() => decide('approve')}>
          Approve
        </button>
        <button
          type="button"
          class="danger"
          disabled={action.busy || !by.trim()}
          onClick={() => decide('reject')}
        >
          Reject
        </button>
      </div>
    </form>
  );
}

export function RunPage({ model, runId }: { model: string; runId: string }) {
  // Polled while it runs, and while it awaits a decision that may come from elsewhere.
  const run = useResource<Run>(`runs/${encodeURIComponent(runId)}`, (data) =>
    isLive(data) || data.status === 'awaiting-approval' ? 1000 : undefined,
  );
  const action = useAction(() => run.reload());
  if (run.error && !run.data) return <Failure error={run.error} what={`run ${runId}`} retry={run.reload} />;
  if (!run.data) return <Loading what={`run ${runId}`} />;
  const data = run.data;
  return (
    <section>
      <div class="page-head">
        <div>
          <h1>
            Run <span class="mono">{data.runId}</span> <StatusBadge status={data.status} />
          </h1>
          <div class="muted">
            {data.cause?.kind === 'drift' ? 'started by a drift alert' : 'started'}{' '}
            {formatTime(data.startedAt)} · {formatDuration(data.startedAt, data.endedAt)}
            {data.dataset?.uri && (
              <>
                {' '}
                · {data.dataset.uri} <span class="small">{shortHash(data.dataset.sha256)}</span>
                {data.dataset.rows !== undefined && <> · {formatNumber(data.dataset.rows)} rows</>}
              </>
            )}
            {data.version && (
              <>
                {' '}
                · registered <a href={href({ page: 'model', model })}>v{data.version}</a>
                {data.alias && <> as {data.alias}</>}
              </>
            )}
          </div>
        </div>
        <button type="button" class="secondary" onClick={run.reload}>
          Refresh
        </button>
      </div>
      <NoticeBar action={action} onReload={run.reload} />
      {data.status === 'awaiting-approval' && <Decision run={data} action={action} />}
      {data.reason && (
        <div class={`notice ${data.status === 'succeeded' ? 'success' : 'error'}`}>
          <span>{data.reason}</span>
        </div>
      )}
      {data.error && <RunError error={data.error} />}
      <div class="split">
        <div>
          <h2>Steps</h2>
          {data.steps && data.steps.length > 0 ? (
            <Timeline steps={data.steps} />
          ) : (
            <p class="muted">No steps recorded yet.</p>
          )}
        </div>
        <div>
          <h2>Metrics</h2>
          <MetricsTable run={data} />
          {data.report && (
            <>
              <h2>Gate</h2>
              <GateReportView report={data.report} />
            </>
          )}
        </div>
      </div>
    </section>
  );
}
