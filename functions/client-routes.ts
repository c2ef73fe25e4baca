// HTTP routes that need a Durable client, registered from a table; every one needs the function key.
import * as df from 'durable-functions';

export type ClientRoute<H> = readonly [name: string, method: 'GET' | 'POST', path: string, handler: H];

export function clientRoutes<H>(
  routes: readonly ClientRoute<H>[],
  toHandler: (handler: H) => df.HttpDurableClientHandler,
): void {
  for (const [name, method, path, handler] of routes) {
    df.app.client.http(name, {
      methods: [method],
      authLevel: 'function',
      route: path,
      handler: toHandler(handler),
    });
  }
}
