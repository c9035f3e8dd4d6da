// Plain-date arithmetic checked against Temporal (the reference implementation of the ISO calendar)
// over the whole supported range, plus month-end clamping and strict parsing.
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import {
  addDays,
  addMonths,
  compareDates,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  daysInYear,
  formatParts,
  fromEpochDay,
  isLeapYear,
  maxDate,
  minDate,
  parseIsoDate,
  partsOf,
  toEpochDay,
} from './date.ts';

const epoch = Temporal.PlainDate.from('1970-01-01');
const firstSupported = epoch.until('1900-01-01', { largestUnit: 'day' }).days;
const lastSupported = epoch.until('2999-12-31', { largestUnit: 'day' }).days;
const anyEpochDay = fc.integer({ min: firstSupported, max: lastSupported });
const anyDate = anyEpochDay.map((days) => epoch.add({ days }));

describe('epoch days against Temporal', () => {
  it('pins the range ends and a few known days', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('1900-01-01')).toBe(firstSupported);
    expect(toEpochDay('2999-12-31')).toBe(lastSupported);
    expect(toEpochDay('2000-03-01')).toBe(11017);
    expect(fromEpochDay(-1)).toBe('1969-12-31');
    expect(fromEpochDay(19723)).toBe('2024-01-01');
  });

  it('formats and reads parts, padding years outside four digits', () => {
    expect(formatParts({ year: 2026, month: 3, day: 9 })).toBe('2026-03-09');
    expect(formatParts({ year: 999, month: 12, day: 31 })).toBe('0999-12-31');
    expect(partsOf('2026-03-09')).toEqual({ year: 2026, month: 3, day: 9 });
    expect(partsOf('1900-12-31')).toEqual({ year: 1900, month: 12, day: 31 });
  });

  it('toEpochDay and fromEpochDay agree with Temporal and invert each other', () => {
    fc.assert(
      fc.property(anyEpochDay, (days) => {
        const reference = epoch.add({ days }).toString();
        expect(fromEpochDay(days)).toBe(reference);
        expect(toEpochDay(reference)).toBe(days);
      }),
      { numRuns: 2000 },
    );
  });

  it('addDays and daysBetween agree with Temporal', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -40_000, max: 40_000 }), (date, days) => {
        const target = date.add({ days });
        fc.pre(
          Temporal.PlainDate.compare(target, '1900-01-01') >= 0 &&
            Temporal.PlainDate.compare(target, '2999-12-31') <= 0,
        );
        expect(addDays(date.toString(), days)).toBe(target.toString());
        expect(daysBetween(date.toString(), target.toString())).toBe(date.until(target, { largestUnit: 'day' }).days);
      }),
      { numRuns: 1000 },
    );
  });

  it('addMonths agrees with Temporal, which also clamps to the month end', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -1200, max: 1200 }), (date, months) => {
        const target = date.add({ months }); // overflow 'constrain' is Temporal's default
        fc.pre(target.year >= 1900 && target.year <= 2999);
        expect(addMonths(date.toString(), months)).toBe(target.toString());
      }),
      { numRuns: 1000 },
    );
  });

  it('dayOfWeek agrees with Temporal (1 = Monday … 7 = Sunday)', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        expect(dayOfWeek(date.toString())).toBe(date.dayOfWeek);
      }),
      { numRuns: 1000 },
    );
  });

  it('month and year lengths agree with Temporal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const reference = Temporal.PlainYearMonth.from({ year, month });
        expect(daysInMonth(year, month)).toBe(reference.daysInMonth);
        expect(daysInYear(year)).toBe(reference.daysInYear);
        expect(isLeapYear(year)).toBe(reference.inLeapYear);
      }),
    );
  });
});

describe('addMonths at month ends', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'], // leap year
    ['2023-01-31', 1, '2023-02-28'],
    ['2100-01-31', 1, '2100-02-28'], // divisible by 100: not leap
    ['2000-01-31', 1, '2000-02-29'], // divisible by 400: leap
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-08-31', 1, '2024-09-30'],
    ['2024-12-31', 2, '2025-02-28'],
    ['2025-01-15', -13, '2023-12-15'],
    ['2024-10-31', 0, '2024-10-31'],
  ])('%s + %i months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('restores the anchored day of month after a short month', () => {
    // A schedule anchored on the 31st: Feb is clamped, but March is the 31st again, not the 29th.
    expect(addMonths('2024-02-29', 1)).toBe('2024-03-29');
    expect(addMonths('2024-02-29', 1, 31)).toBe('2024-03-31');
    expect(addMonths('2024-02-29', 2, 31)).toBe('2024-04-30');
  });
});

describe('parseIsoDate', () => {
  it('accepts real calendar days in 1900–2999', () => {
    for (const text of ['2024-02-29', '2000-02-29', '1900-01-01', '2999-12-31', '2022-11-01']) {
      expect(parseIsoDate(text)).toBe(text);
    }
  });

  it.each([
    ['2022-02-30', /is not a calendar date/],
    ['2023-02-29', /is not a calendar date/],
    ['1900-02-29', /is not a calendar date/],
    ['2022-13-01', /is not a calendar date/],
    ['2022-00-10', /is not a calendar date/],
    ['2022-04-31', /is not a calendar date/],
    ['2022-01-00', /is not a calendar date/],
    ['1899-12-31', /year must be between 1900 and 2999/],
    ['3000-01-01', /year must be between 1900 and 2999/],
    ['2022-2-3', /must be a date YYYY-MM-DD/],
    ['2022-02-03T00:00:00Z', /must be a date YYYY-MM-DD/],
    [' 2022-02-03', /must be a date YYYY-MM-DD/],
    ['20220203', /must be a date YYYY-MM-DD/],
    ['', /must be a date YYYY-MM-DD/],
    [20220203, /must be a date YYYY-MM-DD/],
    [null, /must be a date YYYY-MM-DD/],
  ])('refuses %j', (text, reason) => {
    let error: unknown;
    try {
      parseIsoDate(text, 'startDate');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe('startDate');
    expect((error as InputError).reason).toMatch(reason);
  });
});

describe('comparisons', () => {
  it('orders ISO strings as dates', () => {
    expect(compareDates('2024-01-31', '2024-02-01')).toBe(-1);
    expect(compareDates('2024-02-01', '2024-01-31')).toBe(1);
    expect(compareDates('2024-02-01', '2024-02-01')).toBe(0);
    expect(minDate('2025-01-01', '2024-12-31')).toBe('2024-12-31');
    expect(maxDate('2025-01-01', '2024-12-31')).toBe('2025-01-01');
  });
});
