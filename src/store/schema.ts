// The Drizzle description of the tables that src/store/migrations/*.sql creates. The SQL files are the
// source of truth (they are what runs); this file mirrors them for typed queries, and a test compares the
// two through information_schema so they cannot drift apart. Amounts are bigint minor units read as
// JavaScript bigint; dates are ISO strings; instants are strings.
import {
  bigint,
  boolean,
  customType,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();

export const schemaMigrations = pgTable('schema_migrations', {
  version: integer('version').primaryKey(),
  name: text('name').notNull(),
  checksum: text('checksum').notNull(),
  appliedAt: timestamp('applied_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

export const products = pgTable('products', {
  productId: text('product_id').primaryKey(),
  name: text('name').notNull(),
  terms: jsonb('terms').notNull(),
  rules: jsonb('rules').notNull(),
  /** The product's pricing policy (rate caps) as JSON; null: the default for the loan's currency. */
  rateCaps: jsonb('rate_caps'),
  createdAt: createdAt(),
});

export const borrowers = pgTable('borrowers', {
  borrowerId: text('borrower_id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull(),
  locale: text('locale').notNull(),
  contacts: jsonb('contacts').notNull(),
  createdAt: createdAt(),
});

/** Loan id → borrower id: unique loan ids, and lookups by loan id alone (see 0001_init.sql). */
export const loanDirectory = pgTable('loan_directory', {
  loanId: text('loan_id').primaryKey(),
  borrowerId: text('borrower_id').notNull(),
});

export const loans = pgTable(
  'loans',
  {
    borrowerId: text('borrower_id').notNull(),
    loanId: text('loan_id').notNull(),
    productId: text('product_id'),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    dpd: integer('dpd').notNull().default(0),
    bucket: text('bucket').notNull(),
    nextEventDate: date('next_event_date', { mode: 'string' }),
    closedThrough: date('closed_through', { mode: 'string' }),
    borrowerHash: integer('borrower_hash').notNull(),
    /** The servicing core's document, as JSON text (migration 0008): the store never looks inside it. */
    state: text('state').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** The loan's servicing rules (servicing_rules) and terms: written at opening, never by the close. */
    rulesDigest: text('rules_digest'),
    terms: jsonb('terms'),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.loanId] })],
);

/** Each distinct set of servicing rules once, keyed by the SHA-256 of its jsonb text (0002_loan_contracts.sql). */
export const servicingRules = pgTable('servicing_rules', {
  rulesDigest: text('rules_digest').primaryKey(),
  rules: jsonb('rules').notNull(),
  createdAt: createdAt(),
});

export const loanTransactions = pgTable(
  'loan_transactions',
  {
    borrowerId: text('borrower_id').notNull(),
    loanId: text('loan_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    body: jsonb('body').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.loanId, table.seq] })],
);

export const journalEntries = pgTable(
  'journal_entries',
  {
    borrowerId: text('borrower_id').notNull(),
    entryId: text('entry_id').notNull(),
    loanId: text('loan_id').notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    currency: text('currency').notNull(),
    postings: jsonb('postings').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.entryId] })],
);

export const payments = pgTable(
  'payments',
  {
    borrowerId: text('borrower_id').notNull(),
    paymentId: text('payment_id').notNull(),
    loanId: text('loan_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    requestHash: text('request_hash').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    currency: text('currency').notNull(),
    source: text('source').notNull(),
    status: text('status').notNull(),
    result: jsonb('result'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'string' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.paymentId] })],
);

export const outbox = pgTable(
  'outbox',
  {
    borrowerId: text('borrower_id').notNull(),
    eventId: text('event_id').notNull(),
    kind: text('kind').notNull(),
    loanId: text('loan_id'),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    borrowerHash: integer('borrower_hash').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    availableAt: timestamp('available_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    claimedBy: text('claimed_by'),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'string' }),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true, mode: 'string' }),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.eventId] })],
);

export const eodRuns = pgTable('eod_runs', {
  businessDate: date('business_date', { mode: 'string' }).primaryKey(),
  status: text('status').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
  stats: jsonb('stats').notNull(),
});

/** One row per business date and stage of the lender's day (`kuan day`, migration 0009). */
export const dayRuns = pgTable(
  'day_runs',
  {
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    stage: text('stage').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(1),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
    counts: jsonb('counts').notNull(),
    error: text('error'),
  },
  (table) => [primaryKey({ columns: [table.businessDate, table.stage] })],
);

/** The scheduler's heartbeat, one row per scheduler process (migration 0016). */
export const schedulerHeartbeats = pgTable('scheduler_heartbeats', {
  workerId: text('worker_id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
  beatAt: timestamp('beat_at', { withTimezone: true, mode: 'string' }).notNull(),
});

export const autoDebitAttempts = pgTable(
  'auto_debit_attempts',
  {
    borrowerId: text('borrower_id').notNull(),
    loanId: text('loan_id').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    attempt: integer('attempt').notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    presentedAt: timestamp('presented_at', { withTimezone: true, mode: 'string' }),
    providerRef: text('provider_ref'),
    result: jsonb('result'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.loanId, table.dueDate, table.attempt] })],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    response: jsonb('response'),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.scope, table.key] })],
);

// ---- 0003_contacts: the contact pipeline (see docs/contacts.md) ----------------------------------------

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const contactStates = pgTable('contact_states', {
  borrowerId: text('borrower_id').primaryKey(),
  borrowerHash: integer('borrower_hash').notNull(),
  state: jsonb('state').notNull(),
  planThrough: date('plan_through', { mode: 'string' }),
  version: integer('version').notNull().default(1),
  updatedAt: instant('updated_at').notNull(),
});

export const contacts = pgTable(
  'contacts',
  {
    borrowerId: text('borrower_id').notNull(),
    contactId: text('contact_id').notNull(),
    borrowerHash: integer('borrower_hash').notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    channel: text('channel').notNull(),
    template: text('template').notNull(),
    intent: jsonb('intent').notNull(),
    loanIds: jsonb('loan_ids').notNull(),
    status: text('status').notNull(),
    dueAt: instant('due_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    claimedBy: text('claimed_by'),
    claimedUntil: instant('claimed_until'),
    address: text('address'),
    verificationCode: text('verification_code'),
    providerMessageId: text('provider_message_id'),
    deliveryStatus: text('delivery_status'),
    sentAt: instant('sent_at'),
    reasons: jsonb('reasons').notNull().default([]),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.contactId] })],
);

export const contactDecisions = pgTable(
  'contact_decisions',
  {
    borrowerId: text('borrower_id').notNull(),
    contactId: text('contact_id').notNull(),
    seq: integer('seq').notNull(),
    phase: text('phase').notNull(),
    verdict: text('verdict').notNull(),
    decidedAt: instant('decided_at').notNull(),
    reasons: jsonb('reasons').notNull().default([]),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.contactId, table.seq] })],
);

/** Verification code → message (a directory like loan_directory: keyed by the code on purpose). */
export const verificationCodes = pgTable('verification_codes', {
  code: text('code').primaryKey(),
  borrowerId: text('borrower_id').notNull(),
  contactId: text('contact_id').notNull(),
  createdAt: instant('created_at').notNull(),
});

export const callTasks = pgTable(
  'call_tasks',
  {
    borrowerId: text('borrower_id').notNull(),
    taskId: text('task_id').notNull(),
    phone: text('phone').notNull(),
    loanIds: jsonb('loan_ids').notNull(),
    script: text('script').notNull(),
    locale: text('locale').notNull(),
    verificationCode: text('verification_code').notNull(),
    status: text('status').notNull(),
    outcome: text('outcome'),
    createdAt: instant('created_at').notNull(),
    completedAt: instant('completed_at'),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.taskId] })],
);

/** bytea columns (evidence files, lawyer letters) as bytes. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

// ---- 0004_hardship_plans: overdue reasons and hardship plans (see docs/hardship.md) --------------------

export const hardshipPolicies = pgTable('hardship_policies', {
  policyId: text('policy_id').primaryKey(),
  config: jsonb('config').notNull(),
  updatedAt: instant('updated_at').notNull(),
});
export const overdueReasons = pgTable(
  'overdue_reasons',
  {
    borrowerId: text('borrower_id').notNull(),
    reasonId: text('reason_id').notNull(),
    loanId: text('loan_id'),
    category: text('category').notNull(),
    text: text('text').notNull(),
    capturedBy: text('captured_by').notNull(),
    capturedAt: instant('captured_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.borrowerId, t.reasonId] })],
);
export const overdueReasonEvidence = pgTable(
  'overdue_reason_evidence',
  {
    borrowerId: text('borrower_id').notNull(),
    reasonId: text('reason_id').notNull(),
    evidenceNo: integer('evidence_no').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [primaryKey({ columns: [t.borrowerId, t.reasonId, t.evidenceNo] })],
);
export const hardshipPlans = pgTable(
  'hardship_plans',
  {
    borrowerId: text('borrower_id').notNull(),
    planId: text('plan_id').notNull(),
    loanId: text('loan_id').notNull(),
    planType: text('plan_type').notNull(),
    status: text('status').notNull(),
    terms: jsonb('terms').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedOn: date('requested_on', { mode: 'string' }).notNull(),
    reasonId: text('reason_id'),
    offer: jsonb('offer'),
    resultCode: text('result_code'),
    resultMessage: text('result_message'),
    activatedOn: date('activated_on', { mode: 'string' }),
    activationSeq: integer('activation_seq'),
    judged: jsonb('judged'),
    graceDays: integer('grace_days'),
    onBreak: text('on_break'),
    nextCheckDate: date('next_check_date', { mode: 'string' }),
    endedOn: date('ended_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.borrowerId, t.planId] })],
);
export const hardshipPlanApprovals = pgTable(
  'hardship_plan_approvals',
  {
    borrowerId: text('borrower_id').notNull(),
    planId: text('plan_id').notNull(),
    seq: integer('seq').notNull(),
    approverId: text('approver_id').notNull(),
    role: text('role').notNull(),
    decision: text('decision').notNull(),
    limits: jsonb('limits'),
    code: text('code'),
    message: text('message'),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    decidedAt: instant('decided_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.borrowerId, t.planId, t.seq] })],
);

// ---- 0005_collection_cases: the collector workbench (see docs/workbench.md) ----------------------------

export const agents = pgTable('agents', {
  agentId: text('agent_id').primaryKey(),
  name: text('name').notNull(),
  team: text('team').notNull(),
  skills: jsonb('skills').notNull(),
  capacity: integer('capacity').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

export const cases = pgTable(
  'cases',
  {
    borrowerId: text('borrower_id').notNull(),
    caseId: text('case_id').notNull(),
    borrowerHash: integer('borrower_hash').notNull(),
    status: text('status').notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    resolvedOn: date('resolved_on', { mode: 'string' }),
    resolution: text('resolution'),
    stage: text('stage').notNull(),
    locale: text('locale').notNull(),
    timezone: text('timezone').notNull(),
    loanIds: jsonb('loan_ids').notNull(),
    dpd: integer('dpd').notNull(),
    bucket: text('bucket').notNull(),
    chargedOff: boolean('charged_off').notNull(),
    facts: jsonb('facts').notNull(),
    priorityCenti: integer('priority_centi').notNull(),
    explanation: jsonb('explanation').notNull(),
    refreshedOn: date('refreshed_on', { mode: 'string' }).notNull(),
    assignedAgentId: text('assigned_agent_id'),
    assignedAt: instant('assigned_at'),
    claimedBy: text('claimed_by'),
    claimedUntil: instant('claimed_until'),
    lastCallAt: instant('last_call_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.caseId] })],
);

export const caseAssignments = pgTable(
  'case_assignments',
  {
    borrowerId: text('borrower_id').notNull(),
    caseId: text('case_id').notNull(),
    seq: integer('seq').notNull(),
    agentId: text('agent_id').notNull(),
    strategy: text('strategy').notNull(),
    reason: text('reason').notNull(),
    assignedAt: instant('assigned_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.caseId, table.seq] })],
);

export const callLogs = pgTable(
  'call_logs',
  {
    borrowerId: text('borrower_id').notNull(),
    callId: text('call_id').notNull(),
    caseId: text('case_id'),
    agentId: text('agent_id').notNull(),
    number: text('number').notNull(),
    outcome: text('outcome').notNull(),
    calledAt: instant('called_at').notNull(),
    loanIds: jsonb('loan_ids').notNull(),
    effects: jsonb('effects').notNull(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.callId] })],
);

export const notes = pgTable(
  'notes',
  {
    borrowerId: text('borrower_id').notNull(),
    noteId: integer('note_id').notNull(),
    caseId: text('case_id'),
    complaintId: text('complaint_id'),
    author: text('author').notNull(),
    text: text('text').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.noteId] })],
);

export const callbacks = pgTable(
  'callbacks',
  {
    borrowerId: text('borrower_id').notNull(),
    callbackId: text('callback_id').notNull(),
    caseId: text('case_id'),
    agentId: text('agent_id').notNull(),
    dueAt: instant('due_at').notNull(),
    localTime: text('local_time').notNull(),
    timezone: text('timezone').notNull(),
    status: text('status').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.callbackId] })],
);

export const escalations = pgTable(
  'escalations',
  {
    borrowerId: text('borrower_id').notNull(),
    caseId: text('case_id').notNull(),
    seq: integer('seq').notNull(),
    fromStage: text('from_stage').notNull(),
    toStage: text('to_stage').notNull(),
    agentId: text('agent_id').notNull(),
    escalatedAt: instant('escalated_at').notNull(),
    reasons: jsonb('reasons').notNull(),
    letterContactId: text('letter_contact_id'),
    letterAddress: text('letter_address'),
    letterCode: text('letter_code'),
    letterPdf: bytea('letter_pdf'),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.caseId, table.seq] })],
);

export const complaints = pgTable(
  'complaints',
  {
    borrowerId: text('borrower_id').notNull(),
    complaintId: text('complaint_id').notNull(),
    loanId: text('loan_id'),
    caseId: text('case_id'),
    source: text('source').notNull(),
    raisedBy: text('raised_by').notNull(),
    category: text('category').notNull(),
    text: text('text').notNull(),
    status: text('status').notNull(),
    team: text('team').notNull(),
    assignedAgentId: text('assigned_agent_id'),
    openedAt: instant('opened_at').notNull(),
    deadlineAt: instant('deadline_at').notNull(),
    pauseReason: text('pause_reason'),
    reviewedAt: instant('reviewed_at'),
    reviewedBy: text('reviewed_by'),
    reviewNote: text('review_note'),
    closedAt: instant('closed_at'),
    closedBy: text('closed_by'),
    resolution: text('resolution'),
    breachAlertedAt: instant('breach_alerted_at'),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.complaintId] })],
);

export const surveys = pgTable(
  'surveys',
  {
    borrowerId: text('borrower_id').notNull(),
    surveyId: text('survey_id').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    status: text('status').notNull(),
    offeredAt: instant('offered_at').notNull(),
    answeredAt: instant('answered_at'),
    score: integer('score'),
    comment: text('comment'),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.surveyId] })],
);

// ---- 0006_access_audit: staff, sessions, borrower sign-in codes, the audit chain (see docs/access.md) ----

export const staffAccounts = pgTable('staff_accounts', {
  username: text('username').primaryKey(),
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});
export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  subjectKind: text('subject_kind').notNull(),
  subjectId: text('subject_id').notNull(),
  createdAt: instant('created_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  revokedAt: instant('revoked_at'),
});
export const borrowerSignInCodes = pgTable(
  'borrower_sign_in_codes',
  {
    borrowerId: text('borrower_id').notNull(),
    codeId: text('code_id').notNull(),
    codeHash: text('code_hash').notNull(),
    channel: text('channel').notNull(),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    attemptsMax: integer('attempts_max').notNull(),
    consumedAt: instant('consumed_at'),
  },
  (t) => [primaryKey({ columns: [t.borrowerId, t.codeId] })],
);
export const borrowerIdentities = pgTable('borrower_identities', {
  borrowerId: text('borrower_id').primaryKey(),
  idType: text('id_type').notNull(),
  idNumber: text('id_number').notNull(),
  updatedAt: instant('updated_at').notNull(),
});
export const auditLog = pgTable('audit_log', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  at: instant('at').notNull(),
  actorKind: text('actor_kind').notNull(),
  actorId: text('actor_id').notNull(),
  action: text('action').notNull(),
  resource: text('resource').notNull(),
  subjectBorrowerId: text('subject_borrower_id'),
  outcome: integer('outcome').notNull(),
  detail: jsonb('detail').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

// ---- 0007_approvals: maker-checker approvals and the active strategy (see docs/strategies.md) ----------

export const approvals = pgTable('approvals', {
  approvalId: text('approval_id').primaryKey(),
  kind: text('kind').notNull(),
  status: text('status').notNull(),
  subject: text('subject').notNull(),
  summary: text('summary').notNull(),
  requestedBy: text('requested_by').notNull(),
  requestedAt: instant('requested_at').notNull(),
  requestComment: text('request_comment'),
  document: jsonb('document').notNull(),
  digest: text('digest').notNull(),
  baseDigest: text('base_digest'),
  changes: jsonb('changes').notNull().default([]),
  decidedBy: text('decided_by'),
  decidedAt: instant('decided_at'),
  decisionComment: text('decision_comment'),
  supersededBy: text('superseded_by'),
});
export const strategies = pgTable('strategies', {
  approvalId: text('approval_id').primaryKey(),
  name: text('name').notNull(),
  version: integer('version').notNull(),
  digest: text('digest').notNull(),
  document: jsonb('document').notNull(),
  active: boolean('active').notNull(),
  activatedAt: instant('activated_at').notNull(),
  activatedBy: text('activated_by').notNull(),
  approvedBy: text('approved_by').notNull(),
  retiredAt: instant('retired_at'),
});

/** Portal payments' reservations (migration 0009; rules in src/app/portal-payments.ts). */
export const portalPaymentReservations = pgTable(
  'portal_payment_reservations',
  {
    borrowerId: text('borrower_id').notNull(),
    paymentKey: text('payment_key').notNull().unique(),
    loanId: text('loan_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    currency: text('currency').notNull(),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    providerRef: text('provider_ref'),
    refundRef: text('refund_ref'),
    reason: text('reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.paymentKey] })],
);
