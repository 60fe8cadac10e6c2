package web

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"testing"

	"minyi/internal/area"
	"minyi/internal/qr"
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
		"<!doctype html>", `lang="zh-CN"`, "@page { size: A4; margin: 0 }", "break-after: page",
		"共 2 张海报", "window.print()", ">打印</button>",
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
	for _, bad := range []string{"http://", `src="https:`, `href="https:`, `<link rel="stylesheet"`, "<script src"} {
		if strings.Contains(html, bad) {
			t.Errorf("poster.html refers to an external resource: %q", bad)
		}
	}
}
