// What a durable client can ask of the task hub, independent of HTTP: the RPC endpoint and
// the public webhooks both call these.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { PlatformError } from '../../shared/errors.js';
import type { TaskHubBackend } from './backend.js';
import { eventHead, iso, startMessage } from './episode-events.js';
import { sendToEntity } from './entity-delivery.js';
import { schedulerStateOf } from './entity-episode.js';
import { entityIdOf, requestMessage, schedulerIdOf, type EntityId } from './entity-messages.js';
import { EventType } from './history.js';
import { isTerminal, type InstanceQuery, type InstanceRecord, type Message } from './instance.js';
import { statusView, type StatusOptions, type StatusView } from './status-view.js';

/** An entity as the entity query API lists it. */
export interface EntityView {
  entityId: EntityId;
  lastOperationTime: string;
  state: unknown;
}

/** Whether a command reached a live instance or found it already ended (HTTP 410). */
export type Delivery = 'accepted' | 'gone';

export interface ClientOperations {
  /** Throws CONFLICT when the id is Pending, Running or Suspended. */
  startNew(name: string, options: { instanceId?: string; input: string | null }): Promise<InstanceRecord>;
  getStatus(instanceId: string, options: StatusOptions): Promise<StatusView | undefined>;
  list(
    query: InstanceQuery,
    options: StatusOptions,
  ): Promise<{ statuses: StatusView[]; continuationToken?: string }>;
  /** Each throws NOT_FOUND for an unknown instance. */
  raiseEvent(instanceId: string, name: string, input: string | null): Promise<Delivery>;
  terminate(instanceId: string, reason: string | null): Promise<Delivery>;
  suspend(instanceId: string, reason: string | null): Promise<Delivery>;
  resume(instanceId: string, reason: string | null): Promise<Delivery>;
  /** Queues an operation for an entity, creating it if needed. */
  signalEntity(entity: EntityId, operation: string, input: string | null): Promise<void>;
  /** The entity's state as JSON text; undefined when it does not exist. */
  readEntity(entity: EntityId): Promise<string | undefined>;
  /** The existing entities of one name, a page at a time. */
  listEntities(
    name: string,
    page: Pick<InstanceQuery, 'pageSize' | 'continuationToken'>,
  ): Promise<{ entities: EntityView[]; continuationToken?: string }>;
  /** Purges ended instances only, as Azure does; returns how many were deleted. */
  purge(instanceId: string): Promise<number>;
  purgeWhere(query: InstanceQuery): Promise<number>;
}

export interface ClientOperationsOptions {
  backend: TaskHubBackend;
  clock: Clock;
  /** Whether an orchestrator function of that name is registered. */
  hasOrchestrator(name: string): boolean;
  notify(instanceId: string): void;
}

export function createClientOperations(options: ClientOperationsOptions): ClientOperations {
  const { backend, clock, notify } = options;

  const existing = async (instanceId: string): Promise<InstanceRecord> => {
    const instance = await backend.getInstance(instanceId);
    if (!instance)
      throw new PlatformError('NOT_FOUND', `No instance with ID '${instanceId}' found.`, { instanceId });
    return instance;
  };

  const command = async (instanceId: string, kind: string, event: Message['event']): Promise<Delivery> => {
    const instance = await existing(instanceId);
    if (isTerminal(instance.status)) return 'gone';
    await backend.sendMessage(instanceId, { id: `${kind}:${randomUUID()}`, event });
    notify(instanceId);
    return 'accepted';
  };
  const head = () => eventHead(clock.now());
  const reasonText = (reason: string | null) => (reason === null ? null : JSON.stringify(reason));

  return {
    async startNew(name, { instanceId = randomUUID().replaceAll('-', ''), input }) {
      if (!options.hasOrchestrator(name)) {
        throw new PlatformError(
          'NOT_FOUND',
          `The function '${name}' doesn't exist or is not an orchestrator function.`,
          { name },
        );
      }
      const executionId = randomUUID();
      const startedAt = clock.now();
      const at = iso(startedAt);
      const instance: InstanceRecord = {
        instanceId,
        name,
        executionId,
        status: 'Pending',
        input,
        output: null,
        customStatus: null,
        createdAt: at,
        lastUpdatedAt: at,
      };
      const start = startMessage({ executionId, name, input, now: startedAt });
      await backend.createInstance(instance, start);
      notify(instanceId);
      return instance;
    },

    async getStatus(instanceId, statusOptions) {
      const instance = await backend.getInstance(instanceId);
      if (!instance) return undefined;
      const history = statusOptions.showHistory ? await backend.getHistory(instanceId) : undefined;
      return statusView(instance, history, statusOptions);
    },

    async list(query, statusOptions) {
      const page = await backend.queryInstances(query);
      return {
        statuses: page.instances.map((i) =>
          statusView(i, undefined, { ...statusOptions, showHistory: false }),
        ),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      };
    },

    raiseEvent: (instanceId, name, input) =>
      command(instanceId, 'event', { EventType: EventType.EventRaised, ...head(), Name: name, Input: input }),
    terminate: (instanceId, reason) =>
      command(instanceId, 'terminate', {
        EventType: EventType.ExecutionTerminated,
        ...head(),
        Input: reasonText(reason),
      }),
    suspend: (instanceId, reason) =>
      command(instanceId, 'suspend', { EventType: EventType.ExecutionSuspended, ...head(), Reason: reason }),
    resume: (instanceId, reason) =>
      command(instanceId, 'resume', { EventType: EventType.ExecutionResumed, ...head(), Reason: reason }),

    async signalEntity(entity, operation, input) {
      const instanceId = schedulerIdOf(entity);
      const request = { id: randomUUID(), op: operation, signal: true, input, timestamp: iso(clock.now()) };
      await sendToEntity(backend, instanceId, requestMessage(request, clock.now()), clock.now());
      notify(instanceId);
    },

    async readEntity(entity) {
      const scheduler = schedulerStateOf(await backend.getInstance(schedulerIdOf(entity)));
      return scheduler.exists ? (scheduler.state ?? 'null') : undefined;
    },

    async listEntities(name, page) {
      const found = await backend.queryInstances({
        ...page,
        instanceIdPrefix: schedulerIdOf({ name, key: '' }),
      });
      const entities = found.instances.flatMap((instance): EntityView[] => {
        const scheduler = schedulerStateOf(instance);
        if (!scheduler.exists) return [];
        const state = scheduler.state === null ? null : (JSON.parse(scheduler.state) as unknown);
        return [
          { entityId: entityIdOf(instance.instanceId), lastOperationTime: instance.lastUpdatedAt, state },
        ];
      });
      return { entities, ...(found.continuationToken ? { continuationToken: found.continuationToken } : {}) };
    },

    async purge(instanceId) {
      const instance = await backend.getInstance(instanceId);
      if (!instance || !isTerminal(instance.status)) return 0;
      return (await backend.purge(instanceId)) ? 1 : 0;
    },

    async purgeWhere(query) {
      let deleted = 0;
      let continuationToken: string | undefined;
      do {
        const page = await backend.queryInstances({
          ...query,
          ...(continuationToken ? { continuationToken } : {}),
        });
        for (const instance of page.instances) {
          if (isTerminal(instance.status) && (await backend.purge(instance.instanceId))) deleted += 1;
        }
        continuationToken = page.continuationToken;
      } while (continuationToken);
      return deleted;
    },
  };
}
