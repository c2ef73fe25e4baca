// POST /api/models/{model}/score (function key). Registration and wiring only: the scoring core
// is shared/serving/data-plane.ts, the request and answer shapes shared/scoring/score-route.ts.
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { openServing } from '../shared/serving/open-data-plane.js';
import { failureAnswer, jsonOf, modelOf, pinOf, requestIdOf } from '../shared/scoring/request-body.js';
import { rowsOf, rowsTable, scoreBody, versionHeaders } from '../shared/scoring/score-route.js';

app.http('score', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'models/{model}/score',
  handler: async (request: HttpRequest, context: InvocationContext) => {
    const { plane, settings } = openServing();
    const requestId = requestIdOf(request.headers.get('x-request-id'), context.invocationId);
    try {
      const model = modelOf(request.params.model);
      const pin = pinOf(request.query);
      const rows = rowsOf(jsonOf(await request.text()), settings.maxRows);
      const scored = await plane.score({
        model,
        pin,
        requestId,
        header: (name) => request.headers.get(name),
        parse: (meta) => rowsTable(rows, meta),
      });
      return {
        status: 200,
        jsonBody: scoreBody(scored),
        headers: { ...versionHeaders(scored), 'x-request-id': requestId },
      };
    } catch (error) {
      const answer = failureAnswer(error, (failure) => context.error('scoring failed', failure));
      return { status: answer.status, jsonBody: answer.body, headers: { 'x-request-id': requestId } };
    }
  },
});
