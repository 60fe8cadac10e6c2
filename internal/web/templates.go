package web

import (
	"html/template"
	"strings"
)

// templateFuncs are the few helpers the page templates use.
var templateFuncs = template.FuncMap{
	"join": strings.Join,
}
