// Durable HTTP (context.df.callHttp), as the extension runs it: the request is a built-in
// activity whose result is the response ({statusCode, headers, content}); a 202 with a Location
// header is polled with GET after Retry-After seconds (30 s without it) until it answers
// otherwise, unless the caller turned the asynchronous pattern off.
import { parseInput } from '../../shared/validate.js';
import { EventType } from './history.js';
import { durableHttpRequestSchema, type DurableHttpRequest } from './orchestrator-actions.js';
import { defaultHttpPollMs } from './orchestrator-protocol.js';
import { httpActivityName, type ScheduledTask } from './runtime-state.js';

export interface DurableHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  content: string;
}

/** The poll a completed durable HTTP call asks for, if it answered 202 with a Location. */
export function pollOf(
  task: ScheduledTask,
  resultText: string,
): { request: DurableHttpRequest; delayMs: number } | undefined {
  if (task.EventType !== EventType.TaskScheduled || task.Name !== httpActivityName || task.Input === null)
    return undefined;
  const request = JSON.parse(task.Input) as DurableHttpRequest;
  if (request.asynchronousPatternEnabled === false) return undefined;
  const response = JSON.parse(resultText) as DurableHttpResponse;
  const location = header(response, 'location');
  if (response.statusCode !== 202 || !location) return undefined;
  const retryAfter = Number(header(response, 'retry-after'));
  return {
    request: {
      method: 'GET',
      uri: new URL(location, request.uri).href,
      ...(request.headers ? { headers: request.headers } : {}),
      asynchronousPatternEnabled: true,
    },
    delayMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : defaultHttpPollMs,
  };
}

function header(response: DurableHttpResponse, name: string): string | undefined {
  const key = Object.keys(response.headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : response.headers[key];
}

/** Sends one durable HTTP request; resolves with the response as the activity result (JSON text). */
export async function sendDurableHttp(inputText: string | null): Promise<string> {
  const request = parseInput(durableHttpRequestSchema, JSON.parse(inputText ?? 'null'), 'callHttp request');
  if (request.tokenSource) {
    throw new Error(
      'callHttp with a tokenSource (managed identity) is not supported by the local task hub; pass an Authorization header instead.',
    );
  }
  const response = await fetch(request.uri, {
    method: request.method,
    headers: request.headers ?? {},
    ...(request.content === undefined || request.content === null ? {} : { body: request.content }),
    redirect: 'manual',
  });
  const result: DurableHttpResponse = {
    statusCode: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    content: await response.text(),
  };
  return JSON.stringify(result);
}
