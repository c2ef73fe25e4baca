// Sorting table rows by one column: numbers numerically, text naturally, blanks always last.

export type SortValue = string | number | null | undefined;

export interface SortState {
  readonly column: string;
  readonly descending: boolean;
}

export function compareValues(a: SortValue, b: SortValue, descending: boolean): number {
  const blankA = a === null || a === undefined || a === '';
  const blankB = b === null || b === undefined || b === '';
  if (blankA || blankB) return blankA === blankB ? 0 : blankA ? 1 : -1;
  const order =
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a).localeCompare(String(b), undefined, { numeric: true });
  return descending ? -order : order;
}

export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, descending: boolean): T[] {
  return [...rows].sort((x, y) => compareValues(value(x), value(y), descending));
}

/** Clicking the sorted column flips it; another column sorts descending first (best metrics on top). */
export function nextSort(current: SortState | null, column: string): SortState {
  return current?.column === column
    ? { column, descending: !current.descending }
    : { column, descending: true };
}
