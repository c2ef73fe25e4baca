// An app like Microsoft's own test app: entry points from a brace glob, a disabled function, and
// functions whose trigger or bindings the local host lacks. The host lists those with a warning
// and runs the rest (or refuses to start when LOCAL_HOST_STRICT_BINDINGS asks it to); it prints
// Core Tools' start-up and per-invocation lines; a port in use is one line, and emulators the
// failed start began are stopped.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isListening } from '../../../local/stack/ensure-emulators.js';
import { freePort } from '../../support/free-port.js';
import { bootHost, type HostProcess } from '../../support/host.js';

const appDir = fileURLToPath(new URL('../../fixtures/partial-app', import.meta.url));
const cli = fileURLToPath(new URL('../../../local/host-cli.ts', import.meta.url));

describe('local host: loading an app it can only partly run', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await bootHost(appDir);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('loads every entry point of a brace glob and prints the lines tools wait for', async () => {
    await host.waitForLine(/^index\.js loaded$/);
    await host.waitForLine(/Worker process started and initialized\./);
    await host.waitForLine(/^Functions:$/);
    await host.waitForLine(/^ {2}hello: \[GET\] http:\/\/127\.0\.0\.1:\d+\/api\/hello$/);
    await host.waitForLine(/Host lock lease acquired by instance ID '[0-9a-f]{32}'\./);
    expect(host.count(/^ {2}(hub|rows|off):/)).toBe(0);
  });

  it('warns about each function it cannot run, naming what is missing, and runs the rest', async () => {
    await host.waitForLine(/WARN .*Function 'hub' is not started: .*trigger 'eventHubTrigger'/);
    await host.waitForLine(/WARN .*Function 'rows' is not started: .*input 'sql', output 'sql'/);
    await host.waitForLine(/Function 'off' is disabled by AzureWebJobs\.off\.Disabled; not started\./);
    const response = await fetch(`${host.url}/api/hello?name=ada&name=bob`);
    // Azure's host hands the worker a repeated key once, its values comma-joined.
    expect(await response.json()).toEqual({ names: 'ada,bob' });
    await host.waitForLine(/Executed 'Functions\.hello' \(Succeeded, Id=[0-9a-f-]{36}, Duration=\d+ms\)/);
  });

  it('answers 404 with an empty body for functions it did not start', async () => {
    for (const path of ['rows', 'off']) {
      const response = await fetch(`${host.url}/api/${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toBe('');
    }
  });
});

describe('local host: refusing to start', () => {
  it('fails naming the functions it cannot run when LOCAL_HOST_STRICT_BINDINGS is set', async () => {
    await expect(bootHost(appDir, { LOCAL_HOST_STRICT_BINDINGS: 'true' })).rejects.toThrow(
      /Host failed to start: LOCAL_HOST_STRICT_BINDINGS is set and 'hub' \(.*eventHubTrigger.*\), 'rows'/,
    );
  });

  it('says in one line that the port is in use, and stops the emulators it started', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--app', appDir, '--port', String(port)], {
      env: {
        ...process.env,
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        AZURITE_BLOB_PORT: String(blob),
        AZURITE_QUEUE_PORT: String(queue),
        AZURITE_TABLE_PORT: String(table),
        AZURITE_WORKSPACE: await mkdtemp(join(tmpdir(), 'partial-azurite-')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    taken.close();
    expect(code).toBe(1);
    expect(stdout).toMatch(/Azurite started on 127\.0\.0\.1:\d+/);
    expect(stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^Host failed to start: Port ${port} is unavailable; close the process using it`),
    );
    expect(
      stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('Host failed')),
    ).toHaveLength(1);
    expect(await isListening(blob)).toBe(false);
  });
});
