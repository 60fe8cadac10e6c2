-- Daily tallies now hold, like the rollups, every area's whole subtree, so that
-- figures for a date range read a few rows per area. The counts kept so far are
-- dropped and every response is queued again: the next fold recounts them.

DELETE FROM tallies;
DELETE FROM rollups;
INSERT INTO uncounted (response_id) SELECT id FROM responses ON CONFLICT DO NOTHING;
COMMENT ON TABLE tallies IS 'Counts of single-choice answers of every response in the area''s subtree (the area and all below it), by round, channel and local day. Kept by Store.Fold; recounted when the tree changes shape.';
COMMENT ON TABLE rollups IS 'The daily tallies summed over days: counts of every response in the area''s subtree, by round and channel. Kept by Store.Fold; recounted when the tree changes shape.';
