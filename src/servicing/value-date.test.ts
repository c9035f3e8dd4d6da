// The value-date rule, case by case (the API's documented behaviour: "without `on`, the payment is dated
// today (or the loan's last closed date, if later); a replay keeps the first date"; dates at most 400 days
// past today or the loan's close), then as properties over random dates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, compareDates, fromEpochDay, maxDate, toEpochDay } from '../calendar/index.ts';
import { defaultValueDate, valueDate, valueDateFutureDaysMax } from './value-date.ts';

describe('valueDate', () => {
  it('without a date: today, or the loan’s close when the close is later', () => {
    expect(valueDate({ today: '2026-03-20', closedThrough: '2026-03-19' })).toEqual({ ok: true, on: '2026-03-20' });
    expect(valueDate({ today: '2026-03-20', closedThrough: '2026-03-25' })).toEqual({ ok: true, on: '2026-03-25' });
    expect(defaultValueDate({ today: '2026-03-20', closedThrough: '2026-03-20' })).toBe('2026-03-20');
  });

  it('keeps a requested date up to the limit after max(today, closedThrough), and refuses the day after', () => {
    const loan = { today: '2026-03-20', closedThrough: '2026-03-19', futureDaysMax: 10 } as const;
    expect(valueDate({ ...loan, requestedOn: '2026-03-30' })).toEqual({ ok: true, on: '2026-03-30' });
    expect(valueDate({ ...loan, requestedOn: '2026-03-31' })).toEqual({
      ok: false,
      code: 'invalid_date',
      field: 'on',
      message: 'must be on or before 2026-03-30, got "2026-03-31"',
    });
    // A close later than today moves the limit with it.
    expect(valueDate({ ...loan, closedThrough: '2026-03-25', requestedOn: '2026-04-04' })).toEqual({
      ok: true,
      on: '2026-04-04',
    });
  });

  it('names the field the caller gave (a payoff quote’s asOf)', () => {
    const refused = valueDate({
      requestedOn: '2027-06-01',
      today: '2026-03-20',
      closedThrough: '2026-03-20',
      futureDaysMax: valueDateFutureDaysMax,
      field: 'asOf',
    });
    expect(refused).toMatchObject({
      ok: false,
      field: 'asOf',
      message: 'must be on or before 2027-04-24, got "2027-06-01"',
    });
  });

  it('without a limit, keeps any requested date; without today, counts the limit from the date itself', () => {
    expect(valueDate({ requestedOn: '2040-01-01', today: '2026-03-20', closedThrough: '2026-03-20' })).toEqual({
      ok: true,
      on: '2040-01-01',
    });
    expect(valueDate({ requestedOn: '2040-01-01', closedThrough: '2026-03-20', futureDaysMax: 0 })).toEqual({
      ok: true,
      on: '2040-01-01',
    });
  });

  it('leaves a date before the close to the payment, which refuses it with the loan in hand', () => {
    expect(valueDate({ requestedOn: '2026-03-01', today: '2026-03-20', closedThrough: '2026-03-19' })).toEqual({
      ok: true,
      on: '2026-03-01',
    });
  });

  it('a repeat keeps the first answer’s date, unchecked, unless it names one', () => {
    const repeat = {
      today: '2026-09-01',
      closedThrough: '2026-08-31',
      futureDaysMax: 0,
      firstOn: '2026-03-20',
    } as const;
    expect(valueDate(repeat)).toEqual({ ok: true, on: '2026-03-20' });
    expect(valueDate({ ...repeat, requestedOn: '2026-12-01' })).toEqual({ ok: true, on: '2026-12-01' });
  });

  it('without a date and without today is a bug in the caller', () => {
    expect(() => valueDate({ closedThrough: '2026-03-20' })).toThrow(/today/);
  });
});

const dateArbitrary = fc.integer({ min: toEpochDay('2020-01-01'), max: toEpochDay('2035-12-31') }).map(fromEpochDay);

describe('valueDate properties', () => {
  it('an undated request is never dated before today or the close; a dated one is kept or refused by the limit', () => {
    fc.assert(
      fc.property(
        dateArbitrary,
        dateArbitrary,
        fc.option(dateArbitrary, { nil: undefined }),
        fc.integer({ min: 0, max: 800 }),
        (today, closedThrough, requestedOn, futureDaysMax) => {
          const result = valueDate({ today, closedThrough, requestedOn, futureDaysMax });
          if (requestedOn === undefined) {
            expect(result).toEqual({ ok: true, on: maxDate(today, closedThrough) });
            return;
          }
          const latest = addDays(maxDate(today, closedThrough), futureDaysMax);
          if (compareDates(requestedOn, latest) <= 0) expect(result).toEqual({ ok: true, on: requestedOn });
          else expect(result).toMatchObject({ ok: false, code: 'invalid_date', field: 'on' });
        },
      ),
    );
  });
});
