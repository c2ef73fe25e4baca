import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySasToken } from '../../../local/servicebus/sas-token.js';

const now = 1_700_000_000_000;
const expiry = now / 1000 + 3600;
const audience = 'sb://127.0.0.1:5672/orders';

// Built the way @azure/core-amqp builds its tokens.
function token(
  audience: string,
  key: string,
  expiresAt = expiry,
  keyName = 'RootManageSharedAccessKey',
): string {
  const resource = encodeURIComponent(audience);
  const sig = encodeURIComponent(
    createHmac('sha256', key).update(`${resource}\n${expiresAt}`).digest('base64'),
  );
  return `SharedAccessSignature sr=${resource}&sig=${sig}&se=${expiresAt}&skn=${keyName}`;
}

describe('SAS token verification', () => {
  it('accepts a token signed with the key for its resource and below', () => {
    expect(verifySasToken(token(audience, 'k'), audience, 'RootManageSharedAccessKey', 'k', now)).toEqual({
      ok: true,
    });
    expect(
      verifySasToken(
        token('sb://127.0.0.1:5672/', 'k'),
        `${audience}/$management`,
        'RootManageSharedAccessKey',
        'k',
        now,
      ),
    ).toEqual({ ok: true });
  });

  it.each([
    ['a wrong key', token(audience, 'other'), audience, now, /InvalidSignature/],
    ['another key name', token(audience, 'k', expiry, 'Listen'), audience, now, /key name/],
    ['an expired token', token(audience, 'k'), audience, now + 3_600_001, /ExpiredToken/],
    ['another entity', token('sb://127.0.0.1:5672/other', 'k'), audience, now, /InvalidAudience/],
    ['not a SAS token', 'Bearer abc', audience, now, /InvalidToken/],
    [
      'a token without a numeric expiry',
      token(audience, 'k').replace(/se=\d+/, 'se=soon'),
      audience,
      now,
      /InvalidToken/,
    ],
  ])('refuses %s', (_what, given, wanted, at, reason) => {
    const verdict = verifySasToken(given, wanted, 'RootManageSharedAccessKey', 'k', at);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
  });
});

describe('SAS token parsing', () => {
  it('refuses malformed percent-encoding in sig or sr without throwing', () => {
    const valid = token(audience, 'k');
    for (const broken of [valid.replace(/sig=[^&]*/, 'sig=%E0%A4%A'), valid.replace(/sr=[^&]*/, 'sr=%')]) {
      expect(verifySasToken(broken, audience, 'RootManageSharedAccessKey', 'k', now)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/InvalidToken|InvalidSignature/),
      });
    }
  });
});
