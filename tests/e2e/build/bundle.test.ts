// The build's bundle (build/bundle.ts, what `npm start` and a deployment run): the bundled host
// serves the bundled product capabilities with the real emulators. Files the code finds beside
// its own module (package.json, the console's build) are still found, and a registered model
// scores through the bundled data plane and the external onnxruntime binding.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, trainedModel } from '../../support/served-models.js';
import { startServingStack, type ServingStack } from '../../support/serving-stack.js';

const { name, version } = createRequire(import.meta.url)('../../../package.json') as {
  name: string;
  version: string;
};
let stack: ServingStack;

beforeAll(async () => {
  stack = await startServingStack(
    {},
    { capabilities: ['health', 'console', 'scoring', 'inference-v2'], bundled: true },
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the bundled app under the bundled host', () => {
  it('reads package.json and the console build from where its sources were compiled', async () => {
    const health = await stack.call('/health');
    expect(health.status).toBe(200);
    expect(((await health.json()) as { app: unknown }).app).toEqual({ name, version });
    expect(((await (await stack.call('/v2')).json()) as { version: string }).version).toBe(version);
    const console = await stack.call('/console');
    expect(console.status).toBe(200);
    expect(console.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('scores a registered model', async () => {
    const { bytes } = trainedModel();
    const registered = await register(stack.registry, stack.artifacts, 'bundled', 'run-1', bytes);
    await stack.registry.promote('bundled', 'champion', registered, { actor: 'test' });
    const row = { x0: 0.5, x1: -1, x2: 2, x3: 0, colour: 'red' };
    const response = await stack.call('/models/bundled/score', {
      method: 'POST',
      body: JSON.stringify({ rows: [row, row] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-model-version')).toBe(String(registered));
    const body = (await response.json()) as { probabilities: number[][] };
    expect(body.probabilities).toHaveLength(2);
    expect(body.probabilities[0]![0]! + body.probabilities[0]![1]!).toBeCloseTo(1, 5);
  });
});
