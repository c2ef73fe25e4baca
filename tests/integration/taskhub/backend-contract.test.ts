// One contract suite, run against every task hub backend: in memory and Azure Storage (Azurite).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../local/emulators/azurite.js';
import type { TaskHubBackend } from '../../../local/taskhub/backend.js';
import { EventType, type HistoryEvent } from '../../../local/taskhub/history.js';
import type { InstanceRecord, Message } from '../../../local/taskhub/instance.js';
import { createMemoryBackend } from '../../../local/taskhub/memory-backend.js';
import { createStorageBackend } from '../../../local/taskhub/storage-backend.js';

let azurite: Azurite | undefined;
let workspace: string | undefined;
let hubs = 0;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'taskhub-backend-'));
  azurite = await startAzurite({ location: workspace });
});
afterAll(async () => {
  await azurite?.stop();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

const backends: [string, () => TaskHubBackend][] = [
  ['memory', () => createMemoryBackend()],
  [
    'storage',
    () => createStorageBackend({ connectionString: azurite!.connectionString, hubName: `Contract${++hubs}` }),
  ],
];

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

function instance(instanceId: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    instanceId,
    name: 'orchestrator',
    executionId: `${instanceId}-e1`,
    status: 'Pending',
    input: '{"n":1}',
    output: null,
    customStatus: null,
    createdAt: at(0),
    lastUpdatedAt: at(0),
    ...overrides,
  };
}

const started = (record: InstanceRecord): Message => ({
  id: `${record.executionId}:start`,
  executionId: record.executionId,
  event: {
    EventType: EventType.ExecutionStarted,
    EventId: -1,
    IsPlayed: false,
    Timestamp: at(0),
    Name: record.name,
    Input: record.input,
    ExecutionId: record.executionId,
  },
});

const raised = (id: string, input: string): Message => ({
  id,
  event: {
    EventType: EventType.EventRaised,
    EventId: -1,
    IsPlayed: false,
    Timestamp: at(1),
    Name: 'go',
    Input: input,
  },
});

const scheduled = (eventId: number, input: string | null = null): HistoryEvent => ({
  EventType: EventType.TaskScheduled,
  EventId: eventId,
  IsPlayed: false,
  Timestamp: at(2),
  Name: 'activity',
  Input: input,
});

describe.each(backends)('task hub backend: %s', (_name, make) => {
  let backend: TaskHubBackend;
  beforeAll(async () => {
    backend = make();
    await backend.initialize();
  });

  it('creates an instance with its start message, and refuses a second start while it runs', async () => {
    const record = instance('a/b#c?d');
    await backend.createInstance(record, started(record));
    expect(await backend.getInstance('a/b#c?d')).toEqual(record);
    const item = await backend.loadWorkItem('a/b#c?d');
    expect(item?.messages.map((m) => m.id)).toEqual([`${record.executionId}:start`]);
    await expect(backend.createInstance(record, started(record))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('stores a message once per id and rejects messages for unknown instances', async () => {
    const record = instance('messages');
    await backend.createInstance(record, started(record));
    await backend.sendMessage('messages', raised('m1', '1'));
    await backend.sendMessage('messages', raised('m1', '1'));
    await backend.sendMessage('messages', raised('m2', '2'));
    const item = await backend.loadWorkItem('messages');
    expect(item?.messages.map((m) => m.id).sort()).toEqual(
      [`${record.executionId}:start`, 'm1', 'm2'].sort(),
    );
    await expect(backend.sendMessage('nobody', raised('m3', '3'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('commits an episode atomically and refuses a commit from a stale read', async () => {
    const record = instance('commit');
    await backend.createInstance(record, started(record));
    await backend.sendMessage('commit', raised('later', '"x"'));
    const item = (await backend.loadWorkItem('commit'))!;
    const running = { ...record, status: 'Running' as const, lastUpdatedAt: at(3) };
    const child = instance('commit:child');
    await backend.commit(item, {
      instance: running,
      newEvents: [scheduled(0, '"a"'), scheduled(1)],
      consumedMessageIds: [`${record.executionId}:start`],
      outbox: [{ kind: 'create', instance: child, start: started(child) }],
    });
    const after = (await backend.loadWorkItem('commit'))!;
    expect(after.instance.status).toBe('Running');
    expect(after.history.map((e) => e.EventId)).toEqual([0, 1]);
    expect(after.messages.map((m) => m.id)).toEqual(['later']);
    expect(await backend.getHistory('commit')).toEqual(after.history);

    await expect(
      backend.commit(item, {
        instance: { ...running, status: 'Completed' },
        newEvents: [scheduled(2)],
        consumedMessageIds: [],
        outbox: [],
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await backend.getHistory('commit')).length).toBe(2);

    await backend.commit(after, {
      instance: running,
      newEvents: [scheduled(2)],
      consumedMessageIds: ['later'],
      outbox: [],
    });
    expect((await backend.getHistory('commit')).map((e) => e.EventId)).toEqual([0, 1, 2]);

    const outbox = await backend.readOutbox('commit');
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.entries[0]).toMatchObject({ kind: 'create', instance: { instanceId: 'commit:child' } });
    await backend.deleteOutbox('commit', [outbox[0]!.id]);
    expect(await backend.readOutbox('commit')).toEqual([]);
  });

  it('starts a new execution with an empty history, and replaces an ended instance on a new start', async () => {
    const record = instance('executions');
    await backend.createInstance(record, started(record));
    const item = (await backend.loadWorkItem('executions'))!;
    await backend.commit(item, {
      instance: { ...record, status: 'Running' },
      newEvents: [scheduled(0)],
      consumedMessageIds: [],
      outbox: [],
    });
    const second = (await backend.loadWorkItem('executions'))!;
    await backend.commit(second, {
      instance: { ...record, executionId: 'e2', status: 'Running' },
      newEvents: [],
      consumedMessageIds: [],
      outbox: [],
    });
    expect(await backend.getHistory('executions')).toEqual([]);
    const third = (await backend.loadWorkItem('executions'))!;
    await backend.commit(third, {
      instance: { ...record, executionId: 'e2', status: 'Completed', output: '7' },
      newEvents: [scheduled(0)],
      consumedMessageIds: [],
      outbox: [],
    });

    const again = instance('executions', { executionId: 'e3' });
    await backend.createInstance(again, started(again));
    expect(await backend.getInstance('executions')).toMatchObject({
      executionId: 'e3',
      status: 'Pending',
      output: null,
    });
    expect(await backend.getHistory('executions')).toEqual([]);
    expect((await backend.loadWorkItem('executions'))?.messages.map((m) => m.id)).toEqual(['e3:start']);
  });

  it('keeps values beyond a table property limit intact', async () => {
    const big = JSON.stringify('x'.repeat(70_000));
    const record = instance('large', { input: big });
    await backend.createInstance(record, { ...started(record) });
    await backend.sendMessage('large', raised('big-event', big));
    const item = (await backend.loadWorkItem('large'))!;
    expect(item.instance.input).toBe(big);
    const events = Array.from({ length: 400 }, (_, i) =>
      scheduled(i, JSON.stringify(`input ${i} `.repeat(20))),
    );
    await backend.commit(item, {
      instance: { ...record, status: 'Running', customStatus: big },
      newEvents: events,
      consumedMessageIds: ['big-event'],
      outbox: [],
    });
    expect(await backend.getHistory('large')).toEqual(events);
    expect((await backend.getInstance('large'))?.customStatus).toBe(big);
  });

  it('lists instances by status, creation time and id prefix, page by page', async () => {
    for (let i = 0; i < 5; i++) {
      const record = instance(`list-${i}`, {
        createdAt: at(10 + i),
        status: i % 2 ? 'Completed' : 'Pending',
      });
      await backend.createInstance(record, started(record));
    }
    const all: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await backend.queryInstances({
        instanceIdPrefix: 'list-',
        pageSize: 2,
        ...(continuationToken ? { continuationToken } : {}),
      });
      expect(page.instances.length).toBeLessThanOrEqual(2);
      all.push(...page.instances.map((i) => i.instanceId));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    expect(all.sort()).toEqual(['list-0', 'list-1', 'list-2', 'list-3', 'list-4']);

    const completed = await backend.queryInstances({ instanceIdPrefix: 'list-', statuses: ['Completed'] });
    expect(completed.instances.map((i) => i.instanceId).sort()).toEqual(['list-1', 'list-3']);
    const window = await backend.queryInstances({
      instanceIdPrefix: 'list-',
      createdFrom: at(11),
      createdTo: at(13),
    });
    expect(window.instances.map((i) => i.instanceId).sort()).toEqual(['list-1', 'list-2', 'list-3']);
  });

  it('names the instances a restart must resume, and purges an instance entirely', async () => {
    const unfinished = await backend.unfinishedInstanceIds();
    expect(unfinished).toContain('a/b#c?d');
    expect(unfinished).not.toContain('list-1');
    expect(await backend.purge('a/b#c?d')).toBe(true);
    expect(await backend.getInstance('a/b#c?d')).toBeUndefined();
    expect(await backend.loadWorkItem('a/b#c?d')).toBeUndefined();
    expect(await backend.purge('a/b#c?d')).toBe(false);
  });
});
