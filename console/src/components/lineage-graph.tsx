// The lineage graph as SVG: boxes per node, curved arrows per edge; versions and runs link to
// their pages.
import { href } from '../route.js';
import { layoutLineage, nodeSize, type PlacedEdge, type PlacedNode } from '../lineage-layout.js';
import type { LineageGraph } from '../types.js';

const pad = 16;

function edgePath({ from, to }: PlacedEdge): string {
  if (from.x === to.x) {
    // Same column (a version and its parent): an arc on the right side.
    const x = from.x + nodeSize.width;
    const y1 = from.y + nodeSize.height / 2;
    const y2 = to.y + nodeSize.height / 2;
    return `M${x},${y1} C${x + 40},${y1} ${x + 40},${y2} ${x},${y2}`;
  }
  const x1 = from.x + nodeSize.width;
  const y1 = from.y + nodeSize.height / 2;
  const x2 = to.x;
  const y2 = to.y + nodeSize.height / 2;
  const mid = (x1 + x2) / 2;
  return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

function linkOf(node: PlacedNode, model: string): string | undefined {
  if (node.kind === 'run') return href({ page: 'run', model, runId: node.detail });
  if (node.kind === 'version' || node.kind === 'alias') return href({ page: 'model', model });
  return undefined;
}

function Node({ node, model }: { node: PlacedNode; model: string }) {
  const box = (
    <g transform={`translate(${node.x},${node.y})`} class={`lineage-node ${node.kind}`} data-node={node.id}>
      <title>{node.id}</title>
      <rect width={nodeSize.width} height={nodeSize.height} rx={6} />
      <text x={10} y={20} class="label">
        {node.label.length > 24 ? `${node.label.slice(0, 23)}…` : node.label}
      </text>
      <text x={10} y={37} class="detail">
        {node.detail.length > 28 ? `${node.detail.slice(0, 27)}…` : node.detail}
      </text>
    </g>
  );
  const link = linkOf(node, model);
  return link ? <a href={link}>{box}</a> : box;
}

export function LineageGraphView({ graph, model }: { graph: LineageGraph; model: string }) {
  const layout = layoutLineage(graph);
  return (
    <div class="graph-wrap">
      <svg
        role="img"
        aria-label={`Lineage of ${model}`}
        width={layout.width + 2 * pad + 48}
        height={layout.height + 2 * pad}
        viewBox={`${-pad} ${-pad} ${layout.width + 2 * pad + 48} ${layout.height + 2 * pad}`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path
            key={`${edge.from.id} ${edge.kind} ${edge.to.id}`}
            d={edgePath(edge)}
            class={`lineage-edge ${edge.kind}`}
            marker-end="url(#arrow)"
          >
            <title>{edge.kind}</title>
          </path>
        ))}
        {layout.nodes.map((node) => (
          <Node key={node.id} node={node} model={model} />
        ))}
      </svg>
    </div>
  );
}
