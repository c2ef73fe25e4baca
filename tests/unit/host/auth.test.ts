import { describe, expect, it } from 'vitest';
import { isAuthorized, presentedKey } from '../../../local/host/http/auth.js';

const keys = { function: 'f', master: 'm', system: 's' };

describe('HTTP keys', () => {
  it('applies each auth level', () => {
    expect(isAuthorized('anonymous', undefined, keys)).toBe(true);
    expect(isAuthorized('function', 'f', keys)).toBe(true);
    expect(isAuthorized('function', 'm', keys)).toBe(true);
    expect(isAuthorized('function', 's', keys)).toBe(false);
    expect(isAuthorized('function', undefined, keys)).toBe(false);
    expect(isAuthorized('admin', 'f', keys)).toBe(false);
    expect(isAuthorized('admin', 'm', keys)).toBe(true);
    expect(isAuthorized('system', 's', keys)).toBe(true);
    expect(isAuthorized('system', 'f', keys)).toBe(false);
  });

  it('reads the key from the header first, then the code query parameter', () => {
    const url = new URL('http://h/api/x?code=q');
    expect(presentedKey({ 'x-functions-key': 'h' }, url)).toBe('h');
    expect(presentedKey({}, url)).toBe('q');
    expect(presentedKey({}, new URL('http://h/api/x'))).toBeUndefined();
  });
});
