// A generated Functions app folder for tests: package.json pointing at an entry point of this
// project, host.json with the `api` route prefix, and local.settings.json with the values given.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function writeAppFolder(
  name: string,
  main: string,
  values: Record<string, string>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module', main }));
  await writeFile(
    join(dir, 'host.json'),
    JSON.stringify({ version: '2.0', extensions: { http: { routePrefix: 'api' } } }),
  );
  await writeFile(
    join(dir, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: { FUNCTIONS_WORKER_RUNTIME: 'node', ...values } }),
  );
  return dir;
}
