// Azure Batch for training: a CPU pool (dedicated nodes) and a GPU pool (low-priority nodes,
// a fraction of the price, preemptible: tasks are retried and the pipeline polls). Both
// autoscale from zero on pending tasks, so an idle account costs nothing. Nodes run tasks in
// the trainer images with the nodes' identity, which also stages inputs and uploads outputs.
// Shared key auth is disabled; the app submits with Entra ID (Azure Batch Job Submitter).
param location string
param tags object
param resourceToken string
param appPrincipalId string
param nodesIdentityId string
param registryServer string
param cpuImage string
param gpuImage string
param cpuVmSize string = 'Standard_D4s_v5'
param gpuVmSize string = 'Standard_NC4as_T4_v3'
param maxCpuNodes int = 4
param maxGpuNodes int = 2

var roles = loadJsonContent('../roles.json')

resource account 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'ba${resourceToken}'
  location: location
  tags: tags
  properties: {
    poolAllocationMode: 'BatchService'
    allowedAuthenticationModes: ['AAD']
    publicNetworkAccess: 'Enabled'
  }
}

// Scale to the pending tasks, sampled over three minutes; zero when there are none.
// Nodes leave only after their running task completes.
func autoscale(target string, maxNodes int) string =>
  'pending = $PendingTasks.GetSamplePercent(180 * TimeInterval_Second) < 70 ? 0 : max($PendingTasks.GetSample(180 * TimeInterval_Second)); ${target} = min(${maxNodes}, pending); $NodeDeallocationOption = taskcompletion;'

var pools = [
  { name: 'train-cpu', vmSize: cpuVmSize, image: cpuImage, formula: autoscale('$TargetDedicatedNodes', maxCpuNodes) }
  { name: 'train-gpu', vmSize: gpuVmSize, image: gpuImage, formula: autoscale('$TargetLowPriorityNodes', maxGpuNodes) }
]

resource trainingPools 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = [
  for pool in pools: {
    parent: account
    name: pool.name
    identity: {
      type: 'UserAssigned'
      userAssignedIdentities: { '${nodesIdentityId}': {} }
    }
    properties: {
      vmSize: pool.vmSize
      taskSlotsPerNode: 1
      targetNodeCommunicationMode: 'Simplified'
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          // Ubuntu HPC images carry the NVIDIA driver and the container runtime Batch needs.
          imageReference: { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' }
          nodeAgentSkuId: 'batch.node.ubuntu 22.04'
          containerConfiguration: {
            type: 'DockerCompatible'
            containerImageNames: [pool.image]
            containerRegistries: [{ registryServer: registryServer, identityReference: { resourceId: nodesIdentityId } }]
          }
        }
      }
      scaleSettings: {
        autoScale: { formula: pool.formula, evaluationInterval: 'PT5M' }
      }
    }
  }
]

resource appSubmits 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, roles.batchJobSubmitter)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.batchJobSubmitter)
  }
}

output endpoint string = 'https://${account.properties.accountEndpoint}'
output cpuPool string = pools[0].name
output gpuPool string = pools[1].name
