// What the durableClient input binding hands the durable-functions library, as the Azure
// extension builds it: webhook URL templates (with the system key) and the RPC base URL.
export interface DurableClientData {
  taskHubName: string;
  creationUrls: { createNewInstancePostUri: string; waitOnNewInstancePostUri: string };
  managementUrls: ManagementUrls;
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl: string;
  httpBaseUrl: string;
  maxGrpcMessageSizeInBytes: number;
  grpcHttpClientTimeout: string;
}

export interface ManagementUrls {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

/** The placeholder the library replaces with an instance id in management URLs. */
export const instanceIdPlaceholder = 'INSTANCEID';
export const webhookPath = '/runtime/webhooks/durabletask';

export function durableClientData(options: {
  hubName: string;
  hostUrl: string;
  systemKey: string;
  rpcBaseUrl: string;
}): DurableClientData {
  const base = `${options.hostUrl}${webhookPath}`;
  const code = `code=${encodeURIComponent(options.systemKey)}`;
  const common = `taskHub=${encodeURIComponent(options.hubName)}&connection=Storage&${code}`;
  const instance = `${base}/instances/${instanceIdPlaceholder}`;
  return {
    taskHubName: options.hubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${code}`,
      waitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
    },
    managementUrls: {
      id: instanceIdPlaceholder,
      statusQueryGetUri: `${instance}?${common}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${common}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${common}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${common}`,
      purgeHistoryDeleteUri: `${instance}?${common}`,
      restartPostUri: `${instance}/restart?${common}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${common}`,
      resumePostUri: `${instance}/resume?reason={text}&${common}`,
    },
    baseUrl: base,
    requiredQueryStringParameters: code,
    rpcBaseUrl: options.rpcBaseUrl,
    httpBaseUrl: base,
    maxGrpcMessageSizeInBytes: 0,
    grpcHttpClientTimeout: '00:01:40',
  };
}

/** The links createCheckStatusResponse returns, for one instance. */
export function managementPayload(urls: ManagementUrls, instanceId: string): Record<string, string> {
  const id = encodeURIComponent(instanceId);
  return Object.fromEntries(
    Object.entries(urls).map(([key, value]) => [
      key,
      key === 'id' ? instanceId : value.replace(instanceIdPlaceholder, id),
    ]),
  );
}
