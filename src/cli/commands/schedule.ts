// `kuan schedule`: one LoanTerms JSON (stdin or --input FILE) → one Schedule JSON on stdout, or with
// --format table an aligned table for people, headed in English or Chinese (--locale).
import { formatMinor } from '../../money/index.ts';
import { buildSchedule, parseLoanTerms, toScheduleJson, type Schedule } from '../../schedule/index.ts';
import type { Command } from '../command.ts';
import { readJsonInput } from '../input.ts';
import { choice, parseOptions } from '../options.ts';
import { fractionAsPercent, groupThousands, renderTable, type Column } from '../table.ts';

export const scheduleFormats = ['json', 'table'] as const;
export const scheduleLocales = ['en', 'zh-CN'] as const;
export type ScheduleLocale = (typeof scheduleLocales)[number];

const usage = 'schedule [--input FILE] [--format json|table] [--locale en|zh-CN]';

/** A LoanTerms document is small; a megabyte is far beyond any real one. */
const inputLimitBytes = 1024 * 1024;

interface TableWords {
  headers: [string, string, string, string, string, string, string];
  totals: string;
  apr: string;
  currency: string;
  disbursed: (net: string, fee: string) => string;
}

const words: Record<ScheduleLocale, TableWords> = {
  en: {
    headers: ['No.', 'Due date', 'Principal', 'Interest', 'Fee', 'Total', 'Balance'],
    totals: 'Total',
    apr: 'APR (IRR method)',
    currency: 'Currency',
    disbursed: (net, fee) => `Net disbursed: ${net} (upfront fee ${fee})`,
  },
  'zh-CN': {
    headers: ['期数', '还款日', '本金', '利息', '费用', '合计', '剩余本金'],
    totals: '总计',
    apr: '年化利率（IRR）',
    currency: '币种',
    disbursed: (net, fee) => `实际到账：${net}（前置费用 ${fee}）`,
  },
};

/** The human table: one row per installment, a totals row, then currency, disbursement and APR lines. */
export function renderScheduleTable(schedule: Schedule, locale: ScheduleLocale): string {
  const w = words[locale];
  const amount = (minor: bigint): string => groupThousands(formatMinor(minor, schedule.currency));
  const columns: Column[] = w.headers.map((header, index) => ({ header, align: index === 1 ? 'left' : 'right' }));
  const body = schedule.installments.map((row) => [
    String(row.number),
    row.dueDate,
    amount(row.principalMinor),
    amount(row.interestMinor),
    amount(row.feeMinor),
    amount(row.totalMinor),
    amount(row.balanceMinor),
  ]);
  const { totals } = schedule;
  const footer = [
    [
      '',
      w.totals,
      amount(totals.principalMinor),
      amount(totals.interestMinor),
      amount(totals.feeMinor),
      amount(totals.totalMinor),
      '',
    ],
  ];
  const separator = locale === 'zh-CN' ? '：' : ': ';
  const lines = [renderTable(columns, body, footer), '', `${w.currency}${separator}${schedule.currency}`];
  if (schedule.upfrontFeeMinor > 0n) {
    lines.push(w.disbursed(amount(schedule.netDisbursedMinor), amount(schedule.upfrontFeeMinor)));
  }
  lines.push(`${w.apr}${separator}${fractionAsPercent(schedule.apr)} (${schedule.apr})`);
  return `${lines.join('\n')}\n`;
}

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'LoanTerms JSON (stdin or --input FILE) → repayment schedule as JSON or a table',
  usage,
  details: [
    'options:',
    '  --input FILE          read the LoanTerms JSON from FILE instead of stdin',
    '  --format json|table   json (default): the Schedule JSON; table: aligned columns for people',
    '  --locale en|zh-CN     language of the table headers (default en)',
    '',
    'example:',
    '  echo \'{"principal":"5000.00","annualRate":"0.12","termCount":12,"startDate":"2026-01-15"}\' | kuan schedule --format table',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        options: {
          input: { type: 'string', short: 'i' },
          format: { type: 'string', short: 'f', default: 'json' },
          locale: { type: 'string', short: 'l', default: 'en' },
        },
      },
      usage,
    );
    const format = choice(values.format, scheduleFormats, '--format');
    const locale = choice(values.locale, scheduleLocales, '--locale');
    const json = await readJsonInput(io, {
      file: values.input,
      flag: '--input',
      expected: 'one LoanTerms JSON object',
      limitBytes: inputLimitBytes,
    });
    const schedule = buildSchedule(parseLoanTerms(json));
    const output =
      format === 'table'
        ? renderScheduleTable(schedule, locale)
        : `${JSON.stringify(toScheduleJson(schedule), null, 2)}\n`;
    io.stdout.write(output);
    return 0;
  },
};
