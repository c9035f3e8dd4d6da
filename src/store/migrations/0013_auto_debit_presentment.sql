-- An auto-debit attempt's amount is decided again when it is presented, not only at the close that
-- announced it: under the loan's row lock, from what the loan owes then less what is already on its way
-- (active portal reservations, other presented attempts), so a borrower who paid in the portal meanwhile
-- is not debited twice. presented_at marks when the amount was fixed; a retry of a presented attempt
-- presents that same amount under the same key. 'skipped' means nothing was left to collect and the
-- provider was never called.
ALTER TABLE auto_debit_attempts ADD COLUMN presented_at timestamptz;
ALTER TABLE auto_debit_attempts DROP CONSTRAINT auto_debit_attempts_status_check;
ALTER TABLE auto_debit_attempts ADD CONSTRAINT auto_debit_attempts_status_check
  CHECK (status IN ('pending', 'succeeded', 'declined', 'unknown', 'skipped'));
-- Presented attempts still unanswered are money in flight, summed under the loan's lock by a portal
-- payment and by the next presentment.
CREATE INDEX auto_debit_attempts_in_flight ON auto_debit_attempts (loan_id)
  WHERE status IN ('pending', 'unknown') AND presented_at IS NOT NULL;
