-- Counters as vectors. A response used to add one row per answer (about 26) to the daily
-- tallies and as many to the rollups, for every area on its path: at 1,000 communities a
-- fold of a second's responses wrote some 45 counter rows per response, and at 20,000
-- over 100. Now a cell (round, area, channel and, for the daily counters, day) is one row
-- whose n holds every count of the cell, indexed by a slot per (question, option): a
-- response adds to one row per area on its path and per table, and the responses of a
-- fold that share a cell share its row. The fold reads the cells it touches, adds in
-- minyi and writes them back whole.
--
-- Rollout (expand): this migration only adds tables, a function and views; the old
-- tallies and rollups stay as they are, so pods of the previous release keep counting
-- into them. A pod of this release finds the vectors not yet built (counters_built is
-- empty) and builds them from the counted responses under the fold lock before its
-- first fold. Responses that pods of the previous release counted after that are in
-- the old counters only: once the rollout is done, `minyi recount` builds the vectors
-- again, and again after a rollout is undone and redone. A later migration drops
-- tallies and rollups (contract).

CREATE TABLE counter_slots (
    slot     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question text COLLATE "C" NOT NULL,
    option   text COLLATE "C" NOT NULL,
    UNIQUE (question, option)
);
COMMENT ON TABLE counter_slots IS 'The place of each (question, option) in the counter vectors: n[slot]. The empty question and option count respondents. A slot, once given, never changes.';

CREATE TABLE tally_vectors (
    round_id bigint NOT NULL,
    area_id  bigint NOT NULL,
    channel  text COLLATE "C" NOT NULL,
    day      date NOT NULL,
    n        integer[] NOT NULL,
    PRIMARY KEY (round_id, area_id, channel, day)
);
COMMENT ON TABLE tally_vectors IS 'Answer counts of every counted response in the area''s subtree (the area and all below it), by round, channel and local day: n[slot] for each counter_slots row (missing at the end: 0). Kept by Store.Fold; rebuilt by the recount.';

CREATE TABLE rollup_vectors (
    round_id bigint NOT NULL,
    area_id  bigint NOT NULL,
    channel  text COLLATE "C" NOT NULL,
    n        integer[] NOT NULL,
    PRIMARY KEY (round_id, area_id, channel)
);
COMMENT ON TABLE rollup_vectors IS 'The daily tally vectors summed over days: answer counts of every counted response in the area''s subtree, by round and channel.';

CREATE TABLE counters_built (
    built_at timestamptz NOT NULL
);
COMMENT ON TABLE counters_built IS 'One row once the counter vectors were built from the responses; empty after this migration, until the first fold or recount of this release.';

-- The vectors read as the rows the counters used to be: one per non-zero count.
CREATE VIEW tally_counts AS
    SELECT t.round_id, t.area_id, t.channel, t.day, s.question, s.option, t.n[s.slot] AS n
    FROM tally_vectors t JOIN counter_slots s ON s.slot <= cardinality(t.n)
    WHERE t.n[s.slot] <> 0;
COMMENT ON VIEW tally_counts IS 'tally_vectors as (question, option, n) rows, zeros left out.';
CREATE VIEW rollup_counts AS
    SELECT r.round_id, r.area_id, r.channel, s.question, s.option, r.n[s.slot] AS n
    FROM rollup_vectors r JOIN counter_slots s ON s.slot <= cardinality(r.n)
    WHERE r.n[s.slot] <> 0;
COMMENT ON VIEW rollup_counts IS 'rollup_vectors as (question, option, n) rows, zeros left out.';
