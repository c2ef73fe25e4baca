// Every call the console makes: same origin, the function key in `x-functions-key`, JSON in and
// out, and the platform's error body ({error, code, ...details}) turned into an ApiError.

const keyName = 'mlops-console-key';

/** The key from `?code=` (then dropped from the address bar) or from this tab's session. */
export function initialKey(): string | null {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  if (code) {
    sessionStorage.setItem(keyName, code);
    url.searchParams.delete('code');
    window.history.replaceState(null, '', url);
    return code;
  }
  return sessionStorage.getItem(keyName);
}

export function saveKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(keyName);
  else sessionStorage.setItem(keyName, key);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  readonly data: T;
  readonly etag: string | null;
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when the platform refuses the key, so the shell can ask for another. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; ifMatch?: string | null } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = sessionStorage.getItem(keyName);
  if (key) headers['x-functions-key'] = key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  let response: Response;
  try {
    response = await fetch(`/api/${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'The platform could not be reached; is the host running?', undefined, {});
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  if (!response.ok) {
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const message =
      typeof record.error === 'string' ? record.error : `${response.status} ${response.statusText}`.trim();
    if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
    throw new ApiError(
      response.status,
      message,
      typeof record.code === 'string' ? record.code : undefined,
      record,
    );
  }
  return { data: body as T, etag: response.headers.get('etag') };
}
