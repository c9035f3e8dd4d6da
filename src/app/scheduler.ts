// The production scheduler: runs the lender's day (runDay) at each business date's cut-off in the lender's
// zone, catching up missed dates in order, and dispatches contacts continuously as their send times come
// (quiet hours, caps and holds are checked by dispatch at the instant of sending). What is due is decided
// purely (calendar/day-schedule.ts) from the clock and the store; this file gathers that state, acts on the
// decision and sleeps until the next instant that matters.
//
// Several processes may run it on one PostgreSQL database. Invariants: the day's work runs in one process
// at a time (the DayQueue: pg-boss on PostgreSQL, in-process on PGlite), and within it each stage in one
// process at a time (runDay's stage claims), so no stage of a date ever runs twice at once and a completed
// stage never runs again; dispatch needs neither, since every contact is claimed by one dispatcher. The
// clock is passed in, so tests drive the same loop with a virtual clock. Each round and each stage of a day
// writes the process's heartbeat (scheduler_heartbeats, by workerId), which readiness reads: a round is at
// most pollMsMax apart, so a heartbeat older than SCHEDULER_HEARTBEAT_STALE_MS means a stuck or dead loop
// (or one stage running longer than that).
import { decideSchedule, type IsoDate, type ScheduleDecision } from '../calendar/index.ts';
import type { Strategy } from '../contact/index.ts';
import {
  lastCompletedDayDate,
  lastCompletedEodRun,
  nextClaimableContactAt,
  recordSchedulerBeat,
  type Database,
} from '../store/index.ts';
import { activeStrategy } from './approvals.ts';
import {
  dayStages,
  dispatchChannels,
  dispatchDueContacts,
  DayStoppedError,
  runDay,
  type DayOptions,
  type DayStageReport,
} from './day.ts';

/** The scheduler's clock: the wall clock in production, a virtual one in tests. */
export interface SchedulerClock {
  nowMs(): number;
  /** Resolves at `atMs`, or as soon as the signal is aborted. */
  sleepUntil(atMs: number, signal: AbortSignal): Promise<void>;
}

/** Runs the day's work in at most one process at a time. */
export interface DayQueue {
  /** What carries the exclusion, for the log. */
  readonly name: string;
  /** Runs `work` and resolves true, or resolves false without running it while another process runs it. */
  exclusive(work: () => Promise<void>): Promise<boolean>;
  close(): Promise<void>;
}

/** What the scheduler writes: one JSON line per event (pino's calling convention). */
export interface SchedulerLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface SchedulerOptions extends Pick<
  DayOptions,
  'db' | 'timezone' | 'cutoffMinutes' | 'policy' | 'adapters' | 'secret' | 'sinks' | 'workerId' | 'provider'
> {
  clock: SchedulerClock;
  queue: DayQueue;
  log: SchedulerLog;
  /** The strategy for planning; default: the one in force when each date runs. */
  strategy?: Strategy;
  /** Missed dates run unattended at most (default 7). */
  catchUpDaysMax?: number;
  /** The longest sleep (default one minute): contacts planned by others are noticed at least this often. */
  pollMsMax?: number;
  /** After a failed day, the wait before it is tried again (default one minute). */
  retryMs?: number;
}

export interface RunningScheduler {
  /** Graceful stop: the current stage stops after its page (or ends), nothing new starts; resolves when idle. */
  stop(): Promise<void>;
  /** Resolves when the loop has ended (after stop, or never otherwise). */
  readonly done: Promise<void>;
}

export const SCHEDULER_CATCH_UP_DAYS_DEFAULT = 7;
/** Readiness calls a scheduler stuck when its last heartbeat is older than this (rounds are ≤ 1 min apart). */
export const SCHEDULER_HEARTBEAT_STALE_MS = 5 * 60_000;
const pollMsMaxDefault = 60_000;
const retryMsDefault = 60_000;
/** When dispatch left claimable contacts (its batches are bounded), the next round comes this soon. */
const dispatchAgainMs = 1_000;

/** The wall clock: setTimeout in slices (a timer cannot wait longer than about 24.8 days). */
export const wallClock: SchedulerClock = {
  nowMs: () => Date.now(),
  sleepUntil(atMs, signal) {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, Math.min(atMs - Date.now(), 2 ** 31 - 1)));
      signal.addEventListener('abort', wake, { once: true });
    });
  },
};

/** Starts the loop; it runs until stopped. */
export function startScheduler(options: SchedulerOptions): RunningScheduler {
  const controller = new AbortController();
  const { signal } = controller;
  const { log } = options;
  let lastRefusal: string | undefined;

  /** The heartbeat; a failure to write it is logged, never a reason to stop the round. */
  const beat = async (): Promise<void> => {
    try {
      await recordSchedulerBeat(options.db, { workerId: options.workerId, atMs: options.clock.nowMs() });
    } catch (error) {
      log.warn({ error: error instanceof Error ? error.message : String(error) }, 'heartbeat not recorded');
    }
  };

  const decide = async (): Promise<ScheduleDecision> => {
    const nowMs = options.clock.nowMs();
    const pollMsMax = options.pollMsMax ?? pollMsMaxDefault;
    return decideSchedule({
      nowMs,
      timezone: options.timezone,
      cutoffMinutes: options.cutoffMinutes,
      lastDayDate: await lastDayDate(options.db),
      nextContactAtMs: await nextClaimableContactAt(options.db, {
        throughMs: nowMs + pollMsMax,
        channels: dispatchChannels(options.adapters),
      }),
      catchUpDaysMax: options.catchUpDaysMax ?? SCHEDULER_CATCH_UP_DAYS_DEFAULT,
      pollMsMax,
    });
  };

  const runDueDays = async (): Promise<void> => {
    // Decided again inside the exclusion: another process may have run the dates meanwhile.
    const { dueDates } = await decide();
    for (const businessDate of dueDates) {
      if (signal.aborted) return;
      const reports = await runOneDay(businessDate);
      if (reports.at(-1)?.status === 'busy' || reports.length < dayStages.length) return;
    }
  };

  const runOneDay = async (businessDate: IsoDate): Promise<DayStageReport[]> => {
    log.info({ businessDate, queue: options.queue.name }, 'day starting');
    return runDay({
      db: options.db,
      businessDate,
      nowMs: options.clock.nowMs(),
      timezone: options.timezone,
      cutoffMinutes: options.cutoffMinutes,
      policy: options.policy,
      strategy: options.strategy ?? (await activeStrategy(options.db)),
      adapters: options.adapters,
      secret: options.secret,
      sinks: options.sinks,
      workerId: options.workerId,
      ...(options.provider ? { provider: options.provider } : {}),
      signal,
      // A missed date is caught up now: its messages are judged at the instant they are really sent.
      dispatchAtNowOnly: true,
      onStage: (report) => {
        (report.status === 'busy' ? log.warn : log.info).call(
          log,
          { ...report },
          report.status === 'busy' ? 'day stage running in another process' : 'day stage',
        );
        void beat();
      },
    });
  };

  // A day that failed is tried again after retryMs; dispatch goes on meanwhile (a broken event sink must
  // not hold back the reminders).
  let dayRetryAtMs = -Infinity;

  const runDaysIfDue = async (decision: ScheduleDecision): Promise<void> => {
    if (decision.dueDates.length === 0 || options.clock.nowMs() < dayRetryAtMs) return;
    try {
      const ran = await options.queue.exclusive(runDueDays);
      if (!ran) log.info({ dueDates: decision.dueDates }, 'day running in another process');
    } catch (error) {
      if (error instanceof DayStoppedError && signal.aborted) throw error;
      const retryMs = options.retryMs ?? retryMsDefault;
      dayRetryAtMs = options.clock.nowMs() + retryMs;
      log.error({ error: error instanceof Error ? error.message : String(error), retryMs }, 'day failed');
    }
  };

  const tick = async (): Promise<number> => {
    await beat();
    const before = await decide();
    if (before.refusal !== lastRefusal) {
      if (before.refusal !== undefined) log.error({ refusal: before.refusal }, 'catch-up refused');
      lastRefusal = before.refusal;
    }
    await runDaysIfDue(before);
    if (!signal.aborted) {
      const totals = await dispatchDueContacts({ ...options, signal, nowMs: options.clock.nowMs() });
      if (totals.claimed > 0) log.info({ ...totals }, 'dispatched');
    }
    const after = await decide();
    const nowMs = options.clock.nowMs();
    const wakes = [after.wakeAtMs];
    if (after.dispatchNow) wakes.push(nowMs + dispatchAgainMs);
    // Days still due (failed, or run by another process): look again after the retry interval.
    if (after.dueDates.length > 0) wakes.push(Math.max(dayRetryAtMs, nowMs + (options.retryMs ?? retryMsDefault)));
    return Math.min(...wakes);
  };

  const done = (async () => {
    log.info(
      { timezone: options.timezone, cutoffMinutes: options.cutoffMinutes, queue: options.queue.name },
      'scheduler started',
    );
    while (!signal.aborted) {
      let wakeAtMs: number;
      try {
        wakeAtMs = await tick();
      } catch (error) {
        if (error instanceof DayStoppedError && signal.aborted) break;
        const retryMs = options.retryMs ?? retryMsDefault;
        log.error({ error: error instanceof Error ? error.message : String(error), retryMs }, 'scheduler round failed');
        wakeAtMs = options.clock.nowMs() + retryMs;
      }
      if (signal.aborted) break;
      await options.clock.sleepUntil(wakeAtMs, signal);
    }
    log.info({}, 'scheduler stopped');
  })();

  return {
    done,
    stop() {
      controller.abort();
      return done;
    },
  };
}

/** The last business date whose whole day completed; before any day ran, the last date the close completed. */
async function lastDayDate(db: Database): Promise<IsoDate | undefined> {
  return (
    (await lastCompletedDayDate(db, { lastStage: dayStages.at(-1)! })) ?? (await lastCompletedEodRun(db))?.businessDate
  );
}
