package questionnaire

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBundleRoundTrip(t *testing.T) {
	c := ps(t)
	a, _ := decode(t, readTestdata(t, "answers", "full.json"))
	for _, set := range answerSets {
		if set.name == "full" {
			for id, v := range set.local {
				a.Set(id, v)
			}
		}
	}
	// A hidden answer and hostile text travel too.
	a.Set("logs-outside-atlassian", yes)
	a.Set("logs-eud", no)
	a.Set("eea-mechanism", Text("SCCs \u202e\u009b"))
	a.Envelope = map[string]any{"meta": "kept"}
	saved := time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC)
	in := Bundle{AppKey: "com.example.reports", AppName: "Reports for Jira", Revision: 7,
		SavedAt: saved, ExportedAt: saved.Add(time.Hour), Answers: a}
	data, err := c.EncodeBundle(in)
	if err != nil {
		t.Fatal(err)
	}
	if !IsBundle(data) {
		t.Fatal("IsBundle is false for a bundle")
	}
	if IsBundle(readTestdata(t, "reference-example.json")) {
		t.Error("IsBundle is true for a payload")
	}
	for _, r := range string(data) {
		if r != '\n' && unsafeRune(r, true) {
			t.Errorf("the bundle holds the raw character U+%04X", r)
		}
	}
	out, notes, err := c.DecodeBundle(data)
	if err != nil || len(notes) != 0 {
		t.Fatalf("DecodeBundle: %v %v", err, notes)
	}
	if out.AppKey != in.AppKey || out.AppName != in.AppName || out.Revision != 7 ||
		!out.SavedAt.Equal(saved) || !out.ExportedAt.Equal(in.ExportedAt) || out.Questionnaire != c.ID {
		t.Errorf("metadata: %+v", out)
	}
	if len(out.Answers.Values) != len(a.Values) {
		t.Errorf("%d answers came back, %d went in", len(out.Answers.Values), len(a.Values))
	}
	for id, v := range a.Values {
		if got, ok := out.Answers.Get(id); !ok || !c.Question(id).Same(got, v) {
			t.Errorf("%s: %+v came back as %+v", id, v, got)
		}
	}
	// The payload from the bundle equals the payload from the answers.
	p1, _ := c.EncodePayload(a, ShapeV2Put)
	p2, _ := c.EncodePayload(out.Answers, ShapeV2Put)
	if string(p1) != string(p2) {
		t.Errorf("payload differs after the bundle round trip\n%s\n%s", p1, p2)
	}
}

func TestDecodeBundleProblems(t *testing.T) {
	c := ps(t)
	for _, tc := range []struct {
		name, in, path, msg string
		unreadable          bool
		notes               string
	}{
		{name: "unknown question", in: `{"pstabBundle":1,"questionnaire":"privacy-security","app":{"key":"k"},"answers":{"stores-eud":true,"gone-question":1}}`,
			notes: "answers.gone-question is not a question of this catalogue"},
		{name: "newer format", in: `{"pstabBundle":2,"questionnaire":"privacy-security","answers":{}}`,
			path: "pstabBundle", msg: "this is a version 2 bundle; this pstab reads version 1, so update pstab", unreadable: true},
		{name: "other questionnaire", in: `{"pstabBundle":1,"questionnaire":"self-assessment","answers":{}}`,
			path: "questionnaire", msg: `the bundle holds "self-assessment" answers, not "privacy-security" ones`},
		{name: "answer of the wrong type", in: `{"pstabBundle":1,"questionnaire":"privacy-security","answers":{"sub-processors":[{"name":"a"},{"name":false}]}}`,
			path: "answers.sub-processors[1].name", msg: "expected a string, found false"},
		{name: "day range of the wrong type", in: `{"pstabBundle":1,"questionnaire":"privacy-security","answers":{"retention-period":{"min":"a"}}}`,
			path: "answers.retention-period.min", msg: "expected a whole number of days"},
		{name: "field of the wrong type", in: `{"pstabBundle":1,"questionnaire":"privacy-security","app":{"key":5},"answers":{}}`,
			path: "app.key", msg: "expected string"},
		{name: "not JSON", in: `{"pstabBundle":1,`, msg: "the file is not valid JSON", unreadable: true},
		{name: "invalid UTF-8", in: "{\"pstabBundle\":1,\"answers\":{\"eea-mechanism\":\"\xff\"}}", msg: "not valid UTF-8", unreadable: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, notes, err := c.DecodeBundle([]byte(tc.in))
			if tc.notes != "" {
				if err != nil || len(notes) != 1 || !strings.Contains(notes[0], tc.notes) {
					t.Fatalf("err %v notes %v, want a note saying %q", err, notes, tc.notes)
				}
				if v, ok := b.Answers.Get("stores-eud"); !ok || !*v.Bool {
					t.Error("the known answer was not read")
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v (%T), want *DecodeError", err, err)
			}
			if de.Path != tc.path || !strings.Contains(de.Msg, tc.msg) || de.Unreadable != tc.unreadable {
				t.Errorf("got %q %q unreadable=%v, want %q %q unreadable=%v", de.Path, de.Msg, de.Unreadable, tc.path, tc.msg, tc.unreadable)
			}
		})
	}
}

func TestBundleKeepsAnswersToUnknownQuestions(t *testing.T) {
	c := ps(t)
	in := `{"pstabBundle":1,"questionnaire":"privacy-security","app":{"key":"k"},"answers":{"stores-eud":true,"ai-training":{"uses": [ "none" ]}}}`
	b, notes, err := c.DecodeBundle([]byte(in))
	if err != nil || len(notes) != 1 || !strings.Contains(notes[0], "answers.ai-training") || !strings.Contains(notes[0], "kept") {
		t.Fatalf("err %v notes %q", err, notes)
	}
	if got := string(b.Answers.Unknown["ai-training"]); got != `{"uses":["none"]}` {
		t.Fatalf("the unknown answer was not kept: %q", got)
	}
	if b.Answers.IsEmpty() || (Answers{Unknown: b.Answers.Unknown}).IsEmpty() {
		t.Error("answers with an unknown answer count as empty")
	}
	out, err := c.EncodeBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := c.DecodeBundle(out)
	if err != nil || string(back.Answers.Unknown["ai-training"]) != `{"uses":["none"]}` {
		t.Fatalf("the unknown answer did not survive a round trip: %v\n%s", err, out)
	}
	payload, _ := c.EncodePayload(b.Answers, ShapeV2Put)
	if strings.Contains(string(payload), "ai-training") || strings.Contains(string(payload), "uses") {
		t.Errorf("the unknown answer reached the payload: %s", payload)
	}
	clone := b.Answers.Clone()
	clone.Unknown["ai-training"][0] = '['
	if string(b.Answers.Unknown["ai-training"]) != `{"uses":["none"]}` {
		t.Error("Clone shares the unknown answers")
	}
}

func TestEscapeJSONUnsafe(t *testing.T) {
	in := []byte("{\"a\": \"x\u202ey\u009bz\x7f\u2028\u00e9\"}")
	got := string(EscapeJSONUnsafe(in))
	want := `{"a": "x\u202ey\u009bz\u007f\u2028` + "\u00e9" + `"}`
	if got != want {
		t.Errorf("EscapeJSONUnsafe = %q, want %q", got, want)
	}
	clean := []byte(`{"a": "plain é"}`)
	if out := EscapeJSONUnsafe(clean); &out[0] != &clean[0] {
		t.Error("clean JSON is copied; it should be returned as it is")
	}
}
