// A feature's distribution in the training baseline beside the monitored window, as shares.
import { linearScale, niceTicks, shares } from '../chart-scale.js';
import type { Histogram } from '../types.js';

const size = { width: 360, height: 160, left: 36, bottom: 22, top: 8 };

function binLabels(histogram: Histogram): string[] {
  if (histogram.labels) return histogram.labels;
  const edges = histogram.edges ?? [];
  return histogram.baseline.map((_, i) =>
    edges[i] !== undefined ? Number(edges[i]!.toPrecision(3)).toString() : String(i + 1),
  );
}

export function HistogramChart({ histogram, name }: { histogram: Histogram; name: string }) {
  const baseline = shares(histogram.baseline);
  const window = shares(histogram.window);
  const bins = Math.max(baseline.length, window.length);
  const top = Math.max(0.01, ...baseline, ...window);
  const plot = { x0: size.left, x1: size.width - 4, y0: size.height - size.bottom, y1: size.top };
  const y = linearScale([0, top], [plot.y0, plot.y1]);
  const band = (plot.x1 - plot.x0) / Math.max(bins, 1);
  const bar = Math.max(1, band * 0.4);
  const labels = binLabels(histogram);
  const every = Math.ceil(bins / 6);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${size.width} ${size.height}`}
      role="img"
      aria-label={`Distribution of ${name}`}
    >
      {niceTicks(0, top, 3).map((tick) => (
        <g key={tick}>
          <line class="grid" x1={plot.x0} x2={plot.x1} y1={y(tick)} y2={y(tick)} />
          <text class="tick" x={plot.x0 - 4} y={y(tick) + 3} text-anchor="end">
            {Math.round(tick * 100)}%
          </text>
        </g>
      ))}
      {Array.from({ length: bins }, (_, i) => (
        <g key={i}>
          <rect
            class="bar baseline"
            x={plot.x0 + i * band + band * 0.1}
            width={bar}
            y={y(baseline[i] ?? 0)}
            height={plot.y0 - y(baseline[i] ?? 0)}
          >
            <title>{`${labels[i] ?? i}: baseline ${((baseline[i] ?? 0) * 100).toFixed(1)}%`}</title>
          </rect>
          <rect
            class="bar window"
            x={plot.x0 + i * band + band * 0.1 + bar}
            width={bar}
            y={y(window[i] ?? 0)}
            height={plot.y0 - y(window[i] ?? 0)}
          >
            <title>{`${labels[i] ?? i}: window ${((window[i] ?? 0) * 100).toFixed(1)}%`}</title>
          </rect>
          {i % every === 0 && (
            <text class="tick" x={plot.x0 + i * band + band / 2} y={size.height - 6} text-anchor="middle">
              {labels[i]}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
