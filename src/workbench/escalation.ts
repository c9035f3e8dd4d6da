// The escalation ladder and the lawyer's letter at its legal stage: whether a case may move up now
// (checkEscalation), what the letter says and to whom (planLawyerLetter, renderLawyerLetter), and the one
// decision the shell applies (decideEscalation): a refusal with a stable code, or the stage to move to,
// its reasons and the letter to send. Pure: the shell (src/app/workbench.ts) gathers the facts, renders the
// PDF outside any lock and writes what was decided; a dry run is this decision with nothing written.
//
// Invariants: an escalation goes to a later stage of the ladder only when the borrower's DPD and the
// notices sent meet that stage's conditions, and never while contact is paused for a complaint or
// dispute, a hardship request is open or a promise to pay has not yet come due; the lawyer's letter goes
// only to the borrower's own postal address, and only when the compliance gate would send a letter now.
import { addDays, daysBetween, localDate, toEpochDay, zonedDayEndMs, type IsoDate } from '../calendar/index.ts';
import {
  contactView,
  evaluateContact,
  formatLoanList,
  loanContactView,
  renderTemplate,
  resolveTemplateLocale,
  type BorrowerContactState,
  type ContactIntent,
  type GateDecision,
  type LoanContactView,
  type PolicyPack,
} from '../contact/index.ts';
import { InputError, invariant, quote } from '../errors/index.ts';
import { formatMoneyForLocale } from '../money/index.ts';
import { isSettled, penaltyOutstanding, scheduledOutstanding, type LoanState } from '../servicing/index.ts';
import { formatLocalDate } from './notices.ts';

// ---- escalation -------------------------------------------------------------------------------------

export interface EscalationStage {
  readonly name: string;
  /** The borrower's highest DPD must be at least this. */
  readonly dpdAtLeast: number;
  /** Templates that must have been sent to the borrower (any channel) before this stage … */
  readonly noticesRequired: readonly string[];
  /** … at least this many days before (time to respond). */
  readonly noticesSentDaysBeforeMin: number;
  /** This stage sends a lawyer's letter to the borrower's postal address. */
  readonly lawyerLetter: boolean;
}

/** The first stage is where every case starts; its conditions are not checked. */
export const defaultEscalationLadder: readonly EscalationStage[] = [
  { name: 'soft', dpdAtLeast: 1, noticesRequired: [], noticesSentDaysBeforeMin: 0, lawyerLetter: false },
  { name: 'hard', dpdAtLeast: 31, noticesRequired: ['overdue_30'], noticesSentDaysBeforeMin: 0, lawyerLetter: false },
  { name: 'legal', dpdAtLeast: 90, noticesRequired: ['final_notice'], noticesSentDaysBeforeMin: 7, lawyerLetter: true },
];

const stagesMax = 10;

/** Validates a ladder given as JSON; InputError names the field. */
export function parseEscalationLadder(json: unknown, field = 'ladder'): EscalationStage[] {
  if (json === undefined || json === null) return [...defaultEscalationLadder];
  if (!Array.isArray(json) || json.length === 0 || json.length > stagesMax) {
    throw new InputError(field, `must be a list of 1–${stagesMax} stages, got ${quote(json)}`);
  }
  const names = new Set<string>();
  let previousDpd = -1;
  return json.map((item: unknown, index) => {
    const at = `${field}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InputError(at, `must be an object, got ${quote(item)}`);
    }
    const stage = item as Record<string, unknown>;
    for (const key of Object.keys(stage)) {
      if (!['name', 'dpdAtLeast', 'noticesRequired', 'noticesSentDaysBeforeMin', 'lawyerLetter'].includes(key)) {
        throw new InputError(`${at}.${key}`, 'is not a known setting');
      }
    }
    if (typeof stage.name !== 'string' || !/^[a-z][a-z0-9_]{0,31}$/.test(stage.name) || names.has(stage.name)) {
      throw new InputError(`${at}.name`, `must be a new lower snake case name, got ${quote(stage.name)}`);
    }
    names.add(stage.name);
    const dpd = stage.dpdAtLeast;
    if (typeof dpd !== 'number' || !Number.isInteger(dpd) || dpd < 0 || dpd > 3650 || dpd < previousDpd) {
      throw new InputError(
        `${at}.dpdAtLeast`,
        `must be a whole number 0–3650, not below the stage before, got ${quote(dpd)}`,
      );
    }
    previousDpd = dpd;
    const notices = stage.noticesRequired ?? [];
    if (
      !Array.isArray(notices) ||
      notices.length > 20 ||
      notices.some((n) => typeof n !== 'string' || !/^[a-z][a-z0-9_]*$/.test(n))
    ) {
      throw new InputError(`${at}.noticesRequired`, `must be a list of template ids, got ${quote(notices)}`);
    }
    const wait = stage.noticesSentDaysBeforeMin ?? 0;
    if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > 365) {
      throw new InputError(`${at}.noticesSentDaysBeforeMin`, `must be a whole number 0–365, got ${quote(wait)}`);
    }
    const letter = stage.lawyerLetter ?? false;
    if (typeof letter !== 'boolean')
      throw new InputError(`${at}.lawyerLetter`, `must be true or false, got ${quote(letter)}`);
    return {
      name: stage.name,
      dpdAtLeast: dpd,
      noticesRequired: notices as string[],
      noticesSentDaysBeforeMin: wait,
      lawyerLetter: letter,
    };
  });
}

/** What an escalation is judged on, gathered by the shell. */
export interface EscalationFacts {
  currentStage: string;
  /** The borrower's highest DPD today. */
  dpd: number;
  /** The borrower's local date today. */
  date: IsoDate;
  /** Messages sent to the borrower: template and the local date it was sent. */
  noticesSent: readonly { template: string; sentOn: IsoDate }[];
  state: BorrowerContactState;
  nowMs: number;
}

export type EscalationRejectionCode =
  | 'unknown_stage'
  | 'not_a_later_stage'
  | 'dpd_below_stage'
  | 'notices_missing'
  | 'contact_paused'
  | 'hardship_open'
  | 'promise_open';

export type EscalationCheck =
  | { ok: true; stage: EscalationStage; reasons: string[] }
  | { ok: false; code: EscalationRejectionCode; reason: string };

/** May the case move from its current stage to `toStage` now? Every condition met is in `reasons`. */
export function checkEscalation(
  ladder: readonly EscalationStage[],
  facts: EscalationFacts,
  toStage: string,
): EscalationCheck {
  const target = ladder.findIndex((stage) => stage.name === toStage);
  if (target < 0) {
    return {
      ok: false,
      code: 'unknown_stage',
      reason: `no stage "${toStage}" (${ladder.map((s) => s.name).join(' → ')})`,
    };
  }
  const current = ladder.findIndex((stage) => stage.name === facts.currentStage);
  if (target <= current) {
    return { ok: false, code: 'not_a_later_stage', reason: `the case is at "${facts.currentStage}" already` };
  }
  const stage = ladder[target] as EscalationStage;
  const pause = facts.state.pauses.find(
    (p) => p.fromMs <= facts.nowMs && (p.untilMs === null || facts.nowMs < p.untilMs),
  );
  if (pause) {
    return { ok: false, code: 'contact_paused', reason: `contact is paused (${pause.reason}) until it is reviewed` };
  }
  if (facts.state.hardshipSince !== null) {
    return {
      ok: false,
      code: 'hardship_open',
      reason: `a hardship request is open since ${facts.state.hardshipSince}`,
    };
  }
  const promise = facts.state.promises.find((p) => p.status === 'open' && p.date >= facts.date);
  if (promise) {
    return {
      ok: false,
      code: 'promise_open',
      reason: `the borrower promised to pay on ${promise.loanId} by ${promise.date}; wait until it is judged`,
    };
  }
  if (facts.dpd < stage.dpdAtLeast) {
    return {
      ok: false,
      code: 'dpd_below_stage',
      reason: `"${stage.name}" needs DPD ≥ ${stage.dpdAtLeast}, the borrower is at ${facts.dpd}`,
    };
  }
  const reasons = [`DPD ${facts.dpd} ≥ ${stage.dpdAtLeast}`];
  const latestSentOn = addDays(facts.date, -stage.noticesSentDaysBeforeMin);
  for (const template of stage.noticesRequired) {
    const sent = facts.noticesSent
      .filter((notice) => notice.template === template && notice.sentOn <= latestSentOn)
      .sort((a, b) => (a.sentOn < b.sentOn ? -1 : 1))[0];
    if (!sent) {
      const when = stage.noticesSentDaysBeforeMin > 0 ? ` at least ${stage.noticesSentDaysBeforeMin} days ago` : '';
      return { ok: false, code: 'notices_missing', reason: `"${stage.name}" needs notice ${template} sent${when}` };
    }
    reasons.push(`notice ${template} sent on ${sent.sentOn}`);
  }
  return { ok: true, stage, reasons };
}

/** Every later stage and whether the case may move there now (for the console). */
export function escalationOptions(
  ladder: readonly EscalationStage[],
  facts: EscalationFacts,
): { stage: string; allowed: boolean; reason: string }[] {
  const current = ladder.findIndex((stage) => stage.name === facts.currentStage);
  return ladder.slice(current + 1).map((stage) => {
    const check = checkEscalation(ladder, facts, stage.name);
    return { stage: stage.name, allowed: check.ok, reason: check.ok ? check.reasons.join('; ') : check.reason };
  });
}

// ---- the lawyer's letter ----------------------------------------------------------------------------

/** A loan as the letter states it. */
export interface LetterLoan {
  loanId: string;
  /** The oldest unpaid due date. */
  oldestDueDate: IsoDate;
  /** Days from it to the letter's date. */
  daysOverdue: number;
  /** Principal, interest and fee past due, plus penalty owed. */
  amountDueMinor: bigint;
  currency: string;
}

/** The letter's facts about a loan on `date`; null when nothing of it is past due. */
export function letterLoanOf(state: LoanState, date: IsoDate): LetterLoan | null {
  const day = toEpochDay(date);
  let oldest: IsoDate | null = null;
  let amountDueMinor = 0n;
  for (const row of state.installments) {
    if (row.dueEpochDay >= day) break;
    amountDueMinor += scheduledOutstanding(row) + penaltyOutstanding(row);
    if (oldest === null && !isSettled(row)) oldest = row.dueDate;
  }
  if (oldest === null) return null;
  return {
    loanId: state.loanId,
    oldestDueDate: oldest,
    daysOverdue: daysBetween(oldest, date),
    amountDueMinor,
    currency: state.currency,
  };
}

/** The highest DPD among the loans on `date` (0 when none is past due). */
export function highestDpd(loans: readonly LetterLoan[]): number {
  return loans.reduce((max, loan) => Math.max(max, loan.daysOverdue), 0);
}

export type LetterRejectionCode = 'no_borrower_address' | 'address_blocked' | 'nothing_past_due' | 'gate_refused';

export type LawyerLetterPlan =
  | { ok: true; intent: ContactIntent; address: string; decision: GateDecision }
  | { ok: false; code: LetterRejectionCode; reason: string };

/**
 * The lawyer's letter as a contact: to the borrower's own postal address (state.addresses.letter — the
 * only address it can have; never a third party's or a blocked one), about the loans past due, checked
 * by the compliance gate now (opt-out of letters, holds, pauses, the letter cap).
 */
export function planLawyerLetter(input: {
  state: BorrowerContactState;
  stage: string;
  loans: readonly LetterLoan[];
  loanViews: readonly LoanContactView[];
  policy: PolicyPack;
  nowMs: number;
}): LawyerLetterPlan {
  const { state, nowMs } = input;
  const address = state.addresses.letter?.trim();
  if (address === undefined || address.length === 0) {
    return {
      ok: false,
      code: 'no_borrower_address',
      reason: 'the borrower has no postal address of their own on file',
    };
  }
  if (state.blockedAddresses.includes(address) || state.blockedAddresses.includes(state.addresses.letter as string)) {
    return { ok: false, code: 'address_blocked', reason: 'the postal address on file is marked as not the borrower’s' };
  }
  if (input.loans.length === 0) return { ok: false, code: 'nothing_past_due', reason: 'no loan is past due' };
  const date = localDate(state.timezone, nowMs);
  const loans = [...input.loans].sort((a, b) => (a.loanId < b.loanId ? -1 : 1));
  const stepId = `escalation_${input.stage}`;
  const intent: ContactIntent = {
    intentId: `${state.borrowerId}:${date}:${stepId}:letter`,
    borrowerId: state.borrowerId,
    loanIds: loans.map((loan) => loan.loanId),
    subjects: loans.map((loan) => ({
      loanId: loan.loanId,
      installmentNumbers: [],
      amountMinor: loan.amountDueMinor,
      currency: loan.currency,
    })),
    channel: 'letter',
    template: 'lawyer_letter',
    purpose: 'reminder',
    stage: 'delinquent',
    strategy: { name: 'workbench', version: 1, arm: 'champion', stepId },
    date,
    plannedAtMs: nowMs,
    validUntilMs: zonedDayEndMs(state.timezone, date),
    reasons: [`escalation to ${input.stage}`],
  };
  const decision = evaluateContact({
    intent,
    view: contactView(state, input.loanViews),
    policy: input.policy,
    nowMs,
    address,
  });
  if (decision.verdict !== 'send') {
    return {
      ok: false,
      code: 'gate_refused',
      reason: `the compliance gate says ${decision.verdict}: ${decision.reasons.join('; ')}`,
    };
  }
  return { ok: true, intent, address, decision };
}

/** A letter ready for the PDF renderer (the shape of channels/letter's Letter). */
export interface LetterContent {
  locale: string;
  sender: { name: string; address: string };
  recipientAddress: string;
  dateText: string;
  subject: string;
  body: string;
  verificationCode: string;
  createdAtMs: number;
}

export interface Lender {
  name: string;
  /** Postal address printed as the sender. */
  address: string;
  portalUrl: string;
}

/** The lawyer's letter's text (template `lawyer_letter`, the long variant) addressed to the borrower. */
export function renderLawyerLetter(input: {
  borrowerName: string;
  locale: string;
  timezone: string;
  address: string;
  loans: readonly LetterLoan[];
  lender: Lender;
  verificationCode: string;
  nowMs: number;
}): LetterContent {
  invariant(input.loans.length > 0, 'a lawyer letter is about at least one loan');
  const locale = resolveTemplateLocale(input.locale);
  const loans = [...input.loans].sort((a, b) => (a.loanId < b.loanId ? -1 : 1));
  const totals = new Map<string, bigint>();
  for (const loan of loans) totals.set(loan.currency, (totals.get(loan.currency) ?? 0n) + loan.amountDueMinor);
  const amount = [...totals]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, amountMinor]) =>
      formatMoneyForLocale({ amountMinor, currency }, locale === 'zh-CN' ? 'zh-CN' : 'en-US'),
    )
    .join(' + ');
  const oldest = loans.reduce(
    (min, loan) => (loan.oldestDueDate < min ? loan.oldestDueDate : min),
    loans[0]!.oldestDueDate,
  );
  const rendered = renderTemplate({
    templateId: 'lawyer_letter',
    channel: 'letter',
    locale,
    variables: {
      borrowerName: input.borrowerName,
      lenderName: input.lender.name,
      amount,
      loanList: formatLoanList({ locale, loanLabels: loans.map((loan) => loan.loanId) }),
      dueDate: formatLocalDate(oldest, locale),
      daysOverdue: highestDpd(loans),
      portalUrl: input.lender.portalUrl,
      verificationCode: input.verificationCode,
    },
  });
  return {
    locale,
    sender: { name: input.lender.name, address: input.lender.address },
    recipientAddress: `${input.borrowerName}\n${input.address}`,
    dateText: formatLocalDate(localDate(input.timezone, input.nowMs), locale),
    subject: rendered.subject ?? '',
    body: rendered.body,
    verificationCode: input.verificationCode,
    createdAtMs: input.nowMs,
  };
}

// ---- the decision -----------------------------------------------------------------------------------

/** Everything an escalation is decided on, gathered by the shell. */
export interface EscalationInput {
  ladder: readonly EscalationStage[];
  policy: PolicyPack;
  /** The case's stage now and its loans. */
  currentStage: string;
  caseLoanIds: readonly string[];
  toStage: string;
  borrowerName: string;
  state: BorrowerContactState;
  /** Every loan of the borrower (the gate reads them all; the letter states the case's past-due ones). */
  loans: readonly LoanState[];
  /** Messages sent to the borrower: their template and when. */
  messagesSent: readonly { template: string; sentAtMs: number }[];
  /** The sender of the letter; needed only for a stage with one. */
  lender?: Lender;
  nowMs: number;
}

/** What renderLawyerLetter needs but the verification code, which the store assigns. */
export type LetterDraft = Omit<Parameters<typeof renderLawyerLetter>[0], 'verificationCode'>;

export interface LetterToSend {
  intent: ContactIntent;
  address: string;
  /** The compliance gate's verdict (send) and its reasons. */
  gate: GateDecision;
  draft: LetterDraft;
}

export interface EscalationDecision {
  fromStage: string;
  toStage: string;
  /** Every condition met, for the record. */
  reasons: string[];
  /** The lawyer's letter the stage sends, or null. */
  letter: LetterToSend | null;
  /** The borrower's local date the escalation is on. */
  date: IsoDate;
}

export type EscalationVerdict =
  | { ok: true; value: EscalationDecision }
  | { ok: false; code: EscalationRejectionCode | LetterRejectionCode; message: string; field: 'toStage' | 'letter' };

/**
 * May the case move to `toStage` now, and with which letter? A refusal names its code and the field at
 * fault; InputError when the stage needs a letter and no lender is configured.
 */
export function decideEscalation(input: EscalationInput): EscalationVerdict {
  const { state, nowMs } = input;
  const date = localDate(state.timezone, nowMs);
  const letterLoans = input.loans
    .filter((loan) => input.caseLoanIds.includes(loan.loanId))
    .map((loan) => letterLoanOf(loan, date))
    .filter((loan): loan is LetterLoan => loan !== null);
  const check = checkEscalation(
    input.ladder,
    {
      currentStage: input.currentStage,
      dpd: highestDpd(letterLoans),
      date,
      noticesSent: input.messagesSent.map((m) => ({
        template: m.template,
        sentOn: localDate(state.timezone, m.sentAtMs),
      })),
      state,
      nowMs,
    },
    input.toStage,
  );
  if (!check.ok) return { ok: false, code: check.code, message: `toStage: ${check.reason}`, field: 'toStage' };
  const decision: EscalationDecision = {
    fromStage: input.currentStage,
    toStage: check.stage.name,
    reasons: [...check.reasons],
    letter: null,
    date,
  };
  if (!check.stage.lawyerLetter) return { ok: true, value: decision };
  const lender = input.lender;
  if (lender === undefined) throw new InputError('config.lender', 'is needed to send a lawyer letter');
  const plan = planLawyerLetter({
    state,
    stage: check.stage.name,
    loans: letterLoans,
    loanViews: input.loans.map(loanContactView),
    policy: input.policy,
    nowMs,
  });
  if (!plan.ok) return { ok: false, code: plan.code, message: `letter: ${plan.reason}`, field: 'letter' };
  const draft: LetterDraft = {
    borrowerName: input.borrowerName,
    locale: state.locale,
    timezone: state.timezone,
    address: plan.address,
    loans: letterLoans,
    lender,
    nowMs,
  };
  return {
    ok: true,
    value: { ...decision, letter: { intent: plan.intent, address: plan.address, gate: plan.decision, draft } },
  };
}
