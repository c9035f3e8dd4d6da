// `kuan day --date D`: everything the lender's system does for business date D, stage by stage (the
// daily close, plans judged, cases refreshed, complaint alerts, contact planning, dispatch, events
// published; src/app/day.ts), on the database the environment names. Each stage is recorded and runs
// once per date: running the day again finishes what a crash left and skips what is done. One JSON line
// per stage goes to stdout; `kuan eod` remains the close alone.
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { localDate, parseIsoDate, parseTimeZone, type IsoDate } from '../../calendar/index.ts';
import { closeChannels, jsonLinesEventSink, type EventSink } from '../../channels/index.ts';
import { parsePolicy, resolveStrategy } from '../../contact/index.ts';
import { InputError, quote } from '../../errors/index.ts';
import {
  activeStrategy,
  closeDateRefusal,
  runDay,
  sumPlanContactsStats,
  type DayStageReport,
  type PlanContactsStats,
} from '../../app/index.ts';
import type { Command } from '../command.ts';
import { withDatabase, workersOption } from '../database.ts';
import type { CliIo } from '../io.ts';
import { parseOptions } from '../options.ts';
import { httpPaymentProviderAt, paymentProviderUrl } from '../payment-provider.ts';
import { channelAdaptersOf, choiceAt, codeSecretOf } from './contacts.ts';

const usage =
  'day --date YYYY-MM-DD [--force] [--channels FILE] [--workers N] [--events FILE] [--timezone ZONE] [--cutoff HH:MM] [--strategy S] [--policy P]';

const binPath = fileURLToPath(new URL('../../../bin/kuan.js', import.meta.url));

/** `HH:MM` → minutes after midnight; InputError naming the flag otherwise. */
export function parseCutoff(text: string, flag = '--cutoff'): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new InputError(flag, `must be a local time HH:MM, got ${quote(text)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export const dayCommand: Command = {
  name: 'day',
  summary: 'the lender’s whole day for a business date: close, plans, cases, alerts, contacts, dispatch, events',
  usage,
  details: [
    'options:',
    '  --date YYYY-MM-DD   the business date (required)',
    '  --channels FILE     the channels that deliver messages (docs/channels.md); without it only call tasks',
    '                      are created and other messages wait for a run that has their channel',
    '  --workers N         worker processes for the close and for contact planning, each taking one',
    '                      borrower-hash range (PostgreSQL only; default 1)',
    '  --events FILE       publish the day’s events as JSON Lines into FILE (default KUAN_EVENTS_FILE; without',
    '                      either, events wait in the outbox)',
    '  --timezone ZONE     the lender’s zone (default KUAN_TIMEZONE, else UTC)',
    '  --cutoff HH:MM      the local time at which a business date’s day runs (default KUAN_DAY_CUTOFF, else 06:00);',
    '                      a past date is replayed: dispatch sends every message due before the next cut-off,',
    '                      each gated at the instant it falls due',
    '  --strategy S        a built-in strategy or a JSON file (default: the strategy in force)',
    '  --policy P          a policy pack (default, cn-2026, us-regf) or a JSON file (default: default)',
    '  --payment-provider URL  present due auto-debits in the close (docs/payment-provider.md)',
    '  --force             run a date more than one day past the later of the last close and today',
    '',
    'Each stage runs once per date: running the date again finishes a stage a crash interrupted and skips',
    'the completed ones; a stage another process is running now is printed as busy and the command exits 1.',
    'KUAN_CODE_SECRET is the verification-code secret.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        options: {
          date: { type: 'string' },
          channels: { type: 'string' },
          workers: { type: 'string' },
          events: { type: 'string' },
          timezone: { type: 'string' },
          cutoff: { type: 'string' },
          strategy: { type: 'string' },
          policy: { type: 'string' },
          'payment-provider': { type: 'string' },
          force: { type: 'boolean', default: false },
        },
      },
      usage,
    );
    if (values.date === undefined) throw new InputError('--date', `is required (usage: kuan ${usage})`);
    const businessDate = parseIsoDate(values.date, '--date');
    const workers = workersOption(values.workers, io);
    const timezone = parseTimeZone(values.timezone ?? io.env.KUAN_TIMEZONE ?? 'UTC', '--timezone');
    const cutoffMinutes = parseCutoff(values.cutoff ?? io.env.KUAN_DAY_CUTOFF ?? '06:00');
    const policy = parsePolicy(await choiceAt(values.policy, '--policy', io), '--policy');
    const chosen =
      values.strategy === undefined
        ? undefined
        : resolveStrategy(await choiceAt(values.strategy, '--strategy', io), '--strategy');
    const secret = codeSecretOf(io.env);
    const eventsFile = values.events ?? io.env.KUAN_EVENTS_FILE;
    const providerUrl = paymentProviderUrl(values['payment-provider'], io.env);
    const provider =
      providerUrl === undefined ? undefined : httpPaymentProviderAt(providerUrl, io.env.KUAN_PAYMENT_PROVIDER_KEY);
    const adapters = await channelAdaptersOf(values.channels, io);
    const sinks: EventSink[] = eventsFile ? [jsonLinesEventSink({ path: eventsFile })] : [];
    let reports: DayStageReport[];
    try {
      reports = await withDatabase(io, async (db) => {
        // As `kuan eod`: a typo far in the future would close (and charge off) loans ahead of time.
        if (values.force !== true) {
          const refusal = await closeDateRefusal(db, { businessDate, today: localDate(timezone, Date.now()) });
          if (refusal !== undefined) throw new InputError('--date', `${refusal}; pass --force to run it anyway`);
        }
        return runDay({
          db,
          businessDate,
          nowMs: Date.now(),
          timezone,
          cutoffMinutes,
          policy,
          strategy: chosen ?? (await activeStrategy(db)),
          adapters,
          secret,
          sinks,
          workerId: `${hostname()}:${process.pid}`,
          ...(provider ? { provider } : {}),
          // Several workers: the close runs as `kuan eod --workers N` does, in child processes, and so does
          // contact planning, one `kuan contacts plan --worker i --workers N` per borrower-hash range.
          ...(workers > 1
            ? {
                close: (date: IsoDate) =>
                  closeInChild(date, { workers, providerUrl, force: values.force === true }, io),
                planContacts: (run: { businessDate: IsoDate; nowMs: number }) =>
                  planInChildren(run, { workers, strategy: values.strategy, policy: values.policy }, io),
              }
            : {}),
          onStage: (report) => io.stdout.write(`${stageLine(report)}\n`),
        });
      });
    } finally {
      await closeChannels(adapters);
      for (const sink of sinks) await sink.close?.();
    }
    const busy = reports.at(-1);
    if (busy?.status === 'busy') {
      // Not a success: the day stopped at a stage another process (a scheduler, another `kuan day`) runs now.
      io.stderr.write(
        `${busy.stage}: another process is running it for ${businessDate}; run the date again after it ends\n`,
      );
      return 1;
    }
    return 0;
  },
};

function stageLine(report: DayStageReport): string {
  return JSON.stringify({
    date: report.businessDate,
    stage: report.stage,
    status: report.status,
    attempts: report.attempts,
    ms: report.ms,
    counts: report.counts,
  });
}

/** `kuan eod --date D` in a child process (its summary and progress to stderr); rejects when it fails. */
async function closeInChild(
  businessDate: IsoDate,
  options: { workers: number; providerUrl: string | undefined; force: boolean },
  io: CliIo,
): Promise<Record<string, unknown>> {
  const args = ['eod', '--date', businessDate, '--workers', String(options.workers)];
  if (options.providerUrl !== undefined) args.push('--payment-provider', options.providerUrl);
  if (options.force) args.push('--force');
  const { code, stdout } = await runKuanChild(args, io);
  if (code !== 0) throw new Error(`the close of ${businessDate} failed (kuan eod exit ${String(code)})`);
  return { summary: stdout.trim(), workers: options.workers };
}

/**
 * The day's contacts planned by N child processes at once, `kuan contacts plan --worker i --workers N`,
 * each planning one borrower-hash range with the day's strategy and policy flags at the stage's instant;
 * resolves with their stats added up, and rejects when any of them failed (after all have ended: the
 * stage is then recorded as failed, and the next run of the date plans every range again, which adds
 * only what is missing — contact ids are the intents').
 */
async function planInChildren(
  run: { businessDate: IsoDate; nowMs: number },
  options: { workers: number; strategy: string | undefined; policy: string | undefined },
  io: CliIo,
): Promise<PlanContactsStats> {
  const { businessDate } = run;
  const { workers } = options;
  const args = (worker: number) => [
    ...['contacts', 'plan', '--date', businessDate, '--now', new Date(run.nowMs).toISOString()],
    ...['--worker', String(worker), '--workers', String(workers)],
    ...(options.strategy === undefined ? [] : ['--strategy', options.strategy]),
    ...(options.policy === undefined ? [] : ['--policy', options.policy]),
  ];
  const results = await Promise.all(Array.from({ length: workers }, (_, worker) => runKuanChild(args(worker), io)));
  const failed = results.filter((result) => result.code !== 0).length;
  if (failed > 0) throw new Error(`contact planning of ${businessDate}: ${failed} of ${workers} workers failed`);
  return sumPlanContactsStats(
    businessDate,
    results.map((result) => JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as PlanContactsStats),
  );
}

/** `kuan ARGS` as a child process on the same database; its stdout is returned and copied to stderr. */
async function runKuanChild(args: string[], io: CliIo): Promise<{ code: number | null; stdout: string }> {
  let stdout = '';
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      env: { ...io.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      io.stderr.write(chunk.toString('utf8'));
    });
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString('utf8')));
    child.on('error', () => resolve(null));
    child.on('close', resolve);
  });
  return { code, stdout };
}
