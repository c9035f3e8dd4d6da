// `kuan day` end to end on a database `kuan demo` did not build (an embedded data folder, or with
// DATABASE_URL a database made for the test): a book of 60 borrowers imported with `kuan import loans`,
// then the day run for 59 business dates in a row (two due dates each) with an SMS webhook provider on
// 127.0.0.1 and an events file — the reminders reach the provider with their verification codes, the
// events are published, each date prints one JSON line per stage, a date run again skips every stage, and
// bad flags are named. Then `kuan serve --channels FILE` sends a borrower's sign-in code by SMS through
// the same provider, and it signs them in; a collector made with `kuan staff add` claims a case.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { dayStages } from '../../src/app/index.ts';
import { startMessageProviderServer, type TestMessageProvider } from '../support/message-provider-server.ts';
import { freshDatabase, startServeBinary, type FreshDatabase } from './support.ts';

const borrowers = 60;
const firstDate = '2026-02-26';
const dates = Array.from({ length: 59 }, (_, index) => addDays(firstDate, index));

let env: Record<string, string>;
let folder: string;
let provider: TestMessageProvider;
let database: FreshDatabase;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kuan-day-'));
  provider = await startMessageProviderServer();
  database = await freshDatabase('kuan_day_cli', join(folder, 'data'));
  env = { KUAN_CODE_SECRET: 'day-cli-test-secret-0123456789', KUAN_TIMEZONE: 'Asia/Shanghai', ...database.env };
});
afterAll(async () => {
  await database.drop();
  await provider.close();
  rmSync(folder, { recursive: true, force: true });
});

async function kuan(argv: string[]) {
  const io = memoryIo('', { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

/** Contacts sent so far, by channel, read from the book's database. */
async function sentByChannel(): Promise<Record<string, number>> {
  const db = await database.open();
  try {
    const rows = await db.query<{ channel: string; sent: unknown }>(
      sql`SELECT channel, count(*) AS sent FROM contacts WHERE status = 'sent' GROUP BY channel`,
    );
    return Object.fromEntries(rows.map((row) => [row.channel, Number(row.sent)]));
  } finally {
    await db.close();
  }
}

interface StageLine {
  date: string;
  stage: string;
  status: string;
  counts: Record<string, unknown>;
}

describe('kuan day', () => {
  it('names a bad flag and touches nothing', async () => {
    const missing = await kuan(['day']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^--date: is required/);
    const cutoff = await kuan(['day', '--date', '2026-03-01', '--cutoff', '25:00']);
    expect(cutoff.code).toBe(2);
    expect(cutoff.stderr).toBe('--cutoff: must be a local time HH:MM, got "25:00"\n');
    const typo = await kuan(['day', '--date', '2062-12-31']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^--date: 2062-12-31 is more than one day past .*; pass --force to run it anyway\n$/);
    const zone = await kuan(['day', '--date', '2026-03-01', '--timezone', 'Mars/Base']);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toMatch(/^--timezone: /);
  });

  it('runs an imported book’s days: reminders reach the provider with their codes, events are published', async () => {
    const csv = [
      'borrower_id,timezone,loan_id,principal,annual_rate,term_count,start_date,phone,locale',
      ...Array.from({ length: borrowers }, (_, index) => {
        const id = String(index + 1).padStart(2, '0');
        return `B${id},Asia/Shanghai,L${id},${3000 + index * 100}.00,0.12,6,2026-02-0${1 + (index % 5)},+86138000000${id},${index % 2 === 0 ? 'zh-CN' : 'en'}`;
      }),
    ].join('\n');
    const csvFile = join(folder, 'loans.csv');
    writeFileSync(csvFile, `${csv}\n`);
    const imported = await kuan(['import', 'loans', csvFile]);
    expect(imported.code, imported.stderr).toBe(0);

    const channelsFile = join(folder, 'channels.json');
    writeFileSync(
      channelsFile,
      JSON.stringify({ sms: { webhook: { url: `${provider.url}/v1/messages`, apiKey: provider.genericApiKey } } }),
    );
    const eventsFile = join(folder, 'events.jsonl');
    const lines: StageLine[] = [];
    for (const date of dates) {
      const result = await kuan([
        'day',
        '--date',
        date,
        '--channels',
        channelsFile,
        '--events',
        eventsFile,
        '--policy',
        'cn-2026',
      ]);
      expect(result.code, result.stderr).toBe(0);
      const printed = result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as StageLine);
      expect(printed.map((line) => `${line.date} ${line.stage} ${line.status}`)).toEqual(
        dayStages.map((stage) => `${date} ${stage} completed`),
      );
      lines.push(...printed);
    }

    // Reminders before and after the due dates went to the provider, each carrying its code.
    const sent = lines
      .filter((line) => line.stage === 'dispatch')
      .reduce((sum, line) => sum + Number(line.counts.sent), 0);
    expect(sent).toBeGreaterThanOrEqual(borrowers);
    // Each SMS the book sent reached the provider once; the rest of `sent` are the ladder's calls, which
    // become call tasks for the collectors (voice needs no adapter).
    const keys = provider.requests.map((request) => request.idempotencyKey);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
    const byChannel = await sentByChannel();
    expect(provider.deliveries).toHaveLength(byChannel.sms ?? 0);
    expect((byChannel.sms ?? 0) + (byChannel.voice ?? 0)).toBe(sent);
    for (const delivery of provider.deliveries) {
      expect(delivery.to).toMatch(/^\+86138000000\d\d$/);
    }
    const codeOf = (text: string) => /(?:核验码 ?|Verification code )([A-Z0-9]{6})/.exec(text)?.[1];
    for (const delivery of provider.deliveries) expect(codeOf(delivery.text), delivery.text).toBeDefined();
    const verified = await kuan(['contacts', 'verify', codeOf(provider.deliveries[0]!.text)!]);
    expect(verified.code, verified.stdout).toBe(0);

    // The close's events reached the events file, each once.
    const events = readFileSync(eventsFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; kind: string; loanId: string });
    expect(events.length).toBeGreaterThan(borrowers);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);

    // The same date again: every stage is already done.
    const again = await kuan(['day', '--date', dates.at(-1)!, '--channels', channelsFile, '--events', eventsFile]);
    expect(again.code).toBe(0);
    expect(
      again.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as StageLine).status),
    ).toEqual(dayStages.map(() => 'skipped'));
    expect(provider.deliveries).toHaveLength(byChannel.sms ?? 0);
  }, 1_200_000);

  it('kuan serve --channels delivers a borrower’s sign-in code by SMS, and the code signs them in; a collector made with kuan staff add claims a case', async () => {
    const channelsFile = join(folder, 'channels.json');
    const collector = await kuan([
      'staff',
      'add',
      '--user',
      'li.wei',
      '--role',
      'collector',
      '--password',
      'a long passphrase here',
      '--languages',
      'zh-CN',
    ]);
    expect(collector).toMatchObject({
      code: 0,
      stdout: 'staff li.wei added with role collector, an agent of the collections queue\n',
    });
    const server = await startServeBinary(env, ['--channels', channelsFile]);
    const { url } = server;
    try {
      const before = provider.deliveries.length;
      const asked = await fetch(`${url}/api/v1/auth/borrower/code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '+8613800000003' }),
      });
      expect(asked.status).toBe(202);
      const delivery = provider.deliveries.at(-1);
      expect(provider.deliveries).toHaveLength(before + 1);
      expect(delivery?.to).toBe('+8613800000003');
      const code = /(\d{6})/.exec(delivery!.text)?.[1];
      expect(delivery?.text).toMatch(/^您的登录验证码是 \d{6}，\d\d:\d\d 前有效。/);
      const signedIn = await fetch(`${url}/api/v1/auth/borrower/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '+8613800000003', code }),
      });
      expect(signedIn.status, await signedIn.clone().text()).toBe(200);
      const { token } = (await signedIn.json()) as { token: string };
      // The server's channels sit behind circuit breakers, which readiness reports (closed: the provider answers).
      const ready = (await (await fetch(`${url}/health/ready`)).json()) as {
        checks: { name: string; detail: string }[];
      };
      expect(ready.checks.find((check) => check.name === 'circuit.sms')?.detail).toBe('closed');
      const loans = await fetch(`${url}/api/v1/loans`, { headers: { authorization: `Bearer ${token}` } });
      expect(loans.status).toBe(200);
      expect(((await loans.json()) as { items: { loanId: string }[] }).items.map((loan) => loan.loanId)).toEqual([
        'L03',
      ]);

      // The day refreshed the queue; the collector the CLI made is an agent and claims the first case.
      const staffSignIn = await fetch(`${url}/api/v1/auth/staff/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'li.wei', password: 'a long passphrase here' }),
      });
      const staffToken = ((await staffSignIn.json()) as { token: string }).token;
      const next = await fetch(`${url}/api/v1/queue/next`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(next.status, await next.clone().text()).toBe(200);
      const claimed = (
        (await next.json()) as { case: { case: { borrowerId: string; assignedAgentId: string } } | null }
      ).case;
      expect(claimed?.case).toMatchObject({ borrowerId: expect.stringMatching(/^B\d\d$/), assignedAgentId: 'li.wei' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
