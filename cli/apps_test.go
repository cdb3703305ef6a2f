package cli

import (
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// listOf is an app list shaped like the benchmark store's: 1,000 apps changed over the
// last hours and weeks, some submitted.
func listOf(n int, now time.Time) []store.AppSummary {
	apps := make([]store.AppSummary, n)
	for i := range apps {
		a := &apps[i]
		a.Key = fmt.Sprintf("com.example.app%04d", i)
		a.Name = "App " + a.Key
		a.Hosting = "cloud"
		a.Answered, a.Total = i%31, 30
		a.Status = store.StatusDraft
		if i%7 == 0 {
			a.Status, a.FormStatus = "submitted", "SUBMITTED"
		}
		a.ChangedAt = now.Add(-time.Duration(i) * 37 * time.Minute)
	}
	return apps
}

// BenchmarkAppTable lays out pstab apps's table for 1,000 apps.
func BenchmarkAppTable(b *testing.B) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	apps := listOf(1000, now)
	for b.Loop() {
		if out := appTable(apps, now); strings.Count(out, "\n") != 1001 {
			b.Fatalf("%d lines", strings.Count(out, "\n"))
		}
	}
}

// TestAppTableLaysOutAsTabwriter: the app list's own layout is text/tabwriter's with
// padding 2, for plain names, names that need cleaning or cutting, and wide characters.
func TestAppTableLaysOutAsTabwriter(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	apps := listOf(40, now)
	apps[3].Name = "  Two  spaces\tand a tab  "
	apps[4].Name = strings.Repeat("Long name ", 8)
	apps[5].Name = "Ünïcödé 名前 app"
	apps[6].Name = "Bell\a and escape\x1b[31m red"
	apps[7].FormStatus = "APPROVED"
	apps[8].ChangedAt = time.Time{}
	apps[9].Total = 0
	var want strings.Builder
	tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tNAME\tCOMPLETE\tSTATUS\tCHANGED")
	for _, ap := range apps {
		status := ap.Status
		if ap.FormStatus != "" {
			status += " (" + ap.FormStatus + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d%% (%d/%d)\t%s\t%s\n", ap.Key, oneLine(ap.Name, 40),
			ap.Percent(), ap.Answered, ap.Total, status, questionnaire.Ago(now, ap.ChangedAt))
	}
	tw.Flush()
	if got := appTable(apps, now); got != want.String() {
		t.Errorf("appTable:\n%s\ntabwriter:\n%s", got, want.String())
	}
}
