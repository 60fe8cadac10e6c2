package web

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/csvfile"
	"minyi/internal/household"
)

// householdRow is a listed household with the area it belongs to.
type householdRow struct {
	Area string `json:"area"`
	household.Household
}

// listHouseholds handles GET /api/v1/households?area=CODE: the household lists of
// the area's subtree, within the caller's jurisdiction.
func (s *Server) listHouseholds(c echo.Context) error {
	list, err := s.householdsUnder(c, c.QueryParam("area"))
	if err != nil {
		return err
	}
	return c.JSON(200, list)
}

func (s *Server) householdsUnder(c echo.Context, code string) ([]householdRow, error) {
	ctx := c.Request().Context()
	root, err := s.scopedArea(c, code)
	if err != nil {
		return nil, err
	}
	areas, err := s.store.Subtree(ctx, root.Code)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(areas))
	for i, a := range areas {
		ids[i] = a.ID
	}
	lists, err := s.store.Households(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []householdRow{}
	for _, a := range treeOrder(areas) {
		for _, h := range lists[a.ID] {
			out = append(out, householdRow{a.Code, h})
		}
	}
	return out, nil
}

type importReply struct {
	Created  int `json:"created"`
	Updated  int `json:"updated,omitempty"`
	Replayed int `json:"replayed,omitempty"`
}

// importHouseholds handles POST /api/v1/households/import: a household CSV file, as
// the "file" field of a multipart form or as the body itself. All rows or none.
func (s *Server) importHouseholds(c echo.Context) error {
	name, r, err := upload(c)
	if err != nil {
		return err
	}
	defer r.Close()
	created, updated, err := s.importHouseholdFile(c, name, r)
	if err != nil {
		return err
	}
	return c.JSON(200, importReply{Created: created, Updated: updated})
}

// importHouseholdFile reads and stores a household file. Every area it names must
// lie within the caller's jurisdiction; lines naming other areas are rejected as if
// the areas did not exist.
func (s *Server) importHouseholdFile(c echo.Context, name string, r io.Reader) (created, updated int, err error) {
	ctx := c.Request().Context()
	p := principalOf(c)
	rows, err := household.ParseCSV(name, r)
	if err != nil {
		return 0, 0, err
	}
	if p.Role != account.Admin {
		bad := &csvfile.ImportError{}
		seen := map[string]bool{}
		for _, row := range rows {
			ok, checked := seen[row.AreaCode]
			if !checked {
				a, err := s.cache.Area(ctx, row.AreaCode)
				ok = err == nil && p.sees(a)
				seen[row.AreaCode] = ok
			}
			if !ok {
				bad.Add(name, row.Line, "区域代码 %s 不存在或不在您的管辖范围内", row.AreaCode)
			}
		}
		if err := bad.Err(); err != nil {
			return 0, 0, err
		}
	}
	created, updated, err = s.store.ImportHouseholds(ctx, name, rows)
	if err != nil {
		return 0, 0, err
	}
	s.audit(c, p, "household.import", p.AreaCode, name, map[string]any{"created": created, "updated": updated})
	return created, updated, nil
}

// householdsPageData is what the households page shows.
type householdsPageData struct {
	Areas    []areaOption
	Area     string
	List     []householdRow
	More     int // households not shown
	Done     string
	Error    string
	Lines    []string
	Header   string
	Selected *area.Area
}

const householdsShown = 2000

// householdsPage handles GET /households[?area=CODE].
func (s *Server) householdsPage(c echo.Context) error {
	return s.renderHouseholds(c, http.StatusOK, c.QueryParam("area"), "", nil)
}

func (s *Server) renderHouseholds(c echo.Context, status int, code, done string, ferr error) error {
	areas, err := s.areaOptions(c)
	if err != nil {
		return err
	}
	data := householdsPageData{Areas: areas, Area: code, Done: done, Header: strings.Join(household.Header, ",")}
	if code != "" {
		a, err := s.scopedArea(c, code)
		if err != nil {
			return err
		}
		data.Selected = &a
		list, err := s.householdsUnder(c, code)
		if err != nil {
			return err
		}
		data.List, data.More = list[:min(len(list), householdsShown)], max(len(list)-householdsShown, 0)
	}
	if ferr != nil {
		ae := toAPIError(ferr)
		if ae.Status >= 500 {
			return ferr
		}
		data.Error, data.Lines, status = ae.Message, ae.Lines, ae.Status
		if ae.TotalErrors > len(ae.Lines) {
			data.Lines = append(data.Lines, csvfile.Omitted(len(ae.Lines), ae.TotalErrors))
		}
	}
	return s.renderStaff(c, status, "v_households.html", "households", "住户名单", data)
}

// householdsPost handles POST /households, the page's upload form (multipart).
func (s *Server) householdsPost(c echo.Context) error {
	name, f, err := formFile(c, "upload.csv")
	if err != nil {
		return s.renderHouseholds(c, 0, "", "", err)
	}
	defer f.Close()
	created, updated, err := s.importHouseholdFile(c, name, f)
	if err != nil {
		return s.renderHouseholds(c, 0, "", "", err)
	}
	return s.renderHouseholds(c, http.StatusOK, "", fmt.Sprintf("导入完成：新增 %d 户，更新 %d 户", created, updated), nil)
}
