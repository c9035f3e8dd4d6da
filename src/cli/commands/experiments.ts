// `kuan experiments results --strategy NAME --from D --through D [--window-days N]`: champion/challenger
// for a strategy over a span of business dates — contacts decided per arm, sent and suppressed, and the
// share of borrowers who paid within the window after the contact (src/app/experiments.ts). Read-only;
// one JSON object on stdout, the same fields as GET /api/v1/strategies/{name}/results.
import { InputError, quote } from '../../errors/index.ts';
import { parseIsoDate } from '../../calendar/index.ts';
import { EXPERIMENT_WINDOW_DAYS_MAX, experimentResults } from '../../app/index.ts';
import type { Command } from '../command.ts';
import { withDatabase } from '../database.ts';
import { parseOptions, wholeNumberOption } from '../options.ts';

const usage = 'experiments results --strategy NAME --from DATE --through DATE [--window-days N]';

export const experimentsCommand: Command = {
  name: 'experiments',
  summary: "champion/challenger results of a strategy's arms: contacts sent and borrowers who paid after them",
  usage,
  details: [
    'subcommands:',
    '  results --strategy NAME --from DATE --through DATE [--window-days N]',
    '        per arm: contacts decided on those business dates (sent or suppressed), and how many borrowers paid',
    '        on one of the contact’s loans within N days (default 7) after its business date. An outcome counts',
    '        once its window has closed (business date + N ≤ the last completed close). At most 366 days.',
  ].join('\n'),
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'results') {
      throw new InputError('subcommand', `must be results, got ${quote(sub ?? '')} (usage: kuan ${usage})`);
    }
    const { values } = parseOptions(
      rest,
      {
        options: {
          strategy: { type: 'string' },
          from: { type: 'string' },
          through: { type: 'string' },
          'window-days': { type: 'string' },
        },
      },
      usage,
    );
    const strategy = values.strategy;
    if (strategy === undefined || !/^[A-Za-z0-9._:-]{1,64}$/.test(strategy)) {
      throw new InputError('--strategy', `must be a strategy name, got ${quote(strategy ?? '')}`);
    }
    if (values.from === undefined) throw new InputError('--from', 'is required: the first business date');
    if (values.through === undefined) throw new InputError('--through', 'is required: the last business date');
    const from = parseIsoDate(values.from, '--from');
    const through = parseIsoDate(values.through, '--through');
    const windowDays = wholeNumberOption(values['window-days'], '--window-days', {
      min: 0,
      max: EXPERIMENT_WINDOW_DAYS_MAX,
    });
    return withDatabase(io, async (db) => {
      const results = await experimentResults(db, {
        strategy,
        from,
        through,
        ...(windowDays === undefined ? {} : { windowDays }),
      }).catch((error: unknown) => {
        if (error instanceof InputError && ['from', 'through'].includes(error.field)) {
          throw new InputError(`--${error.field}`, error.reason);
        }
        throw error;
      });
      const { comparison, ...span } = results;
      io.stdout.write(`${JSON.stringify({ ...span, ...comparison })}\n`);
      return 0;
    });
  },
};
