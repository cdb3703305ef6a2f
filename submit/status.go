package submit

import (
	"fmt"
	"strings"
	"time"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/store"
)

// What the Marketplace's form statuses mean for the partner, in one place for the
// commands and the wizard.

// StatusFor keeps the local status in step with the Marketplace's formStatus: approved
// answers are published; submitted or saved ones are on the Marketplace; rejected ones
// are a draft again, to be changed and sent once more.
func StatusFor(local, formStatus string) string {
	switch strings.ToUpper(formStatus) {
	case marketplace.FormApproved:
		return store.StatusPublished
	case marketplace.FormSubmitted, marketplace.FormSaved:
		return store.StatusSubmitted
	case marketplace.FormRejected:
		return store.StatusDraft
	}
	if local == "" {
		return store.StatusDraft
	}
	return local
}

// FormStatusMeaning explains a formStatus in a few words, with a leading space, or "".
func FormStatusMeaning(fs string) string {
	switch strings.ToUpper(fs) {
	case marketplace.FormSubmitted:
		return " (waiting for Atlassian's review)"
	case marketplace.FormApproved:
		return " (Atlassian approved these answers)"
	case marketplace.FormRejected:
		return " (Atlassian's review refused these answers)"
	case marketplace.FormSaved:
		return " (saved on the Marketplace, not submitted for review)"
	}
	return ""
}

// NextStep says what the partner should do about a formStatus, as a sentence, or "" when
// there is nothing to do.
func NextStep(key string, p marketplace.Properties) string {
	switch strings.ToUpper(p.FormStatus) {
	case marketplace.FormRejected:
		where := "the review ticket"
		if len(p.JiraLinks) > 0 {
			where = "the review ticket (" + strings.Join(p.JiraLinks, ", ") + ")"
		}
		return fmt.Sprintf("Read %s for what Atlassian wants changed, change those answers, then send them again with pstab push %s --api v3 --publish.", where, key)
	case marketplace.FormSaved:
		return fmt.Sprintf("Submit it for review: pstab push %s --api v3 --publish, or Submit and publish in the web form.", key)
	case marketplace.FormSubmitted:
		return "Atlassian reviews it next; pstab status shows the outcome."
	}
	return ""
}

// Describe returns the properties as lines for people: the form status with its
// meaning, who saved it last and when, and the review tickets.
func Describe(p marketplace.Properties) []string {
	var lines []string
	if p.FormStatus != "" {
		lines = append(lines, "formStatus "+p.FormStatus+FormStatusMeaning(p.FormStatus))
	}
	switch {
	case p.UpdatedBy != "" && !p.UpdatedAt.IsZero():
		lines = append(lines, "last saved by "+p.UpdatedBy+" at "+p.UpdatedAt.Local().Format(time.DateTime))
	case p.UpdatedBy != "":
		lines = append(lines, "last saved by "+p.UpdatedBy)
	case !p.UpdatedAt.IsZero():
		lines = append(lines, "last saved at "+p.UpdatedAt.Local().Format(time.DateTime))
	}
	for _, l := range p.JiraLinks {
		lines = append(lines, "review ticket "+l)
	}
	return lines
}

// DescribeForHistory is Describe on one line, for a draft's history.
func DescribeForHistory(p marketplace.Properties) string {
	if p.FormStatus == "" {
		p.FormStatus = "not reported"
	}
	return strings.Join(Describe(p), "; ")
}

// KnownProperties are the Marketplace's properties of a draft's form as pstab last saw
// them: the form status it recorded, with who saved it, when, and the review tickets
// when the last pull brought them (and they are of that status). Zero when pstab never
// read or sent the form.
func KnownProperties(d store.Draft) marketplace.Properties {
	p := marketplace.PropertiesOf(d.Answers.Extra)
	if !strings.EqualFold(p.FormStatus, d.FormStatus) {
		p = marketplace.Properties{}
	}
	p.FormStatus = strings.ToUpper(d.FormStatus)
	return p
}
