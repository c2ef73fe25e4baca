// A drift metric over successive checks, with its threshold as a dashed line.
import { linearScale, niceTicks } from '../chart-scale.js';
import type { MetricPoint } from '../checks.js';

const size = { width: 360, height: 140, left: 36, bottom: 20, top: 8 };

export function LineChart({ points, name }: { points: readonly MetricPoint[]; name: string }) {
  const times = points.map((p) => p.at);
  const top = Math.max(...points.map((p) => Math.max(p.value, p.threshold))) * 1.15 || 1;
  const plot = { x0: size.left, x1: size.width - 8, y0: size.height - size.bottom, y1: size.top };
  const x = linearScale([Math.min(...times), Math.max(...times)], [plot.x0, plot.x1]);
  const y = linearScale([0, top], [plot.y0, plot.y1]);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)},${y(p.value)}`).join(' ');
  const threshold = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)},${y(p.threshold)}`).join(' ');
  const single = points.length === 1;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${size.width} ${size.height}`}
      role="img"
      aria-label={`${name} over time`}
    >
      {niceTicks(0, top, 3).map((tick) => (
        <g key={tick}>
          <line class="grid" x1={plot.x0} x2={plot.x1} y1={y(tick)} y2={y(tick)} />
          <text class="tick" x={plot.x0 - 4} y={y(tick) + 3} text-anchor="end">
            {tick}
          </text>
        </g>
      ))}
      {single ? (
        <line
          class="threshold"
          x1={plot.x0}
          x2={plot.x1}
          y1={y(points[0]!.threshold)}
          y2={y(points[0]!.threshold)}
        />
      ) : (
        <path class="threshold" d={threshold} />
      )}
      {!single && <path class="series" d={line} />}
      {points.map((p) => (
        <circle
          key={p.at}
          class={p.drifted ? 'point over' : 'point'}
          cx={single ? (plot.x0 + plot.x1) / 2 : x(p.at)}
          cy={y(p.value)}
          r={3.5}
        >
          <title>{`${new Date(p.at).toISOString()}: ${p.value.toPrecision(3)} (threshold ${p.threshold})`}</title>
        </circle>
      ))}
    </svg>
  );
}
