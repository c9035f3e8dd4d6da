// Test support for the servicing core (imported only by tests): a loan from LoanTerms JSON and rules
// JSON, a driver that closes days and posts payments, and helpers that read amounts in major units.
import { addDays } from '../calendar/index.ts';
import type { JournalEntry } from '../ledger/index.ts';
import { formatMinor, parseMoney } from '../money/index.ts';
import { buildSchedule, parseLoanTerms } from '../schedule/index.ts';
import { closeDay } from './close.ts';
import type { LoanEvent } from './events.ts';
import type { LoanTransaction } from './history.ts';
import { openLoan } from './open.ts';
import { applyPayment, type PaymentInput } from './payment.ts';
import { parseServicingRules } from './rules.ts';
import type { LoanState } from './state.ts';

/** 5,000.00 at 12 % over 18 months rounded to whole units (the contract's example): 305.00 a month. */
export const contractTerms = {
  principal: '5000.00',
  currency: 'CNY',
  annualRate: '0.12',
  termCount: 18,
  startDate: '2026-02-15',
  rounding: { mode: 'half_up', installmentMultiple: '1' },
};

export interface Book {
  opening: LoanState;
  state: LoanState;
  events: LoanEvent[];
  journal: JournalEntry[];
  transactions: LoanTransaction[];
}

export function openBook(
  terms: Record<string, unknown> = {},
  rules: Record<string, unknown> = {},
  loanId = 'L1',
): Book {
  const parsed = parseLoanTerms({ ...contractTerms, ...terms });
  const opened = openLoan({
    loanId,
    borrowerId: 'B1',
    schedule: buildSchedule(parsed),
    terms: parsed,
    rules: parseServicingRules(rules),
    disbursedOn: parsed.startDate,
  });
  return { opening: opened.state, state: opened.state, events: [], journal: [...opened.journal], transactions: [] };
}

export function close(book: Book, date: string): Book {
  const result = closeDay(book.state, date);
  book.state = result.state;
  book.events.push(...result.events);
  book.journal.push(...result.journal);
  book.transactions.push(result.transaction);
  return book;
}

/** Closes every day from the day after closedThrough to `date`, calling `each` after each day. */
export function closeEachDay(book: Book, date: string, each?: (state: LoanState) => void): Book {
  let day = addDays(book.state.closedThrough, 1);
  while (day <= date) {
    close(book, day);
    each?.(book.state);
    day = addDays(day, 1);
  }
  return book;
}

export function pay(book: Book, input: Omit<PaymentInput, 'source' | 'paymentId'> & Partial<PaymentInput>) {
  const result = applyPayment(book.state, { source: 'manual', paymentId: `P${book.transactions.length}`, ...input });
  if (result.ok) {
    book.state = result.state;
    book.events.push(...result.events);
    book.journal.push(...result.journal);
    book.transactions.push(result.transaction);
  }
  return result;
}

export function minor(text: string): bigint {
  return parseMoney(text, 'CNY').amountMinor;
}

export function major(amountMinor: bigint): string {
  return formatMinor(amountMinor, 'CNY');
}

export function eventsOf<T extends LoanEvent['type']>(book: Book, type: T): Extract<LoanEvent, { type: T }>[] {
  return book.events.filter((event): event is Extract<LoanEvent, { type: T }> => event.type === type);
}
