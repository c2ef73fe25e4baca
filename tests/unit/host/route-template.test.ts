import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../../shared/errors.js';
import { findRoute, functionRoutes, sortRoutes } from '../../../local/host/http/router.js';
import { matchRoute, parseRouteTemplate } from '../../../local/host/http/route-template.js';
import type { RegisteredFunction } from '../../../local/host/extension.js';

const match = (template: string, path: string) => matchRoute(parseRouteTemplate(template), path);

describe('route templates', () => {
  it('matches literals case-insensitively and extracts decoded parameters', () => {
    expect(match('api/models/{model}/score', '/API/Models/iris%20v2/score')).toEqual({ model: 'iris v2' });
    expect(match('api/models/{model}/score', '/api/models/iris')).toBeUndefined();
    expect(match('api/models/{model}/score', '/api/models/iris/score/extra')).toBeUndefined();
  });

  it('applies constraints', () => {
    expect(match('v/{id:int}', '/v/42')).toEqual({ id: '42' });
    expect(match('v/{id:int}', '/v/4x')).toBeUndefined();
    expect(match('v/{id:int:min(1)}', '/v/0')).toBeUndefined();
    expect(match('v/{id:range(1,3)}', '/v/3')).toEqual({ id: '3' });
    expect(match('v/{name:alpha:maxlength(3)}', '/v/abcd')).toBeUndefined();
    expect(match('v/{g:guid}', '/v/3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBeDefined();
    expect(match('v/{b:bool}', '/v/TRUE')).toEqual({ b: 'TRUE' });
    expect(match('v/{c:regex(^[a-c]+$)}', '/v/abca')).toEqual({ c: 'abca' });
    expect(match('v/{c:regex(^[a-c]+$)}', '/v/abd')).toBeUndefined();
  });

  it('supports optional parameters, with and without constraints, and catch-alls', () => {
    expect(match('g/{name}/{times:int?}', '/g/ada')).toEqual({ name: 'ada' });
    expect(match('g/{name}/{times:int?}', '/g/ada/3')).toEqual({ name: 'ada', times: '3' });
    expect(match('g/{name}/{times:int?}', '/g/ada/x')).toBeUndefined();
    expect(match('files/{*path}', '/files/a/b/c.csv')).toEqual({ path: 'a/b/c.csv' });
    expect(match('files/{*path}', '/files')).toBeUndefined();
  });

  it('rejects malformed templates at start with the template named', () => {
    expect(() => parseRouteTemplate('a/{id:nope}')).toThrow(
      /Invalid route template 'a\/\{id:nope\}': unknown constraint 'nope'/,
    );
    expect(() => parseRouteTemplate('a/{*rest}/b')).toThrow(PlatformError);
    expect(() => parseRouteTemplate('a/x{id}')).toThrow(/complex segment/);
  });
});

describe('router', () => {
  const fn = (name: string, route: string, methods: string[] = []): RegisteredFunction => ({
    name,
    id: name,
    trigger: { name: 'request', type: 'httpTrigger', direction: 'in', route, methods, authLevel: 'function' },
    inputs: [],
    outputs: [],
  });
  const routes = sortRoutes(
    functionRoutes(
      [
        fn('byId', 'items/{id}', ['GET']),
        fn('latest', 'items/latest', ['GET']),
        fn('create', 'items', ['POST']),
      ],
      'api',
    ),
  );

  it('prefers literal segments over parameters', () => {
    const found = findRoute(routes, 'GET', '/api/items/latest');
    expect(
      found.kind === 'found' && found.entry.target.kind === 'function' && found.entry.target.fn.name,
    ).toBe('latest');
    const byId = findRoute(routes, 'GET', '/api/items/7');
    expect(byId.kind === 'found' && byId.params).toEqual({ id: '7' });
  });

  it('says which methods are allowed when only the method is wrong', () => {
    expect(findRoute(routes, 'DELETE', '/api/items/7')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET'],
    });
    expect(findRoute(routes, 'GET', '/api/other')).toEqual({ kind: 'not-found' });
  });

  it('uses the function name as the default route', () => {
    const [entry] = functionRoutes([fn('health', '')], 'api');
    expect(entry?.template.source).toBe('api/health');
  });
});
