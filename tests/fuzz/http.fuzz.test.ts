// Hostile HTTP against the host's front door and the registry API, on loopback, over bare
// sockets (so nothing normalises the request on the way): every write carries at least one
// fault (no key, a wrong key, a bad name, a bad body, a foreign Host or Origin, dot segments,
// no or a stale If-Match, a bad actor), and the suite asserts that no answer is a 5xx, every
// write is refused with a 4xx, the registry reads exactly as before, the host still serves,
// and its memory stays bounded, also under concurrent oversized bodies. Seeded (FUZZ_SEED).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Random } from '../../shared/data/prng.js';
import { rawHttp } from '../support/raw-http.js';
import { startRegistryHost, type RegistryHost } from '../support/registry-host.js';
import { newVersion } from '../support/registry/fixtures.js';
import { fuzzRandom, integer, junkString, junkValue, pick, residentBytes, wellFormed } from './junk.js';

const key = 'fuzz-function-key';
const models = '/api/registry/models';
let registry: RegistryHost;
let origin = '';

beforeAll(async () => {
  registry = await startRegistryHost(
    'registry-fuzz',
    async (store) => {
      for (const run of ['run-1', 'run-2', 'run-3']) await store.registerVersion(newVersion('churn', run));
      await store.promote('churn', 'champion', 2, { actor: 'seed' });
    },
    { FUNCTIONS_FUNCTION_KEY: key, FUNCTIONS_MASTER_KEY: 'fuzz-master-key' },
  );
  origin = registry.host.url;
});

afterAll(async () => {
  await registry?.stop();
});

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

function send(request: Request): Promise<number> {
  const host = request.headers.host ?? new URL(origin).host;
  const headers = Object.entries({ ...request.headers, host })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const body = Buffer.from(request.body);
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${headers}content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
  return rawHttp(origin, Buffer.concat([Buffer.from(head, 'latin1'), body])).then((reply) => reply.status);
}

/** Everything a reader of the registry can see. */
async function snapshot(): Promise<string> {
  const paths = ['', '/churn', '/churn/versions?archived=true', '/churn/aliases/champion', '/churn/lineage'];
  const bodies = await Promise.all(
    paths.map(async (path) => {
      const response = await fetch(`${origin}${models}${path}`, { headers: { 'x-functions-key': key } });
      return `${response.status} ${await response.text()}`;
    }),
  );
  return bodies.join('\n');
}

const segment = (random: Random): string =>
  random() < 0.3
    ? pick(random, ['..', '.', '%2e%2E', '%2F', '%00', 'Churn', 'a'.repeat(70)])
    : encodeURIComponent(wellFormed(junkString(random, 40)));

type Fault = (request: Request, random: Random) => void;

// Each fault alone makes a write fail; routes that could succeed get at least one.
const faults: Record<string, Fault> = {
  noKey: (r) => delete r.headers['x-functions-key'],
  wrongKey: (r, random) =>
    (r.headers['x-functions-key'] = junkString(random, 30).replace(/[^\x21-\x7e]/g, 'k') || 'k'),
  foreignHost: (r, random) =>
    (r.headers.host = pick(random, ['evil.example', '[bad', 'localhost.evil.example', '10.0.0.1:80'])),
  crossOrigin: (r, random) =>
    (r.headers.origin = pick(random, ['https://evil.example', 'null', 'http://localhost:1'])),
  dotSegment: (r) => (r.path = r.path.replace(`${models}/`, `${models}/x/../`)),
  badBody: (r, random) =>
    (r.body = pick(random, [
      () => JSON.stringify(junkValue(random)),
      () => `{"task":"binary","gates":${'['.repeat(integer(random, 20_000))}`,
      () => `${'{"a":'.repeat(40 + integer(random, 5000))}1${'}'.repeat(5040)}`,
      () => junkString(random, 2000),
      () => `{"description":"${'x'.repeat(1_100_000)}"}`,
      () => '',
    ])()),
  badActor: (r, random) =>
    (r.headers['x-ms-client-principal-name'] = 'a'.repeat(257 + integer(random, 8000))),
};

function junkRequest(random: Random): Request {
  const request: Request = {
    method: pick(random, ['GET', 'GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']),
    path: '',
    headers: {
      'x-functions-key': key,
      'content-type': pick(random, ['application/json', 'text/plain', 'x/y']),
    },
    body: '',
  };
  const route = integer(random, 7);
  const version = pick(random, ['0', '-1', '99', '1.5', 'latest', segment(random)]);
  request.path = [
    `${models}/${segment(random)}`,
    `${models}/churn`,
    `${models}/churn/versions/${version}`,
    `${models}/churn/versions/${version}/archive`,
    `${models}/churn/aliases/${random() < 0.6 ? 'champion' : segment(random)}`,
    `${models}/churn/aliases/champion/rollback`,
    `${models}/churn/lineage?${wellFormed(junkString(random, 40))}`,
  ][route]!;
  if (random() < 0.2)
    request.path += `${request.path.includes('?') ? '&' : '?'}${segment(random)}=${segment(random)}`;
  if (random() < 0.5) request.body = JSON.stringify({ version: pick(random, [1, 2, 3, 0, 'x']) });
  if (random() < 0.3)
    request.headers['if-match'] = pick(random, [
      '"1"',
      '"999"',
      '*',
      junkString(random, 20).replace(/[\r\n]/g, ''),
    ]);
  // Writes to a model's spec, an alias or an archive could succeed: give each at least one fault.
  const names = Object.keys(faults);
  const chosen = new Set([pick(random, names)]);
  while (random() < 0.3) chosen.add(pick(random, names));
  if (route === 4 || route === 5) {
    if (request.headers['if-match'] === '*' || request.headers['if-match'] === '"1"')
      delete request.headers['if-match'];
  }
  for (const name of chosen) faults[name]!(request, random);
  return request;
}

/** Streams a chunked body of up to `total` bytes until the server answers; the status. */
function streamBody(path: string, total: number): Promise<number> {
  const { port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answered = false;
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      answered = true;
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0));
      socket.destroy();
    });
    socket.on('error', () => resolve(0));
    socket.on('close', () => resolve(0));
    socket.write(
      `PUT ${path} HTTP/1.1\r\nhost: ${new URL(origin).host}\r\nx-functions-key: ${key}\r\ntransfer-encoding: chunked\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`))
          return void socket.once('drain', pump);
      }
      if (!answered) socket.write('0\r\n\r\n');
    };
    pump();
  });
}

describe('front door and registry API under fuzzing', () => {
  it('answers thousands of hostile requests with no 5xx, refuses every write, and changes nothing', async () => {
    const pid = registry.host.process.pid!;
    const before = await snapshot();
    const rssBefore = await residentBytes(pid);
    let rssPeak = rssBefore;
    const random = fuzzRandom(2);
    const outcomes: { request: Request; status: number }[] = [];
    for (let batch = 0; batch < 150; batch += 1) {
      const requests = Array.from({ length: 8 }, () => junkRequest(random));
      const statuses = await Promise.all(requests.map(send));
      requests.forEach((request, i) => outcomes.push({ request, status: statuses[i]! }));
      if (batch % 25 === 0) rssPeak = Math.max(rssPeak, await residentBytes(pid));
    }
    // Raw junk: request lines and headers no client library would send.
    for (let i = 0; i < 200; i += 1) {
      const line = pick(random, [
        () => `${junkString(random, 10)} /api/health HTTP/1.1`,
        () => `GET ${junkString(random, 200)} HTTP/1.1`,
        () => `GET /api/registry/models HTTP/${junkString(random, 4)}`,
        () => `GET http://evil.example/api/registry/models?code=${key} HTTP/1.1`,
      ])();
      const reply = await rawHttp(
        origin,
        `${line}\r\nhost: ${new URL(origin).host}\r\n${junkString(random, 100)}: x\r\n\r\n`,
      );
      outcomes.push({ request: { method: 'RAW', path: line, headers: {}, body: '' }, status: reply.status });
    }

    const serverErrors = outcomes.filter((o) => o.status >= 500);
    expect(
      serverErrors.map((o) => `${o.status} ${o.request.method} ${o.request.path.slice(0, 120)}`),
    ).toEqual([]);
    const acceptedWrites = outcomes.filter(
      (o) => !['GET', 'HEAD', 'OPTIONS', 'RAW'].includes(o.request.method) && o.status < 400,
    );
    expect(acceptedWrites.map((o) => `${o.status} ${o.request.method} ${o.request.path}`)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(1000);
    expect(await snapshot()).toBe(before);
    rssPeak = Math.max(rssPeak, await residentBytes(pid));
    expect(rssPeak - rssBefore).toBeLessThan(300 * 1024 * 1024);
  });

  it('refuses concurrent oversized bodies while they stream in, with memory bounded', async () => {
    const pid = registry.host.process.pid!;
    const rssBefore = await residentBytes(pid);
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () => streamBody(`${models}/churn`, 64 * 1024 * 1024)),
    );
    expect(statuses).toEqual([413, 413, 413, 413, 413]);
    expect((await residentBytes(pid)) - rssBefore).toBeLessThan(100 * 1024 * 1024);
    const health = await fetch(`${origin}${models}`, { headers: { 'x-functions-key': key } });
    expect(health.status).toBe(200);
  });
});
