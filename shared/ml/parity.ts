// The export check: onnxruntime's outputs for a table must match the trainer's own
// predictions. Probabilities are compared in absolute terms; regression values relative to
// their size once above 1, because float32 (the graph's precision) keeps ~7 digits.
import { PlatformError } from '../errors.js';

export const parityTolerance = 1e-4;

export interface ParityReport {
  maxAbsDiff: number;
  /** Worst difference after scaling by max(1, |expected|): what the tolerance applies to. */
  maxScaledDiff: number;
  /** Index (row-major) of the worst value. */
  worstIndex: number;
}

export function compareOutputs(onnx: ArrayLike<number>, own: ArrayLike<number>): ParityReport {
  if (onnx.length !== own.length) {
    throw new PlatformError(
      'INTEGRITY_ERROR',
      `ONNX parity check failed: the graph returned ${onnx.length} values, the trainer ${own.length}.`,
    );
  }
  const report = { maxAbsDiff: 0, maxScaledDiff: 0, worstIndex: -1 };
  for (let i = 0; i < own.length; i++) {
    const expected = own[i] as number;
    const diff = Math.abs((onnx[i] as number) - expected);
    const scaled = diff / Math.max(1, Math.abs(expected));
    if (!(diff <= report.maxAbsDiff)) report.maxAbsDiff = diff;
    if (!(scaled <= report.maxScaledDiff)) {
      report.maxScaledDiff = scaled;
      report.worstIndex = i;
    }
  }
  return report;
}

/** Throws INTEGRITY_ERROR, naming the worst value, when the outputs disagree beyond the tolerance (NaN included). */
export function assertParity(onnx: ArrayLike<number>, own: ArrayLike<number>, width: number): ParityReport {
  const report = compareOutputs(onnx, own);
  if (!(report.maxScaledDiff <= parityTolerance)) {
    const row = Math.floor(report.worstIndex / width);
    throw new PlatformError(
      'INTEGRITY_ERROR',
      `ONNX parity check failed: row ${row + 1} differs by ${report.maxScaledDiff.toExponential(2)} (onnx ${onnx[report.worstIndex]}, trainer ${own[report.worstIndex]}), over the ${parityTolerance} tolerance.`,
      { ...report, row: row + 1 },
    );
  }
  return report;
}
