// What the task hub stores about one orchestration instance besides its history: its status
// row, the messages waiting for its next episode, and the outbox of messages it owes others.
import type { FailureDetails, HistoryEvent, ParentLink } from './history.js';

export const runtimeStatuses = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Terminated',
  'Suspended',
] as const;
export type RuntimeStatus = (typeof runtimeStatuses)[number];

const terminal = new Set<RuntimeStatus>(['Completed', 'Failed', 'Terminated']);
export const isTerminal = (status: RuntimeStatus): boolean => terminal.has(status);

export interface InstanceRecord {
  instanceId: string;
  name: string;
  /** Changes on every start and continue-as-new; messages for an older execution are dropped. */
  executionId: string;
  status: RuntimeStatus;
  /** JSON texts; null when absent. */
  input: string | null;
  output: string | null;
  customStatus: string | null;
  failure?: FailureDetails;
  createdAt: string;
  lastUpdatedAt: string;
  parent?: ParentLink;
}

/**
 * A message for an instance's next episode. `id` makes delivery idempotent: a message sent
 * twice (an activity retried after a crash, an outbox delivered twice) is stored once, and
 * the fold ignores a completion whose task already completed.
 */
export interface Message {
  id: string;
  /** The execution the message answers; undefined for messages to whatever execution runs. */
  executionId?: string;
  event: HistoryEvent;
}

/** A message one instance owes another (start a sub-orchestration, report to the parent). */
export type OutboxEntry =
  | { kind: 'create'; instance: InstanceRecord; start: Message }
  | { kind: 'send'; instanceId: string; message: Message };

/** A query over instances, as the Durable HTTP API filters them. */
export interface InstanceQuery {
  statuses?: readonly RuntimeStatus[];
  createdFrom?: string;
  createdTo?: string;
  instanceIdPrefix?: string;
  pageSize?: number;
  continuationToken?: string;
}

export interface InstancePage {
  instances: InstanceRecord[];
  continuationToken?: string;
}
