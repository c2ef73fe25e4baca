// The task hub's storage port. Two implementations: in memory (tests, benchmarks' baseline of
// the engine itself) and Azure Storage tables + blobs (Azurite locally), checked by one suite.
import { PlatformError } from '../../shared/errors.js';
import type { HistoryEvent } from './history.js';
import type { InstancePage, InstanceQuery, InstanceRecord, Message, OutboxEntry } from './instance.js';

/** Everything an orchestration episode needs, read at one version of the instance. */
export interface WorkItem {
  instance: InstanceRecord;
  /** The current execution's history, oldest first. */
  history: HistoryEvent[];
  /** Pending messages, oldest first. */
  messages: Message[];
  /** Opaque version of the instance row; `commit` fails if it moved on. */
  etag: string;
}

export interface OutboxBatch {
  id: string;
  entries: OutboxEntry[];
}

/** What one episode decided, applied atomically by `commit`. */
export interface EpisodeCommit {
  instance: InstanceRecord;
  /** Appended to the history of `instance.executionId` (a new execution starts empty). */
  newEvents: HistoryEvent[];
  consumedMessageIds: string[];
  outbox: OutboxEntry[];
}

export interface TaskHubBackend {
  /** Creates the hub's tables and containers when missing. */
  initialize(): Promise<void>;
  /**
   * Creates an instance (or replaces a terminal one: its old history is dropped) and queues
   * its start message. Throws PlatformError CONFLICT when the id is Pending, Running or Suspended.
   */
  createInstance(instance: InstanceRecord, start: Message): Promise<void>;
  getInstance(instanceId: string): Promise<InstanceRecord | undefined>;
  queryInstances(query: InstanceQuery): Promise<InstancePage>;
  /** The current execution's history; empty for an unknown instance. */
  getHistory(instanceId: string): Promise<HistoryEvent[]>;
  /** Stores a message once per id. Throws PlatformError NOT_FOUND for an unknown instance. */
  sendMessage(instanceId: string, message: Message): Promise<void>;
  /** The instance with its history and pending messages; undefined if unknown. */
  loadWorkItem(instanceId: string): Promise<WorkItem | undefined>;
  /**
   * Applies an episode atomically and returns the instance's new ETag. Throws PlatformError
   * PRECONDITION_FAILED when the instance changed since `workItem` was read; then nothing was applied.
   */
  commit(workItem: WorkItem, commit: EpisodeCommit): Promise<string>;
  /** Outbox entries committed but not yet delivered, one batch per episode, in commit order. */
  readOutbox(instanceId: string): Promise<OutboxBatch[]>;
  deleteOutbox(instanceId: string, batchIds: readonly string[]): Promise<void>;
  /** Deletes an instance with its history, messages and outbox; false if it did not exist. */
  purge(instanceId: string): Promise<boolean>;
  /** Instances a restarted host must resume: not terminal, or with undelivered outbox entries. */
  unfinishedInstanceIds(): Promise<string[]>;
}

/** The CONFLICT `createInstance` throws for an id that is Pending, Running or Suspended. */
export function alreadyRunning(instanceId: string, status: string): PlatformError {
  return new PlatformError(
    'CONFLICT',
    `An instance with ID '${instanceId}' already exists and is ${status}.`,
    {
      instanceId,
      status,
    },
  );
}
