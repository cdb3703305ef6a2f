// Package embedded parses pstab's built-in questionnaires once per process.
package embedded

import (
	"sync"

	"github.com/pstab/pstab/assets"
	"github.com/pstab/pstab/questionnaire"
)

var (
	once     sync.Once
	ps, ssa  *questionnaire.Catalogue
	parseErr error
)

// Catalogues returns the built-in questionnaires: the Privacy & Security tab and the
// Security Self-Assessment.
func Catalogues() (questionnaire.Catalogues, error) {
	once.Do(func() {
		if ps, parseErr = parse(assets.PrivacySecurity); parseErr == nil {
			ssa, parseErr = parse(assets.SelfAssessment)
		}
	})
	return questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: ssa}, parseErr
}

func parse(name string) (*questionnaire.Catalogue, error) {
	data, err := assets.Read(name)
	if err != nil {
		return nil, err
	}
	// Read from the encoding made beside the YAML, which spares parsing the YAML; an
	// encoding made from other YAML is not used, and the YAML is read instead.
	return questionnaire.LoadEncoded("built-in "+name, data, assets.Encoded(name))
}
