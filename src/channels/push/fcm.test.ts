import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessageProviderServer, type TestMessageProvider } from '../../../test/support/message-provider-server.ts';
import type { ChannelAdapter, OutboundMessage } from '../channel.ts';
import { createFcmPushChannel } from './fcm.ts';

const message = (messageId: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId,
  borrowerId: 'B1',
  channel: 'push',
  to: 'device-token-b1',
  locale: 'zh-CN',
  body: '您的借款本期应还¥305.00，3月15日到期。核验码K7Q2M9',
  verificationCode: 'K7Q2M9',
  loanIds: ['L1', 'L2'],
  ...overrides,
});

describe('FCM push channel', () => {
  let provider: TestMessageProvider;
  let channel: ChannelAdapter;

  beforeAll(async () => {
    provider = await startMessageProviderServer();
    channel = createFcmPushChannel({
      baseUrl: provider.url,
      projectId: provider.fcm.projectId,
      accessToken: async () => provider.fcm.accessToken,
      timeoutMs: 3_000,
    });
  });

  afterAll(async () => {
    await provider.close();
  });

  it('sends a v1 message with notification, data and collapse keys, and returns its name', async () => {
    const outcome = await channel.send(message('B1:2026-03-14:due:push'));
    expect(outcome).toEqual({ outcome: 'accepted', providerMessageId: provider.deliveries.at(-1)?.id });
    const request = provider.requests.at(-1)!;
    expect(request.path).toBe(`/v1/projects/${provider.fcm.projectId}/messages:send`);
    expect(request.headers.authorization).toBe(`Bearer ${provider.fcm.accessToken}`);
    expect(request.body).toEqual({
      message: {
        token: 'device-token-b1',
        notification: { title: '还款提醒', body: '您的借款本期应还¥305.00，3月15日到期。核验码K7Q2M9' },
        data: { messageId: 'B1:2026-03-14:due:push', verificationCode: 'K7Q2M9', loanIds: 'L1,L2', locale: 'zh-CN' },
        android: { collapse_key: 'B1:2026-03-14:due:push' },
        apns: { headers: { 'apns-collapse-id': 'B1:2026-03-14:due:push' } },
      },
    });
  });

  it('uses the subject as the title', async () => {
    await channel.send(message('m-title', { locale: 'en', subject: 'Payment due', body: 'Due 15 March. Code K7Q2M9' }));
    expect(provider.deliveries.at(-1)).toMatchObject({ title: 'Payment due', text: 'Due 15 March. Code K7Q2M9' });
  });

  it('rejects an unregistered token and a refused argument; retries quota, unavailability and silence', async () => {
    provider.invalidAddresses.add('stale-token');
    expect(await channel.send(message('m-stale', { to: 'stale-token' }))).toMatchObject({
      outcome: 'rejected',
      code: 'unregistered',
    });
    provider.failNext('invalid_address');
    expect(await channel.send(message('m-arg'))).toMatchObject({ outcome: 'rejected', code: 'provider_rejected' });
    provider.failNext('rate_limited');
    expect(await channel.send(message('m-retry'))).toMatchObject({
      outcome: 'retryable',
      code: 'rate_limited',
      retryAfterMs: 1_000,
    });
    provider.failNext('unavailable');
    expect(await channel.send(message('m-retry'))).toMatchObject({
      outcome: 'retryable',
      code: 'provider_unavailable',
    });
    provider.failNext('hang');
    const impatient = createFcmPushChannel({
      baseUrl: provider.url,
      projectId: provider.fcm.projectId,
      accessToken: provider.fcm.accessToken,
      timeoutMs: 300,
    });
    expect(await impatient.send(message('m-retry'))).toMatchObject({ outcome: 'retryable', code: 'timeout' });
    expect(await channel.send(message('m-retry'))).toMatchObject({ outcome: 'accepted' });
  });

  it('treats a refused or missing access token as retryable', async () => {
    const stale = createFcmPushChannel({
      baseUrl: provider.url,
      projectId: provider.fcm.projectId,
      accessToken: 'expired',
    });
    expect(await stale.send(message('m-token'))).toMatchObject({ outcome: 'retryable', code: 'unauthorized' });
    const broken = createFcmPushChannel({
      baseUrl: provider.url,
      projectId: provider.fcm.projectId,
      accessToken: () => Promise.reject(new Error('metadata server down')),
    });
    expect(await broken.send(message('m-token'))).toMatchObject({ outcome: 'retryable', code: 'unauthorized' });
  });
});
