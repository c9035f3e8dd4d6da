// Evaluation on real repayment data: replays the Home Credit Default Risk instalment records (Kaggle, 2018;
// a subset kept outside the repository, see ../shared/data/README.md) through the pure servicing core and
// compares, for every instalment, the lateness the engine computes (days from the due date to the day the
// engine settled it, floored at 0 like DPD) with the data's own lateness (DAYS_ENTRY_PAYMENT −
// DAYS_INSTALMENT of the payment row that completes it). Results and the reading of each disagreement are
// in docs/evaluation/homecredit-dpd.md.
//
// `evaluateHomeCredit` is pure (rows in, counts out) so the test suite runs it on a hand-made sample and
// never depends on the data folder; `main` is the I/O shell (argument, CSV files, printing).
//
// Modelling choices, kept here and in the doc:
// - Day 0 (the client's application day) is `anchorDate` (2020-01-01); day d is anchor + d days.
// - A loan (SK_ID_PREV) becomes one engine loan whose installments are the data's instalments (a sample,
//   not always the whole schedule): due date = anchor + DAYS_INSTALMENT, principal = AMT_INSTALMENT,
//   no interest, no fee, grace 0, no penalty, charge-off out of reach, default allocation (oldest first)
//   and overpayment `prepay_next`.
// - Amounts are exact in KWD minor units (three decimals), the most the data carries: no rounding at all.
// - Several NUM_INSTALMENT_VERSION rows of one NUM_INSTALMENT_NUMBER share a due date and each repeats the
//   same payment rows (the payment covers their sum): they are one installment of the summed amount, its
//   payments taken once (from the lowest version).
// - NUM_INSTALMENT_VERSION 0 marks credit-card instalments (a minimum payment on a revolving balance, not
//   an amortising schedule): those loans are replayed the same way but reported as a separate group.
// - A payment larger than what the sampled loan still owes is cut to what it owes (the rest paid
//   instalments outside the sample); a payment reaching a loan with nothing owed is dropped. Both counted.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { addDays, toEpochDay, type IsoDate } from '../src/calendar/index.ts';
import { formatMinor, parseMoney } from '../src/money/index.ts';
import { parseLoanTerms, type Schedule } from '../src/schedule/index.ts';
import {
  applyPayment,
  closeDay,
  defaultServicingRules,
  isSettled,
  openLoan,
  scheduledOutstanding,
  type LoanState,
  type ServicingRules,
} from '../src/servicing/index.ts';

/** One row of installments_payments.csv, amounts as the file's decimal text. */
export interface InstalmentPaymentRow {
  loanId: string;
  clientId: string;
  version: number;
  number: number;
  dueDay: number;
  paidDay: number;
  dueAmount: string;
  paidAmount: string;
}

/**
 * How an instalment's engine lateness relates to the data's:
 * - `agree`: both settled, same lateness (floored at 0);
 * - `both_unpaid`: neither the data nor the engine ever settles it (underpaid in the data);
 * - `engine_later_older_underpaid`: the engine settles it later (or never) because oldest-first allocation
 *   spent its payment on an older instalment the data shows underpaid;
 * - `engine_later_other`: the engine settles it later or never for another reason;
 * - `engine_earlier_prepaid`: the engine settles it earlier: an overpayment of an earlier instalment
 *   prepaid it (`prepay_next`), or an underpaid instalment was topped up by money the data books elsewhere;
 * - `data_underpaid_engine_paid`: the data never completes it, the engine does with other rows' money.
 */
export type ComparisonCategory =
  | 'agree'
  | 'both_unpaid'
  | 'engine_later_older_underpaid'
  | 'engine_later_other'
  | 'engine_earlier_prepaid'
  | 'data_underpaid_engine_paid';

export const comparisonCategories: readonly ComparisonCategory[] = [
  'agree',
  'both_unpaid',
  'engine_later_older_underpaid',
  'engine_later_other',
  'engine_earlier_prepaid',
  'data_underpaid_engine_paid',
];

export interface InstalmentComparison {
  loanId: string;
  number: number;
  dueDay: number;
  /** The data's completing payment day − due day (may be negative); null when the data never completes it. */
  dataLatenessDays: number | null;
  /** The engine's paidOn − due date, floored at 0 (DPD never goes below 0); null when never settled. */
  engineLatenessDays: number | null;
  category: ComparisonCategory;
}

export interface GroupSummary {
  loans: number;
  instalments: number;
  /** Instalments the data completes, so a lateness exists to compare. */
  dataSettled: number;
  /** Of those, how many the engine settles with the same lateness (floored at 0). */
  exactAgreements: number;
  /** Data lateness < 0: paid before the due date; DPD reads 0. */
  earlyPayments: number;
  /** Data lateness > 0. */
  latePayments: number;
  categories: Record<ComparisonCategory, number>;
  /** Loans whose every instalment the data completes, their instalments, and how many of those agree. */
  fullyPaidLoans: number;
  fullyPaidLoanInstalments: number;
  fullyPaidLoanAgreements: number;
  /** Histogram of engine − data lateness (floored) for settled-in-both disagreements. */
  differenceDays: Record<string, number>;
}

export interface LoanResult {
  loanId: string;
  creditCard: boolean;
  /** The largest DPD the engine reported over the replay (through the loan's last day in the data). */
  maxDpd: number;
  /** The data's own largest lateness over the loan's completed instalments, floored at 0. */
  dataMaxLatenessDays: number;
}

export interface HomeCreditEvaluation {
  anchorDate: IsoDate;
  rows: number;
  instalmentLoans: GroupSummary;
  creditCardLoans: GroupSummary;
  /** Version rows merged into another version's installment (same number and due date). */
  mergedVersionRows: number;
  /** Payments cut to what the sampled loan still owed, and the amount cut (minor units, KWD). */
  paymentsCut: number;
  paymentsDropped: number;
  zeroPayments: number;
  /** Instalment numbers merged into another number's engine installment because they share its due day. */
  sharedDueDayInstalments: number;
  comparisons: InstalmentComparison[];
  loans: LoanResult[];
}

export const anchorDate: IsoDate = '2020-01-01';
const currency = 'KWD';

const rules: ServicingRules = {
  ...defaultServicingRules,
  graceDays: 0,
  // Out of reach: a charged-off loan refuses payments, and the data keeps paying long-overdue loans.
  chargeOffDpd: 1_000_000,
};

interface MergedInstalment {
  number: number;
  dueDay: number;
  amountMinor: bigint;
  payments: { day: number; amountMinor: bigint }[];
}

function emptySummary(): GroupSummary {
  const categories = Object.fromEntries(comparisonCategories.map((c) => [c, 0])) as Record<ComparisonCategory, number>;
  return {
    loans: 0,
    instalments: 0,
    dataSettled: 0,
    exactAgreements: 0,
    earlyPayments: 0,
    latePayments: 0,
    categories,
    fullyPaidLoans: 0,
    fullyPaidLoanInstalments: 0,
    fullyPaidLoanAgreements: 0,
    differenceDays: {},
  };
}

function dateOf(day: number): IsoDate {
  return addDays(anchorDate, day);
}

/** One installment per NUM_INSTALMENT_NUMBER; versions of one number are summed, their payments taken once. */
function mergeInstalments(rows: readonly InstalmentPaymentRow[]): { merged: MergedInstalment[]; mergedRows: number } {
  const byNumber = new Map<number, Map<number, InstalmentPaymentRow[]>>();
  for (const row of rows) {
    const versions = byNumber.get(row.number) ?? new Map<number, InstalmentPaymentRow[]>();
    byNumber.set(row.number, versions);
    const list = versions.get(row.version) ?? [];
    versions.set(row.version, list);
    list.push(row);
  }
  let mergedRows = 0;
  const merged: MergedInstalment[] = [];
  for (const [number, versions] of byNumber) {
    const ordered = [...versions.entries()].sort((a, b) => a[0] - b[0]);
    const first = ordered[0]![1];
    let amountMinor = 0n;
    for (const [, list] of ordered) amountMinor += parseMoney(list[0]!.dueAmount, currency).amountMinor;
    for (const [, list] of ordered.slice(1)) mergedRows += list.length;
    merged.push({
      number,
      dueDay: first[0]!.dueDay,
      amountMinor,
      payments: first.map((row) => ({
        day: row.paidDay,
        amountMinor: parseMoney(row.paidAmount, currency).amountMinor,
      })),
    });
  }
  merged.sort((a, b) => a.dueDay - b.dueDay || a.number - b.number);
  return { merged, mergedRows };
}

/** The day the data's payment rows first add up to the instalment, or null if they never do. */
function dataCompletionDay(instalment: MergedInstalment): number | null {
  let paid = 0n;
  for (const payment of [...instalment.payments].sort((a, b) => a.day - b.day)) {
    paid += payment.amountMinor;
    if (paid >= instalment.amountMinor) return payment.day;
  }
  return null;
}

/**
 * Engine installments: one per due day. Credit-card rows sometimes give two numbers the same due day; the
 * engine needs due dates that rise strictly, so they become one installment of their sum.
 */
function engineInstalments(instalments: readonly MergedInstalment[]): { dueDay: number; amountMinor: bigint }[] {
  const byDay = new Map<number, bigint>();
  for (const row of instalments) byDay.set(row.dueDay, (byDay.get(row.dueDay) ?? 0n) + row.amountMinor);
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([dueDay, amountMinor]) => ({ dueDay, amountMinor }));
}

function buildSchedule(instalments: readonly { dueDay: number; amountMinor: bigint }[]): Schedule {
  let balance = instalments.reduce((sum, row) => sum + row.amountMinor, 0n);
  const total = balance;
  return {
    currency,
    installments: instalments.map((row, index) => {
      balance -= row.amountMinor;
      return {
        number: index + 1,
        dueDate: dateOf(row.dueDay),
        principalMinor: row.amountMinor,
        interestMinor: 0n,
        feeMinor: 0n,
        totalMinor: row.amountMinor,
        balanceMinor: balance,
      };
    }),
    totals: { principalMinor: total, interestMinor: 0n, feeMinor: 0n, totalMinor: total },
    netDisbursedMinor: total,
    upfrontFeeMinor: 0n,
    apr: '0.0000',
    aprEffective: '0.0000',
  };
}

interface Counters {
  paymentsCut: number;
  paymentsDropped: number;
  zeroPayments: number;
}

function remainingMinor(state: LoanState): bigint {
  return state.installments.reduce((sum, row) => sum + scheduledOutstanding(row), 0n);
}

/** Replays one loan; returns the engine's paidOn per installment (by index) and the largest DPD seen. */
function replayLoan(
  loanId: string,
  clientId: string,
  instalments: readonly MergedInstalment[],
  counters: Counters,
): { paidOn: Map<number, IsoDate | null>; maxDpd: number } {
  const rows = engineInstalments(instalments);
  const schedule = buildSchedule(rows);
  const payments = instalments
    .flatMap((row) => row.payments.map((payment) => ({ ...payment, number: row.number })))
    .sort((a, b) => a.day - b.day || a.number - b.number);
  const firstDay = Math.min(...instalments.map((row) => row.dueDay), ...payments.map((p) => p.day));
  const lastDay = Math.max(...instalments.map((row) => row.dueDay), ...payments.map((p) => p.day));
  const disbursedOn = dateOf(firstDay - 1);
  // The terms only matter to re-amortising after a prepayment, which the replay never asks for.
  const terms = parseLoanTerms({
    principal: formatMinor(schedule.totals.principalMinor, currency),
    currency,
    annualRate: '0',
    termCount: rows.length,
    startDate: disbursedOn,
    method: 'equal_principal',
  });
  let state = openLoan({ loanId, borrowerId: clientId, schedule, terms, rules, disbursedOn }).state;
  let maxDpd = 0;
  payments.forEach((payment, index) => {
    const on = dateOf(payment.day);
    state = closeDay(state, on).state;
    maxDpd = Math.max(maxDpd, state.dpd);
    if (payment.amountMinor <= 0n) {
      counters.zeroPayments += 1;
      return;
    }
    const owed = remainingMinor(state);
    if (owed === 0n) {
      counters.paymentsDropped += 1;
      return;
    }
    let amountMinor = payment.amountMinor;
    if (amountMinor > owed) {
      counters.paymentsCut += 1;
      amountMinor = owed;
    }
    const result = applyPayment(state, { paymentId: `P${index + 1}`, amountMinor, on, source: 'import' });
    if (!result.ok) throw new Error(`${loanId}: payment ${index + 1} on ${on} refused: ${result.code}`);
    state = result.state;
    maxDpd = Math.max(maxDpd, state.dpd);
  });
  state = closeDay(state, dateOf(lastDay)).state;
  maxDpd = Math.max(maxDpd, state.dpd);
  const paidOn = new Map<number, IsoDate | null>();
  state.installments.forEach((row, index) => paidOn.set(rows[index]!.dueDay, isSettled(row) ? row.paidOn : null));
  return { paidOn, maxDpd };
}

function classify(
  dataLateness: number | null,
  engineLateness: number | null,
  olderUnderpaid: boolean,
): ComparisonCategory {
  if (dataLateness === null) return engineLateness === null ? 'both_unpaid' : 'data_underpaid_engine_paid';
  const dataFloored = Math.max(0, dataLateness);
  if (engineLateness === dataFloored) return 'agree';
  if (engineLateness !== null && engineLateness < dataFloored) return 'engine_earlier_prepaid';
  return olderUnderpaid ? 'engine_later_older_underpaid' : 'engine_later_other';
}

/** Replays every loan of the rows and compares each instalment's lateness. Pure: no I/O, no clock. */
export function evaluateHomeCredit(rows: readonly InstalmentPaymentRow[]): HomeCreditEvaluation {
  const byLoan = new Map<string, InstalmentPaymentRow[]>();
  for (const row of rows) {
    const list = byLoan.get(row.loanId) ?? [];
    byLoan.set(row.loanId, list);
    list.push(row);
  }
  const counters: Counters = { paymentsCut: 0, paymentsDropped: 0, zeroPayments: 0 };
  const instalmentLoans = emptySummary();
  const creditCardLoans = emptySummary();
  const comparisons: InstalmentComparison[] = [];
  const loans: LoanResult[] = [];
  let mergedVersionRows = 0;
  let sharedDueDayInstalments = 0;
  for (const [loanId, loanRows] of [...byLoan.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const creditCard = loanRows.some((row) => row.version === 0);
    const { merged, mergedRows } = mergeInstalments(loanRows);
    mergedVersionRows += mergedRows;
    const dueDays = new Set(merged.map((row) => row.dueDay));
    sharedDueDayInstalments += merged.length - dueDays.size;
    const summary = creditCard ? creditCardLoans : instalmentLoans;
    const { paidOn, maxDpd } = replayLoan(loanId, loanRows[0]!.clientId, merged, counters);
    summary.loans += 1;
    let olderUnderpaid = false;
    let dataMaxLatenessDays = 0;
    const loanComparisons: InstalmentComparison[] = [];
    merged.forEach((instalment) => {
      const completion = dataCompletionDay(instalment);
      const dataLateness = completion === null ? null : completion - instalment.dueDay;
      const settled = paidOn.get(instalment.dueDay) ?? null;
      const engineLateness =
        settled === null ? null : Math.max(0, toEpochDay(settled) - toEpochDay(dateOf(instalment.dueDay)));
      const category = classify(dataLateness, engineLateness, olderUnderpaid);
      if (dataLateness === null) olderUnderpaid = true;
      else dataMaxLatenessDays = Math.max(dataMaxLatenessDays, dataLateness);
      summary.instalments += 1;
      summary.categories[category] += 1;
      if (dataLateness !== null) {
        summary.dataSettled += 1;
        if (dataLateness < 0) summary.earlyPayments += 1;
        if (dataLateness > 0) summary.latePayments += 1;
        if (category === 'agree') summary.exactAgreements += 1;
        else if (engineLateness !== null) {
          const key = String(engineLateness - Math.max(0, dataLateness));
          summary.differenceDays[key] = (summary.differenceDays[key] ?? 0) + 1;
        }
      }
      loanComparisons.push({
        loanId,
        number: instalment.number,
        dueDay: instalment.dueDay,
        dataLatenessDays: dataLateness,
        engineLatenessDays: engineLateness,
        category,
      });
    });
    if (!olderUnderpaid) {
      summary.fullyPaidLoans += 1;
      summary.fullyPaidLoanInstalments += loanComparisons.length;
      summary.fullyPaidLoanAgreements += loanComparisons.filter((c) => c.category === 'agree').length;
    }
    comparisons.push(...loanComparisons);
    loans.push({ loanId, creditCard, maxDpd, dataMaxLatenessDays });
  }
  return {
    anchorDate,
    rows: rows.length,
    instalmentLoans,
    creditCardLoans,
    mergedVersionRows,
    ...counters,
    sharedDueDayInstalments,
    comparisons,
    loans,
  };
}

/** Engine max DPD per loan against the largest SK_DPD of pos_cash_balance, for loans in both files. */
export interface PosCashComparison {
  overlappingLoans: number;
  bothZero: number;
  bothPositive: number;
  bothPositiveEqual: number;
  engineOnlyPositive: number;
  posOnlyPositive: number;
}

export function comparePosCash(
  loans: readonly LoanResult[],
  posMaxDpd: ReadonlyMap<string, number>,
  figure: (loan: LoanResult) => number = (loan) => loan.maxDpd,
): PosCashComparison {
  const result: PosCashComparison = {
    overlappingLoans: 0,
    bothZero: 0,
    bothPositive: 0,
    bothPositiveEqual: 0,
    engineOnlyPositive: 0,
    posOnlyPositive: 0,
  };
  for (const loan of loans) {
    const pos = posMaxDpd.get(loan.loanId);
    if (pos === undefined) continue;
    result.overlappingLoans += 1;
    const ours = figure(loan);
    if (ours === 0 && pos === 0) result.bothZero += 1;
    else if (ours > 0 && pos > 0) {
      result.bothPositive += 1;
      if (ours === pos) result.bothPositiveEqual += 1;
    } else if (ours > 0) result.engineOnlyPositive += 1;
    else result.posOnlyPositive += 1;
  }
  return result;
}

// ---- the shell: files in, report out --------------------------------------------------------------------

/** The instalment rows of a Home Credit folder, or null when the folder does not hold them. */
export function readInstalmentRows(dataDir: string): InstalmentPaymentRow[] | null {
  const file = join(dataDir, instalmentsFileName);
  return existsSync(file) ? rowsFromCsv(readCsv(file)) : null;
}

/** Where the data sits by default: ../shared/data/homecredit next to the repository. */
export const defaultDataDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'shared',
  'data',
  'homecredit',
);
const instalmentsFileName = 'hc_subsetA_installments_payments.csv';

function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

function integerField(record: Record<string, string>, field: string, line: number): number {
  const text = record[field] ?? '';
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`row ${line}: ${field}: must be a number, got "${text}"`);
  // Day and count columns are written as floats in some exports ("-65.0").
  if (!Number.isInteger(value)) throw new Error(`row ${line}: ${field}: must be a whole number, got "${text}"`);
  return value;
}

export function rowsFromCsv(records: readonly Record<string, string>[]): InstalmentPaymentRow[] {
  return records.map((record, index) => ({
    loanId: record.SK_ID_PREV ?? '',
    clientId: record.SK_ID_CURR ?? '',
    version: integerField(record, 'NUM_INSTALMENT_VERSION', index + 2),
    number: integerField(record, 'NUM_INSTALMENT_NUMBER', index + 2),
    dueDay: integerField(record, 'DAYS_INSTALMENT', index + 2),
    paidDay: integerField(record, 'DAYS_ENTRY_PAYMENT', index + 2),
    dueAmount: record.AMT_INSTALMENT ?? '',
    paidAmount: record.AMT_PAYMENT ?? '',
  }));
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(2)} %`;
}

function printSummary(title: string, summary: GroupSummary): void {
  console.log(`\n## ${title}`);
  console.log(`loans ${summary.loans}, instalments ${summary.instalments}`);
  console.log(`completed in the data (lateness defined): ${summary.dataSettled}`);
  console.log(`  of which paid early (lateness < 0): ${summary.earlyPayments}, late (> 0): ${summary.latePayments}`);
  console.log(
    `exact agreement (engine lateness = max(0, data lateness)): ${summary.exactAgreements} / ${summary.dataSettled} = ${percent(summary.exactAgreements, summary.dataSettled)}`,
  );
  for (const category of comparisonCategories) {
    console.log(
      `  ${category.padEnd(30)} ${String(summary.categories[category]).padStart(6)}  ${percent(summary.categories[category], summary.instalments)}`,
    );
  }
  console.log(
    `loans the data pays in full: ${summary.fullyPaidLoans}; their instalments agree ${summary.fullyPaidLoanAgreements} / ${summary.fullyPaidLoanInstalments} = ${percent(summary.fullyPaidLoanAgreements, summary.fullyPaidLoanInstalments)}`,
  );
  const differences = Object.entries(summary.differenceDays).sort((a, b) => Number(a[0]) - Number(b[0]));
  const settledLater = differences.reduce((sum, [, count]) => sum + count, 0);
  const later = summary.categories.engine_later_older_underpaid + summary.categories.engine_later_other;
  console.log(
    `engine later than the data: ${later} (settled later ${settledLater}, never settled ${later - settledLater})`,
  );
  const bands: [string, number, number][] = [
    ['1–7', 1, 7],
    ['8–31', 8, 31],
    ['32–62', 32, 62],
    ['63–92', 63, 92],
    ['93–182', 93, 182],
    ['183+', 183, Number.POSITIVE_INFINITY],
  ];
  const banded = bands.map(([name, low, high]) => {
    const count = differences.filter(([d]) => Number(d) >= low && Number(d) <= high).reduce((sum, [, n]) => sum + n, 0);
    return `${name}: ${count}`;
  });
  console.log(`  engine − data lateness of those settled later, days: ${banded.join(', ')}`);
}

function main(argv: readonly string[]): void {
  const flag = argv.indexOf('--data');
  if (flag >= 0 && argv[flag + 1] === undefined) {
    console.error('--data: must name a directory');
    process.exit(2);
  }
  const dataDir = flag >= 0 ? resolve(argv[flag + 1]!) : defaultDataDir;
  const rows = readInstalmentRows(dataDir);
  if (rows === null) {
    console.log(
      `Home Credit data not found at ${join(dataDir, instalmentsFileName)}; nothing to evaluate (pass --data DIR).`,
    );
    return;
  }
  const evaluation = evaluateHomeCredit(rows);
  console.log(`# Home Credit instalments replayed through the servicing core`);
  console.log(`data: ${dataDir}`);
  console.log(`rows ${evaluation.rows}; day 0 = ${evaluation.anchorDate}; currency ${currency} (3 decimals, exact)`);
  console.log(
    `version rows merged into their number's installment: ${evaluation.mergedVersionRows}; zero payments ignored: ${evaluation.zeroPayments}`,
  );
  console.log(
    `payments cut to the sampled loan's outstanding: ${evaluation.paymentsCut}; dropped (nothing owed): ${evaluation.paymentsDropped}`,
  );
  console.log(
    `instalment numbers sharing a due day with another (one engine installment): ${evaluation.sharedDueDayInstalments}`,
  );
  printSummary('Instalment loans (NUM_INSTALMENT_VERSION ≥ 1)', evaluation.instalmentLoans);
  printSummary('Credit-card loans (NUM_INSTALMENT_VERSION 0)', evaluation.creditCardLoans);
  const posFile = join(dataDir, 'hc_subsetA_pos_cash_balance.csv');
  if (existsSync(posFile)) {
    const posMaxDpd = new Map<string, number>();
    readCsv(posFile).forEach((record, index) => {
      const loanId = record.SK_ID_PREV ?? '';
      const dpd = integerField(record, 'SK_DPD', index + 2);
      posMaxDpd.set(loanId, Math.max(posMaxDpd.get(loanId) ?? 0, dpd));
    });
    console.log(`\n## Max DPD per loan vs max SK_DPD in pos_cash_balance`);
    const figures: [string, (loan: LoanResult) => number][] = [
      ['engine max DPD', (loan) => loan.maxDpd],
      ["data's own max lateness", (loan) => loan.dataMaxLatenessDays],
    ];
    for (const [name, figure] of figures) {
      const pos = comparePosCash(evaluation.loans, posMaxDpd, figure);
      console.log(`${name}: loans in both files ${pos.overlappingLoans}`);
      console.log(`  both 0: ${pos.bothZero}; both > 0: ${pos.bothPositive} (equal: ${pos.bothPositiveEqual})`);
      console.log(`  ours > 0, pos 0: ${pos.engineOnlyPositive}; ours 0, pos > 0: ${pos.posOnlyPositive}`);
    }
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
