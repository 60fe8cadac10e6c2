package web

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/internal/account"
	"minyi/internal/stats"
	"minyi/internal/survey"
)

// TestBulletin prints the bulletin of street1 from responses with known figures, in
// a round that follows an earlier one.
func TestBulletin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	now := time.Now()
	prev, err := e.store.InsertPastRound(ctx, "chuangwen", e.round.VersionID, "上一轮",
		e.round.OpenedAt.Add(-15*24*time.Hour), e.round.OpenedAt.Add(-24*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	during := prev.OpenedAt.Add(time.Hour)
	// The previous round: half of 80 satisfied.
	seed(t, e, prev, community1, survey.ChannelQR, 40, during, satisfiedUnless(20))
	seed(t, e, prev, community2, survey.ChannelQR, 40, during, satisfiedUnless(20))
	// This round: 38/40, 30/40, 35/35 and a small 10/10; 江南新村社区 has nobody.
	xss := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	seed(t, e, e.round, community1, survey.ChannelQR, 40, now, func(i int) map[string]any {
		ch := satisfiedUnless(2)(i)
		if i == 39 {
			ch["q25"] = xss + " 电话13812345678"
		}
		return ch
	})
	seed(t, e, e.round, community2, survey.ChannelQR, 40, now, satisfiedUnless(10))
	seed(t, e, e.round, "990100001004", survey.ChannelQR, 35, now, nil)
	seed(t, e, e.round, "990100001003", survey.ChannelQR, 10, now, nil)

	newUser(t, e.store, "jd1", account.Official, street1)
	c := e.signIn("jd1")
	res, page := c.get("/bulletin?survey=chuangwen&area=" + street1)
	if res.StatusCode != 200 {
		t.Fatalf("bulletin: got %d %s", res.StatusCode, page)
	}
	// The sections by their headings: 一 to 六, then the problems and the 说明.
	sections := strings.Split(page, "<h2>")
	titled := map[string]string{}
	for _, sec := range sections[1:] {
		title, _, _ := strings.Cut(sec, "</h2>")
		titled[strings.SplitN(title, "、", 2)[0]] = sec
	}
	for _, title := range []string{"一", "二", "三", "四", "五", "六", "说明"} {
		if titled[title] == "" {
			t.Fatalf("bulletin: got sections %v, want %s among them", slices.Collect(maps.Keys(titled)), title)
		}
	}
	head, main, ranking, change, below, small, said, notes := sections[0], titled["一"], titled["二"], titled["三"], titled["四"],
		titled["五"], titled["六"], titled["说明"]
	overall := 113.0 / 125
	newcombe := stats.Compare(113, 125, 40, 80)
	for _, c := range []struct {
		where, text string
		want        []string
	}{
		{"title", head, []string{"创建全国文明城市群众满意度模拟测评通报（第2期）", "临江街道 · 测试轮 · " + chineseDate(now.In(e.cfg.Location)),
			"共收回有效答卷 <strong>125</strong> 份", `id="print"`}},
		{"headline", main, []string{fmt.Sprintf("<td>满意率</td><td class=\"num\">%.1f%%</td><td class=\"num\">125</td>", overall*100),
			"<td>扫码自填</td><td class=\"num\">125</td>", "<td>入户</td><td class=\"num\">0</td><td class=\"num\">—</td>"}},
		{"ranking", ranking, []string{"<h3>满意率（同级合并比率 90.4%）</h3>", "<li class=\"below\">滨河社区：75.0%（n=40，",
			"与同级无显著差异：2 个。", "样本不足、未参与比较：金沙社区（10）、江南新村社区（0）",
			"本轮无连续两轮显著低于同级或连续两轮同级末位的社区（村）。"}},
		{"change", change, []string{"上一轮（上一轮）", "<td class=\"num\">50.0%</td><td class=\"num\">90.4%</td><td class=\"num\">&#43;40.4个百分点</td><td class=\"num\">" +
			strings.ReplaceAll(stats.PointsInterval(*newcombe.Low, *newcombe.High), "+", "&#43;") + "</td><td><strong>显著</strong></td>",
			"<td>参与率</td>\n      <td class=\"num\">100.0%</td><td class=\"num\">100.0%</td><td class=\"num\">±0.0个百分点</td>"}},
		{"below target", below, []string{"以下 1 项", "<tr><td>滨河社区</td><td>满意率</td><td class=\"num\">75.0%</td><td class=\"num\">40</td>",
			"<td class=\"num below\">-20.0个百分点</td>"}},
		{"small samples", small, []string{"金沙社区（答卷 10 份）", "江南新村社区（答卷 0 份）"}},
		{"suggestions", said, []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; 电话138****5678"}},
		{"notes", notes, []string{"说明", "13/16=81.25%记为81.3%", "Newcombe", "显著低于同级", "本级"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.text, w) {
				t.Errorf("%s: want %q in\n%s", c.where, w, c.text)
			}
		}
	}
	// Nobody is above 90.4% by more than chance; 较差 is never printed.
	for _, block := range strings.Split(ranking, "<h3>")[1:] {
		name, _, _ := strings.Cut(block, "</h3>")
		above, below, _ := strings.Cut(block, "<h4>显著低于同级</h4>")
		wantBelow := 0
		if strings.HasPrefix(name, "满意率") {
			wantBelow = 1
		}
		if got := strings.Count(below, "<li"); got != wantBelow || strings.Count(above, "<li") != 0 {
			t.Errorf("tiers of %s: got %d below and %d above, want %d and 0", name, got, strings.Count(above, "<li"), wantBelow)
		}
	}
	if strings.Contains(page, "较差") {
		t.Errorf("bulletin: got 较差, want tiers")
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") || strings.Contains(page, "13812345678") {
		t.Errorf("bulletin: the suggestion's markup or phone number came through as is")
	}

	// The earlier round is the first bulletin, with nothing to compare with.
	_, first := c.get(fmt.Sprintf("/bulletin?survey=chuangwen&area=%s&round=%d", street1, prev.ID))
	for _, w := range []string{"（第1期）", "本轮为首轮测评，暂无上一轮数据。", "共收回有效答卷 <strong>80</strong> 份"} {
		if !strings.Contains(first, w) {
			t.Errorf("first bulletin: want %q", w)
		}
	}
	for _, p := range []string{"&round=all", "&channel=qr", "&round=x"} {
		if res, _ := c.get("/bulletin?survey=chuangwen&area=" + street1 + p); res.StatusCode != 400 {
			t.Errorf("bulletin with %s: got %d, want 400", p, res.StatusCode)
		}
	}
}

func TestBulletinTitle(t *testing.T) {
	for _, tc := range []struct {
		title string
		n     int
		want  string
	}{
		{"创建全国文明城市群众满意度模拟问卷", 3, "创建全国文明城市群众满意度模拟测评通报（第3期）"},
		{"文明城市满意度调查", 1, "文明城市满意度调查通报（第1期）"},
	} {
		if got := bulletinTitle(tc.title, tc.n); got != tc.want {
			t.Errorf("bulletinTitle(%q, %d): got %q, want %q", tc.title, tc.n, got, tc.want)
		}
	}
}

func TestCellText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@A1", "'@A1"}, {"\tx", "'\tx"}, {"\rx", "'\rx"},
		{"普通文字", "普通文字"}, {"", ""}, {"a=b", "a=b"},
	} {
		if got := cellText(tc.in); got != tc.want {
			t.Errorf("cellText(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}
