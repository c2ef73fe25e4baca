// Durable Functions on the local host, as the Azure Durable Task extension provides them:
// orchestrationTrigger and activityTrigger functions run by the task hub, the durableClient
// input binding, the RPC endpoint DurableClient calls, and the public webhooks under
// /runtime/webhooks/durabletask (system key).
import { randomUUID } from 'node:crypto';
import type {
  HostContext,
  HostExtension,
  HostHttpRequest,
  HostRoute,
  RegisteredFunction,
  TriggerListener,
} from '../host/extension.js';
import { errorResponse, PlatformError } from '../../shared/errors.js';
import type { TaskHubBackend } from './backend.js';
import { createClientOperations } from './client-operations.js';
import { durableClientData, webhookPath, type DurableClientData } from './client-data.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createDurableHttpApi, type ApiRequest, type ApiResponse } from './durable-http-api.js';
import type { TimerLimits } from './orchestrator-protocol.js';
import { segmentsOf, startRpcServer, type RpcServer } from './rpc-server.js';
import { createStorageBackend } from './storage-backend.js';
import { taskHubSettings } from './task-hub-options.js';

const day = 86_400_000;

export interface TaskHubExtensionOptions {
  /** Storage for the hub; Azure Storage at the AzureWebJobsStorage connection by default. */
  backend?: (connectionString: string, hubName: string) => TaskHubBackend;
  /** Long-timer splitting; Azure Storage's limits (6 days, 3-day segments) by default. */
  limits?: TimerLimits;
}

interface RunningHub {
  dispatcher: Dispatcher;
  rpc: RpcServer;
  clientData: DurableClientData;
  webhooks: (request: ApiRequest) => Promise<ApiResponse>;
  resume: () => Promise<void>;
}

/** Messages per episode: one storage transaction holds 100 operations, and an episode adds a few. */
const maxMessagesPerEpisode = 90;

export function createTaskHubExtension(options: TaskHubExtensionOptions = {}): HostExtension {
  let hub: RunningHub | undefined;
  const running = (): RunningHub => {
    if (!hub) throw new Error('The durable task hub has not started.');
    return hub;
  };

  // The dispatcher runs the functions itself; these listeners only resume unfinished work
  // once the app's functions can be invoked (after the host's appStart hooks).
  const listener = (): TriggerListener => ({ start: () => running().resume(), stop: async () => {} });
  const clientInput = async () => ({ json: JSON.stringify(running().clientData) });

  return {
    name: 'durableTask',
    triggers: { orchestrationTrigger: listener, activityTrigger: listener, entityTrigger: listener },
    inputs: { durableClient: clientInput, orchestrationClient: clientInput },
    routes: (): HostRoute[] =>
      hub
        ? [
            {
              methods: ['GET', 'POST', 'DELETE'],
              template: `${webhookPath.slice(1)}/{*path}`,
              auth: 'system',
              handle: async (request) => toHostResponse(await running().webhooks(toApiRequest(request))),
            },
          ]
        : [],

    async start(host: HostContext) {
      // Apps without durable functions need no task hub, nor its storage setting.
      if (!host.functions.some(usesDurableTask)) return;
      const settings = taskHubSettings(host.settings);
      const connection = host.settings.require('AzureWebJobsStorage', 'the durable task hub');
      const backend = (options.backend ?? defaultBackend)(connection, settings.hubName);
      await backend.initialize();
      const log = host.log.child({ component: 'taskhub' });

      const dispatcher = createDispatcher({
        backend,
        clock: host.clock,
        invoke: host.invoke,
        log,
        functions: directory(host.functions),
        maxConcurrentActivities: settings.maxConcurrentActivityFunctions,
        maxConcurrentOrchestrations: settings.maxConcurrentOrchestratorFunctions,
        maxMessagesPerEpisode,
        limits: options.limits ?? { maximumShortTimerMs: 6 * day, longRunningTimerIntervalMs: 3 * day },
        newExecutionId: () => randomUUID(),
      });
      const functions = directory(host.functions);
      const operations = createClientOperations({
        backend,
        clock: host.clock,
        hasOrchestrator: (name) => functions.orchestrator(name) !== undefined,
        notify: dispatcher.notify,
      });
      const report = (error: unknown, request: ApiRequest) =>
        log.error(
          `Durable HTTP API ${request.method} ${request.segments.join('/')} failed: ${(error as Error)?.stack ?? String(error)}`,
        );

      let rpcApi: (request: ApiRequest) => Promise<ApiResponse> = async () =>
        errorResponse(new PlatformError('DEPENDENCY_UNAVAILABLE', 'The task hub is still starting.'));
      const rpc = await startRpcServer((request) => rpcApi(request));
      const clientData = durableClientData({
        hubName: settings.hubName,
        hostUrl: host.baseUrl,
        systemKey: host.keys.system,
        rpcBaseUrl: rpc.baseUrl,
      });
      rpcApi = createDurableHttpApi(operations, clientData.managementUrls, 'history', report);

      let resumed: Promise<void> | undefined;
      hub = {
        dispatcher,
        rpc,
        clientData,
        webhooks: createDurableHttpApi(operations, clientData.managementUrls, 'historyEvents', report),
        resume: () => (resumed ??= dispatcher.start()),
      };
      log.info(`Durable task hub '${settings.hubName}' ready; RPC endpoint ${rpc.baseUrl}`);
    },

    async stop() {
      if (!hub) return;
      const { dispatcher, rpc } = hub;
      hub = undefined;
      await rpc.close();
      await dispatcher.stop();
    },
  };
}

const durableTriggers = new Set(['orchestrationTrigger', 'activityTrigger', 'entityTrigger']);
const clientInputs = new Set(['durableClient', 'orchestrationClient']);

function usesDurableTask(fn: RegisteredFunction): boolean {
  return durableTriggers.has(fn.trigger.type) || fn.inputs.some((b) => clientInputs.has(b.type));
}

function defaultBackend(connectionString: string, hubName: string): TaskHubBackend {
  return createStorageBackend({ connectionString, hubName });
}

/** Function names are case-insensitive in Azure Functions. */
function directory(functions: readonly RegisteredFunction[]) {
  const byType = (type: string) =>
    new Map(functions.filter((f) => f.trigger.type === type).map((f) => [f.name.toLowerCase(), f]));
  const orchestrators = byType('orchestrationTrigger');
  const activities = byType('activityTrigger');
  const entities = byType('entityTrigger');
  return {
    orchestrator: (name: string) => orchestrators.get(name.toLowerCase()),
    activity: (name: string) => activities.get(name.toLowerCase()),
    entity: (name: string) => entities.get(name.toLowerCase()),
  };
}

function toApiRequest(request: HostHttpRequest): ApiRequest {
  const path = request.url.pathname.slice(webhookPath.length + 1);
  return {
    method: request.method,
    segments: segmentsOf(path),
    query: request.url.searchParams,
    headers: request.headers,
    body: request.body,
  };
}

function toHostResponse(response: ApiResponse) {
  return {
    status: response.status,
    ...(response.headers ? { headers: response.headers } : {}),
    ...(response.body === undefined ? {} : { body: response.body as object }),
  };
}
