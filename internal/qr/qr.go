// Package qr draws QR codes for form URLs.
package qr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"
)

// Bounds of a PNG's width in pixels. DefaultSize is what a poster or a download
// gets when no size is asked for.
const (
	MinSize     = 128
	MaxSize     = 2048
	DefaultSize = 512
)

// level is medium error correction (about 15% of the symbol can be lost): enough for
// a poster that gets creased or smudged on a notice board, while keeping a form URL
// at a version whose modules stay large when printed.
const level = qrcode.Medium

// PNG draws content as a square black-on-white PNG, size pixels wide, with at least
// the standard 4-module quiet zone. size must lie in [MinSize, MaxSize]. Every module
// is the same whole number of pixels (the spare pixels widen the quiet zone), so that
// scanners and printers see even edges.
func PNG(content string, size int) ([]byte, error) {
	if size < MinSize || size > MaxSize {
		return nil, fmt.Errorf("qr.PNG: size %d outside [%d, %d]", size, MinSize, MaxSize)
	}
	q, err := qrcode.New(content, level)
	if err != nil {
		return nil, fmt.Errorf("qr.PNG: %w", err)
	}
	bm := q.Bitmap() // includes the quiet zone
	scale := size / len(bm)
	if scale < 1 {
		return nil, fmt.Errorf("qr.PNG: %d modules do not fit in %d pixels", len(bm), size)
	}
	off := (size - scale*len(bm)) / 2
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bm {
		for x, dark := range row {
			if !dark {
				continue
			}
			for py := off + y*scale; py < off+(y+1)*scale; py++ {
				i := img.PixOffset(off+x*scale, py)
				for px := 0; px < scale; px++ {
					img.Pix[i+px] = 1
				}
			}
		}
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		return nil, fmt.Errorf("qr.PNG: %w", err)
	}
	return b.Bytes(), nil
}

// SVG draws content as a scalable SVG document: one unit per module, the standard
// 4-module quiet zone included in the viewBox, dark modules as a single path drawn
// with crisp edges so that any print size stays sharp.
func SVG(content string) ([]byte, error) {
	q, err := qrcode.New(content, level)
	if err != nil {
		return nil, fmt.Errorf("qr.SVG: %w", err)
	}
	bm := q.Bitmap() // includes the quiet zone
	n := strconv.Itoa(len(bm))

	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 ` + n + ` ` + n +
		`" shape-rendering="crispEdges">` + "\n")
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#fff"/>` + "\n")
	b.WriteString(`<path fill="#000" d="`)
	// Each horizontal run of dark modules is one rectangle: far fewer path
	// commands than one per module.
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			w := strconv.Itoa(x - start)
			b.WriteString("M" + strconv.Itoa(start) + " " + strconv.Itoa(y) + "h" + w + "v1h-" + w + "z")
		}
	}
	b.WriteString(`"/>` + "\n</svg>\n")
	return b.Bytes(), nil
}
