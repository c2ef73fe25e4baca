// Function retry policies through the real host: timer functions of a v4 app declare
// fixedDelay and exponentialBackoff policies; each attempt sees context.retryContext, and the
// waits between attempts pass on the host's clock (moved ahead through /admin/clock).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { advanceHostClock } from '../../support/host.js';
import { hostOnAzurite } from '../../support/storage.js';

const appDir = fileURLToPath(new URL('../../fixtures/retry-app', import.meta.url));
const seconds = 1000;

describe('local host: function retry policies', () => {
  const stack = hostOnAzurite(appDir);
  const advance = (ms: number) => advanceHostClock(stack.host, stack.host.keys.master, ms);
  const attempts = (name: string) => stack.host.lines.filter((l) => l.includes(`${name} attempt `));

  it('retries timers by policy with retryContext, and ignores the policy of an HTTP function', async () => {
    await stack.host.waitForLine(/flakyTimer: Retry 1 of 3 in 30000 ms/);
    await stack.host.waitForLine(/doomedTimer: Retry 1 of 3 in 40000 ms/);
    await advance(30 * seconds);
    await stack.host.waitForLine(/flakyTimer: Retry 2 of 3 in 30000 ms/);
    await advance(10 * seconds);
    await stack.host.waitForLine(/doomedTimer: Retry 2 of 3 in 80000 ms/);
    await advance(20 * seconds);
    await stack.host.waitForLine(/flakyTimer done/);
    await advance(60 * seconds);
    await stack.host.waitForLine(/doomedTimer: Retry 3 of 3 in 120000 ms/);
    await advance(120 * seconds);
    await stack.host.waitForLine(/doomedTimer attempt retryCount=3/);
    await advance(600 * seconds);
    await fetch(`${stack.host.url}/api/hello`);

    expect(attempts('flakyTimer').map((l) => l.slice(l.indexOf('flakyTimer attempt')))).toEqual([
      'flakyTimer attempt retryCount=0 maxRetryCount=3 last=-',
      'flakyTimer attempt retryCount=1 maxRetryCount=3 last=flaky failure 0',
      'flakyTimer attempt retryCount=2 maxRetryCount=3 last=flaky failure 1',
    ]);
    expect(attempts('doomedTimer').map((l) => /retryCount=(\d)/.exec(l)?.[1])).toEqual(['0', '1', '2', '3']);
    expect(stack.host.count(/doomedTimer: Retry /)).toBe(3);
    expect(stack.host.lines.find((l) => l.includes("Function 'hello' has a retry policy"))).toMatch(
      /only to timerTrigger, cosmosDBTrigger, eventHubTrigger, kafkaTrigger; it is ignored for httpTrigger\./,
    );
  });
});
