package ui

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/questionnaire"
)

// readAll reads everything the guard lets through, the way bubbletea does: small reads.
func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	var out bytes.Buffer
	buf := make([]byte, 256)
	for {
		n, err := r.Read(buf)
		out.Write(buf[:n])
		if err == io.EOF {
			return out.Bytes()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestInputGuardPassesOrdinaryInput(t *testing.T) {
	in := "hello world\r\x1b[A\x1b[B\x1b[200~a pasted line\nanother\x1b[201~ typed after é ✓\t"
	cuts := 0
	got := readAll(t, newInputGuard(strings.NewReader(in), func() { cuts++ }))
	if string(got) != in || cuts != 0 {
		t.Fatalf("ordinary input was changed (cuts %d):\n got %q\nwant %q", cuts, got, in)
	}
}

func TestInputGuardCutsAHugeRun(t *testing.T) {
	in := strings.Repeat("x", 1<<20) + " after"
	cuts := 0
	got := readAll(t, newInputGuard(strings.NewReader(in), func() { cuts++ }))
	want := strings.Repeat("x", maxPasteBytes) + " after"
	if string(got) != want {
		t.Fatalf("got %d bytes ending %q, want %d bytes ending %q", len(got), got[max(0, len(got)-10):], len(want), want[len(want)-10:])
	}
	if cuts != 1 {
		t.Fatalf("onCut called %d times, want once", cuts)
	}
}

func TestInputGuardCutsAHugeBracketedPasteAndKeepsItsEnd(t *testing.T) {
	body := strings.Repeat("lorem ipsum dolor\n", 60000)
	in := "\x1b[200~" + body + "\x1b[201~" + "typed"
	cuts := 0
	// One byte per read: the markers arrive split across reads.
	got := readAll(t, newInputGuard(iotest.OneByteReader(strings.NewReader(in)), func() { cuts++ }))
	want := "\x1b[200~" + body[:maxPasteBytes] + "\x1b[201~" + "typed"
	if string(got) != want {
		t.Fatalf("got %d bytes, want %d; tail %q", len(got), len(want), got[max(0, len(got)-20):])
	}
	if cuts != 1 {
		t.Fatalf("onCut called %d times, want once", cuts)
	}
	// A second paste is judged on its own.
	got = readAll(t, newInputGuard(strings.NewReader(in+in), func() {}))
	if string(got) != want+want {
		t.Fatal("the guard did not recover after the first paste")
	}
}

func TestListEditorTakesPastedLinesAsItems(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, "com.example.paste", "Paste")
	setAnswer(t, s, "com.example.paste", "stores-eud", questionnaire.Bool(true))
	d := newDriver(t, s, 100, 30)
	d.openApp() // lands on the first unanswered question: the empty list, ready for typing
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("alpha one\nbeta two\n\ngamma three")})
	d.press("tab") // leave the list: it is saved
	d.send(saveTickMsg{seq: d.m.wizard.saveSeq})
	v, ok := savedAnswer(t, s, "com.example.paste", "stored-data-types")
	if !ok {
		t.Fatalf("the pasted list was not saved:\n%s", d.screen())
	}
	if got := strings.Join(v.List, "|"); got != "alpha one|beta two|gamma three" {
		t.Fatalf("items = %q", got)
	}
}
