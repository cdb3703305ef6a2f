package questionnaire

import (
	"testing"
	"time"
)

func TestWords(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{Plural(1, "question"), "1 question"},
		{Plural(3, "question"), "3 questions"},
		{Plural(2, "entry"), "2 entries"},
		{Plural(2, "day"), "2 days"},
		{Plural(0, "answer"), "0 answers"},
		{Sentence("the file is damaged"), "The file is damaged."},
		{Sentence("security-policy takes a link"), "security-policy takes a link."},
		{Sentence("com.example.app has no draft"), "com.example.app has no draft."},
		{Sentence("is it?"), "Is it?"},
		{Sentence("pstab rm takes one app KEY"), "pstab rm takes one app KEY."},
		{Sentence("payload.json: expected an object"), "payload.json: expected an object."},
		{Sentence("pstabs are"), "Pstabs are."},
		{LowerFirst("The draft"), "the draft"},
		{LowerFirst("I saved it"), "I saved it"},
		{Ago(now, time.Time{}), "never"},
		{Ago(now, now.Add(-30*time.Second)), "just now"},
		{Ago(now, now.Add(-12*time.Minute)), "12 min ago"},
		{Ago(now, now.Add(-5*time.Hour)), "5 h ago"},
		{Ago(now, now.Add(-24*time.Hour)), "1 day ago"},
		{Ago(now, now.Add(-72*time.Hour)), "3 days ago"},
		{Ago(now, now.Add(-13*24*time.Hour)), "13 days ago"},
		{Ago(now, now.Add(-40*24*time.Hour)), now.Add(-40 * 24 * time.Hour).Local().Format("2 Jan 2006")},
		{Ago(now, time.Date(2025, 3, 9, 12, 0, 0, 0, time.Local)), "9 Mar 2025"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1.0 KB", 20 << 10: "20.0 KB", 3 << 19: "1.5 MB", 4 << 20: "4.0 MB"} {
		if got := ByteSize(n); got != want {
			t.Errorf("ByteSize(%d) = %q, want %q", n, got, want)
		}
	}
}
