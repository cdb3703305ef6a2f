// Package assets holds pstab's embedded data: the questionnaire catalogues.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed *.yaml
var files embed.FS

// FS returns the embedded files.
func FS() fs.FS { return files }

// Catalogue file names.
const (
	PrivacySecurity = "privacy-security.yaml"
	SelfAssessment  = "self-assessment.yaml"
)

// Read returns one embedded file.
func Read(name string) ([]byte, error) { return files.ReadFile(name) }
