package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi/internal/problem"
)

// TestProblemCommands loads the demo problems, lists the overdue ones and clears
// them with the demo.
func TestProblemCommands(t *testing.T) {
	commandEnv(t)
	runCommands(t, []invocation{
		{args: []string{"demo", "setup"}, in: "demo-password\n", want: "demo account shequ1"},
		{args: []string{"demo", "problems"}, want: "stored 48 demo problems"},
		{args: []string{"demo", "problems"}, want: "48 demo problems are stored already"},
		{args: []string{"problems"}, wantErr: "usage: minyi problems overdue"},
		{args: []string{"problems", "overdue", "--area", "nope"}, wantErr: "area nope"},
	})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var overdue, street, states int
	err = conn.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE p.status <> 'closed' AND p.due < (now() AT TIME ZONE 'Asia/Shanghai')::date),
			count(*) FILTER (WHERE p.status <> 'closed' AND p.due < (now() AT TIME ZONE 'Asia/Shanghai')::date
				AND a.code LIKE '9901000010%'),
			count(DISTINCT p.status)
		FROM problems p JOIN areas a ON a.id = p.area_id`).Scan(&overdue, &street, &states)
	if err != nil {
		t.Fatal(err)
	}
	if overdue == 0 || states != 4 {
		t.Fatalf("demo problems: %d overdue in %d states, want some overdue and all 4 states", overdue, states)
	}
	runCommands(t, []invocation{
		{args: []string{"problems", "overdue"}, want: fmt.Sprintf("\n%d overdue\n", overdue)},
		{args: []string{"problems", "overdue", "--area", "990100001000"}, want: fmt.Sprintf("%d overdue\n", street)},
		{args: []string{"demo", "clear"}, want: "removed 48 demo problems"},
		{args: []string{"problems", "overdue"}, want: "no overdue problems"},
	})
}

func TestPrintOverdue(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	due := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	list := []problem.Problem{{ID: 7, Due: &due, UnitName: "望江社区", Assignee: "小李", AreaName: "望江社区",
		Category: "环境卫生", Status: problem.Assigned}}
	var out bytes.Buffer
	if err := printOverdue(&out, list, time.Date(2026, 12, 4, 9, 0, 0, 0, loc), loc); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || strings.Join(strings.Fields(lines[1]), " ") != "7 2026-12-01 3 望江社区 小李 望江社区 环境卫生 整改中" || lines[2] != "1 overdue" {
		t.Errorf("got\n%s\nwant a header, problem 7 three days overdue, and 1 overdue", out.String())
	}
}
