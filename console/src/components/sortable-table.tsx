// A table whose column headers sort it; sorted by `initial` until the user picks a column.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { nextSort, sortRows, type SortState, type SortValue } from '../sort.js';

export interface Column<T> {
  readonly key: string;
  readonly title: string;
  readonly value: (row: T) => SortValue;
  readonly render?: (row: T) => ComponentChildren;
  readonly numeric?: boolean;
}

export function SortableTable<T>({
  columns,
  rows,
  rowKey,
  initial,
  label,
}: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  initial?: SortState;
  label: string;
}) {
  const [sort, setSort] = useState<SortState | null>(initial ?? null);
  const column = columns.find((c) => c.key === sort?.column);
  const sorted = column && sort ? sortRows(rows, column.value, sort.descending) : rows;
  return (
    <div class="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                class={c.numeric ? 'num' : undefined}
                aria-sort={sort?.column === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" class="sort" onClick={() => setSort(nextSort(sort, c.key))}>
                  {c.title}
                  <span class="arrow">{sort?.column === c.key ? (sort.descending ? '▼' : '▲') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'num' : undefined}>
                  {c.render ? c.render(row) : (c.value(row) ?? '—')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
