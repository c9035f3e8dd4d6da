-- A product's pricing policy: rate caps (warning and refusal lines on the contract's APR, optionally
-- 4 × LPR) as JSON, a built-in policy's name ("cn-2026", "none") or the lines themselves; validated at the
-- edge (src/servicing/rate-caps.ts). NULL: the product names no policy, so the default for the loan's
-- currency applies (CNY → cn-2026). Additive: existing products keep NULL, i.e. the default.
ALTER TABLE products ADD COLUMN rate_caps jsonb;
