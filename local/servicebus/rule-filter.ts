// A subscription receives a message when any of its rules matches (Service Bus semantics);
// a subscription without rules gets the default rule, `1=1`.
import type { FilterProperties } from './amqp-message.js';
import type { RuleConfig } from './config.js';
import { compileSqlFilter } from './sql-filter.js';

export type MessageFilter = (properties: FilterProperties) => boolean;

const correlationSystemProperties = [
  'CorrelationId',
  'MessageId',
  'To',
  'ReplyTo',
  'Label',
  'Subject',
  'SessionId',
  'ReplyToSessionId',
  'ContentType',
] as const;

export function compileRules(rules: readonly RuleConfig[]): MessageFilter {
  if (rules.length === 0) return () => true;
  const filters = rules.map(compileRule);
  return (properties) => filters.some((filter) => filter(properties));
}

function compileRule(rule: RuleConfig): MessageFilter {
  const p = rule.Properties;
  if (p.FilterType === 'Sql') return compileSqlFilter(p.SqlFilter.SqlExpression);
  const filter = p.CorrelationFilter;
  const system = correlationSystemProperties.flatMap((name) =>
    filter[name] === undefined ? [] : [[name, filter[name]] as const],
  );
  const application = Object.entries(filter.Properties ?? {});
  // A correlation filter is an exact match on every property it names.
  return (properties) =>
    system.every(([name, expected]) => properties.system[name] === expected) &&
    application.every(([name, expected]) => properties.application[name] === expected);
}
