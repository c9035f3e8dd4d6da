-- 0015_borrower_sms_number_index — a borrower's reply (STOP, 退订) arrives from their phone number, not
-- with their id: the provider's webhook names the number, and Kuan finds the borrowers whose SMS address
-- it is. Compared by the number's `+` and digits only, so "+86 138-0013-8000" and "+8613800138000" agree.
CREATE INDEX borrowers_sms_number_idx ON borrowers (regexp_replace(contacts->>'sms', '[^0-9+]', '', 'g'));
