// Crash safety: the host process is killed (SIGKILL) while work is in flight; a new host on
// the same storage finishes the orchestration from its persisted history with the right
// output, and every decision appears once in the history. The durable timer is an hour long and
// fires when the test moves the second host's clock (LOCAL_HOST_CLOCK=manual).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Azurite } from '../../local/emulators/azurite.js';
import { advanceHostClock, bootHost, eventually, type HostProcess } from '../support/host.js';
import { startTestAzurite } from '../support/storage.js';

const appDir = fileURLToPath(new URL('../fixtures/durable-app', import.meta.url));

let azurite: Azurite;
const hosts: HostProcess[] = [];
beforeAll(async () => {
  azurite = await startTestAzurite();
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await azurite?.stop();
});

const boot = async () => {
  const host = await bootHost(appDir, {
    AzureWebJobsStorage: azurite.connectionString,
    LOCAL_HOST_CLOCK: 'manual',
  });
  hosts.push(host);
  return host;
};

it('finishes a fan-out and a timer after the host is killed mid-flight', async () => {
  const first = await boot();
  const n = 12;
  const started = await fetch(`${first.url}/api/start/crashFan/crash-1`, {
    method: 'POST',
    body: JSON.stringify({ n, delayMs: 1_500, timerMs: 3_600_000 }),
  });
  expect(started.status).toBe(202);
  // maxConcurrentActivityFunctions is 4: four activities run, eight wait, the timer is armed.
  await eventually(
    () => (first.count(/slowSquare started/) >= 4 ? true : undefined),
    20_000,
    'activities to start',
  );
  expect(first.count(/slowSquare done/)).toBe(0);
  await first.kill();

  const second = await boot();
  await second.waitForLine(/Task hub resumes 1 unfinished instance/);
  // A timer armed after the move is already due, so the order does not matter.
  await advanceHostClock(second, 'durable-master-key', 3_600_000);
  const done = await eventually(
    async () => {
      const response = await fetch(`${second.url}/api/status/crash-1`);
      const body = (await response.json()) as { runtimeStatus: string; output: unknown };
      return body.runtimeStatus === 'Running' || body.runtimeStatus === 'Pending' ? undefined : body;
    },
    40_000,
    'the orchestration to finish on the second host',
  );
  expect(done).toMatchObject({
    runtimeStatus: 'Completed',
    output: {
      sum: Array.from({ length: n }, (_, i) => i * i).reduce((a, b) => a + b, 0),
      after: 'Hello after the crash',
    },
  });
  // Activities are at-least-once: the ones cut off by the kill ran again on the second host.
  for (let i = 0; i < n; i++) expect(second.count(new RegExp(`slowSquare done ${i}$`))).toBe(1);
});

it('survives repeated kills during a chain, deciding every step exactly once', async () => {
  let host = await boot();
  const n = 16;
  const started = await fetch(`${host.url}/api/start/slowSequence/chain-1`, {
    method: 'POST',
    body: JSON.stringify({ n, delayMs: 150 }),
  });
  expect(started.status).toBe(202);
  for (let kill = 0; kill < 3; kill++) {
    const current = host;
    await eventually(
      () => (current.count(/slowSquare done/) >= 2 ? true : undefined),
      20_000,
      `progress before kill ${kill + 1}`,
    );
    await current.kill();
    host = await boot();
  }
  const done = await eventually(
    async () => {
      const response = await fetch(`${host.url}/api/status/chain-1?history=true`);
      const body = (await response.json()) as {
        runtimeStatus: string;
        output: unknown;
        history: { EventType: string }[];
      };
      return body.runtimeStatus === 'Completed' ? body : undefined;
    },
    40_000,
    'the chain to finish',
  );
  expect(done.output).toBe(Array.from({ length: n }, (_, i) => i * i).reduce((a, b) => a + b, 0));
  expect(done.history.filter((e) => e.EventType === 'TaskCompleted')).toHaveLength(n);
  // Four host boots: on a busy shared runner each takes several seconds.
}, 180_000);
