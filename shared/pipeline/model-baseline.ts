// A registered version's `profile.json`, the drift baseline: the training data's profile plus,
// under `predictions`, the profile of the model's own predictions on the holdout, built with
// the same profile builder so monitoring compares like with like. `predictions` has a column
// `prediction` (classification: the predicted class, categorical; regression: the value) and,
// for classification, one numeric `probability_{class}` column per class.
import { z } from 'zod';
import { profileTable } from '../data/profile/profile-builder.js';
import { datasetProfileSchema, type DatasetProfile } from '../data/profile/profile-schema.js';
import type { Column, FeatureSpec, Table } from '../data/table.js';
import type { Task } from '../ml/model.js';
import { parseInput } from '../validate.js';

export const modelProfileSchema = datasetProfileSchema.extend({
  predictions: datasetProfileSchema,
});

export type ModelProfile = z.output<typeof modelProfileSchema>;

export function readModelProfile(json: unknown): ModelProfile {
  return parseInput(modelProfileSchema, json, 'model profile');
}

/** The predictions table of graph outputs: probabilities [rows, classes] or values [rows]. */
export function predictionsTable(
  task: Task,
  classes: readonly string[],
  outputs: ArrayLike<number>,
  rows: number,
): { table: Table; schema: FeatureSpec[] } {
  const columns = new Map<string, Column>();
  if (task === 'regression') {
    columns.set('prediction', {
      kind: 'numeric',
      values: Float64Array.from({ length: rows }, (_, r) => outputs[r]!),
    });
  } else {
    const width = classes.length;
    const predicted: string[] = [];
    for (let r = 0; r < rows; r += 1) {
      let best = 0;
      for (let c = 1; c < width; c += 1) if (outputs[r * width + c]! > outputs[r * width + best]!) best = c;
      predicted.push(classes[best]!);
    }
    columns.set('prediction', { kind: 'categorical', values: predicted });
    classes.forEach((name, c) => {
      columns.set(`probability_${name}`, {
        kind: 'numeric',
        values: Float64Array.from({ length: rows }, (_, r) => outputs[r * width + c]!),
      });
    });
  }
  const schema: FeatureSpec[] = [...columns].map(([name, column]) => ({
    name,
    type: column.kind === 'numeric' ? 'numeric' : 'categorical',
  }));
  return { table: { names: [...columns.keys()], columns, rowCount: rows }, schema };
}

export function modelProfile(
  training: DatasetProfile,
  task: Task,
  classes: readonly string[],
  outputs: ArrayLike<number>,
  rows: number,
): ModelProfile {
  const { table, schema } = predictionsTable(task, classes, outputs, rows);
  return { ...training, predictions: profileTable(table, schema, null) };
}
