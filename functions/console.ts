// GET /api/console: the web console, a static single-page app built by vite from console/.
// Anonymous, like any static page: it holds no data and asks for the function key, which its
// API calls then carry.
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { consoleAsset, consoleDir } from '../shared/console/console-assets.js';
import { toPlatformError } from '../shared/errors.js';

const dir = consoleDir(import.meta.url);

async function serve(request: HttpRequest): Promise<HttpResponseInit> {
  try {
    const asset = await consoleAsset(dir, request.params.path);
    return { status: 200, body: asset.body, headers: asset.headers };
  } catch (error) {
    const failure = toPlatformError(error);
    return { status: failure.status, jsonBody: failure.toBody() };
  }
}

app.http('console', { methods: ['GET'], authLevel: 'anonymous', route: 'console', handler: serve });
app.http('consoleAsset', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'console/{*path}',
  handler: serve,
});
