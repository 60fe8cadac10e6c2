package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/csvfile"
	"minyi/internal/intake"
	"minyi/internal/store"
	"minyi/internal/survey"
)

// apiError is what a user is told: a status, a stable machine code and a Chinese
// message, plus per-field messages for invalid answers.
type apiError struct {
	Status     int               `json:"-"`
	Code       string            `json:"error"`
	Message    string            `json:"message"`
	Fields     map[string]string `json:"fields,omitempty"`
	Lines      []string          `json:"lines,omitempty"`
	RetryAfter int               `json:"-"` // seconds, for 429 and 503

	// TotalErrors counts the bad lines of a file, of which Lines lists the first.
	TotalErrors int `json:"total_errors,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// sentinels maps domain errors to what users see. Unlisted errors are 500s.
var sentinels = []struct {
	err error
	api apiError
}{
	{survey.ErrNotFound, apiError{Status: 404, Code: "not_found", Message: "找不到该问卷或区域，请核对二维码或链接"}},
	{survey.ErrNoOpenRound, apiError{Status: 410, Code: "round_closed", Message: "本轮问卷调查已结束，感谢您的关注"}},
	{survey.ErrDuplicateDevice, apiError{Status: 409, Code: "duplicate_device", Message: "您已参与过本轮问卷，感谢您的支持"}},
	{survey.ErrDuplicateHousehold, apiError{Status: 409, Code: "duplicate_household", Message: "该户本轮已完成问卷，不能重复录入"}},
	{survey.ErrClientIDReused, apiError{Status: 409, Code: "conflict", Message: "该提交编号已用于另一份不同的答卷"}},
	{survey.ErrConflict, apiError{Status: 409, Code: "conflict", Message: "操作与现有数据冲突"}},
	{intake.ErrFormToken, errFormToken},
	{survey.ErrFormTokenUsed, errFormToken},
	{intake.ErrCrossSite, apiError{Status: 403, Code: "cross_site", Message: "请在本站的问卷页面填写并提交"}},
	{intake.ErrSignInRequired, apiError{Status: 401, Code: "unauthorized", Message: "入户或纸质录入需要登录后提交"}},
	{intake.ErrNotAssigned, apiError{Status: 403, Code: "not_assigned", Message: "您未被分派到该区域，或分派已过期，不能为其录入问卷"}},
	{intake.ErrOutOfScope, apiError{Status: 404, Code: "not_found", Message: "该区域不在本次问卷调查范围内"}},
}

// errFormToken is the reply to a resident's submission without a valid, unused form
// token: the page is too old, or was not ours.
var errFormToken = apiError{Status: 403, Code: "form_token", Message: "页面已过期，请刷新页面后重新填写"}

// toAPIError turns any error a handler returns into what the user is told.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var ve *survey.ValidationError
	if errors.As(err, &ve) {
		return &apiError{Status: 422, Code: "invalid", Message: "有题目未填写或填写有误，请检查标红的题目", Fields: ve.Fields}
	}
	var fe *intake.FieldError
	if errors.As(err, &fe) {
		return invalidField(fe.Field, fe.Message)
	}
	var le *intake.LimitError
	if errors.As(err, &le) {
		return rateLimited(le.RetryAfter)
	}
	if pe := problemError(err); pe != nil {
		return pe
	}
	var ie *csvfile.ImportError
	if errors.As(err, &ie) {
		lines := make([]string, len(ie.Lines))
		for i, l := range ie.Lines {
			lines[i] = l.String()
		}
		return &apiError{Status: 422, Code: "invalid_file", Message: "文件有错误，未导入任何数据", Lines: lines, TotalErrors: ie.Total}
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			e := s.api
			return &e
		}
	}
	if store.Unavailable(err) {
		return &apiError{Status: 503, Code: "unavailable", Message: "服务繁忙，请稍后再试，您填写的内容不会丢失", RetryAfter: 5}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return newError(404, "not_found", "页面不存在")
		case http.StatusMethodNotAllowed:
			return newError(405, "method_not_allowed", "不支持该请求方法")
		case http.StatusRequestEntityTooLarge:
			return newError(413, "too_large", "提交的内容过大")
		case http.StatusUnauthorized:
			return newError(401, "unauthorized", "需要有效的访问令牌")
		case http.StatusBadRequest:
			return newError(400, "bad_request", "请求格式有误")
		}
		if he.Code < 500 {
			return newError(he.Code, "bad_request", "请求有误")
		}
	}
	return newError(500, "internal", "服务器内部错误，请稍后再试")
}

// handleError is the one place where errors become responses: JSON under /api/ and
// for clients that ask for it, a friendly Chinese page elsewhere. Causes of 500s are
// logged, never shown.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	ae := toAPIError(err)
	req := c.Request()
	if ae.Status == 503 {
		s.log.Warn("database unavailable", "method", req.Method, "path", req.URL.Path, "err", err)
	} else if ae.Status >= 500 {
		s.log.Error("request failed", "method", req.Method, "path", req.URL.Path,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
	}
	if ae.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
	}
	if strings.HasPrefix(req.URL.Path, "/api/") || strings.Contains(req.Header.Get("Accept"), "application/json") {
		err = c.JSON(ae.Status, ae)
	} else {
		err = s.render(c, ae.Status, "notice.html", noticePage{Title: noticeTitle(ae), Message: ae.Message})
	}
	if err != nil {
		s.log.Error("writing error response", "err", err)
	}
}

func noticeTitle(ae *apiError) string {
	switch ae.Status {
	case 404:
		return "页面不存在"
	case 409:
		return "已参与"
	case 410:
		return "问卷已结束"
	case 429:
		return "请稍后再试"
	}
	if ae.Status >= 500 {
		return "服务暂时不可用"
	}
	return "提示"
}
