package web

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"minyi/internal/testenv"
)

// browser starts a headless Chromium for one test and collects its console errors
// and uncaught exceptions.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(testenv.Chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				mu.Lock()
				problems = append(problems, string(m.Type)+": "+m.Text)
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), problems...) }
}

// posterURL reads the form URL the way a phone does: from the QR code's pixels.
func posterURL(t *testing.T, e *testEnv, code string) string {
	t.Helper()
	_, raw := e.send("GET", "/qr/chuangwen/"+code+".png", nil, e.auth()...)
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("QR PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	got, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return got.GetText()
}

// TestResidentFormInBrowser scans a poster, answers on a phone-sized screen, meets the
// inline validation and show_if, submits, and finds the answer counted.
func TestResidentFormInBrowser(t *testing.T) {
	e := newEnv(t, nil, nil)
	url := posterURL(t, e, community1)
	if want := FormURL(e.http.URL, "chuangwen", community1); url != want {
		t.Fatalf("poster QR: got %s, want %s", url, want)
	}
	ctx, problems := browser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#survey-form button[type=submit]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	title := run(t, ctx, chromedp.Text(chromedp.CSS("h1")))
	place := run(t, ctx, chromedp.Text(chromedp.CSS(".place")))
	q27Hidden := run(t, ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS("#q-q27"), "hidden"))
	if title != "创建全国文明城市群众满意度模拟问卷" || place != "望江社区" {
		t.Errorf("page heading: got %q / %q, want the survey title and 望江社区", title, place)
	}
	if !q27Hidden {
		t.Errorf("q27 (phone) before q26 is answered: got visible, want hidden")
	}
	// Answer everything required but q4, and submit: the script stops it in the page.
	var clicks []chromedp.Action[chromedp.Void]
	for _, q := range e.def.Questions {
		if q.Required && q.ID != "q4" {
			clicks = append(clicks, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#q-%s input[value="%s"]`, q.ID, q.Options[0].ID))))
		}
	}
	clicks = append(clicks,
		chromedp.Click(chromedp.CSS(`#q-q24 input[value="parking"]`)),
		chromedp.SendKeys(chromedp.CSS(`#q-q25 textarea`), "希望增加停车位<script>alert(1)</script>"),
		chromedp.Click(chromedp.CSS(`#q-q26 input[value="yes"]`)),
	)
	if err := chromedp.Do(ctx, clicks...); err != nil {
		t.Fatal(err)
	}
	if run(t, ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS("#q-q27"), "hidden")) {
		t.Errorf("q27 after choosing 希望回访: got hidden, want shown")
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#q-q27 input`), "13800138000"),
		chromedp.Click(chromedp.CSS("#survey-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#q-q4.invalid")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if q4Error := run(t, ctx, chromedp.Text(chromedp.CSS("#err-q4"))); q4Error != "请选择一项" {
		t.Errorf("q4 error: got %q, want 请选择一项", q4Error)
	}
	if n := e.respondents(community1); n != 0 {
		t.Fatalf("respondents after a blocked submit: got %d, want 0", n)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#q-q4 input[value="know"]`)),
		chromedp.Click(chromedp.CSS("#survey-form button[type=submit]")),
	)
	if err == nil {
		err = waitLocation(ctx, "/thanks")
	}
	if err != nil {
		t.Fatal(err)
	}
	location := run(t, ctx, chromedp.Location())
	thanks := run(t, ctx, chromedp.Text(chromedp.CSS(".notice-page h1")))
	if !strings.HasSuffix(location, "/s/chuangwen/"+community1+"/thanks") || thanks != "提交成功" {
		t.Errorf("after submit: got %s %q, want the thank-you page", location, thanks)
	}
	if n := e.respondents(community1); n != 1 {
		t.Errorf("respondents after submit: got %d, want 1", n)
	}
	var phone, text string
	err = e.pool.QueryRow(context.Background(),
		`SELECT answers->>'q27', answers->>'q25' FROM responses`).Scan(&phone, &text)
	if err != nil || phone != "13800138000" || text != "希望增加停车位<script>alert(1)</script>" {
		t.Errorf("stored answers: got %q %q (%v), want the phone and the text verbatim", phone, text, err)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console: got %v, want no errors", p)
	}
}

// waitLocation waits until the page's location ends with suffix and its notice page is
// loaded. It asks again and again, one short question at a time, since a query sent
// while the page navigates fails or waits on the document it left.
func waitLocation(ctx context.Context, suffix string) error {
	for ctx.Err() == nil {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && strings.HasSuffix(loc, suffix) {
			loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && document.querySelector(".notice-page h1") !== null`))
			if err == nil && loaded {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ctx.Err()
}

// signInAs fills the sign-in page a guarded page sends the browser to, as username
// with testPassword.
func signInAs(username string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(".login-box input[name=username]")),
		chromedp.SendKeys(chromedp.CSS(".login-box input[name=username]"), username),
		chromedp.SendKeys(chromedp.CSS(".login-box input[name=password]"), testPassword),
		chromedp.Click(chromedp.CSS(".login-box button[type=submit]")),
	)
}

// run runs one browser action and returns its value, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
