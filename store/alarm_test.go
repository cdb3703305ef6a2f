package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
)

var alarmSeconds = flag.Float64("alarm.seconds", 0, "how long TestNoFalseDamageUnderConcurrency runs (0: 15 s, or 3 s with -short)")

// The false-alarm test: processes that open the file, write one save point or import and
// close it, as pstab savepoint and pstab import do, while others open it, list the apps,
// load a draft and close it, as pstab apps and pstab export do. The file is healthy
// throughout; any "damaged" verdict is a lie.
const (
	alarmApps    = 250
	alarmWriters = 2
	alarmReaders = 2
)

// alarmChild is one writer ("write") or reader ("read") of that test. It loops until the
// deadline, then reports "done OPS DAMAGED OTHER" and the first message of each kind.
func alarmChild() error {
	ctx := context.Background()
	path := os.Getenv("PSTAB_CHILD_DB")
	role := os.Getenv("PSTAB_CHILD_ALARM")
	deadline, err := strconv.ParseInt(os.Getenv("PSTAB_CHILD_DEADLINE"), 10, 64)
	if err != nil {
		return err
	}
	cats, err := embedded.Catalogues()
	if err != nil {
		return err
	}
	ps := cats.PrivacySecurity
	var variants []questionnaire.Answers
	for v := range 4 {
		variants = append(variants, sampleAnswers(ps, v))
	}
	ops, damaged, other := 0, 0, 0
	var firstDamage, firstOther string
	count := func(err error) {
		var fe *FileError
		if errors.As(err, &fe) && fe.Problem == ProblemDamaged {
			damaged++
			if firstDamage == "" {
				firstDamage = err.Error()
			}
			return
		}
		other++
		if firstOther == "" {
			firstOther = err.Error()
		}
	}
	for i := 0; time.Now().UnixNano() < deadline; i++ {
		key := fmt.Sprintf("com.example.app%04d", (i*7+os.Getpid())%alarmApps)
		// A pause, as between two runs of a command: the moments when no process has the
		// file open are the ones a check that reads without locks got wrong.
		time.Sleep(time.Duration((i*7919+os.Getpid())%40) * time.Millisecond)
		opts := Options{Catalogues: cats}
		if role == "read" {
			setReadOnly(&opts, i%2 == 0)
		}
		s, err := Open(ctx, path, opts)
		if err != nil {
			count(err)
			continue
		}
		switch role {
		case "write":
			if i%2 == 0 {
				_, _, err = s.SavePoint(ctx, psRef(key), fmt.Sprintf("pass %d", i), AnyVersion)
			} else {
				_, _, err = s.Replace(ctx, psRef(key), variants[i%len(variants)], EventImport, "", AnyVersion)
			}
		default:
			if _, err = s.Apps(ctx); err == nil {
				_, err = s.Load(ctx, psRef(key))
			}
		}
		if err != nil {
			count(err)
		}
		if err := s.Close(); err != nil {
			count(err)
		}
		ops++
	}
	say("done %d %d %d", ops, damaged, other)
	say("damage %s", strings.ReplaceAll(firstDamage, "\n", " "))
	say("other %s", strings.ReplaceAll(firstOther, "\n", " "))
	return nil
}

// TestNoFalseDamageUnderConcurrency runs two writers and two readers on one healthy file
// for fifteen seconds. Before the open-time check read one consistent snapshot, such a run
// reported the file damaged several times (quick_check read pages another process's
// checkpoint was rewriting).
func TestNoFalseDamageUnderConcurrency(t *testing.T) {
	secs := *alarmSeconds
	if secs == 0 {
		secs = 15
		if testing.Short() {
			secs = 3
		}
	}
	path := filepath.Join(t.TempDir(), "pstab.db")
	makeAlarmDB(t, path)

	deadline := time.Now().Add(time.Duration(secs * float64(time.Second)))
	type report struct {
		role, out, stderr string
		err               error
	}
	reports := make([]report, alarmWriters+alarmReaders)
	var wg sync.WaitGroup
	for i := range reports {
		role := "write"
		if i >= alarmWriters {
			role = "read"
		}
		cmd := childCommand("alarm", "PSTAB_CHILD_DB="+path, "PSTAB_CHILD_ALARM="+role,
			fmt.Sprintf("PSTAB_CHILD_DEADLINE=%d", deadline.UnixNano()))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := cmd.Wait()
			reports[i] = report{role: role, out: stdout.String(), stderr: stderr.String(), err: err}
		}()
	}
	wg.Wait()
	total := map[string][3]int{}
	for i, r := range reports {
		sc := bufio.NewScanner(strings.NewReader(r.out))
		var ops, damaged, other int
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		if r.err != nil || len(lines) < 3 {
			t.Fatalf("%s child %d: %v, said %q, stderr %s", r.role, i, r.err, r.out, r.stderr)
		}
		if _, err := fmt.Sscanf(lines[0], "done %d %d %d", &ops, &damaged, &other); err != nil {
			t.Fatalf("%s child %d said %q", r.role, i, lines[0])
		}
		if damaged > 0 {
			t.Errorf("%s child %d: %d of %d runs said the healthy file is damaged, e.g. %s", r.role, i, damaged, ops, strings.TrimPrefix(lines[1], "damage "))
		}
		if other > 0 {
			t.Errorf("%s child %d: %d of %d runs failed, e.g. %s", r.role, i, other, ops, strings.TrimPrefix(lines[2], "other "))
		}
		sum := total[r.role]
		total[r.role] = [3]int{sum[0] + ops, sum[1] + damaged, sum[2] + other}
	}
	t.Logf("%.0f s: writers %d runs (%d said damaged, %d other errors), readers %d runs (%d said damaged, %d other errors)",
		secs, total["write"][0], total["write"][1], total["write"][2], total["read"][0], total["read"][1], total["read"][2])

	// The file was healthy all along, as SQLite's own full check says.
	s := openAt(t, path)
	var ic string
	if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&ic); err != nil || ic != "ok" {
		t.Errorf("integrity_check after the run: %q, %v", ic, err)
	}
}

// makeAlarmDB writes alarmApps apps with ten save points of every answer each: several
// MB, so that a check of the whole file takes long enough to overlap other processes'
// writes.
func makeAlarmDB(t *testing.T, path string) {
	t.Helper()
	if err := buildShape(t, path, alarmApps, 10, -1); err != nil {
		t.Fatal(err)
	}
}

// setReadOnly opens a reader's store for reading only, as pstab apps does, or not.
func setReadOnly(o *Options, ro bool) { o.ReadOnly = ro }
