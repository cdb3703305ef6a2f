// Package assets holds pstab's embedded data: the questionnaire catalogues, and each one's
// encoding (its YAML already parsed, made by go generate; see questionnaire.EncodeCatalogue).
package assets

import (
	"embed"
	"strings"
)

//go:generate go run ./encode

//go:embed *.yaml *.nodes
var files embed.FS

// Catalogue file names.
const (
	PrivacySecurity = "privacy-security.yaml"
	SelfAssessment  = "self-assessment.yaml"
)

// Catalogues returns the names of the catalogue files, each with an encoding.
func Catalogues() []string { return []string{PrivacySecurity, SelfAssessment} }

// Read returns one embedded file.
func Read(name string) ([]byte, error) { return files.ReadFile(name) }

// EncodingName is the file holding the encoding of catalogue name.
func EncodingName(name string) string { return strings.TrimSuffix(name, ".yaml") + ".nodes" }

// Encoded returns the encoding of catalogue name, or nil if it has none.
func Encoded(name string) []byte {
	b, _ := files.ReadFile(EncodingName(name))
	return b
}
