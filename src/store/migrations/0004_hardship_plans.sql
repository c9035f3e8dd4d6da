-- 0004_hardship_plans — overdue reasons with their evidence files, hardship policies, plans and their
-- approvals (src/store/hardship.ts; docs/hardship.md).
--
-- Note: migrations only go forward; never edit this file once released (add 0007_….sql instead).
--
-- Layout (the rules of 0001 hold): every borrower-owned table has borrower_id first in its primary key;
-- amounts are bigint minor units; contractual dates are `date`; instants are timestamptz written by the
-- caller's clock. A plan's ledger effect is not here: it is the loan's `plan` transactions, journal
-- entries and state (loan_transactions, journal_entries, loans), written in the same transaction as the
-- plan row's change.

-- A hardship policy per product (policy_id = product_id) or the lender's default (policy_id 'default'):
-- eligibility, plan installment grace days, what a break does, approval limits per role. Validated by
-- parseHardshipPolicy before it is written.
CREATE TABLE hardship_policies (
  policy_id text COLLATE "C" PRIMARY KEY,
  config jsonb NOT NULL CHECK (jsonb_typeof(config) = 'object'),
  updated_at timestamptz NOT NULL
);

-- Why a borrower fell behind, in their words or an agent's. Append-only.
CREATE TABLE overdue_reasons (
  borrower_id text COLLATE "C" NOT NULL REFERENCES borrowers (borrower_id),
  reason_id text COLLATE "C" NOT NULL,
  loan_id text COLLATE "C",
  category text NOT NULL CHECK (category IN ('income_loss', 'illness_or_accident', 'family_emergency',
    'business_failure', 'over_borrowing', 'dispute', 'fraud_or_identity_theft', 'disaster', 'other')),
  text text NOT NULL CHECK (char_length(text) <= 2000),
  -- 'borrower' or the id of the agent who captured it.
  captured_by text NOT NULL,
  captured_at timestamptz NOT NULL,
  PRIMARY KEY (borrower_id, reason_id)
);

CREATE INDEX overdue_reasons_loan_idx ON overdue_reasons (borrower_id, loan_id, captured_at);

-- Evidence files, bytes included: in the database (bytea) rather than a folder, so a file is written in
-- the same transaction as its reason, backed up with it, and reachable the same way on PGlite and on
-- PostgreSQL. The limits keep that cheap: at most 10 files of at most 10 MB each per reason; the
-- checksum is the SHA-256 of the content, checked before the row is written.
CREATE TABLE overdue_reason_evidence (
  borrower_id text COLLATE "C" NOT NULL,
  reason_id text COLLATE "C" NOT NULL,
  evidence_no integer NOT NULL CHECK (evidence_no BETWEEN 1 AND 10),
  file_name text NOT NULL,
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/heic')),
  size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea NOT NULL CHECK (octet_length(content) = size_bytes),
  PRIMARY KEY (borrower_id, reason_id, evidence_no),
  FOREIGN KEY (borrower_id, reason_id) REFERENCES overdue_reasons (borrower_id, reason_id)
);

-- A plan: requested → active → completed | broken, or requested → refused. The offer (schedule before
-- and after, concession, who must approve) is kept as it was shown; `terms` is the plan as the ledger
-- step takes it (PlanTermsJson: amounts as minor-unit strings).
CREATE TABLE hardship_plans (
  borrower_id text COLLATE "C" NOT NULL REFERENCES borrowers (borrower_id),
  plan_id text COLLATE "C" NOT NULL,
  loan_id text COLLATE "C" NOT NULL,
  plan_type text NOT NULL CHECK (plan_type IN ('deferral', 're_installment', 'settlement', 'due_date_change', 're_age')),
  status text NOT NULL CHECK (status IN ('requested', 'refused', 'active', 'completed', 'broken')),
  terms jsonb NOT NULL,
  -- 'borrower' or the agent id who asked.
  requested_by text NOT NULL,
  requested_on date NOT NULL,
  reason_id text COLLATE "C",
  offer jsonb,
  -- Why it was refused, completed or broken (a result code and a sentence).
  result_code text,
  result_message text,
  activated_on date,
  -- The loan transaction seq of the activation: payments after it count for the plan.
  activation_seq integer,
  -- The plan installments it is judged on ([{number, dueDate, amountMinor}]) and its grace days.
  judged jsonb,
  grace_days integer CHECK (grace_days >= 0),
  on_break text CHECK (on_break IN ('keep', 'restore')),
  -- The next business date on which judgePlans must look at it; NULL unless active.
  next_check_date date,
  ended_on date,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (borrower_id, plan_id),
  CHECK ((status = 'active') = (next_check_date IS NOT NULL)),
  CHECK (status NOT IN ('active', 'completed', 'broken') OR (activated_on IS NOT NULL AND activation_seq IS NOT NULL))
);

-- Plan ids are unique by construction (derived from the request's idempotency key); this finds one by its
-- id alone (not unique, so the table can still be distributed by borrower).
CREATE INDEX hardship_plans_plan_idx ON hardship_plans (plan_id);
CREATE INDEX hardship_plans_loan_idx ON hardship_plans (borrower_id, loan_id, requested_on);
-- judgePlans' work list: active plans by the date they next need a look.
CREATE INDEX hardship_plans_check_idx ON hardship_plans (next_check_date, borrower_id, plan_id)
  WHERE status = 'active';

-- Every approval decision on a plan: who, under which role and limits, and the outcome — an approval
-- that exceeded the approver's limit is recorded too (decision 'exceeded'), so the console can show why.
CREATE TABLE hardship_plan_approvals (
  borrower_id text COLLATE "C" NOT NULL,
  plan_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  approver_id text NOT NULL,
  role text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('approved', 'refused', 'exceeded')),
  -- The approver's limits when deciding ({waiveShareMax, deferralMonthsMax}).
  limits jsonb,
  code text,
  message text,
  decided_on date NOT NULL,
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (borrower_id, plan_id, seq),
  FOREIGN KEY (borrower_id, plan_id) REFERENCES hardship_plans (borrower_id, plan_id)
);
