// Durable HTTP through the engine and the library's own orchestrator wrapper: callHttp's
// request and response, and the 202 Location polling pattern on the hub's manual clock.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as df from 'durable-functions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../support/taskhub/engine-harness.js';

let server: Server;
let base: string;
let engine: Engine;
const seen: string[] = [];

beforeAll(async () => {
  let polls = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(
        `${req.method} ${req.url} ${req.headers['x-tenant'] ?? ''} ${Buffer.concat(chunks).toString()}`,
      );
      if (req.method === 'POST' && req.url === '/jobs') {
        res.writeHead(202, { location: '/jobs/7', 'retry-after': '5' }).end();
      } else if (req.url === '/jobs/7') {
        polls += 1;
        if (polls < 2) res.writeHead(202, { location: '/jobs/7' }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"done":true}');
      } else res.writeHead(404).end('nothing here');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const callHttp: df.OrchestrationHandler = function* (context) {
    const { url, method, polling } = context.df.getInput() as {
      url: string;
      method: string;
      polling: boolean;
    };
    const response = (yield context.df.callHttp({
      method,
      url,
      ...(method === 'POST' ? { body: { job: 'train' } } : {}),
      headers: { 'x-tenant': 'blue' },
      enablePolling: polling,
    })) as { statusCode: number; content: string };
    const after = (yield context.df.callActivity('echo', response.statusCode)) as number;
    return { statusCode: after, content: response.content };
  };
  engine = await createEngine({ orchestrators: { callHttp }, activities: { echo: (x) => x } });
});

afterAll(async () => {
  await engine?.stop();
  server?.close();
});

it('polls a 202 Location with GET after Retry-After until it answers, then carries on', async () => {
  const id = await engine.start('callHttp', { url: `${base}/jobs`, method: 'POST', polling: true });
  const status = await engine.runTimersUntil(id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toEqual({ statusCode: 200, content: '{"done":true}' });
  expect(seen.slice(0, 3)).toEqual([
    'POST /jobs blue {"job":"train"}',
    'GET /jobs/7 blue ',
    'GET /jobs/7 blue ',
  ]);
  const names = ((status.historyEvents ?? []) as { EventType: string }[]).map((e) => e.EventType);
  expect(names.filter((n) => n === 'TimerFired')).toHaveLength(2);
});

it('returns the 202 itself when polling is off, and 404s as responses, not failures', async () => {
  const off = await engine.start('callHttp', { url: `${base}/jobs`, method: 'POST', polling: false });
  expect((await engine.waitFor(off)).output).toEqual({ statusCode: 202, content: '' });
  const missing = await engine.start('callHttp', { url: `${base}/nope`, method: 'GET', polling: true });
  expect((await engine.waitFor(missing)).output).toEqual({ statusCode: 404, content: 'nothing here' });
});

it('fails the task, not the hub, when the endpoint cannot be reached', async () => {
  const id = await engine.start('callHttp', { url: 'http://127.0.0.1:1/x', method: 'GET', polling: true });
  const status = await engine.waitFor(id);
  expect(status.runtimeStatus).toBe('Failed');
  expect(String(status.output)).toContain('fetch failed');
});
