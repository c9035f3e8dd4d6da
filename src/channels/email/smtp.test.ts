import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../../../test/support/smtp-server.ts';
import type { ChannelAdapter, OutboundMessage } from '../channel.ts';
import { createSmtpChannel, mailMessageId } from './smtp.ts';

const zhMessage: OutboundMessage = {
  messageId: 'B1:2026-03-14:pre_due_3:email',
  borrowerId: 'B1',
  channel: 'email',
  to: 'borrower1@example.com',
  locale: 'zh-CN',
  subject: '还款提醒：本期应还 ¥305.00',
  body: '尊敬的客户：\n您的借款 L1 本期应还 ¥305.00，请于2026年3月15日前还款。\n\n核验码：K7Q2M9',
  verificationCode: 'K7Q2M9',
  loanIds: ['L1'],
};

const enMessage: OutboundMessage = {
  messageId: 'B2:2026-03-14:pre_due_3:email',
  borrowerId: 'B2',
  channel: 'email',
  to: 'borrower2@example.com',
  locale: 'en',
  subject: 'Payment reminder: 305.00 due on 15 March',
  body: 'Dear customer,\nYour installment of 305.00 on loan L2 is due on 15 March 2026. <Pay in the app>',
  verificationCode: 'Q3P8XZ',
  loanIds: ['L2'],
};

describe('SMTP e-mail channel', () => {
  let smtp: TestSmtpServer;
  let channel: ChannelAdapter;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    channel = createSmtpChannel({
      host: smtp.host,
      port: smtp.port,
      from: '"宽 Kuan" <notices@lender.example>',
      timeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await channel.close?.();
    await smtp.close();
  });

  it('delivers a zh-CN mail whose subject, body and headers arrive intact', async () => {
    const outcome = await channel.send(zhMessage);
    expect(outcome).toEqual({
      outcome: 'accepted',
      providerMessageId: mailMessageId(zhMessage.messageId, 'lender.example'),
    });
    const mail = smtp.mails.at(-1)!;
    expect(mail.envelopeTo).toEqual(['borrower1@example.com']);
    expect(mail.parsed.subject).toBe('还款提醒：本期应还 ¥305.00');
    expect(mail.parsed.text?.trim()).toBe(zhMessage.body);
    expect(mail.parsed.html).toContain('请于2026年3月15日前还款');
    expect(mail.parsed.html).toContain('lang="zh-CN"');
    expect(mail.header('x-kuan-message-id')).toBe(zhMessage.messageId);
    expect(mail.header('x-kuan-verification-code')).toBe('K7Q2M9');
    expect(mail.parsed.messageId).toBe('<kuan.B1=3A2026-03-14=3Apre_due_3=3Aemail@lender.example>');
  });

  it('delivers an en mail, appends the verification code the template left out, and escapes the HTML part', async () => {
    const outcome = await channel.send(enMessage);
    expect(outcome.outcome).toBe('accepted');
    const mail = smtp.mails.at(-1)!;
    expect(mail.parsed.subject).toBe(enMessage.subject);
    expect(mail.parsed.text).toContain('Your installment of 305.00 on loan L2');
    expect(mail.parsed.text).toContain('Verification code: Q3P8XZ');
    expect(mail.parsed.html).toContain('&lt;Pay in the app&gt;');
    expect(mail.header('x-kuan-verification-code')).toBe('Q3P8XZ');
  });

  it('gives a resend the same Message-ID, so the two copies are recognisably one message', async () => {
    const before = smtp.mails.length;
    await channel.send(zhMessage);
    await channel.send(zhMessage);
    const [first, second] = smtp.mails.slice(before);
    expect(first?.parsed.messageId).toBeDefined();
    expect(first?.parsed.messageId).toBe(second?.parsed.messageId);
  });

  it('classifies a 4xx reply as retryable and a 5xx mailbox refusal as rejected', async () => {
    smtp.failNext(1, { responseCode: 451, message: 'try again later' });
    expect(await channel.send(enMessage)).toMatchObject({ outcome: 'retryable', code: 'provider_unavailable' });
    smtp.failNext(1, { responseCode: 550, message: 'no such mailbox', at: 'rcpt' });
    expect(await channel.send(enMessage)).toMatchObject({ outcome: 'rejected', code: 'invalid_address' });
    smtp.failNext(1, { responseCode: 554, message: 'message refused' });
    expect(await channel.send(enMessage)).toMatchObject({ outcome: 'rejected', code: 'provider_rejected' });
    expect(await channel.send(enMessage)).toMatchObject({ outcome: 'accepted' });
  });

  it('returns retryable when the server cannot be reached', async () => {
    const closed = await startSmtpServer();
    const port = closed.port;
    await closed.close();
    const unreachable = createSmtpChannel({ host: '127.0.0.1', port, from: 'notices@lender.example', timeoutMs: 500 });
    try {
      expect(await unreachable.send(enMessage)).toMatchObject({ outcome: 'retryable', code: 'connection_failed' });
    } finally {
      await unreachable.close?.();
    }
  });

  it('treats a refused login as retryable (the account is broken, not the message)', async () => {
    const guarded = await startSmtpServer({ auth: { user: 'kuan', pass: 'right' } });
    const wrong = createSmtpChannel({
      host: guarded.host,
      port: guarded.port,
      auth: { user: 'kuan', pass: 'wrong' },
      from: 'notices@lender.example',
      timeoutMs: 1_000,
    });
    const right = createSmtpChannel({
      host: guarded.host,
      port: guarded.port,
      auth: { user: 'kuan', pass: 'right' },
      from: 'notices@lender.example',
      timeoutMs: 1_000,
    });
    try {
      expect(await wrong.send(enMessage)).toMatchObject({ outcome: 'retryable', code: 'unauthorized' });
      expect(await right.send(enMessage)).toMatchObject({ outcome: 'accepted' });
      expect(guarded.mails).toHaveLength(1);
    } finally {
      await wrong.close?.();
      await right.close?.();
      await guarded.close();
    }
  });
});

describe('mailMessageId', () => {
  it('keeps distinct messageIds distinct and stays a valid dot-atom', () => {
    const ids = ['a:b', 'a=3Ab', 'a.b', 'a b', '借款'];
    const encoded = ids.map((id) => mailMessageId(id, 'x.example'));
    expect(new Set(encoded).size).toBe(ids.length);
    for (const id of encoded) expect(id).toMatch(/^<kuan\.[A-Za-z0-9_=-]+@x\.example>$/);
  });
});
