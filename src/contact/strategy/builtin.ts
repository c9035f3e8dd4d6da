// The built-in strategies, as the same JSON a supervisor would write, parsed once when the module loads.
// `default` is kind and modest, with "smart frequency": cooperative borrowers skip the extra e-mail and
// push reminders; borrowers with a loan 31+ days past due (bucket M2 and beyond) get more contact.
// `gentle` has fewer steps and no calls, for cooperative books.
import { parseStrategy, type Strategy, type StepJson, type StrategyJson } from './schema.ts';

/** Segments whose borrowers get the default's ordinary (non-cooperative) reminders. */
const notCooperative = ['all', 'long_overdue'];
/** Buckets from DPD 31 on, with the default bucket ladder (M0, M1 1–30, M2 31–60, …). */
const longOverdueBuckets = ['M2', 'M3', 'M4', 'M5', 'M6', 'M7+'];

function call(id: string, dayOffset: number, template: string, extra: Partial<StepJson> = {}): StepJson {
  return {
    id,
    stage: 'delinquent',
    dayOffset,
    channel: 'voice',
    template,
    sendAt: '14:00',
    fallback: { channel: 'sms', template, when: 'unanswered' },
    ...extra,
  };
}

const defaultStrategyJson: StrategyJson = {
  name: 'default',
  version: 1,
  description:
    'Kind and modest: a few reminders around the due date, steady follow-up when overdue, fewer for cooperative borrowers and more once a loan is 31+ days past due.',
  segments: [
    { name: 'long_overdue', when: { bucketIn: longOverdueBuckets } },
    { name: 'cooperative', when: { cooperative: true } },
  ],
  steps: [
    { id: 'pre_due_3', stage: 'pre_due', dayOffset: -3, channel: 'sms', template: 'due_soon', sendAt: '09:00' },
    {
      id: 'pre_due_3_email',
      stage: 'pre_due',
      dayOffset: -3,
      segment: notCooperative,
      channel: 'email',
      template: 'due_soon',
      sendAt: '09:00',
    },
    { id: 'due_0', stage: 'due', dayOffset: 0, channel: 'push', template: 'due_today', sendAt: '09:30' },
    { id: 'grace_1', stage: 'grace', dayOffset: 1, channel: 'sms', template: 'in_grace', sendAt: '10:00' },
    {
      id: 'grace_ending',
      stage: 'grace',
      dayOffset: 0,
      anchor: 'grace_end',
      channel: 'sms',
      template: 'grace_ending',
      sendAt: '10:00',
    },
    { id: 'delinquent_1', stage: 'delinquent', dayOffset: 1, channel: 'sms', template: 'overdue_1', sendAt: '10:00' },
    {
      id: 'delinquent_3',
      stage: 'delinquent',
      dayOffset: 3,
      segment: notCooperative,
      channel: 'push',
      template: 'overdue_1',
      sendAt: '10:00',
    },
    { id: 'delinquent_7', stage: 'delinquent', dayOffset: 7, channel: 'sms', template: 'overdue_7', sendAt: '10:00' },
    {
      id: 'delinquent_7_email',
      stage: 'delinquent',
      dayOffset: 7,
      segment: notCooperative,
      channel: 'email',
      template: 'overdue_7',
      sendAt: '10:00',
    },
    call('delinquent_15', 15, 'overdue_15'),
    {
      id: 'delinquent_30',
      stage: 'delinquent',
      dayOffset: 30,
      channel: 'letter',
      template: 'overdue_30',
      sendAt: '10:00',
      validDays: 3,
    },
    call('delinquent_30_voice', 30, 'overdue_30'),
    {
      id: 'delinquent_60',
      stage: 'delinquent',
      dayOffset: 60,
      channel: 'letter',
      template: 'overdue_60',
      sendAt: '10:00',
      validDays: 3,
    },
    {
      id: 'delinquent_90',
      stage: 'delinquent',
      dayOffset: 90,
      channel: 'letter',
      template: 'final_notice',
      sendAt: '10:00',
      validDays: 3,
    },
    // Long overdue: a text and a call between the letters, every few weeks.
    {
      id: 'delinquent_45',
      stage: 'delinquent',
      dayOffset: 45,
      segment: 'long_overdue',
      channel: 'sms',
      template: 'overdue_30',
      sendAt: '10:00',
    },
    call('delinquent_52_voice', 52, 'overdue_30', { segment: 'long_overdue' }),
    {
      id: 'delinquent_75',
      stage: 'delinquent',
      dayOffset: 75,
      segment: 'long_overdue',
      channel: 'sms',
      template: 'overdue_60',
      sendAt: '10:00',
    },
    call('delinquent_82_voice', 82, 'overdue_60', { segment: 'long_overdue' }),
    {
      id: 'delinquent_105',
      stage: 'delinquent',
      dayOffset: 105,
      segment: 'long_overdue',
      channel: 'sms',
      template: 'final_notice',
      sendAt: '10:00',
    },
    call('delinquent_120_voice', 120, 'final_notice', { segment: 'long_overdue' }),
    {
      id: 'delinquent_150',
      stage: 'delinquent',
      dayOffset: 150,
      segment: 'long_overdue',
      channel: 'sms',
      template: 'final_notice',
      sendAt: '10:00',
    },
    // A hold keeps to one message a week at most, and no calls.
    // An open promise to pay: nothing until its date has passed (no message on the promised date).
    { id: 'hold_0', stage: 'hold', dayOffset: 0, channel: 'sms', template: 'hold_confirmed', sendAt: '10:00' },
    { id: 'hold_7', stage: 'hold', dayOffset: 7, channel: 'sms', template: 'hold_checkin', sendAt: '10:00' },
    { id: 'hold_14', stage: 'hold', dayOffset: 14, channel: 'sms', template: 'hold_checkin', sendAt: '10:00' },
    // Only for a borrower who asked to be reminded (remindMe): the gate holds it back otherwise.
    {
      id: 'promise_before',
      stage: 'promise',
      dayOffset: -1,
      channel: 'push',
      template: 'promise_reminder',
      sendAt: '09:00',
    },
    {
      id: 'promise_broken',
      stage: 'promise',
      dayOffset: 1,
      channel: 'sms',
      template: 'promise_broken',
      sendAt: '10:00',
    },
    { id: 'hardship_0', stage: 'hardship', dayOffset: 0, channel: 'email', template: 'plan_offer', sendAt: '10:00' },
  ],
};

const gentleStrategyJson: StrategyJson = {
  name: 'gentle',
  version: 1,
  description: 'For cooperative borrowers: one reminder before and on the due date, written follow-up only, no calls.',
  segments: [],
  steps: [
    { id: 'pre_due_3', stage: 'pre_due', dayOffset: -3, channel: 'push', template: 'due_soon', sendAt: '09:00' },
    { id: 'due_0', stage: 'due', dayOffset: 0, channel: 'sms', template: 'due_today', sendAt: '09:30' },
    {
      id: 'grace_ending',
      stage: 'grace',
      dayOffset: 0,
      anchor: 'grace_end',
      channel: 'push',
      template: 'grace_ending',
      sendAt: '10:00',
    },
    { id: 'delinquent_1', stage: 'delinquent', dayOffset: 1, channel: 'sms', template: 'overdue_1', sendAt: '10:00' },
    { id: 'delinquent_7', stage: 'delinquent', dayOffset: 7, channel: 'sms', template: 'overdue_7', sendAt: '10:00' },
    {
      id: 'delinquent_15',
      stage: 'delinquent',
      dayOffset: 15,
      channel: 'email',
      template: 'overdue_15',
      sendAt: '10:00',
    },
    {
      id: 'delinquent_30',
      stage: 'delinquent',
      dayOffset: 30,
      channel: 'letter',
      template: 'overdue_30',
      sendAt: '10:00',
      validDays: 3,
    },
    {
      id: 'delinquent_60',
      stage: 'delinquent',
      dayOffset: 60,
      channel: 'letter',
      template: 'overdue_60',
      sendAt: '10:00',
      validDays: 3,
    },
    {
      id: 'delinquent_90',
      stage: 'delinquent',
      dayOffset: 90,
      channel: 'letter',
      template: 'final_notice',
      sendAt: '10:00',
      validDays: 3,
    },
    { id: 'hold_0', stage: 'hold', dayOffset: 0, channel: 'sms', template: 'hold_confirmed', sendAt: '10:00' },
    { id: 'hold_14', stage: 'hold', dayOffset: 14, channel: 'sms', template: 'hold_checkin', sendAt: '10:00' },
    // Only for a borrower who asked to be reminded (remindMe): the gate holds it back otherwise.
    {
      id: 'promise_before',
      stage: 'promise',
      dayOffset: -1,
      channel: 'push',
      template: 'promise_reminder',
      sendAt: '09:00',
    },
    {
      id: 'promise_broken',
      stage: 'promise',
      dayOffset: 1,
      channel: 'sms',
      template: 'promise_broken',
      sendAt: '10:00',
    },
    { id: 'hardship_0', stage: 'hardship', dayOffset: 0, channel: 'email', template: 'plan_offer', sendAt: '10:00' },
  ],
};

export const builtInStrategies: Readonly<Record<string, Strategy>> = Object.freeze({
  default: parseStrategy(defaultStrategyJson, 'strategies.default'),
  gentle: parseStrategy(gentleStrategyJson, 'strategies.gentle'),
});

export const builtInStrategyNames: readonly string[] = Object.freeze(Object.keys(builtInStrategies));

/** Template ids the built-in strategies use (steps and fallbacks); the template set must cover them. */
export function templatesUsed(strategy: Strategy): string[] {
  const ids = new Set<string>();
  const steps = [...strategy.steps, ...(strategy.experiment?.challenger.steps ?? [])];
  for (const step of steps) {
    ids.add(step.template);
    if (step.fallback !== undefined) ids.add(step.fallback.template);
  }
  return [...ids].sort();
}
