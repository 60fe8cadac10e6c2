package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"minyi/internal/household"
	"minyi/internal/store"
)

// cmdHousehold imports household lists: every line of the file or none.
func cmdHousehold(ctx context.Context, a *app, args []string) error {
	const use = "usage: minyi household import FILE.csv (header: area_code,building,unit,room,key)"
	if len(args) != 2 || args[0] != "import" {
		return errors.New(use)
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	name := args[1]
	rows, err := household.ParseCSV(name, f)
	if err != nil {
		return err
	}
	created, updated, err := a.store.ImportHouseholds(ctx, name, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%d households created, %d updated\n", created, updated)
	return a.store.Audit(ctx, store.AuditEvent{Username: "cli", Action: "household.import", Target: name,
		Detail: map[string]any{"created": created, "updated": updated}})
}
