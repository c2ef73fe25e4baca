import { describe, expect, it } from 'vitest';
import {
  bodyLimit,
  hasDotSegment,
  isLoopbackHost,
  originAllowed,
} from '../../../local/host/http/request-guards.js';

describe('front-door guards', () => {
  it('accepts only loopback Host names', () => {
    for (const host of [
      undefined,
      'localhost',
      'LOCALHOST:7071',
      'app.localhost',
      '127.0.0.1:7071',
      '127.1.2.3',
      '[::1]:80',
    ])
      expect(isLoopbackHost(host), String(host)).toBe(true);
    for (const host of [
      'evil.com',
      'localhost.evil.com',
      '127.0.0.1.nip.io',
      '10.0.0.1',
      '[::2]',
      'a b',
      'localhost:99999',
      '',
      '%%',
      '[::1',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('finds dot segments and backslashes that URL parsing would resolve away', () => {
    for (const target of ['/api/a/../b', '/api/%2e%2E/b', '/api/./x', '/api/.%2e', '/api\\..\\x', '/api/%5c'])
      expect(hasDotSegment(target), target).toBe(true);
    for (const target of ['/api/a.b/c', '/api/...', '/api/x?path=../y', '/api/v1.0'])
      expect(hasDotSegment(target), target).toBe(false);
  });

  it('refuses unsafe cross-origin requests unless CORS lists the origin', () => {
    const host = '127.0.0.1:7071';
    expect(originAllowed('POST', undefined, host, [])).toBe(true);
    expect(originAllowed('POST', 'http://127.0.0.1:7071', host, [])).toBe(true);
    expect(originAllowed('GET', 'https://evil.example', host, [])).toBe(true);
    expect(originAllowed('POST', 'https://evil.example', host, [])).toBe(false);
    expect(originAllowed('PUT', 'null', host, [])).toBe(false);
    expect(originAllowed('POST', 'http://localhost:3000', host, ['http://localhost:3000'])).toBe(true);
    expect(originAllowed('DELETE', 'https://any.example', host, ['*'])).toBe(true);
  });

  it('reads no body for GET and HEAD and keeps a route within the host limit', () => {
    expect(bodyLimit('GET', undefined, 100)).toBe(0);
    expect(bodyLimit('HEAD', 50, 100)).toBe(0);
    expect(bodyLimit('POST', undefined, 100)).toBe(100);
    expect(bodyLimit('PUT', 50, 100)).toBe(50);
    expect(bodyLimit('PUT', 500, 100)).toBe(100);
  });
});
