import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, CsvTokenizer } from '../../../shared/data/csv-tokenizer.js';

function tokenize(pieces: readonly string[], maxRowChars = 1000): string[][] {
  const tokenizer = new CsvTokenizer(',', maxRowChars);
  const rows: string[][] = [];
  for (const piece of pieces) tokenizer.push(piece, rows);
  return tokenizer.end(rows);
}

/** The text cut at every position into two pieces, and into pieces of 1 to 3 characters. */
function cuts(text: string): string[][] {
  const all = [[text]];
  for (let at = 1; at < text.length; at += 1) all.push([text.slice(0, at), text.slice(at)]);
  for (const size of [1, 2, 3]) all.push(text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? []);
  return all;
}

const tricky = [
  'id , note,label',
  '1,"a, b",0',
  '2,"say ""hi""",1',
  '3,"line one\nline two",0',
  '4,  "  kept  "  ,1',
  '',
  '5,,',
  '6,plain text ,"x"',
].join('\r\n');

const expected = [
  ['id', 'note', 'label'],
  ['1', 'a, b', '0'],
  ['2', 'say "hi"', '1'],
  ['3', 'line one\nline two', '0'],
  ['4', '  kept  ', '1'],
  ['5', '', ''],
  ['6', 'plain text', 'x'],
];

describe('CsvTokenizer', () => {
  it('reads quotes, doubled quotes, line breaks in quotes and CRLF; trims outside quotes only; skips empty lines', () => {
    expect(tokenize([tricky])).toEqual(expected);
  });

  it('gives the same rows wherever the text is cut into pieces', () => {
    for (const pieces of cuts(tricky)) expect(tokenize(pieces)).toEqual(expected);
    for (const pieces of cuts(`${tricky}\r\n`)) expect(tokenize(pieces)).toEqual(expected);
  });

  it('reads rows ended by CR alone when the first row ends so, and a last row without a line end', () => {
    for (const pieces of cuts('a,b\r1,"x\ry"\r2,3')) {
      expect(tokenize(pieces)).toEqual([
        ['a', 'b'],
        ['1', 'x\ry'],
        ['2', '3'],
      ]);
    }
  });

  it('keeps ragged rows as they are', () => {
    expect(tokenize(['a,b,c\n1,2\n1,2,3,4\n'])).toEqual([
      ['a', 'b', 'c'],
      ['1', '2'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('names the line of an unclosed quote, a quote inside a plain field and text after a closing quote', () => {
    const lineOf = (text: string) => {
      try {
        tokenize([text]);
      } catch (error) {
        if (error instanceof CsvSyntaxError) return [error.line, error.message];
      }
      return undefined;
    };
    expect(lineOf('a,b\n1,2\n3,"open\nstill open')).toEqual([3, 'a quoted field is not closed']);
    expect(lineOf('a,b\n1,x"y\n')).toEqual([2, 'a quote inside a field that does not start with one']);
    expect(lineOf('a,b\n"x\ny",1\n"q"z,2\n')).toEqual([4, 'a closing quote is followed by more text']);
  });

  it('refuses a row longer than the limit, also before the row ends', () => {
    expect(() => tokenize([`a,b\n${'y'.repeat(50)},1\n`], 40)).toThrow(/longer than 40/);
    const tokenizer = new CsvTokenizer(',', 40);
    tokenizer.push('a,b\n');
    expect(() => tokenizer.push('z'.repeat(41))).toThrow(CsvSyntaxError);
    const quoted = new CsvTokenizer(',', 40);
    expect(() => quoted.push(`a,"${'q\n'.repeat(30)}`)).toThrow(CsvSyntaxError);
  });
});
