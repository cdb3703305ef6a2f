// Package ui is pstab's terminal interface: a bubbletea program with one root model and a
// screen per task (home, new app, wizard, preview, review checklist).
package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/render"
	"github.com/pstab/pstab/ui/termsafe"
)

// The smallest terminal the layout works in.
const (
	minWidth  = 60
	minHeight = 16
)

// Config is what the TUI needs.
type Config struct {
	Drafts Drafts
	// Catalogues are the questionnaires; the Self-Assessment may be nil, and is then not
	// offered on home.
	Catalogues questionnaire.Catalogues
	// Style is the preview's glamour style, decided before the program starts.
	Style   render.Style
	Profile termenv.Profile
	In      io.Reader // default: standard input
	Out     io.Writer // default: standard error, so standard output stays clean
	// Review, when set, opens these answers read-only: nothing is written anywhere.
	Review *ReviewDoc
	// Marketplace, when set, lets the partner submit from the review checklist.
	Marketplace *Marketplace
	Now         func() time.Time
}

// ReviewDoc is a draft a reviewer reads: from a bundle or payload file.
type ReviewDoc struct {
	Catalogue *questionnaire.Catalogue
	Answers   questionnaire.Answers
	Title     string
	Note      string
}

// shared is what every screen uses: styles, keys, the store, the catalogues.
type shared struct {
	ctx      context.Context
	styles   *Styles
	keys     KeyMap
	huhKeys  *huh.KeyMap
	renderer *render.Renderer
	drafts   Drafts
	cats     questionnaire.Catalogues
	now      func() time.Time

	marketplace *Marketplace
}

type screen int

const (
	screenHome screen = iota
	screenNewApp
	screenWizard
	screenPreview
	screenChecklist
	screenSubmit
)

// pasteCutMsg says the input guard cut a very long paste.
type pasteCutMsg struct{}

// Model is the root model: it owns the screens, the size, the global keys and the frame.
type Model struct {
	ui     *shared
	screen screen
	back   screen // where preview and checklist return to

	home      *home
	newApp    *newAppForm
	wizard    *wizard
	preview   *preview
	checklist *checklist
	submit    *submitScreen
	review    *ReviewDoc

	help     help.Model
	fullHelp bool
	width    int
	height   int
	exitCode int
	fatal    error
}

// New builds the root model.
func New(ctx context.Context, cfg Config) *Model {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	styles := NewStyles()
	hk := huh.NewDefaultKeyMap()
	hk.Quit.SetEnabled(false)
	hk.Select.Filter.SetEnabled(false)
	hk.MultiSelect.Filter.SetEnabled(false)
	hk.Input.AcceptSuggestion.SetEnabled(false)
	hk.Text.Editor.SetEnabled(os.Getenv("EDITOR") != "")
	ui := &shared{
		ctx: ctx, styles: styles, keys: DefaultKeyMap(), huhKeys: hk,
		renderer: render.New(cfg.Style, cfg.Profile),
		drafts:   cfg.Drafts, cats: cfg.Catalogues, now: now,
		marketplace: cfg.Marketplace,
	}
	h := help.New()
	h.Styles = styles.Help
	m := &Model{ui: ui, help: h, review: cfg.Review, width: 100, height: 30}
	m.home = newHome(ui)
	return m
}

// Init starts on home, or on the reviewed draft.
func (m *Model) Init() tea.Cmd {
	if m.review != nil {
		r := m.review
		m.wizard = newReviewWizard(m.ui, r.Catalogue, r.Answers, r.Title, m.width-2, m.bodyHeight())
		m.screen = screenWizard
		return nil
	}
	return loadAppsCmd(m.ui)
}

// Update handles global keys first, then gives the message to the active screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, m.resize()
	case tea.KeyMsg:
		if cmd, handled := m.globalKey(msg); handled {
			return m, cmd
		}
	case openDraftMsg:
		return m, m.openDraft(msg)
	case savedMsg, saveTickMsg, savePointMsg, reloadedMsg:
		// The wizard's saves finish whichever screen is showing.
		if m.wizard != nil {
			return m, m.wizard.Update(msg)
		}
		return m, nil
	case renderedMsg:
		if m.preview != nil {
			return m, m.preview.Update(msg)
		}
		return m, nil
	case pasteCutMsg:
		// The paste itself arrives right after this message: the wizard says so then.
		if m.wizard != nil {
			m.wizard.pasteCut = true
		}
		return m, nil
	case credsMsg, preparedMsg, sentMsg:
		if m.submit != nil {
			cmd, _ := m.submit.Update(msg)
			return m, cmd
		}
		return m, nil
	}
	return m, m.updateScreen(msg)
}

func (m *Model) globalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	km := m.ui.keys
	typing := m.typing()
	switch {
	case key.Matches(msg, km.Quit):
		m.exitCode = 130
		if m.wizard != nil && !m.wizard.readOnly() {
			if m.wizard.quitting || m.wizard.saveErr != nil && !m.wizard.saving {
				// Asked twice, or saving keeps failing: the error on screen said what is lost.
				return tea.Quit, true
			}
			return m.wizard.requestQuit(), true
		}
		return tea.Quit, true
	case msg.String() == "f1" || msg.String() == "?" && !typing:
		m.fullHelp = !m.fullHelp
		return m.resize(), true
	}
	switch m.screen {
	case screenWizard:
		w := m.wizard
		if w.askSavePoint || w.askDiscard {
			return nil, false
		}
		switch {
		case key.Matches(msg, km.PreviewAlt), key.Matches(msg, km.Preview) && !typing:
			return m.openPreview(w.cat, w.answers, w.title, "", screenWizard), true
		case key.Matches(msg, km.ReviewAlt), key.Matches(msg, km.Review) && !typing:
			m.openChecklist()
			return nil, true
		case w.sidebar && key.Matches(msg, km.Back):
			if m.review != nil {
				return tea.Quit, true
			}
			return m.leaveWizard(), true
		}
	case screenPreview:
		if key.Matches(msg, km.Back) {
			m.screen = m.back
			return nil, true
		}
	case screenChecklist:
		switch {
		case key.Matches(msg, km.Back):
			m.screen = screenWizard
			return nil, true
		case key.Matches(msg, km.Preview):
			return m.openPreview(m.wizard.cat, m.wizard.answers, m.wizard.title, "", screenChecklist), true
		case key.Matches(msg, km.Submit) && m.canSubmit():
			sub, cmd := newSubmitScreen(m.ui, m.wizard, m.width-2, m.bodyHeight())
			m.submit, m.screen = sub, screenSubmit
			return tea.Batch(m.wizard.flush(), cmd), true
		}
	}
	return nil, false
}

func (m *Model) typing() bool {
	switch m.screen {
	case screenWizard:
		return m.wizard.typing()
	case screenNewApp:
		return true
	case screenSubmit:
		return m.submit.state == submitCredentials
	case screenHome:
		return m.home.filtering
	}
	return false
}

func (m *Model) updateScreen(msg tea.Msg) tea.Cmd {
	switch m.screen {
	case screenHome:
		cmd, act := m.home.Update(msg)
		return tea.Batch(cmd, m.homeAction(act))
	case screenNewApp:
		cmd, done, cancelled := m.newApp.Update(msg)
		switch {
		case cancelled:
			m.screen = screenHome
			return nil
		case done:
			created := msg.(appCreatedMsg)
			return loadDraftCmd(m.ui, created.app.Key, created.app.Name)
		}
		return cmd
	case screenWizard:
		return m.wizard.Update(msg)
	case screenPreview:
		return m.preview.Update(msg)
	case screenChecklist:
		cmd, q := m.checklist.Update(msg)
		if q != nil {
			m.screen = screenWizard
			return tea.Batch(cmd, m.wizard.goTo(q))
		}
		return cmd
	case screenSubmit:
		cmd, done := m.submit.Update(msg)
		if done {
			m.openChecklist()
		}
		return cmd
	}
	return nil
}

// canSubmit reports whether the open draft can go to the Marketplace from here: an app's
// draft (not the self-assessment, not a reviewer's read-only copy), with the Marketplace
// configured.
func (m *Model) canSubmit() bool {
	w := m.wizard
	return m.ui.marketplace != nil && w != nil && !w.readOnly() && w.ref.Subject != store.PartnerKey
}

func (m *Model) homeAction(act homeAction) tea.Cmd {
	switch act.kind {
	case actionNewApp:
		m.newApp = newNewAppForm(m.ui, act.first, m.width-2)
		m.screen = screenNewApp
		return m.newApp.Init()
	case actionOpen, actionPreview:
		load := loadDraftCmd(m.ui, act.entry.subjectKey(), act.entry.name)
		if act.kind == actionPreview {
			return func() tea.Msg {
				msg := load().(openDraftMsg)
				msg.previewOnly = true
				return msg
			}
		}
		return load
	case actionQuit:
		return tea.Quit
	}
	return nil
}

func (m *Model) openDraft(msg openDraftMsg) tea.Cmd {
	if msg.err != nil {
		m.home.err = msg.err
		m.screen = screenHome
		return nil
	}
	if msg.previewOnly {
		return m.openPreview(msg.cat, msg.draft.Answers, msg.title, "", screenHome)
	}
	m.wizard = newWizard(m.ui, msg, m.width-2, m.bodyHeight())
	m.screen = screenWizard
	return m.wizard.currentFocusCmd()
}

func (m *Model) openPreview(cat *questionnaire.Catalogue, answers questionnaire.Answers, title, note string, from screen) tea.Cmd {
	if m.review != nil {
		note = m.review.Note
	}
	p, cmd := newPreview(m.ui, cat, answers, title, note, m.width-2, m.bodyHeight())
	m.preview, m.back, m.screen = p, from, screenPreview
	return cmd
}

func (m *Model) openChecklist() {
	w := m.wizard
	m.checklist = newChecklist(m.ui, w.cat, w.answers, m.width-2, m.bodyHeight())
	m.screen = screenChecklist
}

// leaveWizard saves what is pending and returns home.
func (m *Model) leaveWizard() tea.Cmd {
	w := m.wizard
	var cmd tea.Cmd
	if b := w.current(); b != nil {
		cmd = w.noteChange(b)
	}
	m.screen = screenHome
	return tea.Batch(cmd, w.flush(), loadAppsCmd(m.ui))
}

func (m *Model) bodyHeight() int {
	h := m.height - 3 // header, blank line, footer
	if m.fullHelp {
		h -= 4
	}
	return max(3, h)
}

func (m *Model) resize() tea.Cmd {
	h := m.bodyHeight()
	m.home.SetSize(m.width-2, h)
	if m.wizard != nil {
		m.wizard.SetSize(m.width-2, h)
	}
	if m.checklist != nil {
		m.checklist.SetSize(m.width-2, h)
	}
	if m.submit != nil {
		m.submit.SetSize(m.width-2, h)
	}
	if m.newApp != nil {
		m.newApp.SetSize(m.width - 2)
	}
	if m.preview != nil {
		return m.preview.SetSize(m.width-2, h)
	}
	return nil
}

// View draws the frame (header, body, footer) and filters it for the terminal: no text
// from a draft can reach the terminal as a control sequence.
func (m *Model) View() string {
	return termsafe.Filter(m.view())
}

func (m *Model) view() string {
	st := m.ui.styles
	if m.width < minWidth || m.height < minHeight {
		msg := fmt.Sprintf("pstab needs a terminal of at least %d×%d; this one is %d×%d.\nEnlarge the window, or run pstab --accessible.",
			minWidth, minHeight, m.width, m.height)
		// In a tiny window the message is taller than the screen: keep its first lines.
		return fitLines(placeCenter(m.width, m.height, st.Warn.Render(wrapText(msg, max(10, m.width-2)))), m.height)
	}
	if m.fatal != nil {
		return placeCenter(m.width, m.height, st.Banner.Render(questionnaire.Sentence(m.fatal.Error())))
	}
	var body, status string
	var keys helpKeys
	crumbs := []string{"pstab"}
	switch m.screen {
	case screenHome:
		body, keys = m.home.View(), m.home.Help()
	case screenNewApp:
		body, keys = m.newApp.View(), m.newApp.Help()
	case screenWizard:
		body, keys = m.wizard.View(), m.wizard.Help()
		crumbs = append(crumbs, m.wizard.title, m.wizard.cat.Title)
		status = m.wizard.Status()
	case screenPreview:
		body, keys = m.preview.View(), m.preview.Help()
		crumbs = append(crumbs, m.preview.title, "Preview")
	case screenChecklist:
		body, keys = m.checklist.View(), m.checklist.Help()
		if m.canSubmit() {
			keys.short = append(keys.short, m.ui.keys.Submit)
		}
		crumbs = append(crumbs, m.wizard.title, "Review")
	case screenSubmit:
		body, keys = m.submit.View(), m.submit.Help()
		crumbs = append(crumbs, m.wizard.title, "Submit")
	}
	if m.wizard != nil && m.screen != screenWizard && m.screen != screenHome {
		status = m.wizard.Status()
	}
	left := st.Title.Render(crumbs[0])
	if len(crumbs) > 1 {
		left += st.Muted.Render(" › " + strings.Join(crumbs[1:], " › "))
	}
	gap := m.width - 2 - lipgloss.Width(left) - lipgloss.Width(status)
	header := left
	if gap > 0 {
		header += strings.Repeat(" ", gap) + status
	}
	h := m.bodyHeight()
	body = fitLines(body, h)
	m.help.Width = m.width - 2
	// bubbles/help adds an item that overflows whole when its "…" does not fit either.
	footer := truncate(m.help.ShortHelpView(keys.ShortHelp()), m.width-2)
	if m.fullHelp {
		footer = fitLines(m.help.FullHelpView(keys.FullHelp()), 5)
	}
	return padScreen(st.App, truncateLines(header, m.width-2)+"\n\n"+body+"\n"+footer)
}

// padScreen gives every line of the screen the app's left padding, as app.Render did,
// without its right padding: that padded each line to the widest, which measured every
// line of the screen on every keystroke (a sixth of one, in colour) and showed nothing,
// since bubbletea clears the rest of each line it draws.
func padScreen(app lipgloss.Style, s string) string {
	pad := strings.Repeat(" ", app.GetPaddingLeft())
	s = strings.ReplaceAll(s, "\t", "    ") // as lipgloss does
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

func truncateLines(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	return truncate(termsafe.Strip(s), width)
}

// Run runs the TUI until the partner quits, then saves whatever is still pending,
// however the program ended. It returns the exit code: 0, or 130 after ctrl+c.
func Run(ctx context.Context, cfg Config) (int, error) {
	if cfg.Out == nil {
		cfg.Out = os.Stderr
	}
	if cfg.In == nil {
		cfg.In = os.Stdin
	}
	m := New(ctx, cfg)
	var p *tea.Program
	in := guardInput(cfg.In, func() { p.Send(pasteCutMsg{}) })
	p = tea.NewProgram(m, tea.WithAltScreen(), tea.WithOutput(cfg.Out), tea.WithInput(in))

	// A closed terminal (SIGHUP) ends the program like a quit, so the last answers are saved.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		if _, ok := <-hup; ok {
			p.Quit()
		}
	}()

	final, err := p.Run()
	fm, _ := final.(*Model)
	if fm == nil {
		fm = m
	}
	code := fm.exitCode
	if errors.Is(err, tea.ErrInterrupted) {
		code, err = 130, nil
	}
	// The program may have ended before its last autosave ran: save now, on this goroutine,
	// with a context of our own (the caller's may be cancelled by the same ctrl+c).
	saveCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serr := fm.wizard.saveNow(saveCtx); serr != nil {
		return 1, fmt.Errorf("your last answers could not be saved: %w", serr)
	}
	if err != nil {
		return 1, err
	}
	return code, nil
}
