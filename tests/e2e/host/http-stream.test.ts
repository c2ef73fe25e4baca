// An app that streams HTTP (`app.setup({ enableHttpStream: true })`): the host forwards requests
// to the library's own HTTP server and passes its responses on as they come, as Azure does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { bootHost, eventually, type HostProcess } from '../../support/host.js';
import { rawHttp } from '../../support/raw-http.js';

const appDir = fileURLToPath(new URL('../../fixtures/stream-app', import.meta.url));
const limit = 8 * 1024 * 1024;
let host: HostProcess;
const key = 'stream-function-key';

/** A streamed body of `count` chunks of 64 KiB, sent without a Content-Length. */
function chunked(count: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(7);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === count) return controller.close();
      sent += 1;
      controller.enqueue(chunk);
    },
  });
}
const upload = (body: RequestInit['body']) =>
  fetch(`${host.url}/api/upload?code=${key}`, { method: 'POST', body, duplex: 'half' } as RequestInit);

describe('local host: HTTP streaming', () => {
  beforeAll(async () => {
    host = await bootHost(appDir, {
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(limit),
      FUNCTIONS_REQUEST_BODY_IDLE_TIMEOUT_MS: '500',
    });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it("reaches the function through the library's proxy with params, query, headers and cookies", async () => {
    await host.waitForLine(
      /HTTP streaming: requests of HTTP functions go through the app's http:\/\/localhost:\d+\//,
    );
    const response = await fetch(`${host.url}/api/describe/42?q=x`, { headers: { 'x-test': 'yes' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: '42',
      q: 'x',
      header: 'yes',
      url: `${host.url}/api/describe/42?q=x`,
    });
    expect(response.headers.get('set-cookie')).toMatch(/^seen=yes;.*HttpOnly/i);
    await host.waitForLine(/Executed 'Functions\.describe' \(Succeeded, Id=[0-9a-f-]+, Duration=\d+ms\)/);
  });

  it('streams a request body to the function as it is sent, behind the key check', async () => {
    expect((await fetch(`${host.url}/api/upload`, { method: 'POST', body: 'x' })).status).toBe(401);
    const response = await upload(chunked(64));
    expect(response.status).toBe(200);
    const counted = (await response.json()) as { bytes: number; chunks: number };
    expect(counted.bytes).toBe(64 * 64 * 1024);
    expect(counted.chunks).toBeGreaterThan(1);
  });

  it('answers 413 for a body over the limit, declared or counted as it streams', async () => {
    const declared = await upload(new Uint8Array(limit + 1));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit });
    const streamed = await upload(chunked(2 * 128));
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit });
    expect((await upload(chunked(2))).status).toBe(200);
  });

  it('ends a streamed body that stalls instead of holding it, and keeps serving', async () => {
    const stalled = await rawHttp(
      host.url,
      `POST /api/upload?code=${key} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly ten..`,
      5_000,
    );
    expect([0, 408]).toContain(stalled.status);
    await host.waitForLine(/Executed 'Functions\.upload' \(Failed/);
    expect((await upload(chunked(2))).status).toBe(200);
  });

  it('passes the response on as the function writes it, before it is complete', async () => {
    const response = await fetch(`${host.url}/api/ticks`);
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    while (!received.includes('first\n')) received += (await reader.read()).value ?? '';
    expect(received).toBe('first\n');
    expect((await fetch(`${host.url}/api/release`, { method: 'POST' })).status).toBe(202);
    for (let part = await reader.read(); !part.done; part = await reader.read()) received += part.value;
    expect(received).toBe('first\nlast\n');
  });

  it('takes a client that leaves mid-response in its stride', async () => {
    const finished = /Executed 'Functions\.ticks' \(Succeeded/;
    const before = host.count(finished);
    const leaving = new AbortController();
    const response = await fetch(`${host.url}/api/ticks`, { signal: leaving.signal });
    const reader = response.body!.getReader();
    await reader.read();
    leaving.abort();
    expect((await fetch(`${host.url}/api/release`, { method: 'POST' })).status).toBe(202);
    await eventually(
      () => (host.count(finished) > before ? true : undefined),
      10_000,
      'the left ticks to finish',
    );
    expect((await fetch(`${host.url}/api/describe/2`)).status).toBe(200);
    expect(host.lines.filter((line) => / ERROR /.test(line) && /ticks|Request failed/.test(line))).toEqual(
      [],
    );
  });

  it('answers a failing function 500 without its stack, and one that returns nothing 204', async () => {
    const failed = await fetch(`${host.url}/api/fails`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain('stream kaboom');
    await host.waitForLine(/Executed 'Functions\.fails' \(Failed/);
    expect((await fetch(`${host.url}/api/nothing`)).status).toBe(204);
    expect((await fetch(`${host.url}/api/describe/1`)).status).toBe(200);
  });
});
