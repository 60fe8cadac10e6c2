package web

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/area"
	"minyi/internal/qr"
	"minyi/internal/survey"
)

// FormURL is the address a poster's QR code encodes: the resident form of a survey
// for one area. It never names a round, so a printed poster stays valid from one
// round to the next; the server attaches each response to the round open when it
// arrives.
func FormURL(base, surveyID, areaCode string) string {
	return base + "/s/" + url.PathEscape(surveyID) + "/" + url.PathEscape(areaCode)
}

// qrCacheControl lets browsers and proxies keep a QR image for an hour: its content
// only depends on the base URL, the survey id and the area code.
const qrCacheControl = "public, max-age=3600"

var errBadSize = newError(400, "bad_request", "尺寸应在128到2048之间")

// parseSize reads the ?size= of a PNG: DefaultSize when empty, else a whole number
// of pixels in [qr.MinSize, qr.MaxSize]; errBadSize otherwise.
func parseSize(s string) (int, error) {
	if s == "" {
		return qr.DefaultSize, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < qr.MinSize || n > qr.MaxSize {
		return 0, errBadSize
	}
	return n, nil
}

// qrCode handles GET /qr/:survey/:file, where file is {area_code}.png or
// {area_code}.svg. ?size= sets a PNG's width in pixels; an SVG scales by itself.
// Returns survey.ErrNotFound for an unknown survey, area or file type.
func (s *Server) qrCode(c echo.Context) error {
	ctx := c.Request().Context()
	file := c.Param("file")
	dot := strings.LastIndexByte(file, '.')
	if dot <= 0 {
		return survey.ErrNotFound
	}
	code, ext := file[:dot], file[dot+1:]
	if ext != "png" && ext != "svg" {
		return survey.ErrNotFound
	}
	size := 0
	if ext == "png" { // checked before any database work
		var err error
		if size, err = parseSize(c.QueryParam("size")); err != nil {
			return err
		}
	}
	def, err := s.cache.Definition(ctx, c.Param("survey"), 0)
	if err != nil {
		return err
	}
	a, err := s.scopedArea(c, code)
	if err != nil {
		return err
	}
	if !a.InScope {
		return errOutOfScope // its form would say so: don't print a code that leads there
	}
	content := FormURL(s.cfg.BaseURL, def.ID, a.Code)

	var body []byte
	var ctype string
	if ext == "svg" {
		body, err = qr.SVG(content)
		ctype = "image/svg+xml"
	} else {
		body, err = qr.PNG(content, size)
		ctype = "image/png"
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", qrCacheControl)
	return c.Blob(200, ctype, body)
}

// PosterAreas picks from a subtree (its root first, as store.Subtree returns it) the
// areas that get a poster: the root alone when it is a community or village or has
// nothing below it, otherwise every in-scope community and village below, by code.
// An out-of-scope root gets none.
func PosterAreas(tree []area.Area) []area.Area {
	if len(tree) == 0 {
		return nil
	}
	root := tree[0]
	if root.IsCommunity() || len(tree) == 1 {
		if !root.InScope {
			return nil
		}
		return []area.Area{root}
	}
	var out []area.Area
	for _, a := range tree[1:] {
		if a.IsCommunity() && a.InScope {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b area.Area) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// posterSheet is what poster.html shows: one A4 poster per area.
type posterSheet struct {
	Title   string // of the HTML page
	Survey  string // survey title, printed on every poster
	Scope   string // the area asked for, e.g. 建外街道
	Posters []poster
}

type poster struct {
	Name    string // 光明社区
	Context string // 朝阳区 · 建外街道
	Code    string
	FormURL string
	QRSrc   string // the SVG route, relative to this site
}

// posters handles GET /posters/:survey/:area: a printable sheet of QR posters for a
// community, or for every in-scope community and village under a street, district
// or city. Returns survey.ErrNotFound for an unknown survey or area.
func (s *Server) posters(c echo.Context) error {
	ctx := c.Request().Context()
	def, err := s.cache.Definition(ctx, c.Param("survey"), 0)
	if err != nil {
		return err
	}
	root, err := s.scopedArea(c, c.Param("area"))
	if err != nil {
		return err
	}
	tree := []area.Area{root}
	if !root.IsCommunity() {
		if tree, err = s.store.Subtree(ctx, root.Code); err != nil {
			return err
		}
	}
	targets := PosterAreas(tree)
	if len(targets) == 0 {
		if root.IsCommunity() || len(tree) == 1 {
			return errOutOfScope
		}
		return s.render(c, 200, "notice.html", noticePage{
			Title:   "没有可打印的海报",
			Message: root.Name + "下没有纳入调查范围的社区或村，请先在区域表中导入社区（村）。",
		})
	}

	known := make(map[string]area.Area, len(tree))
	for _, a := range tree {
		known[a.Code] = a
	}
	sheet := posterSheet{
		Title:   root.Name + " 二维码海报 · " + def.Title,
		Survey:  def.Title,
		Scope:   root.Name,
		Posters: make([]poster, 0, len(targets)),
	}
	for _, a := range targets {
		where, err := s.placeOf(ctx, known, a)
		if err != nil {
			return err
		}
		sheet.Posters = append(sheet.Posters, poster{
			Name:    a.Name,
			Context: where,
			Code:    a.Code,
			FormURL: FormURL(s.cfg.BaseURL, def.ID, a.Code),
			QRSrc:   "/qr/" + url.PathEscape(def.ID) + "/" + url.PathEscape(a.Code) + ".svg",
		})
	}
	return s.render(c, 200, "poster.html", sheet)
}

// placeOf names where an area lies, e.g. "朝阳区 · 建外街道": its street or town and
// its district or county, top down. Ancestors outside the subtree come from the
// catalog, which caches them; a missing one just shortens the line.
func (s *Server) placeOf(ctx context.Context, known map[string]area.Area, a area.Area) (string, error) {
	var names []string
	code := a.ParentCode
	for depth := 0; code != "" && depth < 6; depth++ { // the bound only guards a corrupt tree
		p, ok := known[code]
		if !ok {
			var err error
			if p, err = s.cache.Area(ctx, code); errors.Is(err, survey.ErrNotFound) {
				break
			} else if err != nil {
				return "", err
			}
			known[code] = p
		}
		switch p.Kind {
		case "street", "town", "district", "county":
			names = append(names, p.Name)
		case "city", "province":
			code = ""
			continue
		}
		code = p.ParentCode
	}
	slices.Reverse(names)
	return strings.Join(names, " · "), nil
}
