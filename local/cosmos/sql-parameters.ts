// The Cosmos DB input binding's `sqlQuery` with binding expressions turned into SQL parameters,
// as the Azure extension does: `{Query.name}` becomes `@Query_name` with the value as a string,
// so a value can never change the query's text.
import type { SqlQuerySpec } from '@azure/cosmos';
import { resolveBindingExpressions } from '../host/binding-expressions.js';

export function parameterizedQuery(
  sqlQuery: string,
  data: Record<string, unknown>,
  usedBy: string,
): SqlQuerySpec {
  const parameters = new Map<string, string>();
  const query = sqlQuery.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
    const name = `@${expression.replace(/[.-]/g, '_')}`;
    parameters.set(name, resolveBindingExpressions(`{${expression}}`, data, usedBy));
    return name;
  });
  return { query, parameters: [...parameters].map(([name, value]) => ({ name, value })) };
}
