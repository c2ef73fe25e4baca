// Drift monitoring (DESIGN.md section 4): an on-demand check, the latest checks, and a timer
// (schedule from DRIFT_CHECK_SCHEDULE, hourly by default) checking every model with a served version.
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { isPlatformError } from '../shared/errors.js';
import { parseJsonBody } from '../shared/json-body.js';
import { openMonitor } from '../shared/monitoring/open-monitor.js';
import { runCheck, type MonitorDeps } from '../shared/monitoring/run-check.js';
import { respond, type RouteRequest } from './api-route.js';

/** A monitoring route through the shared request adapter: its result is the 200 body. */
const route =
  (handler: (deps: MonitorDeps, request: RouteRequest) => Promise<unknown>) =>
  (request: HttpRequest, context: InvocationContext) =>
    respond(
      async (deps: MonitorDeps, parts: RouteRequest) => ({ status: 200, body: await handler(deps, parts) }),
      () => openMonitor(),
      request,
      context,
      'monitoring',
    );

/** The check's options; the body is optional. */
const checkOptions = (request: RouteRequest): unknown =>
  request.body.trim() === '' ? {} : parseJsonBody(request.body);

app.http('monitoringCheck', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'monitoring/{model}/check',
  handler: route((deps, request) => runCheck(deps, request.params.model ?? '', checkOptions(request))),
});

app.http('monitoringChecks', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'monitoring/{model}',
  handler: route(async (deps, request) => {
    const model = request.params.model ?? '';
    await deps.registry.getModel(model);
    return { model, checks: await deps.store.latestChecks(model) };
  }),
});

app.timer('monitoringSchedule', {
  schedule: process.env.DRIFT_CHECK_SCHEDULE || '0 0 * * * *',
  handler: async (_timer, context) => {
    const deps = await openMonitor();
    for (const model of await deps.registry.listModels()) {
      try {
        const check = await runCheck(deps, model.name);
        context.log(`drift check model=${model.name} version=${check.version} status=${check.status}`);
      } catch (error) {
        // A model with nothing served yet (or no baseline) has nothing to check.
        if (isPlatformError(error) && (error.code === 'NOT_FOUND' || error.code === 'CONFLICT')) continue;
        context.error(`drift check of ${model.name} failed`, error);
      }
    }
  },
});
