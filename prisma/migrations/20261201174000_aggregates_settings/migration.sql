-- The aggregates' refresh runs without JIT and with room to aggregate in memory:
-- - its statement inlines figure_bases() (thousands of expressions), which JIT compiled for
--   25 s before the first row once the planner's cost passed jit_above_cost (a bulk batch);
-- - a batch of 1,000 reports sums 277 bases in a few hundred groups, about 130 MB of
--   aggregate state, which at the default work_mem spilled to disk and took 4 times as long.
ALTER FUNCTION report_fact_refresh(integer[], jsonb) SET jit = off;
ALTER FUNCTION report_fact_refresh(integer[], jsonb) SET work_mem = '256MB';
