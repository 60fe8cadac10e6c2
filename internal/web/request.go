package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

var (
	errNoFile    = newError(http.StatusBadRequest, "bad_request", "请选择要上传的 CSV 文件")
	errBadUpload = newError(http.StatusBadRequest, "bad_request", "上传的文件有误，请重新选择后再试")
)

// bindBody decodes the body of a request, JSON or a form, into v. A body over the
// size limit stays a 413; a JSON string holding a NUL or invalid UTF-8 is
// errEncoding; anything else wrong with it is a 400.
func bindBody(c echo.Context, v any) error {
	req := c.Request()
	if strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEApplicationJSON) && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
			return err
		}
		if err != nil {
			return newError(http.StatusBadRequest, "bad_request", "请求格式有误，应为 JSON")
		}
		if !cleanJSON(body) {
			return errEncoding
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := (&echo.DefaultBinder{}).BindBody(c, v); err != nil {
		if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
			return err // a chunked body over the limit, found while reading
		}
		return newError(http.StatusBadRequest, "bad_request", "请求格式有误，应为 JSON")
	}
	return nil
}

// replyStored replies v to a write that may be a retry: 201 Created, or 200 OK when
// the request replayed one already stored.
func replyStored(c echo.Context, replayed bool, v any) error {
	if replayed {
		return c.JSON(http.StatusOK, v)
	}
	return c.JSON(http.StatusCreated, v)
}

// formFile opens the "file" field of a multipart form and names it for messages and
// the audit log (see uploadName). The caller closes it. A form without the file is
// errNoFile, one that cannot be read errBadUpload.
func formFile(c echo.Context, fallback string) (string, multipart.File, error) {
	fh, err := c.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return "", nil, errNoFile
	}
	if err != nil {
		return "", nil, errBadUpload
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	return uploadName(fh.Filename, fallback), f, nil
}

// upload returns the uploaded CSV file of a request: the "file" field of a multipart
// form, or else the body itself. The caller closes it.
func upload(c echo.Context) (string, io.ReadCloser, error) {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return "upload.csv", c.Request().Body, nil
	}
	return formFile(c, "upload.csv")
}

// uploadName is the base name of an uploaded file, cut to a sensible length, for
// messages and the audit log.
func uploadName(name, fallback string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" || !utf8.ValidString(name) {
		return fallback
	}
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80])
	}
	return name
}
