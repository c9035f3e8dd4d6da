// `kuan eod --date D [--workers N]`: the daily close for business date D on the database the environment
// names (DATABASE_URL, else PGlite in KUAN_DATA_DIR or ./.kuan), migrated first. Idempotent: a date
// already closed does nothing. With --workers N > 1 (PostgreSQL only: PGlite is one process per data
// folder) it runs N child processes, `kuan eod --date D --worker i --workers N`, each closing one
// borrower-hash range, and waits for them. Progress goes to stderr on a terminal; one summary line to
// stdout at the end. A date more than one day past the later of the last completed close and today (in
// --timezone, default UTC) is refused (exit 2 naming --date) unless --force: a typo must not close years.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { localDate, parseIsoDate, parseTimeZone, type IsoDate } from '../../calendar/index.ts';
import type { PaymentProvider } from '../../channels/index.ts';
import { InputError } from '../../errors/index.ts';
import {
  closeDateRefusal,
  DEFAULT_PAGE_SIZE,
  emptyCloseStats,
  runDailyClose,
  type DailyCloseStats,
} from '../../app/index.ts';
import {
  CLAIM_LIMIT_MAX,
  databaseConfigFromEnv,
  getEodRun,
  migrate,
  openDatabase,
  type Database,
} from '../../store/index.ts';
import type { Command } from '../command.ts';
import { workersOption } from '../database.ts';
import type { CliIo } from '../io.ts';
import { parseOptions, wholeNumberOption } from '../options.ts';
import { httpPaymentProviderAt, paymentProviderUrl } from '../payment-provider.ts';

const usage =
  'eod --date YYYY-MM-DD [--force] [--timezone ZONE] [--workers N] [--page-size N] [--payment-provider URL]';

const binPath = fileURLToPath(new URL('../../../bin/kuan.js', import.meta.url));

const grouped = new Intl.NumberFormat('en-US');

export const eodCommand: Command = {
  name: 'eod',
  summary: 'daily close for a business date (idempotent; --workers N on PostgreSQL)',
  usage,
  details: [
    'options:',
    '  --date YYYY-MM-DD   the business date to close (required); at most one day past the later of the last',
    '                      completed close and today, unless --force',
    '  --force             close a date further ahead than that (a deliberate jump, not a typo)',
    '  --timezone ZONE     the lender\'s zone, whose date is "today" for that check (default UTC)',
    '  --workers N         worker processes, each closing one borrower-hash range (PostgreSQL only; default 1)',
    '  --page-size N       loans claimed and saved per transaction (default 1000)',
    '  --payment-provider URL  present due auto-debits to this payment provider (docs/payment-provider.md);',
    '                      default KUAN_PAYMENT_PROVIDER_URL; its API key from KUAN_PAYMENT_PROVIDER_KEY',
    '',
    'The database is DATABASE_URL (PostgreSQL) or else the embedded one in KUAN_DATA_DIR (default ./.kuan).',
    'Running a date again does nothing; a run killed part-way is finished by running it again.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        options: {
          date: { type: 'string' },
          workers: { type: 'string' },
          worker: { type: 'string' },
          'page-size': { type: 'string' },
          'payment-provider': { type: 'string' },
          force: { type: 'boolean' },
          timezone: { type: 'string' },
        },
      },
      usage,
    );
    if (values.date === undefined) throw new InputError('--date', `is required (usage: kuan ${usage})`);
    const businessDate = parseIsoDate(values.date, '--date');
    const timezone = parseTimeZone(values.timezone ?? 'UTC', '--timezone');
    const workers = workersOption(values.workers, io);
    const worker = wholeNumberOption(values.worker, '--worker', { min: 0, max: workers - 1 });
    const pageSize =
      wholeNumberOption(values['page-size'], '--page-size', { min: 1, max: CLAIM_LIMIT_MAX }) ?? DEFAULT_PAGE_SIZE;
    const providerUrl = paymentProviderUrl(values['payment-provider'], io.env);
    const provider =
      providerUrl === undefined ? undefined : httpPaymentProviderAt(providerUrl, io.env.KUAN_PAYMENT_PROVIDER_KEY);
    const config = databaseConfigFromEnv(io.env);
    const started = performance.now();
    const db = await openDatabase(config);
    try {
      await migrate(db);
      // Workers are started by a parent that has checked the date already.
      if (values.force !== true && worker === undefined) {
        const refusal = await closeDateRefusal(db, { businessDate, today: localDate(timezone, Date.now()) });
        if (refusal !== undefined) throw new InputError('--date', `${refusal}; pass --force to close it anyway`);
      }
      if (workers > 1 && worker === undefined) {
        if ((await getEodRun(db, businessDate))?.status === 'completed') {
          io.stdout.write(`${summaryLine({ ...emptyCloseStats(businessDate), alreadyCompleted: true }, started)}\n`);
          return 0;
        }
        const failed = await runChildren(businessDate, workers, pageSize, providerUrl, io);
        if (failed > 0) {
          io.stderr.write(`eod ${businessDate}: ${failed} of ${workers} workers failed; run it again to finish\n`);
          return 1;
        }
        io.stdout.write(`${await summaryOfRun(db, businessDate, workers, started)}\n`);
        return 0;
      }
      const run = { businessDate, worker: worker ?? 0, workers, pageSize, ...(provider ? { provider } : {}) };
      const stats = await closeWithProgress(db, run, io);
      io.stdout.write(`${summaryLine(stats, started)}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};

async function closeWithProgress(
  db: Database,
  run: { businessDate: IsoDate; worker: number; workers: number; pageSize: number; provider?: PaymentProvider },
  io: CliIo,
): Promise<DailyCloseStats> {
  const { businessDate } = run;
  // CliIo does not say whether stderr is a terminal; only the real process (its env is process.env) draws a bar.
  const tty = io.stderr.isTerminal === true;
  if (!tty) return runDailyClose({ db, ...run });
  const bar = new cliProgress.SingleBar(
    { format: `eod ${businessDate} [{bar}] {value}/{total} loans`, stream: process.stderr, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let begun = false;
  try {
    return await runDailyClose({
      db,
      ...run,
      onProgress: ({ loansClosed, due }) => {
        if (!begun) bar.start(Math.max(due, loansClosed), 0);
        begun = true;
        bar.setTotal(Math.max(due, loansClosed));
        bar.update(loansClosed);
      },
    });
  } finally {
    if (begun) bar.stop();
  }
}

function summaryLine(stats: DailyCloseStats, started: number, label?: string): string {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (stats.alreadyCompleted) return `eod ${stats.businessDate}: already completed, nothing to do (${seconds} s)`;
  const part = label ?? (stats.workers > 1 ? ` worker ${stats.worker} of ${stats.workers}` : '');
  return (
    `eod ${stats.businessDate}${part}: ${grouped.format(stats.loansClosed)} loans closed, ` +
    `${grouped.format(stats.events)} events, ${grouped.format(stats.journalEntries)} journal entries, ${seconds} s` +
    (stats.completed ? '' : ' (date not complete yet: other ranges still due)')
  );
}

/** Sums the per-worker stats the children merged into the run. */
async function summaryOfRun(db: Database, businessDate: IsoDate, workers: number, started: number): Promise<string> {
  const run = await getEodRun(db, businessDate);
  const totals = { loansClosed: 0, events: 0, journalEntries: 0 };
  for (const [key, value] of Object.entries(run?.stats ?? {})) {
    if (!key.endsWith(`of${workers}`) || value === null || typeof value !== 'object') continue;
    const stats = value as Partial<Record<keyof typeof totals, number>>;
    for (const name of Object.keys(totals) as (keyof typeof totals)[]) totals[name] += stats[name] ?? 0;
  }
  return summaryLine(
    { ...emptyCloseStats(businessDate), ...totals, completed: run?.status === 'completed' },
    started,
    ` (${workers} workers)`,
  );
}

/** Runs the workers as child processes; resolves with how many failed. */
async function runChildren(
  businessDate: IsoDate,
  workers: number,
  pageSize: number,
  providerUrl: string | undefined,
  io: CliIo,
): Promise<number> {
  const children = Array.from(
    { length: workers },
    (_, worker) =>
      new Promise<boolean>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            // A larger young generation: the close allocates many short-lived objects per loan, and fewer
            // scavenges save 4–7 µs a loan (measured at 1,000,000 loans, BENCHMARKS.md).
            '--max-semi-space-size=64',
            binPath,
            'eod',
            ...['--date', businessDate, '--worker', String(worker), '--workers', String(workers)],
            ...['--page-size', String(pageSize)],
            ...(providerUrl === undefined ? [] : ['--payment-provider', providerUrl]),
          ],
          { env: { ...io.env }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        child.stdout.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString('utf8')));
        child.on('error', () => resolve(false));
        child.on('close', (code) => resolve(code === 0));
      }),
  );
  const results = await Promise.all(children);
  return results.filter((ok) => !ok).length;
}
