package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pstab/pstab/questionnaire"
)

// rowsOf counts a draft's stored save-point rows.
func rowsOf(t *testing.T, s *Store, ref DraftRef) int {
	t.Helper()
	var n int
	err := s.db.QueryRow(`SELECT count(*) FROM revision_answers r JOIN drafts d ON d.id = r.draft_id
		WHERE d.subject = ? AND d.questionnaire = ?`, ref.Subject, ref.Questionnaire).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSavePointsKeepWhatChanged: thirty save points that change three answers each hold
// the first copy and three rows each, not thirty copies; every one of them still reads
// back exactly as it was made.
func TestSavePointsKeepWhatChanged(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	a := sampleAnswers(ps, 0)
	a.Extra = map[string]any{"futureField": "kept"}
	if _, _, err := s.Replace(ctx, ref, a, EventImport, "", AnyVersion); err != nil {
		t.Fatal(err)
	}
	full := rowsOf(t, s, ref)
	ids := slices.Sorted(maps.Keys(a.Values))
	if full != len(ids)+1 { // every answer, and @extra
		t.Fatalf("first save point: %d rows, want %d", full, len(ids)+1)
	}
	want := []string{valuesJSON(t, ps, a)}
	for r := 1; r < 30; r++ {
		for c := range 3 {
			id := ids[(r*3+c)%len(ids)]
			a.Set(id, sampleValue(ps.Question(id), r))
		}
		if r == 10 {
			delete(a.Values, ids[0]) // a removal is a change too
		}
		if _, _, err := s.Replace(ctx, ref, a, EventImport, "", AnyVersion); err != nil {
			t.Fatal(err)
		}
		want = append(want, valuesJSON(t, ps, a))
	}
	if n := rowsOf(t, s, ref); n > full+29*4 {
		t.Errorf("30 save points of 3 changes hold %d rows; a copy each would be %d, what changed at most %d", n, 30*full, full+29*4)
	}
	for i, w := range want {
		if got := valuesJSON(t, ps, answersOf(t, s, ref, i+1)); got != w {
			t.Errorf("save point %d reads back as\n%s\nwant\n%s", i+1, got, w)
		}
	}
	if d := load(t, s, ref); d.Dirty || d.Revision != 30 {
		t.Errorf("draft: dirty %v revision %d", d.Dirty, d.Revision)
	}
}

// TestLongHistoryIsKeptWholeNowAndThen: when every save point changes every answer, the
// chain is cut by whole save points, so that reading one replays a bounded number of rows.
func TestLongHistoryIsKeptWholeNowAndThen(t *testing.T) {
	s, _ := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	for r := range 12 {
		if _, _, err := s.Replace(ctx, ref, sampleAnswers(ps, r), EventImport, "", AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	d := load(t, s, ref)
	var worst int
	for n := 1; n <= d.Revision; n++ {
		err := s.read(ctx, func(tx *sql.Tx) error {
			var id int64
			if err := tx.QueryRow("SELECT id FROM drafts WHERE subject = 'a'").Scan(&id); err != nil {
				return err
			}
			_, chain, err := readState(ctx, tx, ref, id, n)
			worst = max(worst, chain)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := valuesJSON(t, ps, answersOf(t, s, ref, n)), valuesJSON(t, ps, sampleAnswers(ps, n-1)); got != want {
			t.Errorf("save point %d does not read back", n)
		}
	}
	size := len(sampleAnswers(ps, 0).Values)
	if limit := wholeEvery*size + 8 + size; worst > limit {
		t.Errorf("reading a save point replayed %d rows; the bound is %d", worst, limit)
	}
}

// scribble makes one stored save-point value of app a something that is not JSON.
func scribble(t *testing.T, path string, number int, question string) {
	t.Helper()
	db, err := sql.Open("sqlite", fileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE revision_answers SET value = '{"scribbled'
		WHERE number = ? AND question = ? AND draft_id = (SELECT id FROM drafts WHERE subject = 'a')`, number, question)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("scribbled %d rows", n)
	}
}

// TestDamagedSavePointIsThatSavePointOnly: a save point whose stored value is scribbled
// cannot be read, and says which it is; the working draft, the other save points, the
// history and new save points are unaffected.
func TestDamagedSavePointIsThatSavePointOnly(t *testing.T) {
	s, path := openTest(t)
	ctx := ctxb()
	ps, _ := catalogues(t)
	if err := s.CreateApp(ctx, App{Key: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ref := psRef("a")
	yes, no := questionnaire.Bool(true), questionnaire.Bool(false)
	steps := []struct{ id string }{{"stores-eud"}, {"processes-eud"}, {"stores-eud"}, {"logs-eud"}}
	v := int64(0)
	for i, st := range steps {
		var err error
		val := yes
		if i == 2 {
			val = no
		}
		if v, err = s.SaveAnswer(ctx, ref, st.id, val, v); err != nil {
			t.Fatal(err)
		}
		if _, v, err = s.SavePoint(ctx, ref, fmt.Sprintf("step %d", i+1), v); err != nil {
			t.Fatal(err)
		}
	}
	// Save point 2 wrote processes-eud; 3 and 4 read it through the chain too.
	scribble(t, path, 2, "processes-eud")

	revs, err := s.Revisions(ctx, ref)
	if err != nil {
		t.Fatalf("the history of a draft with a damaged save point: %v", err)
	}
	var damaged []int
	for _, r := range revs {
		if r.Damaged {
			damaged = append(damaged, r.Number)
		}
	}
	if !slices.Equal(damaged, []int{2, 3, 4}) {
		t.Errorf("damaged save points %v, want [2 3 4] (2 wrote the value, 3 and 4 read it)", damaged)
	}
	_, err = s.RevisionAnswers(ctx, ref, 3)
	var spe *SavePointError
	if !errors.As(err, &spe) || spe.Number != 3 || spe.Ref != ref {
		t.Fatalf("reading save point 3: %v, want a *SavePointError for it", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "save point 3 of a privacy-security is damaged") || !strings.Contains(msg, "processes-eud") ||
		!strings.Contains(msg, "other save points are not affected") {
		t.Errorf("message %q", msg)
	}
	if _, err := s.RevisionAnswers(ctx, ref, 1); err != nil {
		t.Errorf("save point 1: %v", err)
	}
	d := load(t, s, ref)
	if len(d.Answers.Values) != 3 || !d.Dirty {
		t.Errorf("the draft: %d answers, dirty %v; want its 3 answers, dirty since its latest save point cannot be read", len(d.Answers.Values), d.Dirty)
	}
	if _, _, err := s.Revert(ctx, ref, 4, AnyVersion); !errors.As(err, &spe) {
		t.Errorf("revert to a damaged save point: %v", err)
	}
	// A new save point does not build on the damaged one: it reads back whole.
	rev, _, err := s.SavePoint(ctx, ref, "after the damage", AnyVersion)
	if err != nil {
		t.Fatal(err)
	}
	if got := answersOf(t, s, ref, rev.Number); valuesJSON(t, ps, got) != valuesJSON(t, ps, load(t, s, ref).Answers) {
		t.Error("the save point made after the damage does not hold the draft")
	}
	if d := load(t, s, ref); d.Dirty {
		t.Error("still dirty after a good save point")
	}
}

// v1Snapshot is a save point as schemas 1 to 4 wrote it.
func v1Snapshot(t *testing.T, c *questionnaire.Catalogue, a questionnaire.Answers) string {
	t.Helper()
	raw, err := encodeAnswers(c, a)
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshotV1{Answers: map[string]json.RawMessage{}}
	for id, v := range raw {
		snap.Answers[id] = json.RawMessage(v)
	}
	if a.Extra != nil {
		b, _ := json.Marshal(a.Extra)
		snap.Extra = b
	}
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestUpgradeFromFullCopies builds a file with full copies, one of them scribbled, at
// schema 1 (the first pstab), 2 (the published schema's spellings), 3 (reviews) and 4
// (scans), and opens it: the upgrade keeps a copy of the old file, every save point reads
// back as it was, the scribbled one is listed as damaged (its text kept), and the file
// ends smaller.
func TestUpgradeFromFullCopies(t *testing.T) {
	for _, from := range []int{1, 2, 3, 4} {
		t.Run(fmt.Sprintf("schema%d", from), func(t *testing.T) { testUpgradeFromFullCopies(t, from) })
	}
}

func testUpgradeFromFullCopies(t *testing.T, from int) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	ps, _ := catalogues(t)
	db := fullCopiesDB(t, path, from)
	var want [][]string
	const apps, points = 20, 12
	err := withRawTx(db, func(tx *sql.Tx) error {
		for n := range apps {
			key := fmt.Sprintf("app%02d", n)
			if _, err := tx.Exec("INSERT INTO apps (key, name, created_at, updated_at) VALUES (?, ?, 1, 1)", key, key); err != nil {
				return err
			}
			var id int64
			if err := tx.QueryRow("INSERT INTO drafts (subject, questionnaire, version, revision, created_at, updated_at) VALUES (?, 'privacy-security', ?, ?, 1, 1) RETURNING id",
				key, points, points).Scan(&id); err != nil {
				return err
			}
			a := sampleAnswers(ps, n)
			a.Extra = map[string]any{"futureField": n}
			var texts []string
			for r := range points {
				id2 := slices.Sorted(maps.Keys(a.Values))[r%len(a.Values)]
				a.Set(id2, sampleValue(ps.Question(id2), r+n))
				body := v1Snapshot(t, ps, a)
				if n == 3 && r == 5 {
					body = `{"answers": {"stores-eud": tru` // scribbled
				}
				texts = append(texts, valuesJSON(t, ps, a))
				if _, err := tx.Exec("INSERT INTO revisions (draft_id, number, at, kind, message, snapshot) VALUES (?, ?, ?, 'save point', '', ?)",
					id, r+1, r+1, body); err != nil {
					return err
				}
			}
			raw, _ := encodeAnswers(ps, a)
			for q, v := range raw {
				if _, err := tx.Exec("INSERT INTO answers (draft_id, question, value, saved_at) VALUES (?, ?, ?, 1)", id, q, v); err != nil {
					return err
				}
			}
			extra, _ := json.Marshal(a.Extra)
			if _, err := tx.Exec("UPDATE drafts SET extra = ? WHERE id = ?", string(extra), id); err != nil {
				return err
			}
			want = append(want, texts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.Stat(path)

	var notes []string
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps}, Warn: func(m string) { notes = append(notes, m) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bak := fmt.Sprintf("%s.bak-schema%d", path, from)
	if len(notes) != 1 || !strings.Contains(notes[0], "is being upgraded") || !strings.Contains(notes[0], bak) {
		t.Errorf("notes %q, want one saying the file is upgraded and where its copy is", notes)
	}
	if _, err := os.Stat(bak); err != nil {
		t.Errorf("no copy kept: %v", err)
	}
	for n := range apps {
		ref := psRef(fmt.Sprintf("app%02d", n))
		revs, err := s.Revisions(ctxb(), ref)
		if err != nil || len(revs) != points {
			t.Fatalf("%s: %d save points, %v", ref.Subject, len(revs), err)
		}
		for r := range points {
			got, err := s.RevisionAnswers(ctxb(), ref, r+1)
			if n == 3 && r == 5 {
				var spe *SavePointError
				if !errors.As(err, &spe) || !revs[r].Damaged {
					t.Errorf("the scribbled save point: %v, damaged %v", err, revs[r].Damaged)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s save point %d: %v", ref.Subject, r+1, err)
			}
			if valuesJSON(t, ps, got) != want[n][r] {
				t.Errorf("%s save point %d reads back differently after the upgrade", ref.Subject, r+1)
			}
		}
		if d := load(t, s, ref); d.Dirty {
			t.Errorf("%s is dirty after the upgrade", ref.Subject)
		}
	}
	var kept string
	if err := s.db.QueryRow("SELECT damaged FROM revisions WHERE number = 6 AND damaged IS NOT NULL").Scan(&kept); err != nil || !strings.Contains(kept, "tru") {
		t.Errorf("the scribbled copy was not kept as it was: %q, %v", kept, err)
	}
	after, _ := os.Stat(path)
	if after.Size() >= before.Size() {
		t.Errorf("upgraded file %d bytes, was %d", after.Size(), before.Size())
	}
	t.Logf("schema %d file %d KB, upgraded %d KB", from, before.Size()>>10, after.Size()>>10)
}

// v1DB makes a file at schema 1, as the first pstab wrote it, and returns it open.
func v1DB(t *testing.T, path string) *sql.DB {
	return fullCopiesDB(t, path, 1)
}

// fullCopiesDB makes a file at schema 1 to 4 (all kept save points as full copies), as
// the pstab of that schema wrote it, and returns it open.
func fullCopiesDB(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	if _, err := createPrivate(path); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(path, "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	qs := []string{"CREATE TABLE " + versionTable + " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"}
	for _, m := range migrations()[:version] {
		qs = append(qs, m.sql, fmt.Sprintf("INSERT INTO %s VALUES (%d, '%s', 0)", versionTable, m.version, m.name))
	}
	qs = append(qs, fmt.Sprintf("PRAGMA application_id = %d", applicationID))
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func withRawTx(db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// TestReservedNamesAreNotAnswers: an answer to an unknown question named @extra or
// @envelope (a bundle may carry one) would come back from a save point as the payload's
// Extra or Envelope, so it is refused, and nothing is written.
func TestReservedNamesAreNotAnswers(t *testing.T) {
	s, _ := openTest(t)
	ref := psRef("com.example.app")
	if err := s.CreateApp(ctxb(), App{Key: ref.Subject, Name: "App"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{keyExtra, keyEnvelope, "@other"} {
		a := questionnaire.NewAnswers()
		a.Unknown = map[string]json.RawMessage{name: json.RawMessage(`{"futureField":1}`)}
		_, _, err := s.Replace(ctxb(), ref, a, EventImport, "", AnyVersion)
		if err == nil || !strings.Contains(err.Error(), "answers."+name+" cannot be kept") {
			t.Errorf("an answer named %s: %v", name, err)
		}
	}
	if d := load(t, s, ref); d.Version != 0 || len(d.Answers.Unknown) != 0 || d.Answers.Extra != nil {
		t.Errorf("a refused import wrote: version %d, unknown %v, extra %v", d.Version, d.Answers.Unknown, d.Answers.Extra)
	}
}
