// Verifies Service Bus shared access signatures as the CBS node does: the signature is an
// HMAC-SHA256 of "<url-encoded resource>\n<expiry>" with the key, and the token grants the
// resource it names and everything beneath it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { resourcePath } from './resource-path.js';

export type SasVerdict = { ok: true } | { ok: false; reason: string };

export function verifySasToken(
  token: string,
  audience: string,
  keyName: string,
  key: string,
  nowMs: number,
): SasVerdict {
  const prefix = 'SharedAccessSignature ';
  if (!token.startsWith(prefix))
    return { ok: false, reason: 'InvalidToken: the token is not a SharedAccessSignature.' };
  const fields = new Map(
    token
      .slice(prefix.length)
      .split('&')
      .map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at), pair.slice(at + 1)] as const;
      }),
  );
  const resource = fields.get('sr');
  const signature = fields.get('sig');
  const expiry = fields.get('se');
  if (resource === undefined || signature === undefined || expiry === undefined || !/^\d+$/.test(expiry)) {
    return { ok: false, reason: 'InvalidToken: sr, sig and a numeric se are required.' };
  }
  if (fields.get('skn') !== keyName)
    return {
      ok: false,
      reason: `InvalidSignature: the key name '${fields.get('skn') ?? ''}' is not authorized.`,
    };
  if (Number(expiry) * 1000 <= nowMs) return { ok: false, reason: 'ExpiredToken: the token has expired.' };
  const expected = createHmac('sha256', key).update(`${resource}\n${expiry}`).digest();
  const decodedSignature = decodeComponent(signature);
  const decodedResource = decodeComponent(resource);
  if (decodedSignature === undefined || decodedResource === undefined)
    return { ok: false, reason: 'InvalidToken: sr and sig must be valid percent-encoded text.' };
  const given = Buffer.from(decodedSignature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'InvalidSignature: The token has an invalid signature.' };
  const granted = resourcePath(decodedResource);
  const wanted = resourcePath(audience);
  if (granted !== '' && wanted !== granted && !wanted.startsWith(`${granted}/`))
    return { ok: false, reason: `InvalidAudience: the token does not grant '${audience}'.` };
  return { ok: true };
}

function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
