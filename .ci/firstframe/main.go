// Command perf measures what in-process benchmarks cannot: the real pstab binary under a
// pseudo-terminal, against gum, and its peak memory. .ci/perf runs it and prints the table
// of the README's "Performance" section; it is not a test and never fails on a slow result.
//
//	perf firstframe -pstab BIN -gum BIN -db FILE -marker TEXT [-runs 30] [-latency 0]
//	perf memory -pstab BIN -db FILE -app KEY
//	perf apps -pstab BIN -db FILE [-runs 20]
//
// Results are printed one per line as "RESULT name value" for the script to read, with a
// few lines of detail around them.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/creack/pty"
)

// The terminal every program is started in: the size of the keystroke benchmark, and a
// TERM that makes termenv ask the terminal for its background (see answerQueries).
const (
	rows, cols = 40, 120
	termName   = "xterm-256color"
)

// debug (PERF_DEBUG=1) prints every chunk a program writes, with its time since start.
var debug = os.Getenv("PERF_DEBUG") != ""

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: perf firstframe|memory|apps [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "firstframe":
		err = firstFrame(os.Args[2:])
	case "memory":
		err = memory(os.Args[2:])
	case "apps":
		err = apps(os.Args[2:])
	default:
		err = fmt.Errorf("unknown measure %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "perf:", err)
		os.Exit(1)
	}
}

// program is one program to start under the pty, and the text that says its first frame
// is on screen.
type program struct {
	name   string
	args   []string
	marker string
}

func firstFrame(args []string) error {
	fs := flag.NewFlagSet("firstframe", flag.ExitOnError)
	pstabBin := fs.String("pstab", "", "pstab binary")
	gumBin := fs.String("gum", "", "gum binary")
	db := fs.String("db", "", "drafts file with a few apps")
	marker := fs.String("marker", "", "text of pstab's home screen that marks its first frame (an app's name)")
	runs := fs.Int("runs", 30, "runs of each program")
	fs.DurationVar(&latency, "latency", 0, "delay before answering the terminal's queries (a remote terminal)")
	fs.Parse(args)
	if *pstabBin == "" || *gumBin == "" || *db == "" || *marker == "" {
		return errors.New("firstframe needs -pstab, -gum, -db and -marker")
	}
	env, home, err := cleanEnv(*db)
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	progs := []program{
		{name: "pstab", args: []string{*pstabBin}, marker: *marker},
		// gum input draws its prompt and placeholder; the cursor styles the first letter of
		// the placeholder, so the marker starts after it.
		{name: "gum", args: []string{*gumBin, "input", "--placeholder", "Type something..."}, marker: "ype something..."},
	}
	// One run of each first, not counted: both binaries are then in the page cache.
	for _, p := range progs {
		if _, err := startToFrame(p, env); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	times := map[string][]time.Duration{}
	for i := range *runs {
		order := progs
		if i%2 == 1 {
			order = []program{progs[1], progs[0]}
		}
		for _, p := range order {
			d, err := startToFrame(p, env)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", p.name, i+1, err)
			}
			times[p.name] = append(times[p.name], d)
		}
	}
	for _, p := range progs {
		ts := times[p.name]
		slices.Sort(ts)
		fmt.Printf("%s: start to first frame over %d runs: min %s, median %s, p90 %s, max %s\n",
			p.name, len(ts), ms(ts[0]), ms(quantile(ts, 0.5)), ms(quantile(ts, 0.9)), ms(ts[len(ts)-1]))
		fmt.Printf("RESULT firstframe.%s.median %.2f\n", p.name, msf(quantile(ts, 0.5)))
		fmt.Printf("RESULT firstframe.%s.p90 %.2f\n", p.name, msf(quantile(ts, 0.9)))
	}
	return nil
}

// cleanEnv is the environment both programs run in: a fresh home (the caller removes it),
// a colour terminal, and the drafts file.
func cleanEnv(db string) (env []string, home string, err error) {
	home, err = os.MkdirTemp("", "pstab-perf-home-")
	if err != nil {
		return nil, "", err
	}
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"TERM=" + termName,
		"LANG=C.UTF-8",
		"PSTAB_DB=" + db,
	}, home, nil
}

// session is a program running under a pty, with everything it wrote so far.
type session struct {
	cmd   *exec.Cmd
	ptmx  *os.File
	start time.Time
	out   chan []byte // chunks as they arrive; closed at EOF
	all   []byte
	osc   int // bytes of all already searched for each query
	dsr   int
}

func startSession(args []string, env []string) (*session, error) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("open a pty: %w", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: rows, Cols: cols}); err != nil {
		ptmx.Close()
		tty.Close()
		return nil, err
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	s := &session{cmd: cmd, ptmx: ptmx, out: make(chan []byte, 64)}
	s.start = time.Now()
	if err := cmd.Start(); err != nil {
		ptmx.Close()
		tty.Close()
		return nil, err
	}
	tty.Close()
	go func() {
		defer close(s.out)
		for {
			buf := make([]byte, 32<<10)
			n, err := ptmx.Read(buf)
			if n > 0 {
				s.out <- buf[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	return s, nil
}

// The queries termenv sends from bubbletea's init to learn the background colour (OSC 11)
// and to tell a terminal that does not answer OSC 11 apart from a slow one (DSR), and the
// answers a dark terminal gives. A program waits up to 5 s for them (termenv's OSCTimeout).
var (
	oscQuery  = []byte("\x1b]11;?")
	dsrQuery  = []byte("\x1b[6n")
	oscAnswer = []byte("\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\")
	dsrAnswer = []byte("\x1b[1;1R")
)

// latency delays the answers to queries, as a terminal at the end of an ssh connection
// would: one round trip per batch of queries.
var latency time.Duration

// answerQueries answers, like a terminal, every query that has arrived complete.
func (s *session) answerQueries() error {
	var answers []byte
	for {
		i := bytes.Index(s.all[s.osc:], oscQuery)
		if i < 0 {
			break
		}
		s.osc += i + len(oscQuery)
		answers = append(answers, oscAnswer...)
	}
	for {
		i := bytes.Index(s.all[s.dsr:], dsrQuery)
		if i < 0 {
			break
		}
		s.dsr += i + len(dsrQuery)
		answers = append(answers, dsrAnswer...)
	}
	if len(answers) == 0 {
		return nil
	}
	time.Sleep(latency)
	_, err := s.ptmx.Write(answers)
	return err
}

// waitFor reads until the screen text (escape sequences removed) contains marker, and
// returns the time since the program started.
func (s *session) waitFor(marker string, timeout time.Duration) (time.Duration, error) {
	deadline := time.After(timeout)
	for {
		if strings.Contains(stripEscapes(s.all), marker) {
			return time.Since(s.start), nil
		}
		select {
		case chunk, ok := <-s.out:
			if !ok {
				return 0, fmt.Errorf("exited before showing %q; it wrote %q", marker, tail(stripEscapes(s.all)))
			}
			s.all = append(s.all, chunk...)
			if debug {
				fmt.Fprintf(os.Stderr, "%7.2f ms %q\n", msf(time.Since(s.start)), chunk)
			}
			if err := s.answerQueries(); err != nil {
				return 0, err
			}
		case <-deadline:
			return 0, fmt.Errorf("no %q after %s; it wrote %q", marker, timeout, tail(stripEscapes(s.all)))
		}
	}
}

func (s *session) send(keys string) error {
	_, err := s.ptmx.Write([]byte(keys))
	return err
}

// kill ends the program at once and frees the pty.
func (s *session) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.ptmx.Close()
	for range s.out {
	}
}

// wait lets the program exit on its own and returns its process state.
func (s *session) wait(timeout time.Duration) (*os.ProcessState, error) {
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	go func() {
		for chunk := range s.out {
			_ = chunk
		}
	}()
	select {
	case err := <-done:
		s.ptmx.Close()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			return nil, err
		}
		return s.cmd.ProcessState, nil
	case <-time.After(timeout):
		s.cmd.Process.Kill()
		<-done
		s.ptmx.Close()
		return nil, fmt.Errorf("still running after %s", timeout)
	}
}

func startToFrame(p program, env []string) (time.Duration, error) {
	s, err := startSession(p.args, env)
	if err != nil {
		return 0, err
	}
	defer s.kill()
	return s.waitFor(p.marker, 10*time.Second)
}

// memory measures the peak resident memory (the kernel's maxrss of the process) of
// `pstab apps` and of the wizard opening one app, both on the drafts file given.
func memory(args []string) error {
	fs := flag.NewFlagSet("memory", flag.ExitOnError)
	pstabBin := fs.String("pstab", "", "pstab binary")
	db := fs.String("db", "", "drafts file (1,000 apps)")
	app := fs.String("app", "", "name of the app to open (the first on home)")
	fs.Parse(args)
	if *pstabBin == "" || *db == "" || *app == "" {
		return errors.New("memory needs -pstab, -db and -app")
	}
	env, home, err := cleanEnv(*db)
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)

	// pstab apps, output to a pipe as in a script.
	cmd := exec.Command(*pstabBin, "apps")
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pstab apps: %w", err)
	}
	took := time.Since(start)
	fmt.Printf("pstab apps: %d lines in %s (whole process), max RSS %.1f MB\n",
		bytes.Count(out.Bytes(), []byte("\n")), ms(took), maxRSS(cmd.ProcessState))
	fmt.Printf("RESULT memory.apps %.1f\n", maxRSS(cmd.ProcessState))
	fmt.Printf("RESULT apps.process %.1f\n", msf(took))

	// The wizard: home with every app, enter on the first, its first section on screen,
	// then ctrl+c, which saves and exits.
	s, err := startSession([]string{*pstabBin}, env)
	if err != nil {
		return err
	}
	if _, err := s.waitFor(*app, 10*time.Second); err != nil {
		s.kill()
		return fmt.Errorf("pstab home: %w", err)
	}
	s.all = s.all[:0]
	s.osc, s.dsr = 0, 0
	if err := s.send("\r"); err != nil {
		s.kill()
		return err
	}
	if _, err := s.waitFor("answered", 10*time.Second); err != nil {
		s.kill()
		return fmt.Errorf("pstab opening %s: %w", *app, err)
	}
	if err := s.send("\x03"); err != nil {
		s.kill()
		return err
	}
	st, err := s.wait(10 * time.Second)
	if err != nil {
		return fmt.Errorf("pstab after ctrl+c: %w", err)
	}
	fmt.Printf("pstab wizard, home then one app opened: max RSS %.1f MB (exit %d)\n", maxRSS(st), st.ExitCode())
	fmt.Printf("RESULT memory.open %.1f\n", maxRSS(st))
	return nil
}

// apps times `pstab apps` as a whole process, output to a pipe as in a script, against
// `pstab --version`, the same binary doing nothing: interleaved, runs of each, after one
// of each not counted. It reports the medians and the peak memory of the slowest apps run.
func apps(args []string) error {
	fs := flag.NewFlagSet("apps", flag.ExitOnError)
	pstabBin := fs.String("pstab", "", "pstab binary")
	db := fs.String("db", "", "drafts file")
	runs := fs.Int("runs", 20, "runs of each")
	fs.Parse(args)
	if *pstabBin == "" || *db == "" {
		return errors.New("apps needs -pstab and -db")
	}
	env, home, err := cleanEnv(*db)
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	run := func(arg string) (time.Duration, float64, int, error) {
		cmd := exec.Command(*pstabBin, arg)
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout = &out
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, 0, 0, fmt.Errorf("pstab %s: %w", arg, err)
		}
		return time.Since(start), maxRSS(cmd.ProcessState), bytes.Count(out.Bytes(), []byte("\n")), nil
	}
	for _, a := range []string{"apps", "--version"} {
		if _, _, _, err := run(a); err != nil {
			return err
		}
	}
	var appsT, versionT []time.Duration
	var rss float64
	lines := 0
	for i := range *runs {
		order := []string{"apps", "--version"}
		if i%2 == 1 {
			order = []string{"--version", "apps"}
		}
		for _, a := range order {
			d, r, n, err := run(a)
			if err != nil {
				return err
			}
			if a == "apps" {
				appsT, rss, lines = append(appsT, d), max(rss, r), n
			} else {
				versionT = append(versionT, d)
			}
		}
	}
	slices.Sort(appsT)
	slices.Sort(versionT)
	fmt.Printf("pstab apps (%d lines) over %d runs: median %s, p90 %s; pstab --version: median %s, p90 %s; apps max RSS %.1f MB\n",
		lines, len(appsT), ms(quantile(appsT, 0.5)), ms(quantile(appsT, 0.9)), ms(quantile(versionT, 0.5)), ms(quantile(versionT, 0.9)), rss)
	fmt.Printf("RESULT apps.median %.2f\n", msf(quantile(appsT, 0.5)))
	fmt.Printf("RESULT version.median %.2f\n", msf(quantile(versionT, 0.5)))
	fmt.Printf("RESULT apps.rss %.1f\n", rss)
	return nil
}

// maxRSS is the process's peak resident memory in MB (Linux reports kB).
func maxRSS(st *os.ProcessState) float64 {
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024
	}
	return 0
}

// stripEscapes removes escape sequences (CSI, OSC, and two-byte ones) so that screen
// text can be searched whatever styles it was drawn with.
func stripEscapes(b []byte) string {
	var out strings.Builder
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b {
			out.WriteByte(b[i])
			continue
		}
		if i+1 >= len(b) {
			break
		}
		switch b[i+1] {
		case '[': // CSI: parameters, then a final byte in @..~
			j := i + 2
			for j < len(b) && (b[j] < 0x40 || b[j] > 0x7e) {
				j++
			}
			i = j
		case ']', 'P', '_', '^': // strings ended by BEL or ST
			j := i + 2
			for j < len(b) && b[j] != 0x07 && !(b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\') {
				j++
			}
			if j < len(b) && b[j] == 0x1b {
				j++
			}
			i = j
		default:
			i++
		}
	}
	return out.String()
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	// Nearest rank.
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func ms(d time.Duration) string   { return fmt.Sprintf("%.1f ms", msf(d)) }

func tail(s string) string {
	if len(s) > 300 {
		return "…" + s[len(s)-300:]
	}
	return s
}
