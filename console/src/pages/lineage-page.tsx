// Where a model came from and what it made: data sets, profiles, runs, versions, aliases and
// batch outputs, from the registry's lineage route.
import { useResource } from '../use-resource.js';
import { Empty, Failure, Loading } from '../components/states.js';
import { LineageGraphView } from '../components/lineage-graph.js';
import type { LineageGraph } from '../types.js';

const legend = [
  ['dataset', 'data set'],
  ['profile', 'profile'],
  ['run', 'run'],
  ['version', 'version'],
  ['alias', 'alias'],
  ['output', 'batch output'],
] as const;

export function LineagePage({ model }: { model: string }) {
  const lineage = useResource<LineageGraph>(`registry/models/${encodeURIComponent(model)}/lineage`);
  return (
    <section>
      <div class="page-head">
        <h1>Lineage</h1>
        <div class="legend">
          {legend.map(([kind, title]) => (
            <span key={kind} class={`legend-item ${kind}`}>
              {title}
            </span>
          ))}
        </div>
      </div>
      {lineage.error && <Failure error={lineage.error} what="lineage" retry={lineage.reload} />}
      {!lineage.data && !lineage.error && <Loading what="lineage" />}
      {lineage.data && lineage.data.nodes.length === 0 && (
        <Empty title="No lineage yet">A registered version links its data set, run and profile here.</Empty>
      )}
      {lineage.data && lineage.data.nodes.length > 0 && (
        <LineageGraphView graph={lineage.data} model={model} />
      )}
    </section>
  );
}
