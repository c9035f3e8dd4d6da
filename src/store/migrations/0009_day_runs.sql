-- The lender's day (`kuan day`): one row per business date and stage (close, plans, cases, complaints,
-- contact planning, dispatch, events), so each stage runs once per date however often the day is started,
-- a crashed stage is run again (every stage is idempotent in itself), and the console shows how the day
-- went. Nothing here is borrower-owned: a reference table on a distributed engine.
CREATE TABLE day_runs (
  business_date date NOT NULL,
  stage text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  attempts integer NOT NULL DEFAULT 1,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text,
  PRIMARY KEY (business_date, stage)
);
