package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
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
