import type { RegisteredFunction } from './extension.js';
import { isHttpTrigger } from './function-index.js';

/** One status line per function, as `func start` prints them. */
export function describeFunction(fn: RegisteredFunction, baseUrl: string, routePrefix: string): string {
  const t = fn.trigger;
  if (isHttpTrigger(fn)) {
    const methods = Array.isArray(t.methods) && t.methods.length > 0 ? t.methods.join(',') : 'ANY';
    const route = typeof t.route === 'string' && t.route ? t.route : fn.name;
    return `${fn.name}: [${methods}] ${baseUrl}/${[routePrefix, route].filter(Boolean).join('/')}`;
  }
  const detail =
    t.schedule ?? t.path ?? t.queueName ?? (t.topicName ? `${t.topicName}/${t.subscriptionName}` : undefined);
  return `${fn.name}: ${t.type}${detail ? ` (${String(detail)})` : ''}`;
}
