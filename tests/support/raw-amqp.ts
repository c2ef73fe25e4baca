// A bare rhea connection to the Service Bus emulator, for tests that send what the official
// client never would: hand-made CBS tokens, management requests, junk bodies.
import rhea, { type Connection, type EventContext, type Message } from 'rhea';

export interface RawAmqp {
  readonly connection: Connection;
  /** Sends a request on `address` and waits for the reply correlated with it. */
  request(address: string, message: Message, timeoutMs?: number): Promise<Message>;
  /** Resolves when the connection closes or errors, with the reason the peer gave. */
  readonly closed: Promise<string>;
  /** False once the peer has closed or dropped the connection. */
  isOpen(): boolean;
  close(): void;
}

export async function rawAmqp(port: number): Promise<RawAmqp> {
  const container = rhea.create_container({ id: `raw-${port}-${Math.random()}` });
  const connection = container.connect({ host: '127.0.0.1', port, reconnect: false });
  // Refusals are expected here; without listeners rhea would throw them as uncaught errors.
  for (const event of [
    'sender_error',
    'receiver_error',
    'session_error',
    'connection_error',
    'error',
    'protocol_error',
  ])
    connection.on(event, () => undefined);
  await new Promise<void>((resolve, reject) => {
    connection.once('connection_open', () => resolve());
    connection.once('connection_error', (context: EventContext) => reject(context.connection.error));
    connection.once('disconnected', () => reject(new Error('disconnected before open')));
  });
  const closed = new Promise<string>((resolve) => {
    const done = (context: EventContext) =>
      resolve(String((context.connection.error as { description?: string })?.description ?? 'closed'));
    connection.once('connection_close', done);
    connection.once('connection_error', done);
    connection.once('disconnected', done);
  });
  let open = true;
  void closed.then(() => (open = false));
  let next = 0;
  const request = async (address: string, message: Message, timeoutMs = 5000): Promise<Message> => {
    const replyTo = `reply-${next++}`;
    const receiver = connection.open_receiver({
      source: { address },
      target: { address: replyTo },
      name: replyTo,
    });
    const sender = connection.open_sender({ target: { address }, name: `send-${replyTo}` });
    try {
      return await new Promise<Message>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply on ${address}`)), timeoutMs);
        receiver.once('message', (context: EventContext) => {
          clearTimeout(timer);
          resolve(context.message as Message);
        });
        sender.once('sendable', () => {
          try {
            sender.send({ message_id: replyTo, reply_to: replyTo, ...message });
          } catch (error) {
            // rhea cannot encode every JavaScript value (a huge number as ulong): nothing was sent.
            clearTimeout(timer);
            reject(error as Error);
          }
        });
        for (const link of [sender, receiver])
          link.once(link === sender ? 'sender_close' : 'receiver_close', () => {
            clearTimeout(timer);
            reject(
              new Error(
                `link to ${address} closed: ${String((link.error as { description?: string } | undefined)?.description ?? '')}`,
              ),
            );
          });
      });
    } finally {
      if (sender.is_open()) sender.close();
      if (receiver.is_open()) receiver.close();
    }
  };
  return { connection, request, closed, isOpen: () => open, close: () => connection.close() };
}
