// Drift of the serving version's inputs: the latest check per feature (baseline against the
// window, metric against threshold), each metric over the recent checks, and "check now".
import { api } from '../api.js';
import { driftChecks, metricSeries } from '../checks.js';
import { formatNumber, formatTime } from '../format.js';
import { useResource } from '../use-resource.js';
import { Empty, Failure, Loading, NoticeBar } from '../components/states.js';
import { useAction } from '../use-action.js';
import { StatusBadge } from '../components/status-badge.js';
import { HistogramChart } from '../components/histogram.js';
import { LineChart } from '../components/line-chart.js';

export function DriftPage({ model }: { model: string }) {
  const path = `monitoring/${encodeURIComponent(model)}`;
  const resource = useResource<unknown>(path);
  const action = useAction(() => resource.reload());
  const checks = resource.data === undefined ? [] : driftChecks(resource.data);
  const latest = checks.at(-1);
  const series = metricSeries(checks);

  const checkNow = () =>
    action.run('The drift check', async () => {
      const { data } = await api<{ drifted: boolean; window?: { rows?: number } }>(`${path}/check`, {
        method: 'POST',
        body: {},
      });
      return `Checked ${formatNumber(data.window?.rows)} recent rows: ${data.drifted ? 'drift found' : 'no drift'}.`;
    });

  return (
    <section>
      <div class="page-head">
        <div>
          <h1>
            Drift{' '}
            {latest && (
              <StatusBadge
                status={
                  latest.drifted
                    ? 'drifted'
                    : latest.status === 'insufficient-data'
                      ? 'too few rows'
                      : 'no drift'
                }
              />
            )}
          </h1>
          {latest && (
            <div class="muted">
              version v{latest.version} · window {formatTime(latest.window.from)} –{' '}
              {formatTime(latest.window.to)} · {formatNumber(latest.window.rows)} rows
            </div>
          )}
        </div>
        <button type="button" onClick={checkNow} disabled={action.busy}>
          Check now
        </button>
      </div>
      <NoticeBar action={action} onReload={resource.reload} />
      {resource.error && <Failure error={resource.error} what="drift checks" retry={resource.reload} />}
      {resource.data === undefined && !resource.error && <Loading what="drift checks" />}
      {latest?.reason && (
        <div class={`notice ${latest.drifted ? 'error' : 'success'}`}>
          <span>{latest.reason}</span>
        </div>
      )}
      {resource.data !== undefined && !latest && (
        <Empty title="No drift checks yet">
          The monitor compares captured requests and batch inputs with the serving version's training profile;
          checks appear here once it has run.
        </Empty>
      )}
      {latest && (
        <div class="feature-grid">
          {latest.features.map((feature) => (
            <article
              key={feature.name}
              class={`card feature ${feature.drifted ? 'drifted' : ''}`}
              data-feature={feature.name}
            >
              <header>
                <strong>{feature.name}</strong> <StatusBadge status={feature.drifted ? 'drifted' : 'ok'} />
                <span class="muted small">
                  {feature.metric} {formatNumber(feature.value, 3)} / threshold{' '}
                  {formatNumber(feature.threshold, 3)}
                </span>
              </header>
              {feature.histogram ? (
                <>
                  <HistogramChart histogram={feature.histogram} name={feature.name} />
                  <div class="legend small">
                    <span class="legend-item baseline">baseline</span>
                    <span class="legend-item window">window</span>
                  </div>
                </>
              ) : (
                <p class="muted small">No histogram in this check.</p>
              )}
              {(series.get(feature.name)?.length ?? 0) > 0 && (
                <LineChart points={series.get(feature.name)!} name={`${feature.metric} of ${feature.name}`} />
              )}
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
