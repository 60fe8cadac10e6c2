package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"minyi/internal/account"
	"minyi/internal/demo"
	"minyi/internal/household"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/surveys"
)

const demoUsage = "usage: minyi demo setup | demo responses --n N [--seed S] | demo responses --count | demo problems | demo clear"

// cmdDemo sets up the demo that `make run` serves, and adds or removes its generated
// responses.
func cmdDemo(ctx context.Context, a *app, args []string) error {
	switch {
	case len(args) == 1 && args[0] == "setup":
		return demoSetup(ctx, a)
	case len(args) >= 1 && args[0] == "responses":
		return demoResponses(ctx, a, args[1:])
	case len(args) == 1 && args[0] == "problems":
		return demoProblems(ctx, a)
	case len(args) == 1 && args[0] == "clear":
		return demoClear(ctx, a)
	}
	return errors.New(demoUsage)
}

// demoSetup loads the demo areas and survey, opens a round and creates the demo
// accounts. Running it again changes nothing.
func demoSetup(ctx context.Context, a *app) error {
	if err := store.Migrate(ctx, a.pool); err != nil {
		return err
	}
	if err := importAreas(ctx, a, demo.AreasFile, bytes.NewReader(demo.AreasCSV)); err != nil {
		return err
	}
	data, err := surveys.FS.ReadFile(surveys.Default)
	if err != nil {
		return err
	}
	if err := importSurvey(ctx, a, "surveys/"+surveys.Default, data); err != nil {
		return err
	}
	now := time.Now()
	r, err := a.store.OpenRound(ctx, "chuangwen", now)
	if errors.Is(err, survey.ErrNoOpenRound) {
		r, err = a.store.StartRound(ctx, "chuangwen", survey.DefaultRoundName(now.In(a.cfg.Location)), nil, now)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "round %d (%s) is open\n", r.ID, r.Name)
	return demoUsers(ctx, a)
}

// demoUsers creates the demo accounts, all with the password given on standard
// input, unless they exist. Without a password it creates none.
func demoUsers(ctx context.Context, a *app) error {
	hash, err := readPassword(a.in)
	if err != nil {
		fmt.Fprintln(a.out, "no demo password on standard input: no demo accounts created")
		return nil
	}
	for _, u := range demo.Users {
		_, err := a.store.CreateUser(ctx, store.NewUser{Username: u.Username, DisplayName: u.Name,
			Role: u.Role, AreaCode: u.Area, PasswordHash: hash})
		switch {
		case errors.Is(err, survey.ErrConflict):
			continue
		case err != nil:
			return err
		}
		fmt.Fprintf(a.out, "demo account %s (%s) created\n", u.Username, u.Name)
	}
	return demoVolunteerWork(ctx, a)
}

// demoVolunteerWork loads the demo household lists and assigns every demo volunteer
// without an assignment to the demo community for a year from today.
func demoVolunteerWork(ctx context.Context, a *app) error {
	rows, err := household.ParseCSV(demo.HouseholdsFile, bytes.NewReader(demo.HouseholdsCSV))
	if err != nil {
		return err
	}
	if _, _, err := a.store.ImportHouseholds(ctx, demo.HouseholdsFile, rows); err != nil {
		return err
	}
	area, err := a.store.Area(ctx, demo.VolunteerArea)
	if err != nil {
		return err
	}
	now := time.Now().In(a.cfg.Location)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, a.cfg.Location)
	for _, u := range demo.Users {
		if u.Role != account.Volunteer {
			continue
		}
		held, err := a.store.Assignments(ctx, store.AssignmentFilter{Username: u.Username, Day: today})
		if err != nil {
			return err
		}
		if len(held) > 0 {
			continue
		}
		user, err := a.store.UserByName(ctx, u.Username)
		if err != nil {
			return err
		}
		if _, err := a.store.CreateAssignment(ctx, store.NewAssignment{UserID: user.ID, AreaID: area.ID,
			Starts: today, Ends: today.AddDate(1, 0, 0)}, today); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "demo volunteer %s assigned to %s for a year\n", u.Username, area.Name)
	}
	return nil
}

// demoResponses stores generated demo responses (--n N [--seed S]), or prints only
// how many are stored (--count).
func demoResponses(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("demo responses", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("n", 0, "number of responses to generate")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same responses")
	count := fs.Bool("count", false, "print the number of demo responses and do nothing else")
	surveyID := fs.String("survey", "chuangwen", "survey id")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || (*count == (*n > 0)) {
		return errors.New(demoUsage)
	}
	if *count {
		stored, err := a.store.DemoResponses(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.out, stored)
		return nil
	}
	start := time.Now()
	rep, err := demo.Responses(ctx, a.store, demo.Options{Survey: *surveyID, N: *n, Seed: *seed, Now: start, Loc: a.cfg.Location})
	if errors.Is(err, survey.ErrNoOpenRound) {
		return fmt.Errorf("survey %s has no open round: run minyi demo setup or minyi round open first", *surveyID)
	}
	if err != nil {
		return err
	}
	made := ""
	if rep.Created {
		made = ", created for the demo"
	}
	fmt.Fprintf(a.out, "stored %d demo responses (%d already there from an earlier run with seed %d) in %.1fs\n",
		rep.Stored, rep.Replayed, *seed, time.Since(start).Seconds())
	fmt.Fprintf(a.out, "rounds: %d (%s, open) and %d (%s, the previous one%s)\n",
		rep.Open.ID, rep.Open.Name, rep.Previous.ID, rep.Previous.Name, made)
	return nil
}

// demoClear deletes every demo response and the rounds made for them; real responses
// stay, and the figures are recounted from them.
func demoClear(ctx context.Context, a *app) error {
	problems, err := a.store.ClearDemoProblems(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "removed %d demo problems\n", problems)
	responses, rounds, err := a.store.ClearDemo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "removed %d demo responses and %d demo rounds; figures recounted\n", responses, rounds)
	return nil
}
