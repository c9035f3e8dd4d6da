// The channel configuration's inbound half: which provider posts Kuan believes, and how it checks them —
// the generic webhook's Standard Webhooks secret, Twilio's auth token over its public origin — with a
// bad secret or URL refused naming its field.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import { channelSettingsFromConfig } from './config.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('channel settings', () => {
  it('read the signing secrets and Twilio’s public origin, secrets from the environment', () => {
    const settings = channelSettingsFromConfig(
      {
        sms: { webhook: { url: 'http://127.0.0.1:9000/sms', signingSecret: { env: 'SMS_SECRET' } } },
        push: { webhook: { url: 'http://127.0.0.1:9000/push' } },
      },
      { env: { SMS_SECRET: secret } },
    );
    expect(Object.keys(settings.adapters).sort()).toEqual(['push', 'sms']);
    expect(settings.inbound).toEqual({ webhookSecrets: { sms: secret } });

    const viaTwilio = channelSettingsFromConfig({
      sms: {
        twilio: {
          accountSid: 'AC123',
          authToken: 'token',
          from: '+15555550100',
          statusCallbackUrl: 'https://kuan.lender.example:8443/api/v1/webhooks/twilio/status',
        },
      },
    });
    expect(viaTwilio.inbound.twilio).toEqual({ authToken: 'token', publicOrigin: 'https://kuan.lender.example:8443' });
  });

  it('refuse a signing secret that is not one, naming the field', () => {
    const bad = () =>
      channelSettingsFromConfig({ sms: { webhook: { url: 'http://127.0.0.1:9000/sms', signingSecret: 'hunter2' } } });
    expect(bad).toThrow(InputError);
    expect(bad).toThrow(/channels\.sms\.webhook\.signingSecret/);
  });
});
