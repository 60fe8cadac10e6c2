// Package k8s holds the city deployment's manifests; its test renders them with
// kustomize, as `kubectl apply -k` would, and checks what a city relies on.
package k8s

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// manifests is one rendered kustomization, by kind and name.
type manifests map[string]map[string]any

func render(t *testing.T, dir string) manifests {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	rm, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out := manifests{}
	for _, r := range rm.Resources() {
		m, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		out[key(r)] = m
	}
	return out
}

func key(r *resource.Resource) string { return r.GetKind() + "/" + r.GetName() }

// get returns the object m names, failing the test if there is none.
func (m manifests) get(t *testing.T, kindName string) map[string]any {
	t.Helper()
	o, ok := m[kindName]
	if !ok {
		t.Fatalf("no %s in the rendered manifests", kindName)
	}
	return o
}

// at walks a path of map keys and list indexes through o; nil when absent.
func at(o any, path ...any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := o.(map[string]any)
			if !ok {
				return nil
			}
			o = m[p]
		case int:
			l, ok := o.([]any)
			if !ok || p >= len(l) {
				return nil
			}
			o = l[p]
		}
	}
	return o
}

func str(o any, path ...any) string { s, _ := at(o, path...).(string); return s }

func list(o any, path ...any) []any { l, _ := at(o, path...).([]any); return l }

// ingressPath is one path of an Ingress rule.
type ingressPath struct{ ingress, path, kind, bodySize string }

func ingressPaths(m manifests) []ingressPath {
	var out []ingressPath
	for k, o := range m {
		if !strings.HasPrefix(k, "Ingress/") {
			continue
		}
		size := str(o, "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-body-size")
		for _, rule := range list(o, "spec", "rules") {
			for _, p := range list(rule, "http", "paths") {
				out = append(out, ingressPath{str(o, "metadata", "name"), str(p, "path"), str(p, "pathType"), size})
			}
		}
	}
	return out
}

// route returns the Ingress path that serves the request path p, as Kubernetes
// matches them: an Exact path first, else the longest Prefix by whole segments.
func route(paths []ingressPath, p string) (ingressPath, bool) {
	var best ingressPath
	found := false
	for _, ip := range paths {
		switch ip.kind {
		case "Exact":
			if ip.path == p {
				return ip, true
			}
		case "Prefix":
			pre := strings.TrimSuffix(ip.path, "/")
			if (p == pre || strings.HasPrefix(p, pre+"/") || pre == "") && len(ip.path) > len(best.path) {
				best, found = ip, true
			}
		}
	}
	return best, found
}

// webSource is the Go source of minyi's web package, tests left out.
func webSource(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("../../internal/web/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in internal/web: %v", err)
	}
	var src strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	return src.String()
}

// minyiRoutes reads the paths registered directly on the echo instance in minyi's
// web package (e.GET("/x/:id", ...)) and under its groups (e.Group("/api/v1")), each
// as a request path with its parameters filled in.
func minyiRoutes(t *testing.T) []string {
	t.Helper()
	re := regexp.MustCompile(`\be\.(GET|POST|PUT|PATCH|DELETE|Any|Group)\("([^"]+)"`)
	param := regexp.MustCompile(`:[a-z_]+|\*`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(webSource(t), -1) {
		p := param.ReplaceAllString(m[2], "x")
		if m[1] == "Group" {
			p += "/x"
		}
		out = append(out, p)
	}
	if len(out) < 40 {
		t.Fatalf("found only %d routes in internal/web; is the pattern still right?", len(out))
	}
	return out
}

// internalOnly are minyi's paths that must never be reachable from outside.
var internalOnly = []string{"/metrics", "/healthz", "/readyz"}

// uploads returns minyi's routes that take bodies of a megabyte or more, with the
// size in megabytes: those registered with their own BodyLimit("NM"), and the admin
// uploads, whose limit is the upload middleware of routes_admin.go.
func uploads(t *testing.T) map[string]int {
	t.Helper()
	src := webSource(t)
	out := map[string]int{}
	re := regexp.MustCompile(`\be\.(?:POST|PUT)\("([^"]+)"[^\n]*BodyLimit\("(\d+)M"\)`)
	for _, m := range re.FindAllStringSubmatch(src, -1) {
		out[m[1]], _ = strconv.Atoi(m[2])
	}
	admin := regexp.MustCompile(`upload := [^\n]*BodyLimit\("(\d+)M"\)`).FindStringSubmatch(src)
	for _, p := range []string{"/admin/areas/import", "/admin/surveys/import"} {
		if admin == nil || !strings.Contains(src, `e.POST("`+p+`"`) {
			t.Fatalf("the admin upload %s or its upload middleware is gone from internal/web", p)
		}
		out[p], _ = strconv.Atoi(admin[1])
	}
	if len(out) < 5 {
		t.Fatalf("found %d upload routes, want the 5 CSV and YAML imports at least: %v", len(out), out)
	}
	return out
}

func TestIngressRoutes(t *testing.T) {
	m := render(t, ".")
	paths := ingressPaths(m)
	for _, p := range minyiRoutes(t) {
		ip, ok := route(paths, p)
		switch {
		case slices.Contains(internalOnly, p):
			if ok {
				t.Errorf("%s is routed from outside by %s %s", p, ip.ingress, ip.path)
			}
		case !ok:
			t.Errorf("minyi serves %s but no Ingress path routes it; add its first segment to ingress.yaml", p)
		}
	}
	for _, p := range []string{"/metrics", "/healthz", "/readyz", "/metrics/x", "/debug/pprof/"} {
		if ip, ok := route(paths, p); ok {
			t.Errorf("%s is routed from outside by %s %s", p, ip.ingress, ip.path)
		}
	}
	// Each path in one Ingress only: ingress-nginx keeps one of two equal locations.
	seen := map[string]string{}
	for _, ip := range paths {
		k := ip.kind + " " + ip.path
		if prev, ok := seen[k]; ok {
			t.Errorf("%s is in both %s and %s", k, prev, ip.ingress)
		}
		seen[k] = ip.ingress
		if ip.kind == "Exact" {
			seen["Prefix "+ip.path] = ip.ingress
		}
	}
}

func TestBodyLimits(t *testing.T) {
	m := render(t, ".")
	paths := ingressPaths(m)
	param := regexp.MustCompile(`:[a-z_]+`)
	for p, mb := range uploads(t) {
		sample := param.ReplaceAllString(p, "1")
		ip, ok := route(paths, sample)
		size, _ := strconv.Atoi(strings.TrimSuffix(ip.bodySize, "m"))
		if !ok || !strings.HasSuffix(ip.bodySize, "m") || size < mb || ip.ingress != "minyi-upload" {
			t.Errorf("%s takes %d MB but is routed by %+v; want minyi-upload with at least %dm", p, mb, ip, mb)
		}
	}
	for _, p := range []string{"/s/chuangwen/990100001001", "/api/v1/responses", "/login", "/admin/users", "/api/v1/indicators"} {
		if ip, ok := route(paths, p); !ok || ip.bodySize != "64k" {
			t.Errorf("%s: routed by %+v, want a 64k body limit", p, ip)
		}
	}
}

func TestPostgreSQL(t *testing.T) {
	m := render(t, ".")
	c := m.get(t, "Cluster/minyi-pg")
	if got := at(c, "spec", "instances"); got != 3 {
		t.Errorf("instances: got %v, want 3", got)
	}
	sync := at(c, "spec", "postgresql", "synchronous")
	if str(sync, "method") != "any" || at(sync, "number") != 1 || str(sync, "dataDurability") != "required" {
		t.Errorf("synchronous: got %v, want method any, number 1, dataDurability required", sync)
	}
	if str(c, "apiVersion") != "postgresql.cnpg.io/v1" {
		t.Errorf("Cluster apiVersion %s", str(c, "apiVersion"))
	}
	var store string
	for _, p := range list(c, "spec", "plugins") {
		if str(p, "name") == "barman-cloud.cloudnative-pg.io" && at(p, "isWALArchiver") == true {
			store = str(p, "parameters", "barmanObjectName")
		}
	}
	if store == "" {
		t.Fatal("no WAL archiver plugin (barman-cloud.cloudnative-pg.io, isWALArchiver) on the Cluster")
	}
	os := m.get(t, "ObjectStore/"+store)
	if !strings.HasPrefix(str(os, "spec", "configuration", "destinationPath"), "s3://") || str(os, "spec", "retentionPolicy") == "" {
		t.Errorf("ObjectStore %s: want an s3:// destination and a retention policy, got %v", store, at(os, "spec"))
	}
	sb := m.get(t, "ScheduledBackup/minyi-pg-daily")
	fields := strings.Fields(str(sb, "spec", "schedule"))
	if len(fields) != 6 || fields[3] != "*" || fields[4] != "*" || fields[5] != "*" {
		t.Errorf("ScheduledBackup schedule %q: want a daily six-field cron", str(sb, "spec", "schedule"))
	}
	if str(sb, "spec", "cluster", "name") != "minyi-pg" || str(sb, "spec", "method") != "plugin" ||
		str(sb, "spec", "pluginConfiguration", "name") != "barman-cloud.cloudnative-pg.io" {
		t.Errorf("ScheduledBackup: got %v, want the plugin method on minyi-pg", at(sb, "spec"))
	}
	size := str(c, "spec", "storage", "size")
	if n, _ := strconv.Atoi(strings.TrimSuffix(size, "Gi")); n < 40 {
		t.Errorf("data volume %s: want at least 40Gi (docs/deploy.md, Sizing)", size)
	}
}

func TestPoolerAndMigrations(t *testing.T) {
	m := render(t, ".")
	p := m.get(t, "Pooler/minyi-pg-pooler-rw")
	mode := str(p, "spec", "pgbouncer", "poolMode")
	prepared, _ := strconv.Atoi(str(p, "spec", "pgbouncer", "parameters", "max_prepared_statements"))
	if str(p, "spec", "cluster", "name") != "minyi-pg" || str(p, "spec", "type") != "rw" {
		t.Errorf("Pooler: got %v, want type rw on minyi-pg", at(p, "spec"))
	}
	if mode != "session" && !(mode == "transaction" && prepared > 0) {
		t.Errorf("Pooler mode %s with max_prepared_statements %d: pgx's prepared statements need session mode or max_prepared_statements > 0", mode, prepared)
	}
	web := env(t, m.get(t, "Deployment/minyi"), "minyi")
	if !strings.Contains(web["DATABASE_URL"], "@minyi-pg-pooler-rw:") && !strings.Contains(web["DATABASE_URL"], "//minyi-pg-pooler-rw:") {
		t.Errorf("the web pods' DATABASE_URL %q does not go through the pooler", web["DATABASE_URL"])
	}
	if _, ok := web["MINYI_MIGRATE_ON_START"]; ok {
		t.Error("the web pods set MINYI_MIGRATE_ON_START: migrations belong to the migrate Job")
	}
	job := env(t, m.get(t, "Job/minyi-migrate"), "migrate")
	if job["DATABASE_URL"] != "secret minyi-pg-app uri" {
		t.Errorf("the migrate Job's DATABASE_URL is %q, want the primary (secret minyi-pg-app uri), bypassing the pooler", job["DATABASE_URL"])
	}
	if !slices.Equal(strs(at(m.get(t, "Job/minyi-migrate"), "spec", "template", "spec", "containers", 0, "args")), []string{"migrate"}) {
		t.Error("the migrate Job does not run minyi migrate")
	}
}

// env returns the environment of a workload's container by name: literal values, or
// "secret NAME KEY" for a secretKeyRef.
func env(t *testing.T, o map[string]any, container string) map[string]string {
	t.Helper()
	for _, c := range list(o, "spec", "template", "spec", "containers") {
		if str(c, "name") != container {
			continue
		}
		out := map[string]string{}
		for _, e := range list(c, "env") {
			if ref := at(e, "valueFrom", "secretKeyRef"); ref != nil {
				out[str(e, "name")] = "secret " + str(ref, "name") + " " + str(ref, "key")
			} else {
				out[str(e, "name")] = str(e, "value")
			}
		}
		return out
	}
	t.Fatalf("%s has no container %s", str(o, "metadata", "name"), container)
	return nil
}

func strs(o any) []string {
	var out []string
	for _, v := range list(o) {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

func TestWebPods(t *testing.T) {
	m := render(t, ".")
	d := m.get(t, "Deployment/minyi")
	pdb := m.get(t, "PodDisruptionBudget/minyi")
	if at(pdb, "spec", "maxUnavailable") != 1 || at(pdb, "spec", "minAvailable") != nil {
		t.Errorf("PDB: got %v, want maxUnavailable 1", at(pdb, "spec"))
	}
	if fmt.Sprint(at(pdb, "spec", "selector", "matchLabels")) != fmt.Sprint(at(d, "spec", "selector", "matchLabels")) {
		t.Errorf("PDB selector %v does not match the Deployment's %v", at(pdb, "spec", "selector"), at(d, "spec", "selector"))
	}
	for _, k := range []string{"Deployment/minyi", "Deployment/minyi-redis"} {
		for _, c := range list(m.get(t, k), "spec", "template", "spec", "containers") {
			req, lim := str(c, "resources", "requests", "memory"), str(c, "resources", "limits", "memory")
			if req == "" || req != lim {
				t.Errorf("%s container %s: memory request %q, limit %q; want them equal", k, str(c, "name"), req, lim)
			}
		}
	}
	c := at(d, "spec", "template", "spec", "containers", 0)
	e := env(t, d, "minyi")
	limit := mebibytes(t, str(c, "resources", "limits", "memory"))
	if soft := mebibytes(t, e["GOMEMLIMIT"]); soft <= 0 || soft > limit*9/10 {
		t.Errorf("GOMEMLIMIT %s: want it at most 90%% of the memory limit %dMi", e["GOMEMLIMIT"], limit)
	}
	if e["MINYI_METRICS_ADDR"] != ":9090" {
		t.Errorf("MINYI_METRICS_ADDR = %q, want :9090", e["MINYI_METRICS_ADDR"])
	}
	var metricsPort bool
	for _, p := range list(c, "ports") {
		metricsPort = metricsPort || (str(p, "name") == "metrics" && at(p, "containerPort") == 9090)
	}
	sm := m.get(t, "ServiceMonitor/minyi")
	if !metricsPort || str(sm, "spec", "endpoints", 0, "port") != "metrics" {
		t.Errorf("metrics: container port named metrics on 9090 %v, ServiceMonitor port %q", metricsPort, str(sm, "spec", "endpoints", 0, "port"))
	}
	// Exports write temporary files: TMPDIR on a disk volume with a bound.
	var tmpMount string
	for _, vm := range list(c, "volumeMounts") {
		if str(vm, "mountPath") == e["TMPDIR"] {
			tmpMount = str(vm, "name")
		}
	}
	var sizeLimit string
	for _, v := range list(d, "spec", "template", "spec", "volumes") {
		if str(v, "name") == tmpMount && at(v, "emptyDir") != nil && str(v, "emptyDir", "medium") == "" {
			sizeLimit = str(v, "emptyDir", "sizeLimit")
		}
	}
	if n, _ := strconv.Atoi(strings.TrimSuffix(sizeLimit, "Gi")); e["TMPDIR"] == "" || n < 3 {
		t.Errorf("TMPDIR %q on volume %q with sizeLimit %q: want a disk emptyDir of at least 3Gi (a largest XLSX export is ~2.1 GB)", e["TMPDIR"], tmpMount, sizeLimit)
	}
	r := m.get(t, "Deployment/minyi-redis")
	args := strings.Join(strs(at(r, "spec", "template", "spec", "containers", 0, "args")), " ")
	if !strings.Contains(args, "--appendonly no") || !strings.Contains(args, `--save `) || list(r, "spec", "template", "spec", "volumes") == nil ||
		at(r, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim") != nil {
		t.Errorf("Redis: args %q; want no AOF, no snapshots and no persistent volume", args)
	}
	if _, ok := m["StatefulSet/minyi-redis"]; ok {
		t.Error("Redis is still a StatefulSet")
	}
}

func mebibytes(t *testing.T, q string) int {
	t.Helper()
	for suffix, mul := range map[string]int{"Mi": 1, "MiB": 1, "Gi": 1024, "GiB": 1024} {
		if n, err := strconv.Atoi(strings.TrimSuffix(q, suffix)); err == nil && strings.HasSuffix(q, suffix) {
			return n * mul
		}
	}
	t.Fatalf("cannot read %q as mebibytes", q)
	return 0
}

func TestNetworkPolicy(t *testing.T) {
	m := render(t, ".")
	selects := func(np map[string]any, labels map[string]string) bool {
		for k, v := range at(np, "spec", "podSelector", "matchLabels").(map[string]any) {
			if labels[k] != v {
				return false
			}
		}
		return true
	}
	web := map[string]string{"app.kubernetes.io/name": "minyi", "app.kubernetes.io/component": "web"}
	redis := map[string]string{"app.kubernetes.io/name": "minyi-redis"}
	found := map[string]map[string]any{}
	for k, o := range m {
		if !strings.HasPrefix(k, "NetworkPolicy/") {
			continue
		}
		for name, l := range map[string]map[string]string{"web": web, "redis": redis} {
			if selects(o, l) {
				found[name] = o
			}
		}
	}
	if found["web"] == nil || found["redis"] == nil {
		t.Fatalf("NetworkPolicies for the web pods %v and Redis %v: want both", found["web"] != nil, found["redis"] != nil)
	}
	for _, rule := range list(found["redis"], "spec", "ingress") {
		for _, from := range list(rule, "from") {
			if fmt.Sprint(at(from, "podSelector", "matchLabels")) != fmt.Sprint(map[string]any{"app.kubernetes.io/name": "minyi", "app.kubernetes.io/component": "web"}) {
				t.Errorf("Redis admits %v; want the minyi web pods only", from)
			}
		}
	}
}

// alerts the on-call needs, each with a runbook section.
var alerts = []string{"MinyiAllReplicasUnready", "MinyiHigh5xx", "MinyiHigh429", "MinyiSubmitSlow",
	"MinyiFoldBacklog", "MinyiDBPoolWaits", "MinyiRedisFallback", "MinyiOOMKilled", "MinyiHPAAtMax",
	"MinyiReplicationLag", "MinyiWALArchiveFailing", "MinyiBackupTooOld", "MinyiVolumeFilling"}

func TestAlertsHaveRunbooks(t *testing.T) {
	m := render(t, ".")
	runbooks, err := os.ReadFile("../../docs/runbooks.md")
	if err != nil {
		t.Fatal(err)
	}
	headings := map[string]bool{}
	for _, line := range strings.Split(string(runbooks), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			headings[strings.ToLower(strings.TrimSpace(h))] = true
		}
	}
	got := map[string]string{}
	for _, g := range list(m.get(t, "PrometheusRule/minyi"), "spec", "groups") {
		for _, r := range list(g, "rules") {
			got[str(r, "alert")] = str(r, "annotations", "runbook_url")
			if str(r, "expr") == "" || str(r, "labels", "severity") == "" {
				t.Errorf("alert %s: want an expr and a severity", str(r, "alert"))
			}
		}
	}
	for _, a := range alerts {
		url, ok := got[a]
		_, anchor, _ := strings.Cut(url, "#")
		switch {
		case !ok:
			t.Errorf("no alert %s", a)
		case anchor != strings.ToLower(a) || !headings[anchor]:
			t.Errorf("alert %s: runbook_url %q; want #%s and a section \"## %s\" in docs/runbooks.md", a, url, strings.ToLower(a), a)
		}
	}
}

func TestFirstDeploy(t *testing.T) {
	m := render(t, "first-deploy")
	admin := m.get(t, "Job/minyi-first-admin")
	c := at(admin, "spec", "template", "spec", "containers", 0)
	args := strs(at(c, "args"))
	i := slices.Index(args, "--password-file")
	if i < 0 || i+1 >= len(args) || args[0] != "user" || args[1] != "create" || !slices.Contains(args, "admin") {
		t.Fatalf("first admin Job args %v: want user create ... --password-file FILE", args)
	}
	dir := filepath.Dir(args[i+1])
	var mounted bool
	for _, vm := range list(c, "volumeMounts") {
		mounted = mounted || str(vm, "mountPath") == dir
	}
	if !mounted {
		t.Errorf("the password file %s is not on a mounted volume", args[i+1])
	}
	tok := strs(at(m.get(t, "Job/minyi-first-token"), "spec", "template", "spec", "containers", 0, "args"))
	if !slices.Equal(tok[:2], []string{"token", "create"}) || !slices.Contains(tok, "--user") || !slices.Contains(tok, "--name") {
		t.Errorf("token Job args %v: want token create --user U --name N", tok)
	}
	for k, o := range m {
		for _, c := range list(o, "spec", "template", "spec", "containers") {
			if cmd := list(c, "command"); cmd != nil {
				t.Errorf("%s runs command %v: the distroless image has nothing but /minyi", k, cmd)
			}
		}
	}
}

// TestRendersAsYAML checks that both kustomizations print, every object in minyi's namespace.
func TestRendersAsYAML(t *testing.T) {
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	for _, dir := range []string{".", "first-deploy"} {
		rm, err := k.Run(filesys.MakeFsOnDisk(), dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rm.AsYaml(); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, r := range rm.Resources() {
			if r.GetNamespace() != "minyi" && r.GetKind() != "Namespace" {
				t.Errorf("%s: %s/%s is in namespace %q, want minyi", dir, r.GetKind(), r.GetName(), r.GetNamespace())
			}
		}
	}
}
