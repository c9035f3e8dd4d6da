// `kuan demo`: a fresh embedded database (PGlite in KUAN_DATA_DIR/demo), a seeded sample book of
// borrowers and loans, then N servicing days — each day the borrowers' payments and the daily close —
// with a progress bar, and a summary of the book by bucket at the end. Borrower lateness is calibrated
// on the Home Credit instalments when ../shared/data is beside the checkout, on built-in parameters
// otherwise. The same jobs serve it as serve production: openLoans, postPayment, runDailyClose.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { parse } from 'csv-parse/sync';
import { daysBetween, parseIsoDate } from '../../calendar/index.ts';
import { builtInLateness, demoDates, generateDemoBook, type LatenessDistribution } from '../../demo/book.ts';
import { openLoans, postPayment, runDailyClose } from '../../jobs/index.ts';
import {
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

const usage = 'demo [--loans N] [--days N] [--seed N] [--start YYYY-MM-DD]';

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
        },
      },
      usage,
    );
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
      let next = 0;
      let posted = 0;
      let rejected = 0;
      for (const [index, date] of dates.entries()) {
        while (next < book.payments.length && book.payments[next]!.on === date) {
          const payment = book.payments[next]!;
          const result = await postPayment(db, { ...payment, source: 'manual' });
          if (result.outcome === 'rejected') rejected += 1;
          else posted += 1;
          next += 1;
        }
        await runDailyClose({ db, businessDate: date });
        bar?.update(index + 1, { date, payments: posted });
        if (!bar && (index + 1) % 10 === 0)
          io.stderr.write(`demo: ${index + 1}/${dates.length} days closed (${date})\n`);
      }
      bar?.stop();

      const buckets = await queryRows<{ bucket: string; status: string; loans: string }>(
        db,
        sql`SELECT bucket, status, count(*)::text AS loans FROM loans GROUP BY bucket, status ORDER BY bucket, status`,
      );
      const lastDate = dates.at(-1)!;
      io.stdout.write(`Kuan demo: ${book.loans.length} loans serviced ${firstDate} → ${lastDate}\n`);
      io.stdout.write(`payments posted: ${posted}${rejected ? `, rejected: ${rejected}` : ''}\n`);
      io.stdout.write('book by bucket and status:\n');
      for (const row of buckets) io.stdout.write(`  ${row.bucket.padEnd(4)} ${row.status.padEnd(12)} ${row.loans}\n`);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.stdout.write(`done in ${seconds} s; database: ${dataDir}\n`);
      io.stdout.write('(the console and portal arrive with `kuan serve`; this build runs the servicing book only)\n');
      return 0;
    } finally {
      await db.close();
    }
  },
};
