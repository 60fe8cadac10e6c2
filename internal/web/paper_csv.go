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
// answer. It returns a row for every line of the header's width (a line with a cell
// that names no option is marked BadAnswers, with its area and household only) and a
// *csvfile.ImportError listing every line that cannot be read, or nil;
// intake.TakePaper reports them with its own.
func parsePaperCSV(file string, data []byte, def *survey.Definition) ([]intake.PaperRow, *csvfile.ImportError, error) {
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
		if len(problems) > 0 {
			row = intake.PaperRow{Area: row.Area, Household: row.Household, BadAnswers: true}
		}
		row.Line = line
		rows = append(rows, row)
		return problems
	})
	var ie *csvfile.ImportError
	if err != nil && !errors.As(err, &ie) {
		return nil, nil, err
	}
	return rows, ie, nil
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

// paperRecord maps one line to answers, returning every cell that names no option;
// the rest (area, household, answers as the form validates them) is for intake to
// check.
func paperRecord(def *survey.Definition, header, rec []string) (intake.PaperRow, []string) {
	row := intake.PaperRow{Area: rec[0], Household: rec[1], Answers: survey.Submitted{}}
	var problems []string
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
				problems = append(problems, badOption(q, cell))
				continue
			}
			row.Answers[q.ID] = opt
		case survey.Multi:
			var ids []string
			for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(paperSeparators, r) }) {
				opt, ok := optionOf(q, strings.TrimSpace(part))
				if !ok {
					problems = append(problems, badOption(q, strings.TrimSpace(part)))
					continue
				}
				ids = append(ids, opt)
			}
			row.Answers[q.ID] = ids
		}
	}
	return row, problems
}

// badOption says that cell names no option of q, and lists the options it may name.
func badOption(q *survey.Question, cell string) string {
	valid := make([]string, len(q.Options))
	for i, o := range q.Options {
		valid[i] = o.ID + "（" + o.Text + "）"
	}
	return fmt.Sprintf("%s：选项 %q 无效，应为选项编号或文字之一：%s", q.ID, cell, strings.Join(valid, "、"))
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
