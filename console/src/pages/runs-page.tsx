// A model's training runs, newest first; refreshed while any of them is still going.
import { href } from '../route.js';
import { formatDuration, formatTime, shortHash } from '../format.js';
import { useResource } from '../use-resource.js';
import { Empty, Failure, Loading } from '../components/states.js';
import { StatusBadge } from '../components/status-badge.js';
import { SortableTable } from '../components/sortable-table.js';
import type { Run } from '../types.js';

export const isLive = (run: Run) => run.status === 'running' || run.status === 'pending';

export function RunsPage({ model }: { model: string }) {
  const runs = useResource<{ runs: Run[] }>(`runs?model=${encodeURIComponent(model)}`, (data) =>
    data.runs.some(isLive) ? 2000 : undefined,
  );
  return (
    <section>
      <div class="page-head">
        <h1>Runs</h1>
        <button type="button" class="secondary" onClick={runs.reload}>
          Refresh
        </button>
      </div>
      {runs.error && <Failure error={runs.error} what="runs" retry={runs.reload} />}
      {!runs.data && !runs.error && <Loading what="runs" />}
      {runs.data && runs.data.runs.length === 0 && (
        <Empty title="No runs yet">
          Drop a CSV into <code>datasets/{model}/</code> to start one.
        </Empty>
      )}
      {runs.data && runs.data.runs.length > 0 && (
        <SortableTable
          label="Runs"
          rows={runs.data.runs}
          rowKey={(run) => run.runId}
          columns={[
            {
              key: 'run',
              title: 'Run',
              value: (run) => run.runId,
              render: (run) => <a href={href({ page: 'run', model, runId: run.runId })}>{run.runId}</a>,
            },
            {
              key: 'status',
              title: 'Status',
              value: (run) => run.status,
              render: (run) => <StatusBadge status={run.status} />,
            },
            {
              key: 'started',
              title: 'Started',
              value: (run) => run.startedAt,
              render: (run) => formatTime(run.startedAt),
            },
            {
              key: 'duration',
              title: 'Duration',
              value: (run) =>
                run.startedAt
                  ? (run.endedAt ? Date.parse(run.endedAt) : Date.now()) - Date.parse(run.startedAt)
                  : null,
              render: (run) => formatDuration(run.startedAt, run.endedAt),
              numeric: true,
            },
            {
              key: 'dataset',
              title: 'Data set',
              value: (run) => run.dataset?.uri,
              render: (run) => (
                <span title={run.dataset?.sha256}>
                  {run.dataset?.uri ?? '—'} <span class="muted small">{shortHash(run.dataset?.sha256)}</span>
                </span>
              ),
            },
            {
              key: 'version',
              title: 'Version',
              value: (run) => run.version ?? null,
              render: (run) => (run.version ? `v${run.version}` : '—'),
              numeric: true,
            },
          ]}
        />
      )}
    </section>
  );
}
