// Cosmos DB for NoSQL, serverless (billed per request unit and GB, nothing when idle), local
// (key) auth disabled. The registry container is partitioned by /model with the indexing policy
// shared/registry relies on: only /model, /type, /alias and /from are indexed.
param location string
param tags object
param resourceToken string
param appPrincipalId string
param databaseName string = 'mlops'

var roles = loadJsonContent('../roles.json')

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: 'cosmos-${resourceToken}'
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0 }]
    capabilities: [{ name: 'EnableServerless' }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: { resource: { id: databaseName } }
}

resource registry 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'registry'
  properties: {
    resource: {
      id: 'registry'
      partitionKey: { paths: ['/model'], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [{ path: '/model/?' }, { path: '/type/?' }, { path: '/alias/?' }, { path: '/from/?' }]
        excludedPaths: [{ path: '/*' }]
      }
    }
  }
}

// Data-plane RBAC is Cosmos DB's own (sqlRoleAssignments), not Azure RBAC.
resource appData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, appPrincipalId, roles.cosmosDataContributor)
  properties: {
    principalId: appPrincipalId
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${roles.cosmosDataContributor}'
    scope: account.id
  }
}

output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
