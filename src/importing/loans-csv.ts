// Parsing and validating a loans CSV for `kuan import loans` (columns documented in the README, "Import
// CSV columns"). Pure: text in, either a plan (borrowers and loans ready to open) or the list of every
// problem, each naming its row and column. Every row is checked before anything is imported, so one bad
// row rejects the whole file. Invariants of a plan: loan ids are unique within the file; rows of one
// borrower agree on the borrower's details; every loan's terms and servicing rules parsed, and its
// schedule opens (the same buildSchedule + openLoan the store path runs).
import { parse } from 'csv-parse/sync';
import { Temporal } from 'temporal-polyfill';
import { InputError, quote } from '../errors/index.ts';
import { buildSchedule, parseLoanTerms, type LoanTerms } from '../schedule/index.ts';
import { openLoan, parseServicingRules, type ServicingRules } from '../servicing/index.ts';

export const requiredColumns = [
  'borrower_id',
  'timezone',
  'loan_id',
  'principal',
  'annual_rate',
  'term_count',
  'start_date',
] as const;

export const optionalColumns = [
  'borrower_name',
  'locale',
  'phone',
  'email',
  'product_id',
  'currency',
  'frequency_every',
  'frequency_unit',
  'first_due_date',
  'method',
  'interest_type',
  'interest_basis',
  'days_in_year',
  'grace_days',
  'penalty_annual_rate',
  'penalty_rate_multiple',
  'penalty_start',
  'auto_debit',
] as const;

export type ImportColumn = (typeof requiredColumns)[number] | (typeof optionalColumns)[number];

/** A file this large is an export gone wrong; split it. */
export const importRowsMax = 100_000;
/** How many problems the one-line report lists before "… and N more". */
export const reportedProblemsMax = 10;
export const defaultLocale = 'zh-CN';

export interface ImportProblem {
  /** The row as a spreadsheet shows it: the header is row 1, the first loan row 2. */
  row: number;
  column: string;
  reason: string;
}

export interface ImportBorrower {
  borrowerId: string;
  name: string;
  timezone: string;
  locale: string;
  contacts: { sms?: string; voice?: string; email?: string };
}

export interface ImportLoan {
  row: number;
  loanId: string;
  borrowerId: string;
  productId: string | undefined;
  terms: LoanTerms;
  rules: ServicingRules;
  /** The contract's APR (IRR, fees included), checked against the rate caps when the file is imported. */
  apr: string;
}

export interface ImportPlan {
  borrowers: ImportBorrower[];
  loans: ImportLoan[];
}

export type ValidationResult = { ok: true; plan: ImportPlan } | { ok: false; problems: ImportProblem[] };

const allColumns: readonly string[] = [...requiredColumns, ...optionalColumns];

/** Core field names (as parseLoanTerms / parseServicingRules report them) → the CSV column. */
const columnOfField: Readonly<Record<string, ImportColumn>> = {
  principal: 'principal',
  currency: 'currency',
  annualRate: 'annual_rate',
  termCount: 'term_count',
  frequency: 'frequency_unit',
  'frequency.every': 'frequency_every',
  'frequency.unit': 'frequency_unit',
  startDate: 'start_date',
  firstDueDate: 'first_due_date',
  method: 'method',
  interestType: 'interest_type',
  interestBasis: 'interest_basis',
  daysInYear: 'days_in_year',
  graceDays: 'grace_days',
  penaltyAnnualRate: 'penalty_annual_rate',
  penaltyRateMultiple: 'penalty_rate_multiple',
  penaltyStart: 'penalty_start',
  autoDebit: 'auto_debit',
  disbursedOn: 'start_date',
};

type Cells = Partial<Record<ImportColumn, string>>;

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const localePattern = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const phonePattern = /^\+?[0-9][0-9 -]{4,19}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const wholePattern = /^[0-9]{1,6}$/;

function isTimeZone(name: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name);
    return true;
  } catch {
    return false;
  }
}

/** Runs a core parser and turns its InputError into a problem at the matching column. */
function attempt<T>(row: number, problems: ImportProblem[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push({ row, column: columnOfField[error.field] ?? error.field, reason: error.reason });
    return undefined;
  }
}

function whole(cells: Cells, column: ImportColumn, row: number, problems: ImportProblem[]): number | undefined {
  const text = cells[column];
  if (text === undefined) return undefined;
  if (!wholePattern.test(text)) {
    problems.push({ row, column, reason: `must be a whole number, got ${quote(text)}` });
    return undefined;
  }
  return Number(text);
}

function termsJson(cells: Cells, row: number, problems: ImportProblem[]): Record<string, unknown> {
  const json: Record<string, unknown> = {
    principal: cells.principal,
    annualRate: cells.annual_rate,
    startDate: cells.start_date,
  };
  const termCount = whole(cells, 'term_count', row, problems);
  json.termCount = termCount ?? cells.term_count;
  if (cells.currency !== undefined) json.currency = cells.currency;
  if (cells.frequency_every !== undefined || cells.frequency_unit !== undefined) {
    json.frequency = {
      every: whole(cells, 'frequency_every', row, problems) ?? 1,
      unit: cells.frequency_unit ?? 'month',
    };
  }
  if (cells.first_due_date !== undefined) json.firstDueDate = cells.first_due_date;
  if (cells.method !== undefined) json.method = cells.method;
  if (cells.interest_type !== undefined) json.interestType = cells.interest_type;
  if (cells.interest_basis !== undefined) json.interestBasis = cells.interest_basis;
  if (cells.days_in_year !== undefined) {
    json.daysInYear = cells.days_in_year === 'actual' ? 'actual' : Number(cells.days_in_year);
  }
  return json;
}

function rulesJson(cells: Cells, row: number, problems: ImportProblem[]): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  const graceDays = whole(cells, 'grace_days', row, problems);
  if (graceDays !== undefined) json.graceDays = graceDays;
  if (cells.penalty_annual_rate !== undefined) json.penaltyAnnualRate = cells.penalty_annual_rate;
  if (cells.penalty_rate_multiple !== undefined) json.penaltyRateMultiple = cells.penalty_rate_multiple;
  if (cells.penalty_start !== undefined) json.penaltyStart = cells.penalty_start;
  if (cells.auto_debit !== undefined) {
    if (cells.auto_debit === 'true' || cells.auto_debit === 'false') json.autoDebit = cells.auto_debit === 'true';
    else problems.push({ row, column: 'auto_debit', reason: `must be true or false, got ${quote(cells.auto_debit)}` });
  }
  return json;
}

function borrowerOf(cells: Cells, row: number, problems: ImportProblem[]): ImportBorrower | undefined {
  const before = problems.length;
  const borrowerId = cells.borrower_id ?? '';
  if (!idPattern.test(borrowerId)) {
    problems.push({
      row,
      column: 'borrower_id',
      reason: `must be an id of letters, digits and . _ : -, got ${quote(borrowerId)}`,
    });
  }
  const timezone = cells.timezone ?? '';
  if (!isTimeZone(timezone)) {
    problems.push({
      row,
      column: 'timezone',
      reason: `must be an IANA time zone like "Asia/Shanghai", got ${quote(timezone)}`,
    });
  }
  const locale = cells.locale ?? defaultLocale;
  if (!localePattern.test(locale)) {
    problems.push({ row, column: 'locale', reason: `must be a language tag like "zh-CN", got ${quote(locale)}` });
  }
  const contacts: ImportBorrower['contacts'] = {};
  if (cells.phone !== undefined) {
    if (phonePattern.test(cells.phone)) {
      contacts.sms = cells.phone;
      contacts.voice = cells.phone;
    } else
      problems.push({
        row,
        column: 'phone',
        reason: `must be a phone number like "+8613800000001", got ${quote(cells.phone)}`,
      });
  }
  if (cells.email !== undefined) {
    if (emailPattern.test(cells.email)) contacts.email = cells.email;
    else problems.push({ row, column: 'email', reason: `must be an e-mail address, got ${quote(cells.email)}` });
  }
  if (problems.length > before) return undefined;
  return { borrowerId, name: cells.borrower_name ?? borrowerId, timezone, locale, contacts };
}

function sameBorrower(a: ImportBorrower, b: ImportBorrower): string | undefined {
  if (a.name !== b.name) return 'borrower_name';
  if (a.timezone !== b.timezone) return 'timezone';
  if (a.locale !== b.locale) return 'locale';
  if (a.contacts.sms !== b.contacts.sms) return 'phone';
  if (a.contacts.email !== b.contacts.email) return 'email';
  return undefined;
}

/** Reads the CSV text into header and rows; a malformed file is one InputError naming `file`. */
function readRecords(text: string, file: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputError(file, `not a valid CSV file (${detail})`);
  }
}

/**
 * Validates every row of a loans CSV. Problems with the file itself (not CSV, header, no rows, too many)
 * throw InputError naming `file`; problems with rows are returned, all of them.
 */
export function validateLoansCsv(text: string, file: string): ValidationResult {
  const [header, ...records] = readRecords(text, file);
  if (header === undefined) throw new InputError(file, 'is empty; expected a header row and loan rows');
  const seen = new Set<string>();
  for (const name of header) {
    if (!allColumns.includes(name)) {
      throw new InputError(file, `header has an unknown column ${quote(name)} (columns are listed in the README)`);
    }
    if (seen.has(name)) throw new InputError(file, `header repeats the column ${quote(name)}`);
    seen.add(name);
  }
  const missing = requiredColumns.filter((name) => !seen.has(name));
  if (missing.length > 0) throw new InputError(file, `header is missing required columns ${missing.join(', ')}`);
  if (records.length === 0) throw new InputError(file, 'has a header but no loan rows');
  if (records.length > importRowsMax) {
    throw new InputError(file, `has ${records.length} loan rows; at most ${importRowsMax} per file`);
  }

  const problems: ImportProblem[] = [];
  const borrowers = new Map<string, { borrower: ImportBorrower; row: number }>();
  const loanRows = new Map<string, number>();
  const loans: ImportLoan[] = [];
  records.forEach((record, index) => {
    const row = index + 2;
    const cells: Cells = {};
    header.forEach((name, column) => {
      const value = record[column] ?? '';
      if (value !== '') cells[name as ImportColumn] = value;
    });
    const before = problems.length;
    for (const name of requiredColumns) {
      if (cells[name] === undefined) problems.push({ row, column: name, reason: 'is required' });
    }
    if (problems.length > before) return;
    const borrower = borrowerOf(cells, row, problems);
    if (borrower) {
      const earlier = borrowers.get(borrower.borrowerId);
      const differs = earlier && sameBorrower(earlier.borrower, borrower);
      if (differs) {
        problems.push({
          row,
          column: differs,
          reason: `differs from row ${earlier.row} for borrower ${quote(borrower.borrowerId)}`,
        });
      } else if (!earlier) borrowers.set(borrower.borrowerId, { borrower, row });
    }
    const loanId = cells.loan_id as string;
    if (!idPattern.test(loanId)) {
      problems.push({
        row,
        column: 'loan_id',
        reason: `must be an id of letters, digits and . _ : -, got ${quote(loanId)}`,
      });
    } else if (loanRows.has(loanId)) {
      problems.push({ row, column: 'loan_id', reason: `repeats row ${loanRows.get(loanId)} (${quote(loanId)})` });
    } else loanRows.set(loanId, row);
    const productId = cells.product_id;
    if (productId !== undefined && !idPattern.test(productId)) {
      problems.push({
        row,
        column: 'product_id',
        reason: `must be an id of letters, digits and . _ : -, got ${quote(productId)}`,
      });
    }
    const terms = attempt(row, problems, () => parseLoanTerms(termsJson(cells, row, problems)));
    const rules = attempt(row, problems, () => parseServicingRules(rulesJson(cells, row, problems), { field: '' }));
    if (!terms || !rules || problems.length > before) return;
    const schedule = attempt(row, problems, () => buildSchedule(terms));
    if (!schedule) return;
    const opened = attempt(row, problems, () =>
      openLoan({
        loanId,
        borrowerId: cells.borrower_id as string,
        schedule,
        terms,
        rules,
        disbursedOn: terms.startDate,
      }),
    );
    if (opened) {
      loans.push({ row, loanId, borrowerId: cells.borrower_id as string, productId, terms, rules, apr: schedule.apr });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, plan: { borrowers: [...borrowers.values()].map((entry) => entry.borrower), loans } };
}

/** The one-line report: `FILE: N bad rows; row 3 principal: …; row 7 …` (the first few, then a count). */
export function problemReport(file: string, problems: readonly ImportProblem[]): InputError {
  const rows = new Set(problems.map((problem) => problem.row)).size;
  const listed = problems
    .slice(0, reportedProblemsMax)
    .map((problem) => `row ${problem.row} ${problem.column}: ${problem.reason}`);
  const more = problems.length > reportedProblemsMax ? `; … and ${problems.length - reportedProblemsMax} more` : '';
  return new InputError(
    file,
    `${rows} bad ${rows === 1 ? 'row' : 'rows'}; ${listed.join('; ')}${more}; nothing imported`,
  );
}
