import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexFunctions, isHttpTrigger } from '../../../local/host/function-index.js';
import { loadSettings } from '../../../local/host/settings.js';

const registration = (name: string, bindings: Record<string, Record<string, unknown>>) => ({
  metadata: { name, bindings: bindings as never },
  callback: () => undefined,
});
const settingsWith = async (env: Record<string, string> = {}) =>
  (await loadSettings(await mkdtemp(join(tmpdir(), 'index-')), env)).settings;
const queueSupport = { triggers: ['queueTrigger'], inputs: [], outputs: ['queue'] };

describe('function index', () => {
  it('spells binding types the way the host knows them, whatever case the app used', async () => {
    const { functions, skipped } = indexFunctions(
      [
        registration('web', {
          req: { type: 'HTTPTRIGGER', direction: 'in' },
          res: { type: 'Http', direction: 'out' },
        }),
        registration('queue', {
          msg: { type: 'QueueTrigger', direction: 'in', queueName: 'q' },
          extra: { type: 'QUEUE', direction: 'out' },
        }),
      ],
      await settingsWith(),
      queueSupport,
    );
    const [web, queue] = functions;
    expect(skipped).toEqual([]);
    expect(isHttpTrigger(web!)).toBe(true);
    expect(web!.outputs.map((b) => b.type)).toEqual(['http']);
    expect(queue!.trigger).toMatchObject({ name: 'msg', type: 'queueTrigger', queueName: 'q' });
    expect(queue!.outputs.map((b) => b.type)).toEqual(['queue']);
  });

  it('leaves out, with the reason, functions whose trigger or bindings no extension supports, before resolving their settings', async () => {
    const { functions, skipped } = indexFunctions(
      [
        registration('hub', { e: { type: 'eventHubTrigger', direction: 'in', eventHubName: '%NOT_SET%' } }),
        registration('sql', {
          req: { type: 'httpTrigger', direction: 'in' },
          rows: { type: 'sql', direction: 'in' },
          out: { type: 'sql', direction: 'out' },
        }),
        registration('fine', { msg: { type: 'queueTrigger', direction: 'in', queueName: 'q' } }),
      ],
      await settingsWith(),
      queueSupport,
    );
    expect(functions.map((fn) => fn.name)).toEqual(['fine']);
    expect(skipped).toEqual([
      {
        name: 'hub',
        reason: "the local host does not support its trigger 'eventHubTrigger'",
        disabled: false,
      },
      {
        name: 'sql',
        reason: "the local host does not support its input 'sql', output 'sql'",
        disabled: false,
      },
    ]);
  });

  it('leaves out functions disabled with AzureWebJobs.<name>.Disabled, even with unset settings', async () => {
    const { functions, skipped } = indexFunctions(
      [
        registration('off', { t: { type: 'queueTrigger', direction: 'in', queueName: '%NOT_SET%' } }),
        registration('on', { t: { type: 'queueTrigger', direction: 'in', queueName: 'q' } }),
        registration('also', { t: { type: 'queueTrigger', direction: 'in', queueName: 'q' } }),
      ],
      await settingsWith({ 'AzureWebJobs.off.Disabled': 'True', 'AzureWebJobs.also.Disabled': 'false' }),
      queueSupport,
    );
    expect(functions.map((fn) => fn.name)).toEqual(['on', 'also']);
    expect(skipped).toEqual([
      { name: 'off', reason: 'disabled by AzureWebJobs.off.Disabled', disabled: true },
    ]);
  });

  it('refuses a function without exactly one trigger', async () => {
    const settings = await settingsWith();
    expect(() =>
      indexFunctions([registration('none', { out: { type: 'http', direction: 'out' } })], settings),
    ).toThrow("function 'none' must have exactly one trigger; it has 0.");
  });
});
