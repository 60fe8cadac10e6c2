package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
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
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return 0, 0
		}
		c.conn, c.r = conn, bufio.NewReaderSize(conn, 8<<10)
	}
	c.buf = append(c.buf[:0], "POST "...)
	c.buf = append(c.buf, path...)
	c.buf = append(c.buf, " HTTP/1.1\r\nHost: "...)
	c.buf = append(c.buf, c.addr...)
	c.buf = append(c.buf, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	c.buf = strconv.AppendInt(c.buf, int64(len(body)), 10)
	c.buf = append(c.buf, "\r\n\r\n"...)
	c.buf = append(c.buf, body...)
	if _, err := c.conn.Write(c.buf); err != nil {
		c.close()
		return 0, 0
	}
	res, err := http.ReadResponse(c.r, nil)
	if err != nil {
		c.close()
		return 0, 0
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.Close {
		c.close()
	}
	return res.StatusCode, n
}

func (c *rawConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}
