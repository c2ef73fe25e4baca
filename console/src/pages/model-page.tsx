// One model: its aliases with their history and rollback, its versions side by side with
// promote, and its serving policy. Every change carries the ETag the page was drawn from, so a
// stale page is told so and nothing is silently overwritten.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { href } from '../route.js';
import { formatNumber, formatTime } from '../format.js';
import { useResource } from '../use-resource.js';
import { Empty, Failure, Loading, NoticeBar } from '../components/states.js';
import { useAction } from '../use-action.js';
import { SortableTable, type Column } from '../components/sortable-table.js';
import { ServingPolicy } from '../components/serving-policy.js';
import type { AliasDetail, AliasRecord, ModelDetail, ModelVersion } from '../types.js';

function AliasHistory({ model, alias }: { model: string; alias: string }) {
  const detail = useResource<AliasDetail>(
    `registry/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}`,
  );
  if (detail.error) return <Failure error={detail.error} what="the history" />;
  if (!detail.data) return <Loading what="history" />;
  return (
    <ol class="history">
      {[...detail.data.history].reverse().map((event) => (
        <li key={event.revision}>
          <span class={`kind ${event.kind}`}>{event.kind}</span> v{event.from ?? '∅'} →{' '}
          <strong>v{event.to}</strong>{' '}
          <span class="muted">
            by {event.approval ? `${event.approval.by} (approved)` : event.actor}, {formatTime(event.at)}
          </span>
          {event.reason && event.reason !== event.kind && event.reason !== 'promotion' && (
            <div class="muted small">{event.reason}</div>
          )}
        </li>
      ))}
    </ol>
  );
}

function AliasCard({
  alias,
  onRollback,
  busy,
}: {
  alias: AliasRecord;
  onRollback: (alias: AliasRecord) => void;
  busy: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div class="card alias-card" data-alias={alias.name}>
      <div class="alias-head">
        <span class="alias-name">{alias.name}</span>
        <span class="alias-version">v{alias.version}</span>
      </div>
      <div class="muted small">
        since {formatTime(alias.updatedAt)} by {alias.updatedBy}
      </div>
      <div class="actions">
        <button
          type="button"
          class="secondary"
          disabled={busy || alias.previous === null}
          title={alias.previous === null ? 'This alias has never moved.' : undefined}
          onClick={() => onRollback(alias)}
        >
          {alias.previous === null ? 'Roll back' : `Roll back to v${alias.previous}`}
        </button>
        <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide history' : 'History'}
        </button>
      </div>
      {open && <AliasHistory model={alias.model} alias={alias.name} />}
    </div>
  );
}

function versionColumns(
  model: string,
  versions: readonly ModelVersion[],
  aliases: readonly AliasRecord[],
  target: string,
  onPromote: (version: ModelVersion) => void,
  busy: boolean,
): Column<ModelVersion>[] {
  const metrics = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].sort();
  return [
    {
      key: 'version',
      title: 'Version',
      value: (v) => v.version,
      numeric: true,
      render: (v) => <strong>v{v.version}</strong>,
    },
    {
      key: 'aliases',
      title: 'Aliases',
      value: (v) =>
        aliases
          .filter((a) => a.version === v.version)
          .map((a) => a.name)
          .join(', '),
      render: (v) =>
        aliases
          .filter((a) => a.version === v.version)
          .map((a) => (
            <span key={a.name} class="alias-chip">
              {a.name}
            </span>
          )),
    },
    ...metrics.map((name): Column<ModelVersion> => ({
      key: `metric:${name}`,
      title: name,
      numeric: true,
      value: (v) => v.metrics[name],
      render: (v) => formatNumber(v.metrics[name]),
    })),
    { key: 'created', title: 'Created', value: (v) => v.createdAt, render: (v) => formatTime(v.createdAt) },
    {
      key: 'run',
      title: 'Run',
      value: (v) => v.runId,
      render: (v) => <a href={href({ page: 'run', model, runId: v.runId })}>{v.runId}</a>,
    },
    {
      key: 'dataset',
      title: 'Data set',
      value: (v) => v.dataset.uri,
      render: (v) => (
        <span title={`${v.dataset.uri}\nsha256 ${v.dataset.sha256}`}>{v.dataset.uri.split('/').at(-1)}</span>
      ),
    },
    {
      key: 'action',
      title: '',
      value: () => null,
      render: (v) =>
        v.archived ? (
          <span class="muted">archived</span>
        ) : (
          <button
            type="button"
            class="small"
            disabled={busy || aliases.some((a) => a.name === target && a.version === v.version)}
            onClick={() => onPromote(v)}
          >
            Promote to {target}
          </button>
        ),
    },
  ];
}

export function ModelPage({ model }: { model: string }) {
  const path = `registry/models/${encodeURIComponent(model)}`;
  const detail = useResource<ModelDetail>(path);
  const versions = useResource<{ versions: ModelVersion[] }>(`${path}/versions?archived=true`);
  const [target, setTarget] = useState('champion');
  const reload = () => {
    detail.reload();
    versions.reload();
  };
  const action = useAction(reload);
  const busy = action.busy;

  if (detail.error) return <Failure error={detail.error} what={`model ${model}`} retry={reload} />;
  if (!detail.data) return <Loading what={`model ${model}`} />;
  const record = detail.data;
  const aliases = record.aliases;
  const aliasNames = [...new Set(['champion', 'challenger', ...aliases.map((a) => a.name)])];

  const promote = (version: ModelVersion) =>
    action.run(`Alias ${target}`, async () => {
      const current = aliases.find((a) => a.name === target);
      const { data } = await api<AliasRecord>(`${path}/aliases/${encodeURIComponent(target)}`, {
        method: 'PUT',
        body: { version: version.version, reason: 'promoted in the console' },
        ifMatch: current?.etag ?? null,
      });
      return `${target} now serves v${data.version}${current ? ` (was v${current.version})` : ''}.`;
    });
  const rollback = (alias: AliasRecord) =>
    action.run(`Alias ${alias.name}`, async () => {
      const { data } = await api<AliasRecord>(`${path}/aliases/${encodeURIComponent(alias.name)}/rollback`, {
        method: 'POST',
        body: { reason: 'rolled back in the console' },
        ifMatch: alias.etag,
      });
      return `${alias.name} rolled back to v${data.version} (was v${alias.version}).`;
    });

  return (
    <section>
      <div class="page-head">
        <div>
          <h1>{model}</h1>
          <div class="muted">
            {record.spec.task ?? 'task inferred from data'} · target <code>{record.spec.target}</code>
            {record.spec.description && <> · {record.spec.description}</>}
          </div>
        </div>
        <button type="button" class="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      <NoticeBar action={action} onReload={reload} />

      <h2>Aliases</h2>
      {aliases.length === 0 ? (
        <Empty title="No alias yet">Promote a version below to start serving it.</Empty>
      ) : (
        <div class="cards">
          {aliases.map((alias) => (
            <AliasCard key={alias.name} alias={alias} busy={busy} onRollback={rollback} />
          ))}
        </div>
      )}

      <div class="section-head">
        <h2>Versions</h2>
        <label class="inline">
          Promote to
          <select value={target} onChange={(event) => setTarget(event.currentTarget.value)}>
            {aliasNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {versions.error && <Failure error={versions.error} what="versions" retry={versions.reload} />}
      {!versions.data && !versions.error && <Loading what="versions" />}
      {versions.data && versions.data.versions.length === 0 && (
        <Empty title="No versions yet">
          A training run registers a version when its candidate passes the gates.
        </Empty>
      )}
      {versions.data && versions.data.versions.length > 0 && (
        <SortableTable
          label="Versions"
          rows={versions.data.versions}
          rowKey={(v) => String(v.version)}
          initial={{ column: 'version', descending: true }}
          columns={versionColumns(model, versions.data.versions, aliases, target, promote, busy)}
        />
      )}

      <h2>Serving policy</h2>
      <ServingPolicy
        key={detail.etag ?? ''}
        record={record}
        aliases={aliasNames}
        onSave={(spec) =>
          action.run('The model spec', async () => {
            await api(path, { method: 'PUT', body: spec, ifMatch: detail.etag ?? record.etag });
            return 'Serving policy saved.';
          })
        }
        busy={busy}
      />
    </section>
  );
}
