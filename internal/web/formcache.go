package web

import (
	"bytes"
	"strconv"
	"sync"
)

// formCache keeps the resident form rendered once per survey version and area: a
// poster campaign opens the same page thousands of times, and only the two hidden
// fields differ between views. The page is stored split around them.
type formCache struct {
	mu    sync.Mutex
	pages map[string][3][]byte
}

// Placeholders rendered into the cached page where the per-view values go.
const (
	clientIDMark = "minyi-client-id-placeholder-7f3e"
	startedMark  = "minyi-started-at-placeholder-7f3e"
)

const formCacheMax = 5000

func newFormCache() *formCache { return &formCache{pages: map[string][3][]byte{}} }

func formKey(p *formPage) string {
	return p.Survey.ID + "@" + strconv.Itoa(p.Survey.Version) + "/" + p.Area.Code + "/" + p.Area.Name +
		"/" + strconv.FormatBool(p.Area.InScope)
}

// page returns the form for p with p's client id and start time, rendering it with
// render only the first time.
func (fc *formCache) page(p *formPage, render func(*formPage) ([]byte, error)) ([]byte, error) {
	key := formKey(p)
	fc.mu.Lock()
	parts, ok := fc.pages[key]
	fc.mu.Unlock()
	if !ok {
		blank := *p
		blank.ClientID, blank.Started = clientIDMark, startedMark
		html, err := render(&blank)
		if err != nil {
			return nil, err
		}
		a, rest, ok1 := bytes.Cut(html, []byte(clientIDMark))
		b, c, ok2 := bytes.Cut(rest, []byte(startedMark))
		if !ok1 || !ok2 {
			return render(p)
		}
		parts = [3][]byte{a, b, c}
		fc.mu.Lock()
		if len(fc.pages) >= formCacheMax {
			clear(fc.pages)
		}
		fc.pages[key] = parts
		fc.mu.Unlock()
	}
	out := make([]byte, 0, len(parts[0])+len(parts[1])+len(parts[2])+64)
	out = append(out, parts[0]...)
	out = append(out, p.ClientID...)
	out = append(out, parts[1]...)
	out = append(out, p.Started...)
	return append(out, parts[2]...), nil
}
