// Package surveys embeds the questionnaires minyi ships.
package surveys

import "embed"

// FS holds the survey definition files, one questionnaire per YAML file.
//
//go:embed *.yaml
var FS embed.FS

// Default is the file of the default questionnaire in FS.
const Default = "chuangwen.yaml"
