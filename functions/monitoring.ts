// Drift monitoring (DESIGN.md section 4): an on-demand check, the latest checks, and a timer
// (schedule from DRIFT_CHECK_SCHEDULE, hourly by default) checking every model with a served version.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { errorResponse, isPlatformError, PlatformError } from '../shared/errors.js';
import { openMonitor } from '../shared/monitoring/open-monitor.js';
import { runCheck } from '../shared/monitoring/run-check.js';

async function respond(context: InvocationContext, work: () => Promise<unknown>): Promise<HttpResponseInit> {
  try {
    return { status: 200, jsonBody: await work() };
  } catch (error) {
    const { status, body } = errorResponse(error, (e) => context.error('monitoring request failed', e));
    return { status, jsonBody: body };
  }
}

function jsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new PlatformError('INVALID_INPUT', 'The request body is not JSON.', { field: '(body)' });
  }
}

app.http('monitoringCheck', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'monitoring/{model}/check',
  handler: async (request: HttpRequest, context) =>
    respond(context, async () =>
      runCheck(await openMonitor(), request.params.model ?? '', jsonBody(await request.text())),
    ),
});

app.http('monitoringChecks', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'monitoring/{model}',
  handler: async (request: HttpRequest, context) =>
    respond(context, async () => {
      const deps = await openMonitor();
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
