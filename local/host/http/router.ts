// Chooses the route for a request among the app's HTTP functions and the host's own routes.
// A path that matches only with another method answers 405 with Allow, like the Azure host.
import type { AuthLevel, HostRoute, RegisteredFunction } from '../extension.js';
import { isHttpTrigger } from '../function-index.js';
import {
  comparePrecedence,
  matchSegments,
  parseRouteTemplate,
  pathSegments,
  type RouteTemplate,
} from './route-template.js';

export type RouteTarget = { kind: 'function'; fn: RegisteredFunction } | { kind: 'host'; route: HostRoute };

export interface RouteEntry {
  readonly template: RouteTemplate;
  /** Upper-case methods; empty means any. */
  readonly methods: ReadonlySet<string>;
  readonly auth: AuthLevel;
  readonly target: RouteTarget;
  /** The route's own body limit, within the host's. */
  readonly maxBodyBytes?: number;
}

export type RouteMatch =
  | { kind: 'found'; entry: RouteEntry; params: Record<string, string> }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allowed: string[] };

export function functionRoutes(functions: readonly RegisteredFunction[], routePrefix: string): RouteEntry[] {
  return functions.filter(isHttpTrigger).map((fn) => {
    const route =
      typeof fn.trigger.route === 'string' && fn.trigger.route !== '' ? fn.trigger.route : fn.name;
    const methods = Array.isArray(fn.trigger.methods)
      ? fn.trigger.methods.map((m) => String(m).toUpperCase())
      : [];
    const auth = String(fn.trigger.authLevel ?? 'function').toLowerCase() as AuthLevel;
    const limit = fn.trigger.maxRequestBodyBytes;
    return {
      template: parseRouteTemplate([routePrefix, route].filter(Boolean).join('/')),
      methods: new Set(methods),
      auth,
      target: { kind: 'function', fn } as const,
      ...(Number.isSafeInteger(limit) && (limit as number) >= 0 ? { maxBodyBytes: limit as number } : {}),
    };
  });
}

export function hostRoutes(routes: readonly HostRoute[]): RouteEntry[] {
  return routes.map((route) => ({
    template: parseRouteTemplate(route.template),
    methods: new Set(route.methods.map((m) => m.toUpperCase())),
    auth: route.auth,
    target: { kind: 'host', route } as const,
  }));
}

export function sortRoutes(entries: RouteEntry[]): RouteEntry[] {
  return [...entries].sort((a, b) => comparePrecedence(a.template, b.template));
}

export function findRoute(entries: readonly RouteEntry[], method: string, path: string): RouteMatch {
  let allowed: Set<string> | undefined;
  const parts = pathSegments(path);
  for (const entry of entries) {
    const params = matchSegments(entry.template, parts);
    if (!params) continue;
    if (entry.methods.size === 0 || entry.methods.has(method)) return { kind: 'found', entry, params };
    allowed ??= new Set<string>();
    entry.methods.forEach((m) => allowed!.add(m));
  }
  return allowed ? { kind: 'method-not-allowed', allowed: [...allowed].sort() } : { kind: 'not-found' };
}
