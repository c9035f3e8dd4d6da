// The scheduler's pure decision, on golden instants: a day runs at its cut-off and never before, missed
// cut-offs are caught up oldest first up to a bound, the cut-off follows the zone across both daylight-
// saving changes (New York 2026: clocks go forward on 8 March at 02:00 EST = 07:00Z, back on 1 November at
// 02:00 EDT = 06:00Z; tz database), and the wake-up is the earliest of the next cut-off, the next contact
// and the poll bound.
import { describe, expect, it } from 'vitest';
import { decideSchedule, dueBusinessDate, type ScheduleState } from './day-schedule.ts';

const hour = 3_600_000;
const shanghai: ScheduleState = {
  nowMs: Date.parse('2026-03-10T05:59:59+08:00'),
  timezone: 'Asia/Shanghai',
  cutoffMinutes: 6 * 60,
  lastDayDate: '2026-03-09',
  nextContactAtMs: undefined,
  catchUpDaysMax: 7,
  pollMsMax: 24 * hour,
};

describe('decideSchedule', () => {
  it('runs nothing before the cut-off and wakes at it', () => {
    const decision = decideSchedule(shanghai);
    expect(decision).toEqual({
      dueDates: [],
      dispatchNow: false,
      nextDay: { businessDate: '2026-03-10', atMs: Date.parse('2026-03-10T06:00:00+08:00') },
      wakeAtMs: Date.parse('2026-03-10T06:00:00+08:00'),
    });
  });

  it('runs the date at its cut-off, then waits for the next one', () => {
    const decision = decideSchedule({ ...shanghai, nowMs: Date.parse('2026-03-10T06:00:00+08:00') });
    expect(decision.dueDates).toEqual(['2026-03-10']);
    expect(decision.nextDay).toEqual({ businessDate: '2026-03-11', atMs: Date.parse('2026-03-11T06:00:00+08:00') });
  });

  it('catches up missed cut-offs, each date in order', () => {
    const decision = decideSchedule({
      ...shanghai,
      nowMs: Date.parse('2026-03-13T07:00:00+08:00'),
      lastDayDate: '2026-03-09',
    });
    expect(decision.dueDates).toEqual(['2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']);
    expect(decision.refusal).toBeUndefined();
  });

  it('refuses a catch-up longer than its bound, and runs none of it', () => {
    const decision = decideSchedule({
      ...shanghai,
      nowMs: Date.parse('2026-03-20T07:00:00+08:00'),
      lastDayDate: '2026-03-09',
    });
    expect(decision.dueDates).toEqual([]);
    expect(decision.refusal).toBe(
      '11 business dates (2026-03-10 … 2026-03-20) have not run, more than the 7 run unattended; run them with kuan day, or raise --catch-up-days',
    );
    expect(decision.wakeAtMs).toBe(Date.parse('2026-03-21T06:00:00+08:00'));
  });

  it('starts a fresh book with the date whose cut-off last passed', () => {
    const decision = decideSchedule({ ...shanghai, lastDayDate: undefined });
    expect(decision.dueDates).toEqual(['2026-03-09']);
  });

  it('waits for the date after a book run ahead of the clock', () => {
    const decision = decideSchedule({ ...shanghai, lastDayDate: '2026-03-12' });
    expect(decision.dueDates).toEqual([]);
    expect(decision.nextDay).toEqual({ businessDate: '2026-03-13', atMs: Date.parse('2026-03-13T06:00:00+08:00') });
  });

  it('dispatches a contact that is due, and wakes for the next one before the cut-off', () => {
    const due = decideSchedule({ ...shanghai, nextContactAtMs: shanghai.nowMs - 1 });
    expect(due.dispatchNow).toBe(true);
    const later = Date.parse('2026-03-10T01:00:00Z');
    const waiting = decideSchedule({
      ...shanghai,
      nowMs: Date.parse('2026-03-10T08:00:00+08:00'),
      nextContactAtMs: later + hour,
    });
    expect(waiting.dispatchNow).toBe(false);
    expect(waiting.wakeAtMs).toBe(later + hour);
  });

  it('sleeps no longer than the poll bound', () => {
    const decision = decideSchedule({ ...shanghai, nowMs: Date.parse('2026-03-10T07:00:00+08:00'), pollMsMax: 60_000 });
    expect(decision.wakeAtMs).toBe(Date.parse('2026-03-10T07:01:00+08:00'));
  });

  describe('across daylight-saving changes (America/New_York)', () => {
    const newYork: ScheduleState = { ...shanghai, timezone: 'America/New_York', cutoffMinutes: 150 };

    it('a cut-off inside the spring-forward gap runs at the same instant as the hour before (07:30Z)', () => {
      // 03:15 EDT reads past 02:30, but 02:30 did not exist that night: the cut-off is 02:30 EST = 03:30 EDT.
      const early = decideSchedule({
        ...newYork,
        nowMs: Date.parse('2026-03-08T07:15:00Z'),
        lastDayDate: '2026-03-07',
      });
      expect(early.dueDates).toEqual([]);
      expect(early.nextDay.atMs).toBe(Date.parse('2026-03-08T07:30:00Z'));
      const onTime = decideSchedule({
        ...newYork,
        nowMs: Date.parse('2026-03-08T07:30:00Z'),
        lastDayDate: '2026-03-07',
      });
      expect(onTime.dueDates).toEqual(['2026-03-08']);
      // The next cut-off is 02:30 EDT, 23 hours later.
      expect(onTime.nextDay).toEqual({ businessDate: '2026-03-09', atMs: Date.parse('2026-03-09T06:30:00Z') });
    });

    it('a cut-off in the repeated hour of the fall-back runs once, at its first occurrence', () => {
      const fallBack: ScheduleState = { ...newYork, cutoffMinutes: 90 };
      expect(dueBusinessDate({ ...fallBack, nowMs: Date.parse('2026-11-01T05:29:59Z') })).toBe('2026-10-31');
      expect(dueBusinessDate({ ...fallBack, nowMs: Date.parse('2026-11-01T05:30:00Z') })).toBe('2026-11-01');
      // 01:45 EST, the second time the clock reads past 01:30: the date has run, nothing is due.
      const again = decideSchedule({
        ...fallBack,
        nowMs: Date.parse('2026-11-01T06:45:00Z'),
        lastDayDate: '2026-11-01',
      });
      expect(again.dueDates).toEqual([]);
      expect(again.nextDay).toEqual({ businessDate: '2026-11-02', atMs: Date.parse('2026-11-02T06:30:00Z') });
    });
  });
});
