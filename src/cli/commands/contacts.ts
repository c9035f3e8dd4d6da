// `kuan contacts plan|dispatch|verify`: the production contact pipeline from the command line, on the
// database the environment names. `plan --date D` plans every borrower's contacts for D after its daily
// close (idempotent); `dispatch` sends what is due now through the channels of a configuration file (or
// records call tasks only) until nothing is due; `verify CODE` says whether a verification code belongs to
// a real message. Strategy and policy are a built-in name or a JSON file (overrides on the default); the
// verification-code secret comes from KUAN_CODE_SECRET. On a server database (DATABASE_URL) dispatch and
// verify refuse to run without it (exit 2): the development secret is public and contact ids are
// guessable, so codes signed with it could be forged. The embedded database of a local trial keeps the
// development secret as a fallback; `kuan demo` and `kuan simulate` have their own.
import { hostname } from 'node:os';
import {
  channelSettingsFromConfig,
  closeChannels,
  withCircuitBreaker,
  type ChannelAdapter,
  type ChannelAdapters,
  type ChannelSettings,
} from '../../channels/index.ts';
import { parseIsoDate } from '../../calendar/index.ts';
import { normaliseVerificationCode, parsePolicy, resolveStrategy, type ContactChannel } from '../../contact/index.ts';
import { InputError } from '../../errors/index.ts';
import { activeStrategy, dispatchContacts, planContacts } from '../../app/index.ts';
import { findMessageByCode, type Partition } from '../../store/index.ts';
import type { Command } from '../command.ts';
import { withDatabase, workersOption } from '../database.ts';
import { readJsonInput } from '../input.ts';
import type { CliIo } from '../io.ts';
import { parseOptions, wholeNumberOption } from '../options.ts';

const usage = 'contacts plan --date D | dispatch [--channels FILE] | verify CODE  [--strategy S] [--policy P]';

/** The secret `kuan demo` and local trials use when KUAN_CODE_SECRET is unset; production must set its own. */
export const developmentCodeSecret = 'kuan-development-secret-change-me';

/** Dispatch rounds are bounded: each claims up to this many contacts. */
const dispatchBatch = 500;
const dispatchRoundsMax = 10_000;

/** A built-in name as it is, or the JSON object in the named `.json` file. */
export async function choiceAt(value: string | undefined, flag: string, io: CliIo): Promise<unknown> {
  if (value === undefined) return undefined;
  if (!value.endsWith('.json')) return value;
  return readJsonInput(io, { file: value, flag, expected: 'one JSON object', limitBytes: 1024 * 1024 });
}

/**
 * The verification-code secret: KUAN_CODE_SECRET; without it the development secret, but only on the
 * embedded database — on a server database (DATABASE_URL) its absence is an InputError naming it.
 */
export function codeSecretOf(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env.KUAN_CODE_SECRET;
  if (configured === undefined || configured === '') {
    if (env.DATABASE_URL?.trim()) {
      throw new InputError(
        'KUAN_CODE_SECRET',
        'is required with DATABASE_URL: set the lender’s own secret (at least 16 characters); without it codes would be signed with the public development secret and could be forged',
      );
    }
    return developmentCodeSecret;
  }
  if (configured.length < 16) throw new InputError('KUAN_CODE_SECRET', 'must be at least 16 characters');
  return configured;
}

/** The channel adapters a `--channels FILE` configures (docs/channels.md); none without the flag. */
export async function channelAdaptersOf(file: string | undefined, io: CliIo): Promise<ChannelAdapters> {
  return file === undefined ? {} : (await channelSettingsOf(file, io)).adapters;
}

/** The `--channels FILE` configuration as the file describes it (no breakers), every error naming its field. */
export async function readChannelSettings(file: string, io: CliIo): Promise<ChannelSettings> {
  const config = await readJsonInput(io, {
    file,
    flag: '--channels',
    expected: 'one JSON object',
    limitBytes: 1024 * 1024,
  });
  return channelSettingsFromConfig(config, { env: io.env });
}

/**
 * The `--channels FILE` configuration of a production process (serve, day, dispatch): its adapters, each
 * behind a circuit breaker (a provider that keeps failing is left alone for a cool-down instead of being
 * hammered by every due contact; readiness and /metrics show its state), and how to check what their
 * providers post back. `kuan simulate` reads the same file without breakers: its output may not depend on
 * the wall clock.
 */
export async function channelSettingsOf(file: string, io: CliIo): Promise<ChannelSettings> {
  const settings = await readChannelSettings(file, io);
  const adapters: ChannelAdapters = {};
  for (const [channel, adapter] of Object.entries(settings.adapters) as [ContactChannel, ChannelAdapter][]) {
    adapters[channel] = withCircuitBreaker(adapter, { now: Date.now });
  }
  return { ...settings, adapters };
}

/** `--now ISO` (an instant with an offset), or the wall clock without it. */
function nowOption(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const nowMs = Date.parse(text);
  if (!Number.isFinite(nowMs) || !/[zZ]|[+-]\d\d:\d\d$/.test(text)) {
    throw new InputError('--now', `must be an ISO-8601 instant with an offset, got "${text}"`);
  }
  return nowMs;
}

/**
 * `--worker i --workers N`: plan only borrower-hash range i of N (src/store/partition.ts), as a worker of
 * `kuan day --workers N` does; PostgreSQL only, as the close's workers (PGlite is one process per folder).
 */
function partitionOptions(
  values: { worker?: string | undefined; workers?: string | undefined },
  io: CliIo,
): Partition | undefined {
  if (values.worker === undefined && values.workers === undefined) return undefined;
  const workers = workersOption(values.workers, io);
  const worker = wholeNumberOption(values.worker, '--worker', { min: 0, max: workers - 1 }) ?? 0;
  return { worker, workers };
}

export const contactsCommand: Command = {
  name: 'contacts',
  summary: 'plan the day’s contacts after the close, dispatch what is due, verify a message code',
  usage,
  details: [
    'subcommands:',
    '  plan --date D        plan every borrower’s contacts for business date D (after `kuan eod --date D`)',
    '  dispatch             send every contact due now; --channels FILE names the channels (docs/channels.md);',
    '                       without it only call tasks are created and other channels wait',
    '  verify CODE          is CODE the verification code of a message Kuan sent? (exit 0 yes, 1 no)',
    'options:',
    '  --strategy S         a built-in strategy (default, gentle) or a JSON file of overrides',
    '                       (default: the active strategy, approved in the console; else the built-in default)',
    '  --policy P           a policy pack (default, cn-2026, us-regf) or a JSON file of overrides (default: default)',
    '  --now ISO            the planning or dispatch instant (default: now), for replays',
    '  --worker I --workers N  plan only borrower-hash range I of N, printing its stats as one JSON line',
    '                       (the workers of `kuan day --workers N`; PostgreSQL only)',
    '',
    'KUAN_CODE_SECRET is the lender’s verification-code secret (at least 16 characters); required with',
    'DATABASE_URL (dispatch and verify exit 2 without it), optional on the embedded database.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        allowPositionals: true,
        options: {
          date: { type: 'string' },
          channels: { type: 'string' },
          strategy: { type: 'string' },
          policy: { type: 'string' },
          now: { type: 'string' },
          worker: { type: 'string' },
          workers: { type: 'string' },
        },
      },
      usage,
    );
    const [subcommand, argument] = positionals;
    const policy = parsePolicy(await choiceAt(values.policy, '--policy', io), '--policy');
    if (subcommand === 'plan') {
      if (values.date === undefined) throw new InputError('--date', `is required (usage: kuan ${usage})`);
      const date = parseIsoDate(values.date, '--date');
      const partition = partitionOptions(values, io);
      const nowMs = nowOption(values.now);
      // Without --strategy, the strategy in force (the approved activation, else the built-in default).
      const chosen =
        values.strategy === undefined
          ? undefined
          : resolveStrategy(await choiceAt(values.strategy, '--strategy', io), '--strategy');
      const stats = await withDatabase(io, async (db) =>
        planContacts({
          db,
          date,
          strategy: chosen ?? (await activeStrategy(db)),
          policy,
          nowMs,
          ...(partition ? { partition } : {}),
        }),
      );
      // A worker (started by `kuan day --workers N`) reports its stats for the parent to add up.
      if (partition) {
        io.stdout.write(`${JSON.stringify(stats)}\n`);
        return 0;
      }
      io.stdout.write(
        `contacts ${date}: ${stats.borrowers} borrowers planned, ${stats.inserted} new contacts ` +
          `(${stats.send} to send, ${stats.defer} waiting, ${stats.suppress} suppressed)` +
          (stats.notClosed > 0 ? `; ${stats.notClosed} borrowers skipped: run kuan eod --date ${date} first` : '') +
          '\n',
      );
      return 0;
    }
    if (subcommand === 'dispatch') {
      const secret = codeSecretOf(io.env);
      const nowMs = nowOption(values.now);
      const adapters = await channelAdaptersOf(values.channels, io);
      try {
        const totals = { claimed: 0, sent: 0, suppressed: 0, deferred: 0, retrying: 0, failed: 0 };
        await withDatabase(io, async (db) => {
          for (let round = 0; round < dispatchRoundsMax; round += 1) {
            const stats = await dispatchContacts({
              db,
              nowMs,
              adapters,
              policy,
              secret,
              workerId: `${hostname()}:${process.pid}`,
              limit: dispatchBatch,
            });
            for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += stats[key];
            if (stats.claimed === 0) break;
          }
        });
        io.stdout.write(
          `contacts dispatched: ${totals.sent} sent, ${totals.suppressed} suppressed, ${totals.deferred} waiting, ` +
            `${totals.retrying} to retry, ${totals.failed} failed\n`,
        );
      } finally {
        await closeChannels(adapters);
      }
      return 0;
    }
    if (subcommand === 'verify') {
      if (argument === undefined) throw new InputError('CODE', `is required (usage: kuan ${usage})`);
      codeSecretOf(io.env); // a server database whose codes were signed without a secret is not to be vouched for
      const code = normaliseVerificationCode(argument);
      const message = await withDatabase(io, (db) => findMessageByCode(db, code));
      if (!message) {
        io.stdout.write(`${code}: no message with this code — it did not come from this lender\n`);
        return 1;
      }
      io.stdout.write(
        `${code}: genuine ${message.channel} message (${message.template}) sent ${message.sentAtMs === null ? 'pending' : new Date(message.sentAtMs).toISOString()}\n`,
      );
      return 0;
    }
    throw new InputError('subcommand', `must be plan, dispatch or verify (usage: kuan ${usage})`);
  },
};
