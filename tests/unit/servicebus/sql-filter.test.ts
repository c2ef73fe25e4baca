import { describe, expect, it } from 'vitest';
import type { FilterProperties } from '../../../local/servicebus/amqp-message.js';
import { compileRules } from '../../../local/servicebus/rule-filter.js';
import { compileSqlFilter } from '../../../local/servicebus/sql-filter.js';

const message = (
  application: Record<string, unknown>,
  system: Record<string, unknown> = {},
): FilterProperties => ({ application, system });

describe('SQL filters', () => {
  it.each([
    ['1=1', {}, true],
    ['1=0', {}, false],
    ["severity = 'high'", { severity: 'high' }, true],
    ["Severity = 'high'", { severity: 'high' }, true],
    ['score > 0.5 AND score <= 1', { score: 0.7 }, true],
    ['score > 0.5 AND score <= 1', { score: 0.2 }, false],
    ["region <> 'eu' OR urgent = TRUE", { region: 'eu', urgent: true }, true],
    ["NOT (region = 'eu')", { region: 'us' }, true],
    ['missing IS NULL', {}, true],
    ['user.missing IS NOT NULL', {}, false],
    ["name = 'it''s'", { name: "it's" }, true],
    ["[odd-name] = 'x'", { 'odd-name': 'x' }, true],
    ['count = 1', { count: '1' }, false],
  ])('%s on %j is %s', (expression, properties, expected) => {
    expect(compileSqlFilter(expression)(message(properties))).toBe(expected);
  });

  it('reads system properties with sys.', () => {
    expect(compileSqlFilter("sys.Label = 'churn'")(message({}, { Label: 'churn' }))).toBe(true);
  });

  it('refuses what it cannot evaluate rather than guessing', () => {
    expect(() => compileSqlFilter("region LIKE 'e%'")).toThrow(/Unsupported SQL filter/);
    expect(() => compileSqlFilter('a = ')).toThrow(/unexpected end/);
    expect(() => compileSqlFilter('a = 1 )')).toThrow(/unexpected/);
  });
});

describe('subscription rules', () => {
  it('matches a correlation filter on every property it names', () => {
    const filter = compileRules([
      {
        Name: 'r',
        Properties: {
          FilterType: 'Correlation',
          CorrelationFilter: { Subject: 'churn', Properties: { region: 'eu' } },
        },
      },
    ]);
    expect(filter(message({ region: 'eu' }, { Subject: 'churn' }))).toBe(true);
    expect(filter(message({ region: 'us' }, { Subject: 'churn' }))).toBe(false);
  });

  it('passes everything without rules and anything one rule matches', () => {
    expect(compileRules([])(message({}))).toBe(true);
    const either = compileRules([
      { Name: 'a', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: 'x = 1' } } },
      { Name: 'b', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: 'y = 1' } } },
    ]);
    expect(either(message({ y: 1 }))).toBe(true);
    expect(either(message({ z: 1 }))).toBe(false);
  });
});
