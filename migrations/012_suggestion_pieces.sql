-- Finding suggestions by any word, at a lower price per filed text. The search index
-- used to key every text by its two-character pieces as text, computed by a PL/pgSQL
-- loop on each insert and compared by collation: filing a suggestion cost more than
-- storing the response it came from. minyi now computes the pieces itself, as integer
-- keys (store.pieces), and files them with the text; the index keys on those.
--
-- Texts filed before this migration, or by a binary built before it, have no pieces:
-- a search finds them through suggestions_unpieced_idx and checks their words, and
-- minyi serve gives them their pieces a batch at a time after each background fold
-- (Store.FillPieces). A binary built before this runs on it unchanged: it does not name
-- the column, and its search still works without the index dropped here.
ALTER TABLE suggestions ADD COLUMN pieces integer[];
COMMENT ON COLUMN suggestions.pieces IS 'Keys of the two-character pieces of lower(body) (store.pieces), for search; NULL until minyi computes them.';
CREATE INDEX suggestions_pieces_idx ON suggestions USING gin (pieces);
CREATE INDEX suggestions_unpieced_idx ON suggestions (round_id) WHERE pieces IS NULL;
DROP INDEX suggestions_search_idx;
