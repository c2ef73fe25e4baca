// Publishes drift alerts on Service Bus: a connection string locally (the emulator), the
// namespace and the app's managed identity in Azure (`SERVICEBUS_CONNECTION__fullyQualifiedNamespace`).
import { defaultCredential } from '../azure-credential.js';
import { ServiceBusClient } from '@azure/service-bus';
import { alertMessageId, driftAlertTopic, serviceBusSetting, type DriftAlert } from '../drift/drift-alert.js';
import { PlatformError } from '../errors.js';

export interface AlertBus {
  /** Sends the alert with its derived messageId; returns that id. */
  publish(alert: DriftAlert): Promise<string>;
}

export function serviceBusClient(
  settings: Record<string, string | undefined> = process.env,
): ServiceBusClient {
  const namespace = settings[`${serviceBusSetting}__fullyQualifiedNamespace`];
  if (namespace) return new ServiceBusClient(namespace, defaultCredential);
  const connection = settings[serviceBusSetting];
  if (connection) return new ServiceBusClient(connection);
  throw new PlatformError(
    'INVALID_CONFIG',
    `Set ${serviceBusSetting}__fullyQualifiedNamespace (Azure, managed identity) or ${serviceBusSetting} (local emulator).`,
    { setting: serviceBusSetting },
  );
}

export function serviceBusAlertBus(client: ServiceBusClient): AlertBus {
  const sender = client.createSender(driftAlertTopic);
  return {
    async publish(alert) {
      const messageId = alertMessageId(alert);
      try {
        await sender.sendMessages({
          body: alert,
          messageId,
          contentType: 'application/json',
          subject: alert.model,
        });
      } catch (error) {
        throw new PlatformError(
          'DEPENDENCY_UNAVAILABLE',
          'The drift alert could not be sent to Service Bus.',
          { messageId },
          { cause: error },
        );
      }
      return messageId;
    },
  };
}
