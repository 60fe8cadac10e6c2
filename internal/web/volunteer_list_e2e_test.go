package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestVolunteerAppThousandsOfHouseholds: on a phone, a community of 3,000 households
// is listed by building, each building laid out only when opened, and found by
// searching its door number.
func TestVolunteerAppThousandsOfHouseholds(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.volunteer("vol1", community1)
	var b strings.Builder
	var keys []string
	b.WriteString("area_code,building,unit,room,key\n")
	for building := 1; building <= 30; building++ {
		for unit := 1; unit <= 4; unit++ {
			for room := 101; room <= 125; room++ {
				fmt.Fprintf(&b, "%s,%d,%d,%d,\n", community1, building, unit, room)
				keys = append(keys, fmt.Sprintf("%d-%d-%d", building, unit, room))
			}
		}
	}
	if res, body := rawPost(e, "/api/v1/households/import", "text/csv", []byte(b.String()), false, e.auth()...); res.StatusCode != 200 {
		t.Fatalf("households: %d %v", res.StatusCode, body)
	}
	ctx, problems := browser(t)
	err := chromedp.Do(ctx, onPhone,
		chromedp.Navigate(e.http.URL+"/v/"),
		signInAs("vol1"),
		chromedp.WaitVisible(chromedp.CSS("#home-search")),
	)
	if err != nil {
		t.Fatal(err)
	}
	layout := run(t, ctx, chromedp.Evaluate[[]int](`[document.querySelectorAll("#buildings details").length,
	  document.querySelectorAll("#households button.home").length]`))
	if layout[0] != 30 || layout[1] != 0 {
		t.Errorf("list of 3,000: got %d buildings and %d households laid out, want 30 and none until one is opened", layout[0], layout[1])
	}
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`details[data-building="12"] summary`)),
		chromedp.WaitVisible(chromedp.CSS(`button[data-key="12-4-125"]`)))
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#households button.home").length`)); got != 100 {
		t.Errorf("building 12 opened: got %d households laid out, want its 100", got)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`details[data-building="12"] summary`))); !strings.Contains(got, "12栋") || !strings.Contains(got, "已完成 0 / 100") {
		t.Errorf("building 12 heading: got %q, want 12栋 and 已完成 0 / 100", got)
	}
	for _, tc := range []struct{ query, norm string }{{"12－3－11", "12-3-11"}, {"101", "101"}} {
		want := 0
		for _, k := range keys {
			if strings.Contains(k, tc.norm) {
				want++
			}
		}
		err := chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.getElementById("home-search").value = ""`),
			chromedp.SendKeys(chromedp.CSS("#home-search"), tc.query),
			chromedp.WaitVisible(chromedp.CSS("#search-results")),
		)
		if err != nil {
			t.Fatal(err)
		}
		got := run(t, ctx, chromedp.Evaluate[[]string](`[String(document.querySelectorAll("#search-results button.home").length),
		  document.getElementById("search-more").hidden ? "" : document.getElementById("search-more").textContent,
		  String(document.getElementById("buildings").hidden)]`))
		wantMore := ""
		if want > searchShownForTest {
			wantMore = fmt.Sprintf("另有 %d 户，请输入更完整的门牌号", want-searchShownForTest)
		}
		if got[0] != fmt.Sprint(min(want, searchShownForTest)) || got[1] != wantMore || got[2] != "true" {
			t.Errorf("search %q: got %v, want %d results, %q, buildings hidden", tc.query, got, min(want, searchShownForTest), wantMore)
		}
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("home-search").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#home-search"), "12-3-115"),
		chromedp.Click(chromedp.CSS(`#search-results button[data-key="12-3-115"]`)),
		chromedp.WaitVisible(chromedp.CSS("#start")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("#view h2"))); got != "住户 12-3-115" {
		t.Errorf("search result opened: got %q, want 住户 12-3-115", got)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}

// searchShownForTest is how many search results the app lays out (searchShown in
// static/v/views.js).
const searchShownForTest = 60

// TestPaperEveryOptionKeyed: in keyed entry every option of every question shows its
// key, and the 11th option of a question is picked with a.
func TestPaperEveryOptionKeyed(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.volunteer("vol1", community1)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.http.URL+"/paper"),
		signInAs("vol1"),
		chromedp.WaitVisible(chromedp.CSS("#q-q24")),
	)
	if err != nil {
		t.Fatal(err)
	}
	unkeyed := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#paper-questions fieldset.q")]
	  .filter((fs) => fs.querySelectorAll("input[type=radio], input[type=checkbox]").length !== fs.querySelectorAll("kbd").length)
	  .map((fs) => fs.dataset.q)`))
	if len(unkeyed) != 0 {
		t.Errorf("questions with options lacking a key: got %v, want none", unkeyed)
	}
	if got := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#q-q24 kbd")].map((k) => k.textContent)`)); strings.Join(got, "") != "1234567890a" {
		t.Errorf("q24 keys: got %v, want 1…9, 0, a", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS("#q-q24")),
		chromedp.KeyEvent("a"),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "a to tick 其他", `document.querySelector('#q-q24 input[value="other"]').checked`, 10*time.Second)
	// Three ticks at most: a fourth key is undone.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("123")); err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#q-q24 input:checked").length`)); got != 3 {
		t.Errorf("q24 after four keys: got %d ticks, want 3", got)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}
