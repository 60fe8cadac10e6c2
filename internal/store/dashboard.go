package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/area"
)

// Cell names one set of answer counts: an area's whole subtree, in one round,
// through one channel.
type Cell struct {
	Area    int64
	Round   int64
	Channel string
}

// Cells holds answer counts by cell.
type Cells map[Cell]Counts

// Sum adds up the counts of an area through one channel ("": every channel) in the
// given rounds (nil: every round read).
func (c Cells) Sum(areaID int64, channel string, rounds []int64) Counts {
	out := Counts{}
	for cell, counts := range c {
		if cell.Area == areaID && (channel == "" || cell.Channel == channel) && (rounds == nil || slices.Contains(rounds, cell.Round)) {
			out.Merge(counts)
		}
	}
	return out
}

// CellQuery says which counts Cells reads.
type CellQuery struct {
	SurveyID  string
	Areas     []int64 // the subtrees counted
	Rounds    []int64 // nil: every round of the survey
	Channel   string  // "": every channel
	From, To  *time.Time
	Questions []string // nil: every question; else these and the respondents ("")
}

// Cells returns the answer counts of the subtrees of the given areas, by round and
// channel: from the rollups, or from the daily tallies when a date range is given
// (both hold each area's whole subtree, so either is a few rows per area). It is the
// one read model of the figures. It reads what is counted: a caller that wants
// what was just submitted calls AwaitCounts first.
func (s *Store) Cells(ctx context.Context, q CellQuery) (_ Cells, err error) {
	defer wrap(&err, "Store.Cells")
	out := Cells{}
	if len(q.Areas) == 0 || (q.Rounds != nil && len(q.Rounds) == 0) {
		return out, nil
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	var questions []string
	if len(q.Questions) > 0 {
		questions = append([]string{""}, q.Questions...)
	}
	var rows pgx.Rows
	// Planned for the filters given each time: a plan cached for any date range,
	// channel and question list may read every row of every area.
	if q.From == nil && q.To == nil {
		rows, _ = s.pool.Query(ctx, `/* Store.Cells rollups */
			SELECT r.area_id, r.round_id, r.channel, r.question, r.option, r.n
			FROM rollup_counts r JOIN unnest($1::bigint[]) AS a(id) ON a.id = r.area_id
			JOIN rounds ro ON ro.id = r.round_id
			WHERE ro.survey_id = $2 AND ($3::bigint[] IS NULL OR r.round_id = ANY($3))
				AND ($4 = '' OR r.channel = $4) AND ($5::text[] IS NULL OR r.question = ANY($5))`,
			pgx.QueryExecModeCacheDescribe, q.Areas, q.SurveyID, q.Rounds, q.Channel, questions)
	} else {
		rows, _ = s.pool.Query(ctx, `/* Store.Cells tallies */
			SELECT t.area_id, t.round_id, t.channel, t.question, t.option, sum(t.n)::int
			FROM tally_counts t JOIN unnest($1::bigint[]) AS a(id) ON a.id = t.area_id
			JOIN rounds ro ON ro.id = t.round_id
			WHERE ro.survey_id = $2 AND ($3::bigint[] IS NULL OR t.round_id = ANY($3))
				AND ($4 = '' OR t.channel = $4) AND ($5::text[] IS NULL OR t.question = ANY($5))
				AND ($6::date IS NULL OR t.day >= $6::date) AND ($7::date IS NULL OR t.day <= $7::date)
			GROUP BY 1, 2, 3, 4, 5`,
			pgx.QueryExecModeCacheDescribe, q.Areas, q.SurveyID, q.Rounds, q.Channel, questions, day(q.From), day(q.To))
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
		Cell
		Question, Option string
		N                int
	}])
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if out[r.Cell] == nil {
			out[r.Cell] = Counts{}
		}
		out[r.Cell].add(r.Question, r.Option, r.N)
	}
	return out, nil
}

// Period is one point of a trend: the counts of a calendar period or of a round.
type Period struct {
	Start  time.Time // the period's first day, or the round's opening
	Round  int64     // the round, when by round
	Counts Counts
}

// TrendFilter says which counts a trend pools and how it cuts them.
type TrendFilter struct {
	SurveyID  string
	RoundID   int64  // 0: every round of the survey
	Channel   string // "": every channel
	From, To  *time.Time
	By        string   // day, week (from Monday), month, quarter or round
	Questions []string // the questions read, besides the respondents
}

// Trend returns, oldest first, the counts of an area's subtree per period, from the
// daily tallies. Periods without responses are absent.
func (s *Store) Trend(ctx context.Context, areaID int64, f TrendFilter) (_ []Period, err error) {
	defer wrap(&err, "Store.Trend")
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	questions := append([]string{""}, f.Questions...)
	var rows pgx.Rows
	if f.By == "round" {
		rows, _ = s.pool.Query(ctx, `/* Store.Trend round */
			SELECT ro.opened_at, ro.id, t.question, t.option, sum(t.n)::int
			FROM tally_counts t JOIN rounds ro ON ro.id = t.round_id
			WHERE t.area_id = $1 AND ro.survey_id = $2 AND ($3 = 0 OR t.round_id = $3)
				AND ($4 = '' OR t.channel = $4)
				AND ($5::date IS NULL OR t.day >= $5::date) AND ($6::date IS NULL OR t.day <= $6::date)
				AND t.question = ANY($7)
			GROUP BY 1, 2, 3, 4
			ORDER BY 1, 2`, areaID, f.SurveyID, f.RoundID, f.Channel, day(f.From), day(f.To), questions)
	} else {
		rows, _ = s.pool.Query(ctx, `/* Store.Trend */
			SELECT date_trunc($8, t.day::timestamp)::date, 0::bigint, t.question, t.option, sum(t.n)::int
			FROM tally_counts t JOIN rounds ro ON ro.id = t.round_id
			WHERE t.area_id = $1 AND ro.survey_id = $2 AND ($3 = 0 OR t.round_id = $3)
				AND ($4 = '' OR t.channel = $4)
				AND ($5::date IS NULL OR t.day >= $5::date) AND ($6::date IS NULL OR t.day <= $6::date)
				AND t.question = ANY($7)
			GROUP BY 1, 2, 3, 4
			ORDER BY 1`, areaID, f.SurveyID, f.RoundID, f.Channel, day(f.From), day(f.To), questions, f.By)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
		Start            time.Time
		Round            int64
		Question, Option string
		N                int
	}])
	if err != nil {
		return nil, err
	}
	var out []Period
	for _, r := range list {
		if len(out) == 0 || !out[len(out)-1].Start.Equal(r.Start) || out[len(out)-1].Round != r.Round {
			out = append(out, Period{Start: r.Start, Round: r.Round, Counts: Counts{}})
		}
		out[len(out)-1].Counts.add(r.Question, r.Option, r.N)
	}
	return out, nil
}

// Lineage returns the areas from the top of the tree down to a, a included.
func (s *Store) Lineage(ctx context.Context, a area.Area) (_ []area.Area, err error) {
	defer wrap(&err, "Store.Lineage")
	var ids []int64
	for _, part := range strings.Split(strings.Trim(a.Path, "/"), "/") {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	ctx, cancel := s.deadline(ctx)
	defer cancel()
	rows, _ := s.pool.Query(ctx, `/* Store.Lineage */
		SELECT `+areaColumns+`
		FROM areas a LEFT JOIN areas p ON p.id = a.parent_id
		WHERE a.id = ANY($1)
		ORDER BY length(a.path)`, ids)
	return collectAreas(rows)
}
