package web

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"minyi/internal/csvfile"
	"minyi/internal/intake"
	"minyi/internal/survey"
)

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
// answer. Each line's answers are validated as the form validates them. It returns a
// *csvfile.ImportError listing every bad line.
func parsePaperCSV(file string, data []byte, def *survey.Definition) ([]intake.PaperRow, error) {
	var header []string
	var rows []intake.PaperRow
	format := csvfile.Format{
		Header: func(rec []string) string {
			header = rec
			return checkPaperHeader(rec, def)
		},
		MaxRows: maxPaperRows,
		TooMany: "一次最多导入 %d 份问卷",
	}
	err := format.Read(file, bytes.NewReader(data), func(line int, rec []string) []string {
		row, problems := paperRecord(def, header, rec)
		if len(problems) == 0 {
			row.Line = line
			rows = append(rows, row)
		}
		return problems
	})
	if err != nil {
		return nil, err
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
func paperRecord(def *survey.Definition, header, rec []string) (intake.PaperRow, []string) {
	row := intake.PaperRow{Area: rec[0], Household: rec[1], Answers: survey.Submitted{}}
	var problems []string
	if row.Area == "" {
		problems = append(problems, "区域代码不能为空")
	}
	for i, id := range header[len(paperColumns):] {
		q, _ := def.Question(strings.TrimSpace(id))
		cell := rec[i+len(paperColumns)]
		if cell == "" {
			continue
		}
		switch q.Type {
		case survey.Text:
			row.Answers[q.ID] = cell
		case survey.Single:
			opt, ok := optionOf(q, cell)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s：选项 %q 无效", q.ID, cell))
				continue
			}
			row.Answers[q.ID] = opt
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
			row.Answers[q.ID] = ids
		}
	}
	if len(problems) > 0 {
		return row, problems
	}
	if _, err := def.Check(row.Answers); err != nil {
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
