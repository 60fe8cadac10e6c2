package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"strconv"
)

// resident is one resident's visit, as a phone makes it: the form page, fetched
// without a device cookie (so the server issues a new device), then the answers,
// posted with the page's form token and the device cookie it set. It returns the
// post's status (0 when either request failed) and the bytes received.
func (c *rawConn) resident(formPath string, body func(token []byte) []byte) (int, int64) {
	status, header, page := c.roundTrip("GET", formPath, "", nil)
	if status != http.StatusOK {
		return status, int64(len(page))
	}
	token := formToken(page, header.Get("Content-Encoding") == "gzip")
	cookie := ""
	for _, ck := range (&http.Response{Header: header}).Cookies() {
		if ck.Name == "minyi_device" {
			cookie = ck.Name + "=" + ck.Value
		}
	}
	if token == nil || cookie == "" {
		return 0, int64(len(page))
	}
	status, _, reply := c.roundTrip("POST", "/api/v1/responses", cookie, body(token))
	return status, int64(len(page) + len(reply))
}

var tokenField = []byte(`name="form_token" value="`)

// formToken finds the form token in a page. The cached form sends its per-view end,
// where the token is, as a stored (uncompressed) deflate block, so the token is
// usually found in the gzip bytes as they are; otherwise the page is decompressed.
func formToken(page []byte, gz bool) []byte {
	if t := fieldValue(page); t != nil || !gz {
		return t
	}
	zr, err := gzip.NewReader(bytes.NewReader(page))
	if err != nil {
		return nil
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		return nil
	}
	return fieldValue(plain)
}

func fieldValue(page []byte) []byte {
	i := bytes.Index(page, tokenField)
	if i < 0 {
		return nil
	}
	rest := page[i+len(tokenField):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return nil
	}
	return rest[:j]
}

// roundTrip sends one request on the connection (GET asks for gzip, as phones do; a
// body goes as JSON) and returns the reply's status, headers and body; status 0 when
// the connection failed, and the next request dials again.
func (c *rawConn) roundTrip(method, path, cookie string, body []byte) (int, http.Header, []byte) {
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return 0, nil, nil
		}
		c.conn, c.r = conn, bufioReader(conn)
	}
	c.buf = append(c.buf[:0], method...)
	c.buf = append(c.buf, ' ')
	c.buf = append(c.buf, path...)
	c.buf = append(c.buf, " HTTP/1.1\r\nHost: "...)
	c.buf = append(c.buf, c.addr...)
	if cookie != "" {
		c.buf = append(c.buf, "\r\nCookie: "...)
		c.buf = append(c.buf, cookie...)
	}
	if body != nil {
		c.buf = append(c.buf, "\r\nContent-Type: application/json\r\nContent-Length: "...)
		c.buf = strconv.AppendInt(c.buf, int64(len(body)), 10)
	} else {
		c.buf = append(c.buf, "\r\nAccept-Encoding: gzip"...)
	}
	c.buf = append(c.buf, "\r\n\r\n"...)
	c.buf = append(c.buf, body...)
	if _, err := c.conn.Write(c.buf); err != nil {
		c.close()
		return 0, nil, nil
	}
	res, err := http.ReadResponse(c.r, nil)
	if err != nil {
		c.close()
		return 0, nil, nil
	}
	reply, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.Close {
		c.close()
	}
	return res.StatusCode, res.Header, reply
}
