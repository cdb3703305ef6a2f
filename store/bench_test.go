package store

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// fixtureDirs are temporary folders benchmarks made outside t.TempDir (their fixtures are
// built once per process); TestMain removes them.
var fixtureDirs []string

func cleanupFixtures() {
	for _, d := range fixtureDirs {
		os.RemoveAll(d)
	}
}

// peakRSS reports the process's peak resident memory in MB (Linux), or 0.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

// autosaveStore is a store with one app whose draft answers every question, as a draft
// being finished would: each save recomputes the progress over all of them.
func autosaveStore(b *testing.B) (*Store, DraftRef, *questionnaire.Question, int64) {
	s, _ := openTest(b)
	ps, _ := catalogues(b)
	if err := s.CreateApp(ctxb(), App{Key: "bench", Name: "Bench"}); err != nil {
		b.Fatal(err)
	}
	ref := psRef("bench")
	_, v, err := s.Replace(ctxb(), ref, sampleAnswers(ps, 1), EventImport, "", 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range ps.Questions {
		if q.Kind == questionnaire.KindLongText {
			return s, ref, q, v
		}
	}
	b.Fatal("no long-text question")
	return nil, ref, nil, 0
}

// bareInsert is the floor an autosave is measured against: one INSERT committed in an
// immediate transaction on a file with the store's very DSN.
type bareInsert struct {
	db *sql.DB
}

func newBareInsert(b *testing.B) *bareInsert {
	path := filepath.Join(b.TempDir(), "bare.db")
	db, err := sql.Open("sqlite", dsn(path, "immediate"))
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	return &bareInsert{db: db}
}

func (bi *bareInsert) insert(b *testing.B, v string) {
	tx, err := bi.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO t (v) VALUES (?)", v); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// autosaveText is a typical long answer being typed: two versions, so every save writes.
func autosaveText(i int) string {
	return fmt.Sprintf("We keep logs for %d days in eu-west-1, encrypted at rest with AES-256; support staff see them only during an open ticket.", 30+i%2)
}

// BenchmarkAutosave measures one SaveAnswer against a bare INSERT commit with the same
// pragmas. Both are dominated by the fsync of the WAL at COMMIT (synchronous=FULL);
// "ratio" is the interleaved comparison, so disk noise hits both alike.
func BenchmarkAutosave(b *testing.B) {
	b.Run("SaveAnswer", func(b *testing.B) {
		s, ref, q, v := autosaveStore(b)
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			var err error
			if v, err = s.SaveAnswer(ctxb(), ref, q.ID, questionnaire.Text(autosaveText(i)), v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("BareInsert", func(b *testing.B) {
		bi := newBareInsert(b)
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			bi.insert(b, autosaveText(i))
		}
	})
	b.Run("Interleaved", func(b *testing.B) {
		s, ref, q, v := autosaveStore(b)
		bi := newBareInsert(b)
		var saveT, insertT time.Duration
		n := 0
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			t0 := time.Now()
			var err error
			if v, err = s.SaveAnswer(ctxb(), ref, q.ID, questionnaire.Text(autosaveText(i)), v); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			bi.insert(b, autosaveText(i))
			insertT += time.Since(t1)
			saveT += t1.Sub(t0)
			n++
		}
		b.ReportMetric(float64(saveT.Microseconds())/float64(n), "µs/save")
		b.ReportMetric(float64(insertT.Microseconds())/float64(n), "µs/insert")
		b.ReportMetric(float64(saveT)/float64(insertT), "ratio")
	})
}

// The app-list fixture: fixtureApps apps with fixtureRevisions save points each. The first
// save point answers every question; each later one changes fixtureChanges answers, as a
// partner revising a listing between save points does. PSTAB_BENCH_APPS,
// PSTAB_BENCH_SAVEPOINTS and PSTAB_BENCH_CHANGES change the shape for the growth figures
// of .ci/perf (PSTAB_BENCH_CHANGES=all changes every answer at every save point, the worst
// case for keeping what changed).
var (
	fixtureApps      = envInt("PSTAB_BENCH_APPS", 1000)
	fixtureRevisions = envInt("PSTAB_BENCH_SAVEPOINTS", 30)
	fixtureChanges   = envInt("PSTAB_BENCH_CHANGES", 3)
)

// envInt reads a positive number from the environment; "all" is -1.
func envInt(name string, def int) int {
	v := os.Getenv(name)
	if v == "all" {
		return -1
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return def
}

var (
	fixtureOnce sync.Once
	fixturePath string
	fixtureErr  error
	fixtureTime time.Duration
)

// appsFixture builds the fixture once per process, in batched transactions through the
// store's own draft code (replace, save point, progress), and returns its path.
//
// With PSTAB_BENCH_FIXTURE set to a file path, the fixture is built there (or reused if
// that file exists) and kept: .ci/perf measures the real binary on it.
func appsFixture(b *testing.B) string {
	fixtureOnce.Do(func() {
		start := time.Now()
		if p := os.Getenv("PSTAB_BENCH_FIXTURE"); p != "" {
			fixturePath = p
			if _, err := os.Stat(p); err == nil {
				return
			}
			fixtureErr = buildFixture(b, p)
			fixtureTime = time.Since(start)
			return
		}
		dir, err := os.MkdirTemp("", "pstab-bench-")
		if err != nil {
			fixtureErr = err
			return
		}
		fixtureDirs = append(fixtureDirs, dir)
		fixturePath = filepath.Join(dir, "pstab.db")
		fixtureErr = buildFixture(b, fixturePath)
		fixtureTime = time.Since(start)
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixturePath
}

func buildFixture(tb testing.TB, path string) error {
	return buildShape(tb, path, fixtureApps, fixtureRevisions, fixtureChanges)
}

// buildShape builds a store of apps apps (keys com.example.app0000...) with savePoints
// save points each, changing changes answers between them (-1: every answer).
func buildShape(tb testing.TB, path string, apps, savePoints, changes int) error {
	ps, sa := catalogues(tb)
	clk := newClock()
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}, Now: clk.Now})
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	// Encode a few variants once; the save points draw their answers from them.
	var variants []map[string]string
	for v := range 7 {
		raw, err := encodeAnswers(ps, sampleAnswers(ps, v))
		if err != nil {
			return err
		}
		variants = append(variants, raw)
	}
	ids := slices.Sorted(maps.Keys(variants[0]))
	const perTx = 50
	for first := 0; first < apps; first += perTx {
		err := s.withTx(ctx, func(tx *sql.Tx) error {
			for n := first; n < first+perTx && n < apps; n++ {
				key := fmt.Sprintf("com.example.app%04d", n)
				now := clk.Now().UnixNano()
				if _, err := tx.ExecContext(ctx, "INSERT INTO apps (key, name, hosting, product_id, created_at, updated_at) VALUES (?, ?, 'cloud', '', ?, ?)",
					key, "App "+key, now, now); err != nil {
					return err
				}
				dt := &draftTx{ctx: ctx, tx: tx, q: s.on(tx), s: s, ref: psRef(key), cat: ps, row: draftRow{status: StatusDraft}}
				raw := maps.Clone(variants[n%len(variants)])
				for r := range savePoints {
					dt.now = clk.Now().UnixNano()
					switch {
					case r == 0:
					case changes < 0:
						raw = maps.Clone(variants[(n+r)%len(variants)])
					default:
						for c := range changes {
							id := ids[(n*7+r*changes+c)%len(ids)]
							raw[id] = variants[(n+r)%len(variants)][id]
						}
					}
					if err := dt.replace(raw, sql.NullString{}, sql.NullString{}); err != nil {
						return err
					}
					if _, err := dt.savePoint(EventSavePoint, fmt.Sprintf("pass %d", r+1)); err != nil {
						return err
					}
					if err := dt.finish(); err != nil {
						return err
					}
					dt.bump = false
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func openFixture(b *testing.B) *Store {
	path := appsFixture(b)
	ps, sa := catalogues(b)
	s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func reportFixture(b *testing.B) {
	if info, err := os.Stat(fixturePath); err == nil {
		b.ReportMetric(float64(info.Size())/(1<<20), "MB-file")
	}
	b.ReportMetric(fixtureTime.Seconds(), "s-fixture")
	b.ReportMetric(peakRSS(), "MB-peak-RSS")
}

// BenchmarkApps lists 1,000 apps with 30 save points each (aim: under 20 ms).
func BenchmarkApps(b *testing.B) {
	s := openFixture(b)
	b.ResetTimer()
	for b.Loop() {
		apps, err := s.Apps(ctxb())
		if err != nil {
			b.Fatal(err)
		}
		if len(apps) != fixtureApps {
			b.Fatalf("%d apps", len(apps))
		}
	}
	b.StopTimer()
	reportFixture(b)
}

// BenchmarkLoad loads one app's draft from that store (aim: under 10 ms).
func BenchmarkLoad(b *testing.B) {
	s := openFixture(b)
	ref := psRef(fmt.Sprintf("com.example.app%04d", fixtureApps/2))
	b.ResetTimer()
	for b.Loop() {
		d, err := s.Load(ctxb(), ref)
		if err != nil {
			b.Fatal(err)
		}
		if d.Revision != fixtureRevisions || d.Dirty {
			b.Fatalf("revision %d dirty %v", d.Revision, d.Dirty)
		}
	}
	b.StopTimer()
	reportFixture(b)
}

// BenchmarkOpen opens that store and closes it again, for writing (as the wizard does)
// and for reading (as pstab apps does). Open checks what every command reads; the check of
// the whole file, which grows with history, waits for the first write (BenchmarkFirstWrite).
func BenchmarkOpen(b *testing.B) {
	path := appsFixture(b)
	ps, sa := catalogues(b)
	for _, ro := range []bool{false, true} {
		name := "write"
		if ro {
			name = "read"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}, ReadOnly: ro})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

// BenchmarkFirstWrite is what the first write of a process costs on that store: the check
// of the whole file, then the write (SetResume, which changes nothing the list shows).
func BenchmarkFirstWrite(b *testing.B) {
	path := appsFixture(b)
	ps, sa := catalogues(b)
	ref := psRef(fmt.Sprintf("com.example.app%04d", fixtureApps/2))
	for i := 0; b.Loop(); i++ {
		s, err := Open(ctxb(), path, Options{Catalogues: questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.SetResume(ctxb(), ref, "security", fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// TestCloneFixture is a tool for .ci/perf, skipped unless PSTAB_CLONE_FROM is set: it
// copies the store at PSTAB_CLONE_FROM to PSTAB_CLONE_TO with its apps repeated
// PSTAB_CLONE_TIMES times under new keys (com.example.app1000 onwards), every row of every
// draft with them. Building 10,000 apps through the store's code would take ten times the
// 1,000-app fixture's minute; a copy of the same shape takes seconds. It reads the tables'
// columns from the file, so it copies a file of any schema.
func TestCloneFixture(t *testing.T) {
	from, to := os.Getenv("PSTAB_CLONE_FROM"), os.Getenv("PSTAB_CLONE_TO")
	if from == "" || to == "" {
		t.Skip("a tool for .ci/perf: set PSTAB_CLONE_FROM, PSTAB_CLONE_TO and PSTAB_CLONE_TIMES")
	}
	times := envInt("PSTAB_CLONE_TIMES", 10)
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(to, "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var apps, maxDraft, maxEvent int64
	if err := db.QueryRow("SELECT count(*), (SELECT max(id) FROM drafts), (SELECT coalesce(max(id), 0) FROM events) FROM apps").Scan(&apps, &maxDraft, &maxEvent); err != nil {
		t.Fatal(err)
	}
	tables, err := tableNames(ctxb(), db)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	// The new key of an app: its number plus k times the number of apps.
	newKey := func(col string, k int) string {
		return fmt.Sprintf("printf('com.example.app%%04d', CAST(substr(%s, 16) AS INTEGER) + %d)", col, int64(k)*apps)
	}
	// Apps and drafts first: the other tables refer to them.
	order := []string{"apps", "drafts"}
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		if name != "apps" && name != "drafts" && name != versionTable {
			order = append(order, name)
		}
	}
	for k := 1; k < times; k++ {
		for _, table := range order {
			rows, err := tx.Query("SELECT name FROM pragma_table_info(?)", table)
			if err != nil {
				t.Fatal(err)
			}
			var cols, exprs []string
			for rows.Next() {
				var c string
				rows.Scan(&c)
				cols = append(cols, c)
				e := c
				switch {
				case table == "apps" && c == "key", table == "drafts" && c == "subject":
					e = newKey(c, k)
				case table == "apps" && c == "name":
					e = "'App ' || " + newKey("key", k)
				case table == "drafts" && c == "id", c == "draft_id":
					e = fmt.Sprintf("%s + %d", c, int64(k)*maxDraft)
				case table == "events" && c == "id":
					e = fmt.Sprintf("id + %d", int64(k)*maxEvent)
				}
				exprs = append(exprs, e)
			}
			rows.Close()
			where := ""
			switch {
			case table == "apps":
				where = fmt.Sprintf(" WHERE CAST(substr(key, 16) AS INTEGER) < %d", apps)
			case table == "drafts":
				where = fmt.Sprintf(" WHERE id <= %d", maxDraft)
			case slices.Contains(cols, "draft_id"):
				where = fmt.Sprintf(" WHERE draft_id <= %d", maxDraft)
			}
			q := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s%s", table, strings.Join(cols, ", "), strings.Join(exprs, ", "), table, where)
			if _, err := tx.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM apps").Scan(&n); err != nil || n != apps*int64(times) {
		t.Fatalf("%d apps after cloning, %v", n, err)
	}
}
