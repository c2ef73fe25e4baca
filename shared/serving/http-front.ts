// Adapts the scoring front ends to Azure Functions HTTP handlers: one place turns failures into
// `{"error", "code", ...details}` answers (never a stack) and tags every answer with the request id.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { failureAnswer, requestIdOf, type HttpAnswer } from '../scoring/request-body.js';
import type { Serving } from './open-data-plane.js';

export interface FrontRequest {
  readonly http: HttpRequest;
  readonly requestId: string;
  readonly serving: Serving;
}

// The data plane and its SDKs (Cosmos DB, Storage, onnxruntime) load with the first request,
// not with the app: the host indexes the app and listens without waiting for them.
let dataPlane: Promise<typeof import('./open-data-plane.js')> | undefined;
const openDataPlane = () => (dataPlane ??= import('./open-data-plane.js'));

let prewarming: Promise<void> | undefined;

/** Starts loading the data plane and the served models in the background (an appStart hook). */
export function prewarmServing(): void {
  prewarming ??= (async () => {
    const { plane, settings } = (await openDataPlane()).openServing();
    await plane.prewarm(settings.prewarmModels);
  })().catch((error: unknown) => console.error('[serving] pre-warming failed', error));
}

export function front(handler: (request: FrontRequest) => Promise<HttpAnswer>) {
  return async (http: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const requestId = requestIdOf(http.headers.get('x-request-id'), context.invocationId);
    let answer: HttpAnswer;
    try {
      answer = await handler({ http, requestId, serving: (await openDataPlane()).openServing() });
    } catch (error) {
      answer = failureAnswer(error, (failure) => context.error('scoring request failed', failure));
    }
    // Serialized here with its content type: the library's jsonBody path builds a Headers object more.
    return {
      status: answer.status,
      body: JSON.stringify(answer.body),
      headers: { ...answer.headers, 'content-type': 'application/json', 'x-request-id': requestId },
    };
  };
}
