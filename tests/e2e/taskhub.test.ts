// Durable Functions on the local host through the official durable-functions API: a fixture
// app's HTTP starters, orchestrators and activities, the client's RPC calls, and the public
// webhooks createCheckStatusResponse links to, against Azurite on free ports. The host's clock is
// manual (LOCAL_HOST_CLOCK=manual), so a test moves it to fire a long durable timer at once.
import { fileURLToPath } from 'node:url';
import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { advanceHostClock, eventually } from '../support/host.js';
import { hostOnAzurite } from '../support/storage.js';

const appDir = fileURLToPath(new URL('../fixtures/durable-app', import.meta.url));
const systemKey = 'durable-system-key';
const masterKey = 'durable-master-key';

interface Status {
  instanceId: string;
  runtimeStatus: string;
  output: unknown;
  input: unknown;
  customStatus: unknown;
  history?: { EventType: string; FunctionName?: string; Result?: unknown }[];
}

describe('durable functions on the local host', () => {
  const stack = hostOnAzurite(appDir, { LOCAL_HOST_CLOCK: 'manual' });

  const post = (path: string, body?: unknown) =>
    fetch(`${stack.host.url}/api/${path}`, {
      method: 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const status = async (id: string, history = false): Promise<Status | undefined> => {
    const response = await fetch(`${stack.host.url}/api/status/${encodeURIComponent(id)}?history=${history}`);
    return response.status === 200 ? ((await response.json()) as Status) : undefined;
  };
  const settled = (id: string, history = false) =>
    eventually(
      async () => {
        const s = await status(id, history);
        return s && ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus) ? s : undefined;
      },
      30_000,
      `instance ${id} to end`,
    );
  const start = async (name: string, id: string, input?: unknown) => {
    const response = await post(`start/${name}/${id}`, input);
    expect(response.status).toBe(202);
    return (await response.json()) as Record<string, string>;
  };

  it('runs a chain of activities and waits for it with waitForCompletionOrCreateCheckStatusResponse', async () => {
    const response = await post('run/chain', 'Oslo');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello Oslo']);
  });

  it('answers createCheckStatusResponse links on the system-key webhooks', async () => {
    const links = await start('approval', 'approve-1');
    expect(links.id).toBe('approve-1');
    expect(links.statusQueryGetUri).toContain(
      `${stack.host.url}/runtime/webhooks/durabletask/instances/approve-1?`,
    );
    expect(links.statusQueryGetUri).toContain(`code=${systemKey}`);
    expect((await fetch(links.statusQueryGetUri!.replace(systemKey, 'wrong'))).status).toBe(401);

    const waiting = await eventually(async () => {
      const response = await fetch(links.statusQueryGetUri!);
      const body = (await response.json()) as Status;
      return response.status === 202 && (body.customStatus as { stage?: string })?.stage === 'waiting'
        ? body
        : undefined;
    });
    expect(waiting.runtimeStatus).toBe('Running');

    const raised = await fetch(links.sendEventPostUri!.replace('{eventName}', 'approve'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'ana' }),
    });
    expect(raised.status).toBe(202);
    const done = await eventually(async () => {
      const response = await fetch(`${links.statusQueryGetUri}&showHistory=true&showHistoryOutput=true`);
      return response.status === 200
        ? ((await response.json()) as Status & { historyEvents: { EventType: string }[] })
        : undefined;
    });
    expect(done.output).toEqual({ approved: { by: 'ana' } });
    expect(done.customStatus).toEqual({ stage: 'decided' });
    expect(done.historyEvents.map((e) => e.EventType)).toContain('EventRaised');
    expect((await fetch(links.purgeHistoryDeleteUri!, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(links.statusQueryGetUri!)).status).toBe(404);
  });

  it('fans out and in with Task.all, then races an activity against a timer with Task.any', async () => {
    await start('fanOut', 'fan-1', 30);
    const done = await settled('fan-1');
    expect(done.output).toEqual({ sum: 8555, first: 144 });
  });

  it('retries activities with callActivityWithRetry and surfaces the final failure', async () => {
    await start('retrying', 'retry-1');
    const done = await settled('retry-1');
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toEqual({
      ok: 'retry-1 succeeded on call 3',
      gaveUp: 'Error: flaky failure 2 for retry-1-never',
    });
  });

  it('fails the instance with the activity error when the orchestrator does not catch it', async () => {
    const response = await post('run/failing');
    expect(response.status).toBe(500);
    const body = (await response.json()) as Status;
    expect(body.runtimeStatus).toBe('Failed');
    expect(body.output).toBe("Orchestrator function 'failing' failed: RangeError: boom: kaput");
  });

  it('runs sub-orchestrations with generated and explicit ids, with and without retry', async () => {
    await start('parent', 'family');
    const done = await settled('family');
    expect(done.output).toEqual({
      generated: ['Hello Tokyo', 'Hello Seattle', 'Hello Paris'],
      explicit: { sum: 5, first: 144 },
      retried: 'family-child succeeded on call 2',
    });
    expect((await status('family-fan'))?.runtimeStatus).toBe('Completed');
    expect((await status('family-flaky'))?.runtimeStatus).toBe('Completed');
  });

  it('continues as new until done', async () => {
    await start('counter', 'counter-1', 0);
    const done = await settled('counter-1', true);
    expect(done.output).toBe('counted to 3');
    expect(done.input).toBe(3);
    expect(done.history?.filter((e) => e.EventType === 'TaskCompleted')).toHaveLength(1);
  });

  it('lets a durable timer win a Task.any race when the host clock reaches it', async () => {
    await start('approval', 'approve-late', { timeoutMs: 3_600_000 });
    await eventually(async () =>
      ((await status('approve-late'))?.customStatus as { stage?: string })?.stage === 'waiting'
        ? true
        : undefined,
    );
    await advanceHostClock(stack.host, masterKey, 3_600_000);
    expect((await settled('approve-late')).output).toEqual({ approved: false, reason: 'timed out' });
  });

  it('reports history through getStatus, and lists and filters instances', async () => {
    await start('chain', 'listed', 'Rome');
    const done = await settled('listed', true);
    const completed = done.history?.filter((e) => e.EventType === 'TaskCompleted') ?? [];
    expect(completed.map((e) => [e.FunctionName, e.Result])).toEqual([
      ['hello', 'Hello Tokyo'],
      ['hello', 'Hello Seattle'],
      ['hello', 'Hello Rome'],
    ]);
    const all = (await (await fetch(`${stack.host.url}/api/list`)).json()) as Status[];
    expect(all.map((i) => i.instanceId)).toEqual(
      expect.arrayContaining(['listed', 'fan-1', 'family', 'family-fan']),
    );
    const failed = (await (await fetch(`${stack.host.url}/api/list?status=Failed`)).json()) as Status[];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((i) => i.runtimeStatus === 'Failed')).toBe(true);
  });

  it('refuses to start an id that is still running, then suspends, resumes, terminates and purges it', async () => {
    await start('approval', 'managed');
    await eventually(async () => ((await status('managed'))?.runtimeStatus === 'Running' ? true : undefined));
    const again = await post('manage/managed/start-again');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toContain('409');

    expect((await post('manage/managed/suspend')).status).toBe(202);
    await eventually(async () =>
      (await status('managed'))?.runtimeStatus === 'Suspended' ? true : undefined,
    );
    expect((await post('manage/managed/resume')).status).toBe(202);
    await eventually(async () => ((await status('managed'))?.runtimeStatus === 'Running' ? true : undefined));
    expect((await post('manage/managed/terminate')).status).toBe(202);
    const ended = await settled('managed');
    expect(ended).toMatchObject({ runtimeStatus: 'Terminated', output: 'stopped by test' });

    const purged = await fetch(`${stack.host.url}/api/manage/managed/purge`, { method: 'DELETE' });
    expect(await purged.json()).toEqual({ instancesDeleted: 1 });
    expect(await status('managed')).toBeUndefined();
    expect((await post('manage/managed/start-again')).status).toBe(202);
  });

  it('keeps instances and history in Azure Storage tables readable by any client', async () => {
    const table = TableClient.fromConnectionString(stack.azurite.connectionString, 'FixtureHubInstances', {
      allowInsecureConnection: true,
    });
    const instance = await table.getEntity<{ RuntimeStatus: string; Name: string }>('listed', 'instance');
    expect(instance).toMatchObject({ RuntimeStatus: 'Completed', Name: 'chain' });
    const rows: string[] = [];
    for await (const row of table.listEntities({ queryOptions: { filter: "PartitionKey eq 'listed'" } }))
      rows.push(row.rowKey!);
    expect(rows.some((key) => key.startsWith('history-'))).toBe(true);
  });
});
