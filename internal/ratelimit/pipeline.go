package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// maxPipeline is the most limit checks sent to Redis in one write.
const maxPipeline = 128

// maxFlushers is how many pipelines may be in flight at once: one, so that checks
// waiting while it is out all go in the next.
const maxFlushers = 1

// pipeliner is the Redis client redis_rate talks to. Limit checks that arrive while
// others are on their way to Redis are sent together, in one pipeline: one write and
// one read for many requests instead of one each. Under a burst that is most of the
// cost of a check, on both sides; a lone check goes out at once, as before. Every
// other command goes straight to the client.
type pipeliner struct {
	*redis.Client
	timeout time.Duration

	mu       sync.Mutex
	pending  []*pipelined
	flushers int
}

type pipelined struct {
	cmd  *redis.Cmd
	done chan struct{}
}

func newPipeliner(rdb *redis.Client, timeout time.Duration) *pipeliner {
	return &pipeliner{Client: rdb, timeout: timeout}
}

// EvalSha queues the script call for the next pipeline and waits for its reply, or
// for ctx to end.
func (p *pipeliner) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	cmdArgs := make([]any, 0, 3+len(keys)+len(args))
	cmdArgs = append(cmdArgs, "evalsha", sha1, len(keys))
	for _, k := range keys {
		cmdArgs = append(cmdArgs, k)
	}
	cmdArgs = append(cmdArgs, args...)
	call := &pipelined{cmd: redis.NewCmd(ctx, cmdArgs...), done: make(chan struct{})}
	p.mu.Lock()
	p.pending = append(p.pending, call)
	if p.flushers < maxFlushers {
		p.flushers++
		go p.flush()
	}
	p.mu.Unlock()
	select {
	case <-call.done:
		return call.cmd
	case <-ctx.Done():
		// The call may still reach Redis and spend a unit: a spent unit for a request
		// that was answered anyway is harmless.
		cmd := redis.NewCmd(ctx, cmdArgs...)
		cmd.SetErr(ctx.Err())
		return cmd
	}
}

// flush sends what is queued, a pipeline at a time, until nothing is.
func (p *pipeliner) flush() {
	for {
		p.mu.Lock()
		n := min(len(p.pending), maxPipeline)
		if n == 0 {
			p.flushers--
			p.mu.Unlock()
			return
		}
		batch := make([]*pipelined, n)
		copy(batch, p.pending)
		p.pending = append(p.pending[:0], p.pending[n:]...)
		p.mu.Unlock()

		ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
		pipe := p.Client.Pipeline()
		for _, c := range batch {
			_ = pipe.Process(ctx, c.cmd)
		}
		_, _ = pipe.Exec(ctx) // each command carries its own reply or error
		cancel()
		for _, c := range batch {
			close(c.done)
		}
	}
}
