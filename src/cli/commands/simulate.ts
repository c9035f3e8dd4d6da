// `kuan simulate --scenario FILE`: replays a Scenario (CONTRACTS.md "Scenario") through the servicing
// core with a virtual clock and prints the output lines as JSON Lines on stdout. The whole output is
// computed before anything is printed, so a bad scenario leaves stdout empty.
import { channelsFromConfig, closeChannels } from '../../channels/index.ts';
import { InputError } from '../../errors/index.ts';
import { simulate } from '../../sim/index.ts';
import type { Command } from '../command.ts';
import { readJsonInput } from '../input.ts';
import { parseOptions } from '../options.ts';

const usage = 'simulate --scenario FILE [--channels FILE] [--secret TEXT]';

/** A scenario of ten thousand loans and their events fits well inside this. */
const inputLimitBytes = 64 * 1024 * 1024;

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'replay a Scenario JSON with a virtual clock; print contact, payment and loan_day lines as JSON Lines',
  usage,
  details: [
    'options:',
    '  --scenario FILE   the Scenario JSON (start, days, borrowers, loans, events); "-" reads stdin',
    '  --channels FILE   deliver sent contacts through real channels (SMTP, SMS/push providers, PDF',
    '                    letters, call tasks) as configured in FILE (see docs/channels.md)',
    '  --secret TEXT     the verification-code secret (default: a fixed simulation secret, or KUAN_CODE_SECRET)',
    '',
    'example:',
    '  kuan simulate --scenario examples/scenario.json',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        options: { scenario: { type: 'string', short: 's' }, channels: { type: 'string' }, secret: { type: 'string' } },
      },
      usage,
    );
    if (values.scenario === undefined) {
      throw new InputError('--scenario', `is required (usage: kuan ${usage})`);
    }
    const json = await readJsonInput(io, {
      file: values.scenario === '-' ? undefined : values.scenario,
      flag: '--scenario',
      expected: 'one Scenario JSON object',
      limitBytes: inputLimitBytes,
    });
    const adapters =
      values.channels === undefined
        ? undefined
        : channelsFromConfig(
            await readJsonInput(io, {
              file: values.channels,
              flag: '--channels',
              expected: 'one channel configuration JSON object',
              limitBytes: 1024 * 1024,
            }),
            { env: io.env },
          );
    const secret = values.secret ?? io.env.KUAN_CODE_SECRET;
    if (secret !== undefined && secret.length < 16) throw new InputError('--secret', 'must be at least 16 characters');
    try {
      io.stdout.write(await simulate(json, { ...(adapters ? { adapters } : {}), ...(secret ? { secret } : {}) }));
    } finally {
      if (adapters) await closeChannels(adapters);
    }
    return 0;
  },
};
