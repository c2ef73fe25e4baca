// The namespace: queues, topics and subscriptions built from the config, each message store
// an `EntityState`, with the journal underneath. Sequence numbers and duplicate detection
// belong to the entity a sender addresses (a queue or a topic); a topic message is stored
// once in the journal and fanned out to the subscriptions whose rules match.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { PlatformError } from '../../shared/errors.js';
import type { IncomingMessage } from './amqp-message.js';
import type { DuplicateDetection, EmulatorConfig, ReceiveSettings } from './config.js';
import * as entity from './entity-state.js';
import { Journal } from './journal.js';
import { resourcePath } from './resource-path.js';
import { compileRules, type MessageFilter } from './rule-filter.js';

const compactAfterEvents = 50_000;

export type JournalEvent =
  | { type: 'accepted'; domain: string; entities: string[]; message: entity.MessageRecord }
  | { type: 'entity'; entity: string; event: entity.EntityEvent }
  | {
      type: 'checkpoint';
      sequences: Record<string, number>;
      duplicates: Record<string, Array<[string, number]>>;
    };

/** A queue or a topic: what senders address. */
interface Domain {
  name: string;
  duplicateDetection: DuplicateDetection;
  targets: Array<{ key: string; filter: MessageFilter }>;
  lastSequenceNumber: number;
  seen: Map<string, number>;
}

/** A queue or a subscription: what receivers address. */
interface Store {
  name: string;
  settings: ReceiveSettings;
  state: entity.EntityState;
}

/** What a link address names: a queue is both a domain (to send to) and a store (to receive from). */
export interface Address {
  domain?: string;
  store?: string;
  subQueue: entity.SubQueue;
}

export interface Received {
  message: entity.StoredMessage;
  store: string;
}

export class Broker {
  private readonly domains = new Map<string, Domain>();
  private readonly stores = new Map<string, Store>();
  private readonly listeners = new Set<(store: string) => void>();

  private constructor(
    private readonly journal: Journal<JournalEvent>,
    readonly clock: Clock,
    private readonly warn: (message: string) => void,
  ) {}

  static async open(
    config: EmulatorConfig,
    dataDir: string,
    clock: Clock,
    warn: (message: string) => void,
  ): Promise<Broker> {
    const { journal, events } = await Journal.open<JournalEvent>(dataDir);
    const broker = new Broker(journal, clock, warn);
    broker.build(config);
    for (const event of events) broker.replay(event);
    // Locks belong to connections, which a restart ends; their messages are available again.
    for (const store of broker.stores.values()) {
      for (const message of store.state.messages.values()) {
        if (message.lock)
          entity.applyEvent(store.state, { type: 'released', sequenceNumber: message.sequenceNumber });
      }
    }
    await journal.compact(broker.snapshot());
    return broker;
  }

  private build(config: EmulatorConfig): void {
    const store = (name: string, settings: ReceiveSettings): string => {
      const key = name.toLowerCase();
      this.stores.set(key, { name, settings, state: entity.emptyEntity() });
      return key;
    };
    for (const queue of config.queues) {
      const key = store(queue.name, queue.settings);
      this.domains.set(key, {
        name: queue.name,
        duplicateDetection: queue.duplicateDetection,
        targets: [{ key, filter: () => true }],
        lastSequenceNumber: 0,
        seen: new Map(),
      });
    }
    for (const topic of config.topics) {
      const targets = topic.subscriptions.map((s) => ({
        key: store(`${topic.name}/Subscriptions/${s.name}`, s.settings),
        filter: compileRules(s.rules),
      }));
      this.domains.set(topic.name.toLowerCase(), {
        name: topic.name,
        duplicateDetection: topic.duplicateDetection,
        targets,
        lastSequenceNumber: 0,
        seen: new Map(),
      });
    }
  }

  private replay(event: JournalEvent): void {
    if (event.type === 'checkpoint') {
      for (const [key, last] of Object.entries(event.sequences)) {
        const domain = this.domains.get(key);
        if (domain) domain.lastSequenceNumber = Math.max(domain.lastSequenceNumber, last);
      }
      for (const [key, seen] of Object.entries(event.duplicates)) {
        const domain = this.domains.get(key);
        for (const [id, at] of seen) domain?.seen.set(id, at);
      }
      return;
    }
    // Entities removed from the config since the journal was written are dropped.
    this.apply(event);
  }

  private apply(event: JournalEvent): void {
    if (event.type === 'accepted') {
      const domain = this.domains.get(event.domain);
      if (!domain) return;
      domain.lastSequenceNumber = Math.max(domain.lastSequenceNumber, event.message.sequenceNumber);
      if (event.message.messageId !== undefined)
        domain.seen.set(event.message.messageId, event.message.enqueuedAt);
      for (const key of event.entities) {
        const store = this.stores.get(key);
        if (store) entity.applyEvent(store.state, { type: 'enqueued', message: event.message });
      }
    } else if (event.type === 'entity') {
      const store = this.stores.get(event.entity);
      if (store) entity.applyEvent(store.state, event.event);
    }
  }

  private snapshot(): JournalEvent[] {
    const sequences: Record<string, number> = {};
    const duplicates: Record<string, Array<[string, number]>> = {};
    const now = this.clock.now();
    for (const [key, domain] of this.domains) {
      sequences[key] = domain.lastSequenceNumber;
      duplicates[key] = [...domain.seen].filter(([, at]) => at + domain.duplicateDetection.windowMs > now);
    }
    const restored: JournalEvent[] = [];
    for (const [key, store] of this.stores) {
      for (const message of store.state.messages.values())
        restored.push({ type: 'entity', entity: key, event: { type: 'restored', message } });
    }
    return [{ type: 'checkpoint', sequences, duplicates }, ...restored];
  }

  /**
   * Applies events now and journals them; callers acknowledge once the promise resolves.
   * Applying first keeps memory equal to the journal's events at every instant, which is what
   * lets a snapshot be taken at any time; a message may thus reach a receiver a moment before
   * its sender's acknowledgement, which at-least-once delivery allows.
   */
  private commit(events: JournalEvent[]): Promise<void> {
    for (const event of events) this.apply(event);
    return this.journal.append(events);
  }

  private commitEntity(store: string, events: entity.EntityEvent[]): Promise<void> {
    return this.commit(events.map((event) => ({ type: 'entity' as const, entity: store, event })));
  }

  // Locks, renewals and expiries are journaled without waiting: a crash before the flush loses
  // at most a delivery-count increment, never a message. A journal that fails stays failed, so
  // the next send or settlement reports it to its client as well.
  private background(work: Promise<void>): void {
    work.catch((error: unknown) => this.warn(`Service Bus emulator journal: ${(error as Error).message}`));
  }

  onAvailable(listener: (store: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(stores: Iterable<string>): void {
    for (const store of stores) for (const listener of this.listeners) listener(store);
  }

  /** Resolves a link address (`queue`, `topic/Subscriptions/sub`, `.../$DeadLetterQueue`, `.../$management`). */
  resolve(address: string): Address {
    const path = resourcePath(address);
    const management = path.endsWith('/$management');
    const entityPath = management ? path.slice(0, -'/$management'.length) : path;
    const deadLetter = entityPath.endsWith('/$deadletterqueue');
    const storePath = deadLetter ? entityPath.slice(0, -'/$deadletterqueue'.length) : entityPath;
    const subQueue: entity.SubQueue = deadLetter ? 'deadLetter' : 'main';
    const store = this.stores.has(storePath) ? storePath : undefined;
    const domain = !deadLetter && this.domains.has(storePath) ? storePath : undefined;
    if (store !== undefined || domain !== undefined) return { domain, store, subQueue };
    throw new PlatformError(
      'NOT_FOUND',
      `The messaging entity '${address}' could not be found. Entities come from the emulator config.`,
      { entity: address },
    );
  }

  /** Accepts messages for a queue or topic; resolves once they are durable. */
  async send(domainKey: string, messages: readonly IncomingMessage[]): Promise<number[]> {
    const domain = this.requireDomain(domainKey);
    const now = this.clock.now();
    const events: JournalEvent[] = [];
    const sequenceNumbers: number[] = [];
    for (const incoming of messages) {
      const id = incoming.messageId;
      if (domain.duplicateDetection.enabled && id !== undefined) {
        const seenAt = domain.seen.get(id);
        // A duplicate is acknowledged and dropped, as Azure does.
        if (seenAt !== undefined && seenAt + domain.duplicateDetection.windowMs > now) continue;
        domain.seen.set(id, now);
      }
      const enqueuedAt = Math.max(now, incoming.scheduledAt ?? now);
      const sequenceNumber = ++domain.lastSequenceNumber;
      sequenceNumbers.push(sequenceNumber);
      const entities = domain.targets.filter((t) => t.filter(incoming.filterProperties)).map((t) => t.key);
      const record = (ttl: number): entity.MessageRecord => ({
        sequenceNumber,
        enqueuedAt,
        expiresAt: Math.min(Number.MAX_SAFE_INTEGER, enqueuedAt + ttl),
        messageId: id,
        payload: incoming.payload,
      });
      // TTL is the smaller of the message's and the entity's default; subscriptions may differ.
      const byTtl = new Map<number, string[]>();
      for (const key of entities) {
        const ttl = Math.min(
          incoming.ttlMs ?? Number.MAX_SAFE_INTEGER,
          this.requireStore(key).settings.defaultTtlMs,
        );
        byTtl.set(ttl, [...(byTtl.get(ttl) ?? []), key]);
      }
      if (byTtl.size === 0)
        events.push({
          type: 'accepted',
          domain: domainKey,
          entities: [],
          message: record(incoming.ttlMs ?? Number.MAX_SAFE_INTEGER),
        });
      for (const [ttl, keys] of byTtl)
        events.push({ type: 'accepted', domain: domainKey, entities: keys, message: record(ttl) });
    }
    await this.commit(events);
    this.notify(domain.targets.map((t) => t.key));
    return sequenceNumbers;
  }

  receive(
    storeKey: string,
    subQueue: entity.SubQueue,
    maxMessages: number,
    mode: 'peekLock' | 'receiveAndDelete',
  ): Received[] {
    const store = this.requireStore(storeKey);
    const { events, received } = entity.receive(store.state, store.settings, {
      subQueue,
      maxMessages,
      mode,
      now: this.clock.now(),
      newLockToken: randomUUID,
    });
    const messages = this.snapshotMessages(store, events, received);
    this.background(this.commitEntity(storeKey, events));
    return messages.map((message) => ({ message, store: storeKey }));
  }

  // Receive-and-delete removes messages in the same step, so capture them as they leave.
  private snapshotMessages(
    store: Store,
    events: entity.EntityEvent[],
    received: number[],
  ): entity.StoredMessage[] {
    const scratch: entity.EntityState = { messages: new Map() };
    for (const sequenceNumber of received) {
      const message = store.state.messages.get(sequenceNumber);
      if (message) scratch.messages.set(sequenceNumber, message);
    }
    entity.applyEvents(
      scratch,
      events.filter((e) => e.type === 'locked'),
    );
    return received
      .map((n) => scratch.messages.get(n))
      .filter((m): m is entity.StoredMessage => m !== undefined);
  }

  async settle(storeKey: string, token: string, outcome: entity.Outcome): Promise<void> {
    const store = this.requireStore(storeKey);
    const events = entity.settle(store.state, store.settings, token, outcome, this.clock.now());
    await this.commitEntity(storeKey, events);
    if (outcome.kind !== 'complete') this.notify([storeKey]);
  }

  renewLock(storeKey: string, token: string): number {
    const store = this.requireStore(storeKey);
    const event = entity.renewLock(store.state, store.settings, token, this.clock.now());
    this.background(this.commitEntity(storeKey, [event]));
    return event.until;
  }

  peek(
    storeKey: string,
    subQueue: entity.SubQueue,
    fromSequenceNumber: number,
    maxMessages: number,
  ): entity.StoredMessage[] {
    return entity.peek(this.requireStore(storeKey).state, subQueue, fromSequenceNumber, maxMessages);
  }

  receiveDeferred(
    storeKey: string,
    sequenceNumbers: readonly number[],
    mode: 'peekLock' | 'receiveAndDelete',
  ): Received[] {
    const store = this.requireStore(storeKey);
    const events = entity.receiveDeferred(store.state, store.settings, sequenceNumbers, {
      mode,
      now: this.clock.now(),
      newLockToken: randomUUID,
    });
    const messages = this.snapshotMessages(store, events, [...sequenceNumbers]);
    this.background(this.commitEntity(storeKey, events));
    return messages.map((message) => ({ message, store: storeKey }));
  }

  async cancelScheduled(domainKey: string, sequenceNumbers: readonly number[]): Promise<void> {
    const now = this.clock.now();
    const events: JournalEvent[] = [];
    for (const target of this.requireDomain(domainKey).targets) {
      const store = this.requireStore(target.key);
      for (const event of entity.cancelScheduled(store.state, sequenceNumbers, now))
        events.push({ type: 'entity', entity: target.key, event });
    }
    await this.commit(events);
  }

  /**
   * Retires expired and exhausted messages, tells listeners where messages may have become
   * available (locks ran out, schedules came due), and compacts a journal that has grown.
   */
  tick(): void {
    const now = this.clock.now();
    const touched: string[] = [];
    for (const [key, store] of this.stores) {
      const events = entity.sweep(store.state, store.settings, now);
      if (events.length > 0) this.background(this.commitEntity(key, events));
      touched.push(key);
    }
    this.notify(touched);
    if (this.journal.backlog >= compactAfterEvents) this.background(this.journal.compact(this.snapshot()));
  }

  storeName(key: string): string {
    return this.requireStore(key).name;
  }

  close(): Promise<void> {
    return this.journal.close();
  }

  private requireDomain(key: string): Domain {
    const domain = this.domains.get(key);
    if (!domain)
      throw new PlatformError('NOT_FOUND', `The messaging entity '${key}' could not be found.`, {
        entity: key,
      });
    return domain;
  }

  private requireStore(key: string): Store {
    const store = this.stores.get(key);
    if (!store)
      throw new PlatformError('NOT_FOUND', `The messaging entity '${key}' could not be found.`, {
        entity: key,
      });
    return store;
  }
}
