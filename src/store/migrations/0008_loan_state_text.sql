-- The loan document (loans.state) as text rather than jsonb. No query looks inside it: the servicing core
-- reads and writes it whole, and the columns the store filters on (status, dpd, bucket, next event date,
-- closed through) sit beside it. As jsonb it cost PostgreSQL a parse into its binary form on every write
-- and a conversion back to text on every read: ~2–3 µs per loan on the daily close's busiest day, where
-- every loan is read once and written once (BENCHMARKS.md, eod). Existing documents keep their content,
-- in jsonb's text form, which the runner reads like any other JSON.
ALTER TABLE loans ALTER COLUMN state TYPE text USING state::text;
