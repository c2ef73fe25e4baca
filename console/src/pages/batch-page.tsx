// Batch scoring runs of a model: the list, one run's files with rows, rejects and failures,
// its manifest, and "score now" for a partition.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { href } from '../route.js';
import { describe, formatNumber, formatTime, shortHash } from '../format.js';
import { useResource } from '../use-resource.js';
import { Empty, Failure, Loading, NoticeBar } from '../components/states.js';
import { useAction } from '../use-action.js';
import { SortableTable } from '../components/sortable-table.js';
import { StatusBadge } from '../components/status-badge.js';
import type { BatchRun } from '../types.js';

const live = (run: BatchRun) => run.status === 'running';
const totalsOf = (run: BatchRun) => run.manifest?.totals ?? run.progress;
const startedOf = (run: BatchRun) => run.manifest?.startedAt ?? run.createdAt;

function BatchRunDetail({ model, runId }: { model: string; runId: string }) {
  const run = useResource<BatchRun>(
    `batch-scoring/${encodeURIComponent(model)}/runs/${encodeURIComponent(runId)}`,
    (data) => (live(data) ? 2000 : undefined),
  );
  if (run.error) return <Failure error={run.error} what={`batch run ${runId}`} retry={run.reload} />;
  if (!run.data) return <Loading what={`batch run ${runId}`} />;
  const data = run.data;
  const totals = totalsOf(data);
  return (
    <section class="batch-run">
      <h2>
        Run <span class="mono">{data.runId}</span> <StatusBadge status={data.status} />
      </h2>
      <p class="muted">
        version v{data.version}
        {data.manifest?.alias && <> ({data.manifest.alias})</>} · partition {data.partition} · started{' '}
        {formatTime(startedOf(data))}
        {data.manifest && <> · completed {formatTime(data.manifest.completedAt)}</>}
      </p>
      {data.reason && (
        <div class="notice error">
          <span>{data.reason}</span>
        </div>
      )}
      {totals && (
        <div class="stats">
          {Object.entries(totals).map(([name, value]) => (
            <div key={name} class="stat">
              <span class="stat-value">{formatNumber(value)}</span>
              <span class="stat-name">{name}</span>
            </div>
          ))}
        </div>
      )}
      {data.manifest && data.manifest.files.length > 0 && (
        <SortableTable
          label="Files"
          rows={data.manifest.files}
          rowKey={(file) => file.file}
          columns={[
            { key: 'file', title: 'File', value: (f) => f.file },
            {
              key: 'status',
              title: 'Status',
              value: (f) => f.status,
              render: (f) => <StatusBadge status={f.status} />,
            },
            {
              key: 'rows',
              title: 'Rows',
              value: (f) => f.rows,
              render: (f) => formatNumber(f.rows),
              numeric: true,
            },
            {
              key: 'rejected',
              title: 'Rejected',
              value: (f) => f.rejected,
              render: (f) => <span title={f.rejects}>{formatNumber(f.rejected)}</span>,
              numeric: true,
            },
            {
              key: 'output',
              title: 'Output or error',
              value: (f) => f.output ?? f.error,
              render: (f) =>
                f.error ? (
                  <span class="field-error">{f.error}</span>
                ) : (
                  <span title={f.sha256 && `sha256 ${f.sha256}`}>
                    {f.output ?? '—'} <span class="muted small">{shortHash(f.sha256)}</span>
                  </span>
                ),
            },
          ]}
        />
      )}
      {data.manifest && (
        <details>
          <summary>
            Manifest <span class="muted small">(_manifest.json)</span>
          </summary>
          <pre class="report">{describe(data.manifest)}</pre>
        </details>
      )}
    </section>
  );
}

export function BatchPage({ model, runId }: { model: string; runId?: string }) {
  const path = `batch-scoring/${encodeURIComponent(model)}`;
  const runs = useResource<{ runs: BatchRun[] }>(`${path}/runs`, (data) =>
    data.runs.some(live) ? 3000 : undefined,
  );
  const [partition, setPartition] = useState('');
  const action = useAction(() => runs.reload());
  const list = runs.data?.runs;

  const scoreNow = () =>
    action.run('Batch scoring', async () => {
      const { data } = await api<{ runId: string; created?: boolean }>(path, {
        method: 'POST',
        body: partition.trim() ? { partition: partition.trim() } : {},
      });
      window.location.hash = href({ page: 'batch', model, runId: data.runId });
      return data.created === false
        ? `That partition already has run ${data.runId}.`
        : `Batch run ${data.runId} started.`;
    });

  return (
    <section>
      <div class="page-head">
        <h1>Batch scoring</h1>
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            scoreNow();
          }}
        >
          <input
            placeholder="partition (default: latest)"
            aria-label="Partition"
            value={partition}
            onInput={(event) => setPartition(event.currentTarget.value)}
          />
          <button type="submit" disabled={action.busy}>
            Score now
          </button>
        </form>
      </div>
      <NoticeBar action={action} onReload={runs.reload} />
      {runs.error && <Failure error={runs.error} what="batch runs" retry={runs.reload} />}
      {!list && !runs.error && <Loading what="batch runs" />}
      {list && list.length === 0 && (
        <Empty title="No batch runs yet">
          Files under <code>scoring-input/{model}/&lt;partition&gt;/</code> are scored nightly, or now with
          "Score now".
        </Empty>
      )}
      {list && list.length > 0 && (
        <SortableTable
          label="Batch runs"
          rows={list}
          rowKey={(run) => run.runId}
          initial={{ column: 'started', descending: true }}
          columns={[
            {
              key: 'run',
              title: 'Run',
              value: (r) => r.runId,
              render: (r) => <a href={href({ page: 'batch', model, runId: r.runId })}>{r.runId}</a>,
            },
            {
              key: 'status',
              title: 'Status',
              value: (r) => r.status,
              render: (r) => <StatusBadge status={r.status} />,
            },
            { key: 'partition', title: 'Partition', value: (r) => r.partition },
            {
              key: 'version',
              title: 'Version',
              value: (r) => r.version,
              render: (r) => `v${r.version}`,
              numeric: true,
            },
            {
              key: 'rows',
              title: 'Rows',
              value: (r) => totalsOf(r)?.rows,
              render: (r) => formatNumber(totalsOf(r)?.rows),
              numeric: true,
            },
            {
              key: 'rejected',
              title: 'Rejected',
              value: (r) => totalsOf(r)?.rejected,
              render: (r) => formatNumber(totalsOf(r)?.rejected),
              numeric: true,
            },
            {
              key: 'started',
              title: 'Started',
              value: (r) => startedOf(r),
              render: (r) => formatTime(startedOf(r)),
            },
          ]}
        />
      )}
      {runId && <BatchRunDetail model={model} runId={runId} />}
    </section>
  );
}
