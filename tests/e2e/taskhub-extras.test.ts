// Durable entities, durable HTTP, activity binding expressions and the status API's codes on
// the local host, through a fixture app written against the official libraries, with Azurite
// on free ports. The host's clock is manual, so the test moves it past durable HTTP's waits.
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { advanceHostClock, eventually } from '../support/host.js';
import { hostOnAzurite } from '../support/storage.js';

const appDir = fileURLToPath(new URL('../fixtures/durable-extras-app', import.meta.url));
const systemKey = 'extras-system-key';
const masterKey = 'extras-master-key';

interface Status {
  runtimeStatus: string;
  output: unknown;
  input: unknown;
}

describe('durable entities, durable HTTP and activity bindings on the local host', () => {
  const stack = hostOnAzurite(appDir, { LOCAL_HOST_CLOCK: 'manual' });

  const webhook = (path: string, query = '') =>
    `${stack.host.url}/runtime/webhooks/durabletask/${path}?code=${systemKey}${query}`;
  const start = async (name: string, id: string, input?: unknown) => {
    const response = await fetch(`${stack.host.url}/api/start/${name}/${id}`, {
      method: 'POST',
      ...(input === undefined ? {} : { body: JSON.stringify(input) }),
    });
    expect(response.status).toBe(202);
    return (await response.json()) as Record<string, string>;
  };
  const ended = (id: string, advanceMs = 0) =>
    eventually(async () => {
      if (advanceMs) await advanceHostClock(stack.host, masterKey, advanceMs);
      const status = (await (await fetch(webhook(`instances/${id}`))).json()) as Status;
      return ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus) ? status : undefined;
    });

  it('signals and reads an entity through the durable client and the entity HTTP API', async () => {
    const signal = await fetch(`${stack.host.url}/api/counter/c1?op=add`, { method: 'POST', body: '5' });
    expect(signal.status).toBe(202);
    const read = await eventually(async () => {
      const response = await fetch(`${stack.host.url}/api/counter/c1`);
      return response.status === 200 ? await response.json() : undefined;
    });
    expect(read).toEqual({ entityExists: true, entityState: 5 });

    const posted = await fetch(webhook('entities/Counter/c1', '&op=add'), { method: 'POST', body: '2' });
    expect(posted.status).toBe(202);
    await eventually(async () => {
      const response = await fetch(webhook('entities/Counter/c1'));
      return response.status === 200 && (await response.json()) === 7 ? true : undefined;
    });
    const missing = await fetch(webhook('entities/Counter/nobody'));
    expect(missing.status).toBe(404);
    expect(await fetch(`${stack.host.url}/api/counter/nobody`).then((r) => r.json())).toEqual({
      entityExists: false,
    });

    const listed = await fetch(webhook('entities/Counter', '&fetchState=true'));
    expect(await listed.json()).toContainEqual(
      expect.objectContaining({ entityId: { name: 'counter', key: 'c1' }, state: 7 }),
    );
    const status = await fetch(webhook(`instances/${encodeURIComponent('@counter@c1')}`));
    expect(await status.json()).toMatchObject({
      name: 'counter',
      runtimeStatus: 'Running',
      input: { exists: true, state: '7' },
    });
  });

  it('signals, locks and calls an entity from an orchestration', async () => {
    await start('countTo', 'count-1', { key: 'c2', steps: 3 });
    expect(await ended('count-1')).toMatchObject({ runtimeStatus: 'Completed', output: 3 });
  });

  it('follows a 202 Location with durable HTTP as the clock passes Retry-After', async () => {
    await start('fetchReport', 'report-1', `${stack.host.url}/api/reports`);
    const status = await ended('report-1', 60_000);
    expect(status).toMatchObject({
      runtimeStatus: 'Completed',
      output: { statusCode: 200, report: { id: 'r-2026', polls: 2 } },
    });
  });

  it('resolves an activity output binding path from the activity input', async () => {
    const files = [
      { backupPath: 'team-a/model.json', content: '{"w":1}' },
      { backupPath: 'team-b.txt', content: 'two' },
    ];
    await start('backupAll', 'backup-1', files);
    expect(await ended('backup-1')).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['backups/team-a/model.json', 'backups/team-b.txt'],
    });
    const container = BlobServiceClient.fromConnectionString(
      stack.azurite.connectionString,
    ).getContainerClient('backups');
    const text = async (name: string) => (await container.getBlobClient(name).downloadToBuffer()).toString();
    expect(await text('team-a/model.json')).toBe('{"w":1}');
    expect(await text('team-b.txt')).toBe('two');
  });

  it('answers the status API with the codes the extension uses', async () => {
    const failing = await start('fails', 'fails-1');
    await ended('fails-1');
    const failed = await fetch(failing.statusQueryGetUri!);
    expect(failed.status).toBe(200);
    expect(((await failed.json()) as Status).runtimeStatus).toBe('Failed');
    const as500 = await fetch(`${failing.statusQueryGetUri}&returnInternalServerErrorOnFailure=true`);
    expect(as500.status).toBe(500);
    expect(((await as500.json()) as Status).runtimeStatus).toBe('Failed');

    const waiting = await start('waits', 'waits-1');
    const running = await eventually(async () => {
      const response = await fetch(waiting.statusQueryGetUri!);
      return ((await response.clone().json()) as Status).runtimeStatus === 'Running' ? response : undefined;
    });
    expect(running.status).toBe(202);
    expect(running.headers.get('location')).toContain('/instances/waits-1');
    const terminate = waiting.terminatePostUri!.replace('{text}', 'done');
    expect((await fetch(terminate, { method: 'POST' })).status).toBe(202);
    await ended('waits-1');
    expect((await fetch(waiting.statusQueryGetUri!)).status).toBe(200);
  });
});
