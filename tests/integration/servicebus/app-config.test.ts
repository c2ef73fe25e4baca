// The Service Bus emulator's entities from the app: SERVICEBUS_EMULATOR_CONFIG in
// local.settings.json names a file in Microsoft's emulator format, and the emulator the stack
// starts for the app serves exactly those entities.
import { ServiceBusClient, isServiceBusError } from '@azure/service-bus';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../local/host/logger.js';
import { ensureEmulators, type Emulators } from '../../../local/stack/ensure-emulators.js';
import { freePort } from '../../support/free-port.js';
import { writeAppFolder } from '../../support/app-folder.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('SERVICEBUS_EMULATOR_CONFIG', () => {
  it("starts the emulator with the app's own entities", async () => {
    const appDir = await writeAppFolder('sb-config-app', 'index.js', {
      ServiceBusConnection:
        'Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;',
      SERVICEBUS_EMULATOR_CONFIG: 'servicebus.json',
    });
    cleanup.push(() => rm(appDir, { recursive: true, force: true }));
    await writeFile(
      join(appDir, 'servicebus.json'),
      JSON.stringify({
        UserConfig: {
          Namespaces: [
            { Name: 'app', Queues: [{ Name: 'app-only-queue', Properties: { MaxDeliveryCount: 2 } }] },
          ],
        },
      }),
    );
    const dataDir = await mkdtemp(join(tmpdir(), 'sb-config-data-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const env: NodeJS.ProcessEnv = {
      SERVICEBUS_EMULATOR_PORT: String(await freePort()),
      SERVICEBUS_EMULATOR_DATA: dataDir,
    };
    const emulators: Emulators = await ensureEmulators(appDir, createLogger({ write: () => {} }), env);
    cleanup.push(() => emulators.stop());

    const client = new ServiceBusClient(env.ServiceBusConnection!, { retryOptions: { maxRetries: 0 } });
    cleanup.push(() => client.close());
    await client.createSender('app-only-queue').sendMessages({ body: 'from the app config' });
    const [message] = await client
      .createReceiver('app-only-queue', { receiveMode: 'receiveAndDelete' })
      .receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(message?.body).toBe('from the app config');
    const missing = await client
      .createSender('demo-queue')
      .sendMessages({ body: 'x' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(isServiceBusError(missing) && missing.code).toBe('MessagingEntityNotFound');
  });
});
