-- 0005_collection_cases — the collector workbench: agents, one case per borrower in collection with its
-- priority and the formula's terms, assignments, call logs, notes, callbacks, escalations (with the lawyer's
-- letter), complaints and satisfaction surveys.
--
-- Note: migrations only go forward; never edit this file once released (add 0006_….sql instead).
--
-- Layout (the rules of 0001 hold): every borrower-owned table has borrower_id first in its primary key;
-- instants are timestamptz written by the caller's clock (never now() for anything a decision depends on,
-- so a simulated clock and a real one behave the same); JSON documents carry amounts as decimal strings.
-- Contact pauses, promises to pay and blocked numbers live in the borrower's contact state (0003), not
-- here: these tables record the work, the contact state is what the compliance gate reads. See
-- docs/workbench.md.

-- Collectors and the complaints team. Skills: {"languages": ["zh-CN"], "buckets": ["M2", "M3"]} (empty: any).
CREATE TABLE agents (
  agent_id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  team text NOT NULL CHECK (team ~ '^[a-z][a-z0-9_]{0,31}$'),
  skills jsonb NOT NULL DEFAULT '{"languages": [], "buckets": []}'::jsonb CHECK (jsonb_typeof(skills) = 'object'),
  -- Most open cases (or complaints, for the complaints team) the agent holds at once.
  capacity integer NOT NULL CHECK (capacity BETWEEN 0 AND 10000),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- One open case per borrower in collection (a loan past its grace days, or charged off); a case is
-- resolved when no loan of the borrower is in collection any more (or by hand), and a later fall into
-- collection opens a new one. The columns beside `facts` are copies the queue sorts and filters on.
CREATE TABLE cases (
  borrower_id text COLLATE "C" NOT NULL REFERENCES borrowers (borrower_id),
  case_id text COLLATE "C" NOT NULL,
  borrower_hash integer NOT NULL CHECK (borrower_hash >= 0),
  status text NOT NULL CHECK (status IN ('open', 'resolved')),
  opened_on date NOT NULL,
  resolved_on date,
  resolution text,
  -- The escalation ladder's stage (soft, hard, legal … as configured).
  stage text NOT NULL,
  locale text NOT NULL,
  timezone text NOT NULL,
  loan_ids jsonb NOT NULL CHECK (jsonb_typeof(loan_ids) = 'array'),
  dpd integer NOT NULL CHECK (dpd >= 0),
  bucket text NOT NULL,
  charged_off boolean NOT NULL,
  -- What the priority was computed from (balances, promises, last contact, score) as of refreshed_on.
  facts jsonb NOT NULL,
  -- The priority in hundredths of a point (the formula's contributions are rounded to 0.01) and its terms.
  priority_centi integer NOT NULL,
  explanation jsonb NOT NULL,
  refreshed_on date NOT NULL,
  assigned_agent_id text COLLATE "C" REFERENCES agents (agent_id),
  assigned_at timestamptz,
  -- The agent working it now (nextCase), until claimed_until; a lapsed claim can be taken over.
  claimed_by text COLLATE "C",
  claimed_until timestamptz,
  last_call_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (borrower_id, case_id),
  CHECK ((status = 'resolved') = (resolved_on IS NOT NULL))
);

CREATE UNIQUE INDEX cases_one_open_idx ON cases (borrower_id) WHERE status = 'open';
-- The queue: open cases by priority, ties by borrower id (the order explainQueue shows).
CREATE INDEX cases_queue_idx ON cases (priority_centi DESC, borrower_id) WHERE status = 'open';
CREATE INDEX cases_agent_idx ON cases (assigned_agent_id, priority_centi DESC, borrower_id) WHERE status = 'open';

-- Who was given a case, when, under which strategy and why; append-only.
CREATE TABLE case_assignments (
  borrower_id text COLLATE "C" NOT NULL,
  case_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  agent_id text COLLATE "C" NOT NULL,
  strategy text NOT NULL,
  reason text NOT NULL,
  assigned_at timestamptz NOT NULL,
  PRIMARY KEY (borrower_id, case_id, seq),
  FOREIGN KEY (borrower_id, case_id) REFERENCES cases (borrower_id, case_id)
);

CREATE INDEX case_assignments_recent_idx ON case_assignments (assigned_at DESC, borrower_id DESC);

-- Every call an agent logged, with its outcome and what it set off (promise, callback, pause, block).
CREATE TABLE call_logs (
  borrower_id text COLLATE "C" NOT NULL,
  call_id text COLLATE "C" NOT NULL,
  case_id text COLLATE "C",
  agent_id text COLLATE "C" NOT NULL,
  number text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('connected', 'no_answer', 'busy', 'wrong_number', 'third_party',
    'refused', 'dispute', 'promise', 'callback')),
  called_at timestamptz NOT NULL,
  loan_ids jsonb NOT NULL CHECK (jsonb_typeof(loan_ids) = 'array'),
  effects jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(effects) = 'array'),
  PRIMARY KEY (borrower_id, call_id)
);

CREATE INDEX call_logs_agent_idx ON call_logs (agent_id, called_at);

-- Notes on a case or a complaint, numbered per borrower.
CREATE TABLE notes (
  borrower_id text COLLATE "C" NOT NULL,
  note_id integer NOT NULL CHECK (note_id >= 1),
  case_id text COLLATE "C",
  complaint_id text COLLATE "C",
  author text NOT NULL,
  text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (borrower_id, note_id)
);

-- Callbacks the borrower asked for, at a local time inside the policy's contact window.
CREATE TABLE callbacks (
  borrower_id text COLLATE "C" NOT NULL,
  callback_id text COLLATE "C" NOT NULL,
  case_id text COLLATE "C",
  agent_id text COLLATE "C" NOT NULL,
  due_at timestamptz NOT NULL,
  -- As agreed with the borrower: "2026-03-20 10:00" in `timezone`.
  local_time text NOT NULL,
  timezone text NOT NULL,
  status text NOT NULL CHECK (status IN ('scheduled', 'done', 'cancelled')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (borrower_id, callback_id)
);

CREATE INDEX callbacks_due_idx ON callbacks (due_at, borrower_id) WHERE status = 'scheduled';

-- Moves up the escalation ladder; a legal stage keeps the lawyer's letter as sent (PDF bytes), its
-- address (always the borrower's own) and the contact it was recorded as.
CREATE TABLE escalations (
  borrower_id text COLLATE "C" NOT NULL,
  case_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  from_stage text NOT NULL,
  to_stage text NOT NULL,
  agent_id text COLLATE "C" NOT NULL,
  escalated_at timestamptz NOT NULL,
  reasons jsonb NOT NULL CHECK (jsonb_typeof(reasons) = 'array'),
  letter_contact_id text COLLATE "C",
  letter_address text,
  letter_code text,
  letter_pdf bytea,
  PRIMARY KEY (borrower_id, case_id, seq),
  FOREIGN KEY (borrower_id, case_id) REFERENCES cases (borrower_id, case_id),
  CHECK ((letter_pdf IS NULL) = (letter_contact_id IS NULL))
);

-- Complaint tickets: open → reviewed → closed (or open → closed). pause_reason names the contact pause
-- the complaint holds until it is reviewed.
CREATE TABLE complaints (
  borrower_id text COLLATE "C" NOT NULL REFERENCES borrowers (borrower_id),
  complaint_id text COLLATE "C" NOT NULL,
  loan_id text COLLATE "C",
  case_id text COLLATE "C",
  source text NOT NULL CHECK (source IN ('borrower', 'agent')),
  raised_by text NOT NULL,
  category text NOT NULL CHECK (category IN ('contact_conduct', 'fees', 'dispute', 'privacy', 'other')),
  text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
  status text NOT NULL CHECK (status IN ('open', 'reviewed', 'closed')),
  team text NOT NULL,
  assigned_agent_id text COLLATE "C" REFERENCES agents (agent_id),
  opened_at timestamptz NOT NULL,
  deadline_at timestamptz NOT NULL,
  pause_reason text,
  reviewed_at timestamptz,
  reviewed_by text,
  review_note text,
  closed_at timestamptz,
  closed_by text,
  resolution text,
  breach_alerted_at timestamptz,
  PRIMARY KEY (borrower_id, complaint_id),
  CHECK ((status = 'open') = (reviewed_at IS NULL)),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL AND resolution IS NOT NULL))
);

-- Breach alerts: complaints not closed, by deadline.
CREATE INDEX complaints_deadline_idx ON complaints (deadline_at, borrower_id) WHERE status <> 'closed';
CREATE INDEX complaints_team_idx ON complaints (team, assigned_agent_id) WHERE status <> 'closed';

-- One survey per resolved case or closed complaint: offered, then answered once.
CREATE TABLE surveys (
  borrower_id text COLLATE "C" NOT NULL REFERENCES borrowers (borrower_id),
  survey_id text COLLATE "C" NOT NULL,
  subject_kind text NOT NULL CHECK (subject_kind IN ('case', 'complaint')),
  subject_id text COLLATE "C" NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'answered')),
  offered_at timestamptz NOT NULL,
  answered_at timestamptz,
  score integer CHECK (score BETWEEN 1 AND 5),
  comment text CHECK (char_length(comment) <= 1000),
  PRIMARY KEY (borrower_id, survey_id),
  CHECK ((status = 'answered') = (answered_at IS NOT NULL AND score IS NOT NULL))
);
