// Local times in a borrower's zone: the memoised fast path agrees with Temporal on ordinary days and on
// days the clocks change.
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { addDays } from './date.ts';
import { InputError } from '../errors/index.ts';
import { parseClockTime, zonedDayEndMs, zonedEpochMs } from './zone.ts';

const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'UTC'];

describe('local times', () => {
  it('09:00 in Shanghai is 01:00Z', () => {
    expect(zonedEpochMs('Asia/Shanghai', '2026-03-14', 9 * 60)).toBe(Date.UTC(2026, 2, 14, 1, 0));
  });

  it('a time in the spring-forward gap moves forward; a repeated time takes the earlier instant', () => {
    // New York, 2026-03-08: 02:00 EST → 03:00 EDT, so 02:30 is 03:30 EDT = 07:30Z.
    expect(zonedEpochMs('America/New_York', '2026-03-08', 150)).toBe(Date.UTC(2026, 2, 8, 7, 30));
    expect(zonedEpochMs('America/New_York', '2026-03-08', 600)).toBe(Date.UTC(2026, 2, 8, 14, 0));
    // 2026-11-01: 01:30 happens twice; the first is EDT (05:30Z).
    expect(zonedEpochMs('America/New_York', '2026-11-01', 90)).toBe(Date.UTC(2026, 10, 1, 5, 30));
    expect(zonedDayEndMs('America/New_York', '2026-11-01')).toBe(Date.UTC(2026, 10, 2, 5, 0) - 1);
  });

  it('agrees with Temporal for any zone, date and minute', () => {
    const dates = fc.integer({ min: 0, max: 3 * 366 }).map((offset) => addDays('2025-01-01', offset));
    fc.assert(
      fc.property(fc.constantFrom(...zones), dates, fc.integer({ min: 0, max: 1439 }), (zone, date, minutes) => {
        const expected = Temporal.PlainDate.from(date)
          .toPlainDateTime({ hour: Math.floor(minutes / 60), minute: minutes % 60 })
          .toZonedDateTime(zone).epochMilliseconds;
        expect(zonedEpochMs(zone, date, minutes)).toBe(expected);
        const start = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone });
        expect(zonedEpochMs(zone, date, 0)).toBe(start.epochMilliseconds);
        // The day ends where the next local day starts (not 24 wall-clock hours after a start moved by a gap).
        const nextStart = Temporal.PlainDate.from(date).add({ days: 1 }).toZonedDateTime({ timeZone: zone });
        expect(zonedDayEndMs(zone, date)).toBe(nextStart.epochMilliseconds - 1);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses an unknown zone with an InputError', () => {
    expect(() => zonedEpochMs('Mars/Olympus', '2026-03-14', 0)).toThrow(InputError);
  });

  it('reads HH:MM as minutes', () => {
    expect(parseClockTime('00:00', 'time')).toBe(0);
    expect(parseClockTime('09:30', 'time')).toBe(570);
    expect(parseClockTime('23:59', 'time')).toBe(1439);
  });
});
