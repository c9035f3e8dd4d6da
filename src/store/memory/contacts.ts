// The contact store in memory: the same reads and writes as the SQL repositories the application layer's
// ContactStore port names (src/app/contact-store.ts), kept in maps. It implements that interface
// structurally (the store may not import the application layer); the strategy preview runs the
// production contact commands on it, and src/app/contact-store-agreement.test.ts checks that it and
// PGlite/PostgreSQL give the same contacts, decisions and states.
//
// Invariants (each the SQL's):
// - orderings: borrowers by id; claims by due instant, borrower hash, borrower id, contact id; a
//   borrower's sending contacts by contact id; open call tasks by creation, borrower, task id; contacts
//   of a provider message by borrower and contact id. Ids compare by UTF-16 code unit (the C collation);
// - a contact exists once: inserting it again inserts nothing and records no second 'plan' decision;
// - a contact state write names the version it read; a stale one throws ContactStateConflictError;
// - a verification code belongs to one message forever (the same attempt sequence as the SQL);
// - `transaction` writes nothing when its work throws: every write is undone from a log. Transactions
//   run one at a time (queued), which is what the SQL's row locks give one borrower; reads outside a
//   transaction are single operations, atomic like one statement;
// - stored objects are never changed in place: a write stores a new object, so a row handed out stays
//   as it was read.
import type { IsoDate } from '../../calendar/index.ts';
import type { BorrowerContactState } from '../../contact/borrower.ts';
import { verificationCode, verificationCodeAttemptsMax } from '../../contact/codes.ts';
import { contactPlanThrough } from '../../contact/index.ts';
import { invariant } from '../../errors/index.ts';
import type { LoanState } from '../../servicing/index.ts';
import {
  checkClaim,
  claimOrder,
  CONTACT_BORROWERS_PAGE_MAX,
  CONTACT_LIST_MAX,
  ContactStateConflictError,
  type BorrowerContacts,
  type CallTaskRow,
  type ClaimContactsOptions,
  type ContactChange,
  type ContactDecisionRow,
  type ContactKey,
  type ContactRow,
  type ContactStateWrite,
  type ContactSubject,
  type NewCallTask,
  type NewContact,
  type NewContactDecision,
  type PlanningBorrowersQuery,
  type RequestedPlan,
} from '../contacts.ts';
import { borrowerHash, partitionRange } from '../partition.ts';
import { assertUniqueKeys } from '../rows.ts';

interface StoredState {
  state: BorrowerContactState;
  version: number;
  planThrough: IsoDate | null;
  updatedAtMs: number;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keyOf(key: ContactKey): string {
  return `${key.borrowerId}\u0000${key.contactId}`;
}

function taskKeyOf(key: { borrowerId: string; taskId: string }): string {
  return `${key.borrowerId}\u0000${key.taskId}`;
}

function checkListLimit(limit: number): void {
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_LIST_MAX, `list limit 1…${CONTACT_LIST_MAX}`);
}

/** One table: a map whose writes are logged while a transaction runs, so a throw can undo them. */
class Table<V> {
  private readonly rows = new Map<string, V>();

  constructor(private readonly log: () => (() => void)[] | null) {}

  get(key: string): V | undefined {
    return this.rows.get(key);
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  values(): IterableIterator<V> {
    return this.rows.values();
  }

  set(key: string, value: V): void {
    const undo = this.log();
    if (undo !== null) {
      const had = this.rows.has(key);
      const before = this.rows.get(key);
      undo.push(() => {
        if (had) this.rows.set(key, before as V);
        else this.rows.delete(key);
      });
    }
    this.rows.set(key, value);
  }
}

export class MemoryContactStore {
  private undo: (() => void)[] | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logOf = (): (() => void)[] | null => this.undo;
  private readonly borrowers = new Table<BorrowerContacts>(this.logOf);
  private readonly states = new Table<StoredState>(this.logOf);
  private readonly loans = new Table<readonly LoanState[]>(this.logOf);
  private readonly requested = new Table<RequestedPlan>(this.logOf);
  private readonly contacts = new Table<ContactRow>(this.logOf);
  private readonly decisions = new Table<readonly ContactDecisionRow[]>(this.logOf);
  private readonly codes = new Table<ContactKey>(this.logOf);
  private readonly callTasks = new Table<CallTaskRow>(this.logOf);
  /** Contact ids by borrower. Only grows: an id whose insert was undone finds no contact and is skipped. */
  private readonly contactIdsOf = new Map<string, Set<string>>();

  // ---- seeding and inspection (not part of the port) ---------------------------------------------

  /** Creates or replaces a borrower. */
  putBorrower(borrower: BorrowerContacts): void {
    this.borrowers.set(borrower.borrowerId, { ...borrower, contacts: { ...borrower.contacts } });
  }

  /** Replaces a borrower's loans (the servicing core's states). */
  putLoans(borrowerId: string, loans: readonly LoanState[]): void {
    this.loans.set(
      borrowerId,
      [...loans].sort((a, b) => compare(a.loanId, b.loanId)),
    );
  }

  /** Stores a contact state as read elsewhere, at its version there (1 or more). */
  putContactState(state: BorrowerContactState, options: { version: number; updatedAtMs: number }): void {
    invariant(Number.isInteger(options.version) && options.version >= 1, 'a stored contact state has a version ≥ 1');
    this.states.set(state.borrowerId, {
      state,
      version: options.version,
      planThrough: contactPlanThrough(state),
      updatedAtMs: options.updatedAtMs,
    });
  }

  /** Records the borrower's oldest plan asked for and not yet decided. */
  putRequestedPlan(borrowerId: string, plan: RequestedPlan): void {
    this.requested.set(borrowerId, { ...plan });
  }

  /** Every borrower's loans, by borrower id. */
  allLoans(): Map<string, readonly LoanState[]> {
    const all = new Map<string, readonly LoanState[]>();
    for (const borrower of [...this.borrowers.values()].sort((a, b) => compare(a.borrowerId, b.borrowerId)))
      all.set(borrower.borrowerId, this.loans.get(borrower.borrowerId) ?? []);
    return all;
  }

  /** Every contact, by borrower then contact id. */
  allContacts(): ContactRow[] {
    return [...this.contacts.values()].sort(
      (a, b) => compare(a.borrowerId, b.borrowerId) || compare(a.contactId, b.contactId),
    );
  }

  /** The open contact due first among those `accept` takes (ties: borrower id, contact id), or undefined. */
  earliestContact(accept: (contact: ContactRow) => boolean): ContactRow | undefined {
    let earliest: ContactRow | undefined;
    for (const contact of this.contacts.values()) {
      if (!accept(contact)) continue;
      if (
        earliest === undefined ||
        contact.dueAtMs < earliest.dueAtMs ||
        (contact.dueAtMs === earliest.dueAtMs &&
          (compare(contact.borrowerId, earliest.borrowerId) || compare(contact.contactId, earliest.contactId)) < 0)
      )
        earliest = contact;
    }
    return earliest;
  }

  /** A contact's decisions in order. */
  contactDecisions(key: ContactKey): ContactDecisionRow[] {
    return [...(this.decisions.get(keyOf(key)) ?? [])];
  }

  // ---- the port ----------------------------------------------------------------------------------

  async transaction<T>(work: (tx: this) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      invariant(this.undo === null, 'memory store transactions do not nest');
      const undo: (() => void)[] = [];
      this.undo = undo;
      try {
        const result = await work(this);
        return result;
      } catch (error) {
        for (const step of undo.reverse()) step();
        throw error;
      } finally {
        this.undo = null;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async borrowerLoans(borrowerId: string): Promise<LoanState[]> {
    return [...(this.loans.get(borrowerId) ?? [])];
  }

  async contactSubjects(borrowerIds: readonly string[], _options: { lock?: boolean } = {}): Promise<ContactSubject[]> {
    invariant(
      borrowerIds.length <= CONTACT_BORROWERS_PAGE_MAX,
      `at most ${CONTACT_BORROWERS_PAGE_MAX} borrowers a page`,
    );
    const subjects: ContactSubject[] = [];
    for (const borrowerId of [...new Set(borrowerIds)].sort(compare)) {
      const borrower = this.borrowers.get(borrowerId);
      if (borrower === undefined) continue;
      const stored = this.states.get(borrowerId);
      subjects.push({
        borrowerId,
        name: borrower.name,
        timezone: borrower.timezone,
        locale: borrower.locale,
        contacts: { ...borrower.contacts },
        state: stored?.state ?? null,
        version: stored?.version ?? 0,
      });
    }
    return subjects;
  }

  async requestedPlans(borrowerIds: readonly string[]): Promise<Map<string, RequestedPlan>> {
    const found = new Map<string, RequestedPlan>();
    for (const borrowerId of borrowerIds) {
      const plan = this.requested.get(borrowerId);
      if (plan !== undefined) found.set(borrowerId, { ...plan });
    }
    return found;
  }

  async saveContactStates(writes: readonly ContactStateWrite[]): Promise<number> {
    assertUniqueKeys(writes, (write) => write.state.borrowerId, 'contact state');
    const stale = writes.filter(
      (write) => (this.states.get(write.state.borrowerId)?.version ?? 0) !== write.expectedVersion,
    );
    if (stale.length > 0) {
      throw new ContactStateConflictError(
        `${stale.length} of ${writes.length} contact states changed since they were read`,
      );
    }
    for (const write of writes) {
      this.states.set(write.state.borrowerId, {
        state: write.state,
        version: write.expectedVersion + 1,
        planThrough: write.planThrough,
        updatedAtMs: write.updatedAtMs,
      });
    }
    return writes.length;
  }

  async saveBorrowerContacts(borrower: BorrowerContacts): Promise<void> {
    this.putBorrower(borrower);
  }

  async planningBorrowers(query: PlanningBorrowersQuery): Promise<string[]> {
    const { date, eventThrough, limit, partition } = query;
    invariant(
      Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_BORROWERS_PAGE_MAX,
      `page limit 1…${CONTACT_BORROWERS_PAGE_MAX}`,
    );
    const range = partition ? partitionRange(partition) : { low: 0, high: 2 ** 31 - 1 };
    const from = query.after ?? '';
    const inPage = (borrowerId: string): boolean => {
      const hash = borrowerHash(borrowerId);
      return borrowerId > from && hash >= range.low && hash <= range.high;
    };
    const found = new Set<string>();
    for (const loans of this.loans.values()) {
      for (const loan of loans) {
        const due =
          (loan.nextEventDate !== null && loan.nextEventDate <= eventThrough) || loan.status === 'charged_off';
        if (due && inPage(loan.borrowerId)) found.add(loan.borrowerId);
      }
    }
    for (const stored of this.states.values()) {
      const borrowerId = stored.state.borrowerId;
      if (stored.planThrough !== null && stored.planThrough >= date && inPage(borrowerId)) found.add(borrowerId);
    }
    return [...found].sort(compare).slice(0, limit);
  }

  async insertContacts(contacts: readonly NewContact[]): Promise<number> {
    assertUniqueKeys(contacts, (c) => `${c.intent.borrowerId}/${c.intent.intentId}`, 'contact');
    let inserted = 0;
    for (const c of contacts) {
      const key = { borrowerId: c.intent.borrowerId, contactId: c.intent.intentId };
      if (this.contacts.has(keyOf(key))) continue;
      const ids = this.contactIdsOf.get(key.borrowerId) ?? new Set<string>();
      ids.add(key.contactId);
      this.contactIdsOf.set(key.borrowerId, ids);
      this.contacts.set(keyOf(key), {
        ...key,
        borrowerHash: borrowerHash(key.borrowerId),
        businessDate: c.businessDate,
        channel: c.intent.channel,
        template: c.intent.template,
        intent: c.intent,
        loanIds: [...c.intent.loanIds],
        status: c.status,
        dueAtMs: c.dueAtMs,
        attempts: 0,
        claimedBy: null,
        claimedUntilMs: null,
        address: null,
        verificationCode: null,
        providerMessageId: null,
        deliveryStatus: null,
        sentAtMs: null,
        reasons: [...c.reasons],
        createdAtMs: c.decidedAtMs,
        updatedAtMs: c.decidedAtMs,
      });
      this.decisions.set(keyOf(key), [
        { ...key, seq: 1, phase: 'plan', verdict: c.verdict, decidedAtMs: c.decidedAtMs, reasons: [...c.reasons] },
      ]);
      inserted += 1;
    }
    return inserted;
  }

  async claimDueContacts(options: ClaimContactsOptions): Promise<ContactRow[]> {
    const { nowMs, workerId, limit, leaseMs, partition, channels } = options;
    checkClaim(options);
    const range = partition ? partitionRange(partition) : undefined;
    const due = [...this.contacts.values()]
      .filter(
        (c) =>
          (c.status === 'planned' || c.status === 'deferred' || c.status === 'sending') &&
          c.dueAtMs <= nowMs &&
          (c.claimedUntilMs === null || c.claimedUntilMs <= nowMs) &&
          (range === undefined || (c.borrowerHash >= range.low && c.borrowerHash <= range.high)) &&
          (channels === undefined || channels.includes(c.channel)),
      )
      .sort(claimOrder)
      .slice(0, limit);
    return due.map((c) => {
      const claimed: ContactRow = {
        ...c,
        claimedBy: workerId,
        claimedUntilMs: nowMs + leaseMs,
        attempts: c.attempts + (c.status === 'sending' ? 1 : 0),
        updatedAtMs: nowMs,
      };
      this.contacts.set(keyOf(c), claimed);
      return claimed;
    });
  }

  async contact(key: ContactKey, _options: { forUpdate?: boolean } = {}): Promise<ContactRow | undefined> {
    return this.contacts.get(keyOf(key));
  }

  async updateContact(key: ContactKey, change: ContactChange, nowMs: number): Promise<boolean> {
    const current = this.contacts.get(keyOf(key));
    if (current === undefined) return false;
    const next: ContactRow = { ...current, updatedAtMs: nowMs };
    if (change.status !== undefined) next.status = change.status;
    if (change.dueAtMs !== undefined) next.dueAtMs = change.dueAtMs;
    if (change.attempts !== undefined) next.attempts = change.attempts;
    if (change.releaseClaim) {
      next.claimedBy = null;
      next.claimedUntilMs = null;
    }
    if (change.loanIds !== undefined) next.loanIds = [...change.loanIds];
    if (change.address !== undefined) next.address = change.address;
    if (change.providerMessageId !== undefined) next.providerMessageId = change.providerMessageId;
    if (change.deliveryStatus !== undefined) next.deliveryStatus = change.deliveryStatus;
    if (change.sentAtMs !== undefined) next.sentAtMs = change.sentAtMs;
    if (change.reasons !== undefined) next.reasons = [...change.reasons];
    this.contacts.set(keyOf(key), next);
    return true;
  }

  async sendingContacts(borrowerId: string): Promise<ContactRow[]> {
    return [...(this.contactIdsOf.get(borrowerId) ?? [])]
      .map((contactId) => this.contacts.get(keyOf({ borrowerId, contactId })))
      .filter((c): c is ContactRow => c !== undefined && c.status === 'sending')
      .sort((a, b) => compare(a.contactId, b.contactId))
      .slice(0, CONTACT_LIST_MAX);
  }

  async contactsByProviderMessageId(providerMessageId: string): Promise<ContactRow[]> {
    return [...this.contacts.values()]
      .filter((c) => c.providerMessageId === providerMessageId)
      .sort((a, b) => compare(a.borrowerId, b.borrowerId) || compare(a.contactId, b.contactId))
      .slice(0, 10);
  }

  async appendContactDecision(decision: NewContactDecision): Promise<number> {
    const key = keyOf(decision);
    const before = this.decisions.get(key) ?? [];
    const seq = (before.at(-1)?.seq ?? 0) + 1;
    // Only the decision's own fields: callers pass the contact row spread into it.
    const { borrowerId, contactId, phase, verdict, decidedAtMs, reasons } = decision;
    this.decisions.set(key, [
      ...before,
      { borrowerId, contactId, seq, phase, verdict, decidedAtMs, reasons: [...reasons] },
    ]);
    return seq;
  }

  async assignVerificationCode(
    input: ContactKey & { secret: Uint8Array | string; createdAtMs: number },
  ): Promise<string> {
    const { borrowerId, contactId } = input;
    const contact = this.contacts.get(keyOf(input));
    invariant(contact !== undefined, `contact ${borrowerId}/${contactId} exists`);
    if (contact.verificationCode !== null) return contact.verificationCode;
    for (let attempt = 0; attempt < verificationCodeAttemptsMax; attempt += 1) {
      const code = verificationCode({ secret: input.secret, messageId: contactId, attempt });
      if (!this.codes.has(code)) this.codes.set(code, { borrowerId, contactId });
      const owner = this.codes.get(code) as ContactKey;
      if (owner.borrowerId === borrowerId && owner.contactId === contactId) {
        this.contacts.set(keyOf(input), { ...contact, verificationCode: code });
        return code;
      }
    }
    throw new Error(
      `no free verification code for ${borrowerId}/${contactId} in ${verificationCodeAttemptsMax} attempts`,
    );
  }

  async createCallTask(task: NewCallTask): Promise<boolean> {
    const key = taskKeyOf(task);
    if (this.callTasks.has(key)) return false;
    this.callTasks.set(key, {
      ...task,
      loanIds: [...task.loanIds],
      status: 'open',
      outcome: null,
      completedAtMs: null,
    });
    return true;
  }

  async completeCallTask(input: {
    borrowerId: string;
    taskId: string;
    outcome: string;
    completedAtMs: number;
  }): Promise<CallTaskRow | undefined> {
    const key = taskKeyOf(input);
    const task = this.callTasks.get(key);
    if (task === undefined || task.status !== 'open') return undefined;
    const done: CallTaskRow = { ...task, status: 'done', outcome: input.outcome, completedAtMs: input.completedAtMs };
    this.callTasks.set(key, done);
    return done;
  }

  async callTask(key: { borrowerId: string; taskId: string }): Promise<CallTaskRow | undefined> {
    return this.callTasks.get(taskKeyOf(key));
  }

  async openCallTasks(options: { borrowerId?: string; phone?: string; limit?: number } = {}): Promise<CallTaskRow[]> {
    const limit = options.limit ?? 100;
    checkListLimit(limit);
    return [...this.callTasks.values()]
      .filter(
        (task) =>
          task.status === 'open' &&
          (options.borrowerId === undefined || task.borrowerId === options.borrowerId) &&
          (options.phone === undefined || task.phone === options.phone),
      )
      .sort(
        (a, b) => a.createdAtMs - b.createdAtMs || compare(a.borrowerId, b.borrowerId) || compare(a.taskId, b.taskId),
      )
      .slice(0, limit);
  }
}
