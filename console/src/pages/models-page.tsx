// Every model at a glance: which versions serve under which alias, the last run, drift.
import { href } from '../route.js';
import { driftChecks } from '../checks.js';
import { formatTime } from '../format.js';
import { useResource } from '../use-resource.js';
import { Empty, Failure, Loading } from '../components/states.js';
import { StatusBadge } from '../components/status-badge.js';
import type { ModelDetail, ModelRecord, Run } from '../types.js';

function LastRun({ model }: { model: string }) {
  const runs = useResource<{ runs: Run[] }>(`runs?model=${encodeURIComponent(model)}`);
  const last = runs.data?.runs[0];
  if (!last) return <span class="muted">{runs.loading ? '…' : 'none'}</span>;
  return (
    <a href={href({ page: 'run', model, runId: last.runId })}>
      <StatusBadge status={last.status} /> <span class="muted">{formatTime(last.startedAt)}</span>
    </a>
  );
}

function Drift({ model }: { model: string }) {
  const checks = useResource<unknown>(`monitoring/${encodeURIComponent(model)}`);
  const last = checks.data === undefined ? undefined : driftChecks(checks.data).at(-1);
  if (!last) return <span class="muted">{checks.loading ? '…' : 'not checked'}</span>;
  return (
    <a href={href({ page: 'drift', model })}>
      <StatusBadge status={last.drifted ? 'drifted' : 'no drift'} />
    </a>
  );
}

function ModelRow({ record }: { record: ModelRecord }) {
  const detail = useResource<ModelDetail>(`registry/models/${encodeURIComponent(record.name)}`);
  const aliases = detail.data?.aliases ?? [];
  return (
    <tr>
      <td>
        <a class="strong" href={href({ page: 'model', model: record.name })}>
          {record.name}
        </a>
        {record.spec.description && <div class="muted small">{record.spec.description}</div>}
      </td>
      <td>{record.spec.task ?? <span class="muted">inferred</span>}</td>
      <td>
        {aliases.length === 0 ? (
          <span class="muted">{detail.loading ? '…' : 'nothing serving'}</span>
        ) : (
          aliases.map((alias) => (
            <span key={alias.name} class="alias-chip">
              {alias.name} <strong>v{alias.version}</strong>
            </span>
          ))
        )}
      </td>
      <td class="num">{detail.data?.latestVersion ?? '—'}</td>
      <td>
        <LastRun model={record.name} />
      </td>
      <td>
        <Drift model={record.name} />
      </td>
    </tr>
  );
}

export function ModelsPage() {
  const models = useResource<{ models: ModelRecord[] }>('registry/models');
  return (
    <section>
      <div class="page-head">
        <h1>Models</h1>
        <button type="button" class="secondary" onClick={models.reload}>
          Refresh
        </button>
      </div>
      {models.error && <Failure error={models.error} what="models" retry={models.reload} />}
      {!models.data && models.loading && <Loading what="models" />}
      {models.data && models.data.models.length === 0 && (
        <Empty title="No models yet">
          Drop a CSV into <code>datasets/&lt;model&gt;/</code> in Blob Storage and a training run starts; or
          run <code>npm run demo</code>.
        </Empty>
      )}
      {models.data && models.data.models.length > 0 && (
        <div class="table-wrap">
          <table aria-label="Models">
            <thead>
              <tr>
                <th>Model</th>
                <th>Task</th>
                <th>Serving</th>
                <th class="num">Latest version</th>
                <th>Last run</th>
                <th>Drift</th>
              </tr>
            </thead>
            <tbody>
              {[...models.data.models]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((record) => (
                  <ModelRow key={record.name} record={record} />
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
