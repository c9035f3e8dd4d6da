-- 0007_approvals — maker-checker approvals, and the contact strategy in force. A supervisor asks for a
-- strategy document to be activated (an approval, pending); another member with approvals:decide approves
-- or rejects it; approving writes the document into `strategies` as the one active strategy, in the same
-- transaction. See docs/strategies.md ("Activation and approval").
--
-- Note: migrations only go forward; never edit this file once released (add a new numbered file instead).
--
-- Layout: neither table is borrower-owned (they are the lender's configuration), so neither has a
-- borrower_id. Instants are written by the caller's clock (timestamptz), never now().

-- One row per request that needs a second person. `kind` says what is asked for (only
-- strategy_activation for now; a new kind adds itself to the CHECK in a later migration). `subject` is
-- what it is about (for a strategy activation: the strategy's name). The requested document is stored as
-- asked, with its SHA-256 (the digest of the canonical JSON), so the approver approves exactly the
-- document the requester previewed; `base_digest` and `changes` are the active strategy's digest and the
-- diff against it when the request was made. A decision is written once: pending → approved, rejected or
-- superseded (another activation was approved first, so this diff no longer says what would change).
CREATE TABLE approvals (
  approval_id text COLLATE "C" PRIMARY KEY CHECK (approval_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  kind text NOT NULL CHECK (kind IN ('strategy_activation')),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  summary text NOT NULL CHECK (length(summary) <= 1000),
  requested_by text COLLATE "C" NOT NULL,
  requested_at timestamptz NOT NULL,
  request_comment text CHECK (length(request_comment) <= 2000),
  document jsonb NOT NULL,
  digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
  base_digest text CHECK (base_digest ~ '^[0-9a-f]{64}$'),
  changes jsonb NOT NULL DEFAULT '[]',
  decided_by text COLLATE "C",
  decided_at timestamptz,
  decision_comment text CHECK (length(decision_comment) <= 2000),
  -- The approval whose activation superseded this one.
  superseded_by text COLLATE "C",
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK ((status = 'pending') = (decided_by IS NULL)),
  -- Maker-checker: nobody decides their own request (superseding is the system's, decided_by = the approver
  -- of the other request, who may be the requester of this one).
  CHECK (status <> 'approved' AND status <> 'rejected' OR decided_by <> requested_by)
);

-- The inbox (pending first, newest first) and the history by status.
CREATE INDEX approvals_status_idx ON approvals (status, requested_at DESC, approval_id DESC);
CREATE INDEX approvals_pending_subject_idx ON approvals (kind, subject) WHERE status = 'pending';

-- Every strategy document ever activated, one row per activation (its approval). Exactly one row is
-- active at a time, across all names: the strategy the daily contact planning uses (without any row,
-- the built-in `default`). A name and version always mean one document: activating name N version V
-- with another digest than a stored (or built-in) N V is refused before it gets here.
CREATE TABLE strategies (
  approval_id text COLLATE "C" PRIMARY KEY REFERENCES approvals (approval_id),
  name text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
  document jsonb NOT NULL,
  active boolean NOT NULL,
  activated_at timestamptz NOT NULL,
  -- The member who asked for the activation, and the one who approved it.
  activated_by text COLLATE "C" NOT NULL,
  approved_by text COLLATE "C" NOT NULL CHECK (approved_by <> activated_by),
  -- When another activation replaced this one (null while active).
  retired_at timestamptz,
  CHECK (active = (retired_at IS NULL))
);

CREATE UNIQUE INDEX strategies_one_active_idx ON strategies ((true)) WHERE active;
CREATE INDEX strategies_name_version_idx ON strategies (name, version);
