// Makes `require('@azure/functions-core')` resolve to the host's implementation, the way the
// Node.js worker does: the module is not on disk, it is provided by the process running the app.
import Module from 'node:module';
import { coreState, createCoreApi } from './core-api.js';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

let installed: ReturnType<typeof createCoreApi> | undefined;

export function installCoreModule(hostVersion: string): ReturnType<typeof createCoreApi> {
  if (installed) return installed;
  const api = createCoreApi(coreState, hostVersion);
  const moduleWithLoad = Module as unknown as { _load: Load };
  const originalLoad = moduleWithLoad._load;
  moduleWithLoad._load = function (request, parent, isMain) {
    if (request === '@azure/functions-core') return api;
    return originalLoad.call(this, request, parent, isMain);
  };
  installed = api;
  return api;
}
