package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

func TestOpenRunsTheProductionSettings(t *testing.T) {
	s, path := openTest(t)
	pragma := func(name string) string {
		var v string
		if err := s.db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for name, want := range map[string]string{
		"journal_mode": "wal", "synchronous": "2", "busy_timeout": "5000", "foreign_keys": "1",
		"application_id": "1886614626",
	} {
		if got := pragma(name); got != want {
			t.Errorf("PRAGMA %s = %s, want %s", name, got, want)
		}
	}
	if err := s.CreateApp(ctxb(), App{Key: "com.example.a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	// The file and the WAL files SQLite made beside it are private to the user.
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", p, info.Mode().Perm())
		}
	}
	if s.Path() != path {
		t.Errorf("Path() = %s, want %s", s.Path(), path)
	}
}

func TestOpenTightensAWideFile(t *testing.T) {
	s, path := openTest(t)
	s.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	ps, _ := catalogues(t)
	var warnings []string
	s2, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps}, Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o after open, want 0600", info.Mode().Perm())
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], path) {
		t.Errorf("warnings = %q, want one naming %s", warnings, path)
	}
}

func TestDefaultPath(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(data, "pstab", "pstab.db"); p != want {
		t.Errorf("DefaultPath() = %s, want %s", p, want)
	}
	// Finding the path makes nothing; opening it to write makes the folder, private.
	if _, err := os.Stat(filepath.Dir(p)); !os.IsNotExist(err) {
		t.Errorf("DefaultPath made %s (%v); only a write should", filepath.Dir(p), err)
	}
	openAt(t, p)
	info, err := os.Stat(filepath.Dir(p))
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("folder %s after Open: %v, mode %v; want 0700", filepath.Dir(p), err, info.Mode().Perm())
	}

	// A relative XDG_DATA_HOME is ignored, as the spec says.
	home := t.TempDir()
	t.Setenv("XDG_DATA_HOME", "relative/dir")
	t.Setenv("HOME", home)
	p, err = DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p, home) || filepath.Base(p) != "pstab.db" {
		t.Errorf("DefaultPath() = %s, want a file under %s", p, home)
	}
}

func TestFileURIEscapes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd ?#% name")
	s := openAt(t, filepath.Join(dir, "pstab.db"))
	if err := s.CreateApp(ctxb(), App{Key: "k", Name: "n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pstab.db")); err != nil {
		t.Fatalf("the database is not where it was asked to be: %v", err)
	}
}

func TestApps(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	for _, k := range []string{"com.example.a", "com.example.b", "com.example.c"} {
		if err := s.CreateApp(ctx, App{Key: k, Name: "App " + k}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateApp(ctx, App{Key: "com.example.a", Name: "again"}); !errors.Is(err, ErrExists) {
		t.Errorf("second CreateApp: %v, want ErrExists", err)
	}
	for _, k := range []string{"", "@partner", " x"} {
		if err := s.CreateApp(ctx, App{Key: k}); err == nil {
			t.Errorf("CreateApp(%q) succeeded", k)
		}
	}
	if _, err := s.App(ctx, "com.example.zzz"); !errors.Is(err, ErrNotFound) {
		t.Errorf("App(missing): %v, want ErrNotFound", err)
	}
	a, err := s.App(ctx, "com.example.b")
	if err != nil || a.Name != "App com.example.b" || a.Hosting != "cloud" || a.CreatedAt.IsZero() {
		t.Errorf("App = %+v, %v", a, err)
	}

	// Answer two questions of a: it becomes the most recently changed.
	ref := psRef("com.example.a")
	v, err := s.SaveAnswer(ctx, ref, "stores-eud", questionnaire.Bool(false), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswer(ctx, ref, "processes-eud", questionnaire.Bool(false), v); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProductID(ctx, "com.example.c", "prod-123"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProductID(ctx, "nope", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetProductID(missing): %v", err)
	}
	// The partner's self-assessment is not an app.
	_, catSA := catalogues(t)
	if _, err := s.SaveAnswer(ctx, DraftRef{Subject: PartnerKey, Questionnaire: "self-assessment"},
		catSA.Questions[0].ID, sampleValue(catSA.Questions[0], 0), AnyVersion); err != nil {
		t.Fatal(err)
	}

	apps, err := s.Apps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, a := range apps {
		keys = append(keys, a.Key)
	}
	if got := strings.Join(keys, " "); got != "com.example.c com.example.a com.example.b" {
		t.Errorf("Apps order = %s, want c (product id set last), a (answered), b", got)
	}
	d, err := s.Load(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	want := ps.Progress(d.Answers)
	got := apps[1]
	if got.Answered != want.Answered || got.Total != want.Total || got.Percent() != want.Percent() || got.Answered == 0 {
		t.Errorf("a: %d/%d (%d%%), want %d/%d (%d%%)", got.Answered, got.Total, got.Percent(), want.Answered, want.Total, want.Percent())
	}
	empty := ps.Progress(questionnaire.NewAnswers())
	if b := apps[2]; b.Answered != 0 || b.Total != empty.Total || b.Status != StatusDraft {
		t.Errorf("b (no draft): %+v, want 0/%d draft", b, empty.Total)
	}
	if apps[0].ProductID != "prod-123" {
		t.Errorf("c product id = %q", apps[0].ProductID)
	}
}

func TestDeleteAppRemovesEverything(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	for _, k := range []string{"a", "b"} {
		if err := s.CreateApp(ctx, App{Key: k, Name: k}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Replace(ctx, psRef(k), sampleAnswers(ps, 1), EventImport, "", AnyVersion); err != nil {
			t.Fatal(err)
		}
		if err := s.Record(ctx, psRef(k), EventExport, "payload"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteApp(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteApp(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteApp: %v, want ErrNotFound", err)
	}
	if _, err := s.Load(ctx, psRef("a")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load of a deleted app: %v, want ErrNotFound", err)
	}
	for table, want := range map[string]int{"apps": 1, "drafts": 1, "answers": len(ps.Questions), "revisions": 1, "events": 2} {
		var n int
		if err := s.db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s has %d rows after deleting a, want %d (b's only)", table, n, want)
		}
	}
	// Re-creating the key starts from nothing.
	if err := s.CreateApp(ctx, App{Key: "a", Name: "a"}); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Load(ctx, psRef("a")); err != nil || d.Version != 0 || len(d.Answers.Values) != 0 || d.Revision != 0 {
		t.Errorf("re-created app: %+v, %v", d, err)
	}
}

func TestSaveAndLoadEveryKind(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	d, err := s.Load(ctx, ref)
	if err != nil || d.Version != 0 || d.Status != StatusDraft || d.Dirty || !d.UpdatedAt.IsZero() {
		t.Fatalf("fresh draft: %+v, %v", d, err)
	}
	want := sampleAnswers(ps, 3)
	v := int64(0)
	for _, q := range ps.Questions {
		nv, err := s.SaveAnswer(ctx, ref, q.ID, want.Values[q.ID], v)
		if err != nil {
			t.Fatalf("save %s: %v", q.ID, err)
		}
		if nv != v+1 {
			t.Fatalf("save %s: version %d, want %d", q.ID, nv, v+1)
		}
		v = nv
	}
	d, err = s.Load(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got, w := valuesJSON(t, ps, d.Answers), valuesJSON(t, ps, want); got != w {
		t.Errorf("loaded answers differ:\n got %s\nwant %s", got, w)
	}
	if d.Version != v || !d.Dirty || d.Revision != 0 {
		t.Errorf("version %d dirty %v revision %d; want %d true 0", d.Version, d.Dirty, d.Revision, v)
	}

	// The same value again writes nothing; an empty value or ClearAnswer removes it.
	q := ps.Questions[0]
	if nv, err := s.SaveAnswer(ctx, ref, q.ID, want.Values[q.ID], v); err != nil || nv != v {
		t.Errorf("unchanged save: version %d, %v; want %d", nv, err, v)
	}
	if v, err = s.SaveAnswer(ctx, ref, q.ID, questionnaire.Value{}, v); err != nil {
		t.Fatal(err)
	}
	if v, err = s.ClearAnswer(ctx, ref, ps.Questions[1].ID, v); err != nil {
		t.Fatal(err)
	}
	if nv, err := s.ClearAnswer(ctx, ref, ps.Questions[1].ID, v); err != nil || nv != v {
		t.Errorf("clearing an unanswered question: version %d, %v; want %d", nv, err, v)
	}
	d, _ = s.Load(ctx, ref)
	if _, ok := d.Answers.Get(q.ID); ok {
		t.Errorf("%s still answered after saving an empty value", q.ID)
	}
	if _, ok := d.Answers.Get(ps.Questions[1].ID); ok {
		t.Errorf("%s still answered after ClearAnswer", ps.Questions[1].ID)
	}

	if _, err := s.SaveAnswer(ctx, ref, "no-such-question", questionnaire.Text("x"), AnyVersion); err == nil {
		t.Error("saving an unknown question succeeded")
	}
	if _, err := s.SaveAnswer(ctx, psRef("missing"), q.ID, want.Values[q.ID], AnyVersion); !errors.Is(err, ErrNotFound) {
		t.Errorf("saving to a missing app: %v, want ErrNotFound", err)
	}
	if _, err := s.SaveAnswer(ctx, DraftRef{Subject: "a", Questionnaire: "nope"}, q.ID, want.Values[q.ID], AnyVersion); err == nil {
		t.Error("saving to an unknown questionnaire succeeded")
	}
}

func TestTextIsCleanedOnRead(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	q := firstOfKind(t, questionnaire.KindText)
	dirty := "Name\x1b]52;c;ZWNobw==\x07 \u202eevil\r"
	if _, err := s.SaveAnswer(ctx, psRef("a"), q.ID, questionnaire.Text(dirty), AnyVersion); err != nil {
		t.Fatal(err)
	}
	d, err := s.Load(ctx, psRef("a"))
	if err != nil {
		t.Fatal(err)
	}
	got := d.Answers.Values[q.ID].Text
	if got != questionnaire.CleanText(dirty, false) || strings.ContainsAny(got, "\x1b\x07\u202e\r") {
		t.Errorf("loaded %q, want the cleaned %q", got, questionnaire.CleanText(dirty, false))
	}
}

func firstOfKind(t *testing.T, k questionnaire.Kind) *questionnaire.Question {
	ps, _ := catalogues(t)
	for _, q := range ps.Questions {
		if q.Kind == k {
			return q
		}
	}
	t.Fatalf("no %s question", k)
	return nil
}

func TestResumeAndStatusDoNotBumpTheVersion(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	v, err := s.SaveAnswer(ctx, ref, "stores-eud", questionnaire.Bool(true), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetResume(ctx, ref, "logging", "logs-eud"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, ref, StatusSubmitted, "SUBMITTED"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, ref, StatusExported, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, ref, "bogus", ""); err == nil {
		t.Error("SetStatus accepted an unknown status")
	}
	d, err := s.Load(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != v || d.ResumeSection != "logging" || d.ResumeQuestion != "logs-eud" ||
		d.Status != StatusExported || d.FormStatus != "SUBMITTED" {
		t.Errorf("draft = version %d resume %s/%s status %s/%s; want %d logging/logs-eud exported/SUBMITTED",
			d.Version, d.ResumeSection, d.ResumeQuestion, d.Status, d.FormStatus, v)
	}
	// The writer that loaded before these calls can still save.
	if _, err := s.SaveAnswer(ctx, ref, "processes-eud", questionnaire.Bool(true), v); err != nil {
		t.Errorf("save after SetResume/SetStatus: %v", err)
	}
	apps, _ := s.Apps(ctx)
	if apps[0].Status != StatusExported || apps[0].FormStatus != "SUBMITTED" {
		t.Errorf("Apps status %s/%s", apps[0].Status, apps[0].FormStatus)
	}
	// Resume and status on a draft not started yet create it.
	if err := s.CreateApp(ctx, App{Key: "b", Name: "B"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResume(ctx, psRef("b"), "data", "stores-eud"); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Load(ctx, psRef("b")); err != nil || d.ResumeQuestion != "stores-eud" || d.Version != 0 {
		t.Errorf("b: %+v, %v", d, err)
	}
}

func TestPartnerDrafts(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	_, sa := catalogues(t)
	ref := DraftRef{Subject: PartnerKey, Questionnaire: sa.ID}
	want := sampleAnswers(sa, 2)
	if _, _, err := s.Replace(ctx, ref, want, EventImport, "from last year", 0); err != nil {
		t.Fatal(err)
	}
	d, err := s.Load(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if valuesJSON(t, sa, d.Answers) != valuesJSON(t, sa, want) {
		t.Error("partner answers differ after Replace")
	}
	if _, err := s.Load(ctx, DraftRef{Subject: "com.example.a", Questionnaire: sa.ID}); err == nil {
		t.Error("a self-assessment draft for an app was accepted")
	}
	if _, err := s.Load(ctx, psRef(PartnerKey)); err == nil {
		t.Error("a Privacy & Security draft for the partner was accepted")
	}
	if apps, _ := s.Apps(ctx); len(apps) != 0 {
		t.Errorf("Apps lists %d apps, want none", len(apps))
	}
}

func TestReplaceKeepsExtraAndIsAllOrNothing(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	in := sampleAnswers(ps, 5)
	// Numbers come as json.Number, as the payload reader gives them.
	in.Extra = decodeTree(sql.NullString{Valid: true,
		String: `{"properties":{"formStatus":"APPROVED","n":12345678901234567890},"future":[1.50,true]}`})
	in.Envelope = map[string]any{"appKey": "a"}
	rev, v, err := s.Replace(ctx, ref, in, EventImport, "payload.json", 0)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 1 || rev.Kind != EventImport || rev.Message != "payload.json" || v != 1 {
		t.Errorf("Replace = %+v version %d", rev, v)
	}
	d, _ := s.Load(ctx, ref)
	if valuesJSON(t, ps, d.Answers) != valuesJSON(t, ps, in) {
		t.Errorf("loaded draft differs from the import:\n got %s\nwant %s", valuesJSON(t, ps, d.Answers), valuesJSON(t, ps, in))
	}
	if n, _ := json.Marshal(d.Answers.Extra["properties"]); !strings.Contains(string(n), "12345678901234567890") {
		t.Errorf("a big number in Extra was not kept exactly: %s", n)
	}
	if d.Dirty {
		t.Error("draft dirty right after an import")
	}
	saved, err := s.RevisionAnswers(ctx, ref, 1)
	if err != nil || valuesJSON(t, ps, saved) != valuesJSON(t, ps, in) {
		t.Errorf("save point 1 differs from the import: %v", err)
	}

	// An answer to an unknown question refuses the whole import.
	bad := sampleAnswers(ps, 6)
	bad.Values["not-a-question"] = questionnaire.Text("x")
	if _, _, err := s.Replace(ctx, ref, bad, EventImport, "", v); err == nil {
		t.Error("Replace with an unknown question succeeded")
	}
	if _, _, err := s.Replace(ctx, ref, in, "bogus", "", v); err == nil {
		t.Error("Replace with an unknown kind succeeded")
	}
	d2, _ := s.Load(ctx, ref)
	if d2.Version != v || valuesJSON(t, ps, d2.Answers) != valuesJSON(t, ps, in) {
		t.Error("a refused Replace changed the draft")
	}
}

func TestCreatePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	created, err := createPrivate(path)
	if err != nil || !created {
		t.Fatalf("first create: %v, %v", created, err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", info.Mode().Perm())
	}
	// Another pstab got there first: not an error, and the file is left alone.
	if err := os.WriteFile(path, []byte("theirs"), 0o600); err != nil {
		t.Fatal(err)
	}
	created, err = createPrivate(path)
	if err != nil || created {
		t.Errorf("second create: %v, %v; want false, nil", created, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "theirs" {
		t.Errorf("file now holds %q", b)
	}
}
