// `npm start` as a user runs it (after `npm run build`): every emulator and the host come up on
// the ports given by environment variables, /api/health answers 200, and Ctrl-C stops it all.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isListening } from '../../local/stack/ensure-emulators.js';
import { freePort } from '../support/free-port.js';
import { eventually } from '../support/host.js';

const start = fileURLToPath(new URL('../../dist/local/start.js', import.meta.url));

/** Pids whose command line contains `needle` (arguments separated by NUL, as in /proc). */
async function processesMatching(needle: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const matches = await Promise.all(
    pids.map(async (pid) =>
      (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes(needle) ? Number(pid) : 0,
    ),
  );
  return matches.filter((pid) => pid > 0);
}

async function launch(env: Record<string, string> = {}) {
  const ports = {
    FUNCTIONS_HTTP_PORT: await freePort(),
    AZURITE_BLOB_PORT: await freePort(),
    AZURITE_QUEUE_PORT: await freePort(),
    AZURITE_TABLE_PORT: await freePort(),
    COSMOS_EMULATOR_PORT: await freePort(),
    SERVICEBUS_EMULATOR_PORT: await freePort(),
    TRAINING_POOL_PORT: await freePort(),
  };
  const workspace = await mkdtemp(join(tmpdir(), 'start-'));
  const child = spawn(process.execPath, [start], {
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      AZURITE_WORKSPACE: workspace,
      SERVICEBUS_EMULATOR_DATA: join(workspace, 'servicebus'),
      TRAINING_POOL_DATA: join(workspace, 'pool'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stream = { output: '' };
  child.stdout.on('data', (chunk: Buffer) => (stream.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stream.output += chunk.toString()));
  const healthy = () =>
    eventually(
      async () => {
        const response = await fetch(`http://127.0.0.1:${ports.FUNCTIONS_HTTP_PORT}/api/health`).catch(
          () => undefined,
        );
        return response?.status === 200
          ? ((await response.json()) as { dependencies: Record<string, { status: string }> })
          : undefined;
      },
      60_000,
      '/api/health to answer 200',
    );
  return { ports, workspace, child, stream, healthy };
}

describe('npm start', () => {
  it('answers /api/health with 200 within 60 s and stops cleanly on Ctrl-C', async () => {
    const { ports, child, stream, healthy } = await launch();
    const startedAt = Date.now();
    try {
      const health = await healthy();
      expect(Date.now() - startedAt).toBeLessThan(60_000);
      expect(Object.values(health.dependencies).every((d) => d.status === 'ok')).toBe(true);
      expect(await isListening(ports.SERVICEBUS_EMULATOR_PORT)).toBe(true);
      expect(await isListening(ports.TRAINING_POOL_PORT)).toBe(true);
      await eventually(
        () => (stream.output.includes('Press Ctrl-C to stop.') ? true : undefined),
        10_000,
        'the summary',
      );
      expect(stream.output).toContain(`http://127.0.0.1:${ports.FUNCTIONS_HTTP_PORT}/api`);
      expect(stream.output).toContain('Function key');
    } finally {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    expect(child.exitCode).toBe(0);
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
  });

  it('starts a killed emulator again, and stops everything when one keeps dying', async () => {
    const { ports, workspace, child, stream, healthy } = await launch({ EMULATOR_MAX_RESTARTS: '1' });
    const killServiceBus = async () => {
      const pids = await processesMatching(`--data\0${join(workspace, 'servicebus')}`);
      expect(pids).toHaveLength(1);
      process.kill(pids[0]!, 'SIGKILL');
    };
    try {
      await healthy();
      await killServiceBus();
      await eventually(
        () => (stream.output.includes('Service Bus emulator is running again') ? true : undefined),
        30_000,
        'the Service Bus emulator to be restarted',
      );
      expect(await isListening(ports.SERVICEBUS_EMULATOR_PORT)).toBe(true);
      expect(child.exitCode).toBeNull();
      await killServiceBus();
      await once(child, 'exit');
    } finally {
      child.kill('SIGKILL');
    }
    expect(stream.output).toMatch(/Service Bus emulator exited .*giving up/);
    expect(child.exitCode).toBe(1);
    expect(await isListening(ports.FUNCTIONS_HTTP_PORT)).toBe(false);
    expect(await isListening(ports.COSMOS_EMULATOR_PORT)).toBe(false);
  });
});
