-- The area tree, surveys and their versions, rounds, API tokens, responses and the
-- per-answer tallies that indicators are read from.

CREATE TABLE areas (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL,
    kind        text NOT NULL,
    parent_id   bigint REFERENCES areas (id),
    households  integer CHECK (households >= 0),
    in_scope    boolean NOT NULL DEFAULT true,
    path        text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX areas_path_idx ON areas (path text_pattern_ops);
CREATE INDEX areas_parent_idx ON areas (parent_id);
COMMENT ON COLUMN areas.code IS 'Unique area code, usually the 12-digit 统计用区划代码; appears in form URLs.';
COMMENT ON COLUMN areas.kind IS 'city, district, street, town, community, village, grid, estate, building, ...';
COMMENT ON COLUMN areas.households IS 'Number of households, for coverage; NULL when unknown.';
COMMENT ON COLUMN areas.in_scope IS 'False for areas excluded from the questionnaire.';
COMMENT ON COLUMN areas.path IS 'Ids from the root down to this area, as /1/5/17/; a subtree is a prefix match.';

CREATE TABLE surveys (
    id          text PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE survey_versions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id   text NOT NULL REFERENCES surveys (id),
    version     integer NOT NULL,
    title       text NOT NULL,
    definition  jsonb NOT NULL,
    source      text NOT NULL,
    digest      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (survey_id, version),
    UNIQUE (survey_id, digest)
);
COMMENT ON TABLE survey_versions IS 'Immutable versions of a questionnaire; responses reference the one they answered.';
COMMENT ON COLUMN survey_versions.source IS 'The YAML file as imported.';
COMMENT ON COLUMN survey_versions.digest IS 'SHA-256 of the definition JSON; re-importing the same definition makes no new version.';

CREATE TABLE rounds (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id   text NOT NULL REFERENCES surveys (id),
    version_id  bigint NOT NULL REFERENCES survey_versions (id),
    name        text NOT NULL,
    opened_at   timestamptz NOT NULL,
    closes_at   timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (closes_at IS NULL OR closes_at > opened_at)
);
CREATE INDEX rounds_survey_idx ON rounds (survey_id, opened_at DESC);
COMMENT ON TABLE rounds IS 'A period in which one survey version is fielded; at most one open per survey.';
COMMENT ON COLUMN rounds.closes_at IS 'When the round closes; NULL while open with no end set.';

CREATE TABLE api_tokens (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    hash        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
COMMENT ON COLUMN api_tokens.hash IS 'SHA-256 of the token; the token itself is shown once and never stored.';

CREATE TABLE responses (
    id            uuid PRIMARY KEY,
    client_id     uuid NOT NULL UNIQUE,
    round_id      bigint NOT NULL REFERENCES rounds (id),
    version_id    bigint NOT NULL REFERENCES survey_versions (id),
    area_id       bigint NOT NULL REFERENCES areas (id),
    channel       text NOT NULL CHECK (channel IN ('qr', 'volunteer', 'paper')),
    answers       jsonb NOT NULL,
    content_hash  text NOT NULL,
    device_hash   text,
    token_id      bigint REFERENCES api_tokens (id),
    started_at    timestamptz,
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    day           date NOT NULL,
    demo          boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX responses_device_idx ON responses (round_id, device_hash) WHERE device_hash IS NOT NULL;
CREATE INDEX responses_round_area_idx ON responses (round_id, area_id);
COMMENT ON COLUMN responses.client_id IS 'Chosen by the client; a retry with the same id and content is a replay.';
COMMENT ON COLUMN responses.answers IS 'Normalized answers: question id → option id, sorted option ids, or text.';
COMMENT ON COLUMN responses.content_hash IS 'survey.Hash of the submission, to tell a replay from a conflicting reuse of client_id.';
COMMENT ON COLUMN responses.device_hash IS 'HMAC of the resident''s device cookie (qr channel only): one response per device per round.';
COMMENT ON COLUMN responses.day IS 'Local calendar day of submission, for trends and date filters.';
COMMENT ON COLUMN responses.demo IS 'Generated demo data, removable.';

CREATE TABLE tallies (
    round_id  bigint NOT NULL REFERENCES rounds (id),
    area_id   bigint NOT NULL REFERENCES areas (id),
    channel   text NOT NULL,
    day       date NOT NULL,
    question  text NOT NULL,
    option    text NOT NULL,
    n         integer NOT NULL,
    PRIMARY KEY (round_id, area_id, channel, day, question, option)
);
COMMENT ON TABLE tallies IS 'Counts of single-choice answers, kept in the transaction that stores each response; indicators read these, never the responses.';
COMMENT ON COLUMN tallies.question IS 'Question id; the empty string counts respondents.';
