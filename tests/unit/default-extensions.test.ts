// The extension bundle loads an extension's module only for an app that uses one of its types,
// and the types it declares without loading are the ones the module registers.
import { describe, expect, it } from 'vitest';
import { defaultExtensions, extensionModules } from '../../local/default-extensions.js';
import type { HostContext, HostExtension, RegisteredFunction } from '../../local/host/extension.js';
import { lazyExtension } from '../../local/lazy-extension.js';

const fn = (type: string, inputs: string[] = []): RegisteredFunction => ({
  name: `f-${type}`,
  id: type,
  trigger: { name: 'trigger', type, direction: 'in' },
  inputs: inputs.map((t) => ({ name: t, type: t, direction: 'in' as const })),
  outputs: [],
});
const host = (functions: RegisteredFunction[]) => ({ functions }) as unknown as HostContext;

describe('default extensions', () => {
  it.each(Object.entries(extensionModules))(
    '%s declares the types its module registers',
    async (name, entry) => {
      const real = await entry.load();
      expect(real.name).toBe(name);
      const keys = (map: object | undefined) => Object.keys(map ?? {}).sort();
      expect(keys(real.triggers)).toEqual([...(entry.types.triggers ?? [])].sort());
      expect(keys(real.inputs)).toEqual([...(entry.types.inputs ?? [])].sort());
      expect(keys(real.outputs)).toEqual([...(entry.types.outputs ?? [])].sort());
      expect(defaultExtensions().find((e) => e.name === name)).toBeDefined();
    },
  );

  it('loads a module only when a function uses its types, then delegates to it', async () => {
    let loads = 0;
    const calls: string[] = [];
    const real: HostExtension = {
      name: 'x',
      triggers: { xTrigger: () => ({ start: async () => void calls.push('listen'), stop: async () => {} }) },
      inputs: { xIn: async () => ({ string: 'in' }) },
      routes: () => [
        { methods: ['GET'], template: 'x', auth: 'system', handle: async () => ({ status: 200 }) },
      ],
      start: async () => void calls.push('start'),
    };
    const load = async () => {
      loads += 1;
      return real;
    };
    const unused = lazyExtension('x', { triggers: ['xTrigger'], inputs: ['xIn'] }, load);
    await unused.start!(host([fn('httpTrigger')]));
    expect(loads).toBe(0);
    expect(unused.routes!(host([]))).toEqual([]);

    const used = lazyExtension('x', { triggers: ['xTrigger'], inputs: ['xIn'] }, load);
    const context = host([fn('httpTrigger', ['xIn'])]);
    await used.start!(context);
    expect(loads).toBe(1);
    expect(used.routes!(context)).toHaveLength(1);
    await used.triggers!.xTrigger!(fn('xTrigger'), context).start();
    expect(
      await used.inputs!.xIn!(
        fn('xIn').trigger,
        { invocationId: 'i', fn: fn('x'), trigger: {}, triggerMetadata: {} },
        context,
      ),
    ).toEqual({
      string: 'in',
    });
    expect(calls).toEqual(['start', 'listen']);
    expect(loads).toBe(1);
  });
});
