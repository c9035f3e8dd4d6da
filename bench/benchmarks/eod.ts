// The daily close on PostgreSQL (DATABASE_URL; on PGlite without it, see below): a book of N loans of 12
// monthly installments (default 100,000; `--loans N` or KUAN_BENCH_LOANS=N; the size is 1,000,000)
// in a database created for the run and dropped after it. Measured, in this order:
// (b) `typical-day`: a day on which ~3 % of the loans have an event (their first due date), and
// (a) `busy-day`: a day on which every loan has one — each closed by `kuan eod --workers 2` (two
//     processes), timed by the run's own start and finish in eod_runs (process start-up excluded);
// `bare-copy`: the rows the busy day wrote (every loan row it updated, and the transactions, journal
//     entries and outbox rows it inserted), fetched back and written again with COPY … FROM STDIN, one
//     connection, into empty tables with the same columns, indexes and checks — the bulk write of the same
//     output with no computation, no reads and no updates, measured in the same run for the ratio.
// `plan-contacts`: contact planning right after the busy day, every borrower planned, by two worker
//     processes (bench/plan-worker.ts, the partitioned planContacts), timed like the close, with its
//     borrowers/s, CPU per borrower and its time over the busy day's (KUAN_BENCH_PLAN=0 leaves it out;
//     KUAN_BENCH_PLAN_PAGE=N plans N borrowers a page instead of the default).
// A CHECKPOINT precedes each timed case, so each starts with the same full-page-image cost. Where the
// server runs on this machine, the CPU time per loan of the workers and of their PostgreSQL backends is
// printed too: on a shared machine it varies much less than the wall time.
// Without DATABASE_URL it runs on embedded PGlite, in a fresh temporary folder removed after it: the same
// book, each day closed in-process by `runDailyClose` with one worker (PGlite is one connection, one
// process), timed from call to return (`pglite-typical-day`, `pglite-busy-day`); the bare write there is
// INSERT … SELECT of the same rows into empty copies of the tables (`pglite-bare-insert`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { encodeLoanDocument, loanContractOf, runDailyClose } from '../../src/app/index.ts';
import { buildSchedule, parseLoanTerms } from '../../src/schedule/index.ts';
import { openLoan, parseServicingRules } from '../../src/servicing/index.ts';
import {
  executeStatement,
  getEodRun,
  insertLoans,
  migrate,
  openDatabase,
  queryRows,
  upsertBorrowers,
  type Database,
} from '../../src/store/index.ts';
import type { Benchmark, BenchContext } from '../registry.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const CHUNK = 5_000;
const WORKERS = 2;

/** The tables the close writes, and how to find the rows one run wrote (every row it touched is stamped). */
const written = [
  { table: 'loans', stamp: 'updated_at' },
  { table: 'loan_transactions', stamp: 'created_at' },
  { table: 'journal_entries', stamp: 'created_at' },
  { table: 'outbox', stamp: 'created_at' },
] as const;

/** One opened loan as a template; copies differ only in their ids. */
function template(startDate: string) {
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
    state: opened.state,
    doc: encodeLoanDocument(opened.state, 1),
    contract: loanContractOf(opened.state),
    firstDue: opened.state.installments[0]!.dueDate,
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
        const { state, doc, contract } = (start + i) % 33 === 0 ? typical : rest;
        return {
          borrowerId: `B${id}`,
          loanId: `L${id}`,
          currency: state.currency,
          status: state.status,
          bucket: state.bucket,
          nextEventDate: state.nextEventDate,
          closedThrough: state.closedThrough,
          state: doc,
          contract,
        };
      }),
    );
  }
}

/**
 * CPU time spent, in ms: by this process's finished children (the `kuan eod` processes, start-up
 * included) and by the PostgreSQL backends serving `database` — readable from /proc when the server
 * runs on this machine (else `postgres` stays 0). On a shared machine wall time varies with the
 * neighbours' load; CPU per loan much less, so the benchmark prints both.
 */
class CpuMeter {
  /** Per backend process: its CPU time when first seen (0 if it started during the measurement) and now. */
  private readonly backends = new Map<number, { fromMs: number; toMs: number }>();
  private readonly children0 = childrenCpuMs();
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly database: string) {
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), 50);
  }
  /** Backends exit with the workers, so their counters are sampled while they run. */
  private sample(first: boolean): void {
    if (!existsSync('/proc/self/stat')) return;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (!command.startsWith('postgres') || !command.includes(` ${this.database} `)) continue;
        if (command.includes('autovacuum')) continue;
        const ranMs = Number(readFileSync(`/proc/${entry}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
        const pid = Number(entry);
        const seen = this.backends.get(pid);
        this.backends.set(pid, { fromMs: seen?.fromMs ?? (first ? ranMs : 0), toMs: ranMs });
      } catch {
        // The process ended between listing and reading.
      }
    }
  }
  stop(): { workersMs: number; postgresMs: number } {
    clearInterval(this.timer);
    this.sample(false);
    let postgresMs = 0;
    for (const { fromMs, toMs } of this.backends.values()) postgresMs += toMs - fromMs;
    return { workersMs: childrenCpuMs() - this.children0, postgresMs };
  }
}

/** utime + stime of this process's reaped children, in ms (Linux; 100 clock ticks a second). */
function childrenCpuMs(): number {
  if (!existsSync('/proc/self/stat')) return 0;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

async function eod(
  databaseUrl: string,
  date: string,
  workers: number,
): Promise<{ workersMs: number; postgresMs: number }> {
  const meter = new CpuMeter(new URL(databaseUrl).pathname.slice(1));
  const child = spawn(process.execPath, ['bin/kuan.js', 'eod', '--date', date, '--workers', String(workers)], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const cpu = meter.stop();
  if (code !== 0) throw new Error(`kuan eod failed: ${stderr}`);
  process.stderr.write(stdout);
  return cpu;
}

function cpuLine(label: string, loans: number, cpu: { workersMs: number; postgresMs: number }): void {
  const perLoan = (ms: number) => ((ms * 1000) / loans).toFixed(1);
  process.stdout.write(
    `eod: ${label} CPU per loan: workers ${perLoan(cpu.workersMs)} µs (start-up included), ` +
      `PostgreSQL backends ${perLoan(cpu.postgresMs)} µs\n`,
  );
}

async function runOf(db: Database, date: string): Promise<{ seconds: number; loans: number; startedAt: string }> {
  const run = await getEodRun(db, date);
  if (!run?.finishedAt || run.status !== 'completed') throw new Error(`eod ${date} did not complete`);
  let loans = 0;
  for (const value of Object.values(run.stats)) loans += (value as { loansClosed?: number }).loansClosed ?? 0;
  return { seconds: (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000, loans, startedAt: run.startedAt };
}

function report(
  context: BenchContext,
  name: string,
  loans: number,
  seconds: number,
  params: Record<string, string | number>,
  unit = 'loans',
) {
  context.report({
    bench: 'eod',
    case: name,
    params,
    unit,
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
 * the typical day, the rest on the busy day. Returns the two days.
 */
async function prepareBook(db: Database, loans: number): Promise<{ typicalDay: string; busyDay: string }> {
  await migrate(db);
  const typical = template('2026-02-01');
  const rest = template('2026-02-20');
  const built = performance.now();
  await buildBook(db, loans, typical, rest);
  process.stderr.write(`eod: built ${loans} loans in ${((performance.now() - built) / 1000).toFixed(1)} s\n`);
  await executeStatement(db, sql`VACUUM ANALYZE`);
  return { typicalDay: typical.firstDue, busyDay: rest.firstDue };
}

/** Empty copies of the written tables (columns, defaults, checks, primary keys and indexes). */
async function bareTables(db: Database): Promise<void> {
  for (const { table } of written) {
    await executeStatement(db, sql.raw(`CREATE TABLE bare_${table} (LIKE ${table} INCLUDING ALL)`));
  }
}

/** The busy day's rows per table, as a WHERE clause over the rows stamped since its run started. */
function writtenSince(stamp: string, startedAt: string): string {
  return `${stamp} >= '${startedAt}'::timestamptz`;
}

function ratioLine(label: string, value: number): void {
  process.stdout.write(`eod: ${label} ${value.toFixed(3)}\n`);
}

/** PGlite: the same book in a temporary data folder, each day closed in-process by one worker. */
async function runPglite(context: BenchContext, loans: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuan-bench-eod-'));
  try {
    const db = await openDatabase({ dataDir });
    try {
      const { typicalDay, busyDay } = await prepareBook(db, loans);
      // (b) the typical day first (the busy day's loans are not due yet), then (a) the busy day.
      const seconds: Record<string, number> = {};
      let busyStartedAt = '';
      for (const [name, date] of [
        ['pglite-typical-day', typicalDay],
        ['pglite-busy-day', busyDay],
      ] as const) {
        await executeStatement(db, sql`CHECKPOINT`);
        const started = performance.now();
        const stats = await runDailyClose({ db, businessDate: date, worker: 0, workers: 1 });
        seconds[name] = (performance.now() - started) / 1000;
        if (!stats.completed) throw new Error(`eod ${date} did not complete`);
        report(context, name, stats.loansClosed, seconds[name], { loans, due: stats.loansClosed, workers: 1 });
        busyStartedAt = (await runOf(db, date)).startedAt;
      }
      await bareTables(db);
      await executeStatement(db, sql`CHECKPOINT`);
      let rows = 0;
      const started = performance.now();
      await db.transaction(async (tx) => {
        for (const { table, stamp } of written) {
          rows += await executeStatement(
            tx,
            sql.raw(`INSERT INTO bare_${table} SELECT * FROM ${table} WHERE ${writtenSince(stamp, busyStartedAt)}`),
          );
        }
      });
      const bareSeconds = (performance.now() - started) / 1000;
      report(context, 'pglite-bare-insert', loans, bareSeconds, { loans, rows, workers: 1 });
      ratioLine('pglite typical day / busy day time', seconds['pglite-typical-day']! / seconds['pglite-busy-day']!);
      ratioLine('pglite busy day / bare insert time', seconds['pglite-busy-day']! / bareSeconds);
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

/** What node-postgres hands a query object when the server asks for or sends COPY data. */
interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * COPY … FROM STDIN / TO STDOUT on a plain node-postgres client, without the pg-copy-streams package: a
 * query object (node-postgres's documented "submittable" extension point) that answers the server's
 * copy-in request with `data`, or collects what a copy-out sends.
 */
class CopyQuery extends pg.Query {
  readonly received: Buffer[] = [];
  constructor(
    text: string,
    private readonly data?: Buffer,
  ) {
    super(text);
  }
  handleCopyInResponse(connection: CopyConnection): void {
    const data = this.data ?? Buffer.alloc(0);
    for (let at = 0; at < data.length; at += 1 << 20) connection.sendCopyFromChunk(data.subarray(at, at + (1 << 20)));
    connection.endCopyFrom();
  }
  handleCopyData(message: { chunk: Buffer }): void {
    // A view into the driver's receive buffer, which it reuses: copy it.
    this.received.push(Buffer.from(message.chunk));
  }
}

function copy(client: pg.Client, text: string, data?: Buffer): Promise<{ rows: number; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const query = new CopyQuery(text, data);
    query.on('error', reject);
    query.on('end', (result: { rowCount: number | null }) =>
      resolve({ rows: result.rowCount ?? 0, data: Buffer.concat(query.received) }),
    );
    void client.query(query);
  });
}

/** The bare write: the busy day's rows, fetched (untimed), then written again with COPY (timed). */
async function bareCopy(
  url: string,
  db: Database,
  busyStartedAt: string,
): Promise<{ seconds: number; rows: number; postgresMs: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const data: Buffer[] = [];
    for (const { table, stamp } of written) {
      data.push(
        (await copy(client, `COPY (SELECT * FROM ${table} WHERE ${writtenSince(stamp, busyStartedAt)}) TO STDOUT`))
          .data,
      );
    }
    await bareTables(db);
    await client.query('CHECKPOINT');
    let rows = 0;
    const meter = new CpuMeter(new URL(url).pathname.slice(1));
    const started = performance.now();
    await client.query('BEGIN');
    for (const [index, { table }] of written.entries()) {
      rows += (await copy(client, `COPY bare_${table} FROM STDIN`, data[index])).rows;
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rows, postgresMs: meter.stop().postgresMs };
  } finally {
    await client.end();
  }
}

/**
 * Contact planning after the busy day by `workers` processes (bench/plan-worker.ts), each planning its
 * borrower-hash range; timed from the first worker's start of planning to the last one's finish (process
 * start-up excluded, as for the close), with the CPU time the workers spent planning and their backends'.
 */
async function planWorkers(
  databaseUrl: string,
  date: string,
  workers: number,
): Promise<{ seconds: number; borrowers: number; inserted: number; workersMs: number; postgresMs: number }> {
  const meter = new CpuMeter(new URL(databaseUrl).pathname.slice(1));
  const nowMs = Date.parse(`${date}T00:00:00Z`);
  const results = await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'bench/plan-worker.ts', date, String(worker), String(workers), String(nowMs)],
        { cwd: repoRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0) throw new Error(`contact planning worker ${worker} failed: ${stderr}`);
      return JSON.parse(stdout) as {
        stats: { borrowers: number; inserted: number };
        startedMs: number;
        finishedMs: number;
        cpuMs: number;
      };
    }),
  );
  const cpu = meter.stop();
  const started = Math.min(...results.map((result) => result.startedMs));
  const finished = Math.max(...results.map((result) => result.finishedMs));
  return {
    seconds: (finished - started) / 1000,
    borrowers: results.reduce((sum, result) => sum + result.stats.borrowers, 0),
    inserted: results.reduce((sum, result) => sum + result.stats.inserted, 0),
    workersMs: results.reduce((sum, result) => sum + result.cpuMs, 0),
    postgresMs: cpu.postgresMs,
  };
}

export const eodBench: Benchmark = {
  name: 'eod',
  summary: 'daily close on PostgreSQL (DATABASE_URL; else PGlite): busy day, typical 3 % day, bare COPY ratio',
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
      const { typicalDay, busyDay } = await prepareBook(db, loans);

      // (b) the typical day first (the busy day's loans are not due yet), then (a) the busy day.
      await executeStatement(db, sql`CHECKPOINT`);
      const typicalCpu = await eod(benchUrl, typicalDay, WORKERS);
      const b = await runOf(db, typicalDay);
      report(context, 'typical-day', b.loans, b.seconds, { loans, due: b.loans, workers: WORKERS });
      cpuLine('typical day', b.loans, typicalCpu);
      await executeStatement(db, sql`CHECKPOINT`);
      const busyCpu = await eod(benchUrl, busyDay, WORKERS);
      const a = await runOf(db, busyDay);
      report(context, 'busy-day', a.loans, a.seconds, { loans, due: a.loans, workers: WORKERS });
      cpuLine('busy day', a.loans, busyCpu);

      // Contact planning after the busy day: every borrower has an installment due that day, so every one is
      // planned (the upper bound of a day; a book with ~10 % in collection plans a tenth of this).
      if (process.env.KUAN_BENCH_PLAN !== '0') {
        await executeStatement(db, sql`CHECKPOINT`);
        const plan = await planWorkers(benchUrl, busyDay, WORKERS);
        report(
          context,
          'plan-contacts',
          plan.borrowers,
          plan.seconds,
          {
            loans,
            borrowers: plan.borrowers,
            contacts: plan.inserted,
            workers: WORKERS,
          },
          'borrowers',
        );
        const perBorrower = (ms: number) => ((ms * 1000) / plan.borrowers).toFixed(1);
        process.stdout.write(
          `eod: contact planning ${plan.borrowers} borrowers in ${plan.seconds.toFixed(2)} s with ${WORKERS} workers: ` +
            `${Math.round(plan.borrowers / plan.seconds)} borrowers/s; CPU per borrower: workers ` +
            `${perBorrower(plan.workersMs)} µs (planning only), PostgreSQL backends ${perBorrower(plan.postgresMs)} µs\n`,
        );
        ratioLine('contact planning (every borrower) / busy day close time', plan.seconds / a.seconds);
      }

      const bare = await bareCopy(benchUrl, db, a.startedAt);
      report(context, 'bare-copy', a.loans, bare.seconds, { loans, rows: bare.rows, workers: 1 });
      cpuLine('bare COPY', a.loans, { workersMs: 0, postgresMs: bare.postgresMs });
      const [counts] = await queryRows<{ loans: unknown }>(
        db,
        sql`SELECT count(*)::int AS loans FROM loans WHERE closed_through >= ${busyDay}::date`,
      );
      process.stdout.write(`eod: busy day wrote ${bare.rows} rows for ${String(counts?.loans)} loans\n`);
      ratioLine('typical day / busy day time', b.seconds / a.seconds);
      ratioLine('busy day / bare COPY time', a.seconds / bare.seconds);
      if (bare.postgresMs > 0) ratioLine('busy day / bare COPY PostgreSQL CPU', busyCpu.postgresMs / bare.postgresMs);
    } finally {
      await db.close();
      await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  },
};
