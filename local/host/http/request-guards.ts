// Checks the front door makes before routing, pure so they can be tested alone. The local host
// listens on loopback for one developer; these keep a web page the developer happens to visit
// (DNS rebinding, cross-site form posts) from reaching it.
import { PlatformError } from '../../../shared/errors.js';

/** A Host header naming this machine: localhost (and *.localhost), 127.0.0.0/8 or [::1], any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  // HTTP/1.0 clients may omit Host; the socket is loopback-only anyway.
  if (host === undefined) return true;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host);
  if (!match || (match[2] !== undefined && Number(match[2]) > 65_535)) return false;
  const name = match[1]!.toLowerCase().replace(/\.$/, '');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '[::1]' ||
    /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(name)
  );
}

/**
 * True when the request target has a `.` or `..` segment (plain or percent-encoded), or a
 * backslash, which URL parsing would resolve away and so route the request somewhere else
 * than the path it names.
 */
export function hasDotSegment(target: string): boolean {
  const path = target.split(/[?#]/, 1)[0] ?? '';
  if (path.includes('\\') || /%5c/i.test(path)) return true;
  return path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request's Origin may act on this host: same-origin, no Origin (not a browser), a
 * safe method, or an origin the CORS setting lists (`*` lists every one).
 */
export function originAllowed(
  method: string,
  origin: string | undefined,
  host: string | undefined,
  cors: readonly string[],
): boolean {
  if (origin === undefined || safeMethods.has(method)) return true;
  return origin === `http://${host}` || corsAllows(origin, cors);
}

export function corsAllows(origin: string, cors: readonly string[]): boolean {
  return cors.includes('*') || cors.includes(origin.replace(/\/$/, ''));
}

/** Methods whose requests carry no body worth reading (HTTP gives a GET body no meaning). */
const bodiless = new Set(['GET', 'HEAD']);

/** The largest body to read for a request: none for GET and HEAD, else the route's own limit within the host's. */
export function bodyLimit(method: string, routeLimit: number | undefined, hostLimit: number): number {
  if (bodiless.has(method)) return 0;
  return routeLimit === undefined ? hostLimit : Math.min(routeLimit, hostLimit);
}

/** The error for a body over its limit, whether declared or counted as it arrives. */
export const bodyTooLarge = (limit: number) =>
  new PlatformError('PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${limit} bytes.`, { limit });

/** The error for a body that sent nothing for `idleTimeoutMs`. */
export const bodyIdle = (idleTimeoutMs: number) =>
  new PlatformError('REQUEST_TIMEOUT', `The request body sent nothing for ${idleTimeoutMs} ms.`);
