// The Durable Functions HTTP API over the client operations, shared by the RPC endpoint that
// DurableClient calls (rpcBaseUrl) and the public /runtime/webhooks/durabletask routes.
// Paths are relative to either base: `orchestrators/{name}[/{id}]`, `instances[/{id}[/...]]`.
import { z } from 'zod';
import { errorResponse, PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import type { ClientOperations } from './client-operations.js';
import { managementPayload, type ManagementUrls } from './client-data.js';
import { isTerminal, runtimeStatuses, type InstanceQuery, type RuntimeStatus } from './instance.js';
import type { StatusView } from './status-view.js';

export interface ApiRequest {
  method: string;
  /** Decoded path segments after the API base. */
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Where a status view's history goes: the webhooks say `historyEvents`, the library reads `history`. */
export type HistoryField = 'historyEvents' | 'history';

export const continuationHeader = 'x-ms-continuation-token';

const instanceIdSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((id) => ![...id].some((c) => c.charCodeAt(0) < 0x20), 'must not contain control characters');
const nameSchema = z.string().min(1).max(256);
const flag = (value: string | null, fallback: boolean) =>
  value === null ? fallback : value.toLowerCase() === 'true';
const dateSchema = z.iso.datetime({ offset: true }).transform((d) => new Date(d).toISOString());
const statusesSchema = z.array(z.enum(runtimeStatuses));

export function createDurableHttpApi(
  ops: ClientOperations,
  urls: ManagementUrls,
  historyField: HistoryField,
  /** Hears every server-side failure with its stack; clients get only the error body. */
  report: (error: unknown, request: ApiRequest) => void,
) {
  const statusOptions = (query: URLSearchParams) => ({
    showInput: flag(query.get('showInput'), true),
    showHistory: flag(query.get('showHistory'), false),
    showHistoryOutput: flag(query.get('showHistoryOutput'), false),
  });

  const view = (status: StatusView) => {
    if (historyField === 'historyEvents' || !status.historyEvents) return status;
    const { historyEvents, ...rest } = status;
    return { ...rest, history: historyEvents };
  };

  const instanceQuery = (request: ApiRequest): InstanceQuery => {
    const q = request.query;
    const statuses = q.get('runtimeStatus');
    const top = q.get('top');
    const token = request.headers[continuationHeader];
    return {
      ...(statuses
        ? { statuses: parseInput(statusesSchema, statuses.split(','), 'runtimeStatus') as RuntimeStatus[] }
        : {}),
      ...(q.get('createdTimeFrom')
        ? { createdFrom: parseInput(dateSchema, q.get('createdTimeFrom'), 'createdTimeFrom') }
        : {}),
      ...(q.get('createdTimeTo')
        ? { createdTo: parseInput(dateSchema, q.get('createdTimeTo'), 'createdTimeTo') }
        : {}),
      ...(q.get('instanceIdPrefix') ? { instanceIdPrefix: q.get('instanceIdPrefix')! } : {}),
      ...(top ? { pageSize: parseInput(z.coerce.number().int().min(1).max(1000), top, 'top') } : {}),
      ...(token ? { continuationToken: token } : {}),
    };
  };

  const accepted = (instanceId: string, delivery: 'accepted' | 'gone'): ApiResponse => {
    if (delivery === 'accepted') return { status: 202 };
    throw new PlatformError('GONE', `Instance '${instanceId}' has already ended.`, { instanceId });
  };

  async function route(request: ApiRequest): Promise<ApiResponse> {
    const [head, rawId, action, extra] = request.segments;
    const method = request.method.toUpperCase();
    if (head === 'orchestrators' && method === 'POST' && rawId) {
      const name = parseInput(nameSchema, rawId, 'orchestrator function name');
      const instanceId =
        action === undefined ? undefined : parseInput(instanceIdSchema, action, 'instance id');
      const created = await ops.startNew(name, {
        input: jsonBody(request.body),
        ...(instanceId ? { instanceId } : {}),
      });
      const payload = managementPayload(urls, created.instanceId);
      return { status: 202, headers: { location: payload.statusQueryGetUri ?? '' }, body: payload };
    }
    if (head === 'entities' && rawId && action === undefined && method === 'GET') {
      const { pageSize, continuationToken } = instanceQuery(request);
      const page = await ops.listEntities(parseInput(nameSchema, rawId, 'entity name'), {
        ...(pageSize ? { pageSize } : {}),
        ...(continuationToken ? { continuationToken } : {}),
      });
      const withState = flag(request.query.get('fetchState'), false);
      return {
        status: 200,
        body: page.entities.map(({ state, ...entity }) => (withState ? { ...entity, state } : entity)),
        ...(page.continuationToken ? { headers: { [continuationHeader]: page.continuationToken } } : {}),
      };
    }
    if (head === 'entities' && rawId && action !== undefined && extra === undefined) {
      const entity = {
        name: parseInput(nameSchema, rawId, 'entity name'),
        key: parseInput(instanceIdSchema, action, 'entity key'),
      };
      if (method === 'GET') {
        const state = await ops.readEntity(entity);
        if (state === undefined) {
          throw new PlatformError('NOT_FOUND', `No entity '${entity.name}' with key '${entity.key}' found.`, {
            entity,
          });
        }
        return { status: 200, body: JSON.parse(state) as unknown };
      }
      if (method === 'POST') {
        await ops.signalEntity(entity, request.query.get('op') ?? '', jsonBody(request.body));
        return { status: 202 };
      }
      throw notFound();
    }
    if (head !== 'instances') throw notFound();
    if (rawId === undefined || rawId === '') {
      if (method === 'GET') {
        const page = await ops.list(instanceQuery(request), statusOptions(request.query));
        return {
          status: 200,
          body: page.statuses.map(view),
          ...(page.continuationToken ? { headers: { [continuationHeader]: page.continuationToken } } : {}),
        };
      }
      if (method === 'DELETE') {
        const deleted = await ops.purgeWhere(instanceQuery(request));
        if (!deleted) throw new PlatformError('NOT_FOUND', 'No instances matched.');
        return { status: 200, body: { instancesDeleted: deleted } };
      }
      throw notFound();
    }
    const instanceId = parseInput(instanceIdSchema, rawId, 'instance id');
    const reason = request.query.get('reason');
    if (action === undefined) {
      if (method === 'GET') {
        const status = await ops.getStatus(instanceId, statusOptions(request.query));
        if (!status) throw instanceNotFound(instanceId);
        const code = statusCodeOf(
          status.runtimeStatus as RuntimeStatus,
          flag(request.query.get('returnInternalServerErrorOnFailure'), false),
        );
        return {
          status: code,
          ...(code === 202
            ? {
                headers: {
                  location: managementPayload(urls, instanceId).statusQueryGetUri ?? '',
                  'retry-after': '10',
                },
              }
            : {}),
          body: view(status),
        };
      }
      if (method === 'DELETE') {
        const deleted = await ops.purge(instanceId);
        if (!deleted) throw instanceNotFound(instanceId, 'ended ');
        return { status: 200, body: { instancesDeleted: deleted } };
      }
      throw notFound();
    }
    if (method !== 'POST') throw notFound();
    switch (action) {
      case 'raiseEvent':
        return accepted(
          instanceId,
          await ops.raiseEvent(
            instanceId,
            parseInput(nameSchema, extra, 'event name'),
            jsonBody(request.body),
          ),
        );
      case 'terminate':
        return accepted(instanceId, await ops.terminate(instanceId, reason));
      case 'suspend':
        return accepted(instanceId, await ops.suspend(instanceId, reason));
      case 'resume':
        return accepted(instanceId, await ops.resume(instanceId, reason));
      case 'rewind':
      case 'restart':
        throw new PlatformError('NOT_IMPLEMENTED', `'${action}' is not supported by the local task hub.`, {
          action,
        });
      default:
        throw notFound();
    }
  }

  return async (request: ApiRequest): Promise<ApiResponse> => {
    try {
      return await route(request);
    } catch (error) {
      return errorResponse(error, (failure) => report(failure, request));
    }
  };
}

/**
 * As the extension answers: 202 while the instance still runs, 200 once it ended however it
 * ended, except 500 for a failure when the caller asked with returnInternalServerErrorOnFailure.
 */
function statusCodeOf(status: RuntimeStatus, failureIs500: boolean): number {
  if (!isTerminal(status)) return 202;
  return status === 'Failed' && failureIs500 ? 500 : 200;
}

function jsonBody(body: Buffer): string | null {
  const text = body.toString('utf8').trim();
  if (text === '') return null;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    throw new PlatformError('INVALID_INPUT', 'The request body is not valid JSON.', { field: 'body' });
  }
}

function instanceNotFound(instanceId: string, which = ''): PlatformError {
  return new PlatformError('NOT_FOUND', `No ${which}instance with ID '${instanceId}' found.`, { instanceId });
}

function notFound(): PlatformError {
  return new PlatformError('NOT_FOUND', 'No such Durable Task API operation.');
}
