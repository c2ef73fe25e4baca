// The invoker with the official @azure/functions library registering and converting, but no
// host around it: hooks in order, output bindings handed to the host, failures and timeouts.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreState } from '../../../local/host/core-api.js';
import type { Binding, Invoke, RegisteredFunction } from '../../../local/host/extension.js';
import { indexFunctions } from '../../../local/host/function-index.js';
import { toRpcHttpRequest } from '../../../local/host/http/rpc-http.js';
import { installCoreModule } from '../../../local/host/install-core-module.js';
import { createInvoker } from '../../../local/host/invoker.js';
import { createLogger } from '../../../local/host/logger.js';
import { loadSettings } from '../../../local/host/settings.js';
import { ManualClock } from '../../../shared/clock.js';
import { PlatformError } from '../../../shared/errors.js';

const events: string[] = [];
const logged: string[] = [];
const written: { binding: string; data: unknown }[] = [];
const outcomes: { result: unknown; error: unknown }[] = [];
const refused: string[] = [];
const clock = new ManualClock(0);
let invoke: Invoke;
let functions: Map<string, RegisteredFunction>;

const httpTrigger = (path: string) =>
  toRpcHttpRequest({
    method: 'GET',
    url: new URL(`http://127.0.0.1/api/${path}`),
    headers: {},
    params: {},
    body: Buffer.alloc(0),
  });
const call = (name: string) => invoke(functions.get(name)!, { trigger: httpTrigger(name) });

beforeAll(async () => {
  installCoreModule('test');
  const { app, output } = await import('@azure/functions');
  const queue = output.storageQueue({ queueName: 'out', connection: 'Storage' });
  app.hook.preInvocation((context) => {
    events.push(`pre ${context.invocationContext.functionName}`);
    try {
      (context as { hookData: unknown }).hookData = {};
    } catch (error) {
      refused.push((error as Error).message);
    }
  });
  app.hook.postInvocation((context) => {
    events.push(`post ${context.invocationContext.functionName}`);
    outcomes.push({ result: context.result, error: context.error });
  });
  app.hook.log((context) => {
    if (context.category === 'user')
      context.message = `[${context.invocationContext?.functionName}] ${context.message}`;
  });
  app.http('hello', {
    handler: async (_request, context) => {
      events.push('run hello');
      context.log('hello from the function');
      context.extraOutputs.set(queue, { sent: true });
      return { status: 201, body: 'made' };
    },
    extraOutputs: [queue],
  });
  app.http('missing', {
    handler: async () => {
      throw new PlatformError('NOT_FOUND', 'no such thing', { what: 'thing' });
    },
  });
  app.http('hangs', { handler: () => new Promise(() => {}) });

  const appDir = await mkdtemp(join(tmpdir(), 'invoker-'));
  const { settings } = await loadSettings(appDir, { Storage: 'UseDevelopmentStorage=true' });
  const index = indexFunctions(coreState.registrations.values(), settings, {
    triggers: [],
    inputs: [],
    outputs: ['queue'],
  });
  functions = new Map(index.functions.map((fn) => [fn.name, fn]));
  invoke = createInvoker({
    state: coreState,
    log: createLogger({ level: 'info', write: (line) => void logged.push(line) }),
    timeoutMs: 1_000,
    clock,
    resolveInput: async () => undefined,
    writeOutput: async (binding: Binding, data) => void written.push({ binding: binding.name, data }),
  });
});

describe('invoker', () => {
  it('runs the hooks around the function and hands its output bindings to the host', async () => {
    const response = await call('hello');
    expect(events).toEqual(['pre hello', 'run hello', 'post hello']);
    expect(response.returnValue?.http).toMatchObject({ statusCode: '201' });
    expect(written).toHaveLength(1);
    expect(written[0]!.binding).toMatch(/^queueOutput/);
    expect(written[0]!.data).toEqual({ json: JSON.stringify({ sent: true }) });
  });

  it('runs log hooks on the function’s logs, which may rewrite them, as the worker does', async () => {
    await call('hello');
    expect(logged.some((line) => line.includes('[hello] hello from the function'))).toBe(true);
  });

  it('rejects with the function’s own error, after the post-invocation hooks', async () => {
    await expect(call('missing')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { what: 'thing' } });
    expect(events.at(-1)).toBe('post missing');
  });

  it("refuses, as the worker does, a hook's assignment to its context's hookData", async () => {
    refused.length = 0;
    await call('hello');
    expect(refused).toEqual([expect.stringContaining("Cannot assign to read only property 'hookData'")]);
  });

  it('gives post-invocation hooks null for the result or error that did not happen, as the worker does', async () => {
    outcomes.length = 0;
    await call('hello');
    await call('missing').catch(() => undefined);
    expect(outcomes[0]).toMatchObject({ error: null, result: { status: 201 } });
    expect(outcomes[1]).toMatchObject({ result: null, error: { code: 'NOT_FOUND' } });
  });

  it("prints Core Tools' per-invocation lines", async () => {
    await call('hello');
    await call('missing').catch(() => undefined);
    const id = '[0-9a-f-]{36}';
    expect(logged).toContainEqual(
      expect.stringMatching(
        new RegExp(`Executed 'Functions.hello' \\(Succeeded, Id=${id}, Duration=\\d+ms\\)$`),
      ),
    );
    expect(logged).toContainEqual(
      expect.stringMatching(
        new RegExp(`Executed 'Functions.missing' \\(Failed, Id=${id}, Duration=\\d+ms\\)$`),
      ),
    );
  });

  it('fails an invocation past functionTimeout with TIMEOUT, on its clock', async () => {
    const running = call('hangs');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(1_000);
    await expect(running).rejects.toMatchObject({ code: 'TIMEOUT', status: 504 });
  });
});
