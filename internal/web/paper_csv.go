package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"minyi/internal/area"
	"minyi/internal/survey"
)

// paperRow is one paper questionnaire of a CSV upload, its answers checked against
// the survey's definition.
type paperRow struct {
	Line      int
	Area      string
	Household string
	Raw       map[string]any
}

// paperColumns are the first columns of a paper CSV file; one column per question id
// follows.
var paperColumns = []string{"area_code", "household"}

// maxPaperRows bounds one upload.
const maxPaperRows = 20000

// paperSeparators split the choices of a multiple-choice cell.
const paperSeparators = ";；|"

// parsePaperCSV reads a CSV file of paper questionnaires: a header of area_code,
// household and question ids, then one line per questionnaire with, per question, an
// option id or its text (several separated by ; for multiple choice) or the text
// answer. Each line's answers are validated as the form validates them. It returns an
// *area.ImportError listing every bad line.
func parsePaperCSV(file string, data []byte, def *survey.Definition) ([]paperRow, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	errs := &area.ImportError{}
	fail := func(line int, format string, args ...any) {
		errs.Lines = append(errs.Lines, area.LineError{File: file, Line: line, Reason: fmt.Sprintf(format, args...)})
	}
	var header []string
	var rows []paperRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			fail(max(perr.Line, 1), "CSV 格式错误: %v", perr.Err)
			break
		} else if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if header == nil {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			if msg := checkPaperHeader(rec, def); msg != "" {
				fail(line, "%s", msg)
				break
			}
			header = rec
			continue
		}
		if len(rows) >= maxPaperRows {
			fail(line, "一次最多导入 %d 份问卷", maxPaperRows)
			break
		}
		if len(rec) != len(header) {
			fail(line, "应有 %d 列，实际 %d 列", len(header), len(rec))
			continue
		}
		row, problems := paperRecord(def, header, rec)
		for _, p := range problems {
			fail(line, "%s", p)
		}
		if len(problems) == 0 {
			row.Line = line
			rows = append(rows, row)
		}
	}
	if len(errs.Lines) == 0 && len(rows) == 0 {
		fail(1, "文件中没有数据行")
	}
	if len(errs.Lines) > 0 {
		return nil, errs
	}
	return rows, nil
}

func checkPaperHeader(rec []string, def *survey.Definition) string {
	want := strings.Join(paperColumns, ",") + ",题号…"
	if len(rec) < len(paperColumns) || !slices.Equal(rec[:len(paperColumns)], paperColumns) {
		return "表头应为 " + want
	}
	seen := map[string]bool{}
	for _, id := range rec[len(paperColumns):] {
		id = strings.TrimSpace(id)
		if _, ok := def.Question(id); !ok {
			return fmt.Sprintf("表头中的题号 %q 不在问卷中", id)
		}
		if seen[id] {
			return fmt.Sprintf("表头中的题号 %s 重复", id)
		}
		seen[id] = true
	}
	return ""
}

// paperRecord maps one line to answers and validates them, returning every problem.
func paperRecord(def *survey.Definition, header, rec []string) (paperRow, []string) {
	row := paperRow{Area: strings.TrimSpace(rec[0]), Household: strings.TrimSpace(rec[1]), Raw: map[string]any{}}
	var problems []string
	if row.Area == "" {
		problems = append(problems, "区域代码不能为空")
	}
	for i, id := range header[len(paperColumns):] {
		q, _ := def.Question(strings.TrimSpace(id))
		cell := strings.TrimSpace(rec[i+len(paperColumns)])
		if cell == "" {
			continue
		}
		switch q.Type {
		case survey.Text:
			row.Raw[q.ID] = cell
		case survey.Single:
			opt, ok := optionOf(q, cell)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s：选项 %q 无效", q.ID, cell))
				continue
			}
			row.Raw[q.ID] = opt
		case survey.Multi:
			var ids []string
			for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(paperSeparators, r) }) {
				opt, ok := optionOf(q, strings.TrimSpace(part))
				if !ok {
					problems = append(problems, fmt.Sprintf("%s：选项 %q 无效", q.ID, strings.TrimSpace(part)))
					continue
				}
				ids = append(ids, opt)
			}
			row.Raw[q.ID] = ids
		}
	}
	if len(problems) > 0 {
		return row, problems
	}
	if _, err := def.Check(row.Raw); err != nil {
		var ve *survey.ValidationError
		if !errors.As(err, &ve) {
			return row, []string{err.Error()}
		}
		for _, q := range def.Questions {
			if msg, ok := ve.Fields[q.ID]; ok {
				problems = append(problems, q.ID+"："+msg)
			}
		}
	}
	return row, problems
}

// optionOf finds the option a cell names, by id or by its text.
func optionOf(q *survey.Question, cell string) (string, bool) {
	for _, o := range q.Options {
		if o.ID == cell || o.Text == cell {
			return o.ID, true
		}
	}
	return "", false
}
