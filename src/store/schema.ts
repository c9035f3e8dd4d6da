// The Drizzle description of the tables that src/store/migrations/*.sql creates. The SQL files are the
// source of truth (they are what runs); this file mirrors them for typed queries, and a test compares the
// two through information_schema so they cannot drift apart. Amounts are bigint minor units read as
// JavaScript bigint; dates are ISO strings; instants are strings.
import { bigint, date, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

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
    state: jsonb('state').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.borrowerId, table.loanId] })],
);

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
