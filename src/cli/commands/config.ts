// `kuan config check [--channels FILE] [--strategy S] [--policy P] [--production]`: validates a
// configuration before it is deployed — every environment variable Kuan reads and the files named — through
// the same parsers the commands use, so it accepts exactly what they accept. One line per setting checked
// on stdout and exit 0 when all are valid; otherwise nothing on stdout and exit 2 with `field: reason` for
// the first invalid one. With --production it also refuses development defaults (src/cli/production.ts).
// The reference of every setting is docs/configuration.md.
import { resolve } from 'node:path';
import { parseTimeZone } from '../../calendar/index.ts';
import { closeChannels } from '../../channels/index.ts';
import { parsePolicy, resolveStrategy } from '../../contact/index.ts';
import { InputError } from '../../errors/index.ts';
import { reversalApprovalAboveMinorOf } from '../../app/index.ts';
import { databaseConfigFromEnv } from '../../store/index.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';
import { parseOptions } from '../options.ts';
import { httpPaymentProviderAt, paymentProviderUrl } from '../payment-provider.ts';
import { refuseDevelopmentDefaults } from '../production.ts';
import { lettersConfigOf } from './cases.ts';
import { choiceAt, codeSecretOf, developmentCodeSecret, readChannelSettings } from './contacts.ts';
import { parseCutoff } from './day.ts';
import { metricsTokenOf } from './serve.ts';

const usage = 'config check [--channels FILE] [--strategy S] [--policy P] [--production]';

/** One checked setting: its name and what it resolved to (never a secret's value). */
type Line = readonly [name: string, detail: string];

function environmentLines(env: CliIo['env']): Line[] {
  const lines: Line[] = [];
  const database = databaseConfigFromEnv(env);
  lines.push(
    database.databaseUrl === undefined
      ? ['KUAN_DATA_DIR', `embedded database in ${resolve(database.dataDir ?? '')}`]
      : ['DATABASE_URL', `PostgreSQL at ${new URL(database.databaseUrl).host}`],
  );
  const secret = codeSecretOf(env);
  lines.push(['KUAN_CODE_SECRET', secret === developmentCodeSecret ? 'unset: the development secret' : 'set']);
  lines.push(['KUAN_TIMEZONE', parseTimeZone(env.KUAN_TIMEZONE ?? 'UTC', 'KUAN_TIMEZONE')]);
  const cutoff = env.KUAN_DAY_CUTOFF ?? '06:00';
  parseCutoff(cutoff, 'KUAN_DAY_CUTOFF');
  lines.push(['KUAN_DAY_CUTOFF', cutoff]);
  lines.push(['KUAN_EVENTS_FILE', env.KUAN_EVENTS_FILE ? env.KUAN_EVENTS_FILE : 'unset: events wait in the outbox']);
  lines.push(['KUAN_METRICS_TOKEN', metricsTokenOf(env).metricsToken === undefined ? 'unset: loopback only' : 'set']);
  lines.push(['KUAN_REVERSAL_APPROVAL_ABOVE_MINOR', `${reversalApprovalAboveMinorOf(env)} minor units`]);
  const letters = lettersConfigOf(env);
  lines.push(['KUAN_LENDER_NAME', letters.lender === undefined ? "unset: lawyer's letters unavailable" : 'set']);
  const providerUrl = paymentProviderUrl(undefined, env);
  if (providerUrl !== undefined) {
    httpPaymentProviderAt(providerUrl, env.KUAN_PAYMENT_PROVIDER_KEY, 'KUAN_PAYMENT_PROVIDER_URL');
  }
  lines.push([
    'KUAN_PAYMENT_PROVIDER_URL',
    providerUrl === undefined ? 'unset: no payment provider' : new URL(providerUrl).origin,
  ]);
  return lines;
}

async function channelsLine(file: string, io: CliIo): Promise<Line> {
  const settings = await readChannelSettings(file, io);
  await closeChannels(settings.adapters);
  return ['--channels', `${file}: ${Object.keys(settings.adapters).join(', ') || 'no channels'}`];
}

export const configCommand: Command = {
  name: 'config',
  summary: 'check a configuration (environment and files) before deploying it; --production refuses dev defaults',
  usage,
  details: [
    'subcommands:',
    '  check               validate every environment variable Kuan reads and the files given, with the parsers',
    '                      the commands use; one line per setting (exit 0), or `field: reason` (exit 2)',
    'options:',
    "  --channels FILE     the lender's channels file (docs/channels.md)",
    '  --strategy S        a built-in strategy or a JSON file',
    '  --policy P          a policy pack or a JSON file',
    '  --production        also refuse development defaults: the embedded database in the default ./.kuan',
    '                      (set KUAN_DATA_DIR or DATABASE_URL) and a missing or development KUAN_CODE_SECRET',
    '',
    'Every setting, its default and which are secrets: docs/configuration.md.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        options: {
          channels: { type: 'string' },
          strategy: { type: 'string' },
          policy: { type: 'string' },
          production: { type: 'boolean', default: false },
        },
        allowPositionals: true,
      },
      usage,
    );
    if (positionals.length !== 1 || positionals[0] !== 'check') {
      throw new InputError('subcommand', `must be check (usage: kuan ${usage})`);
    }
    const lines = environmentLines(io.env);
    if (values.production === true) {
      refuseDevelopmentDefaults(io.env);
      lines.push(['--production', 'no development defaults']);
    }
    if (values.channels !== undefined) lines.push(await channelsLine(values.channels, io));
    if (values.strategy !== undefined) {
      const strategy = resolveStrategy(await choiceAt(values.strategy, '--strategy', io), '--strategy');
      lines.push(['--strategy', strategy.name]);
    }
    if (values.policy !== undefined) {
      const policy = parsePolicy(await choiceAt(values.policy, '--policy', io), '--policy');
      lines.push(['--policy', policy.name]);
    }
    const width = Math.max(...lines.map(([name]) => name.length));
    io.stdout.write(lines.map(([name, detail]) => `ok  ${name.padEnd(width)}  ${detail}\n`).join(''));
    return 0;
  },
};
