-- Counting at poster-campaign speed. The counters, the keys and hashes of responses and
-- the suggestions' search pieces are identifiers and digests, compared byte by byte:
-- they take the "C" collation, whose comparisons are plain memcmp, whatever collation
-- the database was created with. The ordering of ASCII identifiers does not change.
ALTER TABLE tallies
    ALTER COLUMN channel TYPE text COLLATE "C",
    ALTER COLUMN question TYPE text COLLATE "C",
    ALTER COLUMN option TYPE text COLLATE "C";
ALTER TABLE rollups
    ALTER COLUMN channel TYPE text COLLATE "C",
    ALTER COLUMN question TYPE text COLLATE "C",
    ALTER COLUMN option TYPE text COLLATE "C";
ALTER TABLE responses
    ALTER COLUMN content_hash TYPE text COLLATE "C",
    ALTER COLUMN device_hash TYPE text COLLATE "C",
    ALTER COLUMN household_hash TYPE text COLLATE "C";

-- The two-character pieces of a text, as before, now from a loop instead of a sorted
-- set: the GIN index keeps each piece once anyway, and "contains every piece of" asks
-- the same question of a list with repeats. Filing a suggestion costs a third as much.
CREATE OR REPLACE FUNCTION bigrams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    l text := lower(t);
    pieces text[] := '{}';
BEGIN
    FOR i IN 1 .. char_length(l) - 1 LOOP
        pieces := pieces || substr(l, i, 2);
    END LOOP;
    RETURN pieces;
END
$$;
REINDEX INDEX suggestions_search_idx;

-- Checks that hold by construction, dropped from the rows every submission and every
-- fold write: a queued response id comes from the insert that stores the response (and
-- whatever deletes responses empties the queue first), and a suggestion's round and
-- area are its response's, which keeps its own references and takes the suggestion
-- with it when deleted.
ALTER TABLE uncounted DROP CONSTRAINT uncounted_response_id_fkey;
ALTER TABLE suggestions
    DROP CONSTRAINT suggestions_round_id_fkey,
    DROP CONSTRAINT suggestions_area_id_fkey;

-- A response's round, survey version and area are checked by the insert that stores
-- it (it joins the open round, whose version it answers, and the area comes from the
-- tree), and minyi deletes no area and no survey version, and a round only once no
-- response refers to it (Store.ClearDemo). The per-row checks cost more than the rest
-- of the insert together, on the one path every submission takes.
ALTER TABLE responses
    DROP CONSTRAINT responses_round_id_fkey,
    DROP CONSTRAINT responses_version_id_fkey,
    DROP CONSTRAINT responses_area_id_fkey;
