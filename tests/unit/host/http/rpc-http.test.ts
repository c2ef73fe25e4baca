import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  flattenHeaders,
  fromRpcHttpResponse,
  toRpcHttpRequest,
} from '../../../../local/host/http/rpc-http.js';

describe('rpc-http conversions', () => {
  it('flattens repeated headers the way node joins them, dropping absent ones', () => {
    const request = {
      headers: { accept: 'a', 'x-many': ['1', '2'], gone: undefined },
    } as unknown as IncomingMessage;
    expect(flattenHeaders(request)).toEqual({ accept: 'a', 'x-many': '1, 2' });
  });

  it('sends query, headers and params as nullable maps, a repeated key comma-joined, and a body only when there is one', () => {
    const base = {
      method: 'POST',
      url: new URL('http://127.0.0.1:1/api/x?a=1&a=2'),
      headers: { h: 'v' },
      params: { id: '7' },
    };
    expect(toRpcHttpRequest({ ...base, body: Buffer.from('hi') })).toEqual({
      http: {
        method: 'POST',
        url: 'http://127.0.0.1:1/api/x?a=1&a=2',
        nullableHeaders: { h: { value: 'v' } },
        nullableParams: { id: { value: '7' } },
        nullableQuery: { a: { value: '1,2' } },
        body: { bytes: Buffer.from('hi') },
      },
    });
    expect(toRpcHttpRequest({ ...base, body: Buffer.alloc(0) }).http?.body).toBeNull();
  });

  it('reads the response from the return value or a named output binding', () => {
    const http = { statusCode: '201', headers: { 'x-a': 'b' }, body: { string: 'made' } };
    expect(fromRpcHttpResponse({ returnValue: { http } }, '$return')).toEqual({
      status: 201,
      headers: { 'x-a': 'b' },
      body: Buffer.from('made'),
    });
    expect(fromRpcHttpResponse({ outputData: [{ name: 'res', data: { http } }] }, 'res')?.status).toBe(201);
    expect(fromRpcHttpResponse({ outputData: [] }, 'res')).toBeUndefined();
  });

  it('defaults the status to 200 and reads bytes, strings and JSON bodies', () => {
    const body = (data: object) =>
      fromRpcHttpResponse({ returnValue: { http: { body: data } } }, '$return')!.body.toString();
    expect(fromRpcHttpResponse({ returnValue: { http: {} } }, '$return')).toEqual({
      status: 200,
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(body({ bytes: Buffer.from('raw') })).toBe('raw');
    expect(body({ json: '{"a":1}' })).toBe('{"a":1}');
  });

  it("serializes cookies as Azure's host does: its attribute order and case, the value escaped, path / by default", () => {
    const response = fromRpcHttpResponse(
      {
        returnValue: {
          http: {
            cookies: [
              {
                name: 'session',
                value: 'abc',
                domain: { value: 'example.org' },
                path: { value: '/' },
                expires: { value: { seconds: 0 } },
                maxAge: { value: 60 },
                secure: { value: true },
                httpOnly: { value: true },
                sameSite: 'explicitNone',
              },
              { name: 'plain', value: 'a b*', sameSite: 'lax' },
            ],
          },
        },
      },
      '$return',
    );
    expect(response?.headers['set-cookie']).toEqual([
      'session=abc; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=60; domain=example.org; path=/; secure; samesite=none; httponly',
      'plain=a%20b%2A; path=/; samesite=lax',
    ]);
  });
});
