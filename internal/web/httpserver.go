package web

import (
	"net/http"
	"time"
)

// Limits of the production HTTP server, so that a slow or hostile client cannot hold a
// connection open: headers must arrive within ReadHeaderTimeout and the whole request
// within ReadTimeout; a response gets WriteTimeout; an idle keep-alive connection is
// closed after IdleTimeout.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 15 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 60 * time.Second
	MaxHeaderBytes    = 32 << 10
)

// NewHTTPServer returns the server minyi serves h with on addr, with the limits above.
// Callers may shorten its fields (tests do) before serving.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}
