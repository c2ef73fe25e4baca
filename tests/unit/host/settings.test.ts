import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexFunctions } from '../../../local/host/function-index.js';
import { loadSettings } from '../../../local/host/settings.js';

async function appWith(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'settings-'));
  for (const [name, content] of Object.entries(files))
    await writeFile(join(dir, name), JSON.stringify(content));
  return dir;
}

describe('settings', () => {
  it('creates local.settings.json from the sample and lets the environment win', async () => {
    const dir = await appWith({ 'local.settings.sample.json': { Values: { A: 'from-file', B: 'b' } } });
    const { settings, createdLocalSettings } = await loadSettings(dir, { A: 'from-env' });
    expect(createdLocalSettings).toBe(true);
    expect(JSON.parse(await readFile(join(dir, 'local.settings.json'), 'utf8')).Values.B).toBe('b');
    expect(settings.get('A')).toBe('from-env');
    expect(settings.resolve('%B%-x', 'test')).toBe('b-x');
  });

  it('reads host.json with defaults', async () => {
    const dir = await appWith({ 'host.json': { version: '2.0', extensions: { http: { routePrefix: '' } } } });
    const { settings } = await loadSettings(dir, {});
    expect(settings.hostJson.extensions.http.routePrefix).toBe('');
    expect(settings.hostJson.extensions.queues.maxDequeueCount).toBe(5);
  });

  it('fails at start for a setting that a binding needs, naming both', async () => {
    const { settings } = await loadSettings(await appWith({}), {});
    const registration = {
      metadata: {
        name: 'nightly',
        bindings: { timer: { type: 'timerTrigger', direction: 'in' as const, schedule: '%NIGHTLY%' } },
      },
      callback: () => undefined,
    };
    const support = { triggers: ['timerTrigger'], inputs: [], outputs: [] };
    expect(() => indexFunctions([registration], settings, support)).toThrow(
      "Setting 'NIGHTLY' is missing; function 'nightly' needs it. Add it to Values in local.settings.json or set it in the environment.",
    );
  });

  it('reports malformed JSON with the file named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settings-'));
    await writeFile(join(dir, 'host.json'), '{ nope');
    await expect(loadSettings(dir, {})).rejects.toThrow(/host\.json is not valid JSON/);
  });

  it('generates random keys into local.settings.json once, unless a setting gives them', async () => {
    const dir = await appWith({
      'local.settings.sample.json': { Values: { FUNCTIONS_MASTER_KEY: 'given' } },
    });
    const first = await loadSettings(dir, { FUNCTIONS_SYSTEM_KEY: 'from-env' });
    expect(first.generatedKeys).toEqual(['FUNCTIONS_FUNCTION_KEY']);
    const key = first.settings.get('FUNCTIONS_FUNCTION_KEY')!;
    expect(key).toMatch(/^[\w-]{32}$/);
    const stored = JSON.parse(await readFile(join(dir, 'local.settings.json'), 'utf8'));
    expect(stored.Values).toMatchObject({ FUNCTIONS_FUNCTION_KEY: key, FUNCTIONS_MASTER_KEY: 'given' });
    const again = await loadSettings(dir, { FUNCTIONS_SYSTEM_KEY: 'from-env' });
    expect(again.generatedKeys).toEqual([]);
    expect(again.settings.get('FUNCTIONS_FUNCTION_KEY')).toBe(key);
    const other = await loadSettings(await appWith({}), {});
    expect(other.settings.get('FUNCTIONS_FUNCTION_KEY')).not.toBe(key);
  });

  it('reads the CORS origins of Host.CORS', async () => {
    const dir = await appWith({
      'local.settings.json': { Values: {}, Host: { CORS: 'http://localhost:3000/, https://app.example' } },
    });
    expect((await loadSettings(dir, {})).cors).toEqual(['http://localhost:3000', 'https://app.example']);
  });
});
