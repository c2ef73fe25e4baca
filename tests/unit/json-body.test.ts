import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../shared/errors.js';
import { parseJsonBody } from '../../shared/json-body.js';

const limits = { maxBytes: 10_000_000, maxDepth: 3 };

function refusal(text: string, given = limits) {
  try {
    parseJsonBody(text, given);
  } catch (error) {
    if (isPlatformError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('parsed');
}

describe('parseJsonBody', () => {
  it('returns the value of a body within its limits', () => {
    expect(parseJsonBody('{"rows": [{"a": 1, "b": null}]}', limits)).toEqual({ rows: [{ a: 1, b: null }] });
    expect(parseJsonBody(' 7 ', limits)).toBe(7);
  });

  it('names the first container too deep, in document order', () => {
    expect(refusal('{"a": [1, {"b": [0]}], "c": {"d": {"e": {}}}}')).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Request body is nested deeper than 3 levels at a.1.b.',
      details: { field: 'a.1.b', limit: 3 },
    });
    expect(refusal('[[[[]]]]').details).toMatchObject({ field: '0.0.0' });
    expect(refusal('{}', { ...limits, maxDepth: 0 }).details).toMatchObject({ field: '(root)' });
  });

  it('refuses a body nested a hundred thousand deep without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(refusal(deep).details).toMatchObject({ field: '0.0.0' });
  });

  it('says whether a body is empty, not JSON or too large', () => {
    expect(refusal(' \n')).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/empty/) });
    expect(refusal('{"a": ')).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(refusal('"ééé"', { ...limits, maxBytes: 6 })).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { limit: 6 },
    });
  });
});
