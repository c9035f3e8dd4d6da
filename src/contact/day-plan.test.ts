// A borrower's day planned from the contact state — the one planner input production and the simulator
// share: which promises shape the day, and the hold read over the local day, on a clock-change day too.
import { describe, expect, it } from 'vitest';
import { zonedEpochMs } from '../calendar/index.ts';
import { closeEachDay, openBook } from '../servicing/testing.ts';
import { newBorrowerContactState, type BorrowerContactState, type PromiseToPay } from './borrower.ts';
import { planContactDay, planPromisesOf } from './day-plan.ts';
import { builtInStrategies } from './strategy/index.ts';

const strategy = builtInStrategies.default as NonNullable<(typeof builtInStrategies)['default']>;

function promise(status: PromiseToPay['status'], date = '2026-03-20'): PromiseToPay {
  return {
    promiseId: `P-${status}`,
    loanId: 'L1',
    date,
    amountMinor: 30_500n,
    madeAtMs: 0,
    paidMinor: 0n,
    status,
    takenBy: 'agent-1',
  };
}

function stateIn(timezone: string, changes: Partial<BorrowerContactState> = {}): BorrowerContactState {
  const state = newBorrowerContactState({ borrowerId: 'B1', timezone, locale: 'en', addresses: { sms: '+1' } });
  return { ...state, ...changes };
}

/** Templates the day's intents would send, in order. */
function planned(state: BorrowerContactState, date: string): string[] {
  // The contract loan: 18 monthly installments from 2026-02-15, first due 2026-03-15; closed through `date`.
  const loans = [closeEachDay(openBook(), date).state];
  return planContactDay({ state, date, loans, strategy }).map((intent) => intent.template);
}

describe('planPromisesOf', () => {
  it('passes every promise but the kept ones (open, broken, partly kept), as the planner reads them', () => {
    const promises = [promise('open'), promise('kept'), promise('broken'), promise('partly_kept')];
    expect(planPromisesOf(promises).map((p) => p.loanId + ' ' + p.date)).toHaveLength(3);
    expect(planPromisesOf([promise('kept')])).toEqual([]);
    expect(planPromisesOf([promise('broken')])).toEqual([{ loanId: 'L1', date: '2026-03-20', amountMinor: 30_500n }]);
  });
});

describe('planContactDay', () => {
  const zone = 'Asia/Shanghai';

  it('a promise judged broken before the day is planned still sends the broken-promise notice the day after its date', () => {
    // Production judges promises when it plans; a desk starting from a stored state sees them already broken.
    expect(planned(stateIn(zone, { promises: [promise('broken')] }), '2026-03-21')).toContain('promise_broken');
    expect(planned(stateIn(zone, { promises: [promise('partly_kept')] }), '2026-03-21')).toContain('promise_broken');
    expect(planned(stateIn(zone, { promises: [promise('kept')] }), '2026-03-21')).not.toContain('promise_broken');
    // Past its window a broken promise governs nothing: the loan is back in its own stage.
    expect(planned(stateIn(zone, { promises: [promise('broken')] }), '2026-03-22')).not.toContain('promise_broken');
  });

  it('a hold starting at 23:30 on New York’s 25-hour fall-back day makes that day a hold day (hold_confirmed)', () => {
    const fromMs = zonedEpochMs('America/New_York', '2026-11-01', 23 * 60 + 30);
    const holds = [{ fromMs, untilMs: fromMs + 7 * 86_400_000, reason: 'illness' }];
    expect(planned(stateIn('America/New_York', { holds }), '2026-11-01')).toEqual(['hold_confirmed']);
    expect(planned(stateIn('America/New_York', { holds }), '2026-10-31')).not.toContain('hold_confirmed');
  });

  it('a hold from 00:30 after New York’s 23-hour spring-forward day leaves that day to the loan’s own stage', () => {
    const fromMs = zonedEpochMs('America/New_York', '2026-03-09', 30);
    const holds = [{ fromMs, untilMs: fromMs + 7 * 86_400_000, reason: 'illness' }];
    expect(planned(stateIn('America/New_York', { holds }), '2026-03-08')).not.toContain('hold_confirmed');
    expect(planned(stateIn('America/New_York', { holds }), '2026-03-09')).toEqual(['hold_confirmed']);
  });
});
