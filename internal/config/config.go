// Package config reads minyi's settings from the environment, once, in main.
package config

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the static binary carries its own time zones
)

// Config is every setting of the service. Zero values are never used: Load fills
// defaults.
type Config struct {
	Addr        string // listen address, e.g. ":8080"
	PprofAddr   string // if set, where to serve net/http/pprof (keep it on loopback)
	MetricsAddr string // where to serve /metrics, apart from Addr; "off" for nowhere
	BaseURL     string // public URL that QR codes point to, without trailing slash
	DatabaseURL string
	RedisURL    string
	RedisPrefix string // namespace for every Redis key
	// Secret keys device cookies and hashes. Must be at least 32 bytes.
	Secret         []byte
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For is believed
	Location       *time.Location // where calendar days are counted
	SmallSample    int            // valid answers below which a figure is 样本不足
	DBTimeout      time.Duration  // deadline of every database call
	DBMaxConns     int32
	DrainDelay     time.Duration // how long /readyz says 503 before shutdown starts
	SubmitWorkers  int           // group-commit writers
	SubmitBatch    int           // most submissions in one commit
	FoldInterval   time.Duration // how often new responses are counted in the background
	SessionIdle    time.Duration // a session unused this long ends
	SessionMax     time.Duration // a session ends this long after sign-in, used or not
	// MigrateOnStart makes serve apply pending migrations before it listens (for one
	// machine and tests; a cluster migrates from its pre-deploy Job instead).
	MigrateOnStart bool
	// NotifyWebhook is a 企业微信 or 钉钉 group-robot URL that problem reminders go to;
	// "" sends none.
	NotifyWebhook string
	Limits        Limits
	WeChat        WeChat // residents inside WeChat, one answer per openid; off unless configured
	Flags         Flags
}

// Flags are the rules that hold a response for review (pending, not counted) instead
// of counting it.
type Flags struct {
	// MinFill: a resident's form sent less than this after the page was served is
	// too_fast. Zero turns the rule off.
	MinFill time.Duration
	// PerNet: resident answers for one area from one network (IPv4 /24, IPv6 /64)
	// beyond this many within an hour are net_burst.
	PerNet int
	// EntryPerHour: a signed-in entrant's entries beyond this many within an hour are
	// entry_burst (each row of a paper import is one entry).
	EntryPerHour int
	// FormTokenTTL: how long a form page's token may be used.
	FormTokenTTL time.Duration
}

// Limits are the request budgets, per minute.
type Limits struct {
	PerIP   int // submissions per client IP (lenient: carrier NAT)
	PerForm int // submissions per survey and area, against bursts
	PerUser int // submissions per signed-in account (token or session)
	// Sign-in attempts per quarter hour, per account and per client IP.
	LoginPerUser int
	LoginPerIP   int
}

// Load reads the configuration through getenv (os.Getenv in main).
func Load(getenv func(string) string) (Config, error) {
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	num := func(key string, def int) int {
		n, err := strconv.Atoi(get(key, strconv.Itoa(def)))
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s must be a positive integer", key))
		}
		return n
	}
	c := Config{
		Addr:          get("MINYI_ADDR", ":8080"),
		PprofAddr:     get("MINYI_PPROF_ADDR", ""),
		MetricsAddr:   get("MINYI_METRICS_ADDR", "127.0.0.1:9090"),
		BaseURL:       strings.TrimRight(get("MINYI_BASE_URL", "http://localhost:8080"), "/"),
		DatabaseURL:   get("DATABASE_URL", ""),
		RedisURL:      get("REDIS_URL", "redis://127.0.0.1:6379/0"),
		RedisPrefix:   get("MINYI_REDIS_PREFIX", "minyi:"),
		SmallSample:   num("MINYI_SMALL_SAMPLE", 30),
		DBMaxConns:    int32(num("MINYI_DB_MAX_CONNS", 20)),
		SubmitWorkers: num("MINYI_SUBMIT_WORKERS", 1),
		SubmitBatch:   num("MINYI_SUBMIT_BATCH", 256),
		Limits: Limits{
			PerIP:        num("MINYI_LIMIT_PER_IP", 120),
			PerForm:      num("MINYI_LIMIT_PER_FORM", 1200),
			PerUser:      num("MINYI_LIMIT_PER_USER", 600),
			LoginPerUser: num("MINYI_LIMIT_LOGIN_PER_USER", 10),
			LoginPerIP:   num("MINYI_LIMIT_LOGIN_PER_IP", 60),
		},
		Flags: Flags{
			PerNet:       num("MINYI_FLAG_PER_NET", 20),
			EntryPerHour: num("MINYI_FLAG_ENTRY_PER_HOUR", 30),
		},
	}
	switch v := get("MINYI_MIGRATE_ON_START", "0"); v {
	case "0", "1":
		c.MigrateOnStart = v == "1"
	default:
		errs = append(errs, errors.New("MINYI_MIGRATE_ON_START must be 0 or 1"))
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL is required"))
	}
	secret, err := hex.DecodeString(get("MINYI_SECRET", ""))
	if err != nil || len(secret) < 32 {
		errs = append(errs, errors.New("MINYI_SECRET must be at least 64 hex digits (e.g. openssl rand -hex 32)"))
	}
	c.Secret = secret
	if c.Location, err = time.LoadLocation(get("MINYI_TZ", "Asia/Shanghai")); err != nil {
		errs = append(errs, fmt.Errorf("MINYI_TZ: %w", err))
	}
	if c.DBTimeout, err = time.ParseDuration(get("MINYI_DB_TIMEOUT", "5s")); err != nil || c.DBTimeout <= 0 {
		errs = append(errs, errors.New("MINYI_DB_TIMEOUT must be a positive duration such as 5s"))
	}
	if c.FoldInterval, err = time.ParseDuration(get("MINYI_FOLD_INTERVAL", "2s")); err != nil || c.FoldInterval <= 0 {
		errs = append(errs, errors.New("MINYI_FOLD_INTERVAL must be a positive duration such as 1s"))
	}
	if c.SessionIdle, err = time.ParseDuration(get("MINYI_SESSION_IDLE", "2h")); err != nil || c.SessionIdle <= 0 {
		errs = append(errs, errors.New("MINYI_SESSION_IDLE must be a positive duration such as 2h"))
	}
	if c.SessionMax, err = time.ParseDuration(get("MINYI_SESSION_MAX", "12h")); err != nil || c.SessionMax <= 0 {
		errs = append(errs, errors.New("MINYI_SESSION_MAX must be a positive duration such as 12h"))
	}
	if c.Flags.MinFill, err = time.ParseDuration(get("MINYI_MIN_FILL", "30s")); err != nil || c.Flags.MinFill < 0 {
		errs = append(errs, errors.New("MINYI_MIN_FILL must be a duration such as 30s (0s turns too_fast off)"))
	}
	if c.Flags.FormTokenTTL, err = time.ParseDuration(get("MINYI_FORM_TOKEN_TTL", "24h")); err != nil || c.Flags.FormTokenTTL <= 0 {
		errs = append(errs, errors.New("MINYI_FORM_TOKEN_TTL must be a positive duration such as 24h"))
	}
	if c.DrainDelay, err = time.ParseDuration(get("MINYI_DRAIN_DELAY", "0s")); err != nil || c.DrainDelay < 0 {
		errs = append(errs, errors.New("MINYI_DRAIN_DELAY must be a duration such as 5s"))
	}
	c.NotifyWebhook = get("MINYI_NOTIFY_WEBHOOK", "")
	if u, err := url.Parse(c.NotifyWebhook); c.NotifyWebhook != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		errs = append(errs, errors.New("MINYI_NOTIFY_WEBHOOK must be an http(s) URL of a group robot"))
	}
	if c.WeChat, err = loadWeChat(get); err != nil {
		errs = append(errs, err)
	}
	for _, s := range strings.Split(get("MINYI_TRUSTED_PROXIES", ""), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			if a, aerr := netip.ParseAddr(s); aerr == nil {
				p, err = a.Prefix(a.BitLen())
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("MINYI_TRUSTED_PROXIES: %q is not an address or CIDR", s))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	return c, errors.Join(errs...)
}
