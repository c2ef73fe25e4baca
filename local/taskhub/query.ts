// Instance filtering, shared by the backends so that they agree exactly.
import type { InstanceQuery, InstanceRecord } from './instance.js';

export function matchesQuery(instance: InstanceRecord, query: InstanceQuery): boolean {
  if (query.statuses?.length && !query.statuses.includes(instance.status)) return false;
  if (query.createdFrom && instance.createdAt < query.createdFrom) return false;
  if (query.createdTo && instance.createdAt > query.createdTo) return false;
  if (query.instanceIdPrefix && !instance.instanceId.startsWith(query.instanceIdPrefix)) return false;
  return true;
}
