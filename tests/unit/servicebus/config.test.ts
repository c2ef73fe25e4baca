import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../local/servicebus/config.js';
import { parseIsoDuration } from '../../../local/servicebus/iso-duration.js';

const shipped = new URL('../../../local/servicebus/config.json', import.meta.url);

describe('emulator config', () => {
  it('ships drift-alerts with its retrain subscription and a demo queue', async () => {
    const config = parseConfig(JSON.parse(await readFile(shipped, 'utf8')), 'config.json');
    expect(config.topics.find((t) => t.name === 'drift-alerts')?.subscriptions.map((s) => s.name)).toContain(
      'retrain',
    );
    expect(config.queues.length).toBeGreaterThan(0);
  });

  it('applies Service Bus defaults and converts durations', () => {
    const config = parseConfig(
      {
        UserConfig: {
          Namespaces: [{ Name: 'ns', Queues: [{ Name: 'q', Properties: { LockDuration: 'PT5S' } }] }],
        },
      },
      'test',
    );
    expect(config.queues[0]).toMatchObject({
      settings: { lockDurationMs: 5000, maxDeliveryCount: 10, deadLetterOnExpiration: false },
      duplicateDetection: { enabled: false, windowMs: 600_000 },
    });
  });

  it('names the offending field', () => {
    expect(() =>
      parseConfig(
        {
          UserConfig: {
            Namespaces: [{ Name: 'ns', Queues: [{ Name: 'q', Properties: { LockDuration: '5 seconds' } }] }],
          },
        },
        'cfg.json',
      ),
    ).toThrow(
      /cfg\.json: UserConfig\.Namespaces\.0\.Queues\.0\.Properties\.LockDuration: must be an ISO 8601 duration/,
    );
    expect(() =>
      parseConfig(
        {
          UserConfig: {
            Namespaces: [{ Name: 'ns', Queues: [{ Name: 'q', Properties: { RequiresSession: true } }] }],
          },
        },
        'cfg.json',
      ),
    ).toThrow(/sessions are not supported/);
    expect(() =>
      parseConfig(
        { UserConfig: { Namespaces: [{ Name: 'ns', Queues: [{ Name: 'q' }], Topics: [{ Name: 'Q' }] }] } },
        'cfg.json',
      ),
    ).toThrow(/defined twice/);
  });

  it('refuses unsupported SQL filters at load', () => {
    const rules = [
      { Name: 'r', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: "a LIKE 'x%'" } } },
    ];
    expect(() =>
      parseConfig(
        {
          UserConfig: {
            Namespaces: [
              { Name: 'ns', Topics: [{ Name: 't', Subscriptions: [{ Name: 's', Rules: rules }] }] },
            ],
          },
        },
        'cfg.json',
      ),
    ).toThrow(/Unsupported SQL filter "?'?a LIKE/);
  });

  it.each([
    ['PT1M', 60_000],
    ['PT0.5S', 500],
    ['P14D', 14 * 86_400_000],
    ['P1DT2H', 26 * 3_600_000],
    ['PT', undefined],
    ['1 minute', undefined],
  ])('parses %s', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });
});
