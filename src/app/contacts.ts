// The production contact pipeline on the database: planning after the daily close, a crash-safe
// dispatcher, contact events and delivery receipts (docs/contacts.md). The rules are the pure core's —
// planContactDay plans, evaluateContact gates a planned contact, decideDispatch and decideDelivery decide
// a dispatch and a channel's answer (re-sends, retries, fallbacks via fallbackOf), applyContactEvent and
// borrower.ts move the contact state — and this file only gathers state, calls them and writes what they
// decided. They read and write through the ContactStore port (contact-store.ts): the database in
// production, the in-memory store in the strategy preview.
//
// Invariants:
// - Planning a date is idempotent: contact ids are the intents' deterministic ids, inserted ON CONFLICT
//   DO NOTHING, so a rerun inserts nothing and writes no second decision.
// - Every contact passes the gate twice: when planned (at its planned instant, against the state then)
//   and when due (at the dispatch instant, against the live loans and contact state), so a payment, hold,
//   promise or opt-out in between wins. Contacts already decided for sending but not yet recorded count
//   against the caps, so two dispatchers never both use the last slot.
// - A contact is sent at most once to the borrower: the send decision is committed ('sending', with its
//   verification code) before the provider is called with messageId = contact id; a crash anywhere after
//   that makes a later claim re-send the same message under the same key, which the provider deduplicates.
//   A re-send is not gated again for caps (it was already counted); only its validity and an opt-out are checked.
// - 'sent' and the contact-history record the caps count are written in one transaction, once.
// - Every instant comes from the caller (`nowMs`): the same code runs on a simulated clock.
import { addDays, localParts, type IsoDate } from '../calendar/index.ts';
import {
  applyContactEvent,
  blockAddress,
  contactChannels,
  contactPlanThrough,
  contactView,
  decideDelivery,
  decideDispatch,
  defaultPolicy,
  DISPATCH_ATTEMPTS_MAX_DEFAULT,
  DISPATCH_RETRY_BASE_MS_DEFAULT,
  DISPATCH_RETRY_MAX_MS_DEFAULT,
  evaluateContact,
  fallbackOf,
  judgePromises,
  loanContactView,
  messageVariables,
  newBorrowerContactState,
  optOut,
  planContactDay,
  recordContact,
  renderTemplate,
  type BorrowerContactState,
  type BorrowerContactView,
  type ContactChannel,
  type ContactIntent,
  type ContactRecord,
  type ContactStateEvent,
  type FallbackWhen,
  type PolicyPack,
  type RenderedMessage,
  type Strategy,
  type TemplateOverrides,
} from '../contact/index.ts';
import type { ChannelAdapter, DeliveryReceipt, OutboundMessage, SendOutcome } from '../channels/channel.ts';
import { retryDelayMs } from '../channels/circuit-breaker.ts';
import { InputError, invariant } from '../errors/index.ts';
import type { LoanState } from '../servicing/index.ts';
import {
  CONTACT_BORROWERS_PAGE_MAX,
  CONTACT_CLAIM_MAX,
  ContactStateConflictError,
  type CallTaskRow,
  type ContactChange,
  type ContactRow,
  type ContactStateWrite,
  type ContactSubject,
  type DecisionVerdict,
  type NewContact,
} from '../store/contacts.ts';
import type { Partition, Queryable } from '../store/index.ts';
import {
  contactStoreOf,
  sqlContactOperations,
  type ContactOperations,
  type ContactStore,
  type ContactStoreInput,
  type RequestedPlan,
} from './contact-store.ts';

export const PLAN_PAGE_SIZE_DEFAULT = 1_000;
/** A planning run stops after this many pages (a book of a billion borrowers at the default size). */
const planPagesMax = 1_000_000;
export const DISPATCH_LEASE_MS_DEFAULT = 5 * 60_000;

// ---- shared ---------------------------------------------------------------------------------------

/** A borrower's loans as states, in loan id order. */
export async function borrowerLoans(queryable: Queryable, borrowerId: string): Promise<LoanState[]> {
  return sqlContactOperations(queryable).borrowerLoans(borrowerId);
}

/** Addresses by channel from borrowers.contacts (other keys and non-text values are ignored). */
function addressesOf(contacts: unknown): Partial<Record<ContactChannel, string>> {
  const addresses: Partial<Record<ContactChannel, string>> = {};
  if (typeof contacts !== 'object' || contacts === null) return addresses;
  for (const channel of contactChannels) {
    const value = (contacts as Record<string, unknown>)[channel];
    if (typeof value === 'string' && value.length > 0) addresses[channel] = value;
  }
  return addresses;
}

/**
 * The borrower's contact state as of now: the stored one (or a new one), with time zone, locale and
 * addresses from the borrower row, which is where they are kept (contact_update events write them back).
 */
export function currentState(subject: ContactSubject): BorrowerContactState {
  const base = {
    timezone: subject.timezone,
    locale: subject.locale,
    addresses: addressesOf(subject.contacts),
  };
  if (subject.state === null) return newBorrowerContactState({ borrowerId: subject.borrowerId, ...base });
  return { ...subject.state, ...base };
}

function stateWrite(subject: ContactSubject, state: BorrowerContactState, nowMs: number): ContactStateWrite {
  return { state, expectedVersion: subject.version, planThrough: contactPlanThrough(state), updatedAtMs: nowMs };
}

async function lockSubject(tx: ContactOperations, borrowerId: string): Promise<ContactSubject> {
  const [subject] = await tx.contactSubjects([borrowerId], { lock: true });
  if (subject === undefined) throw new InputError('borrowerId', `no borrower ${JSON.stringify(borrowerId)}`);
  return subject;
}

/** The fallback contact the core planned (fallbackOf), as a row due now. */
function fallbackRow(contact: Pick<ContactRow, 'businessDate'>, fallback: ContactIntent, nowMs: number): NewContact {
  return {
    intent: fallback,
    businessDate: contact.businessDate,
    status: 'planned',
    dueAtMs: nowMs,
    verdict: 'send',
    reasons: [fallback.reasons.at(-1) as string],
    decidedAtMs: nowMs,
  };
}

/** The row of the contact's fallback for `when`, or null when its intent has none. */
function fallbackContact(
  contact: Pick<ContactRow, 'intent' | 'businessDate'>,
  when: FallbackWhen,
  nowMs: number,
): NewContact | null {
  const fallback = fallbackOf(contact.intent, when, nowMs);
  return fallback === null ? null : fallbackRow(contact, fallback, nowMs);
}

/**
 * The gate's view with the borrower's open request for help: the one recorded as a contact event, else
 * the oldest plan asked for and not yet approved or refused (hardship_plans, status 'requested').
 */
function withHardshipRequest(view: BorrowerContactView, requested: RequestedPlan | undefined): BorrowerContactView {
  if (view.hardshipRequest !== undefined || requested === undefined) return view;
  return {
    ...view,
    hardshipRequest: { fromMs: requested.requestedAtMs, reason: `plan ${requested.planType} requested` },
  };
}

/**
 * A hardship request was decided (a plan approved or refused) or closed by staff: ordinary contact
 * resumes. Runs in the caller's transaction; a borrower with no open request is left as is.
 */
export async function closeHardshipRequest(
  tx: Queryable,
  input: { borrowerId: string; nowMs: number; reason: string; policy?: PolicyPack },
): Promise<void> {
  const store = sqlContactOperations(tx);
  const subject = await lockSubject(store, input.borrowerId);
  const state = currentState(subject);
  if (state.hardshipSince === null && !state.hardshipRequest) return;
  const { state: next } = applyContactEvent(
    state,
    { type: 'hardship_closed', reason: input.reason },
    { atMs: input.nowMs, policy: input.policy ?? defaultPolicy },
  );
  await store.saveContactStates([stateWrite(subject, next, input.nowMs)]);
}

// ---- planning -------------------------------------------------------------------------------------

export type PlanContactsOptions = ContactStoreInput & {
  /** The business date just closed; each borrower's day is planned on this local date. */
  date: IsoDate;
  strategy: Strategy;
  policy: PolicyPack;
  /** The planning instant (decision and row timestamps). */
  nowMs: number;
  /** Only this worker's share of borrowers. */
  partition?: Partition;
  /** Borrowers per transaction (default 1,000, at most CONTACT_BORROWERS_PAGE_MAX). */
  pageSize?: number;
};

export interface PlanContactsStats {
  date: IsoDate;
  /** Borrowers looked at. */
  borrowers: number;
  /** Intents the strategy asked for (on a rerun the same as the first time). */
  intents: number;
  /** Contacts that were new (0 on a rerun). */
  inserted: number;
  /** Of the intents: what the planning gate said. */
  send: number;
  defer: number;
  suppress: number;
  /** Borrowers skipped because a loan of theirs was not closed through the date yet. */
  notClosed: number;
  pages: number;
}

function noPlanContactsStats(date: IsoDate): PlanContactsStats {
  return {
    date,
    borrowers: 0,
    intents: 0,
    inserted: 0,
    send: 0,
    defer: 0,
    suppress: 0,
    notClosed: 0,
    pages: 0,
  };
}

/**
 * The stats of a date planned in several borrower-hash ranges, added up: the same as one run over every
 * borrower would count, except `pages` (each range pages on its own).
 */
export function sumPlanContactsStats(date: IsoDate, parts: readonly PlanContactsStats[]): PlanContactsStats {
  const total = noPlanContactsStats(date);
  const counted = ['borrowers', 'intents', 'inserted', 'send', 'defer', 'suppress', 'notClosed', 'pages'] as const;
  for (const part of parts) {
    invariant(part.date === date, `a range planned ${part.date}, not ${date}`);
    for (const key of counted) total[key] += part[key];
  }
  return total;
}

/** How many days ahead of a due date the strategy's earliest reminder goes (0 without pre-due steps). */
export function strategyLeadDays(strategy: Strategy): number {
  let lead = 0;
  const steps = [...strategy.steps, ...(strategy.experiment?.challenger.steps ?? [])];
  for (const step of steps) if (step.stage === 'pre_due') lead = Math.max(lead, -step.dayOffset);
  return lead;
}

/**
 * Plans every borrower's contacts for `date` (run it after the daily close of `date`): for each borrower
 * with an open loan in a stage or a hold, promise or hardship, judges promises that fell due, asks the
 * strategy for the day's intents and gates each at its planned instant. `send` → 'planned' due then;
 * `defer` → 'deferred' due at the gate's notBefore; `suppress` → 'suppressed'. Idempotent.
 */
export async function planContacts(options: PlanContactsOptions): Promise<PlanContactsStats> {
  const { date } = options;
  const store = contactStoreOf(options);
  const pageSize = options.pageSize ?? PLAN_PAGE_SIZE_DEFAULT;
  invariant(
    Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= CONTACT_BORROWERS_PAGE_MAX,
    `page size 1…${CONTACT_BORROWERS_PAGE_MAX}`,
  );
  const stats = noPlanContactsStats(date);
  const eventThrough = addDays(date, Math.max(1, strategyLeadDays(options.strategy)));
  let after: string | undefined;
  for (let page = 0; page < planPagesMax; page += 1) {
    const borrowerIds = await store.planningBorrowers({
      date,
      eventThrough,
      limit: pageSize,
      ...(after === undefined ? {} : { after }),
      ...(options.partition ? { partition: options.partition } : {}),
    });
    if (borrowerIds.length === 0) {
      if (stats.pages > 0) await store.awaitDurable();
      return stats;
    }
    // A page's commit does not wait for durability (as the close's pages): a page lost to a database crash
    // is planned again by the rerun, the same rows (ids are the intents'). The run ends with awaitDurable,
    // so a finished run is on disk.
    await store.transaction(
      async (tx) => {
        // One read per table for the whole page: the borrowers (locked) with their contact states, their
        // open requests for a plan and their loans; then the pure core per borrower; then one write per table.
        const subjects = await tx.contactSubjects(borrowerIds, { lock: true });
        const requested = await tx.requestedPlans(borrowerIds);
        const loansOf = await tx.pageLoans(borrowerIds);
        const contacts: NewContact[] = [];
        const writes: ContactStateWrite[] = [];
        for (const subject of subjects) {
          const loans = loansOf(subject.borrowerId);
          const planned = planBorrower(subject, loans, options, stats, requested.get(subject.borrowerId));
          if (planned === null) continue;
          for (const contact of planned.contacts) contacts.push(contact);
          if (planned.write) writes.push(planned.write);
        }
        stats.inserted += await tx.insertContacts(contacts);
        await tx.saveContactStates(writes);
      },
      { durable: false },
    );
    stats.borrowers += borrowerIds.length;
    stats.pages += 1;
    after = borrowerIds.at(-1);
  }
  throw new Error(`contact planning of ${date} did not finish in ${planPagesMax} pages`);
}

function planBorrower(
  subject: ContactSubject,
  all: readonly LoanState[],
  options: PlanContactsOptions,
  stats: PlanContactsStats,
  requestedPlan: RequestedPlan | undefined,
): { contacts: NewContact[]; write: ContactStateWrite | null } | null {
  const { date, policy, strategy, nowMs } = options;
  // A loan disbursed after `date` (or already closed past it) has no view of `date`.
  const loans = all.filter((loan) => loan.closedThrough <= date);
  const behind = loans.some(
    (loan) => loan.closedThrough < date && loan.nextEventDate !== null && loan.nextEventDate <= date,
  );
  if (behind) {
    stats.notClosed += 1;
    return null;
  }
  const before = currentState(subject);
  const settled = new Set(loans.filter((loan) => loan.status === 'closed').map((loan) => loan.loanId));
  const { state, judged } = judgePromises(before, date, settled);
  const intents = planContactDay({ state, date, loans, strategy });
  const view = withHardshipRequest(contactView(state, loans.map(loanContactView)), requestedPlan);
  const contacts: NewContact[] = [];
  for (const intent of intents) {
    const decision = evaluateContact({
      intent,
      view,
      policy,
      nowMs: intent.plannedAtMs,
      address: state.addresses[intent.channel],
    });
    stats.intents += 1;
    stats[decision.verdict] += 1;
    contacts.push({
      intent,
      businessDate: date,
      status: decision.verdict === 'send' ? 'planned' : decision.verdict === 'defer' ? 'deferred' : 'suppressed',
      dueAtMs: decision.verdict === 'defer' ? (decision.notBeforeMs as number) : intent.plannedAtMs,
      verdict: decision.verdict,
      reasons: decision.reasons,
      decidedAtMs: nowMs,
    });
  }
  // Judged promises are the only change planning makes to the state; without one nothing is written.
  return { contacts, write: judged.length > 0 ? stateWrite(subject, state, nowMs) : null };
}

// ---- dispatch -------------------------------------------------------------------------------------

/** Points in the dispatch of one contact; the test hook `onStep` may throw at any of them (a crash there). */
export type DispatchStep =
  /** Claimed, before the contact's first transaction. */
  | 'claimed'
  /** Inside the decision transaction, after its writes, before it commits. */
  | 'decided'
  /** The send decision committed ('sending'); the provider not called yet. */
  | 'marked_sending'
  /** The provider answered; nothing recorded yet. */
  | 'provider_answered'
  /** Inside the recording transaction, after its writes, before it commits. */
  | 'recording'
  /** The outcome committed. */
  | 'recorded';

export interface DispatchRetry {
  /** Provider attempts before a contact that keeps failing is given up as 'failed'. Default 6. */
  attemptsMax?: number;
  /** Backoff after the first failed attempt (doubling after each, at most maxMs). Default 1 min, 1 h. */
  baseMs?: number;
  maxMs?: number;
  /** A [0, 1) source for jitter (retryDelayMs's equal jitter); none by default. */
  random?: () => number;
}

export type DispatchContactsOptions = ContactStoreInput & {
  nowMs: number;
  /** Adapters by channel; only contacts of these channels (and voice, which becomes a call task) are claimed. */
  adapters: Partial<Record<ContactChannel, ChannelAdapter>>;
  policy: PolicyPack;
  /** The lender's secret for verification codes (at least 16 bytes). */
  secret: Uint8Array | string;
  /** Who claims, e.g. `${hostname}:${pid}`. */
  workerId: string;
  /** Contacts to claim in this call, 1 … CONTACT_CLAIM_MAX. */
  limit: number;
  partition?: Partition;
  /** How long a claim holds; a crashed dispatcher's contacts are taken over after it. Default 5 min. */
  leaseMs?: number;
  retry?: DispatchRetry;
  /** Only these channels (default: those with an adapter, plus voice). */
  channels?: readonly ContactChannel[];
  lenderName?: string;
  portalUrl?: string;
  /** Custom templates, consulted before the built-in catalogue. */
  templates?: TemplateOverrides;
  /** Test hook: called at each step of each contact; a throw there is a crash at that step. */
  onStep?: (step: DispatchStep, contact: { borrowerId: string; contactId: string }) => void | Promise<void>;
};

export interface DispatchContactsStats {
  claimed: number;
  sent: number;
  suppressed: number;
  deferred: number;
  /** Back to 'sending' for a later attempt (retryable outcome). */
  retrying: number;
  failed: number;
  /** Fallback contacts planned (undelivered). */
  fallbacks: number;
  /** Claims lost to another dispatcher (lease expired meanwhile) or already done. */
  skipped: number;
}

interface DispatchContext {
  options: DispatchContactsOptions;
  store: ContactStore;
  attemptsMax: number;
  stats: DispatchContactsStats;
}

/** What the decision transaction hands to the send: everything needed to render and call the provider. */
interface SendPlan {
  contact: ContactRow;
  state: BorrowerContactState;
  name: string;
  loans: LoanState[];
  code: string;
  address: string;
  loanIds: string[];
  /** The contact's attempts after this claim (the first send counts 1). */
  attempts: number;
  /** The message as handed to the channel (set by send). */
  rendered?: OutboundMessage;
}

/**
 * Claims up to `limit` due contacts and dispatches each: gate again at nowMs against the live state, then
 * send through the channel's adapter with the contact id as messageId, and record the outcome.
 */
export async function dispatchContacts(options: DispatchContactsOptions): Promise<DispatchContactsStats> {
  const { nowMs, limit } = options;
  const store = contactStoreOf(options);
  invariant(
    Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_CLAIM_MAX,
    `dispatch limit 1…${CONTACT_CLAIM_MAX}`,
  );
  const attemptsMax = options.retry?.attemptsMax ?? DISPATCH_ATTEMPTS_MAX_DEFAULT;
  invariant(Number.isInteger(attemptsMax) && attemptsMax >= 1 && attemptsMax <= 100, 'attemptsMax 1…100');
  const channels =
    options.channels ??
    contactChannels.filter((channel) => channel === 'voice' || options.adapters[channel] !== undefined);
  const stats: DispatchContactsStats = {
    claimed: 0,
    sent: 0,
    suppressed: 0,
    deferred: 0,
    retrying: 0,
    failed: 0,
    fallbacks: 0,
    skipped: 0,
  };
  if (channels.length === 0) return stats;
  const claimed = await store.claimDueContacts({
    nowMs,
    workerId: options.workerId,
    limit,
    leaseMs: options.leaseMs ?? DISPATCH_LEASE_MS_DEFAULT,
    channels,
    ...(options.partition ? { partition: options.partition } : {}),
  });
  stats.claimed = claimed.length;
  const context: DispatchContext = { options, store, attemptsMax, stats };
  for (const contact of claimed) await dispatchOne(context, contact);
  return stats;
}

function ownsClaim(row: ContactRow, claim: ContactRow): boolean {
  return row.claimedBy === claim.claimedBy && row.claimedUntilMs === claim.claimedUntilMs;
}

async function step(context: DispatchContext, name: DispatchStep, contact: ContactRow): Promise<void> {
  await context.options.onStep?.(name, { borrowerId: contact.borrowerId, contactId: contact.contactId });
}

async function dispatchOne(context: DispatchContext, claim: ContactRow): Promise<void> {
  const { store } = context;
  await step(context, 'claimed', claim);
  const plan = await retryingStateConflicts(() =>
    store.transaction(async (tx) => {
      const decided = await decide(tx, context, claim);
      await step(context, 'decided', claim);
      return decided;
    }),
  );
  if (plan === null) return;
  await step(context, 'marked_sending', claim);
  const outcome = await send(context, plan);
  await step(context, 'provider_answered', claim);
  await retryingStateConflicts(() =>
    store.transaction(async (tx) => {
      await record(tx, context, claim, plan, outcome);
      await step(context, 'recording', claim);
    }),
  );
  await step(context, 'recorded', claim);
}

/** Attempts at a transaction whose borrower's contact state another dispatcher wrote in between. */
const STATE_CONFLICT_ATTEMPTS = 3;

/**
 * Runs a transaction again (from fresh reads) when it lost a race for a borrower's contact state: a
 * state row locked while it exists serialises dispatchers, but two dispatchers creating a borrower's
 * first state both read "none", and the second's insert then finds the first's.
 */
async function retryingStateConflicts<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (!(error instanceof ContactStateConflictError) || attempt >= STATE_CONFLICT_ATTEMPTS) throw error;
    }
  }
}

/** The gate's view now: live loans, and the contacts decided but not yet recorded counted as today's. */
async function liveView(
  tx: ContactOperations,
  state: BorrowerContactState,
  loans: readonly LoanState[],
  nowMs: number,
  self: string,
) {
  const requested = await tx.requestedPlans([state.borrowerId]);
  const view = withHardshipRequest(contactView(state, loans.map(loanContactView)), requested.get(state.borrowerId));
  const pending: ContactRecord[] = (await tx.sendingContacts(state.borrowerId))
    .filter((row) => row.contactId !== self)
    .map((row) => ({
      atMs: nowMs,
      channel: row.channel,
      localDate: localParts(state.timezone, nowMs).date,
      loanIds: row.loanIds,
      ...(row.channel === 'voice' && row.address !== null
        ? { call: { number: row.address, outcome: 'pending' as const } }
        : {}),
    }));
  return pending.length === 0 ? view : { ...view, history: [...view.history, ...pending] };
}

/**
 * The decision transaction: reads the contact, the borrower's state and loans, asks the core
 * (decideDispatch: the gate for a first attempt; validity, opt-out and attempts for a re-send) and writes
 * what it decided.
 */
async function decide(tx: ContactOperations, context: DispatchContext, claim: ContactRow): Promise<SendPlan | null> {
  const { options, stats } = context;
  const { nowMs, policy } = options;
  const contact = await tx.contact(claim, { forUpdate: true });
  if (
    contact === undefined ||
    !ownsClaim(contact, claim) ||
    !['planned', 'deferred', 'sending'].includes(contact.status)
  ) {
    stats.skipped += 1;
    return null;
  }
  const subject = await lockSubject(tx, contact.borrowerId);
  const state = currentState(subject);
  const loans = await tx.borrowerLoans(contact.borrowerId);
  const { intent } = contact;
  const resending = contact.status === 'sending';
  const decision = decideDispatch({
    intent,
    // A re-send is not gated again: only the opt-outs of the state are read, so the live view is not needed.
    view: resending ? contactView(state, []) : await liveView(tx, state, loans, nowMs, contact.contactId),
    address: resending ? (contact.address as string) : state.addresses[contact.channel],
    policy,
    nowMs,
    attemptsMax: context.attemptsMax,
    ...(resending ? { resend: { attempts: contact.attempts } } : {}),
    ...(options.templates ? { templates: options.templates } : {}),
  });
  const finish = async (change: ContactChange, verdict: DecisionVerdict, reasons: string[]): Promise<null> => {
    const phase = change.status === 'failed' ? 'delivery' : 'dispatch';
    await tx.updateContact(contact, { ...change, reasons, releaseClaim: true }, nowMs);
    await tx.appendContactDecision({ ...contact, phase, verdict, decidedAtMs: nowMs, reasons });
    return null;
  };
  switch (decision.action) {
    case 'skip': {
      stats[decision.status] += 1;
      if (decision.fallback)
        stats.fallbacks += await tx.insertContacts([fallbackRow(contact, decision.fallback, nowMs)]);
      const change: ContactChange = {
        status: decision.status,
        ...(decision.loanIds ? { loanIds: decision.loanIds } : {}),
      };
      return finish(change, decision.verdict, decision.reasons);
    }
    case 'hold':
      stats.deferred += 1;
      return finish({ status: 'deferred', dueAtMs: decision.untilMs }, 'defer', decision.reasons);
    case 'resend':
      // Already decided (and maybe delivered): re-send under the same key and code.
      return {
        contact,
        state,
        name: subject.name,
        loans,
        code: contact.verificationCode as string,
        address: contact.address as string,
        loanIds: contact.loanIds,
        attempts: contact.attempts,
      };
    case 'send': {
      const { address, loanIds, reasons } = decision;
      const code = await tx.assignVerificationCode({ ...contact, secret: options.secret, createdAtMs: nowMs });
      const attempts = contact.attempts + 1;
      await tx.updateContact(contact, { status: 'sending', attempts, loanIds, address, reasons }, nowMs);
      await tx.appendContactDecision({
        ...contact,
        phase: 'dispatch',
        verdict: 'send',
        decidedAtMs: nowMs,
        reasons,
      });
      return { contact, state, name: subject.name, loans, code, address, loanIds, attempts };
    }
  }
}

/** Renders the message and hands it to the channel; never throws for the provider's or the template's failure. */
async function send(context: DispatchContext, plan: SendPlan): Promise<SendOutcome> {
  const { options } = context;
  const { contact } = plan;
  let rendered: RenderedMessage;
  try {
    rendered = renderTemplate({
      templateId: contact.template,
      channel: contact.channel,
      locale: plan.state.locale,
      optOutRequired: options.policy.optOutTextRequired.includes(contact.channel),
      variables: messageVariables({
        intent: contact.intent,
        loanIds: plan.loanIds,
        loans: plan.loans,
        state: plan.state,
        borrowerName: plan.name,
        code: plan.code,
        lenderName: options.lenderName ?? 'Kuan',
        portalUrl: options.portalUrl ?? 'http://localhost:4000/portal',
      }),
      ...(options.templates ? { templates: options.templates } : {}),
    });
  } catch (error) {
    if (error instanceof InputError) return { outcome: 'rejected', code: 'invalid_content', detail: error.message };
    throw error;
  }
  const message: OutboundMessage = {
    messageId: contact.contactId,
    borrowerId: contact.borrowerId,
    channel: contact.channel,
    to: plan.address,
    locale: rendered.locale,
    ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
    body: rendered.body,
    verificationCode: plan.code,
    loanIds: plan.loanIds,
  };
  plan.rendered = message;
  const adapter = options.adapters[contact.channel];
  // Voice without an adapter: the call task row written with 'sent' is the delivery.
  if (adapter === undefined) {
    invariant(contact.channel === 'voice', `an adapter for ${contact.channel}`);
    return { outcome: 'accepted', providerMessageId: contact.contactId };
  }
  try {
    return await adapter.send(message);
  } catch (error) {
    // Adapters must not throw; one that does is a transient failure of this attempt, not a crash.
    return {
      outcome: 'retryable',
      code: 'adapter_error',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The recording transaction: the provider's answer becomes 'sent', a retry, or 'failed' (+ fallback). */
async function record(
  tx: ContactOperations,
  context: DispatchContext,
  claim: ContactRow,
  plan: SendPlan,
  outcome: SendOutcome,
): Promise<void> {
  const { options, stats } = context;
  const { nowMs } = options;
  const contact = await tx.contact(claim, { forUpdate: true });
  // Someone else recorded it meanwhile (our lease ran out and the re-send was recorded first).
  if (contact === undefined || contact.status !== 'sending') {
    stats.skipped += 1;
    return;
  }
  const decision = async (verdict: DecisionVerdict, reasons: string[]): Promise<void> => {
    await tx.appendContactDecision({ ...contact, phase: 'delivery', verdict, decidedAtMs: nowMs, reasons });
  };
  if (outcome.outcome === 'accepted') {
    // Recorded even when the claim was lost: the provider took the message, and the other claimant's
    // re-send under the same key will find it 'sent'.
    const subject = await lockSubject(tx, contact.borrowerId);
    const state = currentState(subject);
    const address = contact.address as string;
    const next = recordContact(state, {
      atMs: nowMs,
      channel: contact.channel,
      localDate: localParts(state.timezone, nowMs).date,
      loanIds: contact.loanIds,
      ...(contact.channel === 'voice' ? { call: { number: address, outcome: 'pending' as const } } : {}),
    });
    await tx.saveContactStates([stateWrite(subject, next, nowMs)]);
    await tx.updateContact(
      contact,
      { status: 'sent', sentAtMs: nowMs, providerMessageId: outcome.providerMessageId, releaseClaim: true },
      nowMs,
    );
    if (contact.channel === 'voice') {
      await tx.createCallTask({
        borrowerId: contact.borrowerId,
        taskId: contact.contactId,
        phone: address,
        loanIds: contact.loanIds,
        script: plan.rendered?.body ?? '',
        locale: plan.rendered?.locale ?? state.locale,
        verificationCode: contact.verificationCode as string,
        createdAtMs: nowMs,
      });
    }
    await decision('accepted', [
      `${options.adapters[contact.channel]?.name ?? 'call-task'} ${outcome.providerMessageId}`,
    ]);
    stats.sent += 1;
    return;
  }
  if (!ownsClaim(contact, claim)) {
    stats.skipped += 1;
    return;
  }
  const retry = options.retry ?? {};
  const delivery = decideDelivery({
    intent: contact.intent,
    answer: outcome,
    attempts: plan.attempts,
    attemptsMax: context.attemptsMax,
    backoffMs: (attempts) =>
      retryDelayMs(attempts, {
        baseMs: retry.baseMs ?? DISPATCH_RETRY_BASE_MS_DEFAULT,
        maxMs: retry.maxMs ?? DISPATCH_RETRY_MAX_MS_DEFAULT,
        ...(retry.random ? { random: retry.random } : {}),
      }),
    nowMs,
  });
  invariant(delivery.action !== 'sent', 'an accepted answer was recorded above');
  if (delivery.action === 'retry') {
    const { reasons } = delivery;
    await tx.updateContact(contact, { dueAtMs: delivery.atMs, reasons, releaseClaim: true }, nowMs);
    await decision('retryable', [...reasons, delivery.note]);
    stats.retrying += 1;
    return;
  }
  if (delivery.addressEffect !== null) {
    // The provider's word about the address outlives this message.
    const subject = await lockSubject(tx, contact.borrowerId);
    const state = currentState(subject);
    const next =
      delivery.addressEffect === 'opt_out'
        ? optOut(state, contact.channel)
        : blockAddress(state, contact.address as string);
    await tx.saveContactStates([stateWrite(subject, next, nowMs)]);
  }
  const { reasons } = delivery;
  await tx.updateContact(contact, { status: 'failed', reasons, releaseClaim: true }, nowMs);
  await decision(delivery.verdict, reasons);
  if (delivery.fallback) stats.fallbacks += await tx.insertContacts([fallbackRow(contact, delivery.fallback, nowMs)]);
  stats.failed += 1;
}

// ---- events and receipts --------------------------------------------------------------------------

export type RecordedContactEvent =
  | Exclude<ContactStateEvent, { type: 'call_outcome' }>
  | (Omit<Extract<ContactStateEvent, { type: 'call_outcome' }>, 'loanIds'> & {
      /** The call task the outcome completes; default the borrower's latest open task (to `number`, if given). */
      taskId?: string;
      /** Default: the task's loans, else all the borrower's loans. */
      loanIds?: string[];
    });

export interface RecordContactEventResult {
  /** The channel the event opted the borrower out of. */
  optedOut: ContactChannel | null;
  /** The call task a call outcome completed. */
  callTask: CallTaskRow | null;
  /** The fallback contact planned after an unanswered call. */
  fallbackContactId: string | null;
}

/**
 * Applies a contact event (hold, promise, reply, opt-out, call outcome, hardship request, complaint,
 * new addresses, payment) to the borrower's contact state in one transaction. The next dispatch of any
 * planned contact sees it. A call outcome completes its call task; an unanswered call plans the voice
 * contact's fallback.
 */
export async function recordContactEvent(
  input: ContactStoreInput & {
    borrowerId: string;
    nowMs: number;
    event: RecordedContactEvent;
    policy?: PolicyPack;
  },
): Promise<RecordContactEventResult> {
  const { borrowerId, nowMs, event } = input;
  const policy = input.policy ?? defaultPolicy;
  return contactStoreOf(input).transaction(async (tx) => {
    const subject = await lockSubject(tx, borrowerId);
    const state = currentState(subject);
    let callTask: CallTaskRow | null = null;
    let fallbackContactId: string | null = null;
    let applied: ContactStateEvent;
    let task: CallTaskRow | undefined;
    if (event.type === 'call_outcome') {
      if (event.taskId !== undefined) {
        task = await tx.callTask({ borrowerId, taskId: event.taskId });
        if (task?.status !== 'open') task = undefined;
      } else {
        const open = await tx.openCallTasks({
          borrowerId,
          limit: 1000,
          ...(event.number === undefined ? {} : { phone: event.number }),
        });
        task = open.at(-1);
      }
      const loanIds = event.loanIds ?? task?.loanIds ?? (await tx.borrowerLoans(borrowerId)).map((loan) => loan.loanId);
      const number = event.number ?? task?.phone;
      applied = {
        type: 'call_outcome',
        outcome: event.outcome,
        loanIds,
        loansNamed: event.loanIds !== undefined,
        ...(number === undefined ? {} : { number }),
      };
    } else {
      applied = event;
    }
    const outcome = applyContactEvent(state, applied, { atMs: nowMs, policy });
    await tx.saveContactStates([stateWrite(subject, outcome.state, nowMs)]);
    if (event.type === 'contact_update') {
      // Addresses live on the borrower row (currentState reads them from there).
      const contacts: Record<string, unknown> = { ...(subject.contacts as Record<string, unknown>) };
      for (const [channel, address] of Object.entries(event.contacts)) {
        if (address === null) delete contacts[channel];
        else contacts[channel] = address;
      }
      await tx.saveBorrowerContacts({
        borrowerId,
        name: subject.name,
        timezone: subject.timezone,
        locale: subject.locale,
        contacts,
      });
    }
    if (task !== undefined && event.type === 'call_outcome') {
      callTask =
        (await tx.completeCallTask({
          borrowerId,
          taskId: task.taskId,
          outcome: event.outcome,
          completedAtMs: nowMs,
        })) ?? null;
      if (callTask !== null && outcome.call?.unanswered) {
        // Read without a lock: the fallback's insert is idempotent, and lock order stays contact → borrower.
        const contact = await tx.contact({ borrowerId, contactId: task.taskId });
        const fallback = contact ? fallbackContact(contact, 'unanswered', nowMs) : null;
        if (fallback && (await tx.insertContacts([fallback])) === 1) fallbackContactId = fallback.intent.intentId;
      }
    }
    return { optedOut: outcome.optedOut, callTask, fallbackContactId };
  });
}

export interface ReceiptResult {
  /** The contact the receipt is about, or null when no sent message has that provider id. */
  contactId: string | null;
  borrowerId: string | null;
  /** False when the receipt repeats the status already recorded. */
  changed: boolean;
  fallbackContactId: string | null;
}

/**
 * A provider's delivery receipt: sets the contact's delivery status and records the receipt as a
 * decision; an 'undelivered' or 'failed' receipt plans the intent's undelivered fallback. A repeated
 * receipt changes nothing.
 */
export async function receiveDeliveryReceipt(
  input: ContactStoreInput & { receipt: DeliveryReceipt; nowMs: number },
): Promise<ReceiptResult> {
  const { receipt, nowMs } = input;
  return contactStoreOf(input).transaction(async (tx) => {
    const candidates = await tx.contactsByProviderMessageId(receipt.providerMessageId);
    const found =
      candidates.find((candidate) => receipt.messageId === undefined || candidate.contactId === receipt.messageId) ??
      null;
    const none: ReceiptResult = { contactId: null, borrowerId: null, changed: false, fallbackContactId: null };
    if (found === null) return none;
    const contact = await tx.contact(found, { forUpdate: true });
    if (contact === undefined) return none;
    const result: ReceiptResult = {
      contactId: contact.contactId,
      borrowerId: contact.borrowerId,
      changed: false,
      fallbackContactId: null,
    };
    if (contact.deliveryStatus === receipt.status) return result;
    await tx.updateContact(contact, { deliveryStatus: receipt.status }, nowMs);
    const reasons = [`receipt ${receipt.status}${receipt.code ? ` ${receipt.code}` : ''}`];
    await tx.appendContactDecision({
      ...contact,
      phase: 'receipt',
      verdict: receipt.status,
      decidedAtMs: receipt.atMs,
      reasons,
    });
    result.changed = true;
    if (receipt.status === 'undelivered' || receipt.status === 'failed') {
      const fallback = fallbackContact(contact, 'undelivered', nowMs);
      if (fallback && (await tx.insertContacts([fallback])) === 1) result.fallbackContactId = fallback.intent.intentId;
    }
    return result;
  });
}
