-- 0003_contacts — the contact pipeline's durable state: each borrower's contact state, every planned
-- contact with its status, the decisions taken about it, the verification-code directory and call tasks.
--
-- Note: migrations only go forward; never edit this file once released (add 0004_….sql instead).
--
-- Layout (the rules of 0001 hold): every borrower-owned table has borrower_id first in its primary key
-- and a borrower_hash where workers split work by it; instants are timestamptz written by the caller's
-- clock (never now() for anything a decision depends on, so a simulated clock and a real one behave the
-- same); JSON documents carry amounts as decimal strings. See docs/contacts.md.

-- One document per borrower: addresses, opt-outs, holds, pauses, promises, hardship and the recent contact
-- history the compliance gate counts (BorrowerContactState, src/contact/borrower.ts). Optimistic
-- concurrency: every write names the version it read.
CREATE TABLE contact_states (
  borrower_id text COLLATE "C" PRIMARY KEY REFERENCES borrowers (borrower_id),
  borrower_hash integer NOT NULL CHECK (borrower_hash >= 0),
  state jsonb NOT NULL,
  -- The last local date on which the state alone (a hold, a promise to pay, a hardship request) gives the
  -- daily planning something to do (contactPlanThrough); NULL when nothing does.
  plan_through date,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at timestamptz NOT NULL
);

CREATE INDEX contact_states_plan_idx ON contact_states (borrower_id) WHERE plan_through IS NOT NULL;

-- One row per planned contact (a ContactIntent): planned → (deferred →)* sending → sent, or suppressed,
-- or failed. contact_id is the intent id, deterministic, so planning a day again inserts nothing; it is
-- also the provider's idempotency key (the messageId), so a re-send after a crash is the same message.
CREATE TABLE contacts (
  borrower_id text COLLATE "C" NOT NULL,
  contact_id text COLLATE "C" NOT NULL,
  borrower_hash integer NOT NULL CHECK (borrower_hash >= 0),
  business_date date NOT NULL,
  channel text NOT NULL CHECK (channel IN ('sms', 'email', 'push', 'letter', 'voice')),
  template text NOT NULL,
  -- The ContactIntent as planned (subjects' amounts as decimal strings).
  intent jsonb NOT NULL,
  -- The loans the message names: the intent's, narrowed by the gate when it decided to send.
  loan_ids jsonb NOT NULL CHECK (jsonb_typeof(loan_ids) = 'array'),
  status text NOT NULL CHECK (status IN ('planned', 'deferred', 'sending', 'sent', 'suppressed', 'failed')),
  -- When to try next (planned: the planned instant; deferred: the gate's notBefore; sending: the retry).
  due_at timestamptz NOT NULL,
  -- Provider calls so far (a re-claim of a 'sending' contact counts as one: the call may have gone).
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  claimed_by text,
  claimed_until timestamptz,
  -- The address the send decision chose; a re-send uses the same one.
  address text,
  verification_code text COLLATE "C",
  provider_message_id text COLLATE "C",
  delivery_status text CHECK (delivery_status IN ('delivered', 'failed', 'undelivered', 'read')),
  sent_at timestamptz,
  -- The reasons of the latest decision (every decision is in contact_decisions).
  reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (borrower_id, contact_id),
  CHECK (status <> 'sending' OR (verification_code IS NOT NULL AND address IS NOT NULL)),
  CHECK (status <> 'sent' OR (verification_code IS NOT NULL AND sent_at IS NOT NULL))
);

-- The dispatchers' work list: open contacts by due instant; borrower_hash in the key so a worker's hash
-- range is checked on the index entry.
CREATE INDEX contacts_due_idx ON contacts (due_at, borrower_hash)
  WHERE status IN ('planned', 'deferred', 'sending');

-- Contacts decided but not yet recorded as sent: the gate counts them against the caps.
CREATE INDEX contacts_sending_idx ON contacts (borrower_id) WHERE status = 'sending';

-- Delivery receipts name the provider's id.
CREATE INDEX contacts_provider_message_idx ON contacts (provider_message_id) WHERE provider_message_id IS NOT NULL;

-- Append-only: every gate decision (planning, dispatch) and every delivery outcome and receipt, with its
-- reasons, so the console can answer "why was this sent, held back or not delivered?".
CREATE TABLE contact_decisions (
  borrower_id text COLLATE "C" NOT NULL,
  contact_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  phase text NOT NULL CHECK (phase IN ('plan', 'dispatch', 'delivery', 'receipt')),
  verdict text NOT NULL CHECK (verdict IN ('send', 'defer', 'suppress', 'accepted', 'rejected', 'retryable',
    'failed', 'expired', 'delivered', 'undelivered', 'read')),
  decided_at timestamptz NOT NULL,
  reasons jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(reasons) = 'array'),
  PRIMARY KEY (borrower_id, contact_id, seq)
);

-- Which message a verification code belongs to, for the portal's "check a message" (like loan_directory:
-- found by its key alone). Codes are unique across all borrowers; written once, never updated.
CREATE TABLE verification_codes (
  code text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[A-HJKMNP-Z2-9]{6}$'),
  borrower_id text COLLATE "C" NOT NULL,
  contact_id text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL
);

-- A voice contact becomes a call task for an agent (Kuan does not dial); task_id is the contact id.
CREATE TABLE call_tasks (
  borrower_id text COLLATE "C" NOT NULL,
  task_id text COLLATE "C" NOT NULL,
  phone text NOT NULL,
  loan_ids jsonb NOT NULL CHECK (jsonb_typeof(loan_ids) = 'array'),
  script text NOT NULL,
  locale text NOT NULL,
  verification_code text COLLATE "C" NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'done')),
  outcome text,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (borrower_id, task_id),
  CHECK ((status = 'done') = (outcome IS NOT NULL AND completed_at IS NOT NULL))
);

CREATE INDEX call_tasks_open_idx ON call_tasks (created_at, borrower_id) WHERE status = 'open';
