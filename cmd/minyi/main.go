// Command minyi serves the minyi survey service and administers it.
//
//	minyi serve                                   serve HTTP
//	minyi migrate                                 bring the schema up to date
//	minyi recount                                 rebuild the counters from the responses
//	minyi survey import FILE.yaml                 store a new survey version
//	minyi area import FILE.csv                    upsert areas
//	minyi round open --survey S --name N [--closes T]
//	minyi round close --survey S
//	minyi qr --survey S --area CODE --out DIR     one QR PNG per community
//	minyi user create --username U --role R [--area CODE] [--password-file F] < password
//	minyi user passwd|disable|enable --username U
//	minyi token create --user U --name N          print a new API token for U
//	minyi audit [--action A] [-n N]               the latest audit events
//	minyi demo setup                              load the demo areas and survey, open a round
//	minyi demo responses --n N [--seed S]         store N generated demo responses
//	minyi demo responses --count                  print the number of demo responses
//	minyi demo problems                           store demo problems, unless some are stored
//	minyi demo clear                              delete every demo response and problem
//	minyi problems overdue [--area CODE]          the problems past their due day
//
// Settings come from the environment (see internal/config).
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"minyi/internal/config"
	"minyi/internal/store"
)

// app is what every subcommand works with: the configuration, a logger and the
// database. Built once in main and passed down.
type app struct {
	cfg   config.Config
	log   *slog.Logger
	pool  *pgxpool.Pool
	store *store.Store
	in    io.Reader
	out   io.Writer
}

type command struct {
	name, usage string
	run         func(ctx context.Context, a *app, args []string) error
}

var commands = []command{
	{"serve", "serve HTTP", cmdServe},
	{"migrate", "bring the database schema up to date", cmdMigrate},
	{"recount", "rebuild the counters and suggestions from the stored responses", cmdRecount},
	{"survey", "survey import FILE.yaml", cmdSurvey},
	{"area", "area import FILE.csv", cmdArea},
	{"round", "round open --survey S --name N [--closes 2006-01-02T15:04] | round close --survey S", cmdRound},
	{"qr", "qr --survey S --area CODE --out DIR", cmdQR},
	{"user", "user create --username U --role admin|official|volunteer [--area CODE] < password | passwd | disable | enable | list", cmdUser},
	{"token", "token create --user U --name N", cmdToken},
	{"audit", "audit [--action A] [-n N]", cmdAudit},
	{"household", "household import FILE.csv", cmdHousehold},
	{"demo", "demo setup | demo responses --n N [--seed S] | demo responses --count | demo problems | demo clear", cmdDemo},
	{"problems", "problems overdue [--area CODE]", cmdProblems},
}

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "minyi:", err)
		os.Exit(1)
	}
}

func usage() error {
	msg := "usage: minyi COMMAND [ARGS]\n"
	for _, c := range commands {
		msg += fmt.Sprintf("  %-8s %s\n", c.name, c.usage)
	}
	return fmt.Errorf("%s", msg)
}

// run runs one subcommand, reading in and printing to out; settings come from the
// environment.
func run(args []string, in io.Reader, out io.Writer) error {
	if len(args) == 0 {
		return usage()
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		a, err := newApp(ctx, in, out)
		if err != nil {
			return err
		}
		defer a.pool.Close()
		return c.run(ctx, a, args[1:])
	}
	return usage()
}

func newApp(ctx context.Context, in io.Reader, out io.Writer) (*app, error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	pcfg.MaxConns = cfg.DBMaxConns
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, err
	}
	return &app{cfg: cfg, log: log, pool: pool, store: store.New(pool, cfg.DBTimeout, cfg.Location), in: in, out: out}, nil
}
