// The Durable HTTP API handlers as plain functions over the in-memory backend: status codes
// and bodies as the Azure extension answers them, validation at the edge, paging.
import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/clock.js';
import { durableClientData } from '../../../local/taskhub/client-data.js';
import { createClientOperations } from '../../../local/taskhub/client-operations.js';
import { createDurableHttpApi, type ApiRequest } from '../../../local/taskhub/durable-http-api.js';
import { EventType } from '../../../local/taskhub/history.js';
import { createMemoryBackend } from '../../../local/taskhub/memory-backend.js';
import type { TaskHubBackend } from '../../../local/taskhub/backend.js';

const clientData = durableClientData({
  hubName: 'Hub',
  hostUrl: 'http://127.0.0.1:7071',
  systemKey: 'sys',
  rpcBaseUrl: 'http://127.0.0.1:9/durabletask/',
});

const request = (
  method: string,
  path: string,
  body = '',
  headers: Record<string, string> = {},
): ApiRequest => {
  const url = new URL(path, 'http://x/');
  return {
    method,
    segments: url.pathname.slice(1).split('/').map(decodeURIComponent),
    query: url.searchParams,
    headers,
    body: Buffer.from(body),
  };
};

describe('durable HTTP API', () => {
  let backend: TaskHubBackend;
  let api: ReturnType<typeof createDurableHttpApi>;
  beforeEach(() => {
    backend = createMemoryBackend();
    const ops = createClientOperations({
      backend,
      clock: systemClock,
      hasOrchestrator: (name) => name === 'orch',
      notify: () => {},
    });
    api = createDurableHttpApi(ops, clientData.managementUrls, 'history', () => {});
  });

  const complete = async (id: string) => {
    const item = (await backend.loadWorkItem(id))!;
    await backend.commit(item, {
      instance: { ...item.instance, status: 'Completed', output: '42' },
      newEvents: [],
      consumedMessageIds: [],
      outbox: [],
    });
  };

  it('starts an instance and answers with its management links', async () => {
    const response = await api(request('POST', 'orchestrators/orch/my id', '{"n":1}'));
    expect(response.status).toBe(202);
    const body = response.body as Record<string, string>;
    expect(body.id).toBe('my id');
    expect(body.statusQueryGetUri).toBe(
      'http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/my%20id?taskHub=Hub&connection=Storage&code=sys',
    );
    expect(response.headers?.location).toBe(body.statusQueryGetUri);
    const status = await api(request('GET', 'instances/my id'));
    expect(status).toMatchObject({
      status: 202,
      body: { instanceId: 'my id', name: 'orch', runtimeStatus: 'Pending', input: { n: 1 }, output: null },
    });
    expect((await api(request('GET', 'instances/my id?showInput=false'))).body).toMatchObject({
      input: null,
    });
  });

  it('refuses a second start of a running id, unknown functions and bad bodies', async () => {
    await api(request('POST', 'orchestrators/orch/dup'));
    expect(await api(request('POST', 'orchestrators/orch/dup'))).toMatchObject({
      status: 409,
      body: { code: 'CONFLICT' },
    });
    expect(await api(request('POST', 'orchestrators/missing'))).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await api(request('POST', 'orchestrators/orch', '{not json'))).toMatchObject({
      status: 400,
      body: { code: 'INVALID_INPUT', field: 'body' },
    });
    await complete('dup');
    expect((await api(request('POST', 'orchestrators/orch/dup'))).status).toBe(202);
  });

  it('answers 200 for completed, 404 for unknown, and 410 for commands to ended instances', async () => {
    await api(request('POST', 'orchestrators/orch/done'));
    await complete('done');
    expect(await api(request('GET', 'instances/done'))).toMatchObject({
      status: 200,
      body: { runtimeStatus: 'Completed', output: 42 },
    });
    expect(await api(request('GET', 'instances/nobody'))).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', instanceId: 'nobody' },
    });
    expect((await api(request('POST', 'instances/nobody/raiseEvent/go', '1'))).status).toBe(404);
    expect(await api(request('POST', 'instances/done/raiseEvent/go', '1'))).toMatchObject({
      status: 410,
      body: { code: 'GONE', instanceId: 'done' },
    });
    expect((await api(request('POST', 'instances/done/terminate?reason=x'))).status).toBe(410);
    expect(await api(request('POST', 'instances/done/rewind?reason=x'))).toMatchObject({
      status: 501,
      body: { code: 'NOT_IMPLEMENTED', action: 'rewind' },
    });
  });

  it('queues events and control commands for running instances', async () => {
    await api(request('POST', 'orchestrators/orch/live'));
    expect((await api(request('POST', 'instances/live/raiseEvent/go', '{"a":1}'))).status).toBe(202);
    expect((await api(request('POST', 'instances/live/suspend?reason=wait'))).status).toBe(202);
    expect((await api(request('POST', 'instances/live/terminate?reason=bye'))).status).toBe(202);
    const events = (await backend.loadWorkItem('live'))!.messages.map((m) => m.event);
    expect(events.map((e) => e.EventType)).toEqual([
      EventType.ExecutionStarted,
      EventType.EventRaised,
      EventType.ExecutionSuspended,
      EventType.ExecutionTerminated,
    ]);
    expect(events[1]).toMatchObject({ Name: 'go', Input: '{"a":1}' });
    expect(events[3]).toMatchObject({ Input: '"bye"' });
  });

  it('lists with filters and continuation tokens, and purges only ended instances', async () => {
    for (const id of ['a', 'b', 'c']) await api(request('POST', `orchestrators/orch/${id}`));
    await complete('b');
    const first = await api(request('GET', 'instances?top=2'));
    expect((first.body as unknown[]).length).toBe(2);
    const token = first.headers?.['x-ms-continuation-token'];
    expect(token).toBeDefined();
    const second = await api(request('GET', 'instances?top=2', '', { 'x-ms-continuation-token': token! }));
    expect((second.body as { instanceId: string }[]).map((s) => s.instanceId)).toEqual(['c']);
    const completed = await api(request('GET', 'instances?runtimeStatus=Completed'));
    expect((completed.body as { instanceId: string }[]).map((s) => s.instanceId)).toEqual(['b']);
    expect(await api(request('GET', 'instances?runtimeStatus=Sleeping'))).toMatchObject({
      status: 400,
      body: { code: 'INVALID_INPUT' },
    });

    expect((await api(request('DELETE', 'instances/a'))).status).toBe(404);
    expect(await api(request('DELETE', 'instances/b'))).toMatchObject({
      status: 200,
      body: { instancesDeleted: 1 },
    });
    expect(await api(request('DELETE', 'instances?runtimeStatus=Completed'))).toMatchObject({ status: 404 });
  });
});

describe('durable client data', () => {
  it('is what the durable-functions DurableClient builds its links from', () => {
    const { DurableClient } = createRequire(import.meta.url)(
      'durable-functions/lib/src/durableClient/DurableClient.js',
    ) as {
      DurableClient: new (data: unknown) => {
        createHttpManagementPayload(id: string): Record<string, string>;
      };
    };
    const links = new DurableClient(clientData).createHttpManagementPayload('abc');
    expect(links).toMatchObject({
      id: 'abc',
      statusQueryGetUri:
        'http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/abc?taskHub=Hub&connection=Storage&code=sys',
      sendEventPostUri:
        'http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/abc/raiseEvent/{eventName}?taskHub=Hub&connection=Storage&code=sys',
      terminatePostUri:
        'http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/abc/terminate?reason={text}&taskHub=Hub&connection=Storage&code=sys',
    });
  });
});
