// Everything the product needs in Azure, in one resource group, wired with managed identity.
// `azd up` provisions this (azure.yaml), builds the trainer images and deploys the app.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource (one with Flex Consumption, Durable Task Scheduler and NC T4 quota).')
param location string

@description('Durable Task hub name; host.json names the same hub.')
param taskHubName string = 'MlopsHub'

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: group
  name: 'identity'
  params: { location: location, tags: tags, resourceToken: resourceToken }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  name: 'monitoring'
  params: { location: location, tags: tags, resourceToken: resourceToken, appPrincipalId: identity.outputs.appPrincipalId }
}

module storage 'modules/storage.bicep' = {
  scope: group
  name: 'storage'
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    appPrincipalId: identity.outputs.appPrincipalId
    nodesPrincipalId: identity.outputs.nodesPrincipalId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  scope: group
  name: 'cosmos'
  params: { location: location, tags: tags, resourceToken: resourceToken, appPrincipalId: identity.outputs.appPrincipalId }
}

module serviceBus 'modules/servicebus.bicep' = {
  scope: group
  name: 'servicebus'
  params: { location: location, tags: tags, resourceToken: resourceToken, appPrincipalId: identity.outputs.appPrincipalId }
}

module durableTask 'modules/durable-task.bicep' = {
  scope: group
  name: 'durable-task'
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    appPrincipalId: identity.outputs.appPrincipalId
    taskHubName: taskHubName
  }
}

module registry 'modules/registry.bicep' = {
  scope: group
  name: 'registry'
  params: { location: location, tags: tags, resourceToken: resourceToken, nodesPrincipalId: identity.outputs.nodesPrincipalId }
}

var cpuImage = '${registry.outputs.loginServer}/trainer-cpu:latest'
var gpuImage = '${registry.outputs.loginServer}/trainer-gpu:latest'

module batch 'modules/batch.bicep' = {
  scope: group
  name: 'batch'
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    appPrincipalId: identity.outputs.appPrincipalId
    nodesIdentityId: identity.outputs.nodesId
    registryServer: registry.outputs.loginServer
    cpuImage: cpuImage
    gpuImage: gpuImage
  }
}

module functionApp 'modules/function-app.bicep' = {
  scope: group
  name: 'function-app'
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    appIdentityId: identity.outputs.appId
    appClientId: identity.outputs.appClientId
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}app-package'
    // Identity-based settings only: endpoints, and which identity to use (its client id).
    settings: {
      AZURE_CLIENT_ID: identity.outputs.appClientId
      AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
      AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
      AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.appClientId
      COSMOS_ENDPOINT: cosmos.outputs.endpoint
      COSMOS_DATABASE: cosmos.outputs.databaseName
      SERVICEBUS_CONNECTION__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
      SERVICEBUS_CONNECTION__credential: 'managedidentity'
      SERVICEBUS_CONNECTION__clientId: identity.outputs.appClientId
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTask.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${identity.outputs.appClientId}'
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.appClientId};Authorization=AAD'
      TRAINING_BACKEND: 'batch'
      BATCH_ACCOUNT_ENDPOINT: batch.outputs.endpoint
      BATCH_POOL_CPU: batch.outputs.cpuPool
      BATCH_POOL_GPU: batch.outputs.gpuPool
      BATCH_NODE_IDENTITY_ID: identity.outputs.nodesId
      BATCH_IMAGE_CPU: cpuImage
      BATCH_IMAGE_GPU: gpuImage
      BATCH_REGISTRY_SERVER: registry.outputs.loginServer
      BATCH_SCORING_SCHEDULE: '0 0 2 * * *'
    }
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_HOST string = functionApp.outputs.hostName
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_EVENTGRID_SYSTEM_TOPIC string = storage.outputs.systemTopicName
