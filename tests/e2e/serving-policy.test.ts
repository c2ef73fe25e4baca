// The serving policy through the host with real emulators: traffic split and sticky sessions,
// shadow traffic that never changes answers, a promotion under load with every answer naming
// the version that computed it, and automatic rollback of a failing alias (registry rollback
// while baking, traffic to 0 for a challenger in a split) decided from counts in Table storage.
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/host.js';
import { oneFeatureModel, register } from '../support/served-models.js';
import { servingKey, startServingStack, type ServingStack } from '../support/serving-stack.js';

let stack: ServingStack;

interface Answer {
  version: number;
  alias: string;
  predictions: string[];
  probabilities: number[][];
}

/** Registers healthy versions 1 and 2 (different answers) and, when asked, a faulty version 3. */
async function twoVersions(model: string, faulty = false): Promise<void> {
  await register(
    stack.registry,
    stack.artifacts,
    model,
    'run-1',
    oneFeatureModel({ faulty: false, shift: 0 }),
  );
  await register(
    stack.registry,
    stack.artifacts,
    model,
    'run-2',
    oneFeatureModel({ faulty: false, shift: 1 }),
  );
  if (faulty)
    await register(stack.registry, stack.artifacts, model, 'run-3', oneFeatureModel({ faulty: true }));
}

async function putServing(model: string, serving: unknown): Promise<void> {
  const response = await stack.call(`/registry/models/${model}`, {
    method: 'PUT',
    body: JSON.stringify({ task: 'binary', serving }),
  });
  expect(response.status, await response.text()).toBeLessThan(300);
}

const score = (model: string, x0: number, headers: Record<string, string> = {}) =>
  stack.call(`/models/${model}/score`, { method: 'POST', body: JSON.stringify({ rows: [{ x0 }] }), headers });

/** Runs `count` calls, `concurrency` at a time, and returns their results in order. */
async function pool<T>(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await call(index);
      }
    }),
  );
  return results;
}

beforeAll(async () => {
  stack = await startServingStack({
    SCORING_REFRESH_SECONDS: '1',
    SCORING_STATS_FLUSH_SECONDS: '1',
    SCORING_CAPTURE_FLUSH_SECONDS: '1',
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('serving policy', () => {
  it('splits traffic within 3 points of the configured percent over 2,000 requests', async () => {
    await twoVersions('split');
    await stack.registry.promote('split', 'champion', 1, { actor: 'test' });
    await stack.registry.promote('split', 'challenger', 2, { actor: 'test' });
    await putServing('split', { traffic: { champion: 70, challenger: 30 } });
    await eventually(async () =>
      (await score('split', 0.5)).headers.get('x-model-alias') === 'challenger' ? true : undefined,
    );
    const aliases = await pool(2000, 16, async () =>
      (await score('split', 0.5)).headers.get('x-model-alias'),
    );
    const challenger = aliases.filter((alias) => alias === 'challenger').length / aliases.length;
    expect(aliases.every((alias) => alias === 'champion' || alias === 'challenger')).toBe(true);
    expect(Math.abs(challenger * 100 - 30)).toBeLessThanOrEqual(3);
  }, 180_000);

  it('keeps a sticky session on one alias', async () => {
    await putServing('split', { traffic: { champion: 50, challenger: 50 }, stickyHeader: 'x-session-id' });
    const sessions = Array.from({ length: 40 }, (_, i) => `session-${i}`);
    const aliasesBySession = async () => {
      const seen = await pool(sessions.length * 5, 8, async (index) => {
        const session = sessions[index % sessions.length]!;
        const response = await score('split', 0.5, { 'x-session-id': session });
        return [session, response.headers.get('x-model-alias')] as const;
      });
      const bySession = new Map<string, Set<string | null>>();
      for (const [session, alias] of seen)
        bySession.set(session, (bySession.get(session) ?? new Set()).add(alias));
      return bySession;
    };
    // Until the new policy is picked up (within the refresh interval) sessions may still move.
    const bySession = await eventually(async () => {
      const found = await aliasesBySession();
      return [...found.values()].every((aliases) => aliases.size === 1) ? found : undefined;
    });
    const used = new Set([...bySession.values()].flatMap((aliases) => [...aliases]));
    expect(used).toEqual(new Set(['champion', 'challenger']));
  });

  it('mirrors requests to the shadow alias without changing any answer, and captures the shadow result', async () => {
    await twoVersions('shadowed');
    await stack.registry.promote('shadowed', 'champion', 1, { actor: 'test' });
    await stack.registry.promote('shadowed', 'challenger', 2, { actor: 'test' });
    const expected = (await (await score('shadowed', 0.25, {})).json()) as Answer;
    await putServing('shadowed', { shadow: { alias: 'challenger', percent: 100 } });
    const logs = stack.blobs.getContainerClient('inference-logs');
    await logs.createIfNotExists();
    const capturedRows = async (prefix: string) => {
      const rows: Record<string, unknown>[] = [];
      for await (const blob of logs.listBlobsFlat({ prefix: 'shadowed/' })) {
        const text = (await logs.getBlobClient(blob.name).downloadToBuffer()).toString();
        rows.push(
          ...text
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        );
      }
      return rows.filter((row) => row.shadow === true && String(row.requestId).startsWith(prefix));
    };
    let probe = 0;
    await eventually(async () => {
      await score('shadowed', 0.25, { 'x-request-id': `probe-${probe++}` });
      return (await capturedRows('probe-')).length > 0 ? true : undefined;
    });
    const answers = await pool(60, 8, async (index) => {
      const response = await score('shadowed', 0.25, { 'x-request-id': `shadow-${index}` });
      return (await response.json()) as Answer;
    });
    expect(answers.every((a) => a.alias === 'champion' && a.version === 1)).toBe(true);
    expect(
      answers.every((a) => JSON.stringify(a.probabilities) === JSON.stringify(expected.probabilities)),
    ).toBe(true);
    const shadowRows = await eventually(async () => {
      const shadows = await capturedRows('shadow-');
      return shadows.length === 60 ? shadows : undefined;
    }, 20_000);
    expect(shadowRows.every((row) => row.alias === 'challenger' && row.version === 2)).toBe(true);
  });

  it('rolls a failing alias back while it bakes, recording the reason in its history', async () => {
    await twoVersions('baking', true);
    await stack.registry.promote('baking', 'champion', 1, { actor: 'test' });
    await putServing('baking', { autoRollback: { minRequests: 20, maxErrorRate: 0.1, bakeMinutes: 15 } });
    await stack.registry.promote('baking', 'champion', 3, { actor: 'test' });
    const history = await eventually(async () => {
      await pool(10, 5, (i) => score('baking', i % 2 === 0 ? 5 : 0.5));
      const events = await stack.registry.aliasHistory('baking', 'champion');
      return events.at(-1)?.kind === 'rollback' ? events : undefined;
    }, 30_000);
    expect(history.at(-1)).toMatchObject({ kind: 'rollback', from: 3, to: 1, actor: 'auto-rollback' });
    expect(history.at(-1)?.reason).toMatch(/error rate .* passed maxErrorRate 0.1/);
    await eventually(async () => ((await score('baking', 5)).status === 200 ? true : undefined), 10_000);
  });

  it('takes a failing challenger in a split out of traffic with a spec change', async () => {
    await twoVersions('drained', true);
    await stack.registry.promote('drained', 'champion', 1, { actor: 'test' });
    await stack.registry.promote('drained', 'challenger', 3, { actor: 'test' });
    await putServing('drained', {
      traffic: { champion: 50, challenger: 50 },
      autoRollback: { minRequests: 10, maxErrorRate: 0.2 },
    });
    const traffic = await eventually(async () => {
      await pool(10, 5, () => score('drained', 5));
      const share = (await stack.registry.getModel('drained')).spec.serving.traffic;
      return share?.challenger === 0 ? share : undefined;
    }, 30_000);
    expect(traffic).toEqual({ champion: 50, challenger: 0 });
    await eventually(async () => {
      const statuses = await pool(20, 5, async () => (await score('drained', 5)).status);
      return statuses.every((status) => status === 200) ? true : undefined;
    }, 10_000);
  });

  it('promotes under load with no errors, every answer from the version it names', async () => {
    await twoVersions('live');
    await stack.registry.promote('live', 'champion', 1, { actor: 'test' });
    const expected = new Map<number, string>();
    for (const version of [1, 2]) {
      const answer = (await (
        await stack.call(`/models/live/score?version=${version}`, {
          method: 'POST',
          body: JSON.stringify({ rows: [{ x0: 0.3 }] }),
        })
      ).json()) as Answer;
      expected.set(version, JSON.stringify(answer.probabilities));
    }
    const seen: { at: number; version: number; consistent: boolean }[] = [];
    let promotedAt = Number.POSITIVE_INFINITY;
    const promotion = new Promise<void>((resolve) =>
      setTimeout(() => {
        void stack.registry.promote('live', 'champion', 2, { actor: 'test' }).then(() => {
          promotedAt = Date.now();
          resolve();
        });
      }, 1500),
    );
    const result = await autocannon({
      url: `${stack.host.url}/api/models/live/score`,
      connections: 8,
      duration: 5,
      requests: [
        {
          method: 'POST',
          headers: { 'x-functions-key': servingKey, 'content-type': 'application/json' },
          body: JSON.stringify({ rows: [{ x0: 0.3 }] }),
          onResponse: (status, body, _context, headers) => {
            const answer = JSON.parse(body) as Answer;
            const header = Number((headers as Record<string, string>)['x-model-version']);
            seen.push({
              at: Date.now(),
              version: answer.version,
              consistent:
                status === 200 &&
                header === answer.version &&
                expected.get(header) === JSON.stringify(answer.probabilities),
            });
          },
        },
      ],
    });
    await promotion;
    expect(result.errors + result.non2xx + result.timeouts).toBe(0);
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.every((s) => s.consistent)).toBe(true);
    // Refresh every second, the new version pre-loaded before it is handed out: 3 s is ample.
    const late = seen.filter((s) => s.at > promotedAt + 3000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((s) => s.version === 2)).toBe(true);
    expect(seen.some((s) => s.version === 1)).toBe(true);
  });
});
