-- The officials' dashboard. Multiple-choice answers are now counted in the tallies and
-- rollups too (each chosen option under its question), and the free-text answers are
-- kept apart, with phone numbers masked, for the suggestions list. The counts kept so
-- far are dropped and every response is queued again: the next fold recounts them and
-- files their suggestions.

-- mask_phones hides the middle of every phone-like number in a text: mobile numbers
-- (with or without +86) become 138****5678; landlines and other runs of seven or more
-- digits keep their area code, if any, and their last four digits. Full-width digits,
-- as typed with a Chinese input method, count as digits.
CREATE FUNCTION mask_phones(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT regexp_replace(
        regexp_replace(
            regexp_replace(t,
                '(?<![0-9０-９])(?:[+＋]?(?:86|８６)[- ]?)?(1[3-9]|１[３-９])([0-9０-９])[- ]?[0-9０-９]{4}[- ]?([0-9０-９]{4})(?![0-9０-９])',
                '\1\2****\3', 'g'),
            '(?<![0-9０-９])(0[0-9]{2,3}|０[０-９]{2,3})([- ]?)[0-9０-９]{3,4}([0-9０-９]{4})(?![0-9０-９])',
            '\1\2****\3', 'g'),
        '(?<![0-9０-９])[0-9０-９]{3,}([0-9０-９]{4})(?![0-9０-９])',
        '****\1', 'g')
$$;
COMMENT ON FUNCTION mask_phones(text) IS 'Hides the middle digits of phone-like numbers: 13812345678 → 138****5678.';

-- bigrams lists the distinct two-character pieces of a text, lowercased: a search
-- text can only occur in a text that holds all of its pieces. It lets an index find
-- suggestions by any word, Chinese included, without an extension.
CREATE FUNCTION bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT coalesce(array_agg(DISTINCT substr(l, i, 2)), '{}')
    FROM (SELECT lower(t) AS l) s, generate_series(1, char_length(l) - 1) AS i
$$;
COMMENT ON FUNCTION bigrams(text) IS 'Distinct two-character pieces of lower(t), to find texts containing a word through a GIN index.';

CREATE TABLE suggestions (
    response_id   uuid NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question      text NOT NULL,
    round_id      bigint NOT NULL REFERENCES rounds (id),
    area_id       bigint NOT NULL REFERENCES areas (id),
    channel       text NOT NULL,
    day           date NOT NULL,
    submitted_at  timestamptz NOT NULL,
    body          text NOT NULL,
    phone         text NOT NULL DEFAULT '',
    PRIMARY KEY (response_id, question)
);
CREATE INDEX suggestions_area_idx ON suggestions (area_id, round_id, submitted_at DESC);
CREATE INDEX suggestions_round_idx ON suggestions (round_id, submitted_at DESC);
CREATE INDEX suggestions_search_idx ON suggestions USING gin (bigrams(body));
COMMENT ON TABLE suggestions IS 'Free-text answers (text questions other than phone numbers) of counted responses, for officials to read. Filed by Store.Fold; refiled by a recount.';
COMMENT ON COLUMN suggestions.body IS 'The answer with phone numbers masked (mask_phones); the answer as given stays in responses.';
COMMENT ON COLUMN suggestions.phone IS 'The call-back number the resident left, masked; empty when none.';

-- Rankings and coverage read one or two questions of many areas at once.
CREATE INDEX rollups_question_idx ON rollups (round_id, question, area_id) INCLUDE (channel, option, n);

DELETE FROM tallies;
DELETE FROM rollups;
INSERT INTO uncounted (response_id) SELECT id FROM responses ON CONFLICT DO NOTHING;
COMMENT ON TABLE tallies IS 'Counts of single- and multiple-choice answers (each chosen option once) of every response in the area''s subtree (the area and all below it), by round, channel and local day. Kept by Store.Fold; recounted when the tree changes shape.';
