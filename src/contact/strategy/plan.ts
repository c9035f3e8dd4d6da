// The planner: one borrower's local day → the ContactIntents the strategy asks for. Pure and
// deterministic (the same input gives the same intents in the same order) and cheap enough for a whole
// book: a strategy is compiled once into lookup tables keyed by stage and day offset (memoised per
// Strategy object, which is frozen), and local times come from the zone memo instead of Temporal.
//
// How a day is planned:
// 1. The arm (champion/challenger) from the borrower id; the segment, first match wins, else `all`.
// 2. Each open loan's stage and day offset (`planStageOf`); a borrower-wide hold or hardship replaces them
//    (hold first): then only hold (or hardship) steps run, for every open loan.
// 3. Steps keyed on that stage and offset fire when their segment and buckets allow.
// 4. Steps firing on the same (channel, template, send time) become one intent for all their loans.
//
// Invariants of the output: every intent has at least one loan, its loanIds are sorted, unique and the
// borrower's; its subjects follow its loanIds; intentIds are unique; plannedAtMs falls on the planned
// local date and validUntilMs after it; intents are sorted by plannedAtMs, then intentId.
import {
  addDays,
  parseClockTime,
  toEpochDay,
  zonedDayEndMs,
  zonedEpochMs,
  type IsoDate,
} from '../../calendar/index.ts';
import { InputError, invariant } from '../../errors/index.ts';
import { minorDigits } from '../../money/index.ts';
import type { ContactIntent, ContactStage, LoanSubject } from '../model.ts';
import { assignArm, type Arm } from './experiment.ts';
import {
  fallbackSegmentName,
  promiseStageDaysAfter,
  type Strategy,
  type StrategySegment,
  type StrategyStep,
} from './schema.ts';

export interface PlanInstallment {
  number: number;
  dueDate: IsoDate;
  /** Principal, interest and fee still owed on it, minor units. */
  outstandingMinor: bigint;
}

/** What the planner reads about one loan on the planned date (the loan_day view plus what is unpaid). */
export interface PlanLoanView {
  loanId: string;
  currency: string;
  status: 'active' | 'overdue' | 'closed' | 'charged_off';
  dpd: number;
  bucket: string;
  graceDays: number;
  inGrace: boolean;
  delinquent: boolean;
  /** Principal outstanding. */
  balanceMinor: bigint;
  overdueMinor: bigint;
  penaltyMinor: bigint;
  /** Unsettled installments, oldest first. */
  unsettled: PlanInstallment[];
}

export interface PlanPromise {
  loanId: string;
  /** The promised date (borrower's local date). */
  date: IsoDate;
  amountMinor: bigint;
}

export interface PlanBorrower {
  id: string;
  timezone: string;
  locale: string;
  /** Propensity to pay, 0..1. */
  score?: number;
  /** No delinquency in the last 180 days and no broken promise; unknown matches no `cooperative` condition. */
  cooperative?: boolean;
}

export interface PlanInput {
  /** The borrower's local date being planned. */
  date: IsoDate;
  borrower: PlanBorrower;
  loans: readonly PlanLoanView[];
  /** Active from `fromDate` through `untilDate`, both inclusive. */
  hold?: { fromDate: IsoDate; untilDate: IsoDate };
  /** Promises not kept (open, or broken the day before): a promise governs its loan until the day after its date. */
  promises: readonly PlanPromise[];
  /** A hardship plan or review active since `fromDate`. */
  hardship?: { fromDate: IsoDate };
  strategy: Strategy;
}

/** Where a loan stands for the strategy on a date. */
export interface LoanStage {
  stage: ContactStage;
  dayOffset: number;
  /** For `promise`: the promise that governs the loan. */
  promise?: PlanPromise;
  /** For `pre_due` and `due`: the due date reminded of. */
  dueDate?: IsoDate;
}

// ---- stages ---------------------------------------------------------------------------------------

function stageOn(loan: PlanLoanView, date: IsoDate, day: number, promises: readonly PlanPromise[]): LoanStage | null {
  if (loan.status === 'closed') return null;
  // The latest promised date still in its window governs: the newest commitment is the one that counts.
  let promise: PlanPromise | undefined;
  let promiseDay = 0;
  for (const candidate of promises) {
    if (candidate.loanId !== loan.loanId) continue;
    const candidateDay = toEpochDay(candidate.date);
    if (day - candidateDay > promiseStageDaysAfter) continue;
    if (promise === undefined || candidateDay > promiseDay) {
      promise = candidate;
      promiseDay = candidateDay;
    }
  }
  if (promise !== undefined) return { stage: 'promise', dayOffset: day - promiseDay, promise };
  if (loan.dpd > loan.graceDays) return { stage: 'delinquent', dayOffset: loan.dpd };
  // A charged-off loan is only collected: no reminders of dues or grace.
  if (loan.status === 'charged_off') return null;
  if (loan.dpd > 0) return { stage: 'grace', dayOffset: loan.dpd };
  for (const installment of loan.unsettled) {
    if (installment.dueDate < date) continue;
    const dayOffset = day - toEpochDay(installment.dueDate);
    return { stage: dayOffset === 0 ? 'due' : 'pre_due', dayOffset, dueDate: installment.dueDate };
  }
  return null;
}

/**
 * A loan's stage on `date` from its own state and promises (hold and hardship are borrower-wide and are
 * applied by the planner): an open promise → `promise` (offset = date − promised date, through the day
 * after it); DPD past the grace days → `delinquent` (offset DPD); inside grace → `grace` (offset DPD);
 * else the next unsettled due date N days ahead → `pre_due` (offset −N), or `due` on the day. Closed
 * loans have no stage; charged-off loans only `promise` and `delinquent`.
 */
export function planStageOf(loan: PlanLoanView, date: IsoDate, promises: readonly PlanPromise[]): LoanStage | null {
  return stageOn(loan, date, toEpochDay(date), promises);
}

/** What a message about this loan reminds of, and the amount it quotes. */
function subjectOf(loan: PlanLoanView, stage: LoanStage, date: IsoDate): LoanSubject {
  const installmentNumbers: number[] = [];
  let amountMinor = 0n;
  switch (stage.stage) {
    case 'pre_due':
    case 'due':
      for (const installment of loan.unsettled) {
        if (installment.dueDate !== stage.dueDate) continue;
        installmentNumbers.push(installment.number);
        amountMinor += installment.outstandingMinor;
      }
      break;
    case 'grace':
    case 'delinquent':
      for (const installment of loan.unsettled) {
        if (installment.dueDate < date) installmentNumbers.push(installment.number);
      }
      amountMinor = loan.overdueMinor + loan.penaltyMinor;
      break;
    case 'promise': {
      const promise = stage.promise as PlanPromise;
      for (const installment of loan.unsettled) {
        if (installment.dueDate <= promise.date) installmentNumbers.push(installment.number);
      }
      amountMinor = promise.amountMinor;
      break;
    }
    case 'hold':
    case 'hardship':
      // A notice about the loan as a whole: no installments, the amount owed now for context.
      amountMinor = loan.overdueMinor + loan.penaltyMinor;
      break;
  }
  return { loanId: loan.loanId, installmentNumbers, amountMinor, currency: loan.currency };
}

// ---- the compiled strategy ------------------------------------------------------------------------

/** A decimal threshold as scaled / 10^decimals, compared exactly against minor units. */
interface Threshold {
  scaled: bigint;
  decimals: number;
}

interface CompiledSegment {
  name: string;
  bucketIn: ReadonlySet<string> | null;
  balanceAtLeast: Threshold | null;
  balanceBelow: Threshold | null;
  cooperative: boolean | null;
  scoreAtLeast: number | null;
  scoreBelow: number | null;
}

interface CompiledStep {
  step: StrategyStep;
  /** Position in the strategy: the lowest of a consolidated group names the intent. */
  index: number;
  segments: ReadonlySet<string> | null;
  buckets: ReadonlySet<string> | null;
  sendAtMinutes: number;
  groupKey: string;
}

interface CompiledArm {
  segments: readonly CompiledSegment[];
  byStage: ReadonlyMap<ContactStage, ReadonlyMap<number, readonly CompiledStep[]>>;
  /** Grace steps counted from the last grace day, by that offset. */
  graceEnd: ReadonlyMap<number, readonly CompiledStep[]>;
}

interface CompiledStrategy {
  champion: CompiledArm;
  challenger: CompiledArm | null;
}

function threshold(text: string | undefined): Threshold | null {
  if (text === undefined) return null;
  const [whole = '0', fraction = ''] = text.split('.');
  return { scaled: BigInt(whole + fraction), decimals: fraction.length };
}

function compileSegment(segment: StrategySegment): CompiledSegment {
  const { when } = segment;
  return {
    name: segment.name,
    bucketIn: when.bucketIn === undefined ? null : new Set(when.bucketIn),
    balanceAtLeast: threshold(when.balanceAtLeast),
    balanceBelow: threshold(when.balanceBelow),
    cooperative: when.cooperative ?? null,
    scoreAtLeast: when.scoreAtLeast === undefined ? null : Number(when.scoreAtLeast),
    scoreBelow: when.scoreBelow === undefined ? null : Number(when.scoreBelow),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compileArm(segments: readonly StrategySegment[], steps: readonly StrategyStep[]): CompiledArm {
  const byStage = new Map<ContactStage, Map<number, CompiledStep[]>>();
  const graceEnd = new Map<number, CompiledStep[]>();
  steps.forEach((step, index) => {
    const compiled: CompiledStep = {
      step,
      index,
      segments:
        step.segment === undefined ? null : new Set(typeof step.segment === 'string' ? [step.segment] : step.segment),
      buckets: step.buckets === undefined ? null : new Set(step.buckets),
      sendAtMinutes: parseClockTime(step.sendAt, 'sendAt'),
      groupKey: `${step.channel}|${step.sendAt}`,
    };
    if (step.anchor === 'grace_end') {
      push(graceEnd, step.dayOffset, compiled);
      return;
    }
    let offsets = byStage.get(step.stage);
    if (offsets === undefined) byStage.set(step.stage, (offsets = new Map()));
    push(offsets, step.dayOffset, compiled);
  });
  return { segments: segments.map(compileSegment), byStage, graceEnd };
}

const compiledStrategies = new WeakMap<Strategy, CompiledStrategy>();

function compile(strategy: Strategy): CompiledStrategy {
  const known = compiledStrategies.get(strategy);
  if (known !== undefined) return known;
  const experiment = strategy.experiment;
  const compiled: CompiledStrategy = {
    champion: compileArm(strategy.segments, strategy.steps),
    challenger:
      experiment === undefined
        ? null
        : compileArm(experiment.challenger.segments ?? strategy.segments, experiment.challenger.steps),
  };
  compiledStrategies.set(strategy, compiled);
  return compiled;
}

// ---- segments -------------------------------------------------------------------------------------

const powersOfTen: readonly bigint[] = Array.from({ length: 16 }, (_, power) => 10n ** BigInt(power));

/** amountMinor (in `currency`) ≥ the threshold in major units, exactly. */
function atLeast(amountMinor: bigint, currency: string, limit: Threshold): boolean {
  const left = amountMinor * (powersOfTen[limit.decimals] as bigint);
  const right = limit.scaled * (powersOfTen[minorDigits(currency)] as bigint);
  return left >= right;
}

interface BorrowerFacts {
  worstBucket: string;
  balances: ReadonlyMap<string, bigint>;
}

function borrowerFacts(open: readonly PlanLoanView[]): BorrowerFacts {
  let worst = open[0] as PlanLoanView;
  const balances = new Map<string, bigint>();
  for (const loan of open) {
    if (loan.dpd > worst.dpd) worst = loan;
    balances.set(loan.currency, (balances.get(loan.currency) ?? 0n) + loan.balanceMinor);
  }
  return { worstBucket: worst.bucket, balances };
}

function matches(segment: CompiledSegment, borrower: PlanBorrower, facts: BorrowerFacts): boolean {
  if (segment.bucketIn !== null && !segment.bucketIn.has(facts.worstBucket)) return false;
  if (segment.cooperative !== null && borrower.cooperative !== segment.cooperative) return false;
  if (segment.scoreAtLeast !== null && !(borrower.score !== undefined && borrower.score >= segment.scoreAtLeast)) {
    return false;
  }
  if (segment.scoreBelow !== null && !(borrower.score !== undefined && borrower.score < segment.scoreBelow)) {
    return false;
  }
  // Balances are compared per currency: "at least" when some currency's total reaches it, "below" when
  // every currency's total stays under it.
  const { balanceAtLeast, balanceBelow } = segment;
  if (balanceAtLeast !== null) {
    let reached = false;
    for (const [currency, total] of facts.balances) reached ||= atLeast(total, currency, balanceAtLeast);
    if (!reached) return false;
  }
  if (balanceBelow !== null) {
    for (const [currency, total] of facts.balances) if (atLeast(total, currency, balanceBelow)) return false;
  }
  return true;
}

function segmentOf(segments: readonly CompiledSegment[], borrower: PlanBorrower, facts: BorrowerFacts): string {
  for (const segment of segments) if (matches(segment, borrower, facts)) return segment.name;
  return fallbackSegmentName;
}

// ---- the plan -------------------------------------------------------------------------------------

interface Group {
  steps: CompiledStep[];
  subjects: Map<string, LoanSubject>;
}

function copySubject(subject: LoanSubject): LoanSubject {
  return { ...subject, installmentNumbers: [...subject.installmentNumbers] };
}

function byLoanId(a: PlanLoanView, b: PlanLoanView): number {
  return a.loanId < b.loanId ? -1 : a.loanId > b.loanId ? 1 : 0;
}

/** The day's contacts for one borrower, sorted by plannedAtMs then intentId. */
export function planBorrowerDay(input: PlanInput): ContactIntent[] {
  const { strategy, borrower, date } = input;
  const open = input.loans.filter((loan) => loan.status !== 'closed');
  if (open.length === 0) return [];
  if (open.length > 1) {
    open.sort(byLoanId);
    for (let index = 1; index < open.length; index += 1) {
      invariant(
        (open[index - 1] as PlanLoanView).loanId !== (open[index] as PlanLoanView).loanId,
        `borrower ${borrower.id} lists loan ${(open[index] as PlanLoanView).loanId} twice`,
      );
    }
  }

  const compiled = compile(strategy);
  const experiment = strategy.experiment;
  const arm: Arm =
    experiment === undefined ? 'champion' : assignArm(borrower.id, experiment.name, experiment.challengerPercent);
  const plan = arm === 'challenger' && compiled.challenger !== null ? compiled.challenger : compiled.champion;
  const segment = segmentOf(plan.segments, borrower, borrowerFacts(open));

  const day = toEpochDay(date);
  let borrowerStage: LoanStage | null = null;
  const { hold, hardship } = input;
  if (hold !== undefined && hold.fromDate <= date && date <= hold.untilDate) {
    borrowerStage = { stage: 'hold', dayOffset: day - toEpochDay(hold.fromDate) };
  } else if (hardship !== undefined && hardship.fromDate <= date) {
    borrowerStage = { stage: 'hardship', dayOffset: day - toEpochDay(hardship.fromDate) };
  }

  const groups = new Map<string, Group>();
  for (const loan of open) {
    const stage = borrowerStage ?? stageOn(loan, date, day, input.promises);
    if (stage === null) continue;
    let subject: LoanSubject | undefined;
    const fire = (steps: readonly CompiledStep[] | undefined): void => {
      if (steps === undefined) return;
      for (const compiledStep of steps) {
        if (compiledStep.segments !== null && !compiledStep.segments.has(segment)) continue;
        if (compiledStep.buckets !== null && !compiledStep.buckets.has(loan.bucket)) continue;
        let group = groups.get(compiledStep.groupKey);
        if (group === undefined) groups.set(compiledStep.groupKey, (group = { steps: [], subjects: new Map() }));
        if (!group.steps.includes(compiledStep)) group.steps.push(compiledStep);
        if (group.subjects.has(loan.loanId)) continue;
        // Each intent gets its own subject object, so one consumer's edits cannot leak into another intent.
        subject = subject === undefined ? subjectOf(loan, stage, date) : copySubject(subject);
        group.subjects.set(loan.loanId, subject);
      }
    };
    fire(plan.byStage.get(stage.stage)?.get(stage.dayOffset));
    if (stage.stage === 'grace') fire(plan.graceEnd.get(loan.dpd - loan.graceDays));
  }
  if (groups.size === 0) return [];

  const intents: ContactIntent[] = [];
  try {
    for (const group of groups.values()) intents.push(intentOf(input, group, arm, segment));
  } catch (error) {
    if (error instanceof InputError && error.field === 'timezone')
      throw new InputError('borrower.timezone', error.reason);
    throw error;
  }
  intents.sort((a, b) =>
    a.plannedAtMs !== b.plannedAtMs ? a.plannedAtMs - b.plannedAtMs : a.intentId < b.intentId ? -1 : 1,
  );
  return intents;
}

const stageUrgency: Readonly<Record<ContactStage, number>> = {
  delinquent: 0,
  grace: 1,
  due: 2,
  pre_due: 3,
  promise: 4,
  hardship: 5,
  hold: 6,
};

function intentOf(input: PlanInput, group: Group, arm: Arm, segment: string): ContactIntent {
  const { strategy, borrower, date } = input;
  // One message per channel and slot: the most pressing stage names it (an overdue loan's notice, not a
  // courtesy reminder of another loan due soon); strategy order breaks ties.
  group.steps.sort((a, b) => stageUrgency[a.step.stage] - stageUrgency[b.step.stage] || a.index - b.index);
  const primary = (group.steps[0] as CompiledStep).step;
  // Loans were visited in loanId order, so the subjects already are.
  const subjects = [...group.subjects.values()];
  const reasons = group.steps.map((entry) => `strategy ${strategy.name} step ${entry.step.id}`);
  reasons.push(`segment ${segment}`);
  if (strategy.experiment !== undefined) reasons.push(`arm ${arm}`);
  const intent: ContactIntent = {
    intentId: `${borrower.id}:${date}:${primary.id}:${primary.channel}`,
    borrowerId: borrower.id,
    loanIds: subjects.map((subject) => subject.loanId),
    subjects,
    channel: primary.channel,
    template: primary.template,
    purpose: primary.purpose,
    stage: primary.stage,
    strategy: { name: strategy.name, version: strategy.version, arm, stepId: primary.id },
    date,
    plannedAtMs: zonedEpochMs(borrower.timezone, date, (group.steps[0] as CompiledStep).sendAtMinutes),
    validUntilMs: zonedDayEndMs(borrower.timezone, addDays(date, primary.validDays - 1)),
    reasons,
  };
  if (primary.fallback !== undefined) intent.fallback = { ...primary.fallback };
  return intent;
}
