-- 0002_loan_contracts — a loan's contract (terms and servicing rules) stored once, out of the document
-- that every daily close rewrites.
--
-- Note: migrations only go forward; never edit this file once released (add 0003_….sql instead).
--
-- Why: the close rewrites loans.state for every loan it touches. With the rules (~620 bytes of JSON)
-- and terms (~410 bytes) inside it, the document was ~2.2 kB, which PostgreSQL compresses (pglz) on
-- every write and decompresses on every read, and the runner parsed and re-serialised both each time;
-- neither ever changes after opening. Now:
-- * servicing_rules holds each distinct rule set once, keyed by the SHA-256 of its jsonb text (content
--   addressed: writing the same rules again is a no-op). A reference table, read through a cache.
-- * loans.terms and loans.rules_digest hold the loan's own contract, written when it opens and never by
--   the close (an UPDATE that leaves them alone copies them into the new row version: no JSON to parse,
--   no foreign key to check). The terms are one compact string (~90 bytes, against ~510 as a jsonb
--   object; the format is encodeCompactTerms in src/servicing/state.ts), because every row version carries
--   them: with the object, the close wrote ~1.1 kB more WAL per loan (measured, full-page images included).
--   Columns rather than a table of their own: a join per claimed loan cost as much CPU as the copy.
-- * loans.state keeps only what servicing changes, in two strings (the "version 2" document, see
--   src/jobs/document.ts and CompactLoanStateJson in src/servicing/state.ts):
--   {"version": 2, "lastSeq": n, "loan": "<loan-level fields>", "installments": "<all installments>"}.
--   Two strings rather than a field per key: PostgreSQL parses JSON per token, and jsonb sorts keys, so
--   the write of a 17-key document cost ~3 µs more per loan (measured) and took ~290 bytes more.
-- * The close's work list walks each day's due loans in borrower order instead of hash order. The
--   borrower-keyed tables it writes (loans, loan_transactions, journal_entries, outbox: primary keys
--   starting with borrower_id) then take their index entries and row versions in key order, so each
--   page is read, changed and logged (one full-page image after a checkpoint) once per run instead of
--   once per row: PostgreSQL spent ~20 % less CPU per closed loan (measured, 100,000 loans). A worker's
--   hash range is still checked on the index entry (borrower_hash is the last key column), before the
--   row is fetched; each worker now steps over the others' entries, which costs little next to the rows.
-- Version-1 documents ({"lastSeq": n, "loan": {"version": 1, "rules": …, "terms": …, …}}) are converted
-- below; any other state (the store treats it as opaque) is left as it is, with no contract.

CREATE TABLE servicing_rules (
  rules_digest text COLLATE "C" PRIMARY KEY,
  rules jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE loans
  ADD COLUMN rules_digest text COLLATE "C" REFERENCES servicing_rules (rules_digest),
  ADD COLUMN terms jsonb,
  ADD CONSTRAINT loans_contract_whole CHECK ((rules_digest IS NULL) = (terms IS NULL));

DROP INDEX loans_next_event_idx;
CREATE INDEX loans_next_event_idx ON loans (next_event_date, borrower_id, loan_id, borrower_hash)
  WHERE next_event_date IS NOT NULL;

-- Version-1 loan documents: split off their contract, then shrink them to version 2.
-- The terms' compact string: principalMinor|currency|rate n/d|termCount|every|unit|startDate|firstDueDate|
-- method|interestType|interestBasis|daysInYear|principalGraceTerms|rounding mode|multiple|fees|businessDay.
CREATE TEMPORARY TABLE v1_loans ON COMMIT DROP AS
SELECT borrower_id, loan_id, state->'loan' AS s, state->'lastSeq' AS last_seq,
       state->'loan'->'rules' AS rules,
       encode(sha256(convert_to((state->'loan'->'rules')::text, 'UTF8')), 'hex') AS rules_digest,
       concat_ws('|', t->>'principalMinor', t->>'currency',
         (t->'annualRate'->>'numerator') || '/' || (t->'annualRate'->>'denominator'),
         t->>'termCount', t->'frequency'->>'every', t->'frequency'->>'unit', t->>'startDate',
         coalesce(t->>'firstDueDate', ''), t->>'method', t->>'interestType', t->>'interestBasis',
         t->>'daysInYear', t->>'principalGraceTerms', t->'rounding'->>'mode',
         t->'rounding'->>'installmentMultipleMinor',
         coalesce((SELECT string_agg(CASE
                                       WHEN fee->>'kind' = 'upfront' THEN 'upfront:' || (fee->>'amountMinor')
                                       WHEN fee ? 'rate'
                                         THEN 'rate:' || (fee->'rate'->>'numerator') || '/' || (fee->'rate'->>'denominator')
                                       ELSE 'installment:' || (fee->>'amountMinor')
                                     END, ',' ORDER BY n)
                   FROM jsonb_array_elements(t->'fees') WITH ORDINALITY AS x(fee, n)), ''),
         coalesce((t->'businessDay'->>'convention') || ':' || (t->'businessDay'->>'calendar'), '')) AS terms
FROM loans, LATERAL (SELECT state->'loan'->'terms' AS t) AS terms
WHERE jsonb_typeof(state) = 'object' AND state ? 'lastSeq' AND state->'loan'->>'version' = '1';

INSERT INTO servicing_rules (rules_digest, rules)
SELECT DISTINCT ON (rules_digest) rules_digest, rules FROM v1_loans ORDER BY rules_digest
ON CONFLICT DO NOTHING;

-- The loan-level fields, in src/servicing/state.ts loanFieldColumns order: disbursedOn, creditBalanceMinor,
-- status, dpd, delinquent, inGrace, consecutiveOverdueCount, cumulativeOverdueCount, closedThrough,
-- nextEventDate, chargedOffOn, closedOn, bucket; booleans as 1 or empty, nulls empty. A frozen accrual
-- (accrualFrozen: true, rare) becomes the document's "frozen": true.
-- Installments: version 1 has a list of "n|dueDate|amount|…|flag|paidOn" strings, every field present;
-- version 2 has one string, rows joined by ";", with zero amounts and the 0 flag left empty and the
-- empty fields at the end of a row dropped (fields 3–15 are amounts, 16 the becameDelinquent flag).
UPDATE loans AS l
SET rules_digest = v.rules_digest,
    terms = to_jsonb(v.terms),
    state = jsonb_build_object(
      'version', 2,
      'lastSeq', v.last_seq,
      'loan', concat_ws('|',
        v.s->>'disbursedOn', v.s->>'creditBalanceMinor', v.s->>'status', v.s->>'dpd',
        CASE WHEN (v.s->>'delinquent')::boolean THEN '1' ELSE '' END,
        CASE WHEN (v.s->>'inGrace')::boolean THEN '1' ELSE '' END,
        v.s->>'consecutiveOverdueCount', v.s->>'cumulativeOverdueCount', v.s->>'closedThrough',
        coalesce(v.s->>'nextEventDate', ''), coalesce(v.s->>'chargedOffOn', ''), coalesce(v.s->>'closedOn', ''),
        v.s->>'bucket'),
      'installments', coalesce((
        SELECT string_agg(
                 rtrim(array_to_string(ARRAY(
                   SELECT CASE WHEN f.n BETWEEN 3 AND 16 AND f.field = '0' THEN '' ELSE f.field END
                   FROM unnest(string_to_array(i.row, '|')) WITH ORDINALITY AS f(field, n)
                   ORDER BY f.n), '|'), '|'),
                 ';' ORDER BY i.n)
        FROM jsonb_array_elements_text(v.s->'installments') WITH ORDINALITY AS i(row, n)
      ), ''))
    || CASE WHEN (v.s->>'accrualFrozen')::boolean THEN '{"frozen": true}'::jsonb ELSE '{}'::jsonb END
FROM v1_loans AS v
WHERE l.borrower_id = v.borrower_id AND l.loan_id = v.loan_id;
