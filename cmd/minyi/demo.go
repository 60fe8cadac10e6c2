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
	return nil
}
