package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"minyi/internal/demo"
	"minyi/internal/survey"
)

// demoProblemCount is how many demo problems `minyi demo problems` stores.
const demoProblemCount = 48

// demoProblems stores demo problems in every state, raised by the demo officials,
// unless demo problems are stored already.
func demoProblems(ctx context.Context, a *app) error {
	n, err := a.store.DemoProblems(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(a.out, "%d demo problems are stored already\n", n)
		return nil
	}
	var raisers []demo.Raiser
	for _, name := range []string{"quxx", "jiedao1", "shequ1"} {
		u, err := a.store.UserByName(ctx, name)
		if errors.Is(err, survey.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		raisers = append(raisers, demo.Raiser{ID: &u.ID, Name: u.Username})
	}
	stored, err := demo.Problems(ctx, a.store, demo.ProblemOptions{N: demoProblemCount, Seed: 1, Now: time.Now(),
		Loc: a.cfg.Location, Raisers: raisers})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "stored %d demo problems\n", stored)
	return nil
}
