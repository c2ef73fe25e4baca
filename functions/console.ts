// GET /api/console: the web console, a static single-page app built by vite from console/.
// Anonymous, like any static page: it holds no data and asks for the function key, which its
// API calls then carry.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { consoleAsset, consoleDir } from '../shared/console/console-assets.js';
import { errorResponse } from '../shared/errors.js';

const dir = consoleDir(import.meta.url);

async function serve(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const asset = await consoleAsset(dir, request.params.path);
    return { status: 200, body: asset.body, headers: asset.headers };
  } catch (error) {
    const { status, body } = errorResponse(error, (e) => context.error('console request failed', e));
    return { status, jsonBody: body };
  }
}

app.http('console', { methods: ['GET'], authLevel: 'anonymous', route: 'console', handler: serve });
app.http('consoleAsset', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'console/{*path}',
  handler: serve,
});
