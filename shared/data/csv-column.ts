// A CSV column as it streams in. While every present cell is a number the column is kept as a
// growing Float64Array (8 bytes a cell instead of a string of ~40), with the few cells whose
// text differs from the number's canonical form ("007", "1.50") kept aside, so the exact text
// can be restored if a later cell turns the column into text. This keeps numeric data sets at
// about their final Table size while they are read. A column whose numbers are mostly written
// unusually (fixed decimals, "2.50") is kept as text instead, as that is then the smaller form.
import { isMissing, numberOf, type RawCell, type RawColumn } from './raw-table.js';

export class CsvColumn implements RawColumn {
  private numbers: Float64Array | undefined = new Float64Array(1024);
  private readonly unusualText = new Map<number, string>();
  private texts: string[] | undefined;
  length = 0;

  push(text: string): void {
    const row = this.length;
    this.length += 1;
    if (this.texts) {
      this.texts.push(text);
      return;
    }
    const numbers = this.numbers as Float64Array;
    const value = isMissing(text) ? Number.NaN : numberOf(text);
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
    if (!Number.isNaN(value) && String(value) !== text) {
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
