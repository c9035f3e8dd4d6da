// `kuan import loans FILE.csv`: a good file lands whole (borrowers, loans with opening state, journal
// and transaction seq 1); a file with bad rows is rejected whole with a row-and-column report and leaves
// the database untouched; importing the same loan ids again is refused.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { importLoansCsv, validateLoansCsv } from '../../src/importing/index.ts';
import { getBorrower, getLoan, openTestDatabase, queryRows, type TestDatabase } from '../../src/store/index.ts';
import { expectBadInput, repoRoot, type CliResult } from '../cli/support.ts';

/** `node bin/kuan.js` with the embedded database in `dataDir` (never a shared DATABASE_URL). */
function runBinary(argv: string[], dataDir: string): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', KUAN_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const result = spawnSync(process.execPath, ['bin/kuan.js', ...argv], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const header =
  'borrower_id,borrower_name,timezone,locale,phone,email,loan_id,principal,currency,annual_rate,term_count,frequency_unit,start_date,method,grace_days,penalty_annual_rate,auto_debit';
const good = [
  header,
  'B1,王芳,Asia/Shanghai,zh-CN,+8613800000001,b1@example.com,L1,5000.00,CNY,0.12,12,month,2026-01-15,equal_installment,3,0.18,false',
  'B1,王芳,Asia/Shanghai,zh-CN,+8613800000001,b1@example.com,L2,1200.00,CNY,0.10,6,month,2026-02-01,equal_principal,,,',
  'B2,Ana Reyes,America/New_York,en-US,,,L3,800.00,USD,0.2,4,week,2026-02-10,bullet,0,,true',
].join('\n');

/** Row 2 above the warning line (24 %), row 3 above the refusal line (36 %), row 4 at 40 % in USD (no default caps). */
const priced = (refusedRate: string) =>
  [
    header,
    'B7,Zhao Min,Asia/Shanghai,zh-CN,,,LP1,10000.00,CNY,0.30,12,month,2026-01-15,equal_installment,,,',
    `B7,Zhao Min,Asia/Shanghai,zh-CN,,,LP2,10000.00,CNY,${refusedRate},12,month,2026-01-15,equal_installment,,,`,
    'B8,Ana Reyes,America/New_York,en-US,,,LP3,800.00,USD,0.40,12,month,2026-02-10,equal_installment,,,',
  ].join('\n');

const bad = [
  header,
  'B1,王芳,Asia/Shanghai,zh-CN,+8613800000001,b1@example.com,L1,0,CNY,0.12,12,month,2026-01-15,equal_installment,3,0.18,false',
  'B1,王芳,Asia/Shanghai,zh-CN,+8613800000001,b1@example.com,L2,1200.00,CNY,0.10,6,month,2026-02-01,sideways,,,',
  'B2,Ana Reyes,Mars/Base,en-US,,,L2,800.00,USD,0.2,4,week,2026-02-10,bullet,0,,true',
  'B3,Li Lei,Asia/Shanghai,zh-CN,,,L4,900.00,CNY,0.1,x,month,2026-02-10,,,,',
].join('\n');

async function count(test: TestDatabase, table: string): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(test.db, sql.raw(`SELECT count(*) AS n FROM ${table}`));
  return Number(rows[0]?.n ?? 0);
}

function rejection(error: unknown): string {
  if (error instanceof InputError) return error.message;
  throw error;
}

describe('import loans into the store', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase();
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('rejects a file with bad rows whole, naming each row and column, and imports nothing', async () => {
    const message = await importLoansCsv(test.db, bad, 'bad.csv').then(
      () => 'imported',
      (error: unknown) => rejection(error),
    );
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^bad\.csv: 4 bad rows; /);
    expect(message).toContain('row 2 principal: must be positive, got "0"');
    expect(message).toContain('row 3 method: must be one of');
    expect(message).toContain('row 4 timezone:');
    expect(message).toContain('row 4 loan_id: repeats row 3');
    expect(message).toContain('row 5 term_count: must be a whole number, got "x"');
    expect(message).toContain('nothing imported');
    expect(await count(test, 'loans')).toBe(0);
    expect(await count(test, 'borrowers')).toBe(0);
  });

  it('imports a good file in one go: borrowers, loans, opening journal and transaction', async () => {
    expect(await importLoansCsv(test.db, good, 'good.csv')).toEqual({ borrowers: 2, loans: 3, warnings: [] });
    expect(await getBorrower(test.db, 'B1')).toMatchObject({
      name: '王芳',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: { sms: '+8613800000001', voice: '+8613800000001', email: 'b1@example.com' },
    });
    const loan = await getLoan(test.db, 'L3');
    expect(loan).toMatchObject({ borrowerId: 'B2', currency: 'USD', status: 'active', bucket: 'M0' });
    expect(await count(test, 'loans')).toBe(3);
    const opening = await queryRows<{ seq: number }>(
      test.db,
      sql`SELECT seq FROM loan_transactions WHERE loan_id = 'L1'`,
    );
    expect(opening.map((row) => Number(row.seq))).toEqual([1]);
    expect(await count(test, 'journal_entries')).toBeGreaterThanOrEqual(3);
  });

  it('refuses to import the same loan ids again, changing nothing', async () => {
    const message = await importLoansCsv(test.db, good, 'good.csv').then(
      () => 'imported',
      (error: unknown) => rejection(error),
    );
    expect(message).toMatch(/^good\.csv: 3 bad rows; row 2 loan_id: L1 already exists in the database/);
    expect(await count(test, 'loans')).toBe(3);
  });
});

describe('import loans: rate caps', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase();
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('rejects a file with a loan above the refusal line, naming the row and annual_rate, and imports nothing', async () => {
    const message = await importLoansCsv(test.db, priced('0.412'), 'priced.csv').then(
      () => 'imported',
      (error: unknown) => rejection(error),
    );
    expect(message).toBe(
      'priced.csv: 1 bad row; row 3 annual_rate: APR 41.39 % is above the refusal line 36 % (cn-2026 pricing); nothing imported',
    );
    expect(await count(test, 'loans')).toBe(0);
  });

  it('imports loans above the warning line and lists them in the summary; other currencies are uncapped', async () => {
    expect(await importLoansCsv(test.db, priced('0.25'), 'priced.csv')).toEqual({
      borrowers: 2,
      loans: 3,
      warnings: [
        { row: 2, column: 'annual_rate', reason: 'APR 30.13 % is above the warning line 24 % (cn-2026 pricing)' },
        { row: 3, column: 'annual_rate', reason: 'APR 25.11 % is above the warning line 24 % (cn-2026 pricing)' },
      ],
    });
    expect(await count(test, 'loans')).toBe(3);
  });
});

describe('import loans: penalty_rate_multiple', () => {
  const withMultiple =
    'borrower_id,timezone,loan_id,principal,annual_rate,term_count,start_date,penalty_annual_rate,penalty_rate_multiple';

  it('reads the penalty as a multiple of the contract rate', () => {
    const result = validateLoansCsv(`${withMultiple}\nB1,Asia/Shanghai,L1,5000.00,0.12,12,2026-01-15,,1.5\n`, 'f.csv');
    expect(result.ok).toBe(true);
    const rules = result.ok ? result.plan.loans[0]?.rules : undefined;
    expect(rules?.penaltyRateMultiple).toEqual({ numerator: 3n, denominator: 2n });
  });

  it('refuses a row giving both the multiple and the annual rate, naming the column', () => {
    const result = validateLoansCsv(
      `${withMultiple}\nB1,Asia/Shanghai,L1,5000.00,0.12,12,2026-01-15,0.18,1.5\n`,
      'f.csv',
    );
    expect(result.ok ? [] : result.problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'penalty_rate_multiple',
        reason: expect.stringMatching(/^cannot be set together with penaltyAnnualRate/),
      }),
    ]);
  });
});

describe('import loans: the file itself', () => {
  it('names unknown and missing header columns', () => {
    expect(() => validateLoansCsv(`${header},colour\n`, 'f.csv')).toThrow(
      /^f\.csv: header has an unknown column "colour"/,
    );
    expect(() => validateLoansCsv('borrower_id,loan_id\nB1,L1\n', 'f.csv')).toThrow(
      /^f\.csv: header is missing required columns timezone, principal, annual_rate, term_count, start_date/,
    );
  });
});

describe('kuan import loans through the real binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kuan-import-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a good file into the embedded database, then refuses it the second time with exit 2', () => {
    const file = join(dir, 'loans.csv');
    writeFileSync(file, good);
    const dataDir = join(dir, 'data');
    const first = runBinary(['import', 'loans', file], dataDir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${file}: imported 3 loans of 2 borrowers\n`);
    expectBadInput(runBinary(['import', 'loans', file], dataDir), file, expect);
  });

  it('refuses a loan above the refusal line with exit 2, and reports warnings after the summary', () => {
    const dataDir = join(dir, 'priced');
    const refusedFile = join(dir, 'refused.csv');
    writeFileSync(refusedFile, priced('0.412'));
    const refused = runBinary(['import', 'loans', refusedFile], dataDir);
    expectBadInput(refused, refusedFile, expect);
    expect(refused.stderr).toContain('row 3 annual_rate: APR 41.39 % is above the refusal line 36 % (cn-2026 pricing)');
    const warnedFile = join(dir, 'warned.csv');
    writeFileSync(warnedFile, priced('0.235'));
    const warned = runBinary(['import', 'loans', warnedFile], dataDir);
    expect(warned.stderr).toBe('');
    expect(warned.code).toBe(0);
    expect(warned.stdout).toBe(
      `${warnedFile}: imported 3 loans of 2 borrowers; 1 warning\n` +
        `${warnedFile}: warning: row 2 annual_rate: APR 30.13 % is above the warning line 24 % (cn-2026 pricing)\n`,
    );
  });

  it('rejects a bad file with one line naming rows and columns, before any database is created', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, bad);
    const dataDir = join(dir, 'untouched');
    const result = runBinary(['import', 'loans', file], dataDir);
    expectBadInput(result, file, expect);
    expect(result.stderr).toContain('4 bad rows; row 2 principal: must be positive, got "0"');
    expect(existsSync(dataDir)).toBe(false);
  });
});
