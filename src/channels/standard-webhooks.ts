// Signatures in the Standard Webhooks format (standardwebhooks.com): HMAC-SHA256, keyed by the base64
// secret after `whsec_`, over `${webhook-id}.${webhook-timestamp}.${body}`, sent as `v1,<base64>` in the
// `webhook-signature` header (several, space-separated, while a secret is being rotated). A provider
// posting receipts and replies to Kuan signs them so; the timestamp bounds a replay to the tolerance.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InputError } from '../errors/index.ts';

/** How far a signed timestamp may be from the receiver's clock (the specification's suggestion). */
export const STANDARD_WEBHOOK_TOLERANCE_MS = 5 * 60_000;

const secretPrefix = 'whsec_';

/** The HMAC key of a `whsec_…` secret; throws InputError naming `field` when it is not one. */
export function standardWebhookKey(secret: string, field: string): Buffer {
  const encoded = secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16 || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
    throw new InputError(field, 'must be a Standard Webhooks secret: whsec_ followed by at least 16 bytes in base64');
  }
  return key;
}

/** The `webhook-signature` value for one message (`v1,<base64>`). */
export function signStandardWebhook(input: { secret: string; id: string; timestampS: number; body: string }): string {
  const key = standardWebhookKey(input.secret, 'secret');
  const mac = createHmac('sha256', key).update(`${input.id}.${input.timestampS}.${input.body}`, 'utf8').digest();
  return `v1,${mac.toString('base64')}`;
}

export type StandardWebhookVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Whether a received message is signed by `secret`: the headers are present, the timestamp is within
 * the tolerance of `nowMs`, and one of the `v1` signatures is the HMAC of the exact body received.
 */
export function verifyStandardWebhook(input: {
  secret: string;
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined };
  body: string;
  nowMs: number;
  toleranceMs?: number;
}): StandardWebhookVerdict {
  const { id, timestamp, signature } = input.headers;
  if (!id || !timestamp || !signature) {
    return { ok: false, reason: 'webhook-id, webhook-timestamp and webhook-signature are required' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp must be whole seconds' };
  const timestampS = Number(timestamp);
  if (Math.abs(input.nowMs - timestampS * 1000) > (input.toleranceMs ?? STANDARD_WEBHOOK_TOLERANCE_MS)) {
    return { ok: false, reason: 'webhook-timestamp is too far from now' };
  }
  const expected = Buffer.from(signStandardWebhook({ secret: input.secret, id, timestampS, body: input.body }), 'utf8');
  for (const candidate of signature.split(' ')) {
    const given = Buffer.from(candidate, 'utf8');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no webhook-signature matches the body' };
}
