// The value date: the date a payment (or a payoff quote, or anything else dated against a loan) is taken
// on. One rule for every caller (the API, the application commands, the borrower portal):
// - a date the caller gives is kept, but not later than max(today, the loan's closedThrough) +
//   futureDaysMax when a limit is set, so no request can make the core replay a loan for centuries;
// - without one, the date is today or the loan's closedThrough, whichever is later (a loan the close has
//   carried past today is never dated back into days already closed);
// - a repeat of a request already answered keeps the first answer's date, unchecked: it was checked then.
// A date before closedThrough is not refused here: applyPayment refuses it (`payment_date_before_close`),
// and payoffQuote (`quote_date_before_close`), with the loan as it is. Refusals are values naming the field.
import { addDays, compareDates, maxDate, type IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';

/** The limit callers outside the bank may date ahead: days after max(today, closedThrough). */
export const valueDateFutureDaysMax = 400;

export interface ValueDateInput {
  /** The date the caller asked for, if any. */
  requestedOn?: IsoDate | undefined;
  /** The caller's calendar date; required without `requestedOn` and `firstOn`. */
  today?: IsoDate | undefined;
  /** The loan's last closed date. */
  closedThrough: IsoDate;
  /** When set, a requested date may be at most this many days after max(today, closedThrough). */
  futureDaysMax?: number | undefined;
  /** The date the first answer under the same idempotency key was given, when this is a repeat. */
  firstOn?: IsoDate | undefined;
  /** The input field a refusal names; default `on`. */
  field?: string;
}

/** A refusal in the application layer's shape (src/app/result.ts `Refusal`). */
export interface ValueDateRefusal {
  ok: false;
  code: 'invalid_date';
  message: string;
  field: string;
}

export type ValueDateResult = { ok: true; on: IsoDate } | ValueDateRefusal;

/** The date of a request that names none: today, or the loan's closedThrough when that is later. */
export function defaultValueDate(loan: { today: IsoDate; closedThrough: IsoDate }): IsoDate {
  return maxDate(loan.today, loan.closedThrough);
}

/** Decides the value date; see the module comment. */
export function valueDate(input: ValueDateInput): ValueDateResult {
  const { requestedOn, today, closedThrough, futureDaysMax, firstOn } = input;
  if (firstOn !== undefined) return { ok: true, on: requestedOn ?? firstOn };
  if (requestedOn === undefined) {
    invariant(today !== undefined, 'a value date without a requested date needs today');
    return { ok: true, on: defaultValueDate({ today, closedThrough }) };
  }
  if (futureDaysMax !== undefined) {
    invariant(Number.isInteger(futureDaysMax) && futureDaysMax >= 0, 'futureDaysMax is a whole number of days');
    const latest = addDays(maxDate(today ?? requestedOn, closedThrough), futureDaysMax);
    if (compareDates(requestedOn, latest) > 0) {
      return {
        ok: false,
        code: 'invalid_date',
        field: input.field ?? 'on',
        message: `must be on or before ${latest}, got "${requestedOn}"`,
      };
    }
  }
  return { ok: true, on: requestedOn };
}
