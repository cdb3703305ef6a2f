package ui

import (
	"io"
	"os"
)

// maxPasteBytes bounds one paste, or one unbroken run of characters, that reaches the
// program. The longest answer takes 5,000 characters; 64 KB leaves room for any of them in
// any script.
const maxPasteBytes = 64 << 10

// inputGuard sits between the terminal and bubbletea. bubbletea v1 reads input 256 bytes at
// a time and, while a bracketed paste or a run of characters is unfinished, re-reads all of
// it on every read: a 1 MB paste costs minutes and freezes the screen. The guard passes
// everything through, except that it drops what goes past maxPasteBytes in one paste or one
// run (keeping the paste's end marker) and reports the cut, so the partner sees a message
// instead of a frozen screen. The answer's own limit applies after that.
type inputGuard struct {
	r     io.Reader
	limit int
	onCut func()

	inPaste  bool
	count    int // bytes of the current paste, or of the current run of word characters
	dropping bool
	cutSaid  bool // onCut was called for the current paste or run
	startM   int  // bytes of the paste-start marker matched so far
	endM     int  // bytes of the paste-end marker matched so far

	raw []byte
}

var (
	pasteStart = []byte("\x1b[200~")
	pasteEnd   = []byte("\x1b[201~")
)

func newInputGuard(r io.Reader, onCut func()) *inputGuard {
	return &inputGuard{r: r, limit: maxPasteBytes, onCut: onCut, raw: make([]byte, 4096)}
}

// Read fills p with the guarded input. When everything read was dropped it returns 0 and
// no error, rather than block again: bubbletea reads again, and a cancelled program is not
// held up by a read that waits for input.
func (g *inputGuard) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := g.r.Read(g.raw[:min(len(p), len(g.raw))])
	out := g.filter(g.raw[:n], p[:0])
	return len(out), err
}

// guardedFile is an inputGuard over a terminal file. It keeps the file's methods, so that
// bubbletea still puts the terminal in raw mode and waits on it with epoll.
type guardedFile struct {
	*inputGuard
	f *os.File
}

func (g *guardedFile) Write(p []byte) (int, error) { return g.f.Write(p) }
func (g *guardedFile) Close() error                { return g.f.Close() }
func (g *guardedFile) Fd() uintptr                 { return g.f.Fd() }
func (g *guardedFile) Name() string                { return g.f.Name() }

// guardInput wraps the program's input in an inputGuard.
func guardInput(in io.Reader, onCut func()) io.Reader {
	if f, ok := in.(*os.File); ok {
		return &guardedFile{inputGuard: newInputGuard(f, onCut), f: f}
	}
	return newInputGuard(in, onCut)
}

// filter appends the bytes of in that pass to out. out never outgrows in, so appending in
// place into the caller's buffer is safe.
func (g *inputGuard) filter(in, out []byte) []byte {
	for _, c := range in {
		if g.inPaste {
			g.endM = advance(g.endM, c, pasteEnd)
			if g.endM == len(pasteEnd) {
				if g.dropping {
					out = append(out, pasteEnd...) // the marker's earlier bytes were dropped
				} else {
					out = append(out, c)
				}
				g.inPaste, g.dropping, g.count, g.endM, g.cutSaid = false, false, 0, 0, false
				continue
			}
			g.count++
			if g.count > g.limit && !g.dropping {
				g.dropping = true
				g.cut()
			}
			if !g.dropping {
				out = append(out, c)
			}
			continue
		}
		g.startM = advance(g.startM, c, pasteStart)
		if g.startM == len(pasteStart) {
			out = append(out, c)
			g.inPaste, g.count, g.startM, g.dropping, g.cutSaid = true, 0, 0, false, false
			continue
		}
		if c > ' ' && c != 0x7f && c != 0x1b {
			g.count++
		} else {
			g.count, g.cutSaid = 0, false
		}
		if g.count > g.limit {
			g.cut()
			continue
		}
		out = append(out, c)
	}
	return out
}

func (g *inputGuard) cut() {
	if !g.cutSaid && g.onCut != nil {
		g.onCut()
	}
	g.cutSaid = true
}

// advance moves a marker match on by one byte.
func advance(matched int, c byte, marker []byte) int {
	if c == marker[matched] {
		return matched + 1
	}
	if c == marker[0] {
		return 1
	}
	return 0
}
