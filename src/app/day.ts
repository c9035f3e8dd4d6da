// The lender's whole day for one business date, in order: the daily close; hardship plans and promises
// judged; collection cases refreshed and assigned; complaint-deadline alerts; the day's contacts planned;
// dispatch; events published. Invariants: each stage is idempotent in itself and recorded per (date,
// stage) in day_runs, so a completed stage is skipped when the day is run again and a stage killed
// part-way is run once more; a later stage never runs before an earlier one has completed for the date.
// Across processes a stage runs in one at a time: its claim (withDayStageClaim) is held while it runs, and
// a run that finds a stage claimed elsewhere stops there with that stage `busy` (the holder finishes it).
//
// Time: the day runs at the lender's cut-off on D (a local time in the lender's zone). A live run uses the
// wall clock; a replay of a past date runs each stage at the cut-off instant and then walks the dispatch
// clock through every send time up to the next day's cut-off, so replaying dates one by one sends what a
// live system would have sent, each message gated at the instant it would have gone.
import { addDays, dayCutoffMs, type IsoDate } from '../calendar/index.ts';
import type { ChannelAdapter, EventSink, PaymentProvider } from '../channels/index.ts';
import { contactChannels, type ContactChannel, type PolicyPack, type Strategy } from '../contact/index.ts';
import { invariant } from '../errors/index.ts';
import {
  finishDayStage,
  getDayStage,
  nextClaimableContactAt,
  startDayStage,
  withDayStageClaim,
  type Database,
  type DayRunRow,
} from '../store/index.ts';
import { alertComplaintBreaches, refreshCases } from './workbench.ts';
import { dispatchContacts, planContacts, type DispatchContactsStats, type PlanContactsStats } from './contacts.ts';
import { runDailyClose } from './close.ts';
import { judgePlans } from './hardship.ts';
import { publishEvents } from './publish-events.ts';

export const dayStages = ['close', 'plans', 'cases', 'complaints', 'contacts', 'dispatch', 'events'] as const;
export type DayStage = (typeof dayStages)[number];

export interface DayOptions {
  db: Database;
  businessDate: IsoDate;
  /** The instant the day is run (the wall clock in production). */
  nowMs: number;
  /** The lender's zone and local cut-off (minutes after midnight) at which a business date's day runs. */
  timezone: string;
  cutoffMinutes: number;
  policy: PolicyPack;
  strategy: Strategy;
  /** Channel adapters for dispatch; voice always becomes a call task. */
  adapters: Partial<Record<ContactChannel, ChannelAdapter>>;
  /** The verification-code secret. */
  secret: Uint8Array | string;
  sinks: readonly EventSink[];
  workerId: string;
  provider?: PaymentProvider;
  /** Runs the close (default: in this process); the CLI passes one that splits it across workers. */
  close?: (businessDate: IsoDate) => Promise<Record<string, unknown>>;
  /**
   * Plans the day's contacts (default: in this process); the CLI passes one that splits planning across
   * workers, each planning one borrower-hash range, and returns the stats added up over the ranges.
   */
  planContacts?: (run: { businessDate: IsoDate; nowMs: number }) => Promise<PlanContactsStats>;
  /** Called as each stage ends (or is found already done, or busy in another process). */
  onStage?: (report: DayStageReport) => void;
  /**
   * Aborted: no further stage starts, and the close and dispatch stop after their current page (the
   * stage is then recorded as failed and run again by the next run of the date).
   */
  signal?: AbortSignal;
  /**
   * Dispatch only what is due at `nowMs`, gated at `nowMs`, even for a past date: a scheduler catching up
   * after an outage sends now, so quiet hours and caps must be judged now, not at the instants it missed.
   */
  dispatchAtNowOnly?: boolean;
}

export interface DayStageReport {
  stage: DayStage;
  businessDate: IsoDate;
  /**
   * `completed` now, `skipped` because an earlier run of the day completed it, or `busy` because another
   * process is running it now (the run stops there).
   */
  status: 'completed' | 'skipped' | 'busy';
  attempts: number;
  counts: Record<string, unknown>;
  ms: number;
}

/** Contacts claimed per dispatch call; rounds of it are bounded per tick and per day. */
const dispatchBatch = 500;
const dispatchCallsPerTickMax = 1_000;
const dispatchTicksMax = 100_000;
const complaintBatch = 500;
const complaintBatchesMax = 1_000;

/** The error a stage ends with when the run's signal is aborted between two of its pages. */
export class DayStoppedError extends Error {
  constructor(stage: DayStage) {
    super(`stopped during ${stage} (the next run of the date finishes it)`);
    this.name = 'DayStoppedError';
  }
}

/**
 * Runs every stage of the day in order; returns one report per stage run or skipped, ending early with a
 * `busy` report when another process holds a stage, or when the signal is aborted before a stage.
 */
export async function runDay(options: DayOptions): Promise<DayStageReport[]> {
  const { db, businessDate } = options;
  invariant(
    Number.isInteger(options.cutoffMinutes) && options.cutoffMinutes >= 0 && options.cutoffMinutes < 1_440,
    'the cut-off is a minute of the day',
  );
  const cutoffMs = dayCutoffMs(options);
  // A live run stamps its work with the wall clock; a replay with the cut-off of its date.
  const stageNowMs = Math.min(options.nowMs, cutoffMs);
  const nextCutoffMs = dayCutoffMs({ ...options, businessDate: addDays(businessDate, 1) });
  const reports: DayStageReport[] = [];

  const stages: Record<DayStage, () => Promise<object>> = {
    close: async () =>
      options.close
        ? options.close(businessDate)
        : closeCounts(
            await runDailyClose({
              db,
              businessDate,
              ...(options.provider ? { provider: options.provider } : {}),
              ...(options.signal ? { onProgress: () => throwIfStopped(options.signal, 'close') } : {}),
            }),
          ),
    plans: () => judgePlans(db, { businessDate, at: new Date(stageNowMs).toISOString() }),
    cases: async () => {
      const { unassigned: _listed, ...counts } = await refreshCases({ db, date: businessDate, nowMs: stageNowMs });
      return counts;
    },
    complaints: async () => {
      let alerted = 0;
      for (let batch = 0; batch < complaintBatchesMax; batch += 1) {
        const breached = await alertComplaintBreaches({ db, nowMs: stageNowMs, limit: complaintBatch });
        alerted += breached.length;
        if (breached.length < complaintBatch) break;
      }
      return { alerted };
    },
    contacts: async () => {
      const stats = options.planContacts
        ? await options.planContacts({ businessDate, nowMs: stageNowMs })
        : await planContacts({
            db,
            date: businessDate,
            strategy: options.strategy,
            policy: options.policy,
            nowMs: stageNowMs,
          });
      invariant(stats.notClosed === 0, `every borrower's loans are closed through ${businessDate} before planning`);
      return stats;
    },
    dispatch: () => dispatchDay(options, { nextCutoffMs }),
    events: () => publishEvents({ db, sinks: options.sinks, workerId: options.workerId }),
  };

  for (const stage of dayStages) {
    if (options.signal?.aborted) return reports;
    const started = performance.now();
    const claim = await withDayStageClaim(db, { businessDate, stage }, () => runStage(stage, started));
    if (!claim.claimed) {
      const run = await getDayStage(db, { businessDate, stage });
      reports.push({
        stage,
        businessDate,
        status: 'busy',
        attempts: run?.attempts ?? 0,
        counts: {},
        ms: Math.round(performance.now() - started),
      });
      options.onStage?.(reports.at(-1)!);
      return reports;
    }
    reports.push(claim.value);
    options.onStage?.(claim.value);
  }
  return reports;

  async function runStage(stage: DayStage, started: number): Promise<DayStageReport> {
    const { run, started: begun } = await startDayStage(db, { businessDate, stage });
    if (!begun) return report(stage, run, 'skipped', started);
    let counts: object;
    try {
      counts = await stages[stage]();
    } catch (error) {
      await finishDayStage(db, {
        businessDate,
        stage,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
      }).catch(() => undefined);
      throw error;
    }
    const finished = await finishDayStage(db, { businessDate, stage, status: 'completed', counts });
    return report(stage, finished, 'completed', started);
  }
}

function throwIfStopped(signal: AbortSignal | undefined, stage: DayStage): void {
  if (signal?.aborted) throw new DayStoppedError(stage);
}

function report(stage: DayStage, run: DayRunRow, status: 'completed' | 'skipped', startedMs: number): DayStageReport {
  return {
    stage,
    businessDate: run.businessDate,
    status,
    attempts: run.attempts,
    counts: run.counts,
    ms: Math.round(performance.now() - startedMs),
  };
}

function closeCounts(stats: Awaited<ReturnType<typeof runDailyClose>>): Record<string, unknown> {
  const { loansClosed, events, journalEntries, transactions, presented, debited, alreadyCompleted } = stats;
  return { loansClosed, events, journalEntries, transactions, presented, debited, alreadyCompleted };
}

/** A day's dispatch, summed over its rounds (claims lost to another dispatcher are not the day's). */
export type DispatchTotals = Omit<DispatchContactsStats, 'skipped'>;

/** The channels a dispatcher with these adapters sends on: voice (a call task) and every configured one. */
export function dispatchChannels(adapters: DayOptions['adapters']): ContactChannel[] {
  return contactChannels.filter((channel) => channel === 'voice' || adapters[channel] !== undefined);
}

/**
 * Sends every contact claimable at `nowMs`, in claimed batches, until none is left (bounded), the signal
 * is aborted, or a batch claims nothing. Safe in several processes at once: each contact is claimed by one.
 */
export async function dispatchDueContacts(
  options: Pick<DayOptions, 'db' | 'adapters' | 'policy' | 'secret' | 'workerId' | 'signal'> & { nowMs: number },
): Promise<DispatchTotals> {
  const totals: DispatchTotals = {
    claimed: 0,
    sent: 0,
    suppressed: 0,
    deferred: 0,
    retrying: 0,
    failed: 0,
    fallbacks: 0,
  };
  const channels = dispatchChannels(options.adapters);
  for (let call = 0; call < dispatchCallsPerTickMax && options.signal?.aborted !== true; call += 1) {
    const stats = await dispatchContacts({
      db: options.db,
      nowMs: options.nowMs,
      adapters: options.adapters,
      policy: options.policy,
      secret: options.secret,
      workerId: options.workerId,
      limit: dispatchBatch,
      channels,
    });
    for (const key of Object.keys(totals) as (keyof DispatchTotals)[]) totals[key] += stats[key];
    if (stats.claimed === 0) break;
  }
  return totals;
}

/**
 * Dispatch for the day. Live (the next cut-off is still ahead): what is due now, at the wall clock; the
 * scheduler sends the rest as it falls due. Replay (the day is over): every contact that fell due before
 * the next day's cut-off, each at its own instant, in order.
 */
async function dispatchDay(options: DayOptions, window: { nextCutoffMs: number }) {
  const { db } = options;
  const totals = { ticks: 0, claimed: 0, sent: 0, suppressed: 0, deferred: 0, retrying: 0, failed: 0, fallbacks: 0 };
  const channels = dispatchChannels(options.adapters);
  const dispatchAt = async (nowMs: number) => {
    totals.ticks += 1;
    const stats = await dispatchDueContacts({ ...options, nowMs });
    for (const key of Object.keys(stats) as (keyof DispatchTotals)[]) totals[key] += stats[key];
    throwIfStopped(options.signal, 'dispatch');
  };
  if (options.nowMs < window.nextCutoffMs || options.dispatchAtNowOnly === true) {
    await dispatchAt(options.nowMs);
    return { mode: 'live', ...totals };
  }
  const throughMs = window.nextCutoffMs - 1;
  let clockMs = -Infinity;
  for (let tick = 0; tick < dispatchTicksMax; tick += 1) {
    const next = await nextClaimableContactAt(db, { throughMs, channels });
    if (next === undefined) return { mode: 'replay', ...totals };
    // The clock only moves forward; a contact still claimable at the clock after a tick means no progress.
    if (next <= clockMs)
      throw new Error(`dispatch of ${options.businessDate} made no progress at ${new Date(next).toISOString()}`);
    clockMs = next;
    await dispatchAt(clockMs);
  }
  throw new Error(`dispatch of ${options.businessDate} did not finish in ${dispatchTicksMax} ticks`);
}
