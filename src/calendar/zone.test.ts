// The fast zone arithmetic agrees with Temporal for every instant and zone tried, DST included.
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  formatZonedInstant,
  localParts,
  parseClockTime,
  parseTimeZone,
  zonedEpochMs,
  zoneOffsetMinutes,
} from './zone.ts';

const zones = [
  'Asia/Shanghai',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
  'America/St_Johns',
];
const instants = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });

describe('zone arithmetic', () => {
  it('matches Temporal for the offset and local parts of any instant', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instants, (zone, epochMs) => {
        const zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone);
        expect(zoneOffsetMinutes(zone, epochMs)).toBe(zoned.offsetNanoseconds / 60e9);
        const parts = localParts(zone, epochMs);
        expect(parts.date).toBe(zoned.toPlainDate().toString());
        expect(parts.minuteOfDay).toBe(zoned.hour * 60 + zoned.minute);
      }),
      { numRuns: 3000 },
    );
  });

  it('maps a local wall time to the instant Temporal picks (compatible disambiguation)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instants, fc.integer({ min: 0, max: 1439 }), (zone, epochMs, minute) => {
        const date = localParts(zone, epochMs).date;
        const expected = Temporal.PlainDate.from(date)
          .toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 })
          .toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
        expect(zonedEpochMs(zone, date, minute)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('handles the day New York springs forward and falls back', () => {
    // 2026-03-08 02:30 does not exist in New York; compatible moves it to 03:30 EDT (07:30Z).
    expect(new Date(zonedEpochMs('America/New_York', '2026-03-08', 150)).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    // 2026-11-01 01:30 happens twice; compatible takes the first (EDT, 05:30Z).
    expect(new Date(zonedEpochMs('America/New_York', '2026-11-01', 90)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('formats an instant with the zone offset', () => {
    expect(formatZonedInstant('Asia/Shanghai', Date.UTC(2026, 2, 14, 1, 0))).toBe('2026-03-14T09:00:00+08:00');
    expect(formatZonedInstant('UTC', Date.UTC(2026, 2, 14, 1, 0))).toBe('2026-03-14T01:00:00Z');
    expect(formatZonedInstant('America/St_Johns', Date.UTC(2026, 0, 14, 12, 0))).toBe('2026-01-14T08:30:00-03:30');
  });

  it('names the field for bad zones and clock times', () => {
    expect(() => parseTimeZone('Mars/Olympus', 'borrowers[0].timezone')).toThrow(/borrowers\[0\]\.timezone/);
    expect(() => parseClockTime('24:00', 'steps[0].sendAt')).toThrow(/steps\[0\]\.sendAt/);
    expect(parseClockTime('09:30', 'x')).toBe(570);
  });
});
