package testenv

import "minyi/internal/config"

// Secret is the MINYI_SECRET tests run with.
const Secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

// Config returns the configuration of a service under test: the defaults with Secret,
// and settings, keyed by their environment variable, on top. Settings config.Load
// refuses are a fault of the test, and panic.
func Config(settings map[string]string) config.Config {
	base := map[string]string{"DATABASE_URL": "postgres://unused", "MINYI_SECRET": Secret}
	cfg, err := config.Load(func(k string) string {
		if v, ok := settings[k]; ok {
			return v
		}
		return base[k]
	})
	if err != nil {
		panic(err)
	}
	return cfg
}
