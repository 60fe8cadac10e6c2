// Command vulndb builds a govulncheck database (the v1 layout that `govulncheck -db
// file://DIR` reads) from the OSV files of the golang.org/x/vulndb module, so that
// `make test` can check for known vulnerabilities with only the Go module proxy
// reachable. scripts/vulncheck.sh pins the vulndb version.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// entry is the part of an OSV entry the index needs.
type entry struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
	Affected []struct {
		Package struct {
			Name      string `json:"name"`
			Ecosystem string `json:"ecosystem"`
		} `json:"package"`
	} `json:"affected"`
}

type moduleVuln struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

func main() {
	src := flag.String("src", "", "directory of the golang.org/x/vulndb module")
	out := flag.String("out", "", "directory to write the database to")
	acceptFile := flag.String("accept", "", "file of reviewed vulnerability IDs to leave out, one per line with the reason")
	flag.Parse()
	accepted := readAccepted(*acceptFile)
	if *src == "" || *out == "" {
		log.Fatal("usage: vulndb -src VULNDB_MODULE_DIR -out DIR")
	}
	files, err := filepath.Glob(filepath.Join(*src, "data", "osv", "GO-*.json"))
	if err != nil || len(files) == 0 {
		log.Fatalf("no OSV files under %s/data/osv: %v", *src, err)
	}
	if err := os.MkdirAll(filepath.Join(*out, "index"), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(*out, "ID"), 0o755); err != nil {
		log.Fatal(err)
	}
	modules := map[string]*module{}
	latest := ""
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			log.Fatalf("%s: %v", f, err)
		}
		if err := os.WriteFile(filepath.Join(*out, "ID", e.ID+".json"), raw, 0o644); err != nil {
			log.Fatal(err)
		}
		latest = max(latest, e.Modified)
		if reason, ok := accepted[e.ID]; ok {
			log.Printf("vulndb: accepted %s: %s", e.ID, reason)
			continue
		}
		for _, a := range e.Affected {
			m := modules[a.Package.Name]
			if m == nil {
				m = &module{Path: a.Package.Name}
				modules[a.Package.Name] = m
			}
			if !slices.ContainsFunc(m.Vulns, func(v moduleVuln) bool { return v.ID == e.ID }) {
				m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified})
			}
		}
	}
	list := make([]*module, 0, len(modules))
	for _, m := range modules {
		list = append(list, m)
	}
	slices.SortFunc(list, func(a, b *module) int { return strings.Compare(a.Path, b.Path) })
	write(filepath.Join(*out, "index", "modules.json"), list)
	write(filepath.Join(*out, "index", "db.json"), map[string]string{"modified": latest})
	log.Printf("vulndb: %d entries, %d modules", len(files), len(list))
}

// readAccepted reads "ID reason" lines; # starts a comment.
func readAccepted(path string) map[string]string {
	out := map[string]string{}
	if path == "" {
		return out
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			log.Fatalf("%s: %s has no reason", path, id)
		}
		out[id] = reason
	}
	return out
}

func write(path string, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		log.Fatal(err)
	}
}
