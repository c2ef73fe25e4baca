// Scores a table of checked rows through a model's session with the model interface of
// DESIGN.md section 4: outputs `label` + `probabilities` (classification) or `variable` (regression).
import type { Table } from '../data/table.js';
import type { ModelFeature } from '../ml/model.js';
import { feedsOf, type Session } from '../ml/onnx-runtime.js';
import type { Scores } from './scores.js';

const interfaceOutputs = new Set(['label', 'probabilities', 'variable']);

// A session's outputs never change: found once, not per request.
const wantedOutputs = new WeakMap<Session, string[]>();

export async function runTable(
  session: Session,
  features: readonly ModelFeature[],
  table: Table,
): Promise<Scores> {
  let wanted = wantedOutputs.get(session);
  if (!wanted) {
    wanted = session.outputNames.filter((name) => interfaceOutputs.has(name));
    wantedOutputs.set(session, wanted);
  }
  const result = await session.run(feedsOf(table, features), wanted);
  return {
    labels: result.label?.data as string[] | undefined,
    probabilities: result.probabilities?.data as Float32Array | undefined,
    values: result.variable?.data as Float32Array | undefined,
  };
}
