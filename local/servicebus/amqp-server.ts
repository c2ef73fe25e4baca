// The AMQP 1.0 face of the broker, on rhea: SASL, CBS put-token, entity links, the
// `$management` request/response links, credit and drain. It holds no message state of its
// own; every decision is the broker's.
import type { AddressInfo, Server } from 'node:net';
import rhea, { type Connection, type Delivery, type EventContext, type Receiver, type Sender } from 'rhea';
import { PlatformError } from '../../shared/errors.js';
import {
  encodeForDelivery,
  lockTokenToDeliveryTag,
  parseDecoded,
  parseIncoming,
  unbatch,
  type DecodedMessage,
} from './amqp-message.js';
import type { Address, Broker } from './broker.js';
import { deliveryAnnotations } from './delivery.js';
import { amqpErrorOf } from './amqp-errors.js';
import type { Outcome } from './entity-state.js';
import { errorReply, handleManagement, managementMessage } from './management.js';
import { checkMessageSize, maxMessageSizeBytes } from './message-size.js';
import { resourcePath } from './resource-path.js';
import { verifySasToken } from './sas-token.js';

const batchFormat = 0x80013700;

export interface AmqpServerOptions {
  host: string;
  port: number;
  keyName: string;
  key: string;
  warn: (message: string) => void;
}

interface Consumer {
  sender: Sender;
  store: string;
  subQueue: Address['subQueue'];
  mode: 'peekLock' | 'receiveAndDelete';
  /** Deliveries handed to rhea on this link, transferred or not. */
  sent: number;
}

interface RemoteAttach {
  source?: { address?: string; filter?: Record<string, unknown> };
  target?: { address?: string };
  snd_settle_mode?: number;
}

const remoteAttach = (link: Sender | Receiver): RemoteAttach =>
  (link as unknown as { remote: { attach?: RemoteAttach } }).remote.attach ?? {};

/** Per-connection state: the resources its CBS tokens granted and where replies go. */
interface ConnectionState {
  granted: Set<string>;
  replyLinks: Map<string, Sender>;
}

export class AmqpServer {
  private readonly container = rhea.create_container({
    id: 'servicebus-emulator',
    autoaccept: false,
    treat_modified_as_released: false,
  });
  private readonly connections = new Map<Connection, ConnectionState>();
  private readonly consumers = new Map<Sender, Consumer>();
  private readonly unsettled = new WeakMap<Delivery, { store: string; token: string }>();
  private server: Server | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly options: AmqpServerOptions,
  ) {
    this.container.sasl_server_mechanisms.enable_anonymous();
    this.container.sasl_server_mechanisms.enable_plain(() => true);
    this.on('connection_open', (context: EventContext) => {
      this.connections.set(context.connection, { granted: new Set(), replyLinks: new Map() });
    });
    this.on('disconnected', (context: EventContext) => this.forget(context.connection));
    this.on('connection_close', (context: EventContext) => this.forget(context.connection));
    this.on('sender_open', (context: EventContext) =>
      this.onSenderOpen(context.connection, context.sender as Sender),
    );
    this.on('receiver_open', (context: EventContext) =>
      this.onReceiverOpen(context.connection, context.receiver as Receiver),
    );
    this.on('sendable', (context: EventContext) => this.pumpLink(context.sender as Sender));
    this.on('sender_draining', (context: EventContext) => {
      this.pumpLink(context.sender as Sender);
      (context.sender as Sender).set_drained(true);
    });
    this.on('sender_close', (context: EventContext) => this.consumers.delete(context.sender as Sender));
    this.on('message', (context: EventContext) => this.onMessage(context));
    for (const event of ['accepted', 'released', 'modified', 'rejected'] as const) {
      this.on(event, (context: EventContext) => this.onDisposition(event, context.delivery as Delivery));
    }
    // A connection-level failure ends that connection only; say what it was (rhea's own report
    // of a protocol error dumps the whole frame in hex).
    for (const event of ['error', 'protocol_error'])
      this.container.on(event, (error: unknown) =>
        options.warn(
          `Service Bus emulator connection ${event.replace('_', ' ')}: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
        ),
      );
    broker.onAvailable((store) => this.pumpStore(store));
  }

  /**
   * Registers a handler so that whatever it throws, now or later, ends the connection it came
   * from and never the process: rhea calls handlers from the socket's data event, where an
   * exception would be uncaught.
   */
  private on(event: string, handler: (context: EventContext) => unknown): void {
    this.container.on(event, (context: EventContext) => {
      const fail = (error: unknown) => {
        this.options.warn(
          `Service Bus emulator: ${event} failed, closing the connection: ${(error as Error)?.message ?? String(error)}`,
        );
        context.connection?.close({ condition: 'amqp:internal-error', description: `${event} failed.` });
      };
      try {
        const result = handler(context);
        if (result instanceof Promise) result.catch(fail);
      } catch (error) {
        fail(error);
      }
    });
  }

  async listen(): Promise<number> {
    const server = this.container.listen({ host: this.options.host, port: this.options.port }) as Server;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (error) =>
        reject(
          new PlatformError(
            'DEPENDENCY_UNAVAILABLE',
            `Service Bus emulator cannot listen on ${this.options.host}:${this.options.port}: ${error.message}`,
          ),
        ),
      );
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const connection of this.connections.keys()) connection.close();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private forget(connection: Connection): void {
    const state = this.connections.get(connection);
    if (!state) return;
    this.connections.delete(connection);
    for (const sender of this.consumers.keys())
      if (sender.connection === connection) this.consumers.delete(sender);
  }

  private onSenderOpen(connection: Connection, sender: Sender): void {
    const attach = remoteAttach(sender);
    const address = attach.source?.address ?? '';
    sender.set_source({ address });
    sender.set_target({ address: attach.target?.address ?? '' });
    if (address === '$cbs' || address.endsWith('/$management')) {
      // Replies go to the link named by reply-to: the CBS client names its link, $management sets its target.
      const replyLinks = this.connections.get(connection)?.replyLinks;
      replyLinks?.set(sender.name, sender);
      if (attach.target?.address) replyLinks?.set(attach.target.address, sender);
      return;
    }
    if (
      attach.source?.filter &&
      Object.keys(attach.source.filter).some((k) => k.includes('session-filter'))
    ) {
      return refuse(
        sender,
        new PlatformError('NOT_IMPLEMENTED', 'Sessions are not supported by the local Service Bus emulator.'),
      );
    }
    const resolved = this.authorize(connection, sender, address);
    if (!resolved) return;
    if (resolved.store === undefined)
      return refuse(
        sender,
        new PlatformError(
          'METHOD_NOT_ALLOWED',
          `Cannot receive from topic '${address}'; receive from one of its subscriptions.`,
          { address },
        ),
      );
    this.consumers.set(sender, {
      sender,
      store: resolved.store,
      subQueue: resolved.subQueue,
      // The client asks for settled deliveries (snd-settle-mode settled) in receive-and-delete mode.
      mode: attach.snd_settle_mode === 1 ? 'receiveAndDelete' : 'peekLock',
      sent: 0,
    });
  }

  private onReceiverOpen(connection: Connection, receiver: Receiver): void {
    const address = remoteAttach(receiver).target?.address ?? '';
    receiver.set_target({ address });
    (
      receiver as unknown as { local: { attach: { max_message_size?: number } } }
    ).local.attach.max_message_size = maxMessageSizeBytes;
    if (address === '$cbs') return;
    const resolved = this.authorize(connection, receiver, address);
    if (resolved && !address.endsWith('/$management') && resolved.domain === undefined)
      refuse(
        receiver,
        new PlatformError('METHOD_NOT_ALLOWED', `Cannot send to '${address}'; send to its queue or topic.`, {
          address,
        }),
      );
  }

  private authorize(connection: Connection, link: Sender | Receiver, address: string): Address | undefined {
    let resolved: Address;
    try {
      resolved = this.broker.resolve(address);
    } catch (error) {
      refuse(link, error);
      return undefined;
    }
    const path = resourcePath(address);
    const granted = [...(this.connections.get(connection)?.granted ?? [])].some(
      (g) => g === '' || path === g || path.startsWith(`${g}/`),
    );
    if (!granted) {
      refuse(
        link,
        new PlatformError('UNAUTHORIZED', `Unauthorized access to '${address}': put a token on $cbs first.`, {
          address,
        }),
      );
      return undefined;
    }
    return resolved;
  }

  private async onMessage(context: EventContext): Promise<void> {
    const receiver = context.receiver as Receiver;
    const delivery = context.delivery as Delivery;
    const address = remoteAttach(receiver).target?.address ?? '';
    const message = context.message as unknown;
    if (address === '$cbs') return this.onPutToken(context.connection, message as rhea.Message, delivery);
    if (address.endsWith('/$management'))
      return this.onManagement(context.connection, address, message as rhea.Message, delivery);
    try {
      const resolved = this.broker.resolve(address);
      if (resolved.domain === undefined)
        throw new PlatformError('INVALID_INPUT', `Cannot send to '${address}'.`);
      const batched = (context as { format?: number }).format === batchFormat;
      const payloads = batched
        ? unbatch(message as Buffer).map((bytes) => parseIncoming(bytes))
        : [parseDecoded(message as DecodedMessage)];
      checkMessageSize(
        batched ? (message as Buffer).length : payloads[0]!.payload.length,
        `delivery-id:${String(delivery.id)}`,
      );
      await this.broker.send(resolved.domain, payloads);
      delivery.accept();
    } catch (error) {
      const { condition, description } = amqpErrorOf(error);
      delivery.reject({ condition, description });
    }
  }

  private onPutToken(connection: Connection, request: rhea.Message, delivery: Delivery): void {
    delivery.accept();
    const properties = (request.application_properties ?? {}) as Record<string, unknown>;
    const audience = String(properties.name ?? '');
    const verdict =
      properties.operation === 'put-token'
        ? verifySasToken(
            String(request.body ?? ''),
            audience,
            this.options.keyName,
            this.options.key,
            this.broker.clock.now(),
          )
        : { ok: false as const, reason: `Unsupported CBS operation '${String(properties.operation)}'.` };
    const state = this.connections.get(connection);
    if (verdict.ok) state?.granted.add(resourcePath(audience));
    this.reply(connection, request, {
      correlation_id: request.message_id,
      application_properties: verdict.ok
        ? { 'status-code': 202, 'status-description': 'Accepted' }
        : { 'status-code': 401, 'status-description': verdict.reason },
    });
  }

  private async onManagement(
    connection: Connection,
    address: string,
    request: rhea.Message,
    delivery: Delivery,
  ): Promise<void> {
    delivery.accept();
    const properties = (request.application_properties ?? {}) as Record<string, unknown>;
    let resolved: Address;
    try {
      resolved = this.broker.resolve(address);
    } catch (error) {
      this.reply(connection, request, managementMessage(errorReply(error), request.message_id));
      return;
    }
    const reply = await handleManagement(
      this.broker,
      resolved,
      String(properties.operation ?? ''),
      (request.body ?? {}) as Record<string, unknown>,
    );
    this.reply(connection, request, managementMessage(reply, request.message_id));
  }

  private reply(connection: Connection, request: rhea.Message, response: Record<string, unknown>): void {
    const link = this.connections.get(connection)?.replyLinks.get(String(request.reply_to ?? ''));
    if (link?.is_open()) link.send(response as unknown as rhea.Message);
  }

  private pumpStore(store: string): void {
    for (const consumer of this.consumers.values()) if (consumer.store === store) this.pump(consumer);
  }

  private pumpLink(sender: Sender): void {
    const consumer = this.consumers.get(sender);
    if (consumer) this.pump(consumer);
  }

  private pump(consumer: Consumer): void {
    const { sender } = consumer;
    for (;;) {
      const budget = Math.min(unusedCredit(consumer), 100);
      if (!sender.is_open() || !sender.sendable() || budget <= 0) return;
      const received = this.broker.receive(consumer.store, consumer.subQueue, budget, consumer.mode);
      if (received.length === 0) return;
      const now = this.broker.clock.now();
      for (const item of received) {
        const bytes = encodeForDelivery(
          item.message.payload,
          deliveryAnnotations(item, this.broker, now, false),
        );
        const token = item.message.lock?.token;
        const tag =
          consumer.mode === 'peekLock' && token
            ? lockTokenToDeliveryTag(token)
            : sequenceTag(item.message.sequenceNumber);
        const delivery = sender.send(bytes as unknown as rhea.Message, tag, 0);
        consumer.sent += 1;
        if (consumer.mode === 'peekLock' && token)
          this.unsettled.set(delivery, { store: consumer.store, token });
      }
    }
  }

  private async onDisposition(
    event: 'accepted' | 'released' | 'modified' | 'rejected',
    delivery: Delivery,
  ): Promise<void> {
    const lock = this.unsettled.get(delivery);
    if (!lock) return;
    this.unsettled.delete(delivery);
    try {
      await this.broker.settle(lock.store, lock.token, outcomeOf(event, delivery));
      // Settling without an error is the success the client waits for, whatever the outcome was.
      settle(delivery, outcomes.accepted().described());
    } catch (error) {
      const { condition, description } = amqpErrorOf(error);
      settle(delivery, outcomes.rejected({ error: { condition, description } }).described());
    }
  }
}

function outcomeOf(event: 'accepted' | 'released' | 'modified' | 'rejected', delivery: Delivery): Outcome {
  const state = (delivery.remote_state ?? {}) as {
    undeliverable_here?: boolean;
    message_annotations?: Record<string, unknown>;
    error?: { info?: Record<string, unknown> };
  };
  switch (event) {
    case 'accepted':
      return { kind: 'complete' };
    case 'released':
      return { kind: 'abandon' };
    case 'modified':
      return state.undeliverable_here
        ? { kind: 'defer', properties: state.message_annotations }
        : { kind: 'abandon', properties: state.message_annotations };
    case 'rejected': {
      const { DeadLetterReason, DeadLetterErrorDescription, ...properties } = state.error?.info ?? {};
      return {
        kind: 'deadLetter',
        reason: DeadLetterReason === undefined ? '' : String(DeadLetterReason),
        description: DeadLetterErrorDescription === undefined ? '' : String(DeadLetterErrorDescription),
        properties: Object.keys(properties).length > 0 ? properties : undefined,
      };
    }
  }
}

/**
 * Credit the receiver granted that no delivery has claimed yet. rhea only counts a delivery
 * against the credit when it writes the transfer, on a later tick, so deliveries handed to it
 * but not yet written are subtracted here; otherwise a pump would overrun the credit.
 */
function unusedCredit(consumer: Consumer): number {
  const link = consumer.sender as unknown as { credit: number; delivery_count: number };
  return link.credit - (consumer.sent - link.delivery_count);
}

// Parts of rhea's API its typings leave out.
const outcomes = rhea.message as unknown as {
  accepted(): { described(): unknown };
  rejected(fields: { error: { condition: string; description: string } }): { described(): unknown };
};

/**
 * Settles a peek-lock delivery. In receiver-settle-mode "second" the receiver's disposition
 * came first and it sends nothing after ours, so rhea would wait for a settlement that never
 * arrives and keep the delivery in the session's window (2048 deliveries, then the link stalls).
 */
function settle(delivery: Delivery, state: unknown): void {
  delivery.update(true, state);
  (delivery as { remote_settled: boolean }).remote_settled = true;
}

function refuse(link: Sender | Receiver, error: unknown): void {
  const { condition, description } = amqpErrorOf(error);
  link.close({ condition, description });
}

function sequenceTag(sequenceNumber: number): Buffer {
  const tag = Buffer.alloc(8);
  tag.writeBigInt64BE(BigInt(sequenceNumber));
  return tag;
}
