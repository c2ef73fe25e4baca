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

describe('function index', () => {
  it('spells binding types the way the host knows them, whatever case the app used', async () => {
    const { settings } = await loadSettings(await mkdtemp(join(tmpdir(), 'index-')), {});
    const [web, queue] = indexFunctions(
      [
        registration('web', {
          req: { type: 'HTTPTRIGGER', direction: 'in' },
          res: { type: 'Http', direction: 'out' },
        }),
        registration('queue', {
          msg: { type: 'QueueTrigger', direction: 'in', queueName: 'q' },
          extra: { type: 'customThing', direction: 'out' },
        }),
      ],
      settings,
      ['queueTrigger', 'queue'],
    );
    expect(isHttpTrigger(web!)).toBe(true);
    expect(web!.outputs.map((b) => b.type)).toEqual(['http']);
    expect(queue!.trigger).toMatchObject({ name: 'msg', type: 'queueTrigger', queueName: 'q' });
    expect(queue!.outputs.map((b) => b.type)).toEqual(['customThing']);
  });

  it('refuses a function without exactly one trigger', async () => {
    const { settings } = await loadSettings(await mkdtemp(join(tmpdir(), 'index-')), {});
    expect(() =>
      indexFunctions([registration('none', { out: { type: 'http', direction: 'out' } })], settings),
    ).toThrow("function 'none' must have exactly one trigger; it has 0.");
  });
});
