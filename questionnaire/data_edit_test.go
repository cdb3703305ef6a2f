package questionnaire

import (
	"strings"
	"testing"
)

// replaceOnce replaces old with new in text, failing unless old occurs exactly once, so the
// test notices when the catalogue it edits has changed.
func replaceOnce(t *testing.T, text, old, new string) string {
	t.Helper()
	if n := strings.Count(text, old); n != 1 {
		t.Fatalf("%q occurs %d times in the catalogue, want once", old, n)
	}
	return strings.Replace(text, old, new, 1)
}

// TestRewordAndRuleChangeNeedOnlyTheYAML shows that rewording a question and changing its
// follow-up rules is an edit of assets/privacy-security.yaml: the built-in text is edited
// as a maintainer would, loaded, and the Markdown and visibility follow, with no Go change.
func TestRewordAndRuleChangeNeedOnlyTheYAML(t *testing.T) {
	original := psYAML(t)
	edited := original
	// 1. Atlassian rewords the PETs question.
	edited = replaceOnce(t, edited,
		"prompt: Does your app use any privacy enhancing technologies (PETs) to protect End-User Data?",
		"prompt: Does your app apply privacy-enhancing techniques such as pseudonymisation to End-User Data?")
	// 2. The transfer mechanism's name is now asked as soon as data leaves the EEA,
	//    rather than after the "mechanism in place" question.
	edited = replaceOnce(t, edited,
		"        show_if: {question: eea-mechanism-in-place, equals: true}\n",
		"        show_if: {question: eea-transfer, equals: true}\n")
	// 3. The custom retention question is asked only when data is kept after uninstall.
	edited = replaceOnce(t, edited,
		"        api: dataRetention.isCustomRetentionPeriodAllowed\n",
		"        show_if: {question: retains-after-uninstall, equals: true}\n        api: dataRetention.isCustomRetentionPeriodAllowed\n")

	before := ps(t)
	after, err := Load("edited privacy-security.yaml", []byte(edited))
	if err != nil {
		t.Fatalf("the edited catalogue is refused: %v", err)
	}

	a := ans(map[string]Value{
		"stores-eud": yes, "processes-eud": no,
		"retains-after-uninstall": no, "custom-retention": yes,
		"uses-pets": yes, "pets": List("Pseudonymisation"),
		"eea-transfer": yes, "eea-mechanism-in-place": no,
		"eea-mechanism": Text("EU Standard Contractual Clauses (2021)"),
	})

	t.Run("the new words are shown", func(t *testing.T) {
		md := after.Markdown(a, MarkdownOptions{Views: ViewsExpanded})
		if !strings.Contains(md, "**Does your app apply privacy-enhancing techniques such as pseudonymisation to End-User Data?**") {
			t.Errorf("the Markdown lacks the new prompt:\n%s", md)
		}
		if strings.Contains(md, "Does your app use any privacy enhancing technologies (PETs) to protect") {
			t.Error("the Markdown still shows the old prompt")
		}
		if sheet := after.Sheet(a, ""); !strings.Contains(sheet, "privacy-enhancing techniques such as") {
			t.Error("the answer sheet lacks the new prompt")
		}
		if md := before.Markdown(a, MarkdownOptions{Views: ViewsExpanded}); !strings.Contains(md, "(PETs) to protect") {
			t.Error("the built-in catalogue lost its own prompt: the edit leaked")
		}
	})

	t.Run("a follow-up appears under the new rule", func(t *testing.T) {
		if before.Visible(a).ShowsID("eea-mechanism") {
			t.Fatal("before the edit the mechanism name is shown with no mechanism in place")
		}
		if !after.Visible(a).ShowsID("eea-mechanism") {
			t.Error("after the edit the mechanism name is hidden, though data leaves the EEA")
		}
		md := after.Markdown(a, MarkdownOptions{Views: ViewsExpanded})
		if !strings.Contains(md, "EU Standard Contractual Clauses (2021)") {
			t.Errorf("the Markdown lacks the newly shown answer:\n%s", md)
		}
		// And it hides again when the new parent says No.
		if after.Visible(with(a, map[string]Value{"eea-transfer": no})).ShowsID("eea-mechanism") {
			t.Error("the mechanism name stays shown with no transfer")
		}
	})

	t.Run("a question disappears under the new rule", func(t *testing.T) {
		const prompt = "Does your app allow customers to request a custom End-User Data retention period?"
		if !before.Visible(a).ShowsID("custom-retention") {
			t.Fatal("before the edit the custom retention question is hidden")
		}
		if after.Visible(a).ShowsID("custom-retention") {
			t.Error("after the edit the custom retention question is shown though nothing is retained")
		}
		if md := after.Markdown(a, MarkdownOptions{Views: ViewsExpanded}); strings.Contains(md, prompt) {
			t.Error("the Markdown still shows the custom retention question")
		}
		out, err := after.EncodePayload(a, ShapeBare)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), "isCustomRetentionPeriodAllowed") {
			t.Errorf("the payload still sends the now hidden answer:\n%s", out)
		}
		if !after.Visible(with(a, map[string]Value{"retains-after-uninstall": yes})).ShowsID("custom-retention") {
			t.Error("the custom retention question does not come back when data is retained")
		}
	})
}
