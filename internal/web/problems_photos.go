package web

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"minyi/internal/problem"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// Limits of an uploaded photo.
const (
	maxPhotoBytes  = 5 << 20  // the file as uploaded
	maxPhotoPixels = 40 << 20 // width × height, checked before decoding
	photoQuality   = 85       // JPEG quality of the re-encoded photo
)

var (
	errPhotoMissing = newError(400, "bad_request", "请选择要上传的照片")
	errPhotoLarge   = newError(413, "too_large", "照片不能超过 5 MB")
	errPhotoType    = newError(415, "unsupported_type", "只能上传 JPEG 或 PNG 格式的照片")
	errPhotoBroken  = newError(422, "invalid_image", "照片无法识别，请重新拍摄或选择")
	errPhotoPixels  = newError(422, "invalid_image", "照片尺寸过大，请缩小后再上传")
)

// uploadPhoto handles POST /api/v1/problems/:id/photos: one JPEG or PNG photo (the
// multipart field "file"), at most 5 MB, of the problem as found or of the work
// done. The type is read from the content, never the name; the image is decoded and
// encoded again, so that nothing but pixels is kept (no EXIF: no place, no device).
func (s *Server) uploadPhoto(c echo.Context) error {
	x, err := s.scopedProblem(c)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return errPhotoMissing
	}
	if err != nil {
		return errBadUpload
	}
	if fh.Size > maxPhotoBytes {
		return errPhotoLarge
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxPhotoBytes+1))
	if err != nil {
		return errBadUpload
	}
	if len(raw) > maxPhotoBytes {
		return errPhotoLarge
	}
	ph, err := reencode(raw)
	if err != nil {
		return err
	}
	p := principalOf(c)
	_, id, err := s.store.TakeStep(c.Request().Context(), x.ID, store.Step{Action: problem.Photo,
		UserID: &p.ID, Username: p.Username, Photo: &ph})
	if err != nil {
		return err
	}
	s.audit(c, p, "problem.photo", x.AreaCode, strconv.FormatInt(x.ID, 10),
		map[string]any{"photo": id, "type": ph.Type, "bytes": len(ph.Data), "uploaded_bytes": len(raw)})
	return c.JSON(201, map[string]any{"id": id,
		"url": "/api/v1/problems/" + strconv.FormatInt(x.ID, 10) + "/photos/" + strconv.FormatInt(id, 10)})
}

// reencode reads a JPEG or PNG by its content and encodes its pixels again in the
// same format, keeping nothing else of the file. A JPEG taken sideways (EXIF
// orientation) is turned upright first, since the orientation is dropped too.
func reencode(raw []byte) (store.Photo, error) {
	kind := http.DetectContentType(raw)
	if kind != "image/jpeg" && kind != "image/png" {
		return store.Photo{}, errPhotoType
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return store.Photo{}, errPhotoBroken
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoPixels {
		return store.Photo{}, errPhotoPixels
	}
	var img image.Image
	if kind == "image/jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(raw))
		if err == nil {
			img = upright(img, jpegOrientation(raw))
		}
	} else {
		img, err = png.Decode(bytes.NewReader(raw))
	}
	if err != nil {
		return store.Photo{}, errPhotoBroken
	}
	var out bytes.Buffer
	if kind == "image/jpeg" {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: photoQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img)
	}
	if err != nil {
		return store.Photo{}, err
	}
	b := img.Bounds()
	return store.Photo{Type: kind, Width: b.Dx(), Height: b.Dy(), Data: out.Bytes()}, nil
}

// servePhoto handles GET /api/v1/problems/:id/photos/:photo: the photo, to those who
// may see the problem.
func (s *Server) servePhoto(c echo.Context) error {
	x, err := s.scopedProblem(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("photo"), 10, 64)
	if err != nil {
		return survey.ErrNotFound
	}
	ph, err := s.store.Photo(c.Request().Context(), x.ID, id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	return c.Blob(200, ph.Type, ph.Data)
}
