import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../../local/servicebus/journal.js';

type Event = { id: number; data?: Buffer };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reopen = async () => Journal.open<Event>(dir);

describe('journal', () => {
  it('replays what was appended, buffers included, and shares one flush between concurrent appends', async () => {
    const { journal } = await reopen();
    await Promise.all([
      journal.append([{ id: 1, data: Buffer.from([0, 255]) }]),
      journal.append([{ id: 2 }]),
      journal.append([{ id: 3 }]),
    ]);
    await journal.close();
    const { journal: again, events } = await reopen();
    expect(events).toEqual([{ id: 1, data: Buffer.from([0, 255]) }, { id: 2 }, { id: 3 }]);
    await again.close();
  });

  it('ignores a torn last line, which no append was acknowledged for', async () => {
    const { journal } = await reopen();
    await journal.append([{ id: 1 }]);
    await journal.close();
    await appendFile(join(dir, 'servicebus-journal.jsonl'), '{"n":2,"e":{"id"');
    const { journal: again, events } = await reopen();
    expect(events).toEqual([{ id: 1 }]);
    await again.close();
  });

  it('refuses a journal corrupt before its end', async () => {
    await appendFile(join(dir, 'servicebus-journal.jsonl'), 'garbage\n{"n":1,"e":{"id":1}}\n');
    await expect(reopen()).rejects.toThrow(/corrupt at line 1/);
  });

  it('replaces the journal with a snapshot, keeping what is appended while it is written', async () => {
    const { journal } = await reopen();
    await journal.append([{ id: 1 }, { id: 2 }]);
    const compaction = journal.compact([{ id: 100 }]);
    const during = journal.append([{ id: 2 }]);
    await compaction;
    await during;
    await journal.append([{ id: 3 }]);
    expect(journal.backlog).toBe(2);
    await journal.close();
    const { journal: again, events } = await reopen();
    expect(events).toEqual([{ id: 100 }, { id: 2 }, { id: 3 }]);
    await again.close();
    expect(
      (await readFile(join(dir, 'servicebus-journal.jsonl'), 'utf8')).split('\n').filter(Boolean),
    ).toHaveLength(3);
  });

  it('loses nothing appended while a flush is in flight when a compaction starts', async () => {
    const { journal } = await reopen();
    const inFlight = journal.append([{ id: 1 }]);
    const compaction = journal.compact([{ id: 100 }]);
    const queued = journal.append([{ id: 2 }]);
    await Promise.all([inFlight, compaction, queued]);
    await journal.close();
    const { journal: again, events } = await reopen();
    expect(events).toEqual([{ id: 100 }, { id: 2 }]);
    await again.close();
  });
});
