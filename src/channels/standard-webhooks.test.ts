// Standard Webhooks signatures against the specification's published test vector (a round trip through
// our own verifier alone would pass with the delimiter, the key decoding or the base64 alphabet wrong),
// then the verifier's refusals: a changed body, a stale timestamp, missing headers, a rotated secret.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import { signStandardWebhook, standardWebhookKey, verifyStandardWebhook } from './standard-webhooks.ts';

const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestampS: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const headers = { id: vector.id, timestamp: String(vector.timestampS), signature: vector.signature };
const nowMs = vector.timestampS * 1000 + 10_000;

describe('Standard Webhooks signatures', () => {
  it('reproduce the specification’s test vector', () => {
    expect(signStandardWebhook(vector)).toBe(vector.signature);
    expect(verifyStandardWebhook({ secret: vector.secret, headers, body: vector.body, nowMs })).toEqual({ ok: true });
  });

  it('accept any one of several signatures (a secret being rotated)', () => {
    const rotated = { ...headers, signature: `v1,bm9wZQ== ${vector.signature}` };
    expect(verifyStandardWebhook({ secret: vector.secret, headers: rotated, body: vector.body, nowMs }).ok).toBe(true);
  });

  it('refuse a changed body, a stale or future timestamp and missing headers', () => {
    const verdict = (overrides: Partial<typeof headers>, body = vector.body, at = nowMs) =>
      verifyStandardWebhook({ secret: vector.secret, headers: { ...headers, ...overrides }, body, nowMs: at });
    expect(verdict({}, '{"test": 2432232315}')).toEqual({ ok: false, reason: 'no webhook-signature matches the body' });
    expect(verdict({}, vector.body, nowMs + 10 * 60_000).ok).toBe(false);
    expect(verdict({}, vector.body, vector.timestampS * 1000 - 6 * 60_000).ok).toBe(false);
    expect(verdict({ signature: undefined }).ok).toBe(false);
    expect(verdict({ timestamp: '1614265330.5' }).ok).toBe(false);
  });

  it('name the field of a secret that is not one', () => {
    expect(() => standardWebhookKey('whsec_short', 'channels.sms.webhook.signingSecret')).toThrow(InputError);
    expect(() => standardWebhookKey('whsec_not base64!!!!!!!!!!!!!!!!!!', 'secret')).toThrow(/whsec_/);
  });
});
