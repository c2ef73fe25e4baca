// The demo talks to the platform only as a user would: the HTTP routes of DESIGN.md section 4
// with the function key, and the blob SDK for dropping files.
import { BlobServiceClient } from '@azure/storage-blob';

export class PlatformClient {
  private readonly blobs: BlobServiceClient;

  constructor(
    readonly baseUrl: string,
    private readonly key: string,
    storageConnectionString: string,
  ) {
    this.blobs = BlobServiceClient.fromConnectionString(storageConnectionString);
  }

  /** JSON from a route; `undefined` for a 404, so callers can wait for things to appear. */
  async get<T>(path: string): Promise<T | undefined> {
    const response = await this.call('GET', path);
    if (response.status === 404) return undefined;
    return this.json<T>(response, 'GET', path);
  }

  async send<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
    return this.json<T>(await this.call(method, path, body), method, path);
  }

  async upload(container: string, name: string, text: string): Promise<void> {
    const client = this.blobs.getContainerClient(container);
    await client.createIfNotExists();
    await client.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
      blobHTTPHeaders: { blobContentType: 'text/csv' },
    });
  }

  private call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}/api/${path}`, {
      method,
      headers: { 'x-functions-key': this.key, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private async json<T>(response: Response, method: string, path: string): Promise<T> {
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${method} /api/${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

/** Polls `check` until it returns a value, printing nothing; fails with `what` at the deadline. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
