-- 0017_payment_reversals — reversing a posted payment (src/app/reversals.ts, `POST /payments/{id}/reversals`,
-- `kuan payments reverse`). A reversal is asked for by the payment's id alone, so the payments table gets
-- an index on it (its key is (borrower_id, payment_id)). A reversal above the lender's threshold is not
-- applied but asked for as an approval of the new kind `payment_reversal` (maker-checker), and carried
-- out when another member approves it.
--
-- Note: migrations only go forward; never edit this file once released (add a new numbered file instead).
CREATE INDEX payments_payment_id_idx ON payments (payment_id);

ALTER TABLE approvals DROP CONSTRAINT approvals_kind_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_kind_check CHECK (kind IN ('strategy_activation', 'payment_reversal'));
