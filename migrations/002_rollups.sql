-- Answer counts per round pooled over every subtree, so that an area's figures are read
-- from a few rows whatever its size.

CREATE TABLE rollups (
    round_id  bigint NOT NULL REFERENCES rounds (id),
    area_id   bigint NOT NULL REFERENCES areas (id),
    channel   text NOT NULL,
    question  text NOT NULL,
    option    text NOT NULL,
    n         integer NOT NULL,
    PRIMARY KEY (round_id, area_id, channel, question, option)
);
COMMENT ON TABLE rollups IS 'Counts of single-choice answers of every response in the area''s subtree (the area and all below it), by round and channel. Derived from tallies: kept in the transaction that stores each response, rebuilt when the tree changes shape.';
COMMENT ON COLUMN rollups.question IS 'Question id; the empty string counts respondents.';
