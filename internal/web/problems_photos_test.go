package web

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/url"
	"testing"

	"minyi/internal/account"
)

// photoJPEG is a w×h JPEG whose left half is red, carrying an EXIF APP1 segment with
// the given orientation and a GPS-like text that must not survive an upload.
func photoJPEG(t *testing.T, w, h, orientation int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// TIFF, little-endian: one IFD with Orientation (0x0112, SHORT) and an ASCII
	// ImageDescription (0x010E) holding the marker text, stored after the IFD.
	marker := "GPS 30.2741N 120.1551E minyi-secret-location\x00"
	var tiff bytes.Buffer
	le := binary.LittleEndian
	tiff.WriteString("II")
	binary.Write(&tiff, le, uint16(42))
	binary.Write(&tiff, le, uint32(8))
	binary.Write(&tiff, le, uint16(2))
	binary.Write(&tiff, le, [2]uint16{0x0112, 3})
	binary.Write(&tiff, le, uint32(1))
	binary.Write(&tiff, le, [2]uint16{uint16(orientation), 0})
	binary.Write(&tiff, le, [2]uint16{0x010E, 2})
	binary.Write(&tiff, le, uint32(len(marker)))
	binary.Write(&tiff, le, uint32(8+2+2*12+4))
	binary.Write(&tiff, le, uint32(0))
	tiff.WriteString(marker)
	app1 := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(enc.Bytes()[:2]) // SOI
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(app1)+2))
	out.Write(app1)
	out.Write(enc.Bytes()[2:])
	return out.Bytes()
}

// TestProblemPhotos uploads photos of every kind: a sideways phone JPEG with EXIF
// comes back upright without it; other types, oversized files and broken images are
// refused, as is a photo of a closed problem.
func TestProblemPhotos(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	id := e.raise(community1, "环境卫生", "inspection", e.auth()...)
	path := fmt.Sprintf("/api/v1/problems/%d/photos", id)
	exif := photoJPEG(t, 40, 20, 6)
	if jpegOrientation(exif) != 6 || !bytes.Contains(exif, []byte("minyi-secret-location")) {
		t.Fatalf("test photo: orientation %d, want 6 and the marker in the file", jpegOrientation(exif))
	}
	var pngFile, gifFile bytes.Buffer
	png.Encode(&pngFile, image.NewGray(image.Rect(0, 0, 8, 8)))
	gif.Encode(&gifFile, image.NewPaletted(image.Rect(0, 0, 8, 8), []color.Color{color.Black}), nil)
	huge := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, maxPhotoBytes)...)
	broken := append([]byte{0xFF, 0xD8, 0xFF, 0xDB}, bytes.Repeat([]byte("x"), 200)...)
	for _, tc := range []struct {
		name    string
		file    string
		content []byte
		status  int
		code    string
	}{
		{"jpeg with exif", "IMG_0001.jpg", exif, 201, ""},
		{"png named .gif", "photo.gif", pngFile.Bytes(), 201, ""},
		{"gif named .jpg", "photo.jpg", gifFile.Bytes(), 415, "unsupported_type"},
		{"text named .jpg", "photo.jpg", []byte("hello, not a photo"), 415, "unsupported_type"},
		{"over 5 MB", "big.jpg", huge, 413, "too_large"},
		{"broken jpeg", "broken.jpg", broken, 422, "invalid_image"},
	} {
		res, body := e.uploadAPI(path, url.Values{}, tc.file, tc.content, e.auth()...)
		if res.StatusCode != tc.status || (tc.code != "" && body["error"] != tc.code) {
			t.Errorf("%s: got %d %v, want %d %s", tc.name, res.StatusCode, body, tc.status, tc.code)
		}
	}
	var got problemReply
	e.getJSON(fmt.Sprintf("/api/v1/problems/%d", id), &got, e.auth()...)
	if len(got.Photos) != 2 {
		t.Fatalf("photos: got %d, want 2", len(got.Photos))
	}
	res, raw := e.send("GET", got.Photos[0].URL, nil, e.auth()...)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("photo: got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if bytes.Contains(raw, []byte("Exif")) || bytes.Contains(raw, []byte("minyi-secret-location")) || jpegOrientation(raw) != 1 {
		t.Errorf("stored photo: still carries EXIF")
	}
	img, err := jpeg.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// Orientation 6: the 40×20 picture is turned a quarter clockwise to 20×40, and
	// its red left half becomes the top half.
	if b := img.Bounds(); b.Dx() != 20 || b.Dy() != 40 || got.Photos[0].Width != 20 {
		t.Errorf("upright photo: got %v (listed %d wide), want 20×40", img.Bounds(), got.Photos[0].Width)
	}
	if r, _, bl, _ := img.At(10, 5).RGBA(); r < bl {
		t.Errorf("upright photo: top is not red (r %d, b %d)", r>>8, bl>>8)
	}
	// Only those who see the problem see its photos.
	other := newToken(t, e.store, "offb", account.Official, street2)
	if res, _ := e.send("GET", got.Photos[0].URL, nil, bearer(other)...); res.StatusCode != 404 {
		t.Errorf("photo as street2: got %d, want 404", res.StatusCode)
	}
	// Limits: at most MaxPhotos, none once closed.
	for i := len(got.Photos); i < 12; i++ {
		if res, body := e.uploadAPI(path, url.Values{}, "p.png", pngFile.Bytes(), e.auth()...); res.StatusCode != 201 {
			t.Fatalf("photo %d: got %d %v", i+1, res.StatusCode, body)
		}
	}
	if res, body := e.uploadAPI(path, url.Values{}, "p.png", pngFile.Bytes(), e.auth()...); res.StatusCode != 409 || body["error"] != "too_many_photos" {
		t.Errorf("13th photo: got %d %v, want 409 too_many_photos", res.StatusCode, body)
	}
	id2 := e.raise(community1, "环境卫生", "inspection", e.auth()...)
	e.step(id2, "assign", map[string]any{"unit": community1, "due": e.dayFrom(1)}, e.auth()...)
	e.step(id2, "rectify", map[string]any{"note": "ok"}, e.auth()...)
	if code, body := e.step(id2, "close", map[string]any{"public_note": "已整改"}, e.auth()...); code != 200 {
		t.Fatalf("close: got %d %v", code, body)
	}
	res, body := e.uploadAPI(fmt.Sprintf("/api/v1/problems/%d/photos", id2), url.Values{}, "p.png", pngFile.Bytes(), e.auth()...)
	if res.StatusCode != 409 || body["message"] != "该问题当前状态为“已办结”，不能进行“上传照片”" {
		t.Errorf("photo of a closed problem: got %d %v, want 409", res.StatusCode, body)
	}
}
