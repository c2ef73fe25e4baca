// The container registry for the trainer images (Basic; admin user off: nodes pull with their
// identity). hooks/postprovision.sh builds the images in the registry with ACR Tasks.
param location string
param tags object
param resourceToken string
param nodesPrincipalId string

var roles = loadJsonContent('../roles.json')

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'cr${resourceToken}'
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
  }
}

resource nodesPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, nodesPrincipalId, roles.acrPull)
  scope: registry
  properties: {
    principalId: nodesPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
