package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"minyi/internal/qr"
	"minyi/internal/survey"
	"minyi/internal/web"
)

// cmdQR writes one QR PNG per in-scope community or village under an area (or for
// the area itself when it is one, or has nothing below it), each encoding the form
// URL of the survey for that area. The URL names no round, so the files can be
// printed once and reused in every round.
func cmdQR(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("qr", flag.ContinueOnError)
	fs.SetOutput(a.out)
	surveyID := fs.String("survey", "", "survey id")
	code := fs.String("area", "", "area code: a community, or a street, district or city to cover")
	dir := fs.String("out", "", "directory to write the PNG files to (created if missing)")
	size := fs.Int("size", qr.DefaultSize, fmt.Sprintf("width in pixels, %d to %d", qr.MinSize, qr.MaxSize))
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("qr: unexpected argument %q; usage: minyi qr --survey S --area CODE --out DIR [--size N]", fs.Arg(0))
	case *surveyID == "" || *code == "" || *dir == "":
		return errors.New("qr: --survey, --area and --out are required; usage: minyi qr --survey S --area CODE --out DIR [--size N]")
	case *size < qr.MinSize || *size > qr.MaxSize:
		return fmt.Errorf("qr: --size %d is out of range: use %d to %d pixels", *size, qr.MinSize, qr.MaxSize)
	}

	def, err := a.store.Definition(ctx, *surveyID, 0)
	if errors.Is(err, survey.ErrNotFound) {
		return fmt.Errorf("qr: survey %q not found; import it first with: minyi survey import FILE.yaml", *surveyID)
	} else if err != nil {
		return fmt.Errorf("qr: reading survey %q: %w", *surveyID, err)
	}
	root, err := a.store.Area(ctx, *code)
	if errors.Is(err, survey.ErrNotFound) {
		return fmt.Errorf("qr: area %q not found; import areas first with: minyi area import FILE.csv", *code)
	} else if err != nil {
		return fmt.Errorf("qr: reading area %q: %w", *code, err)
	}
	tree, err := a.store.Subtree(ctx, root.Code)
	if err != nil {
		return fmt.Errorf("qr: reading the areas under %q: %w", root.Code, err)
	}
	targets := web.PosterAreas(tree)
	if len(targets) == 0 {
		if root.IsCommunity() || len(tree) == 1 {
			return fmt.Errorf("qr: area %s (%s) is marked out of scope, so its form takes no answers", root.Code, root.Name)
		}
		return fmt.Errorf("qr: no in-scope community or village under area %s (%s)", root.Code, root.Name)
	}

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("qr: creating output directory: %w", err)
	}
	for _, t := range targets {
		u := web.FormURL(a.cfg.BaseURL, def.ID, t.Code)
		png, err := qr.PNG(u, *size)
		if err != nil {
			return fmt.Errorf("qr: drawing the code for area %s: %w", t.Code, err)
		}
		name := filepath.Join(*dir, qrFileName(t.Code, t.Name))
		if err := os.WriteFile(name, png, 0o644); err != nil {
			return fmt.Errorf("qr: %w", err)
		}
		fmt.Fprintf(a.out, "%s\t%s\n", name, u)
	}
	fmt.Fprintf(a.out, "%d QR code(s) for survey %s written to %s\n", len(targets), def.ID, *dir)
	return nil
}

// qrFileName is "{code}-{name}.png" with both parts made safe for Windows, macOS
// and Linux file systems (organisers pass these files around on USB sticks and in
// WeChat): no path separators, reserved or control characters, no leading or
// trailing dots or spaces, and a name short enough for any of them.
func qrFileName(code, name string) string {
	code, name = safeName(code, 64), safeName(name, 40)
	if name == "" {
		return code + ".png"
	}
	return code + "-" + name + ".png"
}

func safeName(s string, maxRunes int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxRunes {
			break
		}
		switch {
		case strings.ContainsRune(`/\:*?"<>|`, r), unicode.IsControl(r):
			r = '_'
		case unicode.IsSpace(r):
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return strings.Trim(b.String(), " .")
}
