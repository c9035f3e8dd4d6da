-- 0014_experiment_contacts_index — a strategy's experiment results (GET /strategies/{name}/results,
-- `kuan experiments results`) count the contacts of one strategy's arms over a range of business dates.
-- Without an index that is a scan of every contact ever planned. Every planned contact carries an arm
-- (champion when its strategy runs no experiment), so nearly every contact has an entry; the planning
-- benchmark measured no cost from it at 100,000 borrowers (BENCHMARKS.md).
CREATE INDEX contacts_experiment_idx ON contacts ((intent->'strategy'->>'name'), business_date)
  WHERE intent->'strategy'->>'arm' IN ('champion', 'challenger');
