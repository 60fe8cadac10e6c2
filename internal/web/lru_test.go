package web

import (
	"fmt"
	"sync"
	"testing"

	"minyi/internal/survey"
)

// TestLRU checks that the bound drops the least recently used entries, one at a
// time, and that an entry used again survives.
func TestLRU(t *testing.T) {
	c := newLRU[string](10, func(v int) int64 { return int64(v) })
	c.put("a", 4)
	c.put("b", 4)
	c.get("a") // a is now the most recently used
	c.put("c", 4)
	for _, tc := range []struct {
		key  string
		want bool
	}{{"a", true}, {"b", false}, {"c", true}} {
		if _, ok := c.get(tc.key); ok != tc.want {
			t.Errorf("get(%q): got present %v, want %v", tc.key, ok, tc.want)
		}
	}
	if n, cost := c.len(); n != 2 || cost != 8 {
		t.Errorf("len: got %d entries costing %d, want 2 costing 8", n, cost)
	}
	c.put("a", 6) // replacing a value counts its new cost only
	if n, cost := c.len(); n != 2 || cost != 10 {
		t.Errorf("after replacing a: got %d entries costing %d, want 2 costing 10", n, cost)
	}
	c.put("huge", 11)
	if n, cost := c.len(); n != 0 || cost != 0 {
		t.Errorf("after a value above the bound: got %d entries costing %d, want 0, 0", n, cost)
	}
}

// TestLRUConcurrent fills the cache from many goroutines and checks the bound holds.
func TestLRUConcurrent(t *testing.T) {
	c := newLRU[string](1000, func(v int) int64 { return int64(v) })
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				k := fmt.Sprint(g, "/", i%50)
				if _, ok := c.get(k); !ok {
					c.put(k, 7)
				}
			}
		}()
	}
	wg.Wait()
	if n, cost := c.len(); cost > 1000 || int64(n)*7 != cost {
		t.Errorf("got %d entries costing %d, want at most 1000 at 7 each", n, cost)
	}
}

// TestFormCacheBound checks that the form cache keeps its pages within formCacheBytes
// however many areas are opened: the oldest go, the newest stay.
func TestFormCacheBound(t *testing.T) {
	fc := newFormCache()
	page := make([]byte, 256<<10)
	for i := range page {
		page[i] = 'a' + byte(i%26)
	}
	render := func(name string, p *formPage) ([]byte, error) {
		if name == "form-sections" {
			return []byte("<section>questions</section>"), nil
		}
		return fmt.Appendf(nil, "%s\n%s\n<input value=%q><input value=%q><input value=%q>\n", page, p.SectionsMark, p.ClientID, p.Started, p.Token), nil
	}
	def := &survey.Definition{ID: "s", Version: 1}
	const areas = 300 // 300 x 256 KiB is past the bound
	for i := range areas {
		p := &formPage{Survey: def, ClientID: "c", Started: "s"}
		p.Area.Code = fmt.Sprint(i)
		if _, err := fc.page(p, false, render); err != nil {
			t.Fatal(err)
		}
	}
	n, cost := fc.pages.len()
	if cost > formCacheBytes || n == 0 || n >= areas {
		t.Errorf("got %d pages costing %d bytes, want some but fewer than %d within %d", n, cost, areas, formCacheBytes)
	}
	p := &formPage{Survey: def}
	p.Area.Code = fmt.Sprint(areas - 1)
	if _, ok := fc.pages.get(formKey(p)); !ok {
		t.Error("the most recently opened form is not cached")
	}
}
