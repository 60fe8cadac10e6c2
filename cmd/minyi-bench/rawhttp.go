package main

import (
	"bufio"
	"net"
)

// rawConn is one keep-alive HTTP/1.1 connection of one load worker: a request is
// written in one piece and its reply read with net/http's parser, without the
// pooling and per-connection goroutines of http.Transport, so that the load generator
// takes as little as it can of the cores it shares with the server.
type rawConn struct {
	addr string
	conn net.Conn
	r    *bufio.Reader
	buf  []byte
}

// post sends body as JSON to path and returns the reply's status (0 when the
// connection failed: the next post dials again) and the bytes of its body.
func (c *rawConn) post(path string, body []byte) (int, int64) {
	status, _, reply := c.roundTrip("POST", path, "", body)
	return status, int64(len(reply))
}

func bufioReader(conn net.Conn) *bufio.Reader { return bufio.NewReaderSize(conn, 8<<10) }

func (c *rawConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}
