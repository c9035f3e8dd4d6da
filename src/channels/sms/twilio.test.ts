import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors/index.ts';
import {
  startMessageProviderServer,
  startReceiptReceiver,
  type TestMessageProvider,
} from '../../../test/support/message-provider-server.ts';
import type { ChannelAdapter, OutboundMessage } from '../channel.ts';
import { createTwilioSmsChannel, parseTwilioStatusCallback, verifyTwilioSignature } from './twilio.ts';

const message = (messageId: string, to = '+8613800000001'): OutboundMessage => ({
  messageId,
  borrowerId: 'B1',
  channel: 'sms',
  to,
  locale: 'zh-CN',
  body: '【宽】您的借款本期应还¥305.00，3月15日到期。核验码K7Q2M9',
  verificationCode: 'K7Q2M9',
  loanIds: ['L1'],
});

describe('Twilio SMS channel', () => {
  let provider: TestMessageProvider;
  let receiver: Awaited<ReturnType<typeof startReceiptReceiver>>;
  let channel: ChannelAdapter;

  beforeAll(async () => {
    provider = await startMessageProviderServer();
    receiver = await startReceiptReceiver();
    channel = createTwilioSmsChannel({ ...twilioOptions(), statusCallbackUrl: receiver.url, timeoutMs: 3_000 });
  });

  afterAll(async () => {
    await provider.close();
    await receiver.close();
  });

  const twilioOptions = () => ({
    baseUrl: provider.url,
    accountSid: provider.twilio.accountSid,
    authToken: provider.twilio.authToken,
    from: '+15005550006',
  });

  it('creates a message with form fields and basic auth, and returns the SM sid', async () => {
    const outcome = await channel.send(message('B1:2026-03-14:pre_due_3:sms'));
    expect(outcome).toMatchObject({
      outcome: 'accepted',
      providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
    });
    const request = provider.requests.at(-1)!;
    expect(request.format).toBe('twilio');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toMatchObject({
      To: '+8613800000001',
      From: '+15005550006',
      Body: '【宽】您的借款本期应还¥305.00，3月15日到期。核验码K7Q2M9',
    });
    const callback = new URL(String(request.body.StatusCallback));
    expect(callback.searchParams.get('messageId')).toBe('B1:2026-03-14:pre_due_3:sms');
  });

  it('maps Twilio 21211 (invalid number) to rejected, 429 and 5xx to retryable', async () => {
    provider.invalidAddresses.add('+86123');
    const invalid = await channel.send(message('m-invalid', '+86123'));
    expect(invalid).toMatchObject({ outcome: 'rejected', code: 'invalid_address' });
    expect(invalid.outcome === 'rejected' && invalid.detail).toContain('twilio 21211');
    provider.failNext('rate_limited');
    expect(await channel.send(message('m-busy'))).toMatchObject({ outcome: 'retryable', code: 'rate_limited' });
    provider.failNext('server_error');
    expect(await channel.send(message('m-busy'))).toMatchObject({ outcome: 'retryable', code: 'provider_unavailable' });
    provider.failNext('hang');
    const impatient = createTwilioSmsChannel({ ...twilioOptions(), timeoutMs: 300 });
    expect(await impatient.send(message('m-busy'))).toMatchObject({ outcome: 'retryable', code: 'timeout' });
    expect(await channel.send(message('m-busy'))).toMatchObject({ outcome: 'accepted' });
  });

  it('treats wrong credentials (Twilio 20003) as retryable', async () => {
    const wrong = createTwilioSmsChannel({
      baseUrl: provider.url,
      accountSid: provider.twilio.accountSid,
      authToken: 'wrong',
      messagingServiceSid: 'MG1',
    });
    expect(await wrong.send(message('m-auth'))).toMatchObject({ outcome: 'retryable', code: 'unauthorized' });
  });

  it('refuses a configuration without a sender', () => {
    expect(() => createTwilioSmsChannel({ accountSid: 'AC1', authToken: 't' })).toThrow(InputError);
  });

  it('turns a signed status callback into a receipt that names Kuan’s messageId', async () => {
    const sent = await channel.send(message('m-callback'));
    if (sent.outcome !== 'accepted') throw new Error('expected accepted');
    await provider.sendReceipt(sent.providerMessageId, 'undelivered', { errorCode: '30003' });
    const callback = receiver.callbacks.at(-1)!;
    const form = new URLSearchParams(callback.body);
    expect(
      verifyTwilioSignature({
        authToken: provider.twilio.authToken,
        url: callback.url,
        form,
        signature: String(callback.headers['x-twilio-signature']),
      }),
    ).toBe(true);
    expect(
      verifyTwilioSignature({
        authToken: 'other',
        url: callback.url,
        form,
        signature: String(callback.headers['x-twilio-signature']),
      }),
    ).toBe(false);
    expect(parseTwilioStatusCallback(form, { receivedAtMs: 1_000, callbackUrl: callback.url })).toEqual({
      providerMessageId: sent.providerMessageId,
      messageId: 'm-callback',
      status: 'undelivered',
      atMs: 1_000,
      code: '30003',
    });
  });
});

describe('parseTwilioStatusCallback', () => {
  it('ignores progress statuses and maps the final ones', () => {
    const parse = (status: string) =>
      parseTwilioStatusCallback({ MessageSid: 'SM1', MessageStatus: status }, { receivedAtMs: 5 });
    expect(parse('queued')).toBeNull();
    expect(parse('sent')).toBeNull();
    expect(parse('delivered')).toEqual({ providerMessageId: 'SM1', status: 'delivered', atMs: 5 });
    expect(parse('failed')?.status).toBe('failed');
    expect(parse('read')?.status).toBe('read');
  });

  it('requires the sid and the status', () => {
    expect(() => parseTwilioStatusCallback({ MessageStatus: 'delivered' }, { receivedAtMs: 0 })).toThrow(/MessageSid/);
    expect(() => parseTwilioStatusCallback({ MessageSid: 'SM1' }, { receivedAtMs: 0 })).toThrow(/MessageStatus/);
  });
});

describe('verifyTwilioSignature', () => {
  it('accepts the example from Twilio’s request-validation documentation', () => {
    // TwilioDevEd/api-snippets, security/signature_validation: auth token 12345, this URL and these fields.
    const form = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675310',
      Digits: '1234',
      From: '+14158675310',
      To: '+18005551212',
    };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(verifyTwilioSignature({ authToken: '12345', url, form, signature: 'GvWf1cFY/Q7PnoempGyD5oXAezc=' })).toBe(
      true,
    );
    expect(
      verifyTwilioSignature({
        authToken: '12345',
        url,
        form: { ...form, Digits: '1235' },
        signature: 'GvWf1cFY/Q7PnoempGyD5oXAezc=',
      }),
    ).toBe(false);
    expect(verifyTwilioSignature({ authToken: '12345', url, form, signature: 'short' })).toBe(false);
  });
});
