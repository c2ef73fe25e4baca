// Reads host.json and local.settings.json the way `func start` does: the sample is copied
// when local settings are missing, Values go into the environment (without overriding what
// the environment already sets), and `%Name%` binding expressions resolve against them.
import { randomBytes } from 'node:crypto';
import { copyFile, readFile, access, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';

const hostJsonSchema = z
  .object({
    version: z.string().default('2.0'),
    functionTimeout: z.string().optional(),
    extensions: z
      .object({
        http: z
          .object({
            routePrefix: z.string().default('api'),
            maxRequestBodySize: z.number().int().positive().optional(),
          })
          .loose()
          .default({ routePrefix: 'api' }),
        queues: z
          .object({
            maxDequeueCount: z.number().int().positive().default(5),
            visibilityTimeout: z.string().optional(),
            maxPollingInterval: z.string().optional(),
            batchSize: z.number().int().positive().default(16),
            messageEncoding: z.enum(['base64', 'none']).optional(),
          })
          .loose()
          .default({ maxDequeueCount: 5, batchSize: 16 }),
        blobs: z
          .object({
            maxDegreeOfParallelism: z.number().int().positive().optional(),
            pollingInterval: z.string().optional(),
          })
          .loose()
          .default({}),
      })
      .loose()
      .default({ http: { routePrefix: 'api' }, queues: { maxDequeueCount: 5, batchSize: 16 }, blobs: {} }),
  })
  .loose();

export type HostJson = z.infer<typeof hostJsonSchema>;

const localSettingsSchema = z
  .object({
    IsEncrypted: z.boolean().optional(),
    Values: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .default({}),
    Host: z
      .object({ LocalHttpPort: z.number().int().optional(), CORS: z.string().optional() })
      .loose()
      .optional(),
    ConnectionStrings: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export interface HostSettings {
  readonly hostJson: HostJson;
  /** A setting from the environment (which wins) or local.settings.json Values. */
  get(name: string): string | undefined;
  /** A setting that must exist; `usedBy` says who needs it, for the error message. */
  require(name: string, usedBy: string): string;
  /** Resolves `%Name%` expressions in a binding property. */
  resolve(expression: string, usedBy: string): string;
}

/** The host's keys; any that no setting gives are generated once and kept in local.settings.json. */
export const keySettings = [
  'FUNCTIONS_FUNCTION_KEY',
  'FUNCTIONS_MASTER_KEY',
  'FUNCTIONS_SYSTEM_KEY',
] as const;

export async function loadSettings(
  appDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{
  settings: HostSettings;
  values: Record<string, string>;
  createdLocalSettings: boolean;
  generatedKeys: string[];
  /** Origins allowed to call from a browser (`Host.CORS`, comma-separated; `*` for any). */
  cors: string[];
}> {
  const hostJson = parseInput(
    hostJsonSchema,
    await readJson(join(appDir, 'host.json'), {}),
    'host.json',
    'INVALID_CONFIG',
  );
  const localPath = join(appDir, 'local.settings.json');
  const samplePath = join(appDir, 'local.settings.sample.json');
  let createdLocalSettings = false;
  if (!(await exists(localPath)) && (await exists(samplePath))) {
    await copyFile(samplePath, localPath);
    createdLocalSettings = true;
  }
  const raw = await readJson(localPath, {});
  const local = parseInput(localSettingsSchema, raw, 'local.settings.json', 'INVALID_CONFIG');
  const generatedKeys = keySettings.filter((name) => !env[name] && !local.Values[name]);
  if (generatedKeys.length > 0) {
    for (const name of generatedKeys) local.Values[name] = randomBytes(24).toString('base64url');
    await writeJsonAtomically(localPath, { IsEncrypted: false, ...(raw as object), Values: local.Values });
  }
  const values: Record<string, string> = { ...local.Values };
  for (const [name, value] of Object.entries(local.ConnectionStrings ?? {}))
    values[`ConnectionStrings:${name}`] = value;

  const get = (name: string): string | undefined => env[name] ?? values[name];
  const require = (name: string, usedBy: string): string => {
    const value = get(name);
    if (value === undefined || value === '') {
      throw new PlatformError(
        'INVALID_CONFIG',
        `Setting '${name}' is missing; ${usedBy} needs it. Add it to Values in local.settings.json or set it in the environment.`,
        { setting: name, usedBy },
      );
    }
    return value;
  };
  const resolve = (expression: string, usedBy: string): string =>
    expression.replace(/%([^%]+)%/g, (_, name: string) => require(name, usedBy));
  const cors = (local.Host?.CORS ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter(Boolean);
  return {
    settings: { hostJson, get, require, resolve },
    values,
    createdLocalSettings,
    generatedKeys,
    cors,
  };
}

/** Puts local settings into the environment like the Functions host does for the worker. */
export function exportToEnvironment(
  values: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): void {
  for (const [name, value] of Object.entries(values)) {
    if (env[name] === undefined) env[name] = value;
  }
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function readJson(path: string, fallback: unknown): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new PlatformError('INVALID_CONFIG', `${path} is not valid JSON: ${(error as Error).message}`, {
      file: path,
    });
  }
}
