// The task of a model whose spec names none, from its target column: text classes are
// classification (two: binary), a numeric column with exactly two values (0/1, 1/2) is binary,
// any other numeric column is regression.
import type { Task } from '../data/kinds.js';
import type { Column } from '../data/table.js';

export function inferTask(target: Column): Task {
  const distinct = new Set<string | number>();
  for (const value of target.values) {
    if (value === null || (typeof value === 'number' && Number.isNaN(value))) continue;
    distinct.add(value);
    if (distinct.size > 2 && target.kind === 'numeric') return 'regression';
  }
  if (target.kind === 'numeric') return distinct.size === 2 ? 'binary' : 'regression';
  return distinct.size === 2 ? 'binary' : 'multiclass';
}
