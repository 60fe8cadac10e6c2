package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSlowClientsCutOff runs the production server settings, with the timeouts
// shrunk, against clients that hold a connection open by sending slowly.
func TestSlowClientsCutOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	const timeout = 300 * time.Millisecond
	srv := NewHTTPServer("127.0.0.1:0", e.srv.Handler())
	srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout = timeout, 2*timeout, 4*timeout
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()

	// A resident's token and device; the slow clients are cut off before anything is
	// stored, so the prompt one can use them after.
	token, device := e.formToken("chuangwen", community1, nil)
	sub := attackJSON(e, nil)
	sub["form_token"] = token
	body, _ := json.Marshal(sub)
	head := "POST /api/v1/responses HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\n" +
		"Cookie: " + device[1] + "\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	for _, tc := range []struct {
		name    string
		prompt  string // sent at once
		dribble string // then sent one byte per 100 ms
		within  time.Duration
	}{
		{"headers one byte per 100 ms", "", head + string(body), 3 * timeout},
		{"body one byte per 100 ms", head, string(body), 4 * timeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			if _, err := io.WriteString(conn, tc.prompt); err != nil {
				t.Fatal(err)
			}
			sent := make(chan int, 1)
			go func() {
				n := 0
				for ; n < len(tc.dribble); n++ {
					if _, err := conn.Write([]byte{tc.dribble[n]}); err != nil {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
				sent <- n
			}()
			// The server must close the connection; the client would take minutes.
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			reply, err := io.ReadAll(conn)
			took := time.Since(start)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("connection still open after %v", took)
			}
			conn.Close()
			if took > tc.within {
				t.Errorf("cut off after %v, want within %v", took, tc.within)
			}
			if n := <-sent; n == len(tc.dribble) {
				t.Errorf("the whole request got through")
			}
			if bytes.HasPrefix(reply, []byte("HTTP/1.1 2")) {
				t.Errorf("got %q, want no success", firstLine(reply))
			}
			t.Logf("closed after %v; reply %q", took.Round(time.Millisecond), firstLine(reply))
		})
	}

	t.Run("headers over MaxHeaderBytes", func(t *testing.T) {
		req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
		req.Header.Set("X-Padding", strings.Repeat("x", MaxHeaderBytes+8<<10))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("got %d, want 431", res.StatusCode)
		}
	})

	t.Run("a prompt client is served", func(t *testing.T) {
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/responses", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", device[1])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Errorf("got %d, want 201", res.StatusCode)
		}
	})
}

func firstLine(b []byte) string {
	line, _ := bufio.NewReader(bytes.NewReader(b)).ReadString('\n')
	return strings.TrimSpace(line)
}
