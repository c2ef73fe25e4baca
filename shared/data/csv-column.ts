// A CSV column as it streams in. While every present cell is a number the column is kept as a
// growing Float64Array (8 bytes a cell instead of a string of ~40), with the few cells whose
// text differs from the number's canonical form ("007", "1.50") kept aside, so the exact text
// can be restored if a later cell turns the column into text. This keeps numeric data sets at
// about their final Table size while they are read. A column whose numbers are mostly written
// unusually (fixed decimals, "2.50") is kept as text instead, as that is then the smaller form.
// A column whose type is declared skips what its type makes needless: a categorical one is
// text from the start, a numeric one keeps no spellings (validation reads them as numbers).
import type { FeatureType } from './kinds.js';
import { isMissing, numberOf, type RawCell, type RawColumn } from './raw-table.js';

export class CsvColumn implements RawColumn {
  private numbers: Float64Array | undefined;
  private readonly unusualText = new Map<number, string>();
  private texts: string[] | undefined;
  private readonly keepsSpelling: boolean;
  length = 0;

  constructor(declared?: FeatureType) {
    if (declared === 'categorical') this.texts = [];
    else this.numbers = new Float64Array(1024);
    this.keepsSpelling = declared !== 'numeric';
  }

  push(text: string): void {
    const row = this.length;
    this.length += 1;
    if (this.texts) {
      this.texts.push(text);
      return;
    }
    const numbers = this.numbers as Float64Array;
    const value = numberOf(text) ?? (isMissing(text) ? Number.NaN : undefined);
    if (value === undefined) {
      this.becomeText(row).push(text);
      return;
    }
    if (row === numbers.length) {
      const grown = new Float64Array(numbers.length * 2);
      grown.set(numbers);
      this.numbers = grown;
    }
    (this.numbers as Float64Array)[row] = value;
    if (this.keepsSpelling && !Number.isNaN(value) && String(value) !== text) {
      this.unusualText.set(row, text);
      if (this.unusualText.size > 1024 && this.unusualText.size * 8 > this.length)
        this.becomeText(this.length);
    }
  }

  private becomeText(rows: number): string[] {
    const numbers = this.numbers as Float64Array;
    const texts = Array.from({ length: rows }, (_, row) => {
      const value = numbers[row] as number;
      return this.unusualText.get(row) ?? (Number.isNaN(value) ? '' : String(value));
    });
    this.texts = texts;
    this.numbers = undefined;
    this.unusualText.clear();
    return texts;
  }

  cell(row: number): RawCell {
    if (this.texts) return this.texts[row] ?? null;
    const value = this.numbers?.[row] ?? Number.NaN;
    return this.unusualText.get(row) ?? value;
  }

  asNumbers(): Float64Array | undefined {
    if (this.numbers === undefined) return undefined;
    if (this.numbers.length !== this.length) this.numbers = this.numbers.slice(0, this.length);
    return this.numbers;
  }
}
