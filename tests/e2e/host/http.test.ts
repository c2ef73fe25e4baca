// `npm run host -- --app DIR` on an app that is not this project's: HTTP functions over real
// HTTP, keys, JSON errors and the body limit, plus an hourly timer fired by moving the host's
// manual clock (LOCAL_HOST_CLOCK=manual), against Azurite on free ports.
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Azurite } from '../../../local/emulators/azurite.js';
import { advanceHostClock, bootHost, eventually, type HostProcess } from '../../support/host.js';
import { rawHttp } from '../../support/raw-http.js';
import { startTestAzurite } from '../../support/storage.js';

const appDir = fileURLToPath(new URL('../../fixtures/http-app', import.meta.url));
const key = 'fixture-function-key';
const masterKey = 'fixture-master-key';

describe('local host: HTTP functions', () => {
  let azurite: Azurite;
  let host: HostProcess;
  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await bootHost(appDir, {
      AzureWebJobsStorage: azurite.connectionString,
      FUNCTIONS_REQUEST_BODY_IDLE_TIMEOUT_MS: '300',
      TICK_SCHEDULE: '0 0 * * * *',
      LOCAL_HOST_CLOCK: 'manual',
    });
  });
  afterAll(async () => {
    await host?.stop();
    expect(host?.lines).toContain('appTerminate');
    await azurite?.stop();
  });

  it('routes parameters and constraints to the function with a function key', async () => {
    const response = await fetch(`${host.url}/api/greet/ada/2?q=x`, { headers: { 'x-functions-key': key } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'hello adahello ada', query: 'x' });
    const viaCode = await fetch(`${host.url}/api/greet/bob?code=${key}`);
    expect(await viaCode.json()).toEqual({ message: 'hello bob', query: null });
    await host.waitForLine(/Functions\.greet \(Id=[0-9a-f-]+\): greeting bob/);
  });

  it('runs app and invocation hooks around functions', async () => {
    await host.waitForLine(/^appStart$/);
    await fetch(`${host.url}/api/greet/eve?code=${key}`);
    await host.waitForLine(/preInvocation greet/);
    await host.waitForLine(/postInvocation greet hookData=true/);
  });

  it('answers 401 without a valid key, and admin routes need the master key', async () => {
    for (const headers of [{}, { 'x-functions-key': 'wrong' }] as Record<string, string>[]) {
      const response = await fetch(`${host.url}/api/greet/ada`, { headers });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe('UNAUTHORIZED');
    }
    expect((await fetch(`${host.url}/api/admin-only?code=${key}`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/admin-only?code=fixture-master-key`)).status).toBe(200);
  });

  it('answers a path no function serves 404 with an empty body, as Azure does, and 405 as JSON', async () => {
    const missing = await fetch(`${host.url}/api/nothing/here`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
    const constraint = await fetch(`${host.url}/api/greet/123?code=${key}`);
    expect(constraint.status).toBe(404);
    const wrongMethod = await fetch(`${host.url}/api/echo`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, PUT');
    expect(await wrongMethod.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', allowed: ['POST', 'PUT'] });
  });

  it('passes bodies, status, headers and cookies through, and refuses bodies over the limit', async () => {
    const response = await fetch(`${host.url}/api/echo`, { method: 'POST', body: 'ping' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('set-cookie')).toContain('session=abc');
    expect(await response.text()).toBe('ping');
    const tooLarge = await fetch(`${host.url}/api/echo`, { method: 'POST', body: 'x'.repeat(2048) });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a foreign or malformed Host with 400, before the key check', async () => {
    for (const hostHeader of ['evil.example', '[bad', 'localhost.evil.example:7071']) {
      const reply = await rawHttp(host.url, `GET /api/greet/ada HTTP/1.1\r\nHost: ${hostHeader}\r\n\r\n`);
      expect(reply.status, hostHeader).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({ code: 'INVALID_INPUT', field: 'host' });
    }
  });

  it('refuses dot segments instead of resolving them onto another route', async () => {
    const reply = await rawHttp(
      host.url,
      `GET /api/echo/../admin-only?code=fixture-master-key HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    );
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ field: 'path' });
  });

  it('refuses cross-origin writes unless CORS lists the origin', async () => {
    const post = (origin: string) =>
      rawHttp(
        host.url,
        `POST /api/echo HTTP/1.1\r\nHost: ${new URL(host.url).host}\r\nOrigin: ${origin}\r\nContent-Length: 2\r\n\r\nhi`,
      );
    const foreign = await post('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ code: 'FORBIDDEN', field: 'origin' });
    expect((await post(new URL(host.url).origin)).status).toBe(201);
    const preflight = await fetch(`${host.url}/api/echo`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(await preflight.json()).toMatchObject({
      code: 'FORBIDDEN',
      field: 'origin',
      error: expect.stringContaining('https://evil.example'),
    });
  });

  it('refuses a body on GET at once and ends a stalled body instead of holding it', async () => {
    const getWithBody = await rawHttp(
      host.url,
      `GET /api/boom HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 104857600\r\n\r\n${'x'.repeat(100)}`,
    );
    expect(getWithBody.status).toBe(413);
    const stalled = await rawHttp(
      host.url,
      `POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly ten..`,
      5_000,
    );
    expect([0, 408]).toContain(stalled.status);
    expect((await fetch(`${host.url}/api/echo`, { method: 'POST', body: 'ok' })).status).toBe(201);
  });

  it('does not log a client that goes away mid-body as an error', async () => {
    const { hostname, port } = new URL(host.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.write(`POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly ten..`);
    socket.destroy();
    await once(socket, 'close');
    expect((await fetch(`${host.url}/api/echo`, { method: 'POST', body: 'after' })).status).toBe(201);
    await host.waitForLine(/Executed 'Functions\.echo' \(Succeeded/);
    expect(host.lines.filter((line) => /ERROR/.test(line) && /aborted|ECONNRESET/i.test(line))).toEqual([]);
  });

  it('logs a failing function with its stack, answers 500 without it, and keeps serving', async () => {
    const response = await fetch(`${host.url}/api/boom`);
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(JSON.stringify(body)).not.toContain('kaboom');
    await host.waitForLine(/Executed 'Functions\.boom' \(Failed, Id=[0-9a-f-]+, Duration=\d+ms\)/);
    await host.waitForLine(
      /Functions\.boom \(Id=.*Exception while executing function: Functions\.boom\. Error: kaboom/,
    );
    await host.waitForLine(/^\s+at /);
    expect((await fetch(`${host.url}/api/echo`, { method: 'PUT', body: 'still up' })).status).toBe(201);
  });

  it('runs the timer from a %Setting% schedule when the host clock reaches each occurrence', async () => {
    expect(host.count(/tick isPastDue/)).toBe(0);
    for (const ticks of [1, 2]) {
      // The timer arms itself once it holds its lease; move an hour at a time until it fires.
      await eventually(
        async () => {
          if (host.count(/tick isPastDue=false/) >= ticks) return true;
          await advanceHostClock(host, masterKey, 3_600_000);
          return undefined;
        },
        10_000,
        `tick ${ticks}`,
      );
    }
  });

  it('moves the clock only with the master key, and only forward', async () => {
    const move = (body: unknown, headerKey: string) =>
      fetch(`${host.url}/admin/clock`, {
        method: 'POST',
        headers: { 'x-functions-key': headerKey },
        body: JSON.stringify(body),
      });
    expect((await move({ advanceMs: 1 }, key)).status).toBe(401);
    const backwards = await move({ to: '2000-01-01T00:00:00Z' }, masterKey);
    expect(backwards.status).toBe(400);
    expect(await backwards.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
  });
});
