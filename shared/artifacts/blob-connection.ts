// The blob service for artifacts from app settings, following the Functions convention for
// the `AzureWebJobsStorage` connection: an identity-based service URI in Azure (managed
// identity, no account key), a connection string (`UseDevelopmentStorage=true`) locally.
import { BlobServiceClient } from '@azure/storage-blob';
import { defaultCredential } from '../azure-credential.js';
import { PlatformError } from '../errors.js';

export function blobServiceFromSettings(
  settings: Record<string, string | undefined> = process.env,
): BlobServiceClient {
  const serviceUri = settings.AzureWebJobsStorage__blobServiceUri;
  if (serviceUri) return new BlobServiceClient(serviceUri, defaultCredential);
  const connectionString = settings.AzureWebJobsStorage;
  if (connectionString) return BlobServiceClient.fromConnectionString(connectionString);
  throw new PlatformError(
    'INVALID_CONFIG',
    'Set AzureWebJobsStorage__blobServiceUri (Azure, managed identity) or AzureWebJobsStorage (local).',
    {
      setting: 'AzureWebJobsStorage',
    },
  );
}
