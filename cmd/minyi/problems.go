package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"text/tabwriter"
	"time"

	"minyi/internal/notify"
	"minyi/internal/problem"
	"minyi/internal/store"
)

const problemsUsage = "usage: minyi problems overdue [--area CODE]"

// cmdProblems prints the problems whose due day has ended and that are not closed,
// the longest overdue first.
func cmdProblems(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "overdue" {
		return errors.New(problemsUsage)
	}
	fs := flag.NewFlagSet("problems overdue", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	code := fs.String("area", "", "only problems located in this area's subtree or assigned to a unit in it")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errors.New(problemsUsage)
	}
	path := ""
	if *code != "" {
		ar, err := a.store.Area(ctx, *code)
		if err != nil {
			return fmt.Errorf("area %s: %w", *code, err)
		}
		path = ar.Path
	}
	now := time.Now()
	list, err := a.store.Problems(ctx, store.ProblemFilter{Path: path, Overdue: true,
		Today: problem.Day(now, a.cfg.Location), Limit: 100000})
	if err != nil {
		return err
	}
	return printOverdue(a.out, list, now, a.cfg.Location)
}

// printOverdue writes the overdue list as a table.
func printOverdue(out io.Writer, list []problem.Problem, now time.Time, loc *time.Location) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(out, "no overdue problems")
		return err
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tDUE\tDAYS\tUNIT\tASSIGNEE\tAREA\tCATEGORY\tSTATUS")
	for _, p := range list {
		fmt.Fprintf(w, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Due.Format(time.DateOnly),
			p.Fact().DaysOverdue(now, loc), p.UnitName, p.Assignee, p.AreaName, p.Category, p.Status.Label())
	}
	fmt.Fprintf(w, "%d overdue\n", len(list))
	return w.Flush()
}

// remindInBackground sends problem reminders to MINYI_NOTIFY_WEBHOOK while serve
// runs: the outbox every few seconds, overdue problems every ten minutes. Without the
// setting it does nothing.
func remindInBackground(ctx context.Context, a *app) {
	if a.cfg.NotifyWebhook == "" {
		return
	}
	w := &notify.Worker{Store: a.store, Log: a.log, Loc: a.cfg.Location, Now: time.Now,
		Send:    notify.Webhook{URL: a.cfg.NotifyWebhook, Client: &http.Client{Timeout: 10 * time.Second}}.Send,
		Retry:   notify.Backoff,
		Overdue: notify.Overdue(a.cfg.BaseURL),
		Every:   5 * time.Second, OverdueEvery: 10 * time.Minute, SendTimeout: 10*time.Second + a.cfg.DBTimeout}
	w.Run(ctx)
}
