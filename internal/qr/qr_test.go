package qr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
	qrcode "github.com/skip2/go-qrcode"
)

var urls = []string{
	"https://minyi.example.cn/s/wenming-2026/110105001001",
	"http://localhost:8080/s/a/1",
	"https://wm.example.gov.cn/s/wenming-2026/%E5%85%89%E6%98%8E%E7%A4%BE%E5%8C%BA-01",
	"https://minyi.example.cn/s/" + strings.Repeat("x", 40) + "/" + strings.Repeat("9", 120),
}

// decode reads the QR code in img back to its text.
func decode(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("binary bitmap: %v", err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return res.GetText()
}

func TestPNG(t *testing.T) {
	for _, size := range []int{MinSize, DefaultSize, 777, MaxSize} {
		for _, u := range urls {
			t.Run(fmt.Sprintf("%d/%s", size, u), func(t *testing.T) {
				b, err := PNG(u, size)
				if err != nil {
					t.Fatalf("PNG: %v", err)
				}
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("png.Decode: %v", err)
				}
				if got := img.Bounds().Size(); got != image.Pt(size, size) {
					t.Errorf("size: got %v, want %dx%d", got, size, size)
				}
				if got := decode(t, img); got != u {
					t.Errorf("decoded: got %q, want %q", got, u)
				}
			})
		}
	}
}

func TestPNGErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content string
		size    int
	}{
		{"too small", urls[0], MinSize - 1},
		{"too large", urls[0], MaxSize + 1},
		{"zero", urls[0], 0},
		{"negative", urls[0], -4},
		{"content too long", strings.Repeat("x", 3000), DefaultSize},
		{"too many modules for the size", strings.Repeat("x", 1500), MinSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := PNG(tc.content, tc.size); err == nil {
				t.Errorf("PNG(%d chars, %d): got nil error, want one", len(tc.content), tc.size)
			}
		})
	}
}

// svgDoc is the part of the SVG that the tests look at.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	ViewBox string   `xml:"viewBox,attr"`
	Shape   string   `xml:"shape-rendering,attr"`
	Paths   []struct {
		D    string `xml:"d,attr"`
		Fill string `xml:"fill,attr"`
	} `xml:"path"`
}

var runPattern = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// rasterize paints the runs of the path at scale pixels per module.
func rasterize(t *testing.T, d string, modules, scale int) image.Image {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, modules*scale, modules*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for d != "" {
		m := runPattern.FindStringSubmatch(d)
		if m == nil {
			t.Fatalf("unexpected path data at %.20q", d)
		}
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if m[3] != m[4] || x+w > modules || y >= modules {
			t.Fatalf("bad run %q in a %d-module symbol", m[0], modules)
		}
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
		d = d[len(m[0]):]
	}
	return img
}

func TestSVG(t *testing.T) {
	for _, u := range urls {
		t.Run(u, func(t *testing.T) {
			b, err := SVG(u)
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
			var doc svgDoc
			if err := xml.Unmarshal(b, &doc); err != nil {
				t.Fatalf("not well-formed XML: %v\n%s", err, b)
			}
			q, err := qrcode.New(u, qrcode.Medium)
			if err != nil {
				t.Fatal(err)
			}
			n := len(q.Bitmap()) // symbol plus 2×4 quiet-zone modules
			if want := fmt.Sprintf("0 0 %d %d", n, n); doc.ViewBox != want {
				t.Errorf("viewBox: got %q, want %q", doc.ViewBox, want)
			}
			if doc.XMLName.Space != "http://www.w3.org/2000/svg" {
				t.Errorf("namespace: got %q, want the SVG one", doc.XMLName.Space)
			}
			if doc.Shape != "crispEdges" {
				t.Errorf("shape-rendering: got %q, want crispEdges", doc.Shape)
			}
			if len(doc.Paths) != 1 {
				t.Fatalf("paths: got %d, want 1", len(doc.Paths))
			}
			if got := decode(t, rasterize(t, doc.Paths[0].D, n, 6)); got != u {
				t.Errorf("decoded: got %q, want %q", got, u)
			}
		})
	}
}

func TestSVGTooLong(t *testing.T) {
	if _, err := SVG(strings.Repeat("x", 3000)); err == nil {
		t.Error("SVG(3000 chars): got nil error, want one")
	}
}
