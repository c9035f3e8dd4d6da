// The loan document the close stores (version 2: the serviced part only, its contract apart) and the
// migration that converts version-1 documents: a state decodes back to exactly itself, the SQL conversion
// of 0002_loan_contracts writes exactly what the runner's encoder writes, and a `loan_events` outbox row
// gives back its events one by one. States come from a seeded mix of terms, rules, payments and dates.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, toEpochDay } from '../calendar/index.ts';
import {
  decodeLoanDocument,
  encodeLoanDocument,
  jsonSafe,
  LOAN_EVENTS_KIND,
  loanContractOf,
  loanEventsOf,
  prepareServicingRules,
  readLoanState,
} from './index.ts';
import { outboxRow } from './document.ts';
import { buildSchedule, parseLoanTerms } from '../schedule/index.ts';
import {
  applyPayment,
  closeDay,
  decodeInstallments,
  encodeInstallments,
  openLoan,
  parseServicingRules,
  payoffQuote,
  serializeLoanState,
  type LoanEvent,
  type LoanState,
} from '../servicing/index.ts';
import {
  loadMigrations,
  migrate,
  openTestDatabase,
  queryRows,
  upsertBorrowers,
  type TestDatabase,
} from '../store/index.ts';
import { seededRandom } from './testing.ts';

/** `count` loans with varied terms and rules, each serviced to a varied date with some payments. */
function variedStates(count: number, seed: number): { state: LoanState; lastSeq: number }[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const startDate = addDays('2026-01-01', Math.floor(random() * 60));
    const terms = parseLoanTerms({
      principal: `${500 + Math.floor(random() * 20_000)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`,
      currency: pick(['CNY', 'USD']),
      annualRate: pick(['0.12', '0.0899', '0.24']),
      termCount: 1 + Math.floor(random() * 12),
      startDate,
      method: pick(['equal_installment', 'equal_principal', 'interest_only', 'bullet']),
      daysInYear: pick([365, 360, 'actual']),
      interestBasis: pick(['periodic', 'daily']),
      fees: pick([
        [],
        [{ kind: 'per_installment', rate: '0.006', base: 'principal' }],
        [
          { kind: 'upfront', amount: '100.00' },
          { kind: 'per_installment', amount: '5.00' },
        ],
      ]),
      ...(random() < 0.2 ? { firstDueDate: addDays(startDate, 45) } : {}),
      // Terms reach into 2027, past the CN holiday data: acknowledged, as the encoding is what is tested.
      ...(random() < 0.2
        ? { businessDay: { convention: 'following', calendar: 'CN', beyondCalendar: 'weekends_only' } }
        : {}),
    });
    const rules = parseServicingRules({
      graceDays: pick([0, 3, 5]),
      penaltyAnnualRate: pick(['0', '0.18', '0.365']),
      penaltyStart: pick(['due_date', 'retroactive', 'grace_end']),
      chargeOffDpd: pick([30, 90, 180]),
      overpayment: pick(['prepay_next', 'credit_balance']),
      autoDebit: random() < 0.3,
    });
    const id = String(index).padStart(3, '0');
    let state = openLoan({
      loanId: `L${id}`,
      borrowerId: `B${id}`,
      schedule: buildSchedule(terms),
      terms,
      rules,
      disbursedOn: startDate,
    }).state;
    let lastSeq = 1;
    let date = startDate;
    for (let step = Math.floor(random() * 6); step > 0; step -= 1) {
      date = addDays(date, 1 + Math.floor(random() * 50));
      state = closeDay(state, date).state;
      lastSeq += 1;
      if (random() < 0.5) {
        // Some pay off the whole loan (mode payoff), the others part of it.
        const quote = random() < 0.2 ? payoffQuote(state, date) : undefined;
        const paid = applyPayment(state, {
          paymentId: `P${id}-${step}`,
          amountMinor: quote?.ok ? quote.quote.totalMinor : BigInt(1 + Math.floor(random() * 300_000)),
          on: date,
          source: 'manual',
          ...(quote?.ok ? { mode: 'payoff' as const } : {}),
        });
        if (paid.ok && paid.recovery !== true) {
          state = paid.state;
          lastSeq += 1;
        }
      }
    }
    // A hardship plan's frozen accrual is serviced state too (set here directly: only plans set it).
    if (random() < 0.15) state = { ...state, accrualFrozen: true };
    return { state, lastSeq };
  });
}

/** A loan as the store hands it back: JSON through and through, rules under a digest. */
function storedLoan(state: LoanState, lastSeq: number) {
  return {
    loanId: state.loanId,
    borrowerId: state.borrowerId,
    currency: state.currency,
    state: JSON.parse(JSON.stringify(encodeLoanDocument(state, lastSeq))) as unknown,
    terms: JSON.parse(JSON.stringify(loanContractOf(state).terms)) as unknown,
    rulesDigest: `rules-${state.loanId}`,
  };
}

let test: TestDatabase;
const migrated = variedStates(120, 23);

beforeAll(async () => {
  test = await openTestDatabase({ migrate: false });
  const migrations = loadMigrations();
  await migrate(test.db, migrations.slice(0, 1));
  await upsertBorrowers(
    test.db,
    migrated.map(({ state }) => ({
      borrowerId: state.borrowerId,
      name: state.borrowerId,
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: {},
    })),
  );
  // Version-1 rows, as the runner wrote them before 0002 (the whole state, contract inside).
  await insertLoansV1(test, migrated);
  await migrate(test.db, migrations.slice(0, 2));
}, 60_000);
afterAll(async () => test?.dispose());

describe('the version-2 loan document', () => {
  const states = variedStates(300, 11);

  it('covers paid, overdue, penalised, credited, closed and charged-off loans', () => {
    const all = states.map(({ state }) => state);
    expect(new Set(all.map((state) => state.status))).toEqual(new Set(['active', 'overdue', 'closed', 'charged_off']));
    expect(all.some((state) => state.creditBalanceMinor > 0n)).toBe(true);
    expect(all.some((state) => state.installments.some((row) => row.penaltyAccruedMinor > 0n))).toBe(true);
    expect(all.some((state) => state.installments.some((row) => row.paidOn !== null))).toBe(true);
    expect(all.some((state) => state.accrualFrozen === true)).toBe(true);
  });

  it('decodes every state back to exactly itself, its contract rejoined', async () => {
    const stored = states.map(({ state, lastSeq }) => storedLoan(state, lastSeq));
    const rules = states.map(({ state }) => ({
      rules_digest: `rules-${state.loanId}`,
      rules: loanContractOf(state).rules,
    }));
    await test.db.query(
      sql`INSERT INTO servicing_rules (rules_digest, rules)
          SELECT rules_digest, rules FROM jsonb_to_recordset(${JSON.stringify(rules)}::jsonb)
            AS r(rules_digest text, rules jsonb)`,
    );
    await prepareServicingRules(test.db, stored);
    states.forEach(({ state, lastSeq }, index) => {
      const decoded = decodeLoanDocument(stored[index]!);
      expect(decoded.lastSeq).toBe(lastSeq);
      expect(serializeLoanState(decoded.state)).toEqual(serializeLoanState(state));
    });
  });

  it('reads any installment list back from its compact string (property)', () => {
    const amount = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 20n }));
    const row = fc.record({
      number: fc.integer({ min: 1, max: 600 }),
      dueDate: fc.integer({ min: 0, max: 40_000 }).map((day) => addDays('1970-01-01', day)),
      amounts: fc.array(amount, { minLength: 13, maxLength: 13 }),
      becameDelinquent: fc.boolean(),
      paidOn: fc.option(
        fc.integer({ min: 0, max: 40_000 }).map((day) => addDays('1970-01-01', day)),
        { nil: null },
      ),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const installments = rows.map((r) => {
          const [pd, id, fd, pp, ip, fp, pw, iw, fw, pa, pep, pew, pae] = r.amounts as bigint[];
          return {
            number: r.number,
            dueDate: r.dueDate,
            dueEpochDay: toEpochDay(r.dueDate),
            principalDueMinor: pd!,
            interestDueMinor: id!,
            feeDueMinor: fd!,
            principalPaidMinor: pp!,
            interestPaidMinor: ip!,
            feePaidMinor: fp!,
            principalWaivedMinor: pw!,
            interestWaivedMinor: iw!,
            feeWaivedMinor: fw!,
            penaltyAccruedMinor: pa!,
            penaltyPaidMinor: pep!,
            penaltyWaivedMinor: pew!,
            penaltyAccrualExact: pae!,
            becameDelinquent: r.becameDelinquent,
            paidOn: r.paidOn,
          };
        });
        expect(decodeInstallments(encodeInstallments(installments))).toEqual(installments);
      }),
    );
  });

  it('refuses a malformed compact field, naming the installment and column', () => {
    expect(() => decodeInstallments('1|2026-02-30|100')).toThrow(/installments\[0\]\.dueDate/);
    expect(() => decodeInstallments('1|2026-02-10|100;2|2026-03-10|0100')).toThrow(
      /installments\[1\]\.principalDueMinor/,
    );
    expect(() => decodeInstallments('1|2026-02-10|100|x')).toThrow(/installments\[0\]\.interestDueMinor/);
    expect(() => decodeInstallments('1|2026-02-10||||||||||||||2')).toThrow(/installments\[0\]\.becameDelinquent/);
  });
});

describe('migration 0002 over version-1 documents', () => {
  const states = migrated;

  it('stores exactly the document the runner encodes, and the state reads back unchanged', async () => {
    for (const { state, lastSeq } of states) {
      const loan = (await readLoanState(test.db, state.loanId))!;
      expect(loan.row.state).toEqual(JSON.parse(JSON.stringify(encodeLoanDocument(state, lastSeq))));
      expect(loan.row.terms).toEqual(JSON.parse(JSON.stringify(loanContractOf(state).terms)));
      expect(loan.lastSeq).toBe(lastSeq);
      expect(serializeLoanState(loan.state)).toEqual(serializeLoanState(state));
    }
  });

  it('keeps one row per distinct rule set', async () => {
    const distinct = new Set(states.map(({ state }) => JSON.stringify(loanContractOf(state).rules)));
    const rows = await queryRows<{ count: number }>(
      test.db,
      sql`SELECT count(DISTINCT rules_digest)::int AS count FROM loans WHERE rules_digest IS NOT NULL`,
    );
    expect(rows[0]!.count).toBe(distinct.size);
  });
});

async function insertLoansV1(test: TestDatabase, states: readonly { state: LoanState; lastSeq: number }[]) {
  for (const { state, lastSeq } of states) {
    const document = JSON.stringify({ loan: serializeLoanState(state), lastSeq });
    await test.db.query(
      sql`INSERT INTO loan_directory (loan_id, borrower_id) VALUES (${state.loanId}, ${state.borrowerId})`,
    );
    await test.db.query(
      sql`INSERT INTO loans (borrower_id, loan_id, currency, status, dpd, bucket, next_event_date, closed_through,
                             borrower_hash, state)
          VALUES (${state.borrowerId}, ${state.loanId}, ${state.currency}, ${state.status}, ${state.dpd}, ${state.bucket},
                  ${state.nextEventDate}, ${state.closedThrough}, 0, ${document}::jsonb)`,
    );
  }
}

describe('loan_events outbox rows', () => {
  it('carry one step’s events and give them back one by one, with ids that do not change', () => {
    const event = (type: 'due_soon' | 'due', date: string): LoanEvent => ({
      type,
      loanId: 'L1',
      borrowerId: 'B1',
      date,
      installmentNumber: 1,
      dueDate: '2026-03-20',
      amountMinor: 44_424n,
    });
    const events = [event('due_soon', '2026-03-17'), event('due', '2026-03-20')];
    const row = outboxRow(events, { borrowerId: 'B1', loanId: 'L1', seq: 2, businessDate: '2026-03-20' })!;
    expect(row).toMatchObject({ eventId: 'L1:2026-03-20:2', kind: LOAN_EVENTS_KIND, loanId: 'L1' });
    const stored = { ...row, payload: JSON.parse(JSON.stringify(row.payload)) as unknown };
    expect(loanEventsOf(stored)).toEqual([
      { eventId: 'L1:2026-03-17:2:0:due_soon', kind: 'due_soon', payload: jsonSafe(events[0]) },
      { eventId: 'L1:2026-03-20:2:1:due', kind: 'due', payload: jsonSafe(events[1]) },
    ]);
    expect(outboxRow([], { borrowerId: 'B1', loanId: 'L1', seq: 3, businessDate: '2026-03-21' })).toBeUndefined();
  });
});
