-- Responses not yet added to tallies and rollups. Storing a response writes one row
-- here in the same statement; folding moves responses from here into the counts in
-- one transaction, so each is counted exactly once.

CREATE TABLE uncounted (
    response_id uuid PRIMARY KEY REFERENCES responses (id)
);
COMMENT ON TABLE uncounted IS 'Responses stored but not yet counted in tallies and rollups; emptied by Store.Fold.';
