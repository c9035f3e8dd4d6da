import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../channel.ts';
import { createLetterChannel, letterDate, letterFileName } from './channel.ts';
import { renderLetterPdf } from './pdf.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';

const sender = { name: '宽信消费金融有限公司', address: '上海市浦东新区世纪大道100号 200120\n客服电话 400-000-0000' };

describe('renderLetterPdf', () => {
  it('renders a zh-CN letter whose Chinese sentence, amount and verification code come back out as text', async () => {
    const bytes = await renderLetterPdf({
      locale: 'zh-CN',
      sender,
      recipientAddress: '张三 先生\n北京市朝阳区建国路88号 100022',
      dateText: '2026年3月14日',
      subject: '逾期还款提醒函',
      body: '尊敬的张三先生：\n\n您的借款 L1 第3期应还款 ¥305.00 已于2026年3月15日到期，目前尚未结清。\n\n如有困难，请联系我们申请还款计划。',
      verificationCode: 'K7Q2M9',
      createdAtMs: Date.UTC(2026, 2, 14),
    });
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { pages } = await pdfText(bytes);
    const text = pages.join('\n');
    expect(text).toContain('已于2026年3月15日到期，目前尚未结清。');
    expect(text).toContain('¥305.00');
    expect(text).toContain('核验码：K7Q2M9');
    expect(text).toContain('逾期还款提醒函');
    expect(text).toContain('北京市朝阳区建国路88号');
    expect(text).toContain('第 1 页，共 1 页');

    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/\/FontFile[23] \d+ 0 R/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
  });

  it('flows a long letter onto more pages, each with the footer and its page number', async () => {
    const paragraph = 'This paragraph stands for a long explanation of the repayment plan and its terms. '.repeat(8);
    const bytes = await renderLetterPdf({
      locale: 'en',
      sender: { name: 'Kuan Lending', address: '1 Main Street' },
      recipientAddress: 'Jane Doe\n2 High Street',
      dateText: 'March 14, 2026',
      subject: 'Repayment plan',
      body: Array.from({ length: 12 }, () => paragraph).join('\n\n'),
      verificationCode: 'Q3P8XZ',
    });
    const { pages, pageCount } = await pdfText(bytes);
    expect(pageCount).toBeGreaterThan(1);
    pages.forEach((page, index) => {
      expect(page).toContain(`Page ${index + 1} of ${pageCount}`);
      expect(page).toContain('Messages in the borrower portal');
    });
    expect(pages.at(-1)).toContain('Verification code: Q3P8XZ');
  });
});

describe('letter channel', () => {
  let outputDir: string;
  beforeAll(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'kuan-letters-'));
  });
  afterAll(async () => {
    await rm(outputDir, { recursive: true, force: true });
  });

  const message: OutboundMessage = {
    messageId: 'B1:2026-03-20:overdue_5:letter',
    borrowerId: 'B1',
    channel: 'letter',
    to: '张三 先生\n北京市朝阳区建国路88号 100022',
    locale: 'zh-CN',
    subject: '还款提醒',
    body: '您的借款本期应还 ¥305.00，请尽快还款。',
    verificationCode: 'K7Q2M9',
    loanIds: ['L1'],
  };

  it('returns the PDF and writes it as <messageId>.pdf, dated in the letter’s zone', async () => {
    const channel = createLetterChannel({ outputDir, sender, now: () => Date.UTC(2026, 2, 19, 17) });
    const outcome = await channel.send(message);
    if (outcome.outcome !== 'accepted' || !outcome.document) throw new Error('expected a document');
    expect(outcome.providerMessageId).toBe('B1%3A2026-03-20%3Aoverdue_5%3Aletter.pdf');
    const written = await readFile(join(outputDir, outcome.providerMessageId));
    expect(new Uint8Array(written)).toEqual(outcome.document);
    const text = (await pdfText(outcome.document)).pages.join('');
    expect(text).toContain('2026年3月20日'); // 17:00 UTC on the 19th is the 20th in Shanghai
    expect(text).toContain('核验码：K7Q2M9');
  });

  it('rejects a letter without an address', async () => {
    const channel = createLetterChannel({ sender });
    expect(await channel.send({ ...message, to: '  ' })).toMatchObject({
      outcome: 'rejected',
      code: 'invalid_address',
    });
  });

  it('names files safely and dates letters per locale', () => {
    expect(letterFileName('plain-id_1.x')).toBe('plain-id_1.x.pdf');
    expect(letterFileName('../etc/passwd')).toBe('%2E.%2Fetc%2Fpasswd.pdf');
    expect(letterDate(Date.UTC(2026, 2, 14, 2), 'en', 'Asia/Shanghai')).toBe('March 14, 2026');
  });
});
