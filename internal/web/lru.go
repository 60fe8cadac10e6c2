package web

import (
	"container/list"
	"sync"
)

// lru is a map bounded by the total cost of its values: adding past maxCost drops
// the least recently used entries first, so a bound never empties the whole cache at
// once. Safe for concurrent use.
type lru[K comparable, V any] struct {
	mu      sync.Mutex
	maxCost int64
	cost    func(V) int64
	total   int64
	order   *list.List // of *lruEntry, most recently used first
	index   map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key  K
	val  V
	cost int64
}

func newLRU[K comparable, V any](maxCost int64, cost func(V) int64) *lru[K, V] {
	return &lru[K, V]{maxCost: maxCost, cost: cost, order: list.New(), index: map[K]*list.Element{}}
}

// get returns the value of k and marks it used.
func (c *lru[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.index[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry[K, V]).val, true
}

// put stores v under k, then drops least recently used entries until the total cost
// is within the bound again (a value costlier than the bound is not kept).
func (c *lru[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.index[k]; ok {
		c.remove(e)
	}
	ent := &lruEntry[K, V]{key: k, val: v, cost: c.cost(v)}
	c.index[k] = c.order.PushFront(ent)
	c.total += ent.cost
	for c.total > c.maxCost {
		c.remove(c.order.Back())
	}
}

func (c *lru[K, V]) remove(e *list.Element) {
	ent := c.order.Remove(e).(*lruEntry[K, V])
	delete(c.index, ent.key)
	c.total -= ent.cost
}

// len returns the number of entries and their total cost.
func (c *lru[K, V]) len() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.index), c.total
}
