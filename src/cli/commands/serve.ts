// `kuan serve [--port 4000] [--host 127.0.0.1]`: the HTTP API (OpenAPI at /openapi.json, docs at /docs)
// and, when it has been built, the web console (web/dist) at /, on the database the environment names
// (DATABASE_URL, else PGlite in KUAN_DATA_DIR or ./.kuan), migrated first. Runs until SIGINT or SIGTERM,
// then stops taking requests, lets the ones in flight finish, writes the pending audit rows and closes
// the database. One line on stdout once it listens; request logs (JSON) on stderr. With --schedule it also
// runs the lender's day at each cut-off and dispatches contacts as they fall due (src/app/scheduler.ts),
// logging JSON lines on stderr; on a stop signal the scheduler stops first, after its current page.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import pino from 'pino';
import { fileURLToPath } from 'node:url';
import {
  buildApi,
  channelCodeSender,
  defaultRateLimits,
  outboxCodeSender,
  type KuanApi,
  type SignInCodeSender,
} from '../../api/index.ts';
import {
  closeChannels,
  jsonLinesEventSink,
  type ChannelAdapters,
  type EventSink,
  type InboundWebhookSettings,
} from '../../channels/index.ts';
import { parseTimeZone } from '../../calendar/index.ts';
import { parsePolicy, resolveStrategy, type PolicyPack, type Strategy } from '../../contact/index.ts';
import { InputError } from '../../errors/index.ts';
import {
  inProcessDayQueue,
  pgBossDayQueue,
  SCHEDULER_CATCH_UP_DAYS_DEFAULT,
  startScheduler,
  wallClock,
  type DayQueue,
} from '../../app/index.ts';
import { databaseConfigFromEnv, getBorrower, migrate, openDatabase, type Database } from '../../store/index.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';
import { choice, parseOptions, wholeNumberOption } from '../options.ts';
import type { PaymentProvider } from '../../channels/payments/index.ts';
import { reversalApprovalAboveMinorOf, type CaseServiceConfig } from '../../app/index.ts';
import { httpPaymentProviderAt, paymentProviderUrl } from '../payment-provider.ts';
import { lettersConfigOf } from './cases.ts';
import { refuseDevelopmentDefaults } from '../production.ts';
import { channelSettingsOf, choiceAt, codeSecretOf } from './contacts.ts';
import { parseCutoff } from './day.ts';

const usage =
  'serve [--production] [--port 4000] [--host 127.0.0.1] [--static DIR] [--timezone ZONE] [--log-level LEVEL] [--rate-limit N] [--pool-size N] [--payment-provider URL] [--channels FILE] [--schedule [--cutoff HH:MM] [--events FILE] [--strategy S] [--policy P] [--catch-up-days N]]';

/** pg-boss's tables on PostgreSQL (its own schema, apart from Kuan's and any other pg-boss user's). */
export const SCHEDULER_QUEUE_SCHEMA = 'kuan_queue';

export const DEFAULT_PORT = 4000;
export const DEFAULT_HOST = '127.0.0.1';
/** Connections to PostgreSQL: a request holds one per statement or transaction; more than the store's default 10. */
export const DEFAULT_POOL_SIZE = 20;
export const defaultStaticDir = fileURLToPath(new URL('../../../web/dist', import.meta.url));
const logLevels = ['info', 'warn', 'error', 'silent'] as const;

export interface ServeOptions {
  port: number;
  host: string;
  staticDir: string | undefined;
  timezone: string;
  logLevel: (typeof logLevels)[number];
  secureCookies: boolean;
  /** Development only: sign-in codes are written to stderr instead of being sent. */
  printCodes: boolean;
  /** The lender's channels (`--channels FILE`): sign-in codes go out by the borrower's SMS or e-mail. */
  adapters?: ChannelAdapters;
  /** How receipts and replies that the channels' providers post back are checked (the same file). */
  inbound?: InboundWebhookSettings;
  /** Requests per minute per client address on every route; 0 turns the general limit off. */
  requestsPerMinute: number;
  /** PostgreSQL connections in this process's pool. */
  poolSize: number;
  /** Where borrowers' portal payments are debited; without one they answer 503 payments_unavailable. */
  paymentProvider?: PaymentProvider;
  /** The sender of lawyer's letters for escalations (lettersConfigOf); without it letter stages answer 503. */
  cases?: CaseServiceConfig;
  /** Above this many minor units a payment reversal waits for approval (KUAN_REVERSAL_APPROVAL_ABOVE_MINOR). */
  reversalApprovalAboveMinor?: bigint;
  /** The API's clock (default: the wall clock); the demo serves its book's last business date. */
  clock?: () => number;
  /** GET /metrics needs this Bearer token (KUAN_METRICS_TOKEN); without it only loopback clients may scrape. */
  metricsToken?: string;
}

export interface RunningServer {
  api: KuanApi;
  db: Database;
  /** http://host:port of the listening socket. */
  url: string;
  /** Graceful stop: no new requests, in-flight ones finish, audit rows flushed, database closed. */
  stop(): Promise<void>;
}

/** Opens and migrates the database, builds the API and listens; the caller stops it. */
export async function startServer(options: ServeOptions, io: CliIo): Promise<RunningServer> {
  const db = await openDatabase({ ...databaseConfigFromEnv(io.env), poolSize: options.poolSize });
  try {
    await migrate(db);
    const codeSender: SignInCodeSender = options.printCodes
      ? {
          async send(message) {
            io.stderr.write(`sign-in code for ${message.borrowerId} (${message.channel}): ${message.code}\n`);
          },
        }
      : options.adapters !== undefined && (options.adapters.sms ?? options.adapters.email) !== undefined
        ? channelCodeSender({
            adapters: {
              ...(options.adapters.sms ? { sms: options.adapters.sms } : {}),
              ...(options.adapters.email ? { email: options.adapters.email } : {}),
            },
            timezoneOf: async (message) => (await getBorrower(db, message.borrowerId))?.timezone ?? options.timezone,
            onFailure: (failure) =>
              io.stderr.write(`${JSON.stringify({ msg: 'sign-in code not delivered', ...failure })}\n`),
          })
        : outboxCodeSender(db, Date.now);
    const api = await buildApi({
      db,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      timezone: options.timezone,
      codeSender,
      secureCookies: options.secureCookies,
      rateLimits: { requestsPerMinute: options.requestsPerMinute },
      ...(options.staticDir === undefined ? {} : { staticDir: options.staticDir }),
      logger: options.logLevel === 'silent' ? false : { level: options.logLevel, stream: process.stderr },
      ...(options.metricsToken === undefined ? {} : { metrics: { token: options.metricsToken } }),
    });
    // The routes read the provider from the context at request time (buildApi takes no provider option).
    if (options.paymentProvider !== undefined) api.context.paymentProvider = options.paymentProvider;
    if (options.cases !== undefined) api.context.cases = options.cases;
    if (options.inbound !== undefined) api.context.inbound = options.inbound;
    if (options.adapters !== undefined) api.context.operations = { adapters: options.adapters };
    if (options.reversalApprovalAboveMinor !== undefined) {
      api.context.reversalApprovalAboveMinor = options.reversalApprovalAboveMinor;
    }
    let address: string;
    try {
      address = await api.app.listen({ port: options.port, host: options.host });
    } catch (error) {
      await api.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new InputError('--port', `${options.port} is in use on ${options.host}`);
      if (code === 'EACCES') throw new InputError('--port', `${options.port} needs privileges this process lacks`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
        throw new InputError('--host', `${options.host} is not an address of this machine`);
      }
      throw error;
    }
    let stopping: Promise<void> | undefined;
    return {
      api,
      db,
      url: address,
      stop() {
        stopping ??= (async () => {
          try {
            await api.close();
          } finally {
            await closeChannels(options.adapters ?? {});
            await db.close();
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the web console, on --port (default 4000)',
  usage,
  details: [
    'options:',
    '  --port N            TCP port (default 4000; 0 picks a free one)',
    '  --host HOST         address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)',
    '  --static DIR        the built console to serve at / (default web/dist in the checkout, when it exists)',
    '  --timezone ZONE     the lender’s zone: whose date "today" is for undated payments, and where the cut-off',
    '                      is read (default KUAN_TIMEZONE, else UTC)',
    '  --log-level LEVEL   info (default), warn, error or silent; logs are JSON lines on stderr',
    '  --rate-limit N      requests per minute per client address (default 1200; 0: no general limit —',
    '                      sign-in and one-time codes stay limited)',
    '  --pool-size N       PostgreSQL connections of this process (default 20)',
    '  --secure-cookies    mark the session cookie Secure (when served over HTTPS)',
    '  --production        refuse development defaults: --print-codes, a cookie without --secure-cookies, and',
    '                      what `kuan config check --production` refuses in the environment (docs/configuration.md)',
    "  --payment-provider URL  debit borrowers' portal payments through this payment provider",
    '                      (docs/payment-provider.md); default KUAN_PAYMENT_PROVIDER_URL, API key from',
    "                      KUAN_PAYMENT_PROVIDER_KEY; without one a borrower's payment answers 503",
    "  --channels FILE     the lender's channels (docs/channels.md): borrowers' sign-in codes go out by their SMS",
    '                      (or e-mail) channel; without it they wait in the outbox (kind sign_in_code)',
    "  --print-codes       development only: print borrowers' sign-in codes on stderr instead of sending them",
    '  --schedule          also run the lender’s day (`kuan day`) for each business date at its cut-off, catching up',
    '                      missed dates in order, and dispatch contacts through --channels as they fall due',
    '                      (docs/day.md); several processes may: each stage runs in one of them, once',
    '  --cutoff HH:MM      with --schedule: the local time a business date’s day runs (default KUAN_DAY_CUTOFF, else 06:00)',
    '  --events FILE       with --schedule: publish events as JSON Lines into FILE (default KUAN_EVENTS_FILE)',
    '  --strategy S        with --schedule: a built-in strategy or a JSON file (default: the strategy in force)',
    '  --policy P          with --schedule: a policy pack or a JSON file (default: default)',
    `  --catch-up-days N   with --schedule: missed dates run unattended at most (default ${SCHEDULER_CATCH_UP_DAYS_DEFAULT}); more are`,
    '                      refused (logged) until run with `kuan day`',
    '',
    "Lawyer's letters (escalation to a letter stage) need KUAN_LENDER_NAME, KUAN_LENDER_ADDRESS, KUAN_PORTAL_URL",
    'and, with DATABASE_URL, KUAN_CODE_SECRET; without them those escalations answer 503 letters_unavailable.',
    'Probes: GET /health/live, GET /health/ready; Prometheus metrics at GET /metrics, from 127.0.0.1 only unless',
    'KUAN_METRICS_TOKEN (16+ characters) is set, then with that Bearer token from anywhere (docs/operations.md).',
    'The database is DATABASE_URL (PostgreSQL) or else the embedded one in KUAN_DATA_DIR (default ./.kuan);',
    'it is migrated on start. Staff accounts: `kuan staff add --user U --role R`. Stops on SIGINT or SIGTERM.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        options: {
          port: { type: 'string' },
          host: { type: 'string' },
          static: { type: 'string' },
          timezone: { type: 'string' },
          'log-level': { type: 'string', default: 'info' },
          'secure-cookies': { type: 'boolean', default: false },
          'print-codes': { type: 'boolean', default: false },
          production: { type: 'boolean', default: false },
          'rate-limit': { type: 'string' },
          'pool-size': { type: 'string' },
          'payment-provider': { type: 'string' },
          channels: { type: 'string' },
          schedule: { type: 'boolean', default: false },
          cutoff: { type: 'string' },
          events: { type: 'string' },
          strategy: { type: 'string' },
          policy: { type: 'string' },
          'catch-up-days': { type: 'string' },
        },
      },
      usage,
    );
    if (values.production === true) {
      if (values['print-codes'] === true) {
        throw new InputError('--print-codes', 'is for development only; --production sends sign-in codes');
      }
      if (values['secure-cookies'] !== true) {
        throw new InputError('--secure-cookies', 'is required with --production (serve over HTTPS)');
      }
      refuseDevelopmentDefaults(io.env);
    }
    const timezone = parseTimeZone(values.timezone ?? io.env.KUAN_TIMEZONE ?? 'UTC', '--timezone');
    const logLevel = choice(values['log-level'], logLevels, '--log-level');
    const schedule = values.schedule === true ? await scheduleOptionsOf(values, io) : undefined;
    if (schedule === undefined) {
      for (const flag of ['cutoff', 'events', 'strategy', 'policy', 'catch-up-days'] as const) {
        if (values[flag] !== undefined) throw new InputError(`--${flag}`, 'applies only with --schedule');
      }
    }
    const channels = values.channels === undefined ? undefined : await channelSettingsOf(values.channels, io);
    const adapters = channels?.adapters;
    const providerUrl = paymentProviderUrl(values['payment-provider'], io.env);
    const paymentProvider =
      providerUrl === undefined ? undefined : httpPaymentProviderAt(providerUrl, io.env.KUAN_PAYMENT_PROVIDER_KEY);
    const port = wholeNumberOption(values.port, '--port', { min: 0, max: 65_535 }) ?? DEFAULT_PORT;
    const host = values.host ?? DEFAULT_HOST;
    if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host))
      throw new InputError('--host', `must be a host name or address, got "${host}"`);
    if (values.static !== undefined && !existsSync(values.static)) {
      throw new InputError('--static', `no such folder "${values.static}"`);
    }
    const serverOptions = {
      port,
      host,
      staticDir: values.static ?? (existsSync(defaultStaticDir) ? defaultStaticDir : undefined),
      timezone,
      logLevel,
      secureCookies: values['secure-cookies'] === true,
      printCodes: values['print-codes'] === true,
      requestsPerMinute:
        wholeNumberOption(values['rate-limit'], '--rate-limit', { min: 0, max: 10_000_000 }) ??
        defaultRateLimits.requestsPerMinute,
      poolSize: wholeNumberOption(values['pool-size'], '--pool-size', { min: 1, max: 500 }) ?? DEFAULT_POOL_SIZE,
      ...(paymentProvider === undefined ? {} : { paymentProvider }),
      ...(channels === undefined ? {} : { adapters: channels.adapters, inbound: channels.inbound }),
      cases: lettersConfigOf(io.env),
      ...metricsTokenOf(io.env),
      reversalApprovalAboveMinor: reversalApprovalAboveMinorOf(io.env),
    };
    // Listening for the stop signal before anything starts: a SIGTERM while the scheduler's queue is still
    // starting (pg-boss creates its schema, seconds on a busy database) stops the process gracefully too,
    // instead of killing it with Node's default action.
    const signalled = waitForSignal();
    const server = await startServer(serverOptions, io).catch((error: unknown) => {
      signalled.cancel();
      throw error;
    });
    io.stdout.write(
      `kuan serve: listening on ${server.url} (API ${server.url}/api/v1, docs ${server.url}/docs; ${server.db.description})\n`,
    );
    const scheduler =
      schedule === undefined
        ? undefined
        : await startServeScheduler(
            server,
            { ...schedule, timezone, logLevel, adapters: adapters ?? {}, paymentProvider },
            io,
          ).catch(async (error: unknown) => {
            signalled.cancel();
            await server.stop();
            throw error;
          });
    const signal = await signalled.signal;
    io.stderr.write(`kuan serve: ${signal}, stopping\n`);
    try {
      await scheduler?.stop();
    } finally {
      await server.stop();
    }
    return 0;
  },
};

interface ScheduleOptions {
  cutoffMinutes: number;
  eventsFile: string | undefined;
  strategy: Strategy | undefined;
  policy: PolicyPack;
  catchUpDaysMax: number;
  secret: string;
}

async function scheduleOptionsOf(
  values: {
    cutoff?: string;
    events?: string;
    strategy?: string;
    policy?: string;
    'catch-up-days'?: string;
  },
  io: CliIo,
): Promise<ScheduleOptions> {
  return {
    cutoffMinutes: parseCutoff(values.cutoff ?? io.env.KUAN_DAY_CUTOFF ?? '06:00'),
    eventsFile: values.events ?? io.env.KUAN_EVENTS_FILE,
    strategy:
      values.strategy === undefined
        ? undefined
        : resolveStrategy(await choiceAt(values.strategy, '--strategy', io), '--strategy'),
    policy: parsePolicy(await choiceAt(values.policy, '--policy', io), '--policy'),
    catchUpDaysMax:
      wholeNumberOption(values['catch-up-days'], '--catch-up-days', { min: 1, max: 366 }) ??
      SCHEDULER_CATCH_UP_DAYS_DEFAULT,
    secret: codeSecretOf(io.env),
  };
}

/**
 * The scheduler beside the API, on its database: pg-boss on PostgreSQL, the in-process queue on PGlite.
 * Its stop ends the loop (after the current page), then the queue and the event sinks.
 */
async function startServeScheduler(
  server: RunningServer,
  options: ScheduleOptions & {
    timezone: string;
    logLevel: ServeOptions['logLevel'];
    adapters: ChannelAdapters;
    paymentProvider: PaymentProvider | undefined;
  },
  io: CliIo,
): Promise<{ stop(): Promise<void> }> {
  const log = pino({ level: options.logLevel, base: { name: 'kuan-scheduler' } }, process.stderr);
  const databaseUrl = databaseConfigFromEnv(io.env).databaseUrl;
  const queue: DayQueue =
    databaseUrl === undefined
      ? inProcessDayQueue()
      : await pgBossDayQueue({
          connectionString: databaseUrl,
          schema: SCHEDULER_QUEUE_SCHEMA,
          onError: (error) => log.error({ error: error.message }, 'job queue'),
        });
  const sinks: EventSink[] = options.eventsFile ? [jsonLinesEventSink({ path: options.eventsFile })] : [];
  const workerId = `${hostname()}:${process.pid}`;
  // Readiness now expects this scheduler's heartbeat (GET /health/ready).
  server.api.context.operations = { ...server.api.context.operations, scheduler: { workerId } };
  const scheduler = startScheduler({
    db: server.db,
    clock: wallClock,
    queue,
    log,
    timezone: options.timezone,
    cutoffMinutes: options.cutoffMinutes,
    policy: options.policy,
    ...(options.strategy ? { strategy: options.strategy } : {}),
    adapters: options.adapters,
    secret: options.secret,
    sinks,
    workerId,
    ...(options.paymentProvider ? { provider: options.paymentProvider } : {}),
    catchUpDaysMax: options.catchUpDaysMax,
  });
  return {
    async stop() {
      try {
        await scheduler.stop();
      } finally {
        await queue.close();
        for (const sink of sinks) await sink.close?.();
      }
    },
  };
}

/** KUAN_METRICS_TOKEN, when set: long enough that guessing it is hopeless. */
export function metricsTokenOf(env: CliIo['env']): { metricsToken?: string } {
  const token = env.KUAN_METRICS_TOKEN?.trim();
  if (token === undefined || token === '') return {};
  if (token.length < 16) throw new InputError('KUAN_METRICS_TOKEN', 'must be at least 16 characters');
  return { metricsToken: token };
}

/** The first SIGINT or SIGTERM from now on; `cancel` stops listening (a start that failed). */
function waitForSignal(): { signal: Promise<string>; cancel(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const cancel = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const signal = new Promise<string>((resolve) => {
    onSignal = (received) => {
      cancel();
      resolve(received);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { signal, cancel };
}
