// Package privacy hides what residents write that could name them: phone numbers, by
// the one rule for the suggestions the fold files and for every export.
package privacy

import "regexp"

// numberRun is a run of digits, possibly split by single hyphens or spaces and led by
// a plus sign: phone numbers as residents type them, full-width digits included.
var numberRun = regexp.MustCompile(`[+＋]?[0-9０-９](?:[- ]?[0-9０-９])*`)

// MaskPhones hides the middle digits of every phone-like number in a text: a
// mobile number, with or without +86, becomes 138****5678; a landline keeps its area
// code and last four digits (0571-****9999); any other run of seven or more digits
// keeps its last four (****1234).
func MaskPhones(s string) string {
	return numberRun.ReplaceAllStringFunc(s, maskNumber)
}

// maskNumber masks one run of numberRun; shorter runs stay as they are.
func maskNumber(run string) string {
	var d []byte         // the digits, as ASCII
	split, sep := -1, "" // digits before the first separator, and that separator
	for _, r := range run {
		switch {
		case r >= '0' && r <= '9':
			d = append(d, byte(r))
		case r >= '０' && r <= '９':
			d = append(d, byte(r-'０'+'0'))
		case (r == '-' || r == ' ') && split < 0:
			split, sep = len(d), string(r)
		}
	}
	if len(d) == 13 && string(d[:2]) == "86" && d[2] == '1' {
		d = d[2:]
	}
	switch {
	case len(d) == 11 && d[0] == '1' && d[1] >= '3':
		return string(d[:3]) + "****" + string(d[7:])
	case d[0] == '0' && len(d) >= 10 && len(d) <= 12:
		area := 4
		if rest := len(d) - 4; rest < 7 || rest > 8 {
			area = 3
		}
		if split == 3 || split == 4 {
			area = split // the resident wrote where the area code ends
		} else {
			sep = ""
		}
		return string(d[:area]) + sep + "****" + string(d[len(d)-4:])
	case len(d) >= 7:
		return "****" + string(d[len(d)-4:])
	}
	return run
}
