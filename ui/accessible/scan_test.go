package accessible

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// TestScannedAnswerSaysWhereItCameFrom: an answer pstab scan gave is said to be the
// scan's, with its manifest line, until the partner answers the question themselves.
func TestScannedAnswerSaysWhereItCameFrom(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withApp(nil)
	s := e.open()
	rec := store.ScanRecord{At: time.Now(), Source: "manifest.yml", Facts: json.RawMessage(`{"version":1}`)}
	answers := []store.ScannedAnswer{{Question: "stores-eud", Value: questionnaire.Bool(true), Source: "manifest.yml line 14"}}
	if _, _, err := s.ApplyScan(context.Background(), psRef, rec, answers, "", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	s.Close()
	e.resumeAt("data", "stores-eud")

	const note = "This answer came from pstab scan (manifest.yml line 14); type a new answer to make it yours."
	out, _, _ := e.run(lines("1", "", "quit"))
	if !strings.Contains(out, "Current answer: Yes. Press enter to keep it.\n"+note+"\n") {
		t.Errorf("the scanned answer is not said to be the scan's:\n%s", out)
	}
	// Answering it makes it the partner's: the next session says nothing of the scan.
	out, _, _ = e.resumeAt("data", "stores-eud").run(lines("1", "2", "quit"))
	if !strings.Contains(out, note) {
		t.Errorf("the note went before the answer changed:\n%s", out)
	}
	out, _, _ = e.resumeAt("data", "stores-eud").run(lines("1", "quit"))
	if strings.Contains(out, "pstab scan") || answer(e.ps, e.load(), "stores-eud") != "No" {
		t.Errorf("after the partner's answer the scan is still named, or the answer was lost:\n%s", out)
	}
}
