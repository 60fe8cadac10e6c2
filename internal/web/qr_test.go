package web

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html/template"
	"image"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"minyi/internal/area"
	"minyi/internal/qr"
	"minyi/static"
)

func TestFormURL(t *testing.T) {
	for _, tc := range []struct {
		base, survey, code, want string
	}{
		{"https://minyi.example.cn", "wenming-2026", "110105001001", "https://minyi.example.cn/s/wenming-2026/110105001001"},
		{"http://localhost:8080", "a", "1", "http://localhost:8080/s/a/1"},
		{"https://x.cn/minyi", "wm", "光明-01", "https://x.cn/minyi/s/wm/%E5%85%89%E6%98%8E-01"},
		{"https://x.cn", "wm", "a/b c?d#e", "https://x.cn/s/wm/a%2Fb%20c%3Fd%23e"},
	} {
		if got := FormURL(tc.base, tc.survey, tc.code); got != tc.want {
			t.Errorf("FormURL(%q, %q, %q): got %q, want %q", tc.base, tc.survey, tc.code, got, tc.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"", qr.DefaultSize, true},
		{"128", 128, true},
		{"512", 512, true},
		{"2048", 2048, true},
		{"127", 0, false},
		{"2049", 0, false},
		{"0", 0, false},
		{"-512", 0, false},
		{"512px", 0, false},
		{"5e2", 0, false},
		{" 512", 0, false},
		{"99999999999999999999", 0, false},
	} {
		got, err := parseSize(tc.in)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("parseSize(%q): got %d, %v, want %d", tc.in, got, err, tc.want)
		}
		var ae *apiError
		if !tc.ok && (!errors.As(err, &ae) || ae.Status != 400) {
			t.Errorf("parseSize(%q): got %d, %v, want a 400", tc.in, got, err)
		}
	}
}

func TestPosterAreas(t *testing.T) {
	a := func(code, kind string, in bool) area.Area {
		return area.Area{Code: code, Name: code, Kind: kind, InScope: in}
	}
	street := a("1101", "street", true)
	for _, tc := range []struct {
		name string
		tree []area.Area
		want string
	}{
		{"empty", nil, ""},
		{"community", []area.Area{a("110101", "community", true), a("11010101", "grid", true)}, "110101"},
		{"out-of-scope village", []area.Area{a("110102", "village", false)}, ""},
		{"leaf street", []area.Area{street}, "1101"},
		{"street: communities by code, in scope only, not grids", []area.Area{
			street, a("110103", "community", true), a("110101", "village", true), a("110102", "village", false),
			a("11010301", "grid", true),
		}, "110101 110103"},
		{"district: nested streets, ordered by code across depths", []area.Area{
			a("11", "district", true), a("1102", "street", true), a("1101", "street", true),
			a("110201", "community", true), a("110109", "community", true),
		}, "110109 110201"},
		{"street with none in scope", []area.Area{street, a("110101", "village", false)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var codes []string
			for _, p := range PosterAreas(tc.tree) {
				codes = append(codes, p.Code)
			}
			if got := strings.Join(codes, " "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPosterTemplate renders poster.html without a database: one A4 section per
// poster with everything a resident and a printer need, and nothing fetched from
// another site.
func TestPosterTemplate(t *testing.T) {
	pages := template.Must(template.New("").Funcs(templateFuncs).ParseFS(templateFS, "templates/*.html"))
	sheet := posterSheet{
		Title:  "建外街道 二维码海报",
		Survey: "创建全国文明城市群众满意度模拟问卷",
		Scope:  "建外街道",
	}
	for _, code := range []string{"110105001001", "110105001002"} {
		sheet.Posters = append(sheet.Posters, poster{
			Name: "光明社区" + code[len(code)-1:], Context: "朝阳区 · 建外街道", Code: code,
			FormURL: FormURL("https://minyi.example.cn", "wenming-2026", code),
			QRSrc:   "/qr/wenming-2026/" + code + ".svg",
		})
	}
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, "poster.html", sheet); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{
		"<!doctype html>", `lang="zh-CN"`, `href="/static/poster.css"`, `src="/static/print.js"`,
		"共 2 张海报", "data-print>打印</button>",
		"创建全国文明城市群众满意度模拟问卷", "朝阳区 · 建外街道", "光明社区1",
		`src="/qr/wenming-2026/110105001001.svg"`, "微信扫一扫参与", "匿名填写 · 约3分钟 · 内部模拟调查",
		"编号 110105001002", "https://minyi.example.cn/s/wenming-2026/110105001002",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("poster.html lacks %q", want)
		}
	}
	if got := strings.Count(html, `<section class="poster">`); got != 2 {
		t.Errorf("posters: got %d, want 2", got)
	}
	for _, bad := range []string{"http://", `src="https:`, `href="https:`, `src="//`, `href="//`, "<style", "onclick="} {
		if strings.Contains(html, bad) {
			t.Errorf("poster.html refers to an external resource or has inline code: %q", bad)
		}
	}
	css, err := static.FS.ReadFile("poster.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"@page { size: A4; margin: 0 }", "break-after: page"} {
		if !strings.Contains(string(css), want) {
			t.Errorf("poster.css lacks %q", want)
		}
	}
}

// decodeQR reads the QR code of a PNG back to its text.
func decodeQR(t *testing.T, b []byte) (string, image.Point) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("binary bitmap: %v", err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return res.GetText(), img.Bounds().Size()
}

// importOutOfScope adds a village excluded from the questionnaire under street1.
func importOutOfScope(t *testing.T, e *testEnv, code string) {
	t.Helper()
	rows, err := area.ParseCSV("extra.csv", strings.NewReader(
		"code,name,kind,parent_code,households,in_scope\n"+code+",飞地村,village,"+street1+",,false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.store.ImportAreas(context.Background(), "extra.csv", rows); err != nil {
		t.Fatal(err)
	}
}

func TestQRCodeHandler(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	outside := "990100001099"
	importOutOfScope(t, e, outside)
	for _, tc := range []struct {
		name, path string
		status     int
		ctype      string
		size       int // of a PNG
		code       string
	}{
		{"png", "/qr/chuangwen/" + community1 + ".png", 200, "image/png", qr.DefaultSize, community1},
		{"png of a village", "/qr/chuangwen/990100003201.png", 200, "image/png", qr.DefaultSize, "990100003201"},
		{"png of a street", "/qr/chuangwen/" + street2 + ".png", 200, "image/png", qr.DefaultSize, street2},
		{"smallest png", "/qr/chuangwen/" + community2 + ".png?size=128", 200, "image/png", 128, community2},
		{"largest png", "/qr/chuangwen/" + community2 + ".png?size=2048", 200, "image/png", 2048, community2},
		{"svg", "/qr/chuangwen/" + community3 + ".svg", 200, "image/svg+xml", 0, community3},
		{"svg ignores size", "/qr/chuangwen/" + community3 + ".svg?size=5", 200, "image/svg+xml", 0, community3},
		{"png too small", "/qr/chuangwen/" + community1 + ".png?size=100", 400, "", 0, ""},
		{"png too large", "/qr/chuangwen/" + community1 + ".png?size=4096", 400, "", 0, ""},
		{"png size not a number", "/qr/chuangwen/" + community1 + ".png?size=x", 400, "", 0, ""},
		{"gif", "/qr/chuangwen/" + community1 + ".gif", 404, "", 0, ""},
		{"no extension", "/qr/chuangwen/" + community1, 404, "", 0, ""},
		{"unknown survey", "/qr/nope/" + community1 + ".png", 404, "", 0, ""},
		{"unknown area", "/qr/chuangwen/000000000000.svg", 404, "", 0, ""},
		{"out-of-scope area", "/qr/chuangwen/" + outside + ".png", 404, "", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := fetchText(e, "GET", tc.path, nil, append(e.auth(), "Accept", "application/json")...)
			if res.StatusCode != tc.status {
				t.Fatalf("status: got %d, want %d (%.200s)", res.StatusCode, tc.status, body)
			}
			if tc.status != 200 {
				var reply struct{ Error, Message string }
				if err := json.Unmarshal([]byte(body), &reply); err != nil || !hasHan(reply.Message) ||
					reply.Error != map[int]string{400: "bad_request", 404: "not_found"}[tc.status] {
					t.Errorf("error body: got %.200s, want a stable code and a Chinese message", body)
				}
				return
			}
			if ct := res.Header.Get("Content-Type"); ct != tc.ctype {
				t.Errorf("Content-Type: got %q, want %q", ct, tc.ctype)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=3600" {
				t.Errorf("Cache-Control: got %q, want public, max-age=3600", cc)
			}
			want := FormURL(e.http.URL, "chuangwen", tc.code)
			if tc.ctype == "image/svg+xml" {
				var doc struct {
					XMLName xml.Name `xml:"svg"`
				}
				if err := xml.Unmarshal([]byte(body), &doc); err != nil || doc.XMLName.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("not an SVG document: %v", err)
				}
				if b, _ := qr.SVG(want); body != string(b) {
					t.Errorf("SVG does not encode %s", want)
				}
				return
			}
			got, size := decodeQR(t, []byte(body))
			if got != want {
				t.Errorf("decoded: got %q, want %q", got, want)
			}
			if size != image.Pt(tc.size, tc.size) {
				t.Errorf("size: got %v, want %dx%d", size, tc.size, tc.size)
			}
		})
	}
}

var (
	sheetName = regexp.MustCompile(`<h1 class="name">([^<]*)</h1>`)
	sheetCode = regexp.MustCompile(`<p class="code">编号 ([^<]*)</p>`)
	sheetQR   = regexp.MustCompile(`<img class="qr" src="([^"]*)"`)
	sheetURL  = regexp.MustCompile(`<p class="url">([^<]*)</p>`)
)

func TestPostersHandler(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	importOutOfScope(t, e, "990100001099")
	street1Posters := "990100001001 望江社区, 990100001002 滨河社区, 990100001003 金沙社区, " +
		"990100001004 水岸社区, 990100001005 江南新村社区"
	for _, tc := range []struct {
		name, area string
		status     int
		count      int
		want       string // "code name" of each poster, in order; a prefix for long sheets
		place      string // where the first poster says it is
	}{
		{"street: its in-scope communities by code", street1, 200, 5, street1Posters, "江滨区 · 临江街道"},
		{"one community", community3, 200, 1, "990100002001 东湖社区", "江滨区 · 东湖街道"},
		{"a village", "990100003201", 200, 1, "990100003201 桃源村", "江滨区 · 青山街道"},
		{"district: every in-scope community and village", district, 200, 15, street1Posters, "江滨区 · 临江街道"},
		{"out-of-scope village", "990100001099", 404, 0, "", ""},
		{"unknown area", "000000000000", 404, 0, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, page := fetchText(e, "GET", "/posters/chuangwen/"+tc.area, nil, e.auth()...)
			if res.StatusCode != tc.status {
				t.Fatalf("status: got %d, want %d", res.StatusCode, tc.status)
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Errorf("Content-Type: got %q, want text/html", res.Header.Get("Content-Type"))
			}
			if tc.status != 200 {
				if !hasHan(page) {
					t.Errorf("error page is not in Chinese: %.200s", page)
				}
				return
			}
			if got := strings.Count(page, `<section class="poster">`); got != tc.count {
				t.Errorf("posters: got %d, want %d", got, tc.count)
			}
			names, codes := sheetName.FindAllStringSubmatch(page, -1), sheetCode.FindAllStringSubmatch(page, -1)
			qrs, urls := sheetQR.FindAllStringSubmatch(page, -1), sheetURL.FindAllStringSubmatch(page, -1)
			if len(names) != tc.count || len(codes) != tc.count || len(qrs) != tc.count || len(urls) != tc.count {
				t.Fatalf("poster parts: got %d names, %d codes, %d QR codes, %d URLs, want %d each",
					len(names), len(codes), len(qrs), len(urls), tc.count)
			}
			var got []string
			for i := range codes {
				code := codes[i][1]
				got = append(got, code+" "+names[i][1])
				if want := "/qr/chuangwen/" + code + ".svg"; qrs[i][1] != want {
					t.Errorf("poster %s: QR src got %q, want %q", code, qrs[i][1], want)
				}
				if want := FormURL(e.http.URL, "chuangwen", code); urls[i][1] != want {
					t.Errorf("poster %s: URL got %q, want %q", code, urls[i][1], want)
				}
				if i > 0 && codes[i-1][1] >= code {
					t.Errorf("posters out of code order: %s before %s", codes[i-1][1], code)
				}
				if code == "990100001099" {
					t.Errorf("poster for the out-of-scope village")
				}
			}
			if joined := strings.Join(got, ", "); !strings.HasPrefix(joined, tc.want) {
				t.Errorf("posters: got %s, want %s", joined, tc.want)
			}
			if !strings.Contains(page, `<p class="place">`+tc.place+`</p>`) {
				t.Errorf("first poster's place: want %q", tc.place)
			}
			if !strings.Contains(page, e.def.Title) {
				t.Errorf("sheet lacks the survey title")
			}
		})
	}
	for _, path := range []string{"/posters/nope/" + street1} {
		res, page := fetchText(e, "GET", path, nil, e.auth()...)
		if res.StatusCode != 404 || !strings.Contains(page, "找不到该问卷或区域") {
			t.Errorf("%s: got %d, want 404 with a Chinese page", path, res.StatusCode)
		}
	}
}
