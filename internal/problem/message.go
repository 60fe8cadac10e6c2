package problem

import (
	"fmt"
	"strings"
	"time"
)

// Messages go to a 企业微信 or 钉钉 group robot as markdown. Text from people is put on
// one line, cut short and stripped of markdown's marks, so that a description cannot
// reshape the message or hide a link.

// AssignedMessage is the reminder sent when a problem is assigned: its title and
// markdown body; link is the problem's page.
func AssignedMessage(p Problem, link string) (title, body string) {
	title = fmt.Sprintf("问题交办：%s %s", p.UnitName, p.Category)
	var b strings.Builder
	fmt.Fprintf(&b, "### 问题交办通知（#%d）\n", p.ID)
	fmt.Fprintf(&b, "> 承办单位：**%s**%s\n", plain(p.UnitName, 40), withAssignee(p.Assignee))
	fmt.Fprintf(&b, "> 问题区域：%s\n", plain(p.AreaName, 40))
	fmt.Fprintf(&b, "> 类别：%s（%s）\n", plain(p.Category, 40), p.Source.Label())
	if p.Due != nil {
		fmt.Fprintf(&b, "> 整改期限：<font color=\"warning\">%s</font>\n", p.Due.Format(time.DateOnly))
	}
	fmt.Fprintf(&b, "\n%s\n\n[查看并整改](%s)", plain(p.Description, 200), link)
	return title, b.String()
}

// OverdueMessage is the reminder sent on the first day a problem is overdue.
func OverdueMessage(p Problem, link string) (title, body string) {
	title = fmt.Sprintf("问题逾期：%s %s", p.UnitName, p.Category)
	var b strings.Builder
	fmt.Fprintf(&b, "### <font color=\"warning\">问题逾期提醒</font>（#%d）\n", p.ID)
	fmt.Fprintf(&b, "> 承办单位：**%s**%s\n", plain(p.UnitName, 40), withAssignee(p.Assignee))
	fmt.Fprintf(&b, "> 问题区域：%s\n", plain(p.AreaName, 40))
	fmt.Fprintf(&b, "> 类别：%s\n", plain(p.Category, 40))
	if p.Due != nil {
		fmt.Fprintf(&b, "> 整改期限：%s，已逾期，请尽快整改并反馈\n", p.Due.Format(time.DateOnly))
	}
	fmt.Fprintf(&b, "\n%s\n\n[查看并整改](%s)", plain(p.Description, 200), link)
	return title, b.String()
}

func withAssignee(a string) string {
	if a == "" {
		return ""
	}
	return "（" + plain(a, 20) + "）"
}

// markdownMarks are replaced by look-alikes or spaces in text from people.
var markdownMarks = strings.NewReplacer("\r", " ", "\n", " ", "\t", " ", "[", "【", "]", "】", "(", "（", ")", "）",
	"<", "‹", ">", "›", "*", "＊", "_", "＿", "`", "'", "#", "＃", "|", "｜", "~", "～")

// plain is s on one line without markdown marks, at most max characters.
func plain(s string, max int) string {
	s = strings.TrimSpace(markdownMarks.Replace(s))
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}
