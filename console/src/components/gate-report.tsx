// The gate's verdict on a candidate: each absolute threshold and the champion rule, with the
// value it saw and what it needed. Reports in another shape are shown as they are.
import { describe, formatNumber } from '../format.js';
import type { GateReport } from '../types.js';
import { StatusBadge } from './status-badge.js';

function bounds(rule: { min?: number; max?: number }): string {
  return [rule.min === undefined ? '' : `≥ ${rule.min}`, rule.max === undefined ? '' : `≤ ${rule.max}`]
    .filter(Boolean)
    .join(' and ');
}

export function GateReportView({ report }: { report: Partial<GateReport> & Record<string, unknown> }) {
  const thresholds = report.thresholds ?? [];
  const champion = report.champion ?? null;
  if (!Array.isArray(report.thresholds) && report.champion === undefined) {
    return <pre class="report">{describe(report)}</pre>;
  }
  return (
    <div class="table-wrap">
      <table aria-label="Gate">
        <thead>
          <tr>
            <th>Rule</th>
            <th class="num">Candidate</th>
            <th>Needs</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {thresholds.map((rule) => (
            <tr key={`threshold ${rule.metric}`}>
              <td>{rule.metric}</td>
              <td class="num">{formatNumber(rule.value)}</td>
              <td>{bounds(rule)}</td>
              <td>
                <StatusBadge status={rule.passed ? 'passed' : 'failed'} />
              </td>
            </tr>
          ))}
          {champion && (
            <tr>
              <td>
                {champion.metric} vs champion v{champion.championVersion}
              </td>
              <td class="num">{formatNumber(champion.challenger)}</td>
              <td>
                {champion.higherIsBetter ? '≥' : '≤'} {formatNumber(champion.champion)}{' '}
                {champion.higherIsBetter ? '+' : '−'} {champion.margin}
              </td>
              <td>
                <StatusBadge status={champion.passed ? 'passed' : 'failed'} />
              </td>
            </tr>
          )}
          {thresholds.length === 0 && !champion && (
            <tr>
              <td colSpan={4} class="muted">
                No gates: no thresholds in the spec and no champion to beat.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
