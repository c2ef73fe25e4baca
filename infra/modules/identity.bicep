// Two user-assigned identities: the Function App's (every data-plane call the app makes) and
// the Batch nodes' (stage inputs, upload outputs, pull trainer images). Separate, so a trainer
// container can never act as the app (register models, read the registry, send alerts).
param location string
param tags object
param resourceToken string

resource app 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-app-${resourceToken}'
  location: location
  tags: tags
}

resource nodes 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-nodes-${resourceToken}'
  location: location
  tags: tags
}

output appId string = app.id
output appPrincipalId string = app.properties.principalId
output appClientId string = app.properties.clientId
output nodesId string = nodes.id
output nodesPrincipalId string = nodes.properties.principalId
