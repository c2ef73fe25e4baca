// POST /api/models/{model}/score (function key). Registration and wiring only: the scoring core
// is shared/serving/data-plane.ts, the request and answer shapes shared/scoring/score-route.ts.
import { app } from '@azure/functions';
import { front, prewarmServing } from '../shared/serving/http-front.js';
import { jsonOf, modelOf, pinOf, scoringBodyLimit } from '../shared/scoring/request-body.js';
import { rowsOf, rowsTable, scoreBody, versionHeaders } from '../shared/scoring/score-route.js';

app.hook.appStart(prewarmServing);

// Read by the local host, which refuses a larger body as it streams in; Azure ignores it.
const bodyLimit = { maxRequestBodyBytes: scoringBodyLimit };

app.http('score', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'models/{model}/score',
  ...bodyLimit,
  handler: front(async ({ http, requestId, serving }) => {
    const model = modelOf(http.params.model);
    const pin = pinOf(http.query);
    const rows = rowsOf(jsonOf(await http.text()), serving.settings.maxRows);
    const scored = await serving.plane.score({
      model,
      pin,
      requestId,
      header: (name) => http.headers.get(name),
      parse: (meta) => rowsTable(rows, meta),
    });
    return { status: 200, body: scoreBody(scored), headers: versionHeaders(scored) };
  }),
});
