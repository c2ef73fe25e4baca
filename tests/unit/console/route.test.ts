import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from '../../../console/src/route.js';

describe('console routes', () => {
  it('round-trips every page through the hash, names with odd characters included', () => {
    const routes: Route[] = [
      { page: 'models' },
      { page: 'model', model: 'churn' },
      { page: 'runs', model: 'churn' },
      { page: 'run', model: 'churn', runId: 'train-churn-ab12' },
      { page: 'lineage', model: 'a.b_c-d' },
      { page: 'drift', model: 'churn' },
      { page: 'batch', model: 'churn' },
      { page: 'batch', model: 'churn', runId: 'batch/2026 11 30' },
    ];
    for (const route of routes) expect(parseRoute(href(route))).toEqual(route);
  });

  it('falls back to the models page for anything it does not know', () => {
    expect(parseRoute('')).toEqual({ page: 'models' });
    expect(parseRoute('#/elsewhere/x')).toEqual({ page: 'models' });
    expect(parseRoute('#/models/churn/unknown')).toEqual({ page: 'model', model: 'churn' });
  });
});
