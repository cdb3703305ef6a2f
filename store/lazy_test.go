package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/pstab/pstab/questionnaire"
)

// TestOpenDoesNotWaitForCatalogues: Open returns while Options.LoadCatalogues is still
// parsing, the app list reads the file meanwhile and waits for it only to finish, and a
// catalogue that fails is the error of every method that needs one, not of Open.
func TestOpenDoesNotWaitForCatalogues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pstab.db")
	s := openAt(t, path)
	for _, k := range []string{"com.example.a", "com.example.b"} {
		if err := s.CreateApp(ctxb(), App{Key: k, Name: "App " + k}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveAnswer(ctxb(), psRef("com.example.a"), "stores-eud", questionnaire.Bool(false), 0); err != nil {
		t.Fatal(err)
	}
	s.Close()

	ps, sa := catalogues(t)
	release := make(chan struct{})
	calls := 0
	open := func(fail error) *Store {
		t.Helper()
		calls = 0
		opened := make(chan *Store, 1)
		go func() {
			s, err := Open(ctxb(), path, Options{ReadOnly: true, LoadCatalogues: func() (questionnaire.Catalogues, error) {
				calls++
				<-release
				return questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: sa}, fail
			}})
			if err != nil {
				t.Error(err)
			}
			opened <- s
		}()
		select {
		case s := <-opened:
			if s == nil {
				t.FailNow()
			}
			t.Cleanup(func() { s.Close() })
			return s
		case <-time.After(10 * time.Second):
			close(release)
			t.Fatal("Open waited for LoadCatalogues")
		}
		return nil
	}

	s = open(nil)
	listed := make(chan []AppSummary, 1)
	go func() {
		apps, err := s.Apps(ctxb())
		if err != nil {
			t.Error(err)
		}
		listed <- apps
	}()
	select {
	case <-listed:
		t.Fatal("Apps returned before the catalogues were given")
	case <-time.After(50 * time.Millisecond):
	}
	release <- struct{}{}
	apps := <-listed
	if len(apps) != 2 || apps[0].Key != "com.example.a" || apps[0].Answered != 1 || apps[1].Total != s.emptyTotal || apps[1].Total == 0 {
		t.Errorf("Apps = %+v", apps)
	}
	if _, err := s.Subject(ctxb(), "com.example.b"); err != nil || calls != 1 {
		t.Errorf("Subject after Apps: %v, LoadCatalogues called %d times, want once", err, calls)
	}

	broken := errors.New("the catalogue is refused")
	s = open(broken)
	close(release)
	if _, err := s.Apps(ctxb()); !errors.Is(err, broken) {
		t.Errorf("Apps with a refused catalogue: %v", err)
	}
	if _, err := s.Subject(ctxb(), "com.example.a"); !errors.Is(err, broken) {
		t.Errorf("Subject with a refused catalogue: %v", err)
	}
	if _, err := s.Load(ctxb(), psRef("com.example.a")); !errors.Is(err, broken) {
		t.Errorf("Load with a refused catalogue: %v", err)
	}
	if _, err := s.Questionnaires(); !errors.Is(err, broken) || calls != 1 {
		t.Errorf("Questionnaires: %v after %d calls, want the error of the one call", err, calls)
	}
}

// TestAppsSetsAsideOtherQuestionnaires: the app list's query names no questionnaire, so a
// draft of another one (a file from a pstab whose catalogue had another ID) must neither
// stand for the app's progress nor list the app twice.
func TestAppsSetsAsideOtherQuestionnaires(t *testing.T) {
	s, _ := openTest(t)
	for _, k := range []string{"com.example.a", "com.example.b"} {
		if err := s.CreateApp(ctxb(), App{Key: k, Name: "App " + k}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveAnswer(ctxb(), psRef("com.example.a"), "stores-eud", questionnaire.Bool(false), 0); err != nil {
		t.Fatal(err)
	}
	// Written as an older pstab would have: a later change, another questionnaire's ID.
	later := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	for _, k := range []string{"com.example.a", "com.example.b"} {
		if _, err := s.db.ExecContext(ctxb(), `INSERT INTO drafts (subject, questionnaire, answered, total, status, created_at, updated_at)
			VALUES (?, 'retired-questionnaire', 7, 9, 'submitted', ?, ?)`, k, later, later); err != nil {
			t.Fatal(err)
		}
	}
	apps, err := s.Apps(ctxb())
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 {
		t.Fatalf("Apps = %+v, want each app once", apps)
	}
	for _, a := range apps {
		want := AppSummary{Answered: 0, Total: s.emptyTotal, Status: StatusDraft}
		if a.Key == "com.example.a" {
			want.Answered = 1
		}
		if a.Answered != want.Answered || a.Total != want.Total || a.Status != want.Status || a.ChangedAt.Year() == 2030 {
			t.Errorf("%s: %d/%d %s changed %v, want %d/%d %s, not the other questionnaire's", a.Key,
				a.Answered, a.Total, a.Status, a.ChangedAt, want.Answered, want.Total, want.Status)
		}
	}
}
