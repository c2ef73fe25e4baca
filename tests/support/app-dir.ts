// A throwaway Functions app folder whose entry point is a file of this project, as `func start`
// would read it: package.json `main`, host.json (route prefix `api`) and local.settings.json.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function writeAppDir(
  name: string,
  entry: string,
  values: Record<string, string>,
): Promise<string> {
  const appDir = await mkdtemp(join(tmpdir(), `${name}-`));
  await writeFile(
    join(appDir, 'package.json'),
    JSON.stringify({ name, private: true, type: 'module', main: entry }),
  );
  await writeFile(
    join(appDir, 'host.json'),
    JSON.stringify({ version: '2.0', extensions: { http: { routePrefix: 'api' } } }),
  );
  await writeFile(
    join(appDir, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: { FUNCTIONS_WORKER_RUNTIME: 'node', ...values } }),
  );
  return appDir;
}
