package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"testing"

	"minyi/internal/survey"
)

// TestFormCacheParts checks that every area's page, plain or gzipped, is its head, its
// survey's questions and its view's fields, with the questions rendered once per survey
// version however many areas open them.
func TestFormCacheParts(t *testing.T) {
	fc := newFormCache()
	renders := map[string]int{}
	render := func(name string, p *formPage) ([]byte, error) {
		renders[name]++
		if name == "form-sections" {
			return fmt.Appendf(nil, "<section>v%d 问题 %s</section>", p.Survey.Version, bytes.Repeat([]byte("选项"), 500)), nil
		}
		return fmt.Appendf(nil, "<h1>%s</h1><form>%s</form>\n<input value=%q><input value=%q><input value=%q>\n<footer>",
			p.Area.Name, p.SectionsMark, p.ClientID, p.Started, p.Token), nil
	}
	for _, version := range []int{1, 2} {
		def := &survey.Definition{ID: "s", Version: version}
		for i := range 3 {
			p := &formPage{Survey: def, ClientID: fmt.Sprint("c", i), Started: "t", Token: fmt.Sprint("k", i)}
			p.Area.Code, p.Area.Name = fmt.Sprint(i), fmt.Sprint("社区", i)
			want := fmt.Sprintf("<h1>社区%d</h1><form><section>v%d 问题 %s</section></form>\n<input value=\"c%d\"><input value=\"t\"><input value=\"k%d\">\n<footer>",
				i, version, bytes.Repeat([]byte("选项"), 500), i, i)
			plain, err := fc.page(p, false, render)
			if err != nil {
				t.Fatal(err)
			}
			if string(plain) != want {
				t.Errorf("v%d area %d plain: got %q, want %q", version, i, plain, want)
			}
			packed, err := fc.page(p, true, render)
			if err != nil {
				t.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(packed))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr) // checks the CRC and the length too
			if err != nil || string(got) != want {
				t.Errorf("v%d area %d gzip: got %q (%v), want %q", version, i, got, err, want)
			}
		}
	}
	if renders["form-sections"] != 2 || renders["form.html"] != 6 {
		t.Errorf("renders got %v, want the questions twice (once per version) and 6 pages", renders)
	}
}
