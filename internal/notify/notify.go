// Package notify delivers problem reminders to a 企业微信 (WeCom) or 钉钉 (DingTalk)
// group robot: messages written to the outbox with the step that causes them are
// sent by a worker in the background, each once, with bounded retries.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"minyi/internal/problem"
	"minyi/internal/store"
)

// Assigned is the message queued when a problem is assigned; base is the service's
// public URL.
func Assigned(base string) func(problem.Problem) store.Message {
	return func(p problem.Problem) store.Message {
		title, body := problem.AssignedMessage(p, link(base, p.ID))
		return store.Message{Kind: "assigned", ProblemID: p.ID, Title: title, Body: body}
	}
}

// Overdue is the message queued on the first day a problem is overdue.
func Overdue(base string) func(problem.Problem) store.Message {
	return func(p problem.Problem) store.Message {
		title, body := problem.OverdueMessage(p, link(base, p.ID))
		return store.Message{Kind: "overdue", ProblemID: p.ID, Title: title, Body: body}
	}
}

func link(base string, id int64) string {
	return strings.TrimRight(base, "/") + "/problems/" + strconv.FormatInt(id, 10)
}

// Webhook posts messages to a group robot. DingTalk robots (oapi.dingtalk.com) take
// {"msgtype":"markdown","markdown":{"title","text"}}; WeCom robots and anything else
// take {"msgtype":"markdown","markdown":{"content"}}. Both answer {"errcode":0} when
// they accept a message.
type Webhook struct {
	URL    string
	Client *http.Client
}

// Send posts one message and returns an error unless the robot accepted it.
func (w Webhook) Send(ctx context.Context, m store.OutboxMessage) error {
	md := map[string]string{"content": m.Body}
	if u, err := url.Parse(w.URL); err == nil && strings.HasSuffix(u.Hostname(), "dingtalk.com") {
		md = map[string]string{"title": m.Title, "text": m.Body}
	}
	body, err := json.Marshal(map[string]any{"msgtype": "markdown", "markdown": md})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, "POST", w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := w.Client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook answered %s", res.Status)
	}
	var reply struct {
		Code *int   `json:"errcode"`
		Msg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &reply); err != nil || reply.Code == nil {
		return fmt.Errorf("webhook answered %.100q, not {\"errcode\":0}", raw)
	}
	if *reply.Code != 0 {
		return fmt.Errorf("webhook refused the message: errcode %d %s", *reply.Code, reply.Msg)
	}
	return nil
}

// MaxAttempts bounds the tries of one message.
const MaxAttempts = 8

// Backoff waits 30 s after the first failure and twice as long after each next one,
// up to MaxAttempts tries in all (about two hours).
func Backoff(attempts int) (time.Duration, bool) {
	if attempts >= MaxAttempts {
		return 0, false
	}
	return 30 * time.Second << (attempts - 1), true
}
