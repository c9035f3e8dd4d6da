// Properties of the servicing core over random loans (method, rate, term, fees, rounding), random rules
// (grace, penalty start and base, allocation order, overpayment and prepayment modes, charge-off) and
// random sequences of day closes, payments (regular, prepayment, payoff; recoveries once a loan is charged
// off — chargeOffDpd 40 makes that common), waivers, refunds of a credit balance and reversals of both:
// - every journal entry balances, and so does the trial balance;
// - every allocation sums to its payment;
// - DPD is the days since the oldest installment still owing principal, interest or fee;
// - replaying the transactions rebuilds the incrementally built state exactly;
// - money is conserved: what was paid in is paid against the loan or held as credit; the journal's
//   receivables equal the state's outstanding amounts; principal due always sums to the principal;
// - once charged off, the net credit loss is what is still written off (charge-off − recoveries), and
//   the state's recovered amount is what the recoveries brought in; refunds come out of credit only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, toEpochDay } from '../calendar/index.ts';
import { assertBalanced, trialBalance, type JournalEntry } from '../ledger/index.ts';
import { buildSchedule, parseLoanTerms } from '../schedule/index.ts';
import { closeDay } from './close.ts';
import { replay, reversePayment, reverseRefund, type LoanTransaction } from './history.ts';
import { openLoan } from './open.ts';
import { applyPayment, payoffQuote, type PaymentMode, type PaymentResult } from './payment.ts';
import { recoveryBalance } from './recovery.ts';
import { applyRefund } from './refund.ts';
import { parseServicingRules } from './rules.ts';
import {
  feeOutstanding,
  interestOutstanding,
  isSettled,
  penaltyOutstanding,
  principalOutstanding,
  serializeLoanState,
  type LoanState,
} from './state.ts';
import { waive } from './waiver.ts';

const decimal = (minor: number): string => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

const termsArbitrary = fc.record({
  principal: fc.integer({ min: 10_000, max: 2_000_000 }).map(decimal),
  annualRate: fc.integer({ min: 0, max: 3600 }).map((bp) => (bp / 10_000).toFixed(4)),
  termCount: fc.integer({ min: 1, max: 8 }),
  startDate: fc.constantFrom('2026-01-31', '2026-03-01', '2027-02-15'),
  method: fc.constantFrom('equal_installment', 'equal_principal', 'interest_only', 'bullet'),
  frequency: fc.constantFrom({ every: 1, unit: 'month' }, { every: 2, unit: 'week' }),
  interestBasis: fc.constantFrom('periodic', 'daily'),
  rounding: fc.constantFrom({ installmentMultiple: '0.01' }, { installmentMultiple: '1' }),
  fees: fc.constantFrom([], [{ kind: 'per_installment', amount: '2.00' }], [{ kind: 'upfront', amount: '10.00' }]),
});

const rulesArbitrary = fc.record({
  graceDays: fc.integer({ min: 0, max: 5 }),
  penaltyAnnualRate: fc.constantFrom('0', '0.18', '0.2437', '0.36'),
  penaltyStart: fc.constantFrom('due_date', 'retroactive', 'grace_end'),
  penaltyBase: fc.constantFrom('overdue_principal', 'overdue_principal_interest'),
  penaltyDaysInYear: fc.constantFrom(360, 365),
  allocation: fc.record({
    order: fc.shuffledSubarray(['penalty', 'fee', 'interest', 'principal'], { minLength: 4, maxLength: 4 }),
    ordering: fc.constantFrom('installment_first', 'component_first'),
  }),
  chargeOffDpd: fc.constantFrom(40, 180),
  overpayment: fc.constantFrom('prepay_next', 'credit_balance'),
  prepayment: fc.constantFrom('shorten_term', 'lower_installment'),
  dueSoonDays: fc.integer({ min: 0, max: 4 }),
  autoDebit: fc.boolean(),
});

type Action =
  | { kind: 'close'; gapDays: number }
  | { kind: 'pay'; gapDays: number; share: number; mode: PaymentMode }
  | { kind: 'waive'; gapDays: number; component: 'penalty' | 'fee' | 'interest' | 'principal'; share: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'refund'; gapDays: number; share: number }
  | { kind: 'reverse_refund'; pick: number };

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('close' as const), gapDays: fc.integer({ min: 0, max: 45 }) }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      gapDays: fc.integer({ min: 0, max: 40 }),
      share: fc.double({ min: 0.01, max: 1.6, noNaN: true }),
      mode: fc.constantFrom<PaymentMode>('regular', 'regular', 'regular', 'prepayment', 'payoff'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('waive' as const),
      gapDays: fc.integer({ min: 0, max: 10 }),
      component: fc.constantFrom('penalty' as const, 'fee' as const, 'interest' as const, 'principal' as const),
      share: fc.double({ min: 0.05, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      gapDays: fc.integer({ min: 0, max: 10 }),
      share: fc.double({ min: 0.05, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse_refund' as const), pick: fc.nat() }) },
);

/** A rough scale for payment sizes: the first installment's total. */
function scaleOf(state: LoanState): bigint {
  const first = state.installments[0];
  return first === undefined ? 100n : first.principalDueMinor + first.interestDueMinor + first.feeDueMinor + 100n;
}

function share(amountMinor: bigint, fraction: number): bigint {
  return (amountMinor * BigInt(Math.round(fraction * 1000))) / 1000n;
}

function checkState(
  state: LoanState,
  journal: readonly JournalEntry[],
  principalMinor: bigint,
  netPaidInMinor: bigint,
  netDisbursedMinor: bigint,
  recoveries: { refundedMinor: bigint; recoveredMinor: bigint },
): void {
  // DPD: days since the oldest installment still owing principal, interest or fee.
  if (state.status !== 'charged_off') {
    const day = toEpochDay(state.closedThrough);
    const oldest = state.installments.find((row) => !isSettled(row) && row.dueEpochDay < day);
    expect(state.dpd).toBe(oldest === undefined ? 0 : day - oldest.dueEpochDay);
    expect(state.delinquent).toBe(state.dpd > state.rules.graceDays);
  }
  // Principal due always sums to the loan's principal (prepaid principal shows as due and paid).
  expect(state.installments.reduce((sum, row) => sum + row.principalDueMinor, 0n)).toBe(principalMinor);
  // Money in = money applied to the loan + credit held.
  const paid = state.installments.reduce(
    (sum, row) => sum + row.penaltyPaidMinor + row.feePaidMinor + row.interestPaidMinor + row.principalPaidMinor,
    0n,
  );
  expect(paid + state.creditBalanceMinor).toBe(netPaidInMinor - recoveries.refundedMinor);
  expect(state.recoveredMinor ?? 0n).toBe(recoveries.recoveredMinor);
  // The journal balances entry by entry and in total, and its receivables are the state's.
  for (const entry of journal) assertBalanced(entry);
  const ledger = trialBalance(journal, state.closedThrough).accounts;
  expect(ledger.cash.balanceMinor).toBe(netPaidInMinor - recoveries.refundedMinor - netDisbursedMinor);
  // Net credit loss: what the charge-off wrote off, less recoveries — exactly what is still written off.
  expect(ledger.credit_loss.balanceMinor).toBe(state.status === 'charged_off' ? recoveryBalance(state).totalMinor : 0n);
  if (state.chargedOffOn === null) expect(recoveries.recoveredMinor).toBe(0n);
  expect(ledger.borrower_credit.balanceMinor).toBe(state.creditBalanceMinor);
  const day = toEpochDay(state.closedThrough);
  const written = state.status === 'charged_off';
  const sum = (pick: (row: LoanState['installments'][number]) => bigint, dueOnly: boolean): bigint =>
    written
      ? 0n
      : state.installments.reduce((total, row) => total + (dueOnly && row.dueEpochDay > day ? 0n : pick(row)), 0n);
  expect(ledger.principal_receivable.balanceMinor).toBe(sum(principalOutstanding, false));
  expect(ledger.interest_receivable.balanceMinor).toBe(sum(interestOutstanding, true));
  expect(ledger.fee_receivable.balanceMinor).toBe(sum(feeOutstanding, true));
  expect(ledger.penalty_receivable.balanceMinor).toBe(sum(penaltyOutstanding, false));
}

function run(termsJson: Record<string, unknown>, rulesJson: Record<string, unknown>, actions: readonly Action[]): void {
  const terms = parseLoanTerms(termsJson);
  const schedule = buildSchedule(terms);
  const opened = openLoan({
    loanId: 'L',
    borrowerId: 'B',
    schedule,
    terms,
    rules: parseServicingRules(rulesJson),
    disbursedOn: terms.startDate,
  });
  const opening = opened.state;
  let state = opening;
  const journal: JournalEntry[] = [...opened.journal];
  const transactions: LoanTransaction[] = [];
  const posted = new Map<string, bigint>();
  const netPaidIn = (): bigint => [...posted.values()].reduce((sum, amount) => sum + amount, 0n);
  const recovered = new Map<string, bigint>();
  const refunded = new Map<string, bigint>();
  const totals = () => ({
    refundedMinor: [...refunded.values()].reduce((sum, amount) => sum + amount, 0n),
    recoveredMinor: [...recovered.values()].reduce((sum, amount) => sum + amount, 0n),
  });
  let sequence = 0;
  for (const action of actions) {
    sequence += 1;
    if (action.kind === 'close') {
      const result = closeDay(state, addDays(state.closedThrough, action.gapDays));
      state = result.state;
      journal.push(...result.journal);
      transactions.push(result.transaction);
    } else if (action.kind === 'pay') {
      const on = addDays(state.closedThrough, action.gapDays);
      let amountMinor = share(scaleOf(state), action.share) + 1n;
      if (action.mode === 'payoff') {
        const quote = payoffQuote(state, on);
        if (!quote.ok || quote.quote.totalMinor === 0n) continue;
        amountMinor = quote.quote.totalMinor;
      }
      const paymentId = `P${sequence}`;
      const result: PaymentResult = applyPayment(state, {
        paymentId,
        amountMinor,
        on,
        source: 'manual',
        mode: action.mode,
      });
      if (!result.ok) {
        expect(['payment_exceeds_outstanding', 'loan_closed', 'loan_charged_off']).toContain(result.code);
        continue;
      }
      const { allocation } = result;
      expect(
        allocation.penaltyMinor +
          allocation.feeMinor +
          allocation.interestMinor +
          allocation.principalMinor +
          allocation.creditBalanceMinor,
      ).toBe(amountMinor);
      if (action.mode === 'payoff') expect(result.state.status).toBe('closed');
      expect(result.recovery === true).toBe(
        result.journal.some((entry) => entry.kind === 'charge_off') || state.status === 'charged_off',
      );
      state = result.state;
      journal.push(...result.journal);
      transactions.push(result.transaction);
      posted.set(paymentId, amountMinor);
      if (result.recovery === true) recovered.set(paymentId, amountMinor);
    } else if (action.kind === 'waive') {
      const on = addDays(state.closedThrough, action.gapDays);
      const whole = waive(state, { waiverId: `W${sequence}`, on, component: action.component });
      if (!whole.ok) continue;
      const amountMinor = share(whole.waivedMinor, action.share) + 1n;
      const result = waive(state, {
        waiverId: `W${sequence}`,
        on,
        component: action.component,
        amountMinor: amountMinor > whole.waivedMinor ? whole.waivedMinor : amountMinor,
      });
      if (!result.ok) throw new Error(result.message);
      state = result.state;
      journal.push(...result.journal);
      transactions.push(result.transaction);
    } else if (action.kind === 'reverse') {
      const candidates = [...posted.keys()];
      if (candidates.length === 0) continue;
      const paymentId = candidates[action.pick % candidates.length] as string;
      const result = reversePayment(opening, transactions, state, {
        reversalId: `R${sequence}`,
        paymentId,
        on: state.closedThrough,
      });
      if (!result.ok) {
        expect(result.code).toBe('reversal_breaks_later_transactions');
        continue;
      }
      state = result.state;
      journal.push(...result.journal);
      transactions.push(result.transaction);
      posted.delete(paymentId);
      // Without the reversed payment the loan may be charged off earlier, making a later payment a
      // recovery (or the other way round): which payments are recoveries is read again from the history.
      recovered.clear();
      for (const event of replay(opening, transactions).events) {
        if (event.type === 'recovered') recovered.set(event.paymentId, event.amountMinor);
      }
    } else if (action.kind === 'refund') {
      const on = addDays(state.closedThrough, action.gapDays);
      const refundId = `F${sequence}`;
      const amountMinor = share(state.creditBalanceMinor, action.share) + 1n;
      const result = applyRefund(state, { refundId, amountMinor, on });
      if (!result.ok) {
        expect(result.code).toBe('refund_exceeds_credit_balance');
        continue;
      }
      state = result.state;
      journal.push(...result.journal);
      transactions.push(result.transaction);
      refunded.set(refundId, amountMinor);
    } else {
      const candidates = [...refunded.keys()];
      if (candidates.length === 0) continue;
      const refundId = candidates[action.pick % candidates.length] as string;
      const result = reverseRefund(opening, transactions, state, {
        reversalId: `R${sequence}`,
        refundId,
        on: state.closedThrough,
      });
      if (!result.ok) {
        expect(result.code).toBe('reversal_breaks_later_transactions');
        continue;
      }
      state = result.state;
      journal.push(...result.journal);
      transactions.push(result.transaction);
      refunded.delete(refundId);
    }
    checkState(state, journal, terms.principalMinor, netPaidIn(), schedule.netDisbursedMinor, totals());
  }
  const rebuilt = replay(opening, transactions);
  expect(JSON.stringify(serializeLoanState(rebuilt.state))).toBe(JSON.stringify(serializeLoanState(state)));
  expect(rebuilt.rejected).toEqual([]);
}

describe('servicing properties', () => {
  it('journal balances, allocations sum, DPD is exact, replay rebuilds the state, money is conserved', () => {
    fc.assert(
      fc.property(
        termsArbitrary,
        rulesArbitrary,
        fc.array(actionArbitrary, { minLength: 1, maxLength: 24 }),
        (terms, rules, actions) => {
          run(terms, rules, actions);
        },
      ),
      { numRuns: 300 },
    );
  });
});
