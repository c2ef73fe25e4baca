// HTTP routes that need a Durable client, registered from a table; every one needs the function key
// and goes through the shared request adapter with the dependencies its client opens.
import * as df from 'durable-functions';
import { respond, type RouteRequest, type RouteResponse } from './api-route.js';

export type ClientRoute<D> = readonly [
  name: string,
  method: 'GET' | 'POST',
  path: string,
  handler: (deps: D, request: RouteRequest) => Promise<RouteResponse>,
];

export function clientRoutes<D>(
  routes: readonly ClientRoute<D>[],
  deps: (client: df.DurableClient) => () => Promise<D>,
  what: string,
): void {
  for (const [name, method, path, handler] of routes) {
    df.app.client.http(name, {
      methods: [method],
      authLevel: 'function',
      route: path,
      handler: (request, client, context) => respond(handler, deps(client), request, context, what),
    });
  }
}
