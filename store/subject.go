package store

import (
	"context"
	"fmt"

	"github.com/pstab/pstab/questionnaire"
)

// Subject is what a KEY names: the app (or the partner), its working draft, and the
// questionnaire that draft answers.
type Subject struct {
	App       App
	Ref       DraftRef
	Catalogue *questionnaire.Catalogue
}

// IsPartner reports whether the subject is the partner's own Security Self-Assessment.
func (s Subject) IsPartner() bool { return s.Ref.Subject == PartnerKey }

// PartnerName is how the partner's own draft is named where an app's name would be.
const PartnerName = "Security Self-Assessment"

// Subject resolves a key: an app key answers the Privacy & Security questionnaire, and
// PartnerKey the Security Self-Assessment. It is the one place that decides which
// questionnaire a key answers. A missing app gives an error wrapping ErrNotFound; a store
// opened without the questionnaire the key needs gives an error too.
func (s *Store) Subject(ctx context.Context, key string) (Subject, error) {
	cat, err := s.CatalogueFor(key)
	if err != nil {
		return Subject{}, err
	}
	if key == PartnerKey {
		return Subject{App: App{Key: PartnerKey, Name: PartnerName},
			Ref: DraftRef{Subject: PartnerKey, Questionnaire: cat.ID}, Catalogue: cat}, nil
	}
	app, err := s.App(ctx, key)
	if err != nil {
		return Subject{}, err
	}
	return Subject{App: app, Ref: DraftRef{Subject: key, Questionnaire: cat.ID}, Catalogue: cat}, nil
}

// CatalogueFor returns the questionnaire a key answers, whether or not the app exists yet
// (an import that creates it needs the catalogue first).
func (s *Store) CatalogueFor(key string) (*questionnaire.Catalogue, error) {
	if err := s.questionnaires(); err != nil {
		return nil, err
	}
	if key == PartnerKey {
		if s.catalogues.SelfAssessment == nil {
			return nil, fmt.Errorf("the Security Self-Assessment is not loaded")
		}
		return s.catalogues.SelfAssessment, nil
	}
	if s.catalogues.PrivacySecurity == nil {
		return nil, fmt.Errorf("the Privacy & Security questionnaire is not loaded")
	}
	return s.catalogues.PrivacySecurity, nil
}

// Catalogues returns the questionnaires the store was opened with, waiting for
// Options.LoadCatalogues (none, if it failed: Questionnaires says why).
func (s *Store) Catalogues() questionnaire.Catalogues {
	cats, _ := s.Questionnaires()
	return cats
}
