// `kuan schedule` end to end: the Schedule JSON and the human tables through the real binary, and the
// bad-input contract (exit 2, one line naming the field, nothing on stdout) over a table of mistakes —
// most run in-process through `main`, a few through the spawned binary to prove the wiring.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/table.ts';
import { expectBadInput, runBinary, runInProcess } from './support.ts';

const base = {
  principal: '5000.00',
  currency: 'CNY',
  annualRate: '0.12',
  termCount: 18,
  startDate: '2022-11-01',
  method: 'equal_installment',
};

interface ScheduleJson {
  installments: {
    number: number;
    dueDate: string;
    principal: string;
    interest: string;
    fee: string;
    total: string;
    balance: string;
  }[];
  totals: { principal: string; interest: string; fee: string; total: string };
  apr: string;
}

const cents = (text: string): bigint => BigInt(text.replace('.', ''));

function expectConsistentSchedule(schedule: ScheduleJson, principal: string): void {
  const sum = (pick: (row: ScheduleJson['installments'][number]) => string): bigint =>
    schedule.installments.reduce((total, row) => total + cents(pick(row)), 0n);
  expect(sum((row) => row.principal)).toBe(cents(principal));
  expect(schedule.totals.principal).toBe(principal);
  expect(sum((row) => row.interest)).toBe(cents(schedule.totals.interest));
  expect(sum((row) => row.total)).toBe(cents(schedule.totals.total));
  for (const row of schedule.installments) {
    expect(cents(row.principal) + cents(row.interest) + cents(row.fee)).toBe(cents(row.total));
  }
  expect(schedule.installments.at(-1)?.balance).toBe('0.00');
}

describe('kuan schedule through the real binary', () => {
  it('prints one Schedule JSON for valid LoanTerms', () => {
    const result = runBinary(['schedule'], JSON.stringify(base));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    const schedule = JSON.parse(result.stdout) as ScheduleJson;
    expect(schedule.installments).toHaveLength(18);
    // Annuity at 1 % a month: 5000 × 0.01 / (1 − 1.01^−18) = 304.9102… → 304.91; first interest 50.00.
    expect(schedule.installments[0]).toEqual({
      number: 1,
      dueDate: '2022-12-01',
      principal: '254.91',
      interest: '50.00',
      fee: '0.00',
      total: '304.91',
      balance: '4745.09',
    });
    expect(schedule.installments[1]?.interest).toBe('47.45'); // 4745.09 × 1 % = 47.4509
    expect(schedule.installments[17]?.dueDate).toBe('2024-05-01');
    expectConsistentSchedule(schedule, '5000.00');
    // The APR is the IRR on the actual dates (CONTRACTS.md "Schedule"): the first period is 30 days, not
    // the average 30.42, so 1 % a month costs 12.02 % nominal, 12.71 % effective (0.1200 by equal periods).
    expect(schedule.apr).toBe('0.1202');
    expect((JSON.parse(result.stdout) as { aprEffective: string }).aprEffective).toBe('0.1271');
  });

  it('prints a zh-CN table with Chinese headers, totals and APR', () => {
    const result = runBinary(['schedule', '--format', 'table', '--locale', 'zh-CN'], JSON.stringify(base));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual(['期数', '还款日', '本金', '利息', '费用', '合计', '剩余本金']);
    expect(result.stdout).toContain('总计');
    expect(result.stdout).toContain('年化利率（IRR）：12.02% (0.1202)');
    expect(result.stdout).toContain('5,000.00');
  });

  it('reports malformed JSON as bad input', () => {
    expectBadInput(runBinary(['schedule'], '{"principal": "5000.00",'), 'input', expect);
  });

  it('reports an unknown command with a usage line', () => {
    const result = runBinary(['schedul'], '');
    expectBadInput(result, 'command', expect);
    expect(result.stderr).toContain('usage: kuan <command>');
  });
});

describe('kuan schedule output', () => {
  it('prints an aligned English table: every row as wide as the header', async () => {
    const result = await runInProcess(['schedule', '--format', 'table'], JSON.stringify(base));
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^No\.\s+Due date\s+Principal\s+Interest\s+Fee\s+Total\s+Balance$/);
    const body = lines.slice(2, 20);
    expect(body).toHaveLength(18);
    for (const line of body) expect(displayWidth(line)).toBe(displayWidth(lines[0] ?? ''));
    expect(body[0]).toMatch(/^ *1  2022-12-01 +254\.91 +50\.00 +0\.00 +304\.91 +4,745\.09$/);
    expect(lines[21]).toMatch(/^ +Total +5,000\.00 +/);
    expect(result.stdout).toContain('Currency: CNY');
    expect(result.stdout).toContain('APR (IRR method): 12.02% (0.1202)');
  });

  it('lines up Chinese headers counting each character as two columns', async () => {
    const result = await runInProcess(['schedule', '--format', 'table', '--locale', 'zh-CN'], JSON.stringify(base));
    const lines = result.stdout.split('\n');
    for (const line of lines.slice(2, 20)) expect(displayWidth(line)).toBe(displayWidth(lines[0] ?? ''));
  });

  it('shows the net disbursement when there is an upfront fee', async () => {
    const terms = { ...base, fees: [{ kind: 'upfront', amount: '100.00' }] };
    const result = await runInProcess(['schedule', '--format', 'table'], JSON.stringify(terms));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Net disbursed: 4,900.00 (upfront fee 100.00)');
  });

  it('reads --input FILE and gives the same JSON as stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuan-cli-'));
    try {
      const file = join(dir, 'terms.json');
      writeFileSync(file, JSON.stringify(base));
      const fromFile = await runInProcess(['schedule', '--input', file]);
      const fromStdin = await runInProcess(['schedule'], JSON.stringify(base));
      expect(fromFile.code).toBe(0);
      expect(fromFile.stdout).toBe(fromStdin.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts a leading byte-order mark and surrounding whitespace', async () => {
    const result = await runInProcess(['schedule'], `\uFEFF\n  ${JSON.stringify(base)}\n\n`);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as ScheduleJson).installments).toHaveLength(18);
  });
});

describe('kuan schedule rejects bad input with one line naming the field', () => {
  const terms = (overrides: Record<string, unknown>): string => JSON.stringify({ ...base, ...overrides });
  const without = (field: keyof typeof base): string => {
    const copy: Record<string, unknown> = { ...base };
    delete copy[field];
    return JSON.stringify(copy);
  };
  const dir = mkdtempSync(join(tmpdir(), 'kuan-cli-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const latin1File = join(dir, 'latin1.json');
  writeFileSync(latin1File, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d])); // {"é":1} in Latin-1

  // [what is wrong, argv after `schedule`, stdin, field named first on the line]
  const cases: [string, string[], string, string][] = [
    ['negative principal', [], terms({ principal: '-5' }), 'principal'],
    ['zero principal', [], terms({ principal: '0' }), 'principal'],
    ['principal as a JSON number (a float)', [], terms({ principal: 5000.5 }), 'principal'],
    ['too many decimals for CNY', [], terms({ principal: '100.001' }), 'principal'],
    ['decimals for JPY, which has none', [], terms({ principal: '100.5', currency: 'JPY' }), 'principal'],
    ['missing principal', [], without('principal'), 'principal'],
    ['zero terms', [], terms({ termCount: 0 }), 'termCount'],
    ['fractional terms', [], terms({ termCount: 12.5 }), 'termCount'],
    ['terms as a string', [], terms({ termCount: '12' }), 'termCount'],
    ['unknown method', [], terms({ method: 'balloon' }), 'method'],
    ['unknown frequency unit', [], terms({ frequency: { every: 1, unit: 'year' } }), 'frequency.unit'],
    ['zero frequency', [], terms({ frequency: { every: 0, unit: 'month' } }), 'frequency.every'],
    ['a date that does not exist', [], terms({ startDate: '2022-02-30' }), 'startDate'],
    ['rate above 100 %', [], terms({ annualRate: '1.5' }), 'annualRate'],
    ['non-numeric rate', [], terms({ annualRate: 'abc' }), 'annualRate'],
    ['negative rate', [], terms({ annualRate: '-0.01' }), 'annualRate'],
    ['missing rate', [], without('annualRate'), 'annualRate'],
    ['grace terms not less than terms', [], terms({ termCount: 12, principalGraceTerms: 12 }), 'principalGraceTerms'],
    ['unknown currency', [], terms({ currency: 'XYZ' }), 'currency'],
    ['unknown field', [], terms({ colour: 'blue' }), 'colour'],
    ['first due date before the start', [], terms({ firstDueDate: '2022-10-15' }), 'firstDueDate'],
    ['bad rounding mode', [], terms({ rounding: { mode: 'bankers' } }), 'rounding.mode'],
    ['bad interest rounding mode', [], terms({ rounding: { interestMode: 'bankers' } }), 'rounding.interestMode'],
    ['unknown rounding field', [], terms({ rounding: { interestmode: 'half_even' } }), 'rounding.interestmode'],
    [
      'zero installment multiple',
      [],
      terms({ rounding: { installmentMultiple: '0' } }),
      'rounding.installmentMultiple',
    ],
    [
      'installment multiple finer than the currency',
      [],
      terms({ rounding: { installmentMultiple: '0.001' } }),
      'rounding.installmentMultiple',
    ],
    ['unknown fee kind', [], terms({ fees: [{ kind: 'monthly', amount: '1.00' }] }), 'fees[0].kind'],
    ['upfront fee as large as the principal', [], terms({ fees: [{ kind: 'upfront', amount: '5000.00' }] }), 'fees'],
    ['unknown days in year', [], terms({ daysInYear: 366 }), 'daysInYear'],
    [
      'unknown holiday calendar',
      [],
      terms({ businessDay: { convention: 'following', calendar: 'XX' } }),
      'businessDay.calendar',
    ],
    [
      'China calendar past its holiday data (2027-01-01 would stay a due date)',
      [],
      terms({ startDate: '2026-02-01', termCount: 12, businessDay: { convention: 'following', calendar: 'CN' } }),
      'businessDay.calendar',
    ],
    ['a JSON array', [], '[1, 2]', 'terms'],
    ['a JSON string', [], '"5000.00"', 'terms'],
    ['JSON null', [], 'null', 'terms'],
    ['malformed JSON', [], '{"principal": "5000.00",', 'input'],
    ['two JSON documents', [], `${terms({})}\n${terms({})}`, 'input'],
    ['empty stdin', [], '', 'input'],
    ['blank stdin', [], ' \n\t\n', 'input'],
    ['unknown flag', ['--colour'], terms({}), '--colour'],
    ['flag missing its value', ['--input'], terms({}), '--input'],
    ['unknown format', ['--format', 'xml'], terms({}), '--format'],
    ['unknown locale', ['--locale', 'fr'], terms({}), '--locale'],
    ['a stray argument', ['terms.json'], terms({}), 'arguments'],
    ['an input file that does not exist', ['--input', join(dir, 'missing.json')], '', '--input'],
    ['an input file that is a directory', ['--input', dir], '', '--input'],
    ['an input file that is not UTF-8', ['--input', latin1File], '', '--input'],
  ];

  it.each(cases)('%s', async (_what, argv, stdin, field) => {
    expectBadInput(await runInProcess(['schedule', ...argv], stdin), field, expect);
  });

  // Issue 13's reproductions: rounding to whole units makes these schedules degenerate; each is refused
  // with the field and what went wrong, never printed as a silent balloon.
  const degenerate: [string, Record<string, unknown>, string][] = [
    [
      'an installment rounded below the first period’s interest',
      {
        principal: '9417.58',
        annualRate: '0.3442',
        termCount: 244,
        rounding: { mode: 'half_even', installmentMultiple: '1' },
      },
      "rounds the installment to 270.00, below the first period's interest of 270.13",
    ],
    [
      'a final balloon',
      {
        principal: '683168.78',
        annualRate: '0.3291',
        termCount: 348,
        rounding: { mode: 'down', installmentMultiple: '1' },
      },
      'leaves a final installment of 210842.80, more than twice the regular 18737.00',
    ],
    [
      'zero installments after an early payoff',
      {
        principal: '37073.00',
        annualRate: '0.2431',
        termCount: 249,
        rounding: { mode: 'up', installmentMultiple: '1' },
      },
      'leaves installments 243–249 at 0.00',
    ],
  ];

  it.each(degenerate)('a degenerate schedule: %s', async (_what, overrides, reason) => {
    const result = await runInProcess(['schedule'], terms({ startDate: '2026-01-01', ...overrides }));
    expectBadInput(result, 'rounding.installmentMultiple', expect);
    expect(result.stderr).toContain(reason);
  });

  it('through the real binary: a degenerate schedule exits 2 with one line', () => {
    const [, overrides, reason] = degenerate[2] as [string, Record<string, unknown>, string];
    const result = runBinary(['schedule'], terms({ startDate: '2026-01-01', ...overrides }));
    expectBadInput(result, 'rounding.installmentMultiple', expect);
    expect(result.stderr).toContain(reason);
  });

  it('through the real binary: a float principal and an unknown flag', () => {
    expectBadInput(runBinary(['schedule'], terms({ principal: 5000.5 })), 'principal', expect);
    expectBadInput(runBinary(['schedule', '--bogus'], terms({})), '--bogus', expect);
  });

  it('quotes the rejected value so the user sees what was read', async () => {
    const result = await runInProcess(['schedule'], terms({ startDate: '2022-02-30' }));
    expect(result.stderr).toContain('"2022-02-30"');
    const rate = await runInProcess(['schedule'], terms({ annualRate: '1.5' }));
    expect(rate.stderr).toContain('"1.5"');
  });
});
