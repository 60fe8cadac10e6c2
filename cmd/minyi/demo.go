package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"minyi/internal/demo"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/surveys"
)

// cmdDemo sets up the demo that `make run` serves. Running it again changes nothing.
func cmdDemo(ctx context.Context, a *app, args []string) error {
	if len(args) != 1 || args[0] != "setup" {
		return errors.New("usage: minyi demo setup")
	}
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
		r, err = a.store.StartRound(ctx, "chuangwen", defaultRoundName(now.In(a.cfg.Location)), nil, now)
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
	return nil
}
