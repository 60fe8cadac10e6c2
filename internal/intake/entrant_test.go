package intake

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/uuid"

	"minyi/internal/account"
	"minyi/internal/config"
	"minyi/internal/csvfile"
	"minyi/internal/survey"
)

// TestChannels: residents answer on qr only and name no household; signed-in users
// enter on volunteer or paper only, where they may.
func TestChannels(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Flags.MinFill = 0 })
	ctx := context.Background()
	admin := e.entrant("admin", account.Admin, "", "")
	official := e.entrant("street2", account.Official, street2, "")
	vol := e.entrant("vol", account.Volunteer, "", community1)
	unassigned := e.entrant("idle", account.Volunteer, "", "")
	field := func(name string) error { return &FieldError{Field: name} }
	entry := func(who *Entrant, code string, channel survey.Channel, home string) Entry {
		return Entry{Survey: e.def.ID, Area: code, ClientID: uuid.NewString(), Answers: e.answers(), Channel: channel,
			Household: home, Who: who}
	}
	for _, tc := range []struct {
		name string
		en   Entry
		want error
	}{
		{"resident on qr", e.resident(community1, "d1", "10.0.0.1"), nil},
		{"resident asks for volunteer", func() Entry {
			en := e.resident(community1, "d2", "10.0.0.1")
			en.Channel = survey.ChannelVolunteer
			return en
		}(), ErrSignInRequired},
		{"resident asks for paper", func() Entry {
			en := e.resident(community1, "d3", "10.0.0.1")
			en.Channel = survey.ChannelPaper
			return en
		}(), ErrSignInRequired},
		{"resident names a household", func() Entry { en := e.resident(community1, "d4", "10.0.0.1"); en.Household = "1-1-101"; return en }(), field("household")},
		{"resident from another site", func() Entry {
			en := e.resident(community1, "d5", "10.0.0.1")
			en.Origin = "https://evil.example"
			return en
		}(), ErrCrossSite},
		{"admin on qr", entry(admin, community1, survey.ChannelQR, ""), field("channel")},
		{"admin on an unknown channel", entry(admin, community1, "mail", ""), field("channel")},
		{"admin on paper", entry(admin, community1, survey.ChannelPaper, ""), nil},
		{"admin by default on volunteer", entry(admin, community1, "", "2-2-202"), nil},
		{"official in scope", entry(official, community3, survey.ChannelPaper, ""), nil},
		{"official out of scope", entry(official, community1, survey.ChannelPaper, ""), survey.ErrNotFound},
		{"volunteer where assigned", entry(vol, community1, survey.ChannelVolunteer, "3-3-303"), nil},
		{"volunteer elsewhere", entry(vol, community2, survey.ChannelVolunteer, "3-3-303"), ErrNotAssigned},
		{"volunteer without assignment", entry(unassigned, community1, survey.ChannelVolunteer, "4-4-404"), ErrNotAssigned},
		{"bad client id", func() Entry { en := entry(admin, community1, "", ""); en.ClientID = "x"; return en }(), field("client_id")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.in.Take(ctx, tc.en)
			var fe, want *FieldError
			switch {
			case errors.As(tc.want, &want):
				if !errors.As(err, &fe) || fe.Field != want.Field {
					t.Errorf("got %v, want a field error on %s", err, want.Field)
				}
			case !errors.Is(err, tc.want):
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestHouseholds: one household is one key however its door number is written; an
// entry for a household not on the area's list is held for review.
func TestHouseholds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	vol := e.entrant("vol", account.Volunteer, "", community1)
	e.listHouseholds(community1, "1-1-101", "1-11-01", "11-1-01")
	for i, tc := range []struct {
		home  string
		want  error
		flags []string
	}{
		{"1栋1单元101", nil, nil},
		{"1-1-101", survey.ErrDuplicateHousehold, nil},
		{"1栋-1单元-101", survey.ErrDuplicateHousehold, nil},
		{"1幢1单元101室", survey.ErrDuplicateHousehold, nil},
		{"１－１－１０１", survey.ErrDuplicateHousehold, nil},
		{"1-11-01", nil, nil},
		{"11-1-01", nil, nil},
		{"5-5-505", nil, []string{UnlistedHousehold}},
		{"5栋5单元505", survey.ErrDuplicateHousehold, nil},
	} {
		res, err := e.in.Take(ctx, Entry{Survey: e.def.ID, Area: community1, ClientID: uuid.NewString(),
			Answers: e.answers(), Household: tc.home, Who: vol})
		if !errors.Is(err, tc.want) || !slices.Equal(res.Flags, tc.flags) {
			t.Errorf("%d (%s): got %v, flags %v; want %v, flags %v", i, tc.home, err, res.Flags, tc.want, tc.flags)
		}
	}
	// An area without a list holds nothing for review.
	res, err := e.in.Take(ctx, Entry{Survey: e.def.ID, Area: community1[:11] + "2", ClientID: uuid.NewString(),
		Answers: e.answers(), Household: "9-9-909", Who: e.entrant("admin", account.Admin, "", "")})
	if err != nil || len(res.Flags) != 0 {
		t.Errorf("area without a list: got %v, flags %v; want counted", err, res.Flags)
	}
}

// TestEntryBurst: an entrant's entries beyond MINYI_FLAG_ENTRY_PER_HOUR are held for
// review, and every row of a paper file counts, against that and the per-user budget.
func TestEntryBurst(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Flags.EntryPerHour, c.Limits.PerUser = 4, 6 })
	ctx := context.Background()
	admin := e.entrant("admin", account.Admin, "", "")
	round, def, err := storeCatalog{e.st, e.now}.Fielded(ctx, e.def.ID)
	if err != nil {
		t.Fatal(err)
	}
	file := func(name string, n int) PaperFile {
		f := PaperFile{Name: name, Sum: sha256.Sum256([]byte(name)), Round: round, Def: def}
		for i := range n {
			f.Rows = append(f.Rows, PaperRow{Line: i + 2, Area: community2, Household: fmt.Sprintf("%s-%d", name, i), Answers: e.answers()})
		}
		return f
	}
	rep, err := e.in.TakePaper(ctx, admin, file("1", 3))
	if err != nil || rep != (PaperReport{Created: 3}) {
		t.Fatalf("first file: got %+v, %v; want 3 created", rep, err)
	}
	rep, err = e.in.TakePaper(ctx, admin, file("2", 3)) // rows 4 to 6: the last two beyond 4 an hour
	if err != nil || rep != (PaperReport{Created: 3, Pending: 2}) {
		t.Fatalf("second file: got %+v, %v; want 3 created, 2 pending", rep, err)
	}
	if _, err := e.in.TakePaper(ctx, admin, file("3", 7)); !isField(err, "file") {
		t.Errorf("file of more rows than the per-user budget: got %v, want a field error on file", err)
	}
	var le *LimitError
	if _, err := e.in.TakePaper(ctx, admin, file("4", 1)); !errors.As(err, &le) || le.Kind != "user" {
		t.Errorf("row beyond the per-user budget: got %v, want a user limit", err)
	}
	if got := e.count(`SELECT count(*) FROM responses WHERE status = 'pending' AND flags = '{entry_burst}'`); got != 2 {
		t.Errorf("pending entry_burst: got %d, want 2", got)
	}
	// A file with a bad line stores nothing.
	bad := file("5", 2)
	bad.Rows[1].Area = "000000000000"
	var ie *csvfile.ImportError
	if _, err := e.in.TakePaper(ctx, e.entrant("admin2", account.Admin, "", ""), bad); !errors.As(err, &ie) || len(ie.Lines) != 1 {
		t.Errorf("bad line: got %v, want an import error of one line", err)
	}
	if got := e.count(`SELECT count(*) FROM responses`); got != 6 {
		t.Errorf("responses: got %d, want 6", got)
	}
}

func isField(err error, name string) bool {
	var fe *FieldError
	return errors.As(err, &fe) && fe.Field == name
}
