package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"minyi/internal/area"
	"minyi/internal/store"
	"minyi/internal/survey"
	"minyi/internal/surveyfile"
)

func cmdMigrate(ctx context.Context, a *app, args []string) error {
	if err := store.Migrate(ctx, a.pool); err != nil {
		return err
	}
	fmt.Fprintln(a.out, "schema is up to date")
	return nil
}

func cmdSurvey(ctx context.Context, a *app, args []string) error {
	if len(args) != 2 || args[0] != "import" {
		return errors.New("usage: minyi survey import FILE.yaml")
	}
	data, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	return importSurvey(ctx, a, args[1], data)
}

func importSurvey(ctx context.Context, a *app, name string, data []byte) error {
	def, err := surveyfile.Parse(name, data)
	if err != nil {
		return err
	}
	version, created, err := a.store.ImportSurvey(ctx, def, data)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(a.out, "survey %s: stored version %d\n", def.ID, version)
	} else {
		fmt.Fprintf(a.out, "survey %s: unchanged, same as version %d\n", def.ID, version)
	}
	return cliAudit(ctx, a, "survey.import", def.ID, map[string]any{"version": version, "created": created, "file": name})
}

// cliAudit records an action of the command line in the audit log.
func cliAudit(ctx context.Context, a *app, action, target string, detail map[string]any) error {
	return a.store.Audit(ctx, store.AuditEvent{Username: "cli", Action: action, Target: target, Detail: detail})
}

func cmdArea(ctx context.Context, a *app, args []string) error {
	if len(args) != 2 || args[0] != "import" {
		return errors.New("usage: minyi area import FILE.csv")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	return importAreas(ctx, a, args[1], f)
}

func importAreas(ctx context.Context, a *app, name string, r io.Reader) error {
	rows, err := area.ParseCSV(name, r)
	if err != nil {
		return err
	}
	created, updated, err := a.store.ImportAreas(ctx, name, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "areas: %d created, %d updated\n", created, updated)
	return cliAudit(ctx, a, "area.import", name, map[string]any{"file": name, "created": created, "updated": updated})
}

func cmdRound(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || (args[0] != "open" && args[0] != "close") {
		return errors.New("usage: minyi round open --survey S --name N [--closes 2006-01-02T15:04] | minyi round close --survey S")
	}
	fs := flag.NewFlagSet("round "+args[0], flag.ContinueOnError)
	surveyID := fs.String("survey", "", "survey id")
	name := fs.String("name", "", "round name, e.g. 2026年11月第2轮")
	closes := fs.String("closes", "", "optional closing time, local, 2006-01-02T15:04")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *surveyID == "" {
		return errors.New("--survey is required")
	}
	now := time.Now()
	if args[0] == "close" {
		r, err := a.store.CloseRound(ctx, *surveyID, now)
		if errors.Is(err, survey.ErrNoOpenRound) {
			return fmt.Errorf("survey %s has no open round", *surveyID)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(a.out, "round %d (%s) closed\n", r.ID, r.Name)
		return cliAudit(ctx, a, "round.close", r.SurveyID, map[string]any{"round": r.ID, "name": r.Name, "version": r.Version})
	}
	if *name == "" {
		names, err := a.store.RoundNames(ctx, *surveyID)
		if err != nil {
			return err
		}
		*name = survey.DefaultRoundName(now.In(a.cfg.Location), names)
	}
	var until *time.Time
	if *closes != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", *closes, a.cfg.Location)
		if err != nil {
			return fmt.Errorf("--closes: want 2006-01-02T15:04, got %q", *closes)
		}
		until = &t
	}
	r, err := a.store.StartRound(ctx, *surveyID, *name, until, now)
	switch {
	case errors.Is(err, survey.ErrConflict):
		return fmt.Errorf("survey %s already has an open round; close it first", *surveyID)
	case errors.Is(err, survey.ErrNotFound):
		return fmt.Errorf("unknown survey %s; import it first", *surveyID)
	case err != nil:
		return err
	}
	fmt.Fprintf(a.out, "round %d (%s) open, survey %s version %d\n", r.ID, r.Name, r.SurveyID, r.Version)
	return cliAudit(ctx, a, "round.open", r.SurveyID, map[string]any{"round": r.ID, "name": r.Name, "version": r.Version})
}

// cmdAudit prints the latest audit events, newest first.
func cmdAudit(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	action := fs.String("action", "", `only this action, or those starting with it when it ends in "."`)
	limit := fs.Int("n", 100, "how many events")
	if err := fs.Parse(args); err != nil {
		return err
	}
	events, err := a.store.AuditEvents(ctx, store.AuditFilter{Action: *action, Limit: *limit})
	if err != nil {
		return err
	}
	for _, e := range events {
		fmt.Fprintf(a.out, "%s %s %s %s scope=%s ip=%s %v\n", e.At.In(a.cfg.Location).Format(time.DateTime),
			e.Username, e.Action, e.Target, e.Scope, e.IP, e.Detail)
	}
	return nil
}
