// Request capture for the drift monitor: scored rows as JSON Lines under
// `inference-logs/{model}/{yyyy-mm-dd}/{hh}/{name}.jsonl` (DESIGN.md section 4), sampled per
// request by the policy's `capture.rate`. The request path only keeps a reference to what it
// scored; rows are serialized and written by a timer, one blob per model and hour per flush.
// Memory is bounded: past `maxRows` waiting rows, new ones are dropped and counted, so slow
// storage never makes scoring wait.
import { setImmediate } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { ScoreEvent, Scored } from '../scoring/scores.js';
import { PeriodicFlush } from './periodic-flush.js';

export interface CaptureSink {
  /** Writes one new blob of the inference-logs container. */
  write(path: string, text: string): Promise<void>;
}

export interface CaptureOptions {
  readonly sink: CaptureSink;
  readonly clock: Clock;
  readonly random: () => number;
  /** Part of every blob name, so instances never write the same blob. */
  readonly instance: string;
  readonly flushMs: number;
  readonly maxRows: number;
  readonly log: (message: string, error?: unknown) => void;
}

const rowsPerSlice = 2_000;

interface Pending {
  readonly event: ScoreEvent;
  readonly scored: Scored;
}

export class Capture {
  private pending: Pending[] = [];
  private pendingRows = 0;
  private sequence = 0;
  private readonly flusher: PeriodicFlush;
  /** Rows not captured because the buffer was full or a write failed. */
  dropped = 0;
  written = 0;

  constructor(private readonly options: CaptureOptions) {
    this.flusher = new PeriodicFlush(() => this.flushOnce(), options.flushMs);
  }

  readonly observe = (event: ScoreEvent): void => {
    const scored = event.scored;
    if (!scored || this.options.random() >= event.policy.capture.rate) return;
    const rows = scored.table.rowCount;
    if (this.pendingRows + rows > this.options.maxRows) {
      this.dropped += rows;
      return;
    }
    this.pending.push({ event, scored });
    this.pendingRows += rows;
    this.flusher.arm();
  };

  private async flushOnce(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    const files = new Map<string, string[]>();
    let sinceYield = 0;
    for (const { event, scored } of batch) {
      const folder = `${event.model}/${new Date(event.at).toISOString().slice(0, 13).replace('T', '/')}`;
      const lines = files.get(folder) ?? [];
      files.set(folder, lines);
      for (const line of linesOf(event, scored)) lines.push(line);
      // A flush can hold tens of thousands of rows: requests are served between slices of it.
      sinceYield += scored.table.rowCount;
      if (sinceYield >= rowsPerSlice) {
        sinceYield = 0;
        await setImmediate();
      }
    }
    const stamp = this.options.clock.now();
    await Promise.all(
      [...files].map(async ([folder, lines]) => {
        this.sequence += 1;
        const path = `${folder}/${stamp}-${this.options.instance}-${this.sequence}.jsonl`;
        try {
          await this.options.sink.write(path, `${lines.join('\n')}\n`);
          this.written += lines.length;
        } catch (error) {
          this.dropped += lines.length;
          this.options.log(`capture write of ${lines.length} rows to ${path} failed; dropped`, error);
        }
      }),
    );
  }
}

/**
 * One JSON line per scored row, built from strings made once per request (the head, each
 * feature's and class's key), since a flush serializes every captured row on the event loop.
 * The same text as JSON.stringify of `{ts, requestId, model, version, alias, inputs, outputs}`.
 */
function linesOf(event: ScoreEvent, scored: Scored): string[] {
  const { table, scores, meta } = scored;
  const head =
    `{"ts":"${new Date(event.at).toISOString()}","requestId":${JSON.stringify(event.requestId)}` +
    `,"model":${JSON.stringify(event.model)},"version":${event.version}` +
    `,"alias":${JSON.stringify(event.alias ?? null)},"inputs":{`;
  const end = event.shadow ? '},"shadow":true}' : '}}';
  const inputs = meta.features.map((f, i) => ({
    key: `${i === 0 ? '' : ','}${JSON.stringify(f.name)}:`,
    values: table.columns.get(f.name)!.values,
  }));
  const classKeys = meta.classes.map((c, k) => `${k === 0 ? '' : ','}${JSON.stringify(c)}:`);
  const width = classKeys.length;
  const { labels, values, probabilities } = scores;
  const lines = new Array<string>(table.rowCount);
  for (let row = 0; row < table.rowCount; row++) {
    let line = head;
    for (const input of inputs) line += input.key + jsonText(input.values[row]);
    line += '},"outputs":{';
    const prediction = labels ? labels[row] : values?.[row];
    // Absent, as JSON.stringify leaves out an undefined property.
    if (prediction !== undefined) line += `"prediction":${jsonText(prediction)}`;
    if (probabilities) {
      line += `${prediction === undefined ? '' : ','}"probabilities":{`;
      for (let k = 0; k < width; k++) line += classKeys[k]! + jsonText(probabilities[row * width + k]);
      line += '}';
    }
    lines[row] = line + end;
  }
  return lines;
}

/** A value as JSON.stringify writes it: NaN and the infinities as null. */
function jsonText(value: number | string | null | undefined): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return value === null || value === undefined ? 'null' : JSON.stringify(value);
}
