import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../channel.ts';
import { channelsFromConfig } from '../config.ts';
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

describe('voice call tasks in a JSON Lines file', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kuan-call-tasks-'));
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  /** A fresh adapter over the file, as a dispatcher process builds it on start. */
  const fileChannel = (outputFile: string) => channelsFromConfig({ voice: { tasks: { outputFile } } }).voice!;
  const linesOf = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');

  it('writes a task once when it is delivered again after a crash (the send was never recorded)', async () => {
    const file = join(folder, 'crash.jsonl');
    // The first process writes the task, then dies before the dispatcher records the send.
    expect(await fileChannel(file).send(message)).toMatchObject({ outcome: 'accepted' });
    // After restart the dispatcher sends the same task again, through a new adapter.
    expect(await fileChannel(file).send(message)).toMatchObject({ outcome: 'accepted' });
    const lines = await linesOf(file);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ taskId: message.messageId });
    // Within one process too, and for concurrent sends of one id.
    const channel = fileChannel(file);
    const other = { ...message, messageId: 'B1:2026-03-26:overdue_11:voice' };
    await Promise.all([channel.send(other), channel.send(other), channel.send(message)]);
    expect((await linesOf(file)).map((line) => (JSON.parse(line) as { taskId: string }).taskId)).toEqual([
      message.messageId,
      other.messageId,
    ]);
  });

  it('cuts a line torn by a crash mid-write, and writes that task whole on the retry', async () => {
    const file = join(folder, 'torn.jsonl');
    const whole = JSON.stringify({ taskId: 'earlier', phone: '+8613800000002' });
    const torn = JSON.stringify({ taskId: message.messageId, phone: message.to }).slice(0, 25);
    await writeFile(file, `${whole}\n${torn}`);
    expect(await fileChannel(file).send(message)).toMatchObject({ outcome: 'accepted' });
    const lines = await linesOf(file);
    expect(lines.map((line) => (JSON.parse(line) as { taskId: string }).taskId)).toEqual([
      'earlier',
      message.messageId,
    ]);
  });
});
