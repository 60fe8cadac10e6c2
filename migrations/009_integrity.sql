-- Integrity: every counted answer is one real answer. A response is counted, pending
-- review (flagged, not counted until an official accepts it) or rejected. Every column
-- added here has a constant default, so no statement rewrites the responses table.

ALTER TABLE responses
    ADD COLUMN status text NOT NULL DEFAULT 'counted',
    ADD COLUMN flags text[] NOT NULL DEFAULT '{}',
    ADD COLUMN form_nonce text COLLATE "C";
-- New rows are checked; the rows already stored all hold the default.
ALTER TABLE responses
    ADD CONSTRAINT responses_status_check CHECK (status IN ('counted', 'pending', 'rejected')) NOT VALID;
COMMENT ON COLUMN responses.status IS 'counted: in the figures; pending: flagged, waiting for review, not counted; rejected: never counted. Reviews move a response between them (review_decisions).';
COMMENT ON COLUMN responses.flags IS 'Why a response was held for review: too_fast, net_burst, entry_burst, unlisted_household. Set when stored; a decision keeps them.';
COMMENT ON COLUMN responses.form_nonce IS 'The random part of the signed form token the resident submitted with: a token is good for one response.';
COMMENT ON COLUMN responses.review IS 'Superseded by flags (kept for pods of the previous release during a rollout).';

-- A form token is single-use: the second response that carries it is refused by this
-- index, in the statement that stores it.
CREATE UNIQUE INDEX responses_form_nonce_idx ON responses (form_nonce) WHERE form_nonce IS NOT NULL;
-- Review lists and pending counts read only the few pending responses.
CREATE INDEX responses_pending_idx ON responses (round_id, area_id) WHERE status = 'pending';

-- The counting queue carries a sign: +1 adds a response to the counters (stored as
-- counted, or accepted on review), -1 takes it out again (a counted response rejected
-- on review). A response is queued at most once at a time; a second decision before the
-- fold adds to the sign, and a sign of 0 is deleted.
ALTER TABLE uncounted ADD COLUMN sign smallint NOT NULL DEFAULT 1;
COMMENT ON COLUMN uncounted.sign IS '+1: count the response; -1: uncount it (rejected after it was counted).';

CREATE TABLE review_decisions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    response_id uuid NOT NULL,
    decision    text NOT NULL CHECK (decision IN ('accept', 'reject')),
    from_status text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    user_id     bigint REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_decisions_response_idx ON review_decisions (response_id, at);
COMMENT ON TABLE review_decisions IS 'Every review decision, in order: which response, accept or reject, from which status, why and by whom. A later decision reverses an earlier one.';
