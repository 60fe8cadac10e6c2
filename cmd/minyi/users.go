package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"minyi/internal/account"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// cmdUser creates, re-passwords and disables accounts. Passwords are read from
// standard input or from a file (--password-file, e.g. a mounted Secret in a Job on
// the image, which has no shell to redirect with), never from the command line.
func cmdUser(ctx context.Context, a *app, args []string) error {
	const use = "usage: minyi user create --username U --role admin|official|volunteer [--area CODE] [--name 姓名] [--password-file F] < password\n" +
		"       minyi user passwd --username U [--password-file F] < password\n" +
		"       minyi user disable|enable --username U\n" +
		"       minyi user list"
	if len(args) == 0 {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	username := fs.String("username", "", "username")
	role := fs.String("role", "", "admin, official or volunteer")
	areaCode := fs.String("area", "", "code of the official's area")
	name := fs.String("name", "", "display name")
	pwFile := fs.String("password-file", "", "read the password from this file instead of standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	pwIn := a.in
	if *pwFile != "" {
		f, err := os.Open(*pwFile)
		if err != nil {
			return err
		}
		defer f.Close()
		pwIn = f
	}
	if args[0] == "list" {
		return listUsers(ctx, a)
	}
	if *username == "" {
		return errors.New("--username is required\n" + use)
	}
	var detail map[string]any
	switch args[0] {
	case "create":
		r := account.Role(*role)
		if err := account.CheckNew(*username, *name, r, *areaCode != ""); err != nil {
			return err
		}
		hash, err := readPassword(pwIn)
		if err != nil {
			return err
		}
		u, err := a.store.CreateUser(ctx, store.NewUser{Username: *username, DisplayName: *name, Role: r, AreaCode: *areaCode, PasswordHash: hash})
		switch {
		case errors.Is(err, survey.ErrConflict):
			return fmt.Errorf("user %s already exists", *username)
		case errors.Is(err, survey.ErrNotFound):
			return fmt.Errorf("unknown area %s", *areaCode)
		case err != nil:
			return err
		}
		detail = map[string]any{"role": u.Role, "area": u.AreaCode}
		fmt.Fprintf(a.out, "user %s created (%s%s)\n", u.Username, u.Role, suffix(" of ", u.AreaCode))
	case "passwd":
		hash, err := readPassword(pwIn)
		if err != nil {
			return err
		}
		if _, err := updateUser(ctx, a, *username, store.UserChange{PasswordHash: &hash}); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "password of %s changed; its sessions ended\n", *username)
	case "disable", "enable":
		off := args[0] == "disable"
		if _, err := updateUser(ctx, a, *username, store.UserChange{Disabled: &off}); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "user %s %sd\n", *username, args[0])
	default:
		return errors.New(use)
	}
	return cliAudit(ctx, a, "user."+args[0], *username, detail)
}

func updateUser(ctx context.Context, a *app, username string, ch store.UserChange) (store.User, error) {
	u, err := a.store.UpdateUser(ctx, username, ch)
	if errors.Is(err, survey.ErrNotFound) {
		return u, fmt.Errorf("no user %s", username)
	}
	return u, err
}

func listUsers(ctx context.Context, a *app) error {
	users, err := a.store.Users(ctx, "")
	if err != nil {
		return err
	}
	for _, u := range users {
		state := ""
		if u.Disabled {
			state = " (disabled)"
		}
		fmt.Fprintf(a.out, "%-20s %-10s %s%s\n", u.Username, u.Role, u.AreaCode, state)
	}
	return nil
}

func suffix(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}

// readPassword reads a password, the first line of r, and returns its hash.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := account.CheckPassword(pw); err != nil {
		return "", fmt.Errorf("password: %w", err)
	}
	return account.HashPassword(pw)
}

// cmdToken makes an API token that carries a user's role and scope.
func cmdToken(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: minyi token create --user U --name N")
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	username := fs.String("user", "", "the user whose role and scope the token carries")
	name := fs.String("name", "", "what the token is for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *name == "" || *username == "" {
		return errors.New("--user and --name are required")
	}
	u, err := a.store.UserByName(ctx, *username)
	if errors.Is(err, survey.ErrNotFound) {
		return fmt.Errorf("no user %s", *username)
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return fmt.Errorf("user %s is disabled", *username)
	}
	plain, err := a.store.CreateToken(ctx, u.ID, *name)
	if err != nil {
		return err
	}
	if err := a.store.Audit(ctx, store.AuditEvent{Username: "cli", Action: "token.create", Target: u.Username,
		Scope: u.AreaCode, Detail: map[string]any{"name": *name}}); err != nil {
		return err
	}
	fmt.Fprintf(a.out, "token %q for %s (%s) created; it is shown only once:\n%s\n", *name, u.Username, u.Role, plain)
	return nil
}
