import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors/index.ts';
import {
  startMessageProviderServer,
  startReceiptReceiver,
  type TestMessageProvider,
} from '../../../test/support/message-provider-server.ts';
import type { ChannelAdapter, OutboundMessage } from '../channel.ts';
import { createWebhookChannel, parseWebhookReceipt } from './webhook.ts';

const message = (messageId: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId,
  borrowerId: 'B1',
  channel: 'sms',
  to: '+8613800000001',
  locale: 'zh-CN',
  body: '【宽】您的借款L1本期应还¥305.00，3月15日到期。核验码K7Q2M9',
  verificationCode: 'K7Q2M9',
  loanIds: ['L1'],
  ...overrides,
});

describe('generic webhook channel', () => {
  let provider: TestMessageProvider;
  let receiver: Awaited<ReturnType<typeof startReceiptReceiver>>;
  let channel: ChannelAdapter;
  /** Same provider, short deadline: only for the cases where the provider never answers. */
  let impatient: ChannelAdapter;

  beforeAll(async () => {
    provider = await startMessageProviderServer();
    receiver = await startReceiptReceiver();
    channel = createWebhookChannel({
      channel: 'sms',
      url: `${provider.url}/v1/messages`,
      apiKey: provider.genericApiKey,
      callbackUrl: receiver.url,
      timeoutMs: 3_000,
    });
    impatient = createWebhookChannel({
      channel: 'sms',
      url: `${provider.url}/v1/messages`,
      apiKey: provider.genericApiKey,
      timeoutMs: 300,
    });
  });

  afterAll(async () => {
    await provider.close();
    await receiver.close();
  });

  it('posts the message as JSON with the messageId as Idempotency-Key, Chinese text intact', async () => {
    const outcome = await channel.send(message('m-accept'));
    expect(outcome).toMatchObject({ outcome: 'accepted' });
    const request = provider.requests.at(-1)!;
    expect(request.idempotencyKey).toBe('m-accept');
    expect(request.body).toMatchObject({
      messageId: 'm-accept',
      channel: 'sms',
      to: '+8613800000001',
      locale: 'zh-CN',
      body: '【宽】您的借款L1本期应还¥305.00，3月15日到期。核验码K7Q2M9',
      verificationCode: 'K7Q2M9',
      callbackUrl: receiver.url,
    });
    expect(provider.deliveries.at(-1)?.id).toBe(outcome.outcome === 'accepted' ? outcome.providerMessageId : '');
  });

  it('adds the verification line when the template left the code out', async () => {
    await channel.send(message('m-code', { locale: 'en', body: 'Your installment of 305.00 is due on 15 March.' }));
    expect(provider.deliveries.at(-1)?.text).toBe(
      'Your installment of 305.00 is due on 15 March.\nVerification code: K7Q2M9',
    );
  });

  it('delivers once when the same message is sent twice', async () => {
    const before = provider.deliveries.length;
    const first = await channel.send(message('m-twice'));
    const second = await channel.send(message('m-twice'));
    expect(second).toEqual(first);
    expect(provider.deliveries.length - before).toBe(1);
  });

  it('delivers once when the provider took the message but the answer never came, and Kuan retried', async () => {
    const before = provider.deliveries.length;
    provider.failNext('accept_then_hang');
    expect(await impatient.send(message('m-lost-answer'))).toMatchObject({ outcome: 'retryable', code: 'timeout' });
    const retried = await channel.send(message('m-lost-answer'));
    expect(retried).toEqual({ outcome: 'accepted', providerMessageId: provider.deliveries.at(-1)?.id });
    expect(provider.deliveries.length - before).toBe(1);
  });

  it('classifies failures: 5xx, 429 and silence retryable; a bad address rejected', async () => {
    provider.failNext('server_error');
    expect(await channel.send(message('m-f1'))).toMatchObject({ outcome: 'retryable', code: 'provider_unavailable' });
    provider.failNext('rate_limited');
    expect(await channel.send(message('m-f1'))).toMatchObject({
      outcome: 'retryable',
      code: 'rate_limited',
      retryAfterMs: 1_000,
    });
    provider.failNext('hang');
    expect(await impatient.send(message('m-f1'))).toMatchObject({ outcome: 'retryable', code: 'timeout' });
    provider.failNext('invalid_address');
    expect(await channel.send(message('m-f2'))).toMatchObject({ outcome: 'rejected', code: 'invalid_address' });
    expect(await channel.send(message('m-f1'))).toMatchObject({ outcome: 'accepted' });
  });

  it('treats a refused API key as retryable and an unreachable provider as retryable', async () => {
    const wrongKey = createWebhookChannel({ channel: 'push', url: `${provider.url}/v1/messages`, apiKey: 'nope' });
    expect(await wrongKey.send(message('m-key'))).toMatchObject({ outcome: 'retryable', code: 'unauthorized' });
    const nowhere = createWebhookChannel({ channel: 'sms', url: 'http://127.0.0.1:9/v1/messages' });
    expect(await nowhere.send(message('m-nowhere'))).toMatchObject({ outcome: 'retryable', code: 'connection_failed' });
  });

  it('receives a delivery receipt the provider posts back and parses it', async () => {
    const sent = await channel.send(message('m-receipt'));
    if (sent.outcome !== 'accepted') throw new Error('expected accepted');
    const status = await provider.sendReceipt(sent.providerMessageId, 'delivered', { atMs: Date.UTC(2026, 2, 14, 1) });
    expect(status).toBe(204);
    const receipt = parseWebhookReceipt(JSON.parse(receiver.callbacks.at(-1)!.body));
    expect(receipt).toEqual({
      providerMessageId: sent.providerMessageId,
      messageId: 'm-receipt',
      status: 'delivered',
      atMs: Date.UTC(2026, 2, 14, 1),
    });
  });
});

describe('parseWebhookReceipt', () => {
  it('reads a failed receipt with an offset instant and a code', () => {
    expect(
      parseWebhookReceipt({ id: 'p1', status: 'failed', at: '2026-03-14T09:00:03+08:00', code: 'carrier' }),
    ).toEqual({
      providerMessageId: 'p1',
      status: 'failed',
      atMs: Date.UTC(2026, 2, 14, 1, 0, 3),
      code: 'carrier',
    });
  });

  it('names the field that is wrong', () => {
    const fieldOf = (json: unknown): string => {
      try {
        parseWebhookReceipt(json);
        return 'none';
      } catch (error) {
        return error instanceof InputError ? error.field : 'not an InputError';
      }
    };
    expect(fieldOf([])).toBe('receipt');
    expect(fieldOf({ status: 'delivered', at: '2026-03-14T01:00:00Z' })).toBe('id');
    expect(fieldOf({ id: 'p', status: 'sent', at: '2026-03-14T01:00:00Z' })).toBe('status');
    expect(fieldOf({ id: 'p', status: 'read', at: '2026-03-14 01:00' })).toBe('at');
    expect(fieldOf({ id: 'p', status: 'read', at: '2026-03-14T01:00:00Z', code: 7 })).toBe('code');
  });
});
