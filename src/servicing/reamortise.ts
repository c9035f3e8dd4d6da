// Re-amortisation after a prepayment: the prepaid principal leaves the remaining schedule, which the
// schedule engine rebuilds (its rounding, its interest basis) from the reduced principal.
// - `lower_installment` keeps the number of remaining installments and their due dates; each is smaller.
// - `shorten_term` keeps the installment at or below what it was and drops installments from the end:
//   the fewest installments whose largest principal + interest does not exceed the current largest.
//   Interest-only and bullet loans always lower the installment (shortening has no meaning for them).
// Rules that keep the books whole: the interest of the period already running is owed as scheduled (the
// prepayment lowers interest from the next period on); if the prepayment falls on the period's first day
// nothing of that period has run, so its interest is rebuilt too. Installments already partly paid ahead
// stay as they are. The prepaid principal is recorded on the first rebuilt installment as due and paid,
// so the principal due over the loan always sums to the loan's principal. Installment fees stay per
// installment; the fees of dropped installments go with them. Invariant: principal outstanding falls by
// exactly the prepaid amount.
import { fromEpochDay, toEpochDay } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { buildSchedule, type LoanTerms, type Schedule } from '../schedule/index.ts';
import { ratio } from '../money/index.ts';
import { principalOutstanding } from './state.ts';
import { editAll, type InstallmentDraft, type Work } from './work.ts';

export interface Reamortised {
  installmentCount: number;
}

function untouched(row: InstallmentDraft): boolean {
  return (
    row.interestPaidMinor === 0n &&
    row.feePaidMinor === 0n &&
    row.interestWaivedMinor === 0n &&
    row.feeWaivedMinor === 0n &&
    row.principalWaivedMinor === 0n
  );
}

function scheduleFor(
  terms: LoanTerms,
  principalMinor: bigint,
  count: number,
  startDate: string,
  first: InstallmentDraft,
): Schedule {
  const graceLeft = Math.max(0, Math.min(count - 1, terms.principalGraceTerms - (first.number - 1)));
  return buildSchedule(
    {
      ...terms,
      principalMinor,
      termCount: count,
      startDate,
      firstDueDate: first.dueDate > startDate ? first.dueDate : undefined,
      principalGraceTerms: graceLeft,
      fees: [],
      // A prepayment cannot be refused because the remainder rounds coarsely (docs/servicing.md).
    },
    { degenerate: 'allow' },
  );
}

function largestPrincipalInterest(schedule: Schedule): bigint {
  let largest = 0n;
  for (const row of schedule.installments) {
    const amount = row.principalMinor + row.interestMinor;
    if (amount > largest) largest = amount;
  }
  return largest;
}

/** Takes `prepaidMinor` of principal off the installments due after `day` and rebuilds them. */
export function reamortise(work: Work, day: number, prepaidMinor: bigint): Reamortised {
  const { s } = work;
  const rows = editAll(work);
  const principalBefore = rows.reduce((sum, row) => sum + principalOutstanding(row), 0n);
  const firstFuture = rows.findIndex((row) => row.dueEpochDay > day);
  invariant(firstFuture >= 0, 'a prepayment needs installments not yet due');
  // Installments partly paid ahead (interest or fee) keep their amounts; the rebuild starts after them.
  let firstRebuilt = firstFuture;
  for (let index = rows.length - 1; index >= firstFuture; index -= 1) {
    if (!untouched(rows[index] as InstallmentDraft)) {
      firstRebuilt = index + 1;
      break;
    }
  }
  const rebuilt = rows.slice(firstRebuilt);
  const rebuiltPrincipal = rebuilt.reduce((sum, row) => sum + principalOutstanding(row), 0n);
  const applied = prepaidMinor < rebuiltPrincipal ? prepaidMinor : rebuiltPrincipal;
  // Beyond the rebuilt installments' principal, the prepayment pays the partly-paid ones' principal.
  let excess = prepaidMinor - applied;
  for (let index = firstFuture; index < firstRebuilt && excess > 0n; index += 1) {
    const row = rows[index] as InstallmentDraft;
    const paid = principalOutstanding(row) < excess ? principalOutstanding(row) : excess;
    row.principalPaidMinor += paid;
    excess -= paid;
  }
  invariant(excess === 0n, 'a prepayment cannot exceed the principal outstanding');

  const first = rebuilt[0];
  // Under a re-installment (停息分期) interest is frozen: the remaining principal re-amortises at zero.
  const terms = s.accrualFrozen === true ? { ...s.terms, annualRate: ratio(0n, 1n) } : s.terms;
  if (first !== undefined && applied > 0n) {
    const principalPaidBefore = rebuilt.reduce((sum, row) => sum + row.principalPaidMinor, 0n);
    const remaining = rebuiltPrincipal - applied;
    const periodStartDay =
      firstRebuilt === 0 ? toEpochDay(s.terms.startDate) : (rows[firstRebuilt - 1] as InstallmentDraft).dueEpochDay;
    // The first rebuilt installment's period is running when it started before today.
    const keepInterest = periodStartDay < day;
    const keptInterest = first.interestDueMinor;
    let kept: InstallmentDraft[];
    if (remaining === 0n) {
      // All principal ahead is prepaid: what remains is the running period's interest, as in a payoff.
      kept = [first];
      first.principalDueMinor = 0n;
      first.interestDueMinor = keepInterest ? keptInterest : 0n;
      first.feeDueMinor = 0n;
    } else if (s.terms.method === 'bullet') {
      // One installment carrying every period's interest: the principal falls, the interest stays.
      kept = rebuilt;
      first.principalDueMinor = remaining;
    } else {
      const startDate = fromEpochDay(periodStartDay);
      let count = rebuilt.length;
      if (s.rules.prepayment === 'shorten_term' && s.terms.method !== 'interest_only') {
        let target = 0n;
        for (const row of rebuilt) {
          const amount = principalOutstanding(row) + row.interestDueMinor;
          if (amount > target) target = amount;
        }
        // Fewest installments whose largest principal + interest stays within the current one.
        let low = 1;
        let high = rebuilt.length;
        while (low < high) {
          const middle = Math.floor((low + high) / 2);
          const fits = largestPrincipalInterest(scheduleFor(terms, remaining, middle, startDate, first)) <= target;
          if (fits) high = middle;
          else low = middle + 1;
        }
        count = low;
      }
      const schedule = scheduleFor(terms, remaining, count, startDate, first);
      kept = rebuilt.slice(0, count);
      kept.forEach((row, index) => {
        const fresh = schedule.installments[index];
        invariant(fresh !== undefined, 'the rebuilt schedule has one installment per kept installment');
        row.principalDueMinor = fresh.principalMinor;
        row.interestDueMinor = index === 0 && keepInterest ? keptInterest : fresh.interestMinor;
        row.principalPaidMinor = 0n;
      });
    }
    first.principalDueMinor += principalPaidBefore + applied;
    first.principalPaidMinor = principalPaidBefore + applied;
    for (const row of kept) row.paidOn = null;
    rows.splice(firstRebuilt, rows.length - firstRebuilt, ...kept);
  }
  const principalAfter = rows.reduce((sum, row) => sum + principalOutstanding(row), 0n);
  invariant(principalAfter === principalBefore - prepaidMinor, 'a prepayment lowers principal outstanding by itself');
  return { installmentCount: rows.length };
}
