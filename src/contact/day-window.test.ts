// The local day as instants: golden days in zones with and without DST (the instants follow the zones'
// published rules in the IANA tz database: US DST 2026 starts 8 March and ends 1 November, the EU's
// 29 March and 25 October, Brazil's 2018 start moved midnight to 01:00 on 4 November), and the hold read
// over a clock-change day, where "start + 24 h" and "next local midnight" differ.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../calendar/index.ts';
import { dayWindowOf, holdOnDay } from './day-window.ts';

const at = (iso: string): number => Date.parse(iso);
const hours = (window: { startMs: number; endMs: number }): number => (window.endMs - window.startMs) / 3_600_000;

describe('dayWindowOf: [local midnight, next local midnight)', () => {
  it.each([
    ['Asia/Shanghai', '2026-03-08', '2026-03-07T16:00:00Z', '2026-03-08T16:00:00Z', 24],
    ['America/New_York', '2026-03-07', '2026-03-07T05:00:00Z', '2026-03-08T05:00:00Z', 24],
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 23],
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 25],
    ['Europe/London', '2026-03-29', '2026-03-29T00:00:00Z', '2026-03-29T23:00:00Z', 23],
    ['Europe/London', '2026-10-25', '2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z', 25],
    // Midnight did not exist that day: the day starts at the first instant, 01:00 -02:00.
    ['America/Sao_Paulo', '2018-11-04', '2018-11-04T03:00:00Z', '2018-11-05T02:00:00Z', 23],
  ])('%s %s runs %s → %s (%i h)', (zone, date, start, end, length) => {
    const window = dayWindowOf(date, zone);
    expect(window).toEqual({ startMs: at(start), endMs: at(end) });
    expect(hours(window)).toBe(length);
  });

  it('consecutive local days tile time: one day ends where the next begins, each 23–25 h long', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 3_000 }), (zone, offset) => {
        const date = addDays('2018-01-01', offset);
        const today = dayWindowOf(date, zone);
        const tomorrow = dayWindowOf(addDays(date, 1), zone);
        expect(today.endMs).toBe(tomorrow.startMs);
        expect([23, 24, 25]).toContain(hours(today));
      }),
    );
  });
});

describe('holdOnDay: a hold counts on a local day when it is active at some instant of it', () => {
  const reason = 'illness';

  it('fall-back day (25 h): a hold from 23:30 local is on that day (start + 24 h would end at 23:00 and miss it)', () => {
    // 2026-11-01 23:30 in New York is 2026-11-02T04:30Z, after start + 24 h (2026-11-02T04:00Z).
    const holds = [{ fromMs: at('2026-11-02T04:30:00Z'), untilMs: at('2026-11-09T04:30:00Z'), reason }];
    expect(holdOnDay(holds, { date: '2026-11-01', timezone: 'America/New_York' })).toEqual({
      fromDate: '2026-11-01',
      untilDate: '2026-11-08',
    });
  });

  it('spring-forward day (23 h): a hold from 00:30 the next day is not on it (start + 24 h would reach into it)', () => {
    // 2026-03-09 00:30 in New York is 2026-03-09T04:30Z, before start + 24 h (2026-03-09T05:00Z).
    const holds = [{ fromMs: at('2026-03-09T04:30:00Z'), untilMs: at('2026-03-16T04:30:00Z'), reason }];
    expect(holdOnDay(holds, { date: '2026-03-08', timezone: 'America/New_York' })).toBeUndefined();
    expect(holdOnDay(holds, { date: '2026-03-09', timezone: 'America/New_York' })?.fromDate).toBe('2026-03-09');
  });

  it('Asia/Shanghai: a hold ending exactly at midnight does not cover the next day; its last day is the day before', () => {
    const holds = [{ fromMs: at('2026-03-20T01:00:00Z'), untilMs: at('2026-03-22T16:00:00Z'), reason }];
    const zone = 'Asia/Shanghai';
    expect(holdOnDay(holds, { date: '2026-03-22', timezone: zone })).toEqual({
      fromDate: '2026-03-20',
      untilDate: '2026-03-22',
    });
    expect(holdOnDay(holds, { date: '2026-03-23', timezone: zone })).toBeUndefined();
    expect(holdOnDay(holds, { date: '2026-03-19', timezone: zone })).toBeUndefined();
  });
});
