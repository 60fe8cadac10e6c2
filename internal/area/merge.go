package area

import "minyi/internal/csvfile"

// Merge applies imported rows on top of the existing tree (rows replace areas with the
// same code) and checks the result: every parent exists and no area is its own
// ancestor. It returns the whole resulting tree ordered parents first, or an
// *csvfile.ImportError naming the file lines at fault.
func Merge(file string, existing []Area, rows []Row) ([]Area, error) {
	byCode := map[string]Area{}
	line := map[string]int{}
	for _, a := range existing {
		byCode[a.Code] = a
	}
	for _, r := range rows {
		a := r.Area
		if old, ok := byCode[a.Code]; ok {
			a.ID, a.Path = old.ID, old.Path
		}
		byCode[a.Code] = a
		line[a.Code] = r.Line
	}
	errs := &csvfile.ImportError{}
	for _, r := range rows {
		if p := r.Area.ParentCode; p != "" {
			if _, ok := byCode[p]; !ok {
				errs.Add(file, r.Line, "上级代码 %s 不存在", p)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	// Depth-first from the roots: what is never reached sits on a cycle.
	children := map[string][]string{}
	var roots []string
	for _, a := range byCode {
		if a.ParentCode == "" {
			roots = append(roots, a.Code)
		} else {
			children[a.ParentCode] = append(children[a.ParentCode], a.Code)
		}
	}
	ordered := make([]Area, 0, len(byCode))
	stack := roots
	for len(stack) > 0 {
		code := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		ordered = append(ordered, byCode[code])
		stack = append(stack, children[code]...)
	}
	if len(ordered) < len(byCode) {
		reached := map[string]bool{}
		for _, a := range ordered {
			reached[a.Code] = true
		}
		for _, r := range rows {
			if !reached[r.Area.Code] {
				errs.Add(file, r.Line, "%s 的上级关系形成循环", r.Area.Code)
			}
		}
		return nil, errs
	}
	return ordered, nil
}
