// The task hub backend in memory: same contract as the storage backend, for unit tests and
// for measuring the engine without storage. Values are cloned in and out, like a store would.
import { PlatformError } from '../../shared/errors.js';
import { alreadyRunning, type EpisodeCommit, type TaskHubBackend, type WorkItem } from './backend.js';
import type { HistoryEvent } from './history.js';
import {
  isTerminal,
  type InstancePage,
  type InstanceQuery,
  type InstanceRecord,
  type Message,
  type OutboxEntry,
} from './instance.js';
import { matchesQuery } from './query.js';

interface Entry {
  instance: InstanceRecord;
  version: number;
  history: HistoryEvent[];
  messages: Map<string, Message>;
  outbox: Map<string, OutboxEntry[]>;
  outboxSequence: number;
}

const clone = <T>(value: T): T => structuredClone(value);

export function createMemoryBackend(): TaskHubBackend {
  const entries = new Map<string, Entry>();

  const entryOf = (instanceId: string): Entry => {
    const entry = entries.get(instanceId);
    if (!entry)
      throw new PlatformError('NOT_FOUND', `No instance with ID '${instanceId}' found.`, { instanceId });
    return entry;
  };

  return {
    async initialize() {},

    async createInstance(instance, start) {
      const existing = entries.get(instance.instanceId);
      if (existing && !isTerminal(existing.instance.status)) {
        throw alreadyRunning(instance.instanceId, existing.instance.status);
      }
      entries.set(instance.instanceId, {
        instance: clone(instance),
        version: (existing?.version ?? 0) + 1,
        history: [],
        messages: new Map([[start.id, clone(start)]]),
        outbox: existing?.outbox ?? new Map(),
        outboxSequence: existing?.outboxSequence ?? 0,
      });
    },

    async getInstance(instanceId) {
      const entry = entries.get(instanceId);
      return entry && clone(entry.instance);
    },

    async queryInstances(query: InstanceQuery): Promise<InstancePage> {
      const all = [...entries.values()]
        .map((e) => e.instance)
        .filter((i) => matchesQuery(i, query))
        .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
      const start = query.continuationToken
        ? all.findIndex((i) => i.instanceId > query.continuationToken!)
        : 0;
      const from = start < 0 ? all.length : start;
      const size = query.pageSize ?? 100;
      const page = all.slice(from, from + size);
      const more = from + size < all.length;
      return {
        instances: clone(page),
        ...(more && page.length ? { continuationToken: page.at(-1)!.instanceId } : {}),
      };
    },

    async getHistory(instanceId) {
      return clone(entries.get(instanceId)?.history ?? []);
    },

    async sendMessage(instanceId, message) {
      const entry = entryOf(instanceId);
      if (!entry.messages.has(message.id)) entry.messages.set(message.id, clone(message));
    },

    async loadWorkItem(instanceId) {
      const entry = entries.get(instanceId);
      if (!entry) return undefined;
      const messages = [...entry.messages.values()];
      return clone({
        instance: entry.instance,
        history: entry.history,
        messages,
        etag: String(entry.version),
      });
    },

    async commit(workItem: WorkItem, commit: EpisodeCommit) {
      const entry = entryOf(workItem.instance.instanceId);
      if (String(entry.version) !== workItem.etag) {
        throw new PlatformError(
          'PRECONDITION_FAILED',
          `Instance '${workItem.instance.instanceId}' changed during the episode.`,
        );
      }
      const newExecution = commit.instance.executionId !== entry.instance.executionId;
      entry.history = [...(newExecution ? [] : entry.history), ...clone(commit.newEvents)];
      entry.instance = clone(commit.instance);
      entry.version += 1;
      for (const id of commit.consumedMessageIds) entry.messages.delete(id);
      if (commit.outbox.length)
        entry.outbox.set(String(entry.outboxSequence++).padStart(12, '0'), clone(commit.outbox));
      return String(entry.version);
    },

    async readOutbox(instanceId) {
      const outbox = entries.get(instanceId)?.outbox ?? new Map<string, OutboxEntry[]>();
      return [...outbox.entries()].map(([id, batch]) => ({ id, entries: clone(batch) }));
    },

    async deleteOutbox(instanceId, ids) {
      const outbox = entries.get(instanceId)?.outbox;
      for (const id of ids) outbox?.delete(id);
    },

    async purge(instanceId) {
      return entries.delete(instanceId);
    },

    async unfinishedInstanceIds() {
      return [...entries.values()]
        .filter((e) => !isTerminal(e.instance.status) || e.outbox.size > 0)
        .map((e) => e.instance.instanceId);
    },
  };
}
