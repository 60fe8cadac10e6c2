package store

// SetSuggestionLimits changes how Suggestions searches, so that tests with a few
// texts reach every path: subtrees of more than lateral areas read the round's
// texts, and a search first reads the newest window of them.
func (s *Store) SetSuggestionLimits(lateral, window int) {
	s.suggestLateral, s.suggestWindow = lateral, window
}
