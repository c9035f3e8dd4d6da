// The contact pipeline's store, as the application layer needs it: exactly the reads and writes of
// planContacts, dispatchContacts, recordContactEvent, receiveDeliveryReceipt and closeHardshipRequest
// (src/app/contacts.ts), in the domain's terms. Two implementations keep one contract:
// - sqlContactStore, over PostgreSQL or PGlite (src/store/contacts.ts and the loan, borrower and
//   hardship repositories): locks are row locks, a transaction is the database's;
// - MemoryContactStore (src/store/memory/contacts.ts), maps with the same orderings and the same conflict
//   check, used by the strategy preview; it implements this interface structurally, because the store
//   may not import the application layer.
// src/app/contact-store-agreement.test.ts runs the production commands on both and expects the same contacts,
// decisions and states.
//
// Invariants every implementation keeps:
// - `transaction` commits when `work` resolves and writes nothing when it throws;
// - `contactSubjects` with `lock`, and `contact` with `forUpdate`, hold the borrower or the contact until
//   the transaction ends (a no-op where one caller runs at a time);
// - `saveContactStates` throws ContactStateConflictError when a state changed since the version read;
// - inserting a contact that exists inserts nothing and records no second decision;
// - orderings are those of the SQL: borrowers by id; claims by due instant, borrower hash, borrower id,
//   contact id; open call tasks oldest first; contacts of a provider message by borrower and contact id.
import { invariant } from '../errors/index.ts';
import type { LoanState } from '../servicing/index.ts';
import {
  appendContactDecision,
  assignVerificationCode,
  claimDueContacts,
  completeCallTask,
  createCallTask,
  findContactsByProviderMessageId,
  getCallTask,
  getContact,
  insertContacts,
  listOpenCallTasks,
  listPlanningBorrowers,
  listSendingContacts,
  loadContactSubjects,
  saveContactStates,
  updateContact,
  type BorrowerContacts,
  type CallTaskRow,
  type ClaimContactsOptions,
  type ContactChange,
  type ContactKey,
  type ContactRow,
  type ContactStateWrite,
  type ContactSubject,
  type NewCallTask,
  type NewContact,
  type NewContactDecision,
  type PlanningBorrowersQuery,
  type RequestedPlan,
} from '../store/contacts.ts';
import { listRequestedPlansByBorrower } from '../store/hardship.ts';
import { listBorrowerLoans, upsertBorrowers, type Database, type Queryable } from '../store/index.ts';
import { decodeLoanDocument, prepareServicingRules } from './document.ts';

export type { BorrowerContacts, PlanningBorrowersQuery, RequestedPlan };

/** The reads and writes of the contact commands, inside or outside a transaction. */
export interface ContactOperations {
  /** A borrower's loans as the servicing core's states, in loan id order. */
  borrowerLoans(borrowerId: string): Promise<LoanState[]>;
  /** Borrowers with their contact states, in borrower id order; `lock` holds each borrower. */
  contactSubjects(borrowerIds: readonly string[], options?: { lock?: boolean }): Promise<ContactSubject[]>;
  /** Each borrower's oldest requested hardship plan, for the borrowers that have one. */
  requestedPlans(borrowerIds: readonly string[]): Promise<Map<string, RequestedPlan>>;
  /** Writes contact states checked against the versions read (ContactStateConflictError otherwise). */
  saveContactStates(writes: readonly ContactStateWrite[]): Promise<number>;
  /** Rewrites a borrower's addresses (and name, zone and locale as given). */
  saveBorrowerContacts(borrower: BorrowerContacts): Promise<void>;
  planningBorrowers(query: PlanningBorrowersQuery): Promise<string[]>;
  /** Inserts contacts with their 'plan' decision; existing ones are left alone. Returns how many were new. */
  insertContacts(contacts: readonly NewContact[]): Promise<number>;
  claimDueContacts(options: ClaimContactsOptions): Promise<ContactRow[]>;
  contact(key: ContactKey, options?: { forUpdate?: boolean }): Promise<ContactRow | undefined>;
  updateContact(key: ContactKey, change: ContactChange, nowMs: number): Promise<boolean>;
  /** The borrower's contacts in 'sending', by contact id. */
  sendingContacts(borrowerId: string): Promise<ContactRow[]>;
  contactsByProviderMessageId(providerMessageId: string): Promise<ContactRow[]>;
  appendContactDecision(decision: NewContactDecision): Promise<number>;
  assignVerificationCode(input: ContactKey & { secret: Uint8Array | string; createdAtMs: number }): Promise<string>;
  createCallTask(task: NewCallTask): Promise<boolean>;
  completeCallTask(input: {
    borrowerId: string;
    taskId: string;
    outcome: string;
    completedAtMs: number;
  }): Promise<CallTaskRow | undefined>;
  callTask(key: { borrowerId: string; taskId: string }): Promise<CallTaskRow | undefined>;
  openCallTasks(options: { borrowerId?: string; phone?: string; limit?: number }): Promise<CallTaskRow[]>;
}

export interface ContactStore extends ContactOperations {
  /** Runs `work` in one transaction: commits when it resolves, writes nothing when it throws. */
  transaction<T>(work: (tx: ContactOperations) => Promise<T>): Promise<T>;
}

/** The contact operations on a database connection or inside a transaction of it. */
export function sqlContactOperations(queryable: Queryable): ContactOperations {
  return {
    borrowerLoans: async (borrowerId) => {
      const rows = await listBorrowerLoans(queryable, borrowerId);
      await prepareServicingRules(queryable, rows);
      return rows.map((row) => decodeLoanDocument(row).state);
    },
    contactSubjects: (borrowerIds, options) => loadContactSubjects(queryable, borrowerIds, options),
    requestedPlans: async (borrowerIds) => {
      const plans = await listRequestedPlansByBorrower(queryable, borrowerIds);
      return new Map(
        [...plans].map(([borrowerId, plan]) => [
          borrowerId,
          { planType: plan.planType, requestedAtMs: Date.parse(plan.createdAt) },
        ]),
      );
    },
    saveContactStates: (writes) => saveContactStates(queryable, writes),
    saveBorrowerContacts: async (borrower) => {
      await upsertBorrowers(queryable, [borrower]);
    },
    planningBorrowers: (query) => listPlanningBorrowers(queryable, query),
    insertContacts: (contacts) => insertContacts(queryable, contacts),
    claimDueContacts: (options) => claimDueContacts(queryable, options),
    contact: (key, options) => getContact(queryable, key, options),
    updateContact: (key, change, nowMs) => updateContact(queryable, key, change, nowMs),
    sendingContacts: (borrowerId) => listSendingContacts(queryable, borrowerId),
    contactsByProviderMessageId: (providerMessageId) => findContactsByProviderMessageId(queryable, providerMessageId),
    appendContactDecision: (decision) => appendContactDecision(queryable, decision),
    assignVerificationCode: (input) => assignVerificationCode(queryable, input),
    createCallTask: (task) => createCallTask(queryable, task),
    completeCallTask: (input) => completeCallTask(queryable, input),
    callTask: (key) => getCallTask(queryable, key),
    openCallTasks: (options) => listOpenCallTasks(queryable, options),
  };
}

/** The contact store on PostgreSQL or PGlite. */
export function sqlContactStore(db: Database): ContactStore {
  return {
    ...sqlContactOperations(db),
    transaction: (work) => db.transaction((tx) => work(sqlContactOperations(tx))),
  };
}

/**
 * Where a contact command runs: a contact store, or the database (as the day pipeline, the scheduler, the
 * API and the CLI pass it). One of the two is given.
 */
export interface ContactStoreInput {
  db?: Database;
  store?: ContactStore;
}

/** The one factory the commands go through: the given store, else the SQL store on `db`. */
export function contactStoreOf(input: ContactStoreInput): ContactStore {
  if (input.store !== undefined) return input.store;
  invariant(input.db !== undefined, 'a contact command is given a store or a database');
  return sqlContactStore(input.db);
}
