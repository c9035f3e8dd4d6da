// End to end: `kuan simulate --channels FILE` hands every sent contact to real channels — e-mail over SMTP
// to a local SMTP server, SMS and push over HTTP to a local provider, letters as PDF files — and each
// message that arrives carries the verification code its `contact` line reports.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMessageProviderServer, type TestMessageProvider } from '../support/message-provider-server.ts';
import { pdfText } from '../support/pdf-text.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { runInProcess } from './support.ts';

interface Line {
  kind: string;
  at: string;
  channel: string;
  template: string;
  status: string;
  code?: string;
  loanIds: string[];
}

let smtp: TestSmtpServer;
let provider: TestMessageProvider;
let folder: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  provider = await startMessageProviderServer();
  folder = await mkdtemp(join(tmpdir(), 'kuan-channels-'));
});

afterAll(async () => {
  await smtp.close();
  await provider.close();
  await rm(folder, { recursive: true, force: true });
});

function scenario(): unknown {
  const terms = (principal: string) => ({
    principal,
    currency: 'CNY',
    annualRate: '0.12',
    termCount: 6,
    startDate: '2026-02-17',
  });
  return {
    start: '2026-03-10',
    days: 45,
    policy: 'cn-2026',
    borrowers: [
      {
        id: 'B1',
        name: '张三',
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: {
          sms: '+8613800000001',
          email: 'zhang.san@example.com',
          push: 'device-b1',
          letter: '张三\n北京市朝阳区建国路88号 100022',
        },
      },
      {
        id: 'B2',
        name: 'Ann Lee',
        timezone: 'America/New_York',
        locale: 'en',
        contacts: { email: 'ann@example.com', sms: '+12125550100' },
      },
    ],
    loans: [
      { id: 'L1', borrowerId: 'B1', terms: terms('5000.00'), servicing: { graceDays: 3, penaltyAnnualRate: '0.18' } },
      { id: 'L2', borrowerId: 'B2', terms: terms('3000.00') },
    ],
    events: [{ at: '2026-03-16T10:00:00-04:00', type: 'payment', loanId: 'L2', amount: '517.65' }],
  };
}

describe('kuan simulate --channels', () => {
  it('delivers sent contacts over SMTP, HTTP and as PDF letters, each carrying its verification code', async () => {
    const scenarioFile = join(folder, 'scenario.json');
    const channelsFile = join(folder, 'channels.json');
    const letters = join(folder, 'letters');
    await writeFile(scenarioFile, JSON.stringify(scenario()));
    await writeFile(
      channelsFile,
      JSON.stringify({
        email: { smtp: { host: smtp.host, port: smtp.port, from: '宽 Kuan <notices@lender.example>' } },
        sms: { webhook: { url: `${provider.url}/v1/messages`, apiKey: provider.genericApiKey } },
        push: {
          fcm: { baseUrl: provider.url, projectId: provider.fcm.projectId, accessToken: provider.fcm.accessToken },
        },
        letter: {
          pdf: { outputDir: letters, sender: { name: '宽信消费金融', address: '上海市浦东新区世纪大道100号' } },
        },
      }),
    );
    const result = await runInProcess(['simulate', '--scenario', scenarioFile, '--channels', channelsFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Line)
      .filter((line) => line.kind === 'contact' && line.status === 'sent');
    const byChannel = (channel: string) => lines.filter((line) => line.channel === channel);

    // E-mail: one mail per sent e-mail line, read back from the SMTP server, code in body and header.
    expect(byChannel('email').length).toBeGreaterThanOrEqual(2);
    expect(smtp.mails).toHaveLength(byChannel('email').length);
    for (const line of byChannel('email')) {
      const mail = smtp.mails.find((candidate) => candidate.header('x-kuan-verification-code') === line.code);
      expect(mail, `mail with code ${line.code}`).toBeDefined();
      expect(mail?.parsed.text).toContain(line.code as string);
    }
    const chinese = smtp.mails.find((mail) => mail.envelopeTo.includes('zhang.san@example.com'));
    expect(chinese?.parsed.text).toMatch(/张三/);
    expect(chinese?.parsed.text).toMatch(/[\u4e00-\u9fff]{4}/);
    const english = smtp.mails.find((mail) => mail.envelopeTo.includes('ann@example.com'));
    expect(english?.parsed.text).toMatch(/Ann Lee/);

    // SMS and push: one delivery each at the local provider, with the code in the text.
    const texts = provider.deliveries.map((delivery) => delivery.text);
    for (const line of [...byChannel('sms'), ...byChannel('push')]) {
      expect(texts.filter((text) => text.includes(line.code as string))).toHaveLength(1);
    }
    expect(provider.deliveries).toHaveLength(byChannel('sms').length + byChannel('push').length);

    // Letters: a PDF per sent letter line, with Chinese text and the code extractable.
    const letterLines = byChannel('letter');
    expect(letterLines.length).toBeGreaterThanOrEqual(1);
    const files = await readdir(letters);
    expect(files).toHaveLength(letterLines.length);
    const codes = new Set(letterLines.map((line) => line.code as string));
    for (const file of files) {
      const text = (await pdfText(new Uint8Array(await readFile(join(letters, file))))).pages.join('\n');
      expect(text).toMatch(/张三/);
      const found = [...codes].filter((code) => text.includes(code));
      expect(found, file).toHaveLength(1);
      codes.delete(found[0] as string);
    }
  });

  it('rejects a bad channel configuration naming the field, before anything is sent', async () => {
    const scenarioFile = join(folder, 'scenario2.json');
    const channelsFile = join(folder, 'bad-channels.json');
    await writeFile(scenarioFile, JSON.stringify(scenario()));
    await writeFile(channelsFile, JSON.stringify({ email: { smtp: { host: 'x', port: 70000, from: 'a@b' } } }));
    const before = smtp.mails.length;
    const result = await runInProcess(['simulate', '--scenario', scenarioFile, '--channels', channelsFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^channels\.email\.smtp\.port: /);
    expect(result.stdout).toBe('');
    expect(smtp.mails.length).toBe(before);
  });
});
