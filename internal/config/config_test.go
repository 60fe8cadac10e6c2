package config

import "testing"

func TestMetricsAddr(t *testing.T) {
	for _, tc := range []struct{ env, want string }{
		{"", "127.0.0.1:9090"},
		{":9090", ":9090"},
		{"off", "off"},
	} {
		cfg, err := Load(func(k string) string {
			switch k {
			case "DATABASE_URL":
				return "postgres://unused"
			case "MINYI_SECRET":
				return "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
			case "MINYI_METRICS_ADDR":
				return tc.env
			}
			return ""
		})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.MetricsAddr != tc.want {
			t.Errorf("MINYI_METRICS_ADDR=%q: got %q, want %q", tc.env, cfg.MetricsAddr, tc.want)
		}
	}
}
