//go:build linux

package faults

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/internal/testenv"
)

var (
	minyiBin     string // the minyi binary, built once by TestMain
	pgBin        string // the newest /usr/lib/postgresql/*/bin
	servicesPath string // scripts/services.sh
	missing      string // why the servers cannot run here, or ""
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	missing = findServers()
	if missing != "" {
		return m.Run() // every test skips or fails in requireServers
	}
	tmp, err := os.MkdirTemp("", "minyi-faults-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	minyiBin = filepath.Join(tmp, "minyi")
	build := exec.Command("go", "build", "-o", minyiBin, "minyi/cmd/minyi")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build minyi: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// findServers locates PostgreSQL's server binaries, redis-server and services.sh, and
// says what is missing.
func findServers() string {
	var err error
	if servicesPath, err = filepath.Abs("../../scripts/services.sh"); err != nil {
		return err.Error()
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return majorOf(a) - majorOf(b) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			pgBin = d
		}
	}
	switch {
	case pgBin == "":
		return "no PostgreSQL server under /usr/lib/postgresql/*/bin (scripts/deps.sh installs it)"
	case !onPath("redis-server") || !onPath("redis-cli"):
		return "redis-server or redis-cli is not on PATH (scripts/deps.sh installs them)"
	case os.Geteuid() == 0 && !onPath("runuser"):
		return "running as root without runuser, which PostgreSQL needs"
	case !onPath("go"):
		return "go is not on PATH, to build minyi"
	}
	return ""
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func onPath(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

// requireServers skips the test when the servers cannot run here, or fails it when
// MINYI_REQUIRE_SERVICES=1 (make test, CI).
func requireServers(t *testing.T) {
	t.Helper()
	if missing != "" {
		testenv.Missing(t, missing)
	}
}

// long reports whether MINYI_FAULTS=long asks for the long form of each scenario.
func long() bool { return strings.EqualFold(os.Getenv("MINYI_FAULTS"), "long") }

// pick returns short, or long in the long form.
func pick[T any](short, long_ T) T {
	if long() {
		return long_
	}
	return short
}

// plan is the timing of a fault scenario: load for warm, then cycles of the fault
// lasting down and recovery followed by after.
type plan struct {
	warm, down, after time.Duration
	cycles            int
}

// Every minyi the tests start has these settings, so bounds below derive from them.
const (
	dbTimeout  = 2 * time.Second
	drainDelay = 1 * time.Second
	workers    = 16
)
