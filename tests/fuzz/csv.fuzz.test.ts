// The product's CSV tokenizer against csv-parse, an independent reader, on seeded random files:
// cells with delimiters, quotes, line breaks and padding, LF or CRLF endings, empty lines,
// ragged rows, each file cut into random pieces. Both must read the same rows. Seeded (FUZZ_SEED).
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer } from '../../shared/data/csv-tokenizer.js';
import type { Random } from '../../shared/data/prng.js';
import { fuzzRandom, integer, pick } from './junk.js';

const alphabet = ['a', 'b', 'Z', '7', '.', '-', ' ', ',', '"', '\n', '\r\n', 'é', '\t'];

function cell(random: Random, letters: readonly string[]): string {
  const text = Array.from({ length: integer(random, 6) }, () => pick(random, letters)).join('');
  const needsQuotes = /[",\r\n]/.test(text) || random() < 0.2;
  if (!needsQuotes) return text.replace(/"/g, '');
  const padding = random() < 0.2 ? ' ' : '';
  return `${padding}"${text.replace(/"/g, '""')}"${padding}`;
}

function file(random: Random): string {
  const newline = pick(random, ['\n', '\r\n', '\r']);
  // A CR-only file is told by how its first row ends, so its cells hold no other line break.
  const letters = newline === '\r' ? alphabet.filter((c) => !c.includes('\n')) : alphabet;
  const width = 1 + integer(random, 5);
  const lines = Array.from({ length: 1 + integer(random, 30) }, () => {
    if (random() < 0.05) return '';
    const cells = width + (random() < 0.1 ? integer(random, 3) - 1 : 0);
    return Array.from({ length: Math.max(1, cells) }, () => cell(random, letters)).join(',');
  });
  return lines.join(newline) + (random() < 0.5 ? newline : '');
}

function pieces(random: Random, text: string): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = 1 + integer(random, 12);
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

describe('CSV tokenizer against csv-parse', () => {
  it('reads the same rows from random files cut into random pieces', () => {
    const random = fuzzRandom(4099);
    for (let run = 0; run < 500; run += 1) {
      const text = file(random);
      const expected = parse(text, {
        relax_column_count: true,
        trim: true,
        skip_empty_lines: true,
      }) as string[][];
      const tokenizer = new CsvTokenizer(',', 1 << 20);
      const rows: string[][] = [];
      for (const piece of pieces(random, text)) tokenizer.push(piece, rows);
      expect(tokenizer.end(rows), JSON.stringify(text)).toEqual(expected);
    }
  });
});
