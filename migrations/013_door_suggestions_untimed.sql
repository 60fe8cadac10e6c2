-- A door-to-door suggestion is listed without its day or time, since the visit ledger
-- names the household of each visit hour; but lists are in time order, so its place
-- among residents' own texts, which show their times, told when the visit was. Such
-- suggestions are now filed at the time their round opened (Store.Fold), and ties are
-- broken by a digest of the response id rather than the id, which is time-ordered: they
-- list after the residents' own texts, in an order that says nothing of when.
-- A binary built before this lists them the same way and needs nothing of it; one that
-- files a suggestion during a rollout leaves it without search pieces, and what gives
-- it pieces files it at its round's opening too (Store.FillPieces).
UPDATE suggestions g SET submitted_at = r.opened_at
FROM rounds r
WHERE r.id = g.round_id AND g.channel IN ('volunteer', 'paper') AND g.submitted_at <> r.opened_at;
