import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../channel.ts';
import { createMemoryCallTaskSink, createVoiceTaskChannel } from './call-task.ts';

const message: OutboundMessage = {
  messageId: 'B1:2026-03-25:overdue_10:voice',
  borrowerId: 'B1',
  channel: 'voice',
  to: '+8613800000001',
  locale: 'zh-CN',
  body: '您好，这里是宽信消费金融，关于您借款L1逾期10天的事宜……',
  verificationCode: 'K7Q2M9',
  loanIds: ['L1'],
};

describe('voice call-task channel', () => {
  it('creates one call task per messageId, however often it is sent', async () => {
    const memory = createMemoryCallTaskSink();
    const channel = createVoiceTaskChannel(memory.sink, { now: () => 1_000 });
    expect(await channel.send(message)).toEqual({ outcome: 'accepted', providerMessageId: message.messageId });
    expect(await channel.send(message)).toEqual({ outcome: 'accepted', providerMessageId: message.messageId });
    expect(memory.tasks()).toEqual([
      {
        taskId: message.messageId,
        borrowerId: 'B1',
        phone: '+8613800000001',
        loanIds: ['L1'],
        script: message.body,
        verificationCode: 'K7Q2M9',
        locale: 'zh-CN',
        createdAtMs: 1_000,
      },
    ]);
  });

  it('rejects a number that is not E.164 and retries when the sink fails', async () => {
    const memory = createMemoryCallTaskSink();
    const channel = createVoiceTaskChannel(memory.sink);
    expect(await channel.send({ ...message, to: '13800000001' })).toMatchObject({
      outcome: 'rejected',
      code: 'invalid_address',
    });
    const failing = createVoiceTaskChannel(() => Promise.reject(new Error('queue down')));
    expect(await failing.send(message)).toMatchObject({ outcome: 'retryable', code: 'adapter_error' });
    expect(memory.tasks()).toEqual([]);
  });
});
