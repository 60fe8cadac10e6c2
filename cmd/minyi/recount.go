package main

import (
	"context"
	"errors"
	"fmt"
)

// cmdRecount rebuilds every counter and suggestion from the stored responses, under
// the fold lock: after a restore, after responses were changed outside minyi, and once
// after a rollout that changed how counters are kept (migration 011).
func cmdRecount(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		return errors.New("usage: minyi recount")
	}
	if err := a.store.RebuildCounts(ctx); err != nil {
		return err
	}
	fmt.Fprintln(a.out, "counters rebuilt from the counted responses")
	return nil
}
