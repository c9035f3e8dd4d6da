-- 0014_experiment_contacts_index — a strategy's experiment results (GET /strategies/{name}/results,
-- `kuan experiments results`) count the contacts of one strategy's arms over a range of business dates.
-- Without an index that is a scan of every contact ever planned. The index is partial: only contacts
-- planned under a champion/challenger experiment have an entry, so planning outside experiments writes
-- nothing more.
CREATE INDEX contacts_experiment_idx ON contacts ((intent->'strategy'->>'name'), business_date)
  WHERE intent->'strategy'->>'arm' IN ('champion', 'challenger');
