package store

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Suggestion is one free-text answer, as officials may read it: phone numbers in the
// text and the call-back number are masked.
type Suggestion struct {
	Question    string
	Body        string
	Phone       string // "" when the resident left none
	AreaCode    string
	AreaName    string
	AreaKind    string
	Channel     string
	Day         time.Time
	SubmittedAt time.Time
	ResponseID  string // for raising a problem from it
}

// SuggestionFilter says which suggestions to list.
type SuggestionFilter struct {
	Path   string  // the subtree's root path
	Rounds []int64 // the rounds listed
	Search string  // "": all; else a text the answer contains, case-insensitively
	Limit  int
	Offset int
}

// likeEscaper makes a search text match literally in LIKE patterns.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// lateralAreas is the most areas a subtree may have for its suggestions to be read
// area by area. Reading each area's newest few costs the same however the texts are
// spread; beyond this many areas, reading the round's texts newest first and keeping
// the subtree's is cheaper.
const lateralAreas = 200

// Suggestions lists the free-text answers of a subtree in some rounds, newest first.
// Responses still queued are not filed yet (AwaitCounts).
func (s *Store) Suggestions(ctx context.Context, f SuggestionFilter) (_ []Suggestion, err error) {
	defer wrap(&err, "Store.Suggestions")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Suggestions areas */
		SELECT id FROM areas WHERE path LIKE $1`, likeEscaper.Replace(f.Path)+"%")
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	// One round is read from an index in time order.
	args := []any{ids, f.Limit, f.Offset, f.Rounds}
	where := `x.round_id = ANY($4)`
	if len(f.Rounds) == 1 {
		args[3], where = f.Rounds[0], `x.round_id = $4`
	}
	var search string
	if f.Search != "" {
		args = append(args, "%"+likeEscaper.Replace(f.Search)+"%")
		search = ` AND x.body ILIKE $5 ESCAPE '\'`
	}
	if len(ids) <= s.suggestLateral {
		rows, _ = s.pool.Query(ctx, `/* Store.Suggestions by area */
			SELECT x.question, x.body, x.phone, a.code, a.name, a.kind, x.channel, x.day, x.submitted_at,
				x.response_id::text
			FROM areas a CROSS JOIN LATERAL (
				SELECT x.response_id, x.question, x.body, x.phone, x.channel, x.day, x.submitted_at
				FROM suggestions x
				WHERE x.area_id = a.id AND `+where+search+`
				ORDER BY x.submitted_at DESC, md5(x.response_id::text), x.question
				LIMIT $2::int + $3::int
			) x
			WHERE a.id = ANY($1)
			ORDER BY x.submitted_at DESC, md5(x.response_id::text), x.question
			LIMIT $2 OFFSET $3`, args...)
	} else {
		if f.Search != "" && len(f.Rounds) == 1 {
			// A common word fills the page from the round's newest texts alone.
			page, err := s.newestSuggestions(ctx, args)
			if err != nil || len(page) == f.Limit {
				return page, err
			}
		}
		// Over many areas a search first narrows the texts to those holding every
		// two-character piece of it (pieces, indexed), and those whose pieces are not
		// computed yet, then checks them.
		if f.Search != "" {
			args = append(args, pieces(f.Search))
			search = ` AND (x.pieces @> $6::integer[] OR x.pieces IS NULL)` + search
		}
		rows, _ = s.pool.Query(ctx, `/* Store.Suggestions */
			SELECT x.question, x.body, x.phone, a.code, a.name, a.kind, x.channel, x.day, x.submitted_at,
				x.response_id::text
			FROM suggestions x JOIN areas a ON a.id = x.area_id
			WHERE x.area_id = ANY($1) AND `+where+search+`
			ORDER BY x.submitted_at DESC, md5(x.response_id::text), x.question
			LIMIT $2 OFFSET $3`, args...)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Suggestion])
}

// newestWindow is how many of a round's newest texts a search reads in time order
// before it turns to the bigram index.
const newestWindow = 5000

// newestSuggestions searches only the round's newest texts: those newer than the
// s.suggestWindow-th newest, whole batches of equal submission times included. When
// that yields a full page, it is the page the whole round would give, since every
// older text ranks after it. args are Suggestions' ids, limit, offset, round and
// pattern.
func (s *Store) newestSuggestions(ctx context.Context, args []any) ([]Suggestion, error) {
	rows, _ := s.pool.Query(ctx, `/* Store.newestSuggestions */
		SELECT x.question, x.body, x.phone, a.code, a.name, a.kind, x.channel, x.day, x.submitted_at,
				x.response_id::text
		FROM suggestions x JOIN areas a ON a.id = x.area_id
		WHERE x.round_id = $4 AND x.submitted_at > coalesce((
				SELECT e.submitted_at FROM suggestions e WHERE e.round_id = $4
				ORDER BY e.submitted_at DESC OFFSET $6 LIMIT 1), '-infinity')
			AND x.area_id = ANY($1) AND x.body ILIKE $5 ESCAPE '\'
		ORDER BY x.submitted_at DESC, md5(x.response_id::text), x.question
		LIMIT $2 OFFSET $3`, append(args[:5:5], s.suggestWindow)...)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Suggestion])
}
