// RFC 4180 CSV split into rows of cells as text arrives, a piece at a time. Written for speed
// because every pass over a data set (validate, split, the trainer's load, batch scoring) runs
// through it: a line without quotes (nearly every line of real data) is cut with indexOf and
// String.split, and only lines with quotes take the character-by-character path. Fields are
// trimmed outside quotes; quoted fields keep their text exactly (commas, doubled quotes, line
// breaks). Rows end at LF or CRLF, or at CR alone when that is how the first row ends. Empty
// lines are skipped; rows may be ragged (the caller counts fields). Pure: no streams, no I/O.

/** A syntax error, with the 1-based physical line it was found on. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const quote = 34;
const cr = 13;
const lf = 10;

/** Whether a field needs trimming: whitespace at either end (String.trim's, for the ASCII cases). */
const padded = (text: string): boolean =>
  text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32);

export class CsvTokenizer {
  private buffer = '';
  /** 1-based line of the buffer's first character. */
  private line = 1;
  private newline: '\n' | '\r' | undefined;
  private readonly delimiterCode: number;

  constructor(
    private readonly delimiter: string,
    /** The longest row accepted, in characters; a longer one is an error (a runaway cell). */
    private readonly maxRowChars: number,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** The complete rows `text` finishes; the rest waits for the next piece. */
  push(text: string, rows: string[][] = []): string[][] {
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    this.newline ??= newlineOf(this.buffer);
    this.consume(rows, false);
    return rows;
  }

  /** The last rows, once the input has ended. */
  end(rows: string[][] = []): string[][] {
    this.consume(rows, true);
    return rows;
  }

  private consume(rows: string[][], final: boolean): void {
    const text = this.buffer;
    const newline = this.newline ?? '\n';
    let start = 0;
    while (start < text.length) {
      let stop = text.indexOf(newline, start);
      if (stop < 0) {
        if (!final) break;
        stop = text.length;
      }
      // A CR right at the end may be the first half of a CRLF still to come.
      const line = text.slice(start, stop);
      if (line.indexOf('"') >= 0) {
        const end = this.quotedRow(text, start, final, rows);
        if (end < 0) break;
        start = end;
        continue;
      }
      this.checkLength(line.length);
      const body = newline === '\n' && line.charCodeAt(line.length - 1) === cr ? line.slice(0, -1) : line;
      if (body.length > 0) {
        const cells = body.split(this.delimiter);
        for (let i = 0; i < cells.length; i += 1) if (padded(cells[i]!)) cells[i] = cells[i]!.trim();
        rows.push(cells);
      }
      this.line += 1;
      start = stop + 1;
    }
    this.buffer = text.slice(start);
    this.checkLength(this.buffer.length);
  }

  /**
   * Reads the row starting at `start` character by character; returns where the next row
   * starts, or -1 when the text ends inside it and more may come.
   */
  private quotedRow(text: string, start: number, final: boolean, rows: string[][]): number {
    const cells: string[] = [];
    let lines = 0;
    let i = start;
    for (;;) {
      // One field: skip leading blanks, then a quoted or a plain field.
      let j = i;
      while (j < text.length && isBlank(text.charCodeAt(j))) j += 1;
      let cell: string;
      if (j < text.length && text.charCodeAt(j) === quote) {
        let value = '';
        let from = j + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            if (!final) return -1;
            throw new CsvSyntaxError('a quoted field is not closed', this.line + lines);
          }
          lines += countLineBreaks(text, from, close);
          if (close + 1 >= text.length && !final) return -1;
          if (text.charCodeAt(close + 1) === quote) {
            value += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          value += text.slice(from, close);
          j = close + 1;
          break;
        }
        while (j < text.length && isBlank(text.charCodeAt(j))) j += 1;
        cell = value;
      } else {
        let k = j;
        while (k < text.length && !this.endsField(text.charCodeAt(k))) {
          if (text.charCodeAt(k) === quote)
            throw new CsvSyntaxError(
              'a quote inside a field that does not start with one',
              this.line + lines,
            );
          k += 1;
        }
        cell = text.slice(j, k).trimEnd();
        j = k;
      }
      cells.push(cell);
      this.checkLength(j - start);
      if (j >= text.length) {
        if (!final) return -1;
        rows.push(cells);
        this.line += lines + 1;
        return j;
      }
      const code = text.charCodeAt(j);
      if (code === this.delimiterCode) {
        i = j + 1;
        continue;
      }
      if (code === cr || code === lf) {
        // CR at the very end: wait to see whether LF follows.
        if (code === cr && j + 1 >= text.length && !final && this.newline === '\n') return -1;
        const next = code === cr && text.charCodeAt(j + 1) === lf ? j + 2 : j + 1;
        rows.push(cells);
        this.line += lines + 1;
        return next;
      }
      throw new CsvSyntaxError('a closing quote is followed by more text', this.line + lines);
    }
  }

  private endsField(code: number): boolean {
    return code === this.delimiterCode || code === lf || code === cr;
  }

  private checkLength(chars: number): void {
    if (chars > this.maxRowChars)
      throw new CsvSyntaxError(`a row is longer than ${this.maxRowChars} characters`, this.line);
  }
}

const isBlank = (code: number): boolean => code === 32 || code === 9;

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/** LF (CRLF too: its CR is dropped) unless the first row ends with a CR alone. */
function newlineOf(text: string): '\n' | '\r' | undefined {
  const lfAt = text.indexOf('\n');
  const crAt = text.indexOf('\r');
  if (crAt >= 0 && (lfAt < 0 || crAt < lfAt - 1))
    return crAt + 1 < text.length || lfAt >= 0 ? '\r' : undefined;
  return lfAt >= 0 ? '\n' : undefined;
}
