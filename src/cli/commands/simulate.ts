// `kuan simulate --scenario FILE`: replays a Scenario (CONTRACTS.md "Scenario") through the servicing
// core with a virtual clock and prints the output lines as JSON Lines on stdout. The whole output is
// computed before anything is printed, so a bad scenario leaves stdout empty.
import { InputError } from '../../errors/index.ts';
import { simulate } from '../../sim/index.ts';
import type { Command } from '../command.ts';
import { readJsonInput } from '../input.ts';
import { parseOptions } from '../options.ts';

const usage = 'simulate --scenario FILE';

/** A scenario of ten thousand loans and their events fits well inside this. */
const inputLimitBytes = 64 * 1024 * 1024;

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'replay a Scenario JSON with a virtual clock; print payment and loan_day lines as JSON Lines',
  usage,
  details: [
    'options:',
    '  --scenario FILE   the Scenario JSON (start, days, borrowers, loans, events); "-" reads stdin',
    '',
    'example:',
    '  kuan simulate --scenario examples/scenario.json',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, { options: { scenario: { type: 'string', short: 's' } } }, usage);
    if (values.scenario === undefined) {
      throw new InputError('--scenario', `is required (usage: kuan ${usage})`);
    }
    const json = await readJsonInput(io, {
      file: values.scenario === '-' ? undefined : values.scenario,
      flag: '--scenario',
      expected: 'one Scenario JSON object',
      limitBytes: inputLimitBytes,
    });
    io.stdout.write(await simulate(json));
    return 0;
  },
};
