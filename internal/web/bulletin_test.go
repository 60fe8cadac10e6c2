package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi/internal/account"
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
	sections := strings.Split(page, "<h2>")
	if len(sections) != 7 {
		t.Fatalf("bulletin: got %d sections, want a head and 6", len(sections))
	}
	head, main, ranking, change, below, small, said := sections[0], sections[1], sections[2], sections[3], sections[4], sections[5], sections[6]
	overall := 113.0 / 125
	for _, c := range []struct {
		where, text string
		want        []string
	}{
		{"title", head, []string{"创建全国文明城市群众满意度模拟测评通报（第2期）", "临江街道 · 测试轮 · " + chineseDate(now.In(e.cfg.Location)),
			"共收回有效答卷 <strong>125</strong> 份", `id="print"`}},
		{"headline", main, []string{fmt.Sprintf("<td>满意率</td><td class=\"num\">%.1f%%</td><td class=\"num\">125</td>", overall*100),
			"<td>扫码自填</td><td class=\"num\">125</td>", "<td>入户</td><td class=\"num\">0</td><td class=\"num\">—</td>"}},
		{"ranking", ranking, []string{"<li>水岸社区：100.0%（n=35，", "<li>望江社区：95.0%（n=40，", "<li class=\"below\">滨河社区：75.0%（n=40，",
			"样本不足、未参与排名：金沙社区（10）、江南新村社区（0）"}},
		{"change", change, []string{"上一轮（上一轮）", "<td class=\"num\">50.0%</td><td class=\"num\">90.4%</td><td class=\"num\">&#43;40.4个百分点</td><td><strong>显著</strong>（p&lt;0.001）",
			"<td>参与率</td>\n      <td class=\"num\">100.0%</td><td class=\"num\">100.0%</td><td class=\"num\">&#43;0.0个百分点</td><td>不显著（p=1.000）"}},
		{"below target", below, []string{"以下 1 项", "<tr><td>滨河社区</td><td>满意率</td><td class=\"num\">75.0%</td><td class=\"num\">40</td>",
			"<td class=\"num below\">-20.0个百分点</td>"}},
		{"small samples", small, []string{"金沙社区（答卷 10 份）", "江南新村社区（答卷 0 份）"}},
		{"suggestions", said, []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; 电话138****5678"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.text, w) {
				t.Errorf("%s: want %q in\n%s", c.where, w, c.text)
			}
		}
	}
	// Best and worst are distinct, and where every ranked community is level nobody
	// is named worst.
	for _, block := range strings.Split(ranking, "<h3>")[1:] {
		name, _, _ := strings.Cut(block, "</h3>")
		best, worst, _ := strings.Cut(block, "<h4>较差</h4>")
		wantWorst := 0
		if name == "满意率" {
			wantWorst = 1
			if strings.Contains(best, "滨河社区") {
				t.Errorf("ranking of 满意率 names 滨河社区 among the best")
			}
		}
		if got := strings.Count(worst, "<li"); got != wantWorst {
			t.Errorf("ranking of %s names %d worst, want %d", name, got, wantWorst)
		}
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

func TestMaskPhones(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"请联系13812345678，谢谢", "请联系138****5678，谢谢"},
		{"+86 138-1234-5678", "138****5678"},
		{"８６１３８１２３４５６７８", "138****5678"},
		{"0571-88889999", "0571-****9999"},
		{"电话057188889999", "电话0571****9999"},
		{"010 12345678", "010 ****5678"},
		{"身份证330106199001011234", "身份证****1234"},
		{"1234567", "****4567"},
		{"5号楼2单元301室", "5号楼2单元301室"},
		{"2024年", "2024年"},
	} {
		if got := maskPhones(tc.in); got != tc.want {
			t.Errorf("maskPhones(%q): got %q, want %q", tc.in, got, tc.want)
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
