package accessible

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/pstab/pstab/ui/termsafe"
)

// maxLine is the longest line kept; the rest of a longer line is dropped. The longest
// answer a catalogue accepts is a few thousand characters, so nothing real is cut.
const maxLine = 64 << 10

// lineReader reads lines from one shared bufio.Reader on its own goroutine, one line per
// request, so that a blocked read never keeps ctrl+c (a cancelled context) from ending
// the session, and no line is read before it is asked for.
type lineReader struct {
	br      *bufio.Reader
	req     chan struct{}
	resp    chan lineResult
	started bool
	eof     bool
	n       int // lines read so far: the number of the last one, from 1
}

type lineResult struct {
	line string
	err  error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReader(r), req: make(chan struct{}, 1), resp: make(chan lineResult, 1)}
}

// next returns the next line without its line ending, io.EOF at the end of the input, or
// the context's error once it is cancelled.
func (r *lineReader) next(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if r.eof {
		return "", io.EOF
	}
	if !r.started {
		r.started = true
		go r.loop()
	}
	r.req <- struct{}{}
	select {
	case res := <-r.resp:
		if res.err != nil {
			r.eof = true
			if res.line == "" {
				return "", io.EOF
			}
		}
		r.n++
		return res.line, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// loop answers requests until close. A read error other than EOF ends the input too: a
// prompter cannot do better than stop, having saved every answer.
func (r *lineReader) loop() {
	for range r.req {
		line, err := readLine(r.br)
		r.resp <- lineResult{line: line, err: err}
		if err != nil {
			return
		}
	}
}

func readLine(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, err := br.ReadSlice('\n')
		if b.Len() < maxLine {
			b.Write(chunk[:min(len(chunk), maxLine-b.Len())])
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line := strings.TrimRight(b.String(), "\r\n")
		if err != nil && !errors.Is(err, io.EOF) {
			err = io.EOF
		}
		return line, err
	}
}

// close stops the reading goroutine once its current read returns.
func (r *lineReader) close() { close(r.req) }

// printer writes plain lines. Everything goes through termsafe.Strip, so not one escape
// sequence or control character reaches the terminal, whatever the catalogue or an answer
// holds.
type printer struct {
	w       io.Writer
	midLine bool // a prompt is waiting on the current line
}

// say writes one line.
func (p *printer) say(line string) {
	p.endLine()
	io.WriteString(p.w, termsafe.Strip(line)+"\n")
}

// blank writes an empty line, which separates questions for a sighted reader and which
// screen readers skip.
func (p *printer) blank() { p.say("") }

// prompt writes a prompt and leaves the cursor after it.
func (p *printer) prompt(text string) {
	p.endLine()
	io.WriteString(p.w, termsafe.Strip(text)+" ")
	p.midLine = true
}

// echo writes a line read back after its prompt.
func (p *printer) echo(line string) {
	io.WriteString(p.w, termsafe.Strip(line)+"\n")
	p.midLine = false
}

// read notes that a line was read on a terminal, which moved to the next line itself.
func (p *printer) read() { p.midLine = false }

// endLine ends a prompt line that got no answer (end of input, ctrl+c).
func (p *printer) endLine() {
	if p.midLine {
		io.WriteString(p.w, "\n")
		p.midLine = false
	}
}
