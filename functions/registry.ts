// Registry HTTP routes (DESIGN.md section 4). Registration only: request handling lives in
// shared/registry/http-api.ts.
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import {
  archiveVersion,
  getAlias,
  getLineage,
  getModel,
  getVersion,
  listModels,
  listVersions,
  putAlias,
  putModel,
  registryBodyLimit,
  rollbackAlias,
  type ApiHandler,
} from '../shared/registry/http-api.js';
import { openRegistry } from '../shared/registry/open-registry.js';
import { respond } from './api-route.js';

const route = (handler: ApiHandler) => (request: HttpRequest, context: InvocationContext) =>
  respond(handler, () => openRegistry(), request, context, 'registry');

const base = 'registry/models';
/**
 * Read by the local host, which refuses a larger body while it streams in rather than after
 * buffering it; Azure ignores it (its platform limit applies, and the handler checks again).
 */
const bodyLimit = { maxRequestBodyBytes: registryBodyLimit };

app.http('registryListModels', {
  methods: ['GET'],
  authLevel: 'function',
  ...bodyLimit,
  route: base,
  handler: route(listModels),
});
app.http('registryGetModel', {
  methods: ['GET'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}`,
  handler: route(getModel),
});
app.http('registryPutModel', {
  methods: ['PUT'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}`,
  handler: route(putModel),
});
app.http('registryListVersions', {
  methods: ['GET'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}/versions`,
  handler: route(listVersions),
});
app.http('registryGetVersion', {
  methods: ['GET'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}/versions/{version}`,
  handler: route(getVersion),
});
app.http('registryArchiveVersion', {
  methods: ['POST'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}/versions/{version}/archive`,
  handler: route(archiveVersion),
});
app.http('registryGetAlias', {
  methods: ['GET'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}/aliases/{alias}`,
  handler: route(getAlias),
});
app.http('registryPutAlias', {
  methods: ['PUT'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}/aliases/{alias}`,
  handler: route(putAlias),
});
app.http('registryRollbackAlias', {
  methods: ['POST'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}/aliases/{alias}/rollback`,
  handler: route(rollbackAlias),
});
app.http('registryGetLineage', {
  methods: ['GET'],
  authLevel: 'function',
  ...bodyLimit,
  route: `${base}/{model}/lineage`,
  handler: route(getLineage),
});
