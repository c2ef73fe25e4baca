// Adapts a Functions HTTP request to the plain API handlers of shared/ (registry, runs, batch
// scoring): the request's parts in; status, JSON body and headers out. Failures become JSON
// errors, and only a server-side failure is logged (with what the route was for).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { handle, type ApiRequest, type ApiResponse } from '../shared/registry/http-api.js';

/** The parts of a Functions request the shared/ handlers read. */
export interface RouteRequest extends ApiRequest {
  /** The request URL, for links to what a route created. */
  readonly url: string;
}

export type RouteResponse = Omit<ApiResponse, 'headers'> & { readonly headers?: Record<string, string> };

export async function respond<D>(
  handler: (deps: D, request: RouteRequest) => Promise<RouteResponse>,
  deps: () => Promise<D>,
  request: HttpRequest,
  context: InvocationContext,
  what: string,
): Promise<HttpResponseInit> {
  const parts: RouteRequest = {
    params: request.params,
    query: request.query,
    headers: request.headers,
    url: request.url,
    body: await request.text(),
  };
  const response = await handle(handler, deps, parts, (error) =>
    context.error(`${what} request failed`, error),
  );
  return { status: response.status, jsonBody: response.body, headers: response.headers };
}
