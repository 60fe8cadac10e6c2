//go:build linux

package faults

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// minyi is one `minyi serve` process.
type minyi struct {
	t      *testing.T
	url    string // http://127.0.0.1:PORT
	mURL   string // the metrics listener, http://127.0.0.1:PORT
	cmd    *exec.Cmd
	log    string        // its stdout and stderr
	exited chan struct{} // closed when the process has exited; then state is set
	state  *os.ProcessState
}

// minyiEnv is the environment of minyi's subcommands against svc: everything of the
// test's own, nothing inherited that could change minyi's settings.
func minyiEnv(t *testing.T, svc *services, secret string) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "MINYI_") && k != "DATABASE_URL" && k != "REDIS_URL" {
			env = append(env, kv)
		}
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	return append(env,
		fmt.Sprintf("MINYI_METRICS_ADDR=127.0.0.1:%d", freePort(t)),
		"DATABASE_URL="+svc.databaseURL,
		"REDIS_URL="+svc.redURL,
		"MINYI_SECRET="+secret,
		"MINYI_ADDR="+addr,
		"MINYI_BASE_URL=http://"+addr,
		"MINYI_DB_TIMEOUT="+dbTimeout.String(),
		"MINYI_DRAIN_DELAY="+drainDelay.String(),
		// All load comes from 127.0.0.1, and each resident is a new device.
		"MINYI_LIMIT_PER_IP=100000000",
		"MINYI_LIMIT_PER_FORM=100000000",
		"MINYI_LIMIT_PER_USER=100000000",
		// The bursts answer at once after opening the form, all from 127.0.0.1.
		"MINYI_MIN_FILL=0s",
		"MINYI_FLAG_PER_NET=100000000",
	)
}

func newSecret(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// withEnv returns env with key set to value.
func withEnv(env []string, key, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}

// minyiCmd runs one minyi subcommand to completion and returns its standard output.
func minyiCmd(t *testing.T, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, minyiBin, args...)
	c.Env = env
	c.Stdin = strings.NewReader("faults-password\n") // the demo accounts' password
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil {
		t.Fatalf("minyi %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// setup loads the demo into svc's database and returns minyi's environment and an
// API token.
func setup(t *testing.T, svc *services) (env []string, token string) {
	t.Helper()
	env = minyiEnv(t, svc, newSecret(t))
	minyiCmd(t, env, "demo", "setup")
	out := strings.Fields(minyiCmd(t, env, "token", "create", "--user", "admin", "--name", "faults"))
	if len(out) == 0 {
		t.Fatal("minyi token create printed nothing")
	}
	return env, out[len(out)-1]
}

// serve starts `minyi serve` with env, waits until it answers /healthz, and stops it
// when the test ends if it still runs.
func serve(t *testing.T, env []string, logDir string) *minyi {
	t.Helper()
	var addr, maddr string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "MINYI_ADDR="); ok {
			addr = v
		}
		if v, ok := strings.CutPrefix(kv, "MINYI_METRICS_ADDR="); ok {
			maddr = v
		}
	}
	m := &minyi{t: t, url: "http://" + addr, mURL: "http://" + maddr, exited: make(chan struct{})}
	m.log = filepath.Join(logDir, "minyi-"+strings.ReplaceAll(addr, ":", "-")+".log")
	f, err := os.Create(m.log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m.cmd = exec.Command(minyiBin, "serve")
	m.cmd.Env, m.cmd.Stdout, m.cmd.Stderr = env, f, f
	// If the test binary dies (a timeout panic), minyi goes with it.
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		m.cmd.Wait()
		m.state = m.cmd.ProcessState
		close(m.exited)
	}()
	t.Cleanup(m.stop)
	client := &http.Client{Timeout: time.Second}
	waitFor(t, 30*time.Second, "minyi to answer /healthz", func() bool {
		select {
		case <-m.exited:
			t.Fatalf("minyi serve exited: %v\n%s", m.state, m.tail(30))
		default:
		}
		res, err := client.Get(m.url + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 200
	})
	return m
}

// stop ends the process if it still runs: SIGTERM, then SIGKILL. On failure it shows
// the end of minyi's log.
func (m *minyi) stop() {
	select {
	case <-m.exited:
	default:
		m.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-m.exited:
		case <-time.After(drainDelay + 20*time.Second):
			m.t.Errorf("minyi did not stop on SIGTERM; killing it")
			m.cmd.Process.Kill()
			<-m.exited
		}
	}
	if m.t.Failed() {
		m.t.Logf("end of %s:\n%s", m.log, m.tail(40))
	}
}

// running fails the test if the process has exited.
func (m *minyi) running(t *testing.T) {
	t.Helper()
	select {
	case <-m.exited:
		t.Fatalf("minyi exited: %v", m.state)
	default:
	}
}

// tail returns the last n lines of minyi's log, leaving out the access log of
// requests that did not fail.
func (m *minyi) tail(n int) string {
	raw, _ := os.ReadFile(m.log)
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		if !strings.Contains(l, `"msg":"request"`) || strings.Contains(l, `"status":5`) {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// logged returns the times of minyi's log lines whose message contains s.
func (m *minyi) logged(s string) []time.Time {
	f, err := os.Open(m.log)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []time.Time
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line struct {
			Time time.Time
			Msg  string
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && strings.Contains(line.Msg, s) {
			out = append(out, line.Time)
		}
	}
	return out
}

// probe is the client for single requests outside the load: a fresh connection each
// time, so that its answers say nothing about idle connections.
var probe = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// get fetches path with the token, if any, and returns the status and body.
// headers are name, value pairs.
func (m *minyi) get(path, token string, headers ...string) (int, []byte, error) {
	return m.fetch(m.url+path, token, headers...)
}

// fetch gets url, with a bearer token unless it is "" and headers as name, value pairs.
func (m *minyi) fetch(url, token string, headers ...string) (int, []byte, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := probe.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res.StatusCode, body, err
}

// readiness is what /readyz says.
type readiness struct {
	Code                    int
	Status, Postgres, Redis string
}

func (m *minyi) ready() (readiness, error) {
	code, body, err := m.get("/readyz", "")
	if err != nil {
		return readiness{}, err
	}
	r := readiness{Code: code}
	var v struct{ Status, Postgres, Redis string }
	if err := json.Unmarshal(body, &v); err != nil {
		return r, fmt.Errorf("readyz: %v: %s", err, body)
	}
	r.Status, r.Postgres, r.Redis = v.Status, v.Postgres, v.Redis
	return r, nil
}

// metric returns the value of an unlabelled metric from /metrics on the metrics
// listener.
func (m *minyi) metric(name string) (float64, error) {
	code, body, err := m.fetch(m.mURL+"/metrics", "", "Accept-Encoding", "identity")
	if err != nil {
		return 0, err
	}
	if code != 200 {
		return 0, fmt.Errorf("/metrics: status %d", code)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, errors.New(name + " is not in /metrics")
}

// respondents is the number of respondents the indicators API counts in the whole
// demo district for the open round: read from tallies, so it shows double counting.
func (m *minyi) respondents(t *testing.T, token string) int {
	t.Helper()
	// Reads answer with what is counted and say how many are not yet: wait for those.
	for try := 0; ; try++ {
		code, body, err := m.get("/api/v1/indicators?survey=chuangwen&area="+district, token)
		if err != nil || code != 200 {
			t.Fatalf("indicators: got %d %v %s, want 200", code, err, body)
		}
		var reply struct {
			Uncounted int
			Rows      []struct{ Respondents int }
		}
		if err := json.Unmarshal(body, &reply); err != nil || len(reply.Rows) != 1 {
			t.Fatalf("indicators: %v: %s", err, body)
		}
		if reply.Uncounted == 0 || try == 300 {
			return reply.Rows[0].Respondents
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// district is the demo district, the root of the demo area tree.
const district = "990100000000"
