-- 0001_init — Kuan's first schema.
--
-- Note: migrations only go forward. Never edit this file once released (the runner records its
-- checksum and refuses a changed file); add 0002_….sql instead. Each file runs in one transaction.
--
-- Layout rules every later migration keeps:
-- * Every borrower-owned table has borrower_id as the first column of its primary key, so the schema can
--   be distributed by borrower (Citus) and one borrower's rows stay together.
-- * Loan state is one opaque jsonb document owned by the servicing core; the columns next to it (status,
--   dpd, bucket, next_event_date, closed_through) are copies the store needs for queries and indexes.
-- * Amounts are bigint minor units; contractual dates are `date`; instants are `timestamptz`.
-- * Identifiers compare bytewise (COLLATE "C"): the same order on every server and on PGlite, and no
--   locale-aware comparison on the hottest index lookups.
-- * The append-only tables written by the daily close (loan_transactions, journal_entries, outbox) have
--   no foreign keys: each would cost a trigger and an index probe per row on the hot path, and the close
--   writes them in the same transaction as the loan row they belong to.

CREATE TABLE products (
  product_id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  terms jsonb NOT NULL DEFAULT '{}'::jsonb,
  rules jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE borrowers (
  borrower_id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  timezone text NOT NULL,
  locale text NOT NULL,
  contacts jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Which borrower owns a loan id. It keeps loan ids unique across borrowers and finds a loan by its id
-- alone, without a second unique index on loans that every update of the close would have to maintain
-- (and that a table distributed by borrower could not enforce). Written once per loan, never updated.
CREATE TABLE loan_directory (
  loan_id text COLLATE "C" PRIMARY KEY,
  borrower_id text COLLATE "C" NOT NULL
);

CREATE TABLE loans (
  borrower_id text COLLATE "C" NOT NULL REFERENCES borrowers (borrower_id),
  loan_id text COLLATE "C" NOT NULL REFERENCES loan_directory (loan_id),
  product_id text COLLATE "C" REFERENCES products (product_id),
  currency text NOT NULL,
  status text NOT NULL,
  dpd integer NOT NULL DEFAULT 0 CHECK (dpd >= 0),
  bucket text NOT NULL,
  -- The first date on which the daily close has something to do for this loan; NULL when never again
  -- (closed, charged off). The close reads only loans with next_event_date <= the business date.
  next_event_date date,
  -- The last business date the close processed this loan; a rerun of that date skips it.
  closed_through date,
  -- borrowerHash(borrower_id) (src/store/partition.ts: FNV-1a 32 + fmix32, top bit cleared): 0 … 2^31-1.
  -- Worker k of n takes the k-th of n equal hash ranges, like a Citus shard.
  borrower_hash integer NOT NULL CHECK (borrower_hash >= 0),
  state jsonb NOT NULL,
  -- Optimistic concurrency: every write names the version it read and bumps it.
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (borrower_id, loan_id)
);

-- The daily close's work list, in the order claimDueLoans reads it: a page is one index range scan whose
-- cost follows the loans due that day, not the size of the book; borrower_hash is in the key so a
-- worker's hash range is checked on the index entry, before the row is fetched.
CREATE INDEX loans_next_event_idx ON loans (next_event_date, borrower_hash, borrower_id, loan_id)
  WHERE next_event_date IS NOT NULL;

CREATE TABLE loan_transactions (
  borrower_id text COLLATE "C" NOT NULL,
  loan_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  kind text NOT NULL,
  business_date date NOT NULL,
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (borrower_id, loan_id, seq)
);

-- One row per journal entry, its balanced postings inline as a jsonb array of
-- {"account", "side": "debit"|"credit", "amountMinor": "<integer string>"}: one row instead of two or more
-- per entry on the close's hot path; the trial balance unnests them in SQL.
CREATE TABLE journal_entries (
  borrower_id text COLLATE "C" NOT NULL,
  entry_id text COLLATE "C" NOT NULL,
  loan_id text COLLATE "C" NOT NULL,
  business_date date NOT NULL,
  kind text NOT NULL,
  currency text NOT NULL,
  postings jsonb NOT NULL CHECK (jsonb_typeof(postings) = 'array'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (borrower_id, entry_id)
);

CREATE INDEX journal_entries_business_date_idx ON journal_entries (business_date);

CREATE TABLE payments (
  borrower_id text COLLATE "C" NOT NULL,
  payment_id text COLLATE "C" NOT NULL,
  loan_id text COLLATE "C" NOT NULL,
  idempotency_key text COLLATE "C" NOT NULL,
  request_hash text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  source text NOT NULL,
  status text NOT NULL,
  result jsonb,
  received_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (borrower_id, payment_id),
  UNIQUE (idempotency_key)
);

CREATE INDEX payments_loan_idx ON payments (borrower_id, loan_id, received_at);

-- Transactional outbox: events written in the same transaction as the state change that caused them,
-- dispatched later by workers that claim them with FOR UPDATE SKIP LOCKED and a lease (claimed_at).
-- Event ids are deterministic (derived from borrower, loan, date and kind), so a rerun inserts nothing new.
CREATE TABLE outbox (
  borrower_id text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  loan_id text COLLATE "C",
  business_date date NOT NULL,
  borrower_hash integer NOT NULL CHECK (borrower_hash >= 0),
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Not to be dispatched before this instant (a scheduled send, or the back-off after a failed attempt).
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  claimed_by text,
  claimed_at timestamptz,
  dispatched_at timestamptz,
  PRIMARY KEY (borrower_id, event_id)
);

CREATE INDEX outbox_pending_idx ON outbox (available_at, borrower_id, event_id) WHERE dispatched_at IS NULL;

CREATE TABLE eod_runs (
  business_date date PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  stats jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- One row per presentment of a due installment to the borrower's bound account. The row is written
-- (status 'pending', with its idempotency key) before the provider is called, so a crash in between is
-- retried with the same key instead of debiting twice.
CREATE TABLE auto_debit_attempts (
  borrower_id text COLLATE "C" NOT NULL,
  loan_id text COLLATE "C" NOT NULL,
  due_date date NOT NULL,
  attempt integer NOT NULL CHECK (attempt >= 1),
  business_date date NOT NULL,
  idempotency_key text COLLATE "C" NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined', 'unknown')),
  provider_ref text,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (borrower_id, loan_id, due_date, attempt),
  UNIQUE (idempotency_key)
);

CREATE INDEX auto_debit_attempts_open_idx ON auto_debit_attempts (business_date)
  WHERE status IN ('pending', 'unknown');

-- Generic idempotency records for commands other than payments (waivers, holds, plans, …): the first
-- request under a key stores its hash and, once done, its response; a replay returns the response.
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
