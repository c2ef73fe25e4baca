// Service Bus (Standard: topics need it) with the drift-alerts topic and its retrain
// subscription. Duplicate detection drops a repeated alert ({model}-{version}-{windowEnd}).
// Local (SAS) auth is disabled.
param location string
param tags object
param resourceToken string
param appPrincipalId string

var roles = loadJsonContent('../roles.json')

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: 'sb-${resourceToken}'
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource driftAlerts 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: 'drift-alerts'
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'P1D'
    defaultMessageTimeToLive: 'P7D'
  }
}

resource retrain 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: driftAlerts
  name: 'retrain'
  properties: {
    lockDuration: 'PT1M'
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
  }
}

resource appData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, appPrincipalId, roles.serviceBusDataOwner)
  scope: namespace
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
  }
}

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
