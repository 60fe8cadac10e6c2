package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// adminHome handles GET /admin.
func (s *Server) adminHome(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}

// flashes are the messages shown after a change succeeded: the handler redirects
// with ?ok=KEY (and the named whole numbers), and the page shows the fixed message.
// Nothing the user typed is carried back.
var flashes = map[string]struct {
	msg  string
	nums []string
}{
	"user.create":  {"已创建用户。", nil},
	"user.update":  {"已保存用户信息；如修改了角色或区域，该用户需重新登录。", nil},
	"user.passwd":  {"已重置密码，该用户需用新密码重新登录。", nil},
	"user.disable": {"已停用该用户，其登录会话和访问令牌均已失效。", nil},
	"user.enable":  {"已启用该用户。", nil},
	"nochange":     {"没有需要保存的修改。", nil},
	"area.import":  {"区域导入完成：新增 %d 个，更新 %d 个。", []string{"created", "updated"}},
	"area.update":  {"已保存该区域的户数和调查范围。", nil},
	"survey.new":   {"问卷已导入，保存为第 %d 版。", []string{"v"}},
	"survey.same":  {"文件内容与已有的第 %d 版相同，未保存新版本。", []string{"v"}},
	"round.open":   {"已开启新一轮调查。", nil},
	"round.close":  {"已结束本轮调查。", nil},
}

// flash is the message a redirect after a change asked for, or "".
func flash(c echo.Context) string {
	f, ok := flashes[c.QueryParam("ok")]
	if !ok {
		return ""
	}
	args := make([]any, len(f.nums))
	for i, name := range f.nums {
		n, err := strconv.Atoi(c.QueryParam(name))
		if err != nil || n < 0 {
			return ""
		}
		args[i] = n
	}
	return fmt.Sprintf(f.msg, args...)
}

// done redirects to path after a change, asking it to show the flash message key;
// nums are name, value pairs of the numbers the message needs.
func done(c echo.Context, path, key string, nums ...any) error {
	q := url.Values{"ok": {key}}
	for i := 0; i+1 < len(nums); i += 2 {
		q.Set(fmt.Sprint(nums[i]), fmt.Sprint(nums[i+1]))
	}
	path, frag, _ := strings.Cut(path, "#")
	if frag != "" {
		frag = "#" + frag
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return c.Redirect(http.StatusSeeOther, path+sep+q.Encode()+frag)
}

// formValue is a form field with surrounding spaces removed.
func formValue(c echo.Context, name string) string {
	return strings.TrimSpace(c.FormValue(name))
}

// localTime formats t for the administration pages, in the service's time zone.
func (s *Server) localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.cfg.Location).Format("2006-01-02 15:04")
}
