// The storage account: host storage for the Functions runtime (blobs, queues, tables), the
// product's containers (DESIGN.md section 4), the Flex Consumption deployment package, and an
// Event Grid system topic for the blob trigger (Flex Consumption has no polling blob trigger;
// the subscription to the app's blobs extension is created after deploy by hooks/postdeploy.sh,
// because Event Grid validates the endpoint and the function must exist by then).
// Shared key access is off: every caller uses Entra ID.
param location string
param tags object
param resourceToken string
param appPrincipalId string
param nodesPrincipalId string

var roles = loadJsonContent('../roles.json')
var containers = ['datasets', 'runs', 'models', 'scoring-input', 'scoring-output', 'inference-logs', 'app-package']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for name in containers: {
    parent: blobService
    name: name
    properties: { publicAccess: 'None' }
  }
]

resource blobEvents 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: 'evgt-${resourceToken}'
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// The runtime's host storage (AzureWebJobsStorage) needs blob owner, queue and table roles.
var appRoles = [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]

resource appAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in appRoles: {
    name: guid(account.id, appPrincipalId, role)
    scope: account
    properties: {
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

// Batch nodes read staged inputs from runs/ and write trainer outputs back there.
resource nodesAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, nodesPrincipalId, roles.storageBlobDataContributor)
  scope: account
  properties: {
    principalId: nodesPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output systemTopicName string = blobEvents.name
