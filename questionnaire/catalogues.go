package questionnaire

// Catalogues are the two questionnaires pstab works with: the Privacy & Security tab,
// answered once per app, and the Security Self-Assessment, answered once per partner.
// Where both are needed they travel together as one value.
type Catalogues struct {
	PrivacySecurity *Catalogue // Level "app"
	SelfAssessment  *Catalogue // Level "partner"; nil when a program does without it
}

// All returns the catalogues that are set, the app-level one first.
func (c Catalogues) All() []*Catalogue {
	var all []*Catalogue
	for _, cat := range []*Catalogue{c.PrivacySecurity, c.SelfAssessment} {
		if cat != nil {
			all = append(all, cat)
		}
	}
	return all
}

// ByID returns the catalogue with that ID, or nil.
func (c Catalogues) ByID(id string) *Catalogue {
	for _, cat := range c.All() {
		if cat.ID == id {
			return cat
		}
	}
	return nil
}
