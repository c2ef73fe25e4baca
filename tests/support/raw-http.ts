// Sends bytes to an HTTP server over a bare socket, for requests no well-behaved client would
// make (odd Host headers, dot segments, bodies that stall), and reads what comes back.
import { connect } from 'node:net';

export interface RawReply {
  /** 0 when the server closed without answering. */
  readonly status: number;
  readonly head: string;
  readonly body: string;
  /** Milliseconds from connecting to the server closing the connection (or the reply ending). */
  readonly elapsedMs: number;
}

/** Writes `request` and reads until the server closes, the first reply is complete, or `timeoutMs`. */
export function rawHttp(url: string, request: string | Buffer, timeoutMs = 10_000): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const at = text.indexOf('\r\n\r\n');
      const head = at < 0 ? text : text.slice(0, at);
      resolve({
        status: Number(/^HTTP\/1\.\d (\d{3})/.exec(head)?.[1] ?? 0),
        head,
        body: at < 0 ? '' : text.slice(at + 4),
        elapsedMs: Date.now() - started,
      });
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('latin1');
      const at = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, at));
      if (at >= 0 && length && Buffer.byteLength(text.slice(at + 4), 'latin1') >= Number(length[1])) finish();
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.write(request);
  });
}
