// The Bicep in infra/ keeps to identity-only access, declares every resource the product needs
// as the services' documentation says, and host.json and azure.yaml point at it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appSettings, auditInfra, grantedRoles, resourceBlocks, type InfraFiles } from './infra-audit.js';

const root = join(import.meta.dirname, '../../..');
const infraDir = join(root, 'infra');
const files: InfraFiles = new Map(
  readdirSync(infraDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(bicep|json)$/.test(f))
    .map((f) => [
      relative(infraDir, join(infraDir, f)).split('\\').join('/'),
      readFileSync(join(infraDir, f), 'utf8'),
    ]),
);
const edited = (file: string, from: string | RegExp, to: string): InfraFiles => {
  const copy = new Map(files);
  const text = copy.get(file) ?? '';
  copy.set(file, text.replace(from, to));
  if (copy.get(file) === text) throw new Error(`edit of ${file} changed nothing`);
  return copy;
};

describe('infra/ audit', () => {
  it('finds no key, no key-based setting and no missing role assignment', () => {
    expect(files.size).toBeGreaterThan(10);
    expect(auditInfra(files)).toEqual([]);
  });

  it('fails on listKeys, an account key in a string, or a secure parameter', () => {
    const withListKeys = edited(
      'modules/storage.bicep',
      'output name string = account.name',
      'output key string = account.listKeys().keys[0].value\noutput name string = account.name',
    );
    expect(auditInfra(withListKeys)).toContain('modules/storage.bicep calls listKeys');
    const withKey = edited(
      'main.bicep',
      'COSMOS_DATABASE: cosmos.outputs.databaseName',
      "COSMOS_CONNECTION_STRING: 'AccountEndpoint=x;AccountKey=abc'",
    );
    expect(auditInfra(withKey)).toEqual(
      expect.arrayContaining([
        'main.bicep holds a key or SAS in a string',
        'app setting COSMOS_CONNECTION_STRING is a key-based connection; use its identity-based form',
      ]),
    );
    const secure = edited(
      'main.bicep',
      "param taskHubName string = 'MlopsHub'",
      "param taskHubName string = 'MlopsHub'\n@secure()\nparam batchKey string",
    );
    expect(auditInfra(secure)).toContain('main.bicep declares a secure (secret) parameter');
  });

  it('fails on a connection string with a secret and on key auth left on', () => {
    const sas = edited(
      'main.bicep',
      /DURABLE_TASK_SCHEDULER_CONNECTION_STRING: '[^\n]+'/,
      "DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTask.outputs.endpoint};Authentication=None'",
    );
    expect(auditInfra(sas)).toContain(
      'app setting DURABLE_TASK_SCHEDULER_CONNECTION_STRING is a connection string without Authentication=ManagedIdentity',
    );
    const keysOn = edited('modules/servicebus.bicep', 'disableLocalAuth: true', 'disableLocalAuth: false');
    expect(auditInfra(keysOn)).toContain(
      "modules/servicebus.bicep: Microsoft.ServiceBus/namespaces 'namespace' allows key (local) auth",
    );
  });

  it('fails when a service the app uses has no role assignment for its identity', () => {
    const noBatchRole = edited('modules/batch.bicep', /resource appSubmits[\s\S]*?\n}\n/, '');
    expect(auditInfra(noBatchRole)).toEqual([
      'BATCH_ACCOUNT_ENDPOINT is set but the app identity has no batchJobSubmitter role assignment',
    ]);
    const noQueueRole = edited('modules/storage.bicep', 'roles.storageQueueDataContributor, ', '');
    expect(auditInfra(noQueueRole)).toEqual([
      'AzureWebJobsStorage__blobServiceUri is set but the app identity has no storageQueueDataContributor role assignment',
    ]);
    const noPull = edited('modules/registry.bicep', /resource nodesPull[\s\S]*?\n}\n/, '');
    expect(auditInfra(noPull)).toEqual([
      'BATCH_REGISTRY_SERVER is set but the nodes identity has no acrPull role assignment',
    ]);
  });

  it('reads role assignments granted in loops and data-plane (Cosmos DB) assignments', () => {
    const granted = grantedRoles(files);
    expect([...(granted.get('app') ?? [])].sort()).toEqual([
      'batchJobSubmitter',
      'cosmosDataContributor',
      'durableTaskDataContributor',
      'monitoringMetricsPublisher',
      'serviceBusDataOwner',
      'storageBlobDataOwner',
      'storageQueueDataContributor',
      'storageTableDataContributor',
    ]);
    expect([...(granted.get('nodes') ?? [])].sort()).toEqual(['acrPull', 'storageBlobDataContributor']);
  });
});

describe('infra/ resources', () => {
  const blocks = resourceBlocks(files);
  const body = (type: string, name?: string): string => {
    const block = blocks.find((b) => b.type === type && (name === undefined || b.name === name));
    if (!block) throw new Error(`no ${type} ${name ?? ''} in infra/`);
    return block.body;
  };

  it('declares the storage containers of the public contract and an Event Grid topic on the account', () => {
    const storage = files.get('modules/storage.bicep') ?? '';
    for (const container of [
      'datasets',
      'runs',
      'models',
      'scoring-input',
      'scoring-output',
      'inference-logs',
    ]) {
      expect(storage).toContain(`'${container}'`);
    }
    expect(body('Microsoft.EventGrid/systemTopics')).toContain(
      "topicType: 'Microsoft.Storage.StorageAccounts'",
    );
  });

  it('makes Cosmos DB serverless with the registry container partitioned by /model and a narrow index', () => {
    expect(body('Microsoft.DocumentDB/databaseAccounts')).toContain(
      "capabilities: [{ name: 'EnableServerless' }]",
    );
    const registry = body('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    expect(registry).toContain("paths: ['/model']");
    expect(registry).toContain("excludedPaths: [{ path: '/*' }]");
  });

  it('gives drift-alerts duplicate detection and a retrain subscription', () => {
    expect(body('Microsoft.ServiceBus/namespaces/topics')).toContain('requiresDuplicateDetection: true');
    expect(files.get('modules/servicebus.bicep')).toContain("name: 'drift-alerts'");
    expect(body('Microsoft.ServiceBus/namespaces/topics/subscriptions')).toBeTruthy();
    expect(files.get('modules/servicebus.bicep')).toContain("name: 'retrain'");
  });

  it('runs the app on Flex Consumption with no always-ready instances, and pools that scale from zero', () => {
    expect(body('Microsoft.Web/serverfarms')).toContain("tier: 'FlexConsumption'");
    expect(body('Microsoft.Web/sites')).toContain('alwaysReady: []');
    const pools = body('Microsoft.Batch/batchAccounts/pools');
    expect(pools).toContain('autoScale:');
    expect(pools).toContain("type: 'UserAssigned'");
    expect(files.get('modules/batch.bicep')).toContain("'$TargetLowPriorityNodes'");
    expect(body('Microsoft.DurableTask/schedulers')).toContain("sku: { name: 'Consumption' }");
    expect(body('Microsoft.DurableTask/schedulers/taskHubs')).toBeTruthy();
  });

  it('names in host.json the hub and the scheduler connection the app settings provide', () => {
    const host = JSON.parse(readFileSync(join(root, 'host.json'), 'utf8')) as {
      extensions: { durableTask: { hubName: string; storageProvider: { connectionStringName: string } } };
    };
    const settings = appSettings(files);
    expect(settings.has(host.extensions.durableTask.storageProvider.connectionStringName)).toBe(true);
    expect(files.get('main.bicep')).toContain(
      `param taskHubName string = '${host.extensions.durableTask.hubName}'`,
    );
    const azd = readFileSync(join(root, 'azure.yaml'), 'utf8');
    expect(azd).toMatch(/host: function/);
    expect(azd).toMatch(/path: infra/);
  });
});
