package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"minyi/internal/config"
)

// BenchmarkFormPage renders the resident form, gzipped, through the whole handler
// stack (no network).
func BenchmarkFormPage(b *testing.B) {
	e := newEnv(&testing.T{}, nil, nil)
	h := e.srv.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/s/chuangwen/"+community1, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("got %d", w.Code)
		}
	}
}

// BenchmarkSubmit posts complete answers as new residents, one at a time, through
// the whole handler stack to a real PostgreSQL and Redis (no batching: see make bench
// for concurrent load).
func BenchmarkSubmit(b *testing.B) {
	e := newEnv(&testing.T{}, nil, func(c *config.Config) { c.Limits.PerIP, c.Limits.PerForm = 1<<30, 1<<30 })
	h := e.srv.Handler()
	answers, _ := json.Marshal(fullAnswers(e.def))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		// A new device, with the token its form page would have carried.
		device := uuid.NewString()
		token := e.srv.intake.FormToken("chuangwen", community1, e.srv.deviceHash(device))
		body := fmt.Sprintf(`{"survey":"chuangwen","area":%q,"client_id":%q,"answers":%s,"form_token":%q}`,
			community1, uuid.NewString(), answers, token)
		req := httptest.NewRequest("POST", "/api/v1/responses", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", deviceCookie+"="+device+"."+e.srv.sign("device", device))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusCreated {
			b.Fatalf("got %d %s", w.Code, w.Body)
		}
	}
}
