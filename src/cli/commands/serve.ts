// `kuan serve [--port 4000] [--host 127.0.0.1]`: the HTTP API (OpenAPI at /openapi.json, docs at /docs)
// and, when it has been built, the web console (web/dist) at /, on the database the environment names
// (DATABASE_URL, else PGlite in KUAN_DATA_DIR or ./.kuan), migrated first. Runs until SIGINT or SIGTERM,
// then stops taking requests, lets the ones in flight finish, writes the pending audit rows and closes
// the database. One line on stdout once it listens; request logs (JSON) on stderr.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildApi,
  channelCodeSender,
  defaultRateLimits,
  outboxCodeSender,
  type KuanApi,
  type SignInCodeSender,
} from '../../api/index.ts';
import { closeChannels, type ChannelAdapters } from '../../channels/index.ts';
import { parseTimeZone } from '../../calendar/index.ts';
import { InputError } from '../../errors/index.ts';
import { databaseConfigFromEnv, getBorrower, migrate, openDatabase, type Database } from '../../store/index.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';
import { choice, parseOptions, wholeNumberOption } from '../options.ts';
import type { PaymentProvider } from '../../channels/payments/index.ts';
import type { CaseServiceConfig } from '../../jobs/index.ts';
import { httpPaymentProviderAt, paymentProviderUrl } from '../payment-provider.ts';
import { lettersConfigOf } from './cases.ts';
import { channelAdaptersOf } from './contacts.ts';

const usage =
  'serve [--port 4000] [--host 127.0.0.1] [--static DIR] [--timezone ZONE] [--log-level LEVEL] [--rate-limit N] [--pool-size N] [--payment-provider URL] [--channels FILE]';

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
  /** Requests per minute per client address on every route; 0 turns the general limit off. */
  requestsPerMinute: number;
  /** PostgreSQL connections in this process's pool. */
  poolSize: number;
  /** Where borrowers' portal payments are debited; without one they answer 503 payments_unavailable. */
  paymentProvider?: PaymentProvider;
  /** The sender of lawyer's letters for escalations (lettersConfigOf); without it letter stages answer 503. */
  cases?: CaseServiceConfig;
  /** The API's clock (default: the wall clock); the demo serves its book's last business date. */
  clock?: () => number;
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
    });
    // The routes read the provider from the context at request time (buildApi takes no provider option).
    if (options.paymentProvider !== undefined) api.context.paymentProvider = options.paymentProvider;
    if (options.cases !== undefined) api.context.cases = options.cases;
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
    '  --timezone ZONE     whose calendar date "today" is for undated payments (default UTC)',
    '  --log-level LEVEL   info (default), warn, error or silent; logs are JSON lines on stderr',
    '  --rate-limit N      requests per minute per client address (default 1200; 0: no general limit —',
    '                      sign-in and one-time codes stay limited)',
    '  --pool-size N       PostgreSQL connections of this process (default 20)',
    '  --secure-cookies    mark the session cookie Secure (when served over HTTPS)',
    "  --payment-provider URL  debit borrowers' portal payments through this payment provider",
    '                      (docs/payment-provider.md); default KUAN_PAYMENT_PROVIDER_URL, API key from',
    "                      KUAN_PAYMENT_PROVIDER_KEY; without one a borrower's payment answers 503",
    "  --channels FILE     the lender's channels (docs/channels.md): borrowers' sign-in codes go out by their SMS",
    '                      (or e-mail) channel; without it they wait in the outbox (kind sign_in_code)',
    "  --print-codes       development only: print borrowers' sign-in codes on stderr instead of sending them",
    '',
    "Lawyer's letters (escalation to a letter stage) need KUAN_LENDER_NAME, KUAN_LENDER_ADDRESS, KUAN_PORTAL_URL",
    'and, with DATABASE_URL, KUAN_CODE_SECRET; without them those escalations answer 503 letters_unavailable.',
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
          'rate-limit': { type: 'string' },
          'pool-size': { type: 'string' },
          'payment-provider': { type: 'string' },
          channels: { type: 'string' },
        },
      },
      usage,
    );
    const adapters = values.channels === undefined ? undefined : await channelAdaptersOf(values.channels, io);
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
    const server = await startServer(
      {
        port,
        host,
        staticDir: values.static ?? (existsSync(defaultStaticDir) ? defaultStaticDir : undefined),
        timezone: parseTimeZone(values.timezone ?? 'UTC', '--timezone'),
        logLevel: choice(values['log-level'], logLevels, '--log-level'),
        secureCookies: values['secure-cookies'] === true,
        printCodes: values['print-codes'] === true,
        requestsPerMinute:
          wholeNumberOption(values['rate-limit'], '--rate-limit', { min: 0, max: 10_000_000 }) ??
          defaultRateLimits.requestsPerMinute,
        poolSize: wholeNumberOption(values['pool-size'], '--pool-size', { min: 1, max: 500 }) ?? DEFAULT_POOL_SIZE,
        ...(paymentProvider === undefined ? {} : { paymentProvider }),
        ...(adapters === undefined ? {} : { adapters }),
        cases: lettersConfigOf(io.env),
      },
      io,
    );
    io.stdout.write(
      `kuan serve: listening on ${server.url} (API ${server.url}/api/v1, docs ${server.url}/docs; ${server.db.description})\n`,
    );
    const signal = await waitForSignal();
    io.stderr.write(`kuan serve: ${signal}, stopping\n`);
    await server.stop();
    return 0;
  },
};

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
