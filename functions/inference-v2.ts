// Open Inference Protocol (KServe V2) REST routes (function key, except the health routes).
// Registration and wiring only: shapes in shared/scoring/inference-v2.ts, scoring in the data plane.
import { app } from '@azure/functions';
import { createRequire } from 'node:module';
import { front, prewarmServing, type FrontRequest } from '../shared/serving/http-front.js';
import { inferRequestOf, inferResponse, inferTable, modelMetadata } from '../shared/scoring/inference-v2.js';
import { jsonOf, modelOf, scoringBodyLimit, versionOf } from '../shared/scoring/request-body.js';
import { versionHeaders } from '../shared/scoring/score-route.js';

// package.json is one folder up from the sources and two from the build (dist/functions/).
const serverVersion = ['../package.json', '../../package.json']
  .map((path) => {
    try {
      return (createRequire(import.meta.url)(path) as { name?: string; version?: string }).version;
    } catch {
      return undefined;
    }
  })
  .find((version) => version !== undefined);

const ok = (body: unknown, headers: Record<string, string> = {}) => ({ status: 200, body, headers });

function pinned({ http }: FrontRequest) {
  const model = modelOf(http.params.model);
  return {
    model,
    pin: http.params.version === undefined ? undefined : { version: versionOf(http.params.version) },
  };
}

async function metadata(request: FrontRequest) {
  const { model, pin } = pinned(request);
  const { plane } = request.serving;
  const { resolved, served } = await plane.target(model, pin);
  return ok(modelMetadata(model, await plane.servableVersions(model), served.meta), versionHeaders(resolved));
}

async function ready(request: FrontRequest) {
  const { model, pin } = pinned(request);
  const { resolved } = await request.serving.plane.target(model, pin);
  return ok({ name: model, ready: true }, versionHeaders(resolved));
}

async function infer(request: FrontRequest) {
  const { model, pin } = pinned(request);
  const { http, requestId, serving } = request;
  const body = inferRequestOf(jsonOf(await http.text()));
  const scored = await serving.plane.score({
    model,
    pin,
    requestId,
    header: (name) => http.headers.get(name),
    parse: (meta) => inferTable(body, meta, serving.settings.maxRows),
  });
  return ok(inferResponse(scored, body, body.id ?? requestId), versionHeaders(scored));
}

app.hook.appStart(prewarmServing);

// Read by the local host, which refuses a larger body as it streams in; Azure ignores it.
const bodyLimit = { maxRequestBodyBytes: scoringBodyLimit };

const health = (body: unknown) => async () => ({ status: 200, jsonBody: body });
app.http('v2Live', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'v2/health/live',
  handler: health({ live: true }),
});
app.http('v2Ready', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'v2/health/ready',
  handler: health({ ready: true }),
});
app.http('v2Server', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'v2',
  handler: front(async () => ok({ name: 'azfn-mlops', version: serverVersion ?? 'unknown', extensions: [] })),
});

for (const [suffix, name] of [
  ['', 'V2'],
  ['/versions/{version}', 'V2Version'],
] as const) {
  const base = `v2/models/{model}${suffix}`;
  app.http(`model${name}Metadata`, {
    methods: ['GET'],
    authLevel: 'function',
    route: base,
    handler: front(metadata),
  });
  app.http(`model${name}Ready`, {
    methods: ['GET'],
    authLevel: 'function',
    route: `${base}/ready`,
    handler: front(ready),
  });
  app.http(`model${name}Infer`, {
    methods: ['POST'],
    authLevel: 'function',
    route: `${base}/infer`,
    ...bodyLimit,
    handler: front(infer),
  });
}
