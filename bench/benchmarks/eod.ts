// The daily close on PostgreSQL (DATABASE_URL; on PGlite without it, see below): a book of N loans (default 100,000,
// `--loans N` or KUAN_BENCH_LOANS=N to change it; the target size is 1,000,000) in a database created for the
// run and dropped after it. Measured: (b) a typical day on which ~3 % of the loans have an event, and (a)
// a day on which every loan has an event (its first due date), each closed by `kuan eod --workers 2`
// (two processes), timed by the run's own start and finish in eod_runs (process start-up excluded); and a
// bare INSERT of the same number of loan documents, for the ratio of the close to the write it must do.
// Without DATABASE_URL it runs on embedded PGlite instead, in a fresh temporary folder removed after it:
// the same book, closed in-process by `runDailyClose` with one worker (PGlite is one connection, one
// process), each close timed from call to return (cases `pglite-typical-day`, `pglite-busy-day`).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { encodeLoanDocument, runDailyClose } from '../../src/jobs/index.ts';
import { buildSchedule, parseLoanTerms } from '../../src/schedule/index.ts';
import { openLoan, parseServicingRules, serializeLoanState, type LoanStateJson } from '../../src/servicing/index.ts';
import {
  executeStatement,
  getEodRun,
  insertLoans,
  migrate,
  openDatabase,
  upsertBorrowers,
  type Database,
} from '../../src/store/index.ts';
import type { Benchmark, BenchContext } from '../registry.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const CHUNK = 5_000;

/** One opened loan as a template; copies differ only in their ids. */
function template(startDate: string): {
  doc: ReturnType<typeof encodeLoanDocument>;
  firstDue: string;
  nextEvent: string;
} {
  const terms = parseLoanTerms({ principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 12, startDate });
  const opened = openLoan({
    loanId: 'T',
    borrowerId: 'T',
    schedule: buildSchedule(terms),
    terms,
    rules: parseServicingRules({}),
    disbursedOn: startDate,
  });
  return {
    doc: encodeLoanDocument(opened.state, 1),
    firstDue: opened.state.installments[0]!.dueDate,
    nextEvent: opened.state.nextEventDate!,
  };
}

type Template = ReturnType<typeof template>;

async function buildBook(db: Database, loans: number, typical: Template, rest: Template) {
  for (let start = 0; start < loans; start += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, loans - start) }, (_, i) => String(start + i).padStart(8, '0'));
    await upsertBorrowers(
      db,
      ids.map((id) => ({ borrowerId: `B${id}`, name: id, timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: {} })),
    );
    await insertLoans(
      db,
      ids.map((id, i) => {
        // Every 33rd loan (3 %) falls due on the typical day; the others on the busy day.
        const source = (start + i) % 33 === 0 ? typical : rest;
        const loan: LoanStateJson = { ...source.doc.loan, loanId: `L${id}`, borrowerId: `B${id}` };
        return {
          borrowerId: `B${id}`,
          loanId: `L${id}`,
          currency: 'CNY',
          status: loan.status,
          bucket: loan.bucket,
          nextEventDate: loan.nextEventDate,
          closedThrough: loan.closedThrough,
          state: { loan, lastSeq: 1 },
        };
      }),
    );
  }
}

function eod(databaseUrl: string, date: string, workers: number): void {
  const result = spawnSync(process.execPath, ['bin/kuan.js', 'eod', '--date', date, '--workers', String(workers)], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`kuan eod failed: ${result.stderr}`);
  process.stderr.write(result.stdout);
}

async function runSeconds(db: Database, date: string): Promise<{ seconds: number; loans: number }> {
  const run = await getEodRun(db, date);
  if (!run?.finishedAt) throw new Error(`eod ${date} did not finish`);
  let loans = 0;
  for (const value of Object.values(run.stats)) loans += (value as { loansClosed?: number }).loansClosed ?? 0;
  return { seconds: (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000, loans };
}

function report(
  context: BenchContext,
  name: string,
  loans: number,
  seconds: number,
  params: Record<string, string | number>,
) {
  context.report({
    bench: 'eod',
    case: name,
    params,
    unit: 'loans',
    measurement: {
      iterations: loans,
      elapsedMs: seconds * 1000,
      opsPerSec: loans / seconds,
      meanUs: (seconds * 1e6) / loans,
    },
  });
}

/**
 * Migrates db and fills it with the book both paths close: ~3 % of the loans (every 33rd) first due on
 * the typical day, the rest on the busy day. Returns the two templates, whose firstDue are those days.
 */
async function prepareBook(db: Database, loans: number): Promise<{ typical: Template; rest: Template }> {
  await migrate(db);
  const typical = template('2026-02-01');
  const rest = template('2026-02-20');
  const built = performance.now();
  await buildBook(db, loans, typical, rest);
  process.stderr.write(`eod: built ${loans} loans in ${((performance.now() - built) / 1000).toFixed(1)} s\n`);
  await executeStatement(db, sql`VACUUM ANALYZE loans`);
  return { typical, rest };
}

/** PGlite: the same book in a temporary data folder, each day closed in-process by one worker. */
async function runPglite(context: BenchContext, loans: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuan-bench-eod-'));
  try {
    const db = await openDatabase({ dataDir });
    try {
      const { typical, rest } = await prepareBook(db, loans);
      // (b) the typical day first (the busy day's loans are not due yet), then (a) the busy day.
      for (const [name, date] of [
        ['pglite-typical-day', typical.firstDue],
        ['pglite-busy-day', rest.firstDue],
      ] as const) {
        const started = performance.now();
        const stats = await runDailyClose({ db, businessDate: date, worker: 0, workers: 1 });
        const seconds = (performance.now() - started) / 1000;
        if (!stats.completed) throw new Error(`eod ${date} did not complete`);
        report(context, name, stats.loansClosed, seconds, { loans, due: stats.loansClosed, workers: 1 });
      }
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function admin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export const eodBench: Benchmark = {
  name: 'eod',
  summary: 'daily close on PostgreSQL (DATABASE_URL; else PGlite): busy day, typical 3 % day, bare insert ratio',
  async run(context) {
    const url = process.env.DATABASE_URL?.trim();
    const loans = context.loans ?? Number(process.env.KUAN_BENCH_LOANS ?? 100_000);
    if (!url) {
      process.stdout.write('eod: DATABASE_URL unset, so on embedded PGlite (one in-process worker)\n');
      await runPglite(context, loans);
      return;
    }
    const name = `kuan_bench_${randomBytes(4).toString('hex')}`;
    await admin(url, `CREATE DATABASE ${name}`);
    const parsed = new URL(url);
    parsed.pathname = `/${name}`;
    const benchUrl = parsed.toString();
    const db = await openDatabase({ databaseUrl: benchUrl, poolSize: 2 });
    try {
      const { typical, rest } = await prepareBook(db, loans);

      // (b) the typical day first (the busy day's loans are not due yet), then (a) the busy day.
      eod(benchUrl, typical.firstDue, 2);
      const b = await runSeconds(db, typical.firstDue);
      report(context, 'typical-day', b.loans, b.seconds, { loans, due: b.loans, workers: 2 });
      eod(benchUrl, rest.firstDue, 2);
      const a = await runSeconds(db, rest.firstDue);
      report(context, 'busy-day', a.loans, a.seconds, { loans, due: a.loans, workers: 2 });

      // The bare write: the same number of loan documents inserted in pages of 1,000, no computation.
      await executeStatement(
        db,
        sql`CREATE TABLE bare (borrower_id text, loan_id text, state jsonb, PRIMARY KEY (borrower_id, loan_id))`,
      );
      const doc = JSON.stringify(
        serializeLoanState(
          openLoan({
            loanId: 'T',
            borrowerId: 'T',
            schedule: buildSchedule(
              parseLoanTerms({
                principal: '5000.00',
                currency: 'CNY',
                annualRate: '0.12',
                termCount: 12,
                startDate: '2026-02-20',
              }),
            ),
            terms: parseLoanTerms({
              principal: '5000.00',
              currency: 'CNY',
              annualRate: '0.12',
              termCount: 12,
              startDate: '2026-02-20',
            }),
            rules: parseServicingRules({}),
            disbursedOn: '2026-02-20',
          }).state,
        ),
      );
      const started = performance.now();
      for (let start = 0; start < a.loans; start += 1_000) {
        const rows = Array.from({ length: Math.min(1_000, a.loans - start) }, (_, i) => ({
          borrower_id: `B${start + i}`,
          loan_id: `L${start + i}`,
          state: JSON.parse(doc) as unknown,
        }));
        await executeStatement(
          db,
          sql`INSERT INTO bare SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(borrower_id text, loan_id text, state jsonb)`,
        );
      }
      const bareSeconds = (performance.now() - started) / 1000;
      report(context, 'bare-insert', a.loans, bareSeconds, { loans, workers: 1 });
      process.stdout.write(`eod: busy day / bare insert time ratio ${(a.seconds / bareSeconds).toFixed(2)}\n`);
    } finally {
      await db.close();
      await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  },
};
