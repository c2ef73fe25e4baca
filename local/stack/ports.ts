// The local stack's ports (DESIGN.md section 4), each overridable by an environment variable.
export interface StackPorts {
  host: number;
  blob: number;
  queue: number;
  table: number;
  cosmos: number;
  serviceBus: number;
  pool: number;
}

export const portVariables: Record<keyof StackPorts, [string, number]> = {
  host: ['FUNCTIONS_HTTP_PORT', 7071],
  blob: ['AZURITE_BLOB_PORT', 10000],
  queue: ['AZURITE_QUEUE_PORT', 10001],
  table: ['AZURITE_TABLE_PORT', 10002],
  cosmos: ['COSMOS_EMULATOR_PORT', 8081],
  serviceBus: ['SERVICEBUS_EMULATOR_PORT', 5672],
  pool: ['TRAINING_POOL_PORT', 7072],
};

export function stackPorts(env: NodeJS.ProcessEnv = process.env): StackPorts {
  const entries = Object.entries(portVariables).map(([key, [variable, fallback]]) => {
    const value = env[variable];
    const port = value === undefined || value === '' ? fallback : Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`${variable}=${value} is not a port number.`);
    return [key, port];
  });
  return Object.fromEntries(entries) as StackPorts;
}
