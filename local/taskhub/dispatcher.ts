// Drives the task hub. This part keeps the sessions and commits: it runs orchestrator episodes
// (one at a time per instance) and commits them; task-runner.ts runs the activities and timers
// they schedule, outbox-delivery.ts delivers what they send to other instances.
//
// Guarantees, and why they hold after a kill -9 at any point:
// - Orchestrator decisions apply exactly once: episodes are decided on the instance's state
//   in memory and committed, alone or several together (group commit), in one atomic write
//   against the instance's version (ETag): new history, status, consumed messages, outbox.
//   A crash or a refused commit loses only decisions nobody has seen; replay re-makes them.
//   Messages to other instances and the status clients read wait for the commit.
// - Activities run at least once: an activity starts as soon as an episode schedules it,
//   what is scheduled and not answered is re-run on restart, and a result reported twice is
//   dropped by id. Activities must be idempotent.
// - Results of activities and timers that fired in this process are held in memory until
//   the episode that consumes them commits them to history: writing them to storage first
//   would buy nothing, since after a crash the open tasks and timers are re-run from
//   history anyway. Messages from clients and other instances are stored before delivery.
// - Outbox entries are re-delivered until deleted (delivery is idempotent by message id),
//   so nothing waits forever.
//
// One host owns a task hub (as a lease owner does in Azure), so this process knows when
// stored messages may have arrived for an instance: only then does an episode read storage;
// otherwise it starts from the work item it last committed. The ETag check on commit still
// refuses anything decided on a stale view.
import type { Clock } from '../../shared/clock.js';
import { isPlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import type { Invoke, RegisteredFunction } from '../host/extension.js';
import type { EpisodeCommit, TaskHubBackend, WorkItem } from './backend.js';
import { applyCommit, mergeCommits } from './commit-algebra.js';
import { entityBatchResultSchema, planEntityEpisode } from './entity-episode.js';
import { isEntityInstance } from './entity-messages.js';
import { finishEpisode } from './finish-episode.js';
import { prepareEpisode, type EpisodeSettings } from './prepare-episode.js';
import type { HistoryEvent } from './history.js';
import { isTerminal, type Message } from './instance.js';
import { createLimiter } from './limiter.js';
import { createOutboxDelivery } from './outbox-delivery.js';
import {
  orchestrationTrigger,
  outcomeOfError,
  outcomeOfResponse,
  type OrchestratorOutcome,
} from './orchestrator-protocol.js';
import { foldHistory } from './runtime-state.js';
import { createTaskRunner } from './task-runner.js';

export interface FunctionDirectory {
  orchestrator(name: string): RegisteredFunction | undefined;
  activity(name: string): RegisteredFunction | undefined;
  entity(name: string): RegisteredFunction | undefined;
}

export interface DispatcherLog {
  info(message: string): void;
  error(message: string): void;
}

export interface DispatcherOptions extends EpisodeSettings {
  backend: TaskHubBackend;
  clock: Clock;
  functions: FunctionDirectory;
  invoke: Invoke;
  log: DispatcherLog;
  maxConcurrentActivities: number;
  maxConcurrentOrchestrations: number;
}

export interface Dispatcher {
  /** Resumes every unfinished instance from storage. */
  start(): Promise<void>;
  /** Says that an instance has new messages. */
  notify(instanceId: string): void;
  /** Stops taking work and waits for what is running. */
  stop(): Promise<void>;
}

/** Sessions kept for idle instances; the least recently used idle one goes first. */
const maxIdleSessions = 1_000;

interface Lane {
  running: boolean;
  again: boolean;
}

/** An instance as this process knows it: what storage holds, and episodes decided beyond it. */
interface Session {
  /** The stored state; commits are made against its ETag. */
  durable: WorkItem;
  /** `durable` plus the episodes decided since. */
  current: WorkItem;
  /** Those episodes as one commit. */
  unflushed?: EpisodeCommit;
  /** Ids of this process's results the unflushed episodes consumed. */
  consumedResults: Set<string>;
  flushing?: Promise<void>;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { backend, clock, functions, invoke, log } = options;
  const episodes = createLimiter(options.maxConcurrentOrchestrations);
  const lanes = new Map<string, Lane>();
  const inFlight = new Set<Promise<unknown>>();
  /** Results produced in this process, by instance and message id, until a commit holds them. */
  const results = new Map<string, Map<string, Message>>();
  const sessions = new Map<string, Session>();
  /** Instances that may have stored messages their session does not show. */
  const unread = new Set<string>();
  let stopped = false;

  const track = (work: Promise<unknown>): void => {
    inFlight.add(work);
    const done = () => inFlight.delete(work);
    work.then(done, done);
  };
  const tasks = createTaskRunner({
    clock,
    functions,
    invoke,
    maxConcurrentActivities: options.maxConcurrentActivities,
    post,
    track,
  });
  const outbox = createOutboxDelivery(backend, clock, notify);

  /** For stored messages: the next episode reads storage. */
  function notify(instanceId: string): void {
    unread.add(instanceId);
    wake(instanceId);
  }

  function wake(instanceId: string): void {
    if (stopped) return;
    const lane = lanes.get(instanceId) ?? { running: false, again: false };
    lanes.set(instanceId, lane);
    if (lane.running) {
      lane.again = true;
      return;
    }
    lane.running = true;
    track(drain(instanceId, lane));
  }

  async function drain(instanceId: string, lane: Lane): Promise<void> {
    let failures = 0;
    try {
      do {
        lane.again = false;
        await episodes
          .run(() => episode(instanceId))
          .then(
            () => {
              failures = 0;
            },
            async (error: unknown) => {
              failures += 1;
              log.error(
                `Episode of instance '${instanceId}' failed (${failures}x) and will be retried: ${String(error)}`,
              );
              const session = sessions.get(instanceId);
              if (session) drop(instanceId, session);
              unread.add(instanceId);
              lane.again = !stopped;
              // Storage that is down fails every attempt; back off instead of spinning.
              await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 50 * 2 ** failures)));
            },
          );
      } while (lane.again && !stopped);
    } finally {
      lane.running = false;
      lanes.delete(instanceId);
    }
  }

  /** The instance's session, read from storage when stored messages may be waiting. */
  async function sessionOf(instanceId: string): Promise<Session | undefined> {
    const known = sessions.get(instanceId);
    if (known && !unread.has(instanceId)) return known;
    if (known) await settle(instanceId, known);
    unread.delete(instanceId);
    await outbox.settleDebt(instanceId);
    const stored = await backend.loadWorkItem(instanceId);
    if (!stored) {
      sessions.delete(instanceId);
      results.delete(instanceId);
      return undefined;
    }
    const session: Session = { durable: stored, current: stored, consumedResults: new Set() };
    sessions.set(instanceId, session);
    evictIdleSessions();
    return session;
  }

  /**
   * One episode, decided on the session's current state. An episode that only consumed this
   * process's results is committed in the background, grouped with the ones that follow
   * while a commit is in flight; its activities start at once (a lost commit re-runs them,
   * which at-least-once allows). Consuming stored messages, sending to other instances or
   * ending waits for the commit.
   */
  async function episode(instanceId: string): Promise<void> {
    const session = await sessionOf(instanceId);
    if (!session) return;
    const storedIds = new Set(session.current.messages.map((m) => m.id));
    const local = [...(results.get(instanceId)?.values() ?? [])].filter(
      (m) => !storedIds.has(m.id) && !session.consumedResults.has(m.id),
    );
    const item: WorkItem = { ...session.current, messages: [...session.current.messages, ...local] };
    const decided = isEntityInstance(instanceId)
      ? await entityEpisode(item)
      : await orchestratorEpisode(item);
    if (!decided || sessions.get(instanceId) !== session) return;
    if (changesNothing(decided, item, storedIds)) {
      // Late results for an ended instance, duplicates: nothing to store, just forget them.
      for (const id of decided.consumedMessageIds) results.get(instanceId)?.delete(id);
      return;
    }

    const commit: EpisodeCommit = {
      ...decided,
      consumedMessageIds: decided.consumedMessageIds.filter((id) => storedIds.has(id)),
    };
    for (const id of decided.consumedMessageIds) if (!storedIds.has(id)) session.consumedResults.add(id);
    session.current = applyCommit(session.current, commit);
    session.unflushed = session.unflushed ? mergeCommits(session.unflushed, commit) : commit;
    if (decided.instance.status !== item.instance.status) {
      log.info(`Orchestration '${decided.instance.name}' (${instanceId}) is ${decided.instance.status}.`);
    }
    tasks.dispatchScheduled(decided.instance, decided.newEvents);

    const mustWait =
      commit.consumedMessageIds.length > 0 || commit.outbox.length > 0 || isTerminal(commit.instance.status);
    if (mustWait) await settle(instanceId, session);
    else flushInBackground(instanceId, session);
    if (isTerminal(commit.instance.status) && sessions.get(instanceId) === session && !session.unflushed) {
      sessions.delete(instanceId);
    }
    const leftOver = decided.consumedMessageIds.length < item.messages.length;
    if (leftOver && decided.instance.status !== 'Suspended') wake(instanceId);
  }

  function flushInBackground(instanceId: string, session: Session): void {
    if (session.flushing || sessions.get(instanceId) !== session) return;
    session.flushing = flush(instanceId, session).finally(() => {
      session.flushing = undefined;
    });
    track(session.flushing);
  }

  /** Commits everything decided so far; resolves once storage holds it (or the session was dropped). */
  async function settle(instanceId: string, session: Session): Promise<void> {
    while (sessions.get(instanceId) === session && (session.unflushed || session.flushing)) {
      flushInBackground(instanceId, session);
      await session.flushing;
    }
  }

  async function flush(instanceId: string, session: Session): Promise<void> {
    while (session.unflushed && sessions.get(instanceId) === session) {
      const batch = session.unflushed;
      const consumed = [...session.consumedResults];
      session.unflushed = undefined;
      let etag: string;
      try {
        etag = await backend.commit(session.durable, batch);
      } catch (error) {
        const conflict = isPlatformError(error) && error.code === 'PRECONDITION_FAILED';
        if (!conflict) {
          log.error(
            `Commit of instance '${instanceId}' failed; its episodes will be replayed: ${String(error)}`,
          );
        }
        drop(instanceId, session);
        return;
      }
      session.durable = applyCommit(session.durable, batch, etag);
      const pending = results.get(instanceId);
      for (const id of consumed) {
        pending?.delete(id);
        session.consumedResults.delete(id);
      }
      if (pending?.size === 0) results.delete(instanceId);
      if (batch.outbox.length > 0) await outbox.deliver(instanceId);
    }
  }

  /** Forgets what was decided but not stored; the next episode re-decides it from storage. */
  function drop(instanceId: string, session: Session): void {
    if (sessions.get(instanceId) !== session) return;
    sessions.delete(instanceId);
    notify(instanceId);
  }

  function evictIdleSessions(): void {
    for (const [id, session] of sessions) {
      if (sessions.size <= maxIdleSessions) return;
      if (!session.unflushed && !session.flushing && !lanes.has(id)) sessions.delete(id);
    }
  }

  /** Hands a result produced in this process to the instance's next episode. */
  function post(instanceId: string, message: Message): void {
    if (stopped) return;
    const pending = results.get(instanceId) ?? new Map<string, Message>();
    results.set(instanceId, pending);
    pending.set(message.id, message);
    wake(instanceId);
  }

  async function orchestratorEpisode(item: WorkItem): Promise<EpisodeCommit | undefined> {
    const prepared = prepareEpisode(item, clock.now(), options);
    if (!prepared) return undefined;
    return (
      prepared.commit ??
      finishEpisode(item, prepared, await runOrchestrator(item, prepared.newEvents), options)
    );
  }

  /** Runs the entity's runnable requests as one batch of its function. */
  async function entityEpisode(item: WorkItem): Promise<EpisodeCommit | undefined> {
    const plan = planEntityEpisode(item, clock.now(), options.maxMessagesPerEpisode);
    if (!plan || plan.operations.length === 0) return plan?.finish(undefined);
    const name = plan.batch.self.name;
    const fn = functions.entity(name);
    if (!fn)
      return plan.finish({ error: `The function '${name}' doesn't exist or is not an entity function.` });
    try {
      const response = await invoke(fn, { trigger: { json: JSON.stringify(plan.batch) } });
      const returned = JSON.parse(response.returnValue?.json ?? 'null') as unknown;
      return plan.finish(
        parseInput(entityBatchResultSchema, returned, `entity '${name}' result`, 'INTERNAL'),
      );
    } catch (error) {
      return plan.finish({ error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function runOrchestrator(item: WorkItem, newEvents: HistoryEvent[]): Promise<OrchestratorOutcome> {
    const fn = functions.orchestrator(item.instance.name);
    if (!fn) {
      return {
        kind: 'failed',
        failure: {
          ErrorType: 'FunctionNotFound',
          ErrorMessage: `The function '${item.instance.name}' doesn't exist or is not an orchestrator function.`,
        },
      };
    }
    const history = [...item.history.map((e) => ({ ...e, IsPlayed: true })), ...newEvents];
    const trigger = orchestrationTrigger({
      instanceId: item.instance.instanceId,
      ...(item.instance.parent ? { parentInstanceId: item.instance.parent.instanceId } : {}),
      input: item.instance.input,
      history,
      limits: options.limits,
    });
    try {
      return outcomeOfResponse(await invoke(fn, { trigger }));
    } catch (error) {
      return outcomeOfError(error);
    }
  }

  async function resume(instanceId: string): Promise<void> {
    await outbox.deliver(instanceId);
    const item = await backend.loadWorkItem(instanceId);
    if (!item) return;
    tasks.resumeOpen(item.instance, foldHistory(item.history));
    if (item.messages.length > 0) notify(instanceId);
  }

  return {
    async start() {
      const ids = await backend.unfinishedInstanceIds();
      if (ids.length) log.info(`Task hub resumes ${ids.length} unfinished instance(s).`);
      for (const id of ids) {
        await resume(id).catch((error: unknown) => {
          log.error(`Instance '${id}' could not be resumed yet: ${String(error)}`);
          notify(id);
        });
      }
    },
    notify,
    async stop() {
      stopped = true;
      tasks.stop();
      for (const [id, session] of sessions) flushInBackground(id, session);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** An episode that only consumed this process's results and decided nothing. */
function changesNothing(decided: EpisodeCommit, item: WorkItem, storedIds: ReadonlySet<string>): boolean {
  return (
    decided.instance === item.instance &&
    decided.newEvents.length === 0 &&
    decided.outbox.length === 0 &&
    !decided.consumedMessageIds.some((id) => storedIds.has(id))
  );
}
