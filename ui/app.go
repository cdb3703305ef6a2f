// Package ui is pstab's terminal interface: a bubbletea program with one root model and a
// screen per task (home, new app, wizard, preview, review checklist, submit).
//
// The shape: Model (this file) owns the size, the global keys, the frame (frame.go) and
// the open draft's session (session.go); each screen meets one contract, screenModel
// (screen.go), and asks the root for what leaves it with an intent.
package ui

import (
	"context"
	"io"
	"os"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/muesli/termenv"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/render"
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
	// Author signs the comments typed in the TUI, and a reviewer's decisions.
	Author string
	// KeepDir is where answers that could not be saved on exit are kept, in a file of
	// their own (the drafts file's folder); the system's temporary folder when empty.
	KeepDir string
	// SetWaiting, when set, is called with a function that shows a wait on another pstab
	// (the drafts file busy) in the wizard's status line; the store calls it from its own
	// goroutine once a wait has lasted a second.
	SetWaiting func(show func(msg string))
}

// ReviewDoc is a draft a reviewer reads: from a bundle or payload file.
type ReviewDoc struct {
	Catalogue *questionnaire.Catalogue
	Answers   questionnaire.Answers
	Title     string
	Note      string
	// Review is the conversation the bundle carries.
	Review questionnaire.Review
	// Save writes the conversation back into the bundle, atomically, to WritesTo; nil
	// when nothing may be written (a payload has no room for comments).
	Save     func(questionnaire.Review) error
	WritesTo string
	// Since, when set, are the answers of the bundle the reviewer read last (SinceName,
	// with its conversation SinceReview): the answers changed since are marked.
	Since       *questionnaire.Answers
	SinceName   string
	SinceReview questionnaire.Review
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
	author   string // signs the comments typed here

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

// quitMsg ends the program. The root draws an empty frame first: the terminal then keeps
// nothing of pstab's last frame once it leaves the alternate screen (after a resize, some
// terminals copy the frame's lower lines to the screen the shell comes back to).
type quitMsg struct{}

func quitCmd() tea.Msg { return quitMsg{} }

// waitingMsg carries a wait on another pstab, as the store words it; waitingDoneMsg ends
// its display when no save has ended it sooner.
type waitingMsg struct{ text string }
type waitingDoneMsg struct{ seq int }

// waitingShown is how long a wait stays in the header at most: the store gives up after
// five seconds of waiting, and the save then reports its error.
const waitingShown = 6 * time.Second

// Model is the root model: it owns the screens, the open draft's session, the size, the
// global keys and the frame.
type Model struct {
	ui     *shared
	screen screen
	back   screen // where the preview returns to

	// session is the open draft: it outlives the screens that show it. closed are
	// sessions replaced by another draft while their answers were still being saved:
	// their saves run on, and Run saves whatever they still hold.
	session *session
	closed  []*session
	// waiting is a wait on another pstab the store announced, shown in the header until
	// the next save ends or waitingSeq's tick clears it.
	waiting    string
	waitingSeq int

	home      *home
	newApp    *newAppForm
	wizard    *wizard
	preview   *preview
	checklist *checklist
	submit    *submitScreen
	review    *ReviewDoc

	help     help.Model
	fullHelp bool
	// footKey and footOut keep the short help line and what it was drawn from: the keys
	// change with the focused widget, not with every keystroke (footer).
	footKey, footOut string
	width            int
	height           int
	exitCode         int
	fatal            error
	done             bool // the program is ending: the frame is empty
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
	hk.Text.NewLine.SetHelp("alt+enter", "new line") // ctrl+j too; the question's help says both
	ui := &shared{
		ctx: ctx, styles: styles, keys: DefaultKeyMap(), huhKeys: hk,
		renderer: render.New(cfg.Style, cfg.Profile),
		drafts:   cfg.Drafts, cats: cfg.Catalogues, now: now, author: cfg.Author,
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
		m.session = newReadOnlySession(m.ui, r.Catalogue, r.Answers, r.Title)
		m.session.review = newReviewState(r.Catalogue, r, r.Answers, m.ui.author)
		m.wizard = newReviewWizard(m.ui, m.session, m.bodyWidth(), m.bodyHeight())
		m.screen = screenWizard
		return nil
	}
	return loadAppsCmd(m.ui)
}

// active is the screen showing.
func (m *Model) active() screenModel {
	switch m.screen {
	case screenHome:
		return m.home
	case screenNewApp:
		return m.newApp
	case screenWizard:
		return m.wizard
	case screenPreview:
		return m.preview
	case screenChecklist:
		return m.checklist
	case screenSubmit:
		return m.submit
	}
	return nil
}

// screens are the screens built so far, showing or not: each keeps the body's size.
func (m *Model) screens() []screenModel {
	var out []screenModel
	// A nil pointer in an interface is not a nil interface: test each field.
	if m.home != nil {
		out = append(out, m.home)
	}
	if m.newApp != nil {
		out = append(out, m.newApp)
	}
	if m.wizard != nil {
		out = append(out, m.wizard)
	}
	if m.checklist != nil {
		out = append(out, m.checklist)
	}
	if m.submit != nil {
		out = append(out, m.submit)
	}
	if m.preview != nil {
		out = append(out, m.preview)
	}
	return out
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
	case quitMsg:
		m.done = true
		return m, tea.Quit
	case signalMsg:
		return m, m.onSignal(msg)
	case openDraftMsg:
		return m, m.openDraft(msg)
	case sessionMsg:
		if _, saved := msg.(savedMsg); saved {
			m.waiting = "" // the save that waited has ended
		}
		return m, m.toSession(msg)
	case waitingMsg:
		m.waitingSeq++
		m.waiting = msg.text
		seq := m.waitingSeq
		return m, tea.Tick(waitingShown, func(time.Time) tea.Msg { return waitingDoneMsg{seq: seq} })
	case waitingDoneMsg:
		if msg.seq == m.waitingSeq {
			m.waiting = ""
		}
		return m, nil
	case pasteCutMsg:
		// The paste arrives right after this message, for the wizard to say it was cut.
		if m.wizard != nil {
			cmd, _ := m.wizard.Update(msg)
			return m, cmd
		}
		return m, nil
	// A screen's own commands report back to it whichever screen shows; a result that
	// arrives late never leaves a screen, so the intent is not asked for.
	case renderedMsg:
		if m.preview != nil {
			cmd, _ := m.preview.Update(msg)
			return m, cmd
		}
		return m, nil
	case reviewMarksMsg:
		if m.home != nil {
			m.home.Update(msg)
		}
		return m, nil
	case credsMsg, preparedMsg, sentMsg:
		if m.submit != nil {
			cmd, _ := m.submit.Update(msg)
			return m, cmd
		}
		return m, nil
	}
	if s := m.active(); s != nil {
		cmd, in := s.Update(msg)
		cmd = tea.Batch(cmd, m.act(in))
		if _, isKey := msg.(tea.KeyMsg); isKey && m.fullHelp {
			// Every key of the place is listed: a key that moves to another place may
			// change how many lines that takes, and so the body's height.
			cmd = tea.Batch(cmd, m.resize())
		}
		return m, cmd
	}
	return m, nil
}

// toSession gives a save message to the session it belongs to, whichever screen shows,
// and lets a closed session go once it has saved everything.
func (m *Model) toSession(msg sessionMsg) tea.Cmd {
	s := msg.owner()
	if s == nil {
		s = m.session
	}
	if s == nil {
		return nil
	}
	cmd := s.update(msg)
	m.closed = slices.DeleteFunc(m.closed, func(c *session) bool { return !c.unsaved() })
	return cmd
}

// globalKey handles the keys that mean the same on every screen: ctrl+c and help.
func (m *Model) globalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.ui.keys.Quit):
		m.exitCode = 130
		if s := m.session; s != nil && !s.readOnly() {
			return s.quit(), true
		}
		return quitCmd, true
	case msg.String() == "f1" || msg.String() == "?" && !m.typing():
		m.fullHelp = !m.fullHelp
		return m.resize(), true
	case key.Matches(msg, m.ui.keys.Reload) && m.screen != screenWizard && m.screen != screenHome && m.screen != screenNewApp &&
		m.session != nil && !m.session.readOnly():
		// The header says "ctrl+r reloads" on every screen of the draft: it does, on each.
		return m.session.reload(), true
	}
	return nil, false
}

func (m *Model) typing() bool {
	s := m.active()
	return s != nil && s.Typing()
}

// act does what the active screen asked for.
func (m *Model) act(in intent) tea.Cmd {
	switch in := in.(type) {
	case nil:
		return nil
	case openIntent:
		return loadDraftCmd(m.ui, in.key, in.title, in.preview)
	case newAppIntent:
		m.newApp = newNewAppForm(m.ui, in.first, m.bodyWidth())
		m.screen = screenNewApp
		return m.newApp.Init()
	case previewIntent:
		s := m.session
		return m.openPreview(s.cat, s.answers, s.title, "", m.screen)
	case checklistIntent:
		m.openChecklist()
		return nil
	case submitIntent:
		sub, cmd := newSubmitScreen(m.ui, m.session, m.bodyWidth(), m.bodyHeight())
		m.submit, m.screen = sub, screenSubmit
		return tea.Batch(m.session.flush(), cmd)
	case jumpIntent:
		m.screen = screenWizard
		return m.wizard.goTo(in.p)
	case backIntent:
		return m.goBack()
	case quitIntent:
		return quitCmd
	}
	return nil
}

// goBack leaves the active screen for the one it came from.
func (m *Model) goBack() tea.Cmd {
	switch m.screen {
	case screenNewApp:
		m.screen = screenHome
	case screenWizard:
		if m.review != nil {
			return quitCmd // a reviewer's wizard is the top
		}
		// The wizard has started saving what is pending; home lists the apps afresh.
		m.screen = screenHome
		return loadAppsCmd(m.ui)
	case screenPreview:
		m.screen = m.back
	case screenChecklist:
		m.screen = screenWizard
	case screenSubmit:
		m.openChecklist()
	}
	return nil
}

// canSubmit reports whether the open draft can go to the Marketplace from here: an app's
// draft (not the self-assessment, not a reviewer's read-only copy), with the Marketplace
// configured.
func (m *Model) canSubmit() bool {
	s := m.session
	return m.ui.marketplace != nil && s != nil && !s.readOnly() && s.ref.Subject != store.PartnerKey
}

// openDraft opens a loaded draft: a new session in the wizard, or only its preview.
func (m *Model) openDraft(msg openDraftMsg) tea.Cmd {
	if msg.err != nil {
		m.home.err = msg.err
		m.screen = screenHome
		return nil
	}
	if msg.previewOnly {
		return m.openPreview(msg.cat, msg.draft.Answers, msg.title, "", screenHome)
	}
	if m.session != nil {
		m.session.replaced = true
		if m.session.unsaved() {
			m.closed = append(m.closed, m.session)
		}
	}
	m.session = newSession(m.ui, msg)
	m.wizard = newWizard(m.ui, m.session, msg.draft.ResumeSection, msg.draft.ResumeQuestion, m.bodyWidth(), m.bodyHeight())
	m.screen = screenWizard
	return tea.Batch(m.wizard.currentFocusCmd(), loadReviewCmd(m.session), m.session.watch())
}

func (m *Model) openPreview(cat *questionnaire.Catalogue, answers questionnaire.Answers, title, note string, from screen) tea.Cmd {
	if m.review != nil {
		note = m.review.Note
	}
	p, cmd := newPreview(m.ui, cat, answers, title, note, m.bodyWidth(), m.bodyHeight())
	m.preview, m.back, m.screen = p, from, screenPreview
	return cmd
}

func (m *Model) openChecklist() {
	m.checklist = newChecklist(m.ui, m.session, m.canSubmit(), m.bodyWidth(), m.bodyHeight())
	m.screen = screenChecklist
}

// resize gives every screen built so far the body's new size.
func (m *Model) resize() tea.Cmd {
	w, h := m.bodyWidth(), m.bodyHeight()
	var cmds []tea.Cmd
	for _, s := range m.screens() {
		cmds = append(cmds, s.SetSize(w, h))
	}
	return tea.Batch(cmds...)
}
