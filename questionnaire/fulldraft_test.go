package questionnaire_test

import (
	"sync"
	"testing"

	"github.com/pstab/pstab/assets"
	"github.com/pstab/pstab/questionnaire"
)

var (
	builtinOnce     sync.Once
	builtinPrivacy  *questionnaire.Catalogue
	builtinSelfEval *questionnaire.Catalogue
	builtinLoadErr  error
)

func loadBuiltinCatalogues() {
	load := func(name string) *questionnaire.Catalogue {
		data, err := assets.Read(name)
		if err == nil {
			var c *questionnaire.Catalogue
			if c, err = questionnaire.Load(name, data); err == nil {
				return c
			}
		}
		if builtinLoadErr == nil {
			builtinLoadErr = err
		}
		return nil
	}
	builtinPrivacy = load(assets.PrivacySecurity)
	builtinSelfEval = load(assets.SelfAssessment)
}

// privacyCatalogue returns the built-in Privacy & Security catalogue.
func privacyCatalogue(t testing.TB) *questionnaire.Catalogue {
	t.Helper()
	builtinOnce.Do(loadBuiltinCatalogues)
	if builtinLoadErr != nil {
		t.Fatalf("built-in catalogue: %v", builtinLoadErr)
	}
	return builtinPrivacy
}

// selfAssessmentCatalogue returns the built-in Security Self-Assessment catalogue.
func selfAssessmentCatalogue(t testing.TB) *questionnaire.Catalogue {
	t.Helper()
	builtinOnce.Do(loadBuiltinCatalogues)
	if builtinLoadErr != nil {
		t.Fatalf("built-in catalogue: %v", builtinLoadErr)
	}
	return builtinSelfEval
}

var (
	yesAnswer = questionnaire.Bool(true)
	noAnswer  = questionnaire.Bool(false)
	unset     = questionnaire.Value{} // in a change set: remove the answer
)

// subProcessor builds one sub-processor record.
func subProcessor(name, link, purpose string, countries ...string) questionnaire.Entity {
	e := questionnaire.Entity{Fields: map[string]questionnaire.Value{
		"name":    questionnaire.Text(name),
		"purpose": questionnaire.Text(purpose),
	}}
	if link != "" {
		e.Fields["link"] = questionnaire.Text(link)
	}
	if len(countries) > 0 {
		e.Fields["thirdPartyCountries"] = questionnaire.List(countries...)
	}
	return e
}

// readyDraft returns answers to the Privacy & Security catalogue that show every question
// but the one hidden by "same data processed and stored", answer all of them, and leave
// nothing for a readiness check to report.
func readyDraft() questionnaire.Answers {
	a := questionnaire.NewAnswers()
	for id, v := range map[string]questionnaire.Value{
		"stores-eud":                       yesAnswer,
		"stored-data-types":                questionnaire.List("Issue keys and summaries", "Atlassian account IDs"),
		"processes-eud":                    yesAnswer,
		"same-data-processed-stored":       noAnswer,
		"processed-data-types":             questionnaire.List("Issue keys and summaries", "Comment text"),
		"logs-eud":                         yesAnswer,
		"logs-outside-atlassian":           yesAnswer,
		"logs-shared":                      yesAnswer,
		"logs-sharing-integral":            noAnswer,
		"shares-eud":                       yesAnswer,
		"sub-processors":                   {Entities: []questionnaire.Entity{subProcessor("Amazon Web Services, Inc.", "https://aws.amazon.com", "Hosting", "United States", "Germany")}},
		"sub-processor-list":               questionnaire.Text("https://example.com/sub-processors"),
		"data-residency":                   questionnaire.Text("STORED_EXTERNAL_TO_ATLASSIAN"),
		"residency-locations":              questionnaire.List("EU", "US"),
		"residency-data-types":             questionnaire.List("Issue content"),
		"residency-migration":              yesAnswer,
		"retains-after-uninstall":          yesAnswer,
		"retention-period":                 questionnaire.Days(0, 30),
		"custom-retention":                 noAnswer,
		"uses-pets":                        yesAnswer,
		"pets":                             questionnaire.List("Pseudonymisation"),
		"gdpr-controller":                  questionnaire.Text("true"),
		"gdpr-controller-data-types":       questionnaire.List("Email addresses"),
		"gdpr-processor":                   questionnaire.Text("true"),
		"gdpr-processor-data-types":        questionnaire.List("Atlassian account IDs"),
		"ccpa-business":                    questionnaire.Text("true"),
		"ccpa-business-data-types":         questionnaire.List("Email addresses"),
		"ccpa-service-provider":            questionnaire.Text("true"),
		"ccpa-service-provider-data-types": questionnaire.List("Atlassian account IDs"),
		"dpa":                              questionnaire.Text("true"),
		"dpa-link":                         questionnaire.Text("https://example.com/dpa"),
		"eea-transfer":                     yesAnswer,
		"eea-mechanism-in-place":           yesAnswer,
		"eea-mechanism":                    questionnaire.Text("EU Standard Contractual Clauses (2021)"),
		"bug-bounty":                       noAnswer,
		"security-contact":                 questionnaire.Text("security@example.com"),
		"security-policy":                  questionnaire.Text("https://example.com/security"),
		"caiq-lite":                        yesAnswer,
		"caiq-lite-link":                   questionnaire.Text("https://example.com/caiq"),
		"disk-encryption":                  yesAnswer,
		"permissions-justification":        questionnaire.Text("read:jira-work, to show linked issues.\nwrite:jira-work, to add a comment."),
		"requires-pats":                    noAnswer,
		"has-certifications":               yesAnswer,
		"certifications":                   questionnaire.List("SOC2", "Cyber Essentials Plus (2026)"),
		"privacy-policy":                   questionnaire.Text("https://example.com/privacy"),
	} {
		a.Set(id, v)
	}
	return a
}

// changed returns a copy of a with the given answers set; an empty Value removes one.
func changed(a questionnaire.Answers, m map[string]questionnaire.Value) questionnaire.Answers {
	out := a.Clone()
	for id, v := range m {
		out.Set(id, v.Clone())
	}
	return out
}
