package web

import (
	"os"
	"testing"

	"minyi/internal/testenv"
)

func TestMain(m *testing.M) {
	testenv.QuietRedisLogs()
	os.Exit(m.Run())
}
