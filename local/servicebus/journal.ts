// Append-only journal of broker events, one JSON line each, numbered. Appends are
// group-committed: every line queued while an fsync is in flight waits for the next one, so
// concurrent senders share the cost of a flush. Compaction replaces the file with a snapshot
// that records the number of the last event it covers, so replay resumes exactly after it;
// appends made while the snapshot is written wait and follow it. Replay tolerates a torn last line, which a kill -9 mid-write leaves and nobody was told of.
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError } from '../../shared/errors.js';

interface Line<E> {
  n: number;
  /** Marks the lines of a compaction snapshot, which covers every event up to `n`. */
  snapshot?: true;
  e: E;
}

export class Journal<E> {
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private compaction: Promise<void> | undefined;
  private failure: unknown;
  private linesSinceCompaction = 0;

  private constructor(
    private handle: FileHandle,
    private readonly path: string,
    private lastNumber: number,
  ) {}

  static async open<E>(dataDir: string): Promise<{ journal: Journal<E>; events: E[] }> {
    await mkdir(dataDir, { recursive: true });
    const path = join(dataDir, 'servicebus-journal.jsonl');
    const { events, lastNumber } = await readEvents<E>(path);
    const handle = await open(path, 'a');
    return { journal: new Journal<E>(handle, path, lastNumber), events };
  }

  /** Events written since the last compaction: the broker compacts when this grows. */
  get backlog(): number {
    return this.linesSinceCompaction;
  }

  /** Queues events for the next flush; the promise resolves once they are on disk. */
  append(events: readonly E[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (events.length === 0) return Promise.resolve();
    for (const e of events) this.pending.push(serialize({ n: ++this.lastNumber, e }));
    this.linesSinceCompaction += events.length;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.compaction) this.flushing ??= this.flushLoop();
    return done;
  }

  private async flushLoop(): Promise<void> {
    // A compaction stops the loop between flushes: what is queued then belongs after the snapshot.
    while (this.pending.length > 0 && !this.compaction) {
      const lines = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await this.handle.write(lines.join('\n') + '\n');
        await this.handle.datasync();
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        this.failure = new PlatformError(
          'DEPENDENCY_UNAVAILABLE',
          `Service Bus emulator journal ${this.path} cannot be written: ${(error as Error).message}`,
        );
        for (const waiter of [...waiters, ...this.waiters]) waiter.reject(this.failure);
        this.waiters = [];
        this.pending = [];
      }
    }
    this.flushing = undefined;
  }

  /**
   * Replaces the journal with `snapshot`, which must reflect every event appended so far (the
   * broker applies events before it appends them). Appends made meanwhile wait and follow it.
   */
  compact(snapshot: readonly E[]): Promise<void> {
    this.compaction ??= this.replaceWith(snapshot, this.lastNumber).finally(() => {
      this.compaction = undefined;
      if (this.pending.length > 0) this.flushing ??= this.flushLoop();
    });
    return this.compaction;
  }

  private async replaceWith(snapshot: readonly E[], through: number): Promise<void> {
    await this.flushing;
    const temporary = `${this.path}.tmp`;
    const file = await open(temporary, 'w');
    const lines = snapshot.map((e) => serialize({ n: through, snapshot: true, e }));
    await file.write(lines.length > 0 ? lines.join('\n') + '\n' : '');
    await file.sync();
    await file.close();
    await this.handle.close();
    await rename(temporary, this.path);
    this.handle = await open(this.path, 'a');
    await this.handle.sync();
    this.linesSinceCompaction = this.lastNumber - through;
  }

  async close(): Promise<void> {
    await this.compaction;
    await this.flushing;
    await this.handle.close();
  }
}

async function readEvents<E>(path: string): Promise<{ events: E[]; lastNumber: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], lastNumber: 0 };
    throw error;
  }
  const lines = text.split('\n').filter((line) => line.length > 0);
  const events: E[] = [];
  let covered = 0;
  let lastNumber = 0;
  for (const [index, raw] of lines.entries()) {
    let line: Line<E>;
    try {
      line = JSON.parse(raw, bufferReviver) as Line<E>;
    } catch (error) {
      // Only the last line can be torn by a crash mid-write; it was never acknowledged.
      if (index === lines.length - 1 && !text.endsWith('\n')) break;
      throw new PlatformError(
        'INTEGRITY_ERROR',
        `Service Bus emulator journal ${path} is corrupt at line ${index + 1}: ${(error as Error).message}`,
        {
          path,
          line: index + 1,
        },
      );
    }
    lastNumber = Math.max(lastNumber, line.n);
    if (line.snapshot) {
      covered = line.n;
      events.push(line.e);
    } else if (line.n > covered) {
      events.push(line.e);
    }
  }
  return { events, lastNumber };
}

const serialize = (line: Line<unknown>): string => JSON.stringify(line, bufferReplacer);

function bufferReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return Buffer.isBuffer(raw) ? { $b64: raw.toString('base64') } : value;
}

function bufferReviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && '$b64' in value && typeof value.$b64 === 'string')
    return Buffer.from(value.$b64, 'base64');
  return value;
}
