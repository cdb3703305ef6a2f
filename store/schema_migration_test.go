package store

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

// A drafts file written before the published schema was known: tri-states spelled
// "TRUE"/"FALSE", the invented residency value, certifications as pstab's own tick-box
// values with an "Other" list. After the upgrade every answer reads as before and is
// stored in the schema's form, in the working draft and in its save points, and nothing
// the partner answered is lost.
func TestMigrationToThePublishedSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	// Made as the first pstab made it: this pstab's statements need the newest schema.
	old := v1DB(t, path)
	answers := map[string]string{
		"stores-eud":            `true`,
		"gdpr-controller":       `"FALSE"`,
		"gdpr-processor":        `"TRUE"`,
		"ccpa-business":         `"not_applicable"`,
		"ccpa-service-provider": `"True"`,
		"dpa":                   `true`, // already a boolean: kept
		"data-residency":        `"STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED"`,
		"residency-locations":   `["EU","US"]`,
		"has-certifications":    `true`,
		"certifications":        `["SOC2_TYPE2","ISO27001","FEDRAMP","OTHER"]`,
		"other-certifications":  `["Cyber Essentials Plus (2026)","iso27001"]`,
		"security-contact":      `"security@example.com"`,
	}
	snapshot := map[string]json.RawMessage{}
	for k, v := range answers {
		snapshot[k] = json.RawMessage(v)
	}
	snap, _ := json.Marshal(map[string]any{"answers": snapshot})
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := old.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec(`INSERT INTO apps (key, name, created_at, updated_at) VALUES ('com.example.app', 'Example', 1, 1)`)
	mustExec(`INSERT INTO drafts (id, subject, questionnaire, version, revision, created_at, updated_at) VALUES (1, 'com.example.app', 'privacy-security', 3, 1, 1, 1)`)
	for k, v := range answers {
		mustExec(`INSERT INTO answers (draft_id, question, value, saved_at) VALUES (1, ?, ?, 1)`, k, v)
	}
	mustExec(`INSERT INTO revisions (draft_id, number, at, kind, message, snapshot) VALUES (1, 1, 1, 'import', '', ?)`, string(snap))
	old.Close()

	s, err := openWith(t, path, migrations())
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	raw := map[string]string{}
	rows, err := s.db.Query(`SELECT question, value FROM answers WHERE draft_id = 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var q, v string
		if err := rows.Scan(&q, &v); err != nil {
			t.Fatal(err)
		}
		raw[q] = v
	}
	rows.Close()
	want := map[string]string{
		"stores-eud":            `true`,
		"gdpr-controller":       `false`,
		"gdpr-processor":        `true`,
		"ccpa-business":         `"NOT_APPLICABLE"`,
		"ccpa-service-provider": `true`,
		"dpa":                   `true`,
		"data-residency":        `"STORED_EXTERNAL_TO_ATLASSIAN"`,
		"residency-locations":   `["EU","US"]`,
		"has-certifications":    `true`,
		"certifications":        `["SOC2","ISO27001","FedRAMP","Cyber Essentials Plus (2026)"]`,
		"security-contact":      `"security@example.com"`,
	}
	for k, v := range want {
		if raw[k] != v {
			t.Errorf("stored %s = %s, want %s", k, raw[k], v)
		}
	}
	if _, ok := raw["other-certifications"]; ok || len(raw) != len(want) {
		t.Errorf("stored answers %v, want exactly %v", raw, want)
	}

	ref := DraftRef{Subject: "com.example.app", Questionnaire: "privacy-security"}
	d, err := s.Load(ctxb(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if d.Dirty {
		t.Error("the upgraded draft is dirty: its save point and its answers were upgraded alike")
	}
	rev, err := s.RevisionAnswers(ctxb(), ref, 1)
	if err != nil {
		t.Fatal(err)
	}
	cat := s.Catalogues().PrivacySecurity
	if ch := cat.Diff(rev, d.Answers); len(ch) != 0 {
		t.Errorf("the save point and the draft differ after the upgrade: %v", ch)
	}
	// The save point as stored: its questions and values (schema 5 keeps them as rows).
	var snapAfter string
	if err := s.db.QueryRow(`SELECT group_concat(question || '=' || coalesce(value, 'NULL'), ';') FROM revision_answers WHERE draft_id = 1`).Scan(&snapAfter); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"TRUE"`, `"FALSE"`, `STORED_OUTSIDE`, `other-certifications`, `SOC2_TYPE2`, `"OTHER"`} {
		if strings.Contains(snapAfter, s) {
			t.Errorf("the save point still holds %s: %s", s, snapAfter)
		}
	}
	v, _ := d.Answers.Get("certifications")
	if !slices.Equal(v.List, []string{"SOC2", "ISO27001", "FedRAMP", "Cyber Essentials Plus (2026)"}) {
		t.Errorf("certifications read as %q", v.List)
	}
	out, err := cat.EncodePayload(d.Answers, questionnaire.ShapeV2Put)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"isAppDataController": false`, `"isAppDataProcessor": true`, `"isAppBusiness": "NOT_APPLICABLE"`,
		`"isDataResidencySupported": "STORED_EXTERNAL_TO_ATLASSIAN"`, `"FedRAMP"`} {
		if !strings.Contains(string(out), s) {
			t.Errorf("the payload lacks %s:\n%s", s, out)
		}
	}
	// The settings table is there, for the vendor id.
	if err := s.SetSetting(ctxb(), SettingVendorID, "1234567"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Setting(ctxb(), SettingVendorID); err != nil || got != "1234567" {
		t.Errorf("vendor id %q, %v", got, err)
	}
}

// A spelling is not a change: a save point holding "TRUE" and a working answer holding
// true make a clean draft, and a different answer makes a dirty one.
func TestDirtyComparesByMeaning(t *testing.T) {
	s, _ := openTest(t)
	if err := s.CreateApp(ctxb(), App{Key: "com.example.app", Name: "Example"}); err != nil {
		t.Fatal(err)
	}
	ref := DraftRef{Subject: "com.example.app", Questionnaire: "privacy-security"}
	if _, err := s.SaveAnswer(ctxb(), ref, "gdpr-processor", questionnaire.Text("true"), AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SavePoint(ctxb(), ref, "", AnyVersion); err != nil {
		t.Fatal(err)
	}
	if r, err := s.db.Exec(`UPDATE revision_answers SET value = '"TRUE"' WHERE question = 'gdpr-processor' AND value = 'true'`); err != nil {
		t.Fatal(err)
	} else if n, _ := r.RowsAffected(); n != 1 {
		t.Fatalf("%d save point rows respelled, want 1", n)
	}
	d, err := s.Load(ctxb(), ref)
	if err != nil || d.Dirty {
		t.Fatalf("dirty %v (%v) for a spelling", d.Dirty, err)
	}
	if _, err := s.SaveAnswer(ctxb(), ref, "gdpr-processor", questionnaire.Text("false"), AnyVersion); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Load(ctxb(), ref); !d.Dirty {
		t.Error("a changed answer is not dirty")
	}
}

// The vendor id is remembered, replaced and removed.
func TestSettings(t *testing.T) {
	s, _ := openTest(t)
	if _, err := s.Setting(ctxb(), SettingVendorID); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unset setting: %v", err)
	}
	for _, v := range []string{"1", "2"} {
		if err := s.SetSetting(ctxb(), SettingVendorID, v); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Setting(ctxb(), SettingVendorID); got != v {
			t.Errorf("setting %q, want %q", got, v)
		}
	}
	if err := s.SetSetting(ctxb(), SettingVendorID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Setting(ctxb(), SettingVendorID); !errors.Is(err, ErrNotFound) {
		t.Errorf("a removed setting: %v", err)
	}
}
