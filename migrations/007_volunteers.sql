-- Door-to-door entry: volunteers' assignments to areas, household lists, the visit log,
-- and on each response the keyed household hash, who entered it and review flags.
-- Answers and the visit log are kept apart: a response carries only an HMAC of its
-- household, and a visit names no response.

CREATE TABLE assignments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    area_id     bigint NOT NULL REFERENCES areas (id),
    starts      date NOT NULL,
    ends        date NOT NULL,
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends >= starts)
);
CREATE INDEX assignments_user_idx ON assignments (user_id, ends);
CREATE INDEX assignments_area_idx ON assignments (area_id);
COMMENT ON TABLE assignments IS 'Which volunteer may enter answers where and when: the area''s whole subtree, from starts to ends inclusive (local days).';

CREATE TABLE households (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    area_id     bigint NOT NULL REFERENCES areas (id),
    key         text NOT NULL,
    building    text NOT NULL DEFAULT '',
    unit        text NOT NULL DEFAULT '',
    room        text NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (area_id, key)
);
COMMENT ON TABLE households IS 'Optional list of the households of an area (usually a community), imported from CSV; volunteers may also enter households not listed.';
COMMENT ON COLUMN households.key IS 'Normalized household key (household.Key), e.g. 3-2-501 for building 3, unit 2, room 501.';

CREATE TABLE visits (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id     uuid UNIQUE,
    content_hash  text,
    round_id      bigint NOT NULL REFERENCES rounds (id),
    area_id       bigint NOT NULL REFERENCES areas (id),
    household     text NOT NULL,
    user_id       bigint NOT NULL REFERENCES users (id),
    outcome       text NOT NULL CHECK (outcome IN ('completed', 'refused', 'not_home', 'revisit')),
    day           date NOT NULL,
    visited_at    timestamptz NOT NULL
);
CREATE INDEX visits_round_area_idx ON visits (round_id, area_id, household);
COMMENT ON TABLE visits IS 'The visit log (入户台账): who visited which household of which area in which round, and the outcome. Never linked to a response.';
COMMENT ON COLUMN visits.id IS 'Random, so that the order of visits cannot be matched with the order of responses.';
COMMENT ON COLUMN visits.client_id IS 'Chosen by the app for refused, not_home and revisit outcomes (a retry is a replay); NULL for completed visits, which are written with their response.';
COMMENT ON COLUMN visits.visited_at IS 'When, to the hour only: exact times would let the log be joined back to answers.';

ALTER TABLE responses
    ADD COLUMN household_hash text,
    ADD COLUMN entered_by bigint REFERENCES users (id),
    ADD COLUMN finished_at timestamptz,
    ADD COLUMN review text[] NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX responses_household_idx ON responses (round_id, household_hash) WHERE household_hash IS NOT NULL;
CREATE INDEX responses_entered_by_idx ON responses (entered_by, (coalesce(finished_at, submitted_at))) WHERE entered_by IS NOT NULL;
COMMENT ON COLUMN responses.household_hash IS 'HMAC (server secret) of the area code and household key: one completed response per household per round. Without the secret it names no household.';
COMMENT ON COLUMN responses.entered_by IS 'The signed-in user who entered the response (volunteer or paper channel); NULL for residents.';
COMMENT ON COLUMN responses.finished_at IS 'When the interview ended on the device, which may be long before submitted_at for entries synced later.';
COMMENT ON COLUMN responses.review IS 'Flags for review, never refusals: fast (interview under a minute), burst (many entries by one account within ten minutes).';
