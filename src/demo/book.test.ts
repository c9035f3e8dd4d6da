import { describe, expect, it } from 'vitest';
import { buildSchedule } from '../schedule/index.ts';
import { builtInLateness, generateDemoBook } from './book.ts';

describe('demo book', () => {
  const options = { seed: 7, loanCount: 200, startDate: '2026-03-01', lateness: builtInLateness };

  it('replays identically from its seed and differs for another seed', () => {
    const first = generateDemoBook(options);
    expect(generateDemoBook(options)).toEqual(first);
    expect(generateDemoBook({ ...options, seed: 8 }).loans).not.toEqual(first.loans);
  });

  it('disburses every loan before the start, to a known borrower and product, with payments in date order', () => {
    const book = generateDemoBook(options);
    expect(book.loans).toHaveLength(200);
    const borrowers = new Set(book.borrowers.map((b) => b.borrowerId));
    const products = new Set(book.products.map((p) => p.productId));
    for (const loan of book.loans) {
      expect(loan.disbursedOn < options.startDate).toBe(true);
      expect(borrowers.has(loan.borrowerId)).toBe(true);
      expect(products.has(loan.productId)).toBe(true);
    }
    const dates = book.payments.map((p) => p.on);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(book.payments.map((p) => p.idempotencyKey)).size).toBe(book.payments.length);
  });

  it('draws lateness from the distribution: with everyone on time, every payment falls on its due date', () => {
    const onTime = { source: 'test', outcomes: [{ daysLate: 0, weight: 1 }] };
    const book = generateDemoBook({ ...options, lateness: onTime, loanCount: 30 });
    const dueDates = new Map(
      book.loans.map((loan) => [loan.loanId, new Set(buildSchedule(loan.terms).installments.map((i) => i.dueDate))]),
    );
    expect(book.payments.length).toBeGreaterThan(book.loans.length);
    for (const payment of book.payments) expect(dueDates.get(payment.loanId)?.has(payment.on)).toBe(true);
  });
});
