package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestVolunteerReportsProblem: a volunteer on a visit reports a problem from the app;
// it arrives as the volunteer's own, from a visit, in the area entered.
func TestVolunteerReportsProblem(t *testing.T) {
	e := newEnv(t, nil, nil)
	token := e.volunteer("vol1", community1)
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(e.http.URL+"/v/"),
		signInAs("vol1"),
		chromedp.WaitVisible(chromedp.CSS("#key")),
		chromedp.Click(chromedp.CSS("#problem-report summary")),
		chromedp.WaitVisible(chromedp.CSS("#problem-text")),
		chromedp.SetValue(chromedp.CSS("#problem-category"), "飞线充电、消防通道堵塞"),
		chromedp.SendKeys(chromedp.CSS("#problem-text"), "5号楼有居民从窗口飞线给电动车充电"),
		chromedp.Click(chromedp.CSS("#problem-send")),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the report to be sent", `document.getElementById("problem-msg").textContent.startsWith("已上报问题")`, 10*time.Second)
	var list problemsReply
	e.getJSON("/api/v1/problems", &list, bearer(token)...)
	if len(list.Items) != 1 || list.Items[0].Source != "visit" || list.Items[0].Area.Code != community1 ||
		list.Items[0].Category != "飞线充电、消防通道堵塞" || !strings.Contains(list.Items[0].Description, "飞线") {
		t.Errorf("volunteer's problems: got %+v, want the report from the visit", list.Items)
	}
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}
