// The in-memory contact desk the simulator and the strategy preview run: it plans with planContactDay and
// decides with decideDispatch / decideDelivery exactly as production's dispatcher does from the same
// state (property), sends once per contact, and carries out a retry and a rejection as production does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, zonedEpochMs } from '../calendar/index.ts';
import type { LoanState } from '../servicing/index.ts';
import { closeEachDay, openBook } from '../servicing/testing.ts';
import { contactView, loanContactView, newBorrowerContactState, type BorrowerContactState } from './borrower.ts';
import { planContactDay } from './day-plan.ts';
import { ContactDesk, type DeskBorrower, type DeskStep } from './desk.ts';
import { decideDispatch } from './dispatch.ts';
import type { ContactChannel } from './model.ts';
import { builtInPolicies, type PolicyPack } from './policy/index.ts';
import { builtInStrategies, type Strategy } from './strategy/index.ts';

const strategy = builtInStrategies.default as Strategy;
const policy = builtInPolicies['cn-2026'] as PolicyPack;
const secret = 'desk-test-secret-0123456789';
const zone = 'Asia/Shanghai';
const everyAddress = { sms: '+8613800000001', email: 'b1@example.com', push: 'device-b1', voice: '+8613800000001' };

function borrower(contacts: Partial<Record<ContactChannel, string>> = everyAddress): DeskBorrower {
  return { id: 'B1', timezone: zone, locale: 'zh-CN', contacts };
}

/** The contract loan (first due 2026-03-15), closed through `date` with nothing paid. */
function loansOn(date: string): LoanState[] {
  return [closeEachDay(openBook(), date).state];
}

describe('ContactDesk', () => {
  it('sends the pre-due reminder at 09:00 local with a verification code; a retryable answer retries with the same code', () => {
    const desk = new ContactDesk([borrower()], { policy, strategy, secret });
    const loans = loansOn('2026-03-12');
    desk.startDay('2026-03-12', new Map([['B1', loans]]));
    const step = desk.next('2026-03-12', () => loans) as Extract<DeskStep, { kind: 'send' }>;
    expect(step.kind).toBe('send');
    expect(step.send).toMatchObject({ atMs: zonedEpochMs(zone, '2026-03-12', 9 * 60), attempts: 1, loanIds: ['L1'] });
    const retry = desk.settle(
      step.send,
      { outcome: 'retryable', code: 'timeout', detail: 'slow' },
      { backoffMs: () => 60_000 },
    );
    expect(retry).toBeNull();
    expect(desk.nextDueMs('2026-03-12')).toBe(step.send.atMs);
    // The other 09:00 contact (e-mail) goes first; then the retry, a minute later, as attempt 2.
    const email = desk.next('2026-03-12', () => loans) as Extract<DeskStep, { kind: 'send' }>;
    expect(email.send.intent.channel).toBe('email');
    desk.settle(email.send, { outcome: 'accepted' }, { backoffMs: () => 0 });
    const again = desk.next('2026-03-12', () => loans) as Extract<DeskStep, { kind: 'send' }>;
    expect(again.send).toMatchObject({ atMs: step.send.atMs + 60_000, attempts: 2, code: step.send.code });
    const sent = desk.settle(again.send, { outcome: 'accepted' }, { backoffMs: () => 0 });
    expect(sent).toMatchObject({ status: 'sent', channel: 'sms', template: 'due_soon', code: step.send.code });
    expect(desk.next('2026-03-12', () => loans)).toBeNull();
  });

  it('a rejected send is suppressed with the channel’s code, and never retried', () => {
    const desk = new ContactDesk([borrower({ sms: '+8613800000001' })], { policy, strategy, secret });
    const loans = loansOn('2026-03-12');
    desk.startDay('2026-03-12', new Map([['B1', loans]]));
    const steps: DeskStep[] = [];
    for (let step = desk.next('2026-03-12', () => loans); step !== null; step = desk.next('2026-03-12', () => loans)) {
      steps.push(step);
      if (step.kind === 'send') {
        const answer = { outcome: 'rejected', code: 'invalid_address', detail: 'no such number' } as const;
        const contact = desk.settle(step.send, answer, { backoffMs: () => 60_000 });
        expect(contact?.reasons.at(-1)).toBe('channel_rejected invalid_address');
      }
    }
    expect(steps.filter((step) => step.kind === 'send')).toHaveLength(1);
    // The e-mail step has no address: suppressed by no_address.
    const decided = steps.flatMap((step) => (step.kind === 'decided' && step.contact ? [step.contact] : []));
    expect(decided.map((contact) => contact.reasons.at(-1))).toEqual(['no_address email']);
  });

  it('decides every planned contact as production’s dispatcher does from the same state (property)', () => {
    const channels: ContactChannel[] = ['sms', 'email', 'push', 'voice'];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.subarray(channels),
        fc.subarray(channels),
        fc.option(fc.record({ dayOffset: fc.integer({ min: -3, max: 1 }), days: fc.integer({ min: 1, max: 14 }) })),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        (offset, addressed, optedOut, hold, minute) => {
          const date = addDays('2026-03-10', offset);
          const loans = loansOn(date);
          const addresses = Object.fromEntries(addressed.map((channel) => [channel, everyAddress[channel as 'sms']]));
          let state: BorrowerContactState = {
            ...newBorrowerContactState({ borrowerId: 'B1', timezone: zone, locale: 'zh-CN', addresses }),
            optOuts: optedOut,
          };
          if (hold) {
            const fromMs = zonedEpochMs(zone, addDays(date, hold.dayOffset), minute);
            state = { ...state, holds: [{ fromMs, untilMs: fromMs + hold.days * 86_400_000, reason: 'illness' }] };
          }
          const desk = new ContactDesk([borrower(addresses)], { policy, strategy, secret }, new Map([['B1', state]]));
          desk.startDay(date, new Map([['B1', loans]]));
          // Production: the same intents (planBorrower → planContactDay), each decided at its instant.
          const intents = planContactDay({ state, date, loans, strategy }).sort(
            (a, b) => a.plannedAtMs - b.plannedAtMs,
          );
          for (const intent of intents) {
            const production = decideDispatch({
              intent,
              view: contactView(state, loans.map(loanContactView)),
              address: state.addresses[intent.channel],
              policy,
              nowMs: intent.plannedAtMs,
            });
            const step = desk.next(date, () => loans);
            expect(step).not.toBeNull();
            const desked = step as DeskStep;
            if (production.action === 'send') {
              expect(desked).toMatchObject({ kind: 'send', send: { intent, loanIds: production.loanIds } });
              return; // a send changes the history; later contacts see it (covered by the golden cases)
            }
            if (production.action === 'skip') {
              expect(desked).toMatchObject({
                kind: 'decided',
                contact: { status: 'suppressed', reasons: production.reasons },
              });
              if (production.fallback) return;
            } else {
              expect(desked).toEqual({ kind: 'decided', contact: null });
              return; // a held contact is queued again; its order among the rest is the queue's
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
