// The planner: golden days per stage with the default strategy (send times, consolidation, subjects,
// segments, holds, promises, closed and charged-off loans, experiments), then properties over random
// borrowers: determinism, order independence, loans belong to the borrower, send times on the planned
// local date, unique intent ids.
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../calendar/index.ts';
import { InputError } from '../../errors/index.ts';
import { builtInStrategies } from './builtin.ts';
import { planBorrowerDay, planStageOf, type PlanInput, type PlanLoanView } from './plan.ts';
import { resolveStrategy } from './resolve.ts';
import type { Strategy } from './schema.ts';

const defaultStrategy = builtInStrategies.default as Strategy;
const date = '2026-03-14';

function bucketOf(dpd: number, graceDays: number): string {
  if (dpd <= graceDays) return 'M0';
  if (dpd <= 30) return 'M1';
  if (dpd <= 60) return 'M2';
  if (dpd <= 90) return 'M3';
  return 'M4';
}

/** A loan with one installment of 305.00 due `dueInDays` from the planned date (negative: past due). */
function loan(
  loanId: string,
  options: { dueInDays?: number; graceDays?: number; status?: PlanLoanView['status'] } = {},
): PlanLoanView {
  const dueInDays = options.dueInDays ?? 3;
  const graceDays = options.graceDays ?? 3;
  const dpd = Math.max(0, -dueInDays);
  return {
    loanId,
    currency: 'CNY',
    status: options.status ?? (dpd > 0 ? 'overdue' : 'active'),
    dpd,
    bucket: bucketOf(dpd, graceDays),
    graceDays,
    inGrace: dpd > 0 && dpd <= graceDays,
    delinquent: dpd > graceDays,
    balanceMinor: 500_000n,
    overdueMinor: dpd > 0 ? 30_500n : 0n,
    penaltyMinor: dpd > graceDays ? 120n : 0n,
    unsettled: [
      { number: 2, dueDate: addDays(date, dueInDays), outstandingMinor: 30_500n },
      { number: 3, dueDate: addDays(date, dueInDays + 31), outstandingMinor: 30_500n },
    ],
  };
}

function input(loans: PlanLoanView[], extra: Partial<PlanInput> = {}): PlanInput {
  return {
    date,
    borrower: { id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN' },
    loans,
    promises: [],
    strategy: defaultStrategy,
    ...extra,
  };
}

const summary = (plan: PlanInput) =>
  planBorrowerDay(plan).map(
    (intent) => `${intent.strategy.stepId} ${intent.channel} ${intent.template} ${intent.loanIds.join('+')}`,
  );

describe('planStageOf', () => {
  it('reads pre_due, due, grace and delinquent from DPD, grace days and the next due date', () => {
    expect(planStageOf(loan('L', { dueInDays: 3 }), date, [])).toMatchObject({ stage: 'pre_due', dayOffset: -3 });
    expect(planStageOf(loan('L', { dueInDays: 0 }), date, [])).toMatchObject({ stage: 'due', dayOffset: 0 });
    expect(planStageOf(loan('L', { dueInDays: -2 }), date, [])).toEqual({ stage: 'grace', dayOffset: 2 });
    expect(planStageOf(loan('L', { dueInDays: -4 }), date, [])).toEqual({ stage: 'delinquent', dayOffset: 4 });
    expect(planStageOf(loan('L', { dueInDays: -1, graceDays: 0 }), date, [])).toEqual({
      stage: 'delinquent',
      dayOffset: 1,
    });
  });

  it('gives a promise precedence through the day after the promised date', () => {
    const promised = (offset: number) => [{ loanId: 'L', date: addDays(date, -offset), amountMinor: 10_000n }];
    const late = loan('L', { dueInDays: -10 });
    expect(planStageOf(late, date, promised(-5))).toMatchObject({ stage: 'promise', dayOffset: -5 });
    expect(planStageOf(late, date, promised(1))).toMatchObject({ stage: 'promise', dayOffset: 1 });
    expect(planStageOf(late, date, promised(2))).toEqual({ stage: 'delinquent', dayOffset: 10 });
    expect(planStageOf(late, date, [{ loanId: 'other', date, amountMinor: 1n }])).toMatchObject({
      stage: 'delinquent',
    });
  });

  it('gives closed loans no stage and charged-off loans only collection', () => {
    expect(planStageOf(loan('L', { dueInDays: -40, status: 'closed' }), date, [])).toBeNull();
    expect(planStageOf(loan('L', { dueInDays: -200, status: 'charged_off' }), date, [])).toMatchObject({
      stage: 'delinquent',
    });
    expect(planStageOf(loan('L', { dueInDays: 3, status: 'charged_off' }), date, [])).toBeNull();
    expect(planStageOf(loan('L', { dueInDays: -2, status: 'charged_off' }), date, [])).toBeNull();
  });
});

describe('planBorrowerDay golden days (default strategy)', () => {
  it('pre_due −3: SMS and e-mail at 09:00 Asia/Shanghai = 01:00Z, valid to the end of the local day', () => {
    const intents = planBorrowerDay(input([loan('L1')]));
    expect(intents).toHaveLength(2);
    const [sms, email] = intents;
    expect(sms).toEqual({
      intentId: 'B1:2026-03-14:pre_due_3:sms',
      borrowerId: 'B1',
      loanIds: ['L1'],
      subjects: [{ loanId: 'L1', installmentNumbers: [2], amountMinor: 30_500n, currency: 'CNY' }],
      channel: 'sms',
      template: 'due_soon',
      purpose: 'reminder',
      stage: 'pre_due',
      strategy: { name: 'default', version: 1, arm: 'champion', stepId: 'pre_due_3' },
      date,
      plannedAtMs: Date.UTC(2026, 2, 14, 1, 0),
      validUntilMs: Date.UTC(2026, 2, 14, 16, 0) - 1,
      reasons: ['strategy default step pre_due_3', 'segment all'],
    });
    expect(email?.intentId).toBe('B1:2026-03-14:pre_due_3_email:email');
  });

  it('sends cooperative borrowers fewer reminders', () => {
    const cooperative = input([loan('L1')], {
      borrower: { id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', cooperative: true },
    });
    expect(summary(cooperative)).toEqual(['pre_due_3 sms due_soon L1']);
    expect(planBorrowerDay(cooperative)[0]?.reasons).toEqual([
      'strategy default step pre_due_3',
      'segment cooperative',
    ]);
  });

  it('consolidates two loans due the same day into one intent per step, loans sorted', () => {
    const intents = planBorrowerDay(input([loan('L2'), loan('L1')]));
    expect(intents.map((intent) => intent.loanIds)).toEqual([
      ['L1', 'L2'],
      ['L1', 'L2'],
    ]);
    expect(intents[0]?.subjects.map((subject) => subject.loanId)).toEqual(['L1', 'L2']);
  });

  it('consolidates different steps that share channel, template and send time', () => {
    const strategy = resolveStrategy({
      steps: [
        { id: 'soon_3', stage: 'pre_due', dayOffset: -3, channel: 'sms', template: 'due_soon', sendAt: '09:00' },
        { id: 'soon_1', stage: 'pre_due', dayOffset: -1, channel: 'sms', template: 'due_soon', sendAt: '09:00' },
      ],
    });
    const intents = planBorrowerDay(input([loan('L1', { dueInDays: 1 }), loan('L2', { dueInDays: 3 })], { strategy }));
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({
      intentId: 'B1:2026-03-14:soon_3:sms',
      loanIds: ['L1', 'L2'],
      reasons: ['strategy default step soon_3', 'strategy default step soon_1', 'segment all'],
    });
  });

  it('due today: a push at 09:30 quoting the installment due', () => {
    const [push] = planBorrowerDay(input([loan('L1', { dueInDays: 0 })]));
    expect(push).toMatchObject({ channel: 'push', template: 'due_today', plannedAtMs: Date.UTC(2026, 2, 14, 1, 30) });
    expect(push?.subjects[0]?.installmentNumbers).toEqual([2]);
  });

  it('grace: in_grace on day 1, grace_ending on the last grace day, nothing between', () => {
    expect(summary(input([loan('L1', { dueInDays: -1 })]))).toEqual(['grace_1 sms in_grace L1']);
    expect(summary(input([loan('L1', { dueInDays: -2 })]))).toEqual([]);
    expect(summary(input([loan('L1', { dueInDays: -3 })]))).toEqual(['grace_ending sms grace_ending L1']);
    expect(summary(input([loan('L1', { dueInDays: -5, graceDays: 5 })]))).toEqual(['grace_ending sms grace_ending L1']);
  });

  it('delinquent: overdue plus penalty quoted, e-mail skipped for cooperative borrowers, calls with an SMS fallback', () => {
    const [sms, email] = planBorrowerDay(input([loan('L1', { dueInDays: -7 })]));
    expect(sms?.subjects).toEqual([{ loanId: 'L1', installmentNumbers: [2], amountMinor: 30_620n, currency: 'CNY' }]);
    expect(email?.template).toBe('overdue_7');
    const cooperative = input([loan('L1', { dueInDays: -7 })], {
      borrower: { id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', cooperative: true },
    });
    expect(summary(cooperative)).toEqual(['delinquent_7 sms overdue_7 L1']);
    const [call] = planBorrowerDay(input([loan('L1', { dueInDays: -15 })]));
    expect(call).toMatchObject({
      channel: 'voice',
      template: 'overdue_15',
      fallback: { channel: 'sms', template: 'overdue_15', when: 'unanswered' },
      plannedAtMs: Date.UTC(2026, 2, 14, 6, 0),
    });
  });

  it('long overdue borrowers get the extra steps; a letter stays valid for three local days', () => {
    expect(summary(input([loan('L1', { dueInDays: -45 })]))).toEqual(['delinquent_45 sms overdue_30 L1']);
    const [letter] = planBorrowerDay(input([loan('L1', { dueInDays: -60 })]));
    expect(letter).toMatchObject({ channel: 'letter', template: 'overdue_60' });
    expect(letter?.validUntilMs).toBe(Date.UTC(2026, 2, 16, 16, 0) - 1);
    expect(letter?.reasons).toContain('segment long_overdue');
  });

  it('a hold replaces every other step: only hold steps, counted from its start, as notices for all loans', () => {
    const loans = [loan('L1', { dueInDays: -7 }), loan('L2', { dueInDays: 3 })];
    const started = (days: number) => ({ fromDate: addDays(date, -days), untilDate: addDays(date, 20) });
    expect(summary(input(loans, { hold: started(0) }))).toEqual(['hold_0 sms hold_confirmed L1+L2']);
    expect(summary(input(loans, { hold: started(3) }))).toEqual([]);
    const [checkin] = planBorrowerDay(input(loans, { hold: started(7) }));
    expect(checkin).toMatchObject({ template: 'hold_checkin', purpose: 'notice', stage: 'hold' });
    expect(checkin?.subjects.map((subject) => subject.installmentNumbers)).toEqual([[], []]);
    // After the hold ends, ordinary steps again.
    const ended = { fromDate: addDays(date, -30), untilDate: addDays(date, -1) };
    expect(summary(input(loans, { hold: ended }))).toEqual([
      'pre_due_3 sms due_soon L2',
      'pre_due_3_email email due_soon L2',
      'delinquent_7 sms overdue_7 L1',
      'delinquent_7_email email overdue_7 L1',
    ]);
  });

  it('hardship: only hardship steps, counted from its start', () => {
    const loans = [loan('L1', { dueInDays: -7 })];
    expect(summary(input(loans, { hardship: { fromDate: date } }))).toEqual(['hardship_0 email plan_offer L1']);
    expect(summary(input(loans, { hardship: { fromDate: addDays(date, -7) } }))).toEqual([]);
  });

  it('promise: a reminder the day before (the gate lets it go only if asked), nothing on the day, a broken notice the day after', () => {
    const loans = [loan('L1', { dueInDays: -10 }), loan('L2', { dueInDays: -10 })];
    const promise = (offset: number) => [{ loanId: 'L1', date: addDays(date, -offset), amountMinor: 20_000n }];
    const before = planBorrowerDay(input(loans, { promises: promise(-1) }));
    expect(before.map((intent) => `${intent.template} ${intent.loanIds.join('+')}`)).toEqual(['promise_reminder L1']);
    expect(before[0]?.subjects[0]).toEqual({
      loanId: 'L1',
      installmentNumbers: [2],
      amountMinor: 20_000n,
      currency: 'CNY',
    });
    expect(before[0]?.purpose).toBe('notice');
    // No message on the promised date: the promise is still open that day.
    expect(summary(input(loans, { promises: promise(0) }))).toEqual([]);
    expect(summary(input(loans, { promises: promise(1) }))).toEqual(['promise_broken sms promise_broken L1']);
  });

  it('closed loans get nothing; charged-off loans only collection steps', () => {
    expect(planBorrowerDay(input([loan('L1', { dueInDays: -7, status: 'closed' })]))).toEqual([]);
    expect(planBorrowerDay(input([loan('L1', { dueInDays: 3, status: 'closed' })]))).toEqual([]);
    expect(planBorrowerDay(input([loan('L1', { dueInDays: 3, status: 'charged_off' })]))).toEqual([]);
    expect(summary(input([loan('L1', { dueInDays: -90, status: 'charged_off' })]))).toEqual([
      'delinquent_90 letter final_notice L1',
    ]);
  });

  it('segments by balance and score; steps restricted to buckets', () => {
    const strategy = resolveStrategy({
      segments: [
        { name: 'large', when: { balanceAtLeast: '5000.00' } },
        { name: 'likely', when: { scoreAtLeast: '0.8' } },
      ],
      steps: [
        {
          id: 'big',
          stage: 'delinquent',
          dayOffset: 40,
          segment: 'large',
          channel: 'voice',
          template: 'overdue_30',
          sendAt: '10:00',
        },
        {
          id: 'rest',
          stage: 'delinquent',
          dayOffset: 40,
          segment: ['likely', 'all'],
          buckets: ['M2'],
          channel: 'sms',
          template: 'overdue_30',
          sendAt: '10:00',
        },
      ],
    });
    const borrower = (score?: number) => ({ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', score });
    const late = loan('L1', { dueInDays: -40 });
    expect(summary(input([late], { strategy, borrower: borrower() }))).toEqual(['big voice overdue_30 L1']);
    const smaller = { ...late, balanceMinor: 499_999n };
    expect(planBorrowerDay(input([smaller], { strategy, borrower: borrower(0.9) }))[0]?.reasons).toEqual([
      'strategy default step rest',
      'segment likely',
    ]);
    expect(summary(input([{ ...smaller, bucket: 'M1' }], { strategy, borrower: borrower(0.1) }))).toEqual([]);
  });

  it('records the arm and plans the challenger arm from its own steps', () => {
    const challengerStep = {
      id: 'c',
      stage: 'pre_due',
      dayOffset: -3,
      channel: 'push',
      template: 'due_soon',
      sendAt: '12:00',
    };
    const strategy = resolveStrategy({
      experiment: { name: 'soft', challengerPercent: 50, challenger: { steps: [challengerStep] } },
    });
    const arms = new Set<string>();
    for (let index = 0; index < 40; index += 1) {
      const intents = planBorrowerDay(
        input([loan('L1')], { strategy, borrower: { id: `B${index}`, timezone: 'Asia/Shanghai', locale: 'zh-CN' } }),
      );
      const arm = intents[0]?.strategy.arm as string;
      arms.add(arm);
      expect(intents.every((intent) => intent.reasons.at(-1) === `arm ${arm}`)).toBe(true);
      if (arm === 'challenger') expect(intents.map((intent) => intent.strategy.stepId)).toEqual(['c']);
      else expect(intents.map((intent) => intent.strategy.stepId)).toEqual(['pre_due_3', 'pre_due_3_email']);
    }
    expect(arms).toEqual(new Set(['champion', 'challenger']));
  });

  it('refuses an unknown time zone, naming the borrower field', () => {
    const bad = input([loan('L1')], { borrower: { id: 'B1', timezone: 'Mars/Olympus', locale: 'en' } });
    expect(() => planBorrowerDay(bad)).toThrow(InputError);
    expect(() => planBorrowerDay(bad)).toThrow('borrower.timezone');
  });
});

// ---- properties ---------------------------------------------------------------------------------

const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney'];
const experimentStrategy = resolveStrategy({
  experiment: {
    name: 'p',
    challengerPercent: 40,
    challenger: { steps: (builtInStrategies.gentle as Strategy).steps.map((step) => ({ ...step })) },
  },
});

/** Absent four times in five, so most generated days are ordinary ones. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary, weight: 1 });

const loanArbitrary = (loanId: string, planned: string) =>
  fc
    .record({
      dpd: fc.oneof(fc.constant(0), fc.constantFrom(1, 3, 7, 15, 30, 45, 52, 60, 90), fc.integer({ min: 0, max: 200 })),
      graceDays: fc.integer({ min: 0, max: 5 }),
      dueInDays: fc.oneof(fc.constantFrom(0, 1, 3), fc.integer({ min: 0, max: 40 })),
      status: fc.constantFrom('active', 'closed', 'charged_off'),
      installments: fc.integer({ min: 1, max: 4 }),
      balanceMinor: fc.bigInt({ min: 0n, max: 5_000_000n }),
    })
    .map(({ dpd, graceDays, dueInDays, status, installments, balanceMinor }): PlanLoanView => {
      const first = dpd > 0 ? addDays(planned, -dpd) : addDays(planned, dueInDays);
      return {
        loanId,
        currency: 'CNY',
        status: status === 'active' && dpd > 0 ? 'overdue' : (status as PlanLoanView['status']),
        dpd,
        bucket: bucketOf(dpd, graceDays),
        graceDays,
        inGrace: dpd > 0 && dpd <= graceDays,
        delinquent: dpd > graceDays,
        balanceMinor,
        overdueMinor: dpd > 0 ? 30_500n : 0n,
        penaltyMinor: dpd > graceDays ? 99n : 0n,
        unsettled: Array.from({ length: installments }, (_, index) => ({
          number: index + 1,
          dueDate: addDays(first, index * 30),
          outstandingMinor: 30_500n,
        })),
      };
    });

const planArbitrary = fc
  .record({
    borrowerId: fc.stringMatching(/^B[0-9]{1,6}$/),
    timezone: fc.constantFrom(...zones),
    // Around the 2026 clock changes too.
    date: fc.integer({ min: 0, max: 400 }).map((offset) => addDays('2026-01-01', offset)),
    loanCount: fc.integer({ min: 0, max: 4 }),
    cooperative: fc.option(fc.boolean(), { nil: undefined }),
    strategy: fc.constantFrom(defaultStrategy, builtInStrategies.gentle as Strategy, experimentStrategy),
    holdFrom: sometimes(fc.constantFrom(0, -3, -7, -14, -20, 2)),
    hardshipFrom: sometimes(fc.constantFrom(0, -1, 3)),
    promiseOffsets: fc.oneof(fc.constant<number[]>([]), fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 2 })),
  })
  .chain((base) =>
    fc
      .tuple(
        ...Array.from({ length: base.loanCount }, (_, index) =>
          loanArbitrary(`${base.borrowerId}-L${index}`, base.date),
        ),
      )
      .map((loans): PlanInput => ({
        date: base.date,
        borrower: { id: base.borrowerId, timezone: base.timezone, locale: 'zh-CN', cooperative: base.cooperative },
        loans,
        hold:
          base.holdFrom === undefined
            ? undefined
            : { fromDate: addDays(base.date, base.holdFrom), untilDate: addDays(base.date, base.holdFrom + 14) },
        hardship: base.hardshipFrom === undefined ? undefined : { fromDate: addDays(base.date, base.hardshipFrom) },
        promises:
          loans.length === 0
            ? []
            : base.promiseOffsets.map((offset, index) => ({
                loanId: (loans[index % loans.length] as PlanLoanView).loanId,
                date: addDays(base.date, offset),
                amountMinor: 10_000n,
              })),
        strategy: base.strategy,
      })),
  );

describe('planBorrowerDay properties', () => {
  it('is deterministic and does not depend on the order of loans', () => {
    fc.assert(
      fc.property(planArbitrary, (plan) => {
        const first = planBorrowerDay(plan);
        expect(planBorrowerDay(plan)).toEqual(first);
        expect(planBorrowerDay({ ...plan, loans: [...plan.loans].reverse() })).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it("plans only the borrower's open loans, each intent's loans sorted, unique, and matching its subjects", () => {
    fc.assert(
      fc.property(planArbitrary, (plan) => {
        const open = new Set(plan.loans.filter((l) => l.status !== 'closed').map((l) => l.loanId));
        for (const intent of planBorrowerDay(plan)) {
          expect(intent.borrowerId).toBe(plan.borrower.id);
          expect(intent.loanIds.length).toBeGreaterThan(0);
          expect([...intent.loanIds].sort()).toEqual(intent.loanIds);
          expect(new Set(intent.loanIds).size).toBe(intent.loanIds.length);
          for (const loanId of intent.loanIds) expect(open.has(loanId)).toBe(true);
          expect(intent.subjects.map((subject) => subject.loanId)).toEqual(intent.loanIds);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sends on the planned local date, valid until at least then; intent ids unique; sorted by time then id', () => {
    fc.assert(
      fc.property(planArbitrary, (plan) => {
        const intents = planBorrowerDay(plan);
        const localDate = (ms: number) =>
          Temporal.Instant.fromEpochMilliseconds(ms)
            .toZonedDateTimeISO(plan.borrower.timezone)
            .toPlainDate()
            .toString();
        for (const intent of intents) {
          expect(localDate(intent.plannedAtMs)).toBe(plan.date);
          expect(intent.validUntilMs).toBeGreaterThan(intent.plannedAtMs);
          expect(intent.intentId.startsWith(`${plan.borrower.id}:${plan.date}:${intent.strategy.stepId}:`)).toBe(true);
        }
        expect(new Set(intents.map((intent) => intent.intentId)).size).toBe(intents.length);
        const sorted = [...intents].sort((a, b) =>
          a.plannedAtMs !== b.plannedAtMs ? a.plannedAtMs - b.plannedAtMs : a.intentId < b.intentId ? -1 : 1,
        );
        expect(intents).toEqual(sorted);
      }),
      { numRuns: 300 },
    );
  });

  it('under a hold sends only hold steps, and never a call', () => {
    fc.assert(
      fc.property(planArbitrary, (plan) => {
        const hold = plan.hold;
        if (hold === undefined || hold.fromDate > plan.date || plan.date > hold.untilDate) return;
        for (const intent of planBorrowerDay(plan)) {
          expect(intent.stage).toBe('hold');
          expect(intent.channel).not.toBe('voice');
        }
      }),
      { numRuns: 300 },
    );
  });
});
