package web

import (
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"minyi/internal/store"
)

// publicPage is the 问效 page of an area: what was done about the problems residents
// raised, by category. It shows only the category, the public note and the day each
// was closed: nothing a resident wrote, no phone, no name.
type publicPage struct {
	Title    string
	Survey   string
	Area     string
	FormLink string
	Closed   int
	Groups   []publicGroup
}

type publicGroup struct {
	Category string
	Items    []publicItem
}

type publicItem struct {
	Note string
	Day  string
}

// publicProblemsMax is the most closed problems one page lists.
const publicProblemsMax = 100

// publicProblemsPage handles GET /p/:survey/:area, the 问效 page a thank-you page
// links to. It is rendered once a minute per area at most, and again after a problem
// is closed or reopened on this server.
func (s *Server) publicProblemsPage(c echo.Context) error {
	ctx := c.Request().Context()
	surveyID, code := c.Param("survey"), c.Param("area")
	html, ok := s.publicProblems.get(surveyID + "/" + code)
	if !ok {
		def, err := s.cache.Definition(ctx, surveyID, 0)
		if err != nil {
			return err
		}
		a, err := s.cache.Area(ctx, code)
		if err != nil {
			return err
		}
		list, err := s.store.ClosedProblems(ctx, a.Path, publicProblemsMax)
		if err != nil {
			return err
		}
		page := publicPage{Title: "问题整改公示", Survey: def.Title, Area: a.Name, Closed: len(list),
			FormLink: "/s/" + surveyID + "/" + code, Groups: s.publicGroups(list)}
		if html, err = s.renderBytes("problems_public.html", page); err != nil {
			return err
		}
		s.publicProblems.put(surveyID+"/"+code, html)
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return c.HTMLBlob(200, html)
}

// publicGroups groups closed problems by category, the categories in the order
// their latest closing came.
func (s *Server) publicGroups(list []store.ClosedProblem) []publicGroup {
	var out []publicGroup
	at := map[string]int{}
	for _, x := range list {
		i, ok := at[x.Category]
		if !ok {
			i = len(out)
			at[x.Category] = i
			out = append(out, publicGroup{Category: x.Category})
		}
		out[i].Items = append(out[i].Items, publicItem{Note: x.PublicNote,
			Day: x.ClosedAt.In(s.cfg.Location).Format("2006年1月2日")})
	}
	return out
}

// publicCache keeps rendered 问效 pages for a minute.
type publicCache struct {
	now   func() time.Time
	mu    sync.Mutex
	pages map[string]publicEntry
}

type publicEntry struct {
	html    []byte
	expires time.Time
}

const (
	publicTTL      = time.Minute
	publicCacheMax = 5000
)

func newPublicCache(now func() time.Time) *publicCache {
	return &publicCache{now: now, pages: map[string]publicEntry{}}
}

func (pc *publicCache) get(key string) ([]byte, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	e, ok := pc.pages[key]
	if !ok || !pc.now().Before(e.expires) {
		return nil, false
	}
	return e.html, true
}

func (pc *publicCache) put(key string, html []byte) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if len(pc.pages) >= publicCacheMax {
		clear(pc.pages)
	}
	pc.pages[key] = publicEntry{html: html, expires: pc.now().Add(publicTTL)}
}

// forget drops every page: a problem was closed or reopened.
func (pc *publicCache) forget() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	clear(pc.pages)
}
