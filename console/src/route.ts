// Pages are addressed by the hash (#/models/churn/runs), so the app serves one page and a
// reload or a shared link lands on the same view.

export type Route =
  | { page: 'models' }
  | { page: 'model'; model: string }
  | { page: 'runs'; model: string }
  | { page: 'run'; model: string; runId: string }
  | { page: 'lineage'; model: string }
  | { page: 'drift'; model: string }
  | { page: 'batch'; model: string; runId?: string };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part));
  const [root, model, section, id] = parts;
  if (root !== 'models' || model === undefined) return { page: 'models' };
  switch (section) {
    case 'runs':
      return id === undefined ? { page: 'runs', model } : { page: 'run', model, runId: id };
    case 'lineage':
      return { page: 'lineage', model };
    case 'drift':
      return { page: 'drift', model };
    case 'batch':
      return id === undefined ? { page: 'batch', model } : { page: 'batch', model, runId: id };
    default:
      return { page: 'model', model };
  }
}

export function href(route: Route): string {
  const model = 'model' in route ? encodeURIComponent(route.model) : '';
  switch (route.page) {
    case 'models':
      return '#/models';
    case 'model':
      return `#/models/${model}`;
    case 'runs':
    case 'lineage':
    case 'drift':
      return `#/models/${model}/${route.page}`;
    case 'run':
      return `#/models/${model}/runs/${encodeURIComponent(route.runId)}`;
    case 'batch':
      return `#/models/${model}/batch${route.runId ? `/${encodeURIComponent(route.runId)}` : ''}`;
  }
}
