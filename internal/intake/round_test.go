package intake

import (
	"context"
	"testing"

	"minyi/internal/config"
	"minyi/internal/survey"
)

// TestResultRound: the result names the round an entry was taken for, whether it was
// stored, replayed or refused for its content, token or device; a refusal of the
// channel comes before the round is looked up.
func TestResultRound(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Flags.MinFill = 0 })
	ctx := context.Background()
	round, _, err := storeCatalog{e.st, e.now}.Fielded(ctx, e.def.ID)
	if err != nil {
		t.Fatal(err)
	}
	first := e.resident(community1, "device-first", "10.0.0.1")
	for _, tc := range []struct {
		name   string
		change func(*Entry)
		want   error
		round  int64
	}{
		{"stored", func(en *Entry) { *en = first }, nil, round.ID},
		{"replayed", func(en *Entry) { *en = first }, nil, round.ID},
		{"same device again", func(en *Entry) {
			en.Identity, en.FormToken = first.Identity, e.in.FormToken(e.def.ID, community1, first.Identity)
		}, survey.ErrDuplicateDevice, round.ID},
		{"no client_id", func(en *Entry) { en.ClientID = "" }, &FieldError{"client_id", "client_id 应为 UUID"}, round.ID},
		{"no form token", func(en *Entry) { en.FormToken = "" }, ErrFormToken, round.ID},
		{"cross-site", func(en *Entry) { en.Origin = "https://evil.example" }, ErrCrossSite, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			en := e.resident(community1, "device-"+tc.name, "10.0.1.1")
			tc.change(&en)
			res, err := e.in.Take(ctx, en)
			if errText(err) != errText(tc.want) || res.Round != tc.round {
				t.Errorf("got round %d, %v; want round %d, %v", res.Round, err, tc.round, tc.want)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
