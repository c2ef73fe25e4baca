// The front door's origin rules in-process, over real HTTP: same-origin and listed origins may
// write (and get CORS headers and preflights), others may not.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFrontDoor } from '../../../local/host/http/http-server.js';
import { hostRoutes } from '../../../local/host/http/router.js';
import { createLogger } from '../../../local/host/logger.js';

let server: Server;
let url = '';

beforeAll(async () => {
  const routes = hostRoutes([
    {
      methods: ['GET', 'POST'],
      template: 'api/thing',
      auth: 'anonymous',
      handle: async () => ({ status: 200, body: { ok: true } }),
    },
  ]);
  server = createHttpFrontDoor({
    routes: () => routes,
    keys: { function: 'f', master: 'm', system: 's' },
    invoke: async () => {
      throw new Error('no functions here');
    },
    log: createLogger({ level: 'error' }),
    maxBodyBytes: 1024,
    cors: ['http://localhost:3000'],
    bodyIdleTimeoutMs: 1000,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/thing`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('front door origins', () => {
  it('lets a listed origin write, with CORS headers and a preflight', async () => {
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const post = await fetch(url, {
      method: 'POST',
      body: '{}',
      headers: { origin: 'http://localhost:3000' },
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it('refuses other origins on writes and preflights, and lets them read without CORS headers', async () => {
    const headers = { origin: 'https://evil.example' };
    const post = await fetch(url, { method: 'POST', body: '{}', headers });
    expect(post.status).toBe(403);
    expect(await post.json()).toMatchObject({ code: 'FORBIDDEN', field: 'origin' });
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { ...headers, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    const read = await fetch(url, { headers });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});
