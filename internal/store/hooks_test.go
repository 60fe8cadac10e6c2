package store

import "context"

// SetSuggestionLimits changes how Suggestions searches, so that tests with a few
// texts reach every path: subtrees of more than lateral areas read the round's
// texts, and a search first reads the newest window of them.
func (s *Store) SetSuggestionLimits(lateral, window int) {
	s.suggestLateral, s.suggestWindow = lateral, window
}

// Counters lists every tally, rollup and suggestion, one per line in key order, so
// that tests can compare what the fold kept with what a recount makes.
func (s *Store) Counters(ctx context.Context) (string, error) {
	var out string
	err := s.pool.QueryRow(ctx, `
		SELECT concat_ws(E'\n',
			(SELECT string_agg(concat_ws('|', round_id, area_id, channel, day, question, option, n), E'\n'
				ORDER BY round_id, area_id, channel, day, question, option) FROM tally_counts),
			(SELECT string_agg(concat_ws('|', round_id, area_id, channel, question, option, n), E'\n'
				ORDER BY round_id, area_id, channel, question, option) FROM rollup_counts),
			(SELECT string_agg(concat_ws('|', response_id, question, round_id, area_id, channel, day,
				submitted_at, body, phone), E'\n' ORDER BY response_id, question) FROM suggestions))`).Scan(&out)
	return out, err
}
