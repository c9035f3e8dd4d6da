// `kuan demo`: a fresh embedded database (PGlite in KUAN_DATA_DIR/demo), a seeded sample book of
// borrowers and loans, then N servicing days — each day the borrowers' payments, the daily close, the
// hardship plans judged, and the day's contacts planned by the default strategy under the cn-2026 pack and
// dispatched (SMS, e-mail and push recorded as delivered, letters rendered as PDF files, calls as call
// tasks) — with a progress bar, a summary, and then the console and portal served (`kuan serve`) with a
// staff login per role and a borrower login printed. Borrower lateness is calibrated on the Home Credit
// instalments when ../shared/data is beside the checkout, on built-in parameters otherwise. The same commands
// serve it as serve production: openLoans, postPayment, runDailyClose, planContacts, dispatchContacts.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { parse } from 'csv-parse/sync';
import { daysBetween, parseIsoDate } from '../../calendar/index.ts';
import { builtInLateness, demoDates, generateDemoBook, type LatenessDistribution } from '../../demo/book.ts';
import { hashPassword } from '../../api/index.ts';
import { createLetterChannel, jsonLinesEventSink, type ChannelAdapter } from '../../channels/index.ts';
import { createSandboxPaymentProvider } from '../../channels/payments/sandbox-provider.ts';
import { zonedEpochMs } from '../../calendar/index.ts';
import { builtInPolicies, type ContactChannel, type PolicyPack } from '../../contact/index.ts';
import { activeStrategy, agentTeamByRole, openLoans, postPayment, runDay, syncStaffAgent } from '../../app/index.ts';
import { developmentCodeSecret } from './contacts.ts';
import { consoleDist, ensureConsoleBuilt } from '../console-build.ts';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from './serve.ts';
import {
  createStaffAccount,
  DEFAULT_DATA_DIR,
  migrate,
  openDatabase,
  queryRows,
  upsertBorrowers,
  upsertProduct,
} from '../../store/index.ts';
import { sql } from 'drizzle-orm';
import type { Command } from '../command.ts';
import { parseOptions, wholeNumberOption } from '../options.ts';

const usage = 'demo [--loans N] [--days N] [--seed N] [--start YYYY-MM-DD] [--port N] [--no-serve]';

/** The demo's staff: one per role, with a password printed at the end (a demo, not a deployment). */
const demoStaff = [
  { username: 'admin', role: 'admin' },
  { username: 'supervisor', role: 'supervisor' },
  { username: 'collector', role: 'collector' },
  { username: 'compliance', role: 'compliance' },
] as const;
const demoPassword = 'kuan-demo-2026';
/** The demo lender is in Shanghai and runs each business date's day at 06:00 local time. */
const demoZone = 'Asia/Shanghai';
const demoCutoffMinutes = 6 * 60;

/** Channels that accept every message and keep nothing: the demo records what was sent, not a provider. */
function recordingChannel(channel: ContactChannel): ChannelAdapter {
  return {
    channel,
    name: `demo-${channel}`,
    async send(message) {
      return { outcome: 'accepted', providerMessageId: message.messageId };
    },
  };
}

/** A clock that starts at `startMs` now and runs at the wall clock's pace. */
function bookClock(startMs: number): () => number {
  const offsetMs = startMs - Date.now();
  return () => Date.now() + offsetMs;
}

const homeCreditFile = fileURLToPath(
  new URL('../../../../shared/data/homecredit/hc_subsetA_installments_payments.csv', import.meta.url),
);

/** Lateness as the Home Credit instalments show it (DAYS_ENTRY_PAYMENT − DAYS_INSTALMENT), capped. */
export function latenessFromHomeCredit(csvText: string): LatenessDistribution {
  const rows = parse(csvText, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const counts = new Map<number, number>();
  for (const row of rows) {
    const due = Number(row.DAYS_INSTALMENT);
    const paid = Number(row.DAYS_ENTRY_PAYMENT);
    if (!Number.isFinite(due) || !Number.isFinite(paid) || row.DAYS_ENTRY_PAYMENT === '') continue;
    const late = Math.max(-10, Math.min(120, Math.round(paid - due)));
    counts.set(late, (counts.get(late) ?? 0) + 1);
  }
  const outcomes: LatenessDistribution['outcomes'] = [...counts].map(([daysLate, weight]) => ({ daysLate, weight }));
  const total = outcomes.reduce((sum, outcome) => sum + outcome.weight, 0);
  // The sample shows payments made; borrowers who stopped paying leave no row, so keep the built-in 3 %.
  outcomes.push({ daysLate: null, weight: total * 0.03 });
  return { source: `Home Credit instalments (${rows.length} rows)`, outcomes };
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'a fresh embedded database with a sample book, serviced day by day, and a summary',
  usage,
  details: [
    'options:',
    '  --loans N     loans in the sample book (default 2000)',
    '  --days N      servicing days to run (default 90)',
    '  --seed N      the book and its payments replay identically from a seed (default 2026)',
    '  --start DATE  the date the servicing days start from (default 2026-03-01); the book is disbursed over the 60 days before it',
    '  --port N      where the console and portal are served afterwards (default 4000)',
    '  --no-serve    stop after the summary instead of serving',
    '',
    'The demo database lives in KUAN_DATA_DIR/demo (default ./.kuan/demo) and is recreated on every run.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        options: {
          loans: { type: 'string' },
          days: { type: 'string' },
          seed: { type: 'string' },
          start: { type: 'string' },
          port: { type: 'string' },
          'no-serve': { type: 'boolean' },
        },
      },
      usage,
    );
    const port = wholeNumberOption(values.port, '--port', { min: 0, max: 65_535 }) ?? DEFAULT_PORT;
    const loanCount = wholeNumberOption(values.loans, '--loans', { min: 1, max: 1_000_000 }) ?? 2000;
    const days = wholeNumberOption(values.days, '--days', { min: 1, max: 3650 }) ?? 90;
    const seed = wholeNumberOption(values.seed, '--seed', { min: 0, max: 2 ** 31 }) ?? 2026;
    const startDate = parseIsoDate(values.start ?? '2026-03-01', '--start');
    const lateness = existsSync(homeCreditFile)
      ? latenessFromHomeCredit(readFileSync(homeCreditFile, 'utf8'))
      : builtInLateness;

    const dataDir = resolve(join(io.env.KUAN_DATA_DIR ?? DEFAULT_DATA_DIR, 'demo'));
    rmSync(dataDir, { recursive: true, force: true });
    const started = performance.now();
    const db = await openDatabase({ dataDir });
    let closed = false;
    try {
      await migrate(db);
      const book = generateDemoBook({ seed, loanCount, startDate, lateness });
      for (const product of book.products) await upsertProduct(db, product);
      await upsertBorrowers(db, book.borrowers);
      await openLoans(db, book.loans);
      io.stderr.write(
        `demo: ${book.borrowers.length} borrowers, ${book.loans.length} loans (lateness: ${lateness.source}) in ${dataDir}\n`,
      );

      // The book's history runs from the first disbursement, so every loan arrives at the start date with
      // the payments its borrower made before it; the summary covers the whole run.
      const firstDate = book.loans.reduce(
        (first, loan) => (loan.disbursedOn < first ? loan.disbursedOn : first),
        startDate,
      );
      const dates = demoDates(firstDate, daysBetween(firstDate, startDate) + days);
      const bar =
        io.stderr.isTerminal === true
          ? new cliProgress.SingleBar(
              { format: 'servicing {bar} {value}/{total} days | {date} | payments {payments}', hideCursor: true },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      bar?.start(dates.length, 0, { date: firstDate, payments: 0 });
      const policy = builtInPolicies['cn-2026'] as PolicyPack;
      // The strategy in force (approved through the console), else the built-in default.
      const strategy = await activeStrategy(db);
      const letters = join(dataDir, 'letters');
      const adapters = {
        sms: recordingChannel('sms'),
        email: recordingChannel('email'),
        push: recordingChannel('push'),
        letter: createLetterChannel({
          outputDir: letters,
          sender: { name: '宽信消费金融（演示）', address: '上海市浦东新区世纪大道100号 200120' },
        }),
      };
      const eventsFile = join(dataDir, 'events.jsonl');
      const sinks = [jsonLinesEventSink({ path: eventsFile })];
      const contacts = { sent: 0, suppressed: 0 };
      let next = 0;
      let posted = 0;
      let rejected = 0;
      try {
        for (const [index, date] of dates.entries()) {
          while (next < book.payments.length && book.payments[next]!.on === date) {
            const payment = book.payments[next]!;
            const result = await postPayment(db, { ...payment, source: 'manual' });
            if (result.outcome === 'rejected') rejected += 1;
            else posted += 1;
            next += 1;
          }
          // The production day, replayed: the close, plans, cases, alerts, planning, dispatch at each send
          // time, events — exactly what `kuan day --date D` does on a lender's database.
          const reports = await runDay({
            db,
            businessDate: date,
            nowMs: Date.now(),
            timezone: demoZone,
            cutoffMinutes: demoCutoffMinutes,
            policy,
            strategy,
            adapters,
            secret: developmentCodeSecret,
            sinks,
            workerId: 'demo',
          });
          const dispatch = reports.find((report) => report.stage === 'dispatch')?.counts ?? {};
          contacts.sent += Number(dispatch.sent ?? 0);
          contacts.suppressed += Number(dispatch.suppressed ?? 0);
          bar?.update(index + 1, { date, payments: posted });
          if (!bar && (index + 1) % 10 === 0)
            io.stderr.write(`demo: ${index + 1}/${dates.length} days closed (${date})\n`);
        }
      } finally {
        for (const sink of sinks) await sink.close?.();
      }
      bar?.stop();

      const buckets = await queryRows<{ bucket: string; status: string; loans: string }>(
        db,
        sql`SELECT bucket, status, count(*)::text AS loans FROM loans GROUP BY bucket, status ORDER BY bucket, status`,
      );
      const lastDate = dates.at(-1)!;
      const [openCases] = await queryRows<{ open: string }>(
        db,
        sql`SELECT count(*)::text AS open FROM cases WHERE status = 'open'`,
      );
      const nowMs = Date.now();
      for (const staff of demoStaff) {
        await createStaffAccount(db, {
          username: staff.username,
          role: staff.role,
          passwordHash: await hashPassword(demoPassword),
          atMs: nowMs,
        });
        // The collector and the compliance officer work the queues in both languages of the book.
        if (agentTeamByRole[staff.role] !== undefined) {
          await syncStaffAgent(db, { ...staff, disabled: false }, { languages: ['zh-CN', 'en'] }, nowMs);
        }
      }
      const [overdue] = await queryRows<{ borrower_id: string; loan_id: string; dpd: number }>(
        db,
        sql`SELECT borrower_id, loan_id, dpd FROM loans WHERE status = 'overdue' ORDER BY dpd DESC, loan_id LIMIT 1`,
      );
      const borrower = overdue
        ? book.borrowers.find((candidate) => candidate.borrowerId === overdue.borrower_id)
        : undefined;
      io.stdout.write(`Kuan demo: ${book.loans.length} loans serviced ${firstDate} → ${lastDate}\n`);
      io.stdout.write(`payments posted: ${posted}${rejected ? `, rejected: ${rejected}` : ''}\n`);
      io.stdout.write(
        `contacts: ${contacts.sent} sent, ${contacts.suppressed} held back by the compliance gate (cn-2026); ` +
          `letters in ${letters}; events in ${eventsFile}\n`,
      );
      io.stdout.write(`collection cases open: ${openCases?.open ?? '0'}\n`);
      io.stdout.write('book by bucket and status:\n');
      for (const row of buckets) io.stdout.write(`  ${row.bucket.padEnd(4)} ${row.status.padEnd(12)} ${row.loans}\n`);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.stdout.write(`done in ${seconds} s; database: ${dataDir}\n`);
      if (values['no-serve'] === true) return 0;
      await db.close();
      closed = true;
      const built = await ensureConsoleBuilt(io);
      const server = await startServer(
        {
          port,
          host: DEFAULT_HOST,
          staticDir: built ? consoleDist : undefined,
          timezone: demoZone,
          logLevel: 'silent',
          secureCookies: false,
          printCodes: true,
          requestsPerMinute: 0,
          poolSize: 4,
          // A sandbox: borrowers' portal payments "debit" an account that always has the money; nothing real moves.
          paymentProvider: createSandboxPaymentProvider(),
          // The book's own date: the console and portal open on its last business date (noon there, then
          // running on), so a portal payment posts on that date, not months after the book's last close.
          clock: bookClock(zonedEpochMs(demoZone, lastDate, 12 * 60)),
        },
        { ...io, env: { ...sandboxLender(io.env, port), ...io.env, KUAN_DATA_DIR: dataDir, DATABASE_URL: '' } },
      );
      io.stdout.write(
        `\nconsole: ${server.url}/console   portal: ${server.url}/portal   API docs: ${server.url}/docs\n`,
      );
      io.stdout.write(
        `staff logins (password ${demoPassword}): ${demoStaff.map((staff) => staff.username).join(', ')}\n`,
      );
      if (borrower && overdue) {
        io.stdout.write(
          `borrower login: phone ${borrower.contacts.sms} (loan ${overdue.loan_id}, ${overdue.dpd} days past due); ` +
            'the one-time code is printed here when requested\n',
        );
      }
      io.stdout.write(
        'portal payments go to a SANDBOX payment provider (every account has the money; nothing real moves)\n',
      );
      if (!built) io.stdout.write('(the console sources are not in this checkout: serving the API only)\n');
      io.stdout.write('press Ctrl+C to stop\n');
      await new Promise<void>((resolveStop) => {
        const stop = () => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.stop();
      return 0;
    } finally {
      if (!closed) await db.close();
    }
  },
};

/**
 * The sandbox lender a demo's lawyer's letters are signed by, unless the environment names a real one
 * (all three variables, as `kuan serve` requires), so escalation to a letter stage works in the demo.
 */
function sandboxLender(env: Readonly<Record<string, string | undefined>>, port: number): Record<string, string> {
  const named = ['KUAN_LENDER_NAME', 'KUAN_LENDER_ADDRESS', 'KUAN_PORTAL_URL'].some((name) => env[name]?.trim());
  if (named) return {};
  return {
    KUAN_LENDER_NAME: '宽 Demo Lender (sandbox)',
    KUAN_LENDER_ADDRESS: '1 Sandbox Road, Shanghai (not a real address)',
    KUAN_PORTAL_URL: `http://${DEFAULT_HOST}:${port}/portal`,
  };
}
