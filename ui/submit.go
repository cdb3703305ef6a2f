package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/submit"
)

// Marketplace is how the TUI reaches the Marketplace: credentials from the environment or
// the keyring, and a client for given credentials. The CLI fills it from its flags.
type Marketplace struct {
	LoadCredentials func() (marketplace.Credentials, error)
	NewClient       func(marketplace.Credentials) (*marketplace.Client, error)
	DefaultEmail    string
	// VendorID is the partner's Marketplace vendor id (PSTAB_VENDOR_ID, or the one the
	// drafts file remembers), which finds an app's v3 product id to publish it; "" when
	// not known.
	VendorID string
}

type submitState int

const (
	submitCredentials submitState = iota
	submitPreparing
	submitConfirm
	submitSending
	submitDone
	submitFailed
)

// submitScreen sends the draft from the review checklist: it compares it with the live
// listing, asks, sends with a spinner, and shows the result with the form status and what
// it means. A failure (offline, a refused token, a missing permission) is explained in
// place, and the draft is never touched by it; a draft the Marketplace refused lists every
// error at its question, and enter goes to the question.
type submitScreen struct {
	ui      *shared
	mp      *Marketplace
	cat     *questionnaire.Catalogue
	ref     store.DraftRef
	answers questionnaire.Answers
	title   string
	// warnings say the review is not settled (review_checklist.go), as pstab push does.
	warnings []string

	state   submitState
	spin    spinner.Model
	form    *smallForm
	email   string
	note    string
	creds   marketplace.Credentials
	target  *submit.Target
	plan    submit.Plan
	publish bool
	result  []string
	err     error
	// refusals are the errors of a refused send, each at its question; cursor selects one.
	refusals []submit.Refusal
	cursor   int
	cancel   context.CancelFunc
	// waiting says what the Marketplace did that the client is retrying, and how many
	// tries are left; notices is where the running command reports retries.
	waiting string
	notices chan marketplace.Retry
	// said holds what the submission told the partner on the way (a product id found
	// again, a response that held the credentials and was cleaned), as pstab push
	// prints them as notes; shown until the screen closes.
	said   []string
	scroll int
	width  int
	height int
}

type credsMsg struct {
	creds marketplace.Credentials
	err   error
}

type preparedMsg struct {
	target *submit.Target
	plan   submit.Plan
	notes  []string
	err    error
}

type sentMsg struct {
	props     marketplace.Properties
	published bool
	notes     []string
	err       error
}

// retryMsg is one retry of the running command, read from its notices channel.
type retryMsg struct {
	retry marketplace.Retry
	from  chan marketplace.Retry
}

// watchRetries starts reporting the retries of the command about to run: it returns the
// context the command must use and the tea.Cmd that reads its notices. The command closes
// the channel when it returns, which ends the reading.
func (s *submitScreen) watchRetries(ctx context.Context) (context.Context, chan marketplace.Retry, tea.Cmd) {
	ch := make(chan marketplace.Retry, 8)
	s.notices, s.waiting = ch, ""
	ctx = marketplace.WithRetryNotice(ctx, func(r marketplace.Retry) {
		select {
		case ch <- r:
		default: // the screen is behind; the next notice says the same, newer
		}
	})
	return ctx, ch, readRetry(ch)
}

func readRetry(ch chan marketplace.Retry) tea.Cmd {
	return func() tea.Msg {
		r, ok := <-ch
		if !ok {
			return nil
		}
		return retryMsg{retry: r, from: ch}
	}
}

// newSubmitScreen starts submitting the session's draft, as it is now.
func newSubmitScreen(ui *shared, ses *session, width, height int) (*submitScreen, tea.Cmd) {
	s := &submitScreen{ui: ui, mp: ui.marketplace, cat: ses.cat, ref: ses.ref, answers: ses.answers.Clone(), title: ses.title,
		warnings: ses.reviewWarnings(), width: width, height: height, state: submitPreparing}
	s.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(ui.styles.Accent))
	mp := s.mp
	return s, tea.Batch(s.spin.Tick, func() tea.Msg {
		c, err := mp.LoadCredentials()
		return credsMsg{creds: c, err: err}
	})
}

// SetSize gives the screen the body's size.
func (s *submitScreen) SetSize(w, h int) tea.Cmd {
	s.width, s.height = w, h
	if s.form != nil {
		s.form.SetWidth(w)
	}
	return nil
}

// Typing reports whether the credentials are being typed.
func (s *submitScreen) Typing() bool { return s.state == submitCredentials }

// Crumbs names the submitted draft.
func (s *submitScreen) Crumbs() []string { return []string{s.title, "Submit"} }

func (s *submitScreen) credentialsForm(note string) tea.Cmd {
	s.state, s.note = submitCredentials, note
	s.email = firstNonEmptyString(s.email, s.mp.DefaultEmail)
	s.form = newSmallForm(s.ui.styles, s.width).
		add("Atlassian account email", "", s.email, 254, false, func(v string) error {
			if msg := questionnaire.EmailProblem(v); msg != "" {
				return errors.New("the email " + msg)
			}
			return nil
		}).
		add("API token", "From id.atlassian.com → Security → API tokens. It is not shown as you type.", "", 4096, true,
			func(v string) error {
				if v == "" {
					return errors.New("paste your API token")
				}
				return nil
			})
	cmd := s.form.Init()
	if s.email != "" {
		cmd = s.form.move(1)
	}
	return cmd
}

// prepare checks the draft and compares it with the live listing, in a command that esc
// can cancel.
func (s *submitScreen) prepare() tea.Cmd {
	s.state, s.err = submitPreparing, nil
	ctx, cancel := context.WithCancel(s.ui.ctx)
	s.cancel = cancel
	ctx, notices, watch := s.watchRetries(ctx)
	ui, mp, creds, cat, ref, answers := s.ui, s.mp, s.creds, s.cat, s.ref, s.answers
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		defer close(notices)
		client, err := mp.NewClient(creds)
		if err != nil {
			return preparedMsg{err: err}
		}
		app, err := ui.drafts.App(ctx, ref.Subject)
		if err != nil {
			return preparedMsg{err: err}
		}
		t := &submit.Target{Client: client, Store: ui.drafts, Cat: cat, App: app, Ref: ref, API: "v2", VendorID: mp.VendorID}
		var notes []string
		t.Notify = func(msg string) { notes = append(notes, msg) }
		plan, err := t.Prepare(ctx, answers)
		return preparedMsg{target: t, plan: plan, notes: notes, err: err}
	}, watch)
}

func (s *submitScreen) send() tea.Cmd {
	s.state = submitSending
	ctx, cancel := context.WithCancel(s.ui.ctx)
	s.cancel = cancel
	ctx, notices, watch := s.watchRetries(ctx)
	t, plan, publish := s.target, s.plan, s.publish
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		defer close(notices)
		// The target is this command's alone while it runs, so its notices are collected
		// here and handed to the screen with the result, never shared with View.
		var notes []string
		t.Notify = func(msg string) { notes = append(notes, msg) }
		if err := t.Send(ctx, plan); err != nil {
			return sentMsg{notes: notes, err: err}
		}
		if !publish {
			return sentMsg{notes: notes}
		}
		props, err := t.Publish(ctx)
		return sentMsg{props: props, published: err == nil, notes: notes, err: err}
	}, watch)
}

// Update returns a command and, when the partner is done with the screen, a backIntent.
func (s *submitScreen) Update(msg tea.Msg) (tea.Cmd, intent) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if s.state == submitPreparing || s.state == submitSending {
			var cmd tea.Cmd
			s.spin, cmd = s.spin.Update(msg)
			return cmd, nil
		}
		return nil, nil
	case retryMsg:
		if msg.from != s.notices {
			return nil, nil // from a command that was cancelled or has finished
		}
		s.waiting = questionnaire.Sentence(msg.retry.Waiting())
		return readRetry(msg.from), nil
	case credsMsg:
		if msg.err != nil {
			note := ""
			var ke *marketplace.KeyringError
			if errors.As(msg.err, &ke) {
				note = questionnaire.Sentence(ke.Error())
			}
			return s.credentialsForm(note), nil
		}
		s.creds = msg.creds
		return s.prepare(), nil
	case preparedMsg:
		s.cancel, s.notices, s.waiting = nil, nil, ""
		s.said = append(s.said, msg.notes...)
		if msg.err != nil {
			return s.fail(msg.err), nil
		}
		s.target, s.plan = msg.target, msg.plan
		if len(msg.plan.Blocking) > 0 {
			return s.fail(fmt.Errorf("%d blocking problems must be fixed first; the review checklist lists them", len(msg.plan.Blocking))), nil
		}
		s.state = submitConfirm
		return nil, nil
	case sentMsg:
		s.cancel, s.notices, s.waiting = nil, nil, ""
		s.said = append(s.said, msg.notes...)
		if msg.err != nil {
			return s.fail(msg.err), nil
		}
		s.state = submitDone
		s.result = []string{"Sent: the Marketplace's draft of " + s.ref.Subject + " now matches yours."}
		switch fs := msg.props.FormStatus; {
		case msg.published && fs != "":
			s.result = append(s.result, "Published: formStatus "+fs+submit.FormStatusMeaning(fs)+".")
			if next := submit.NextStep(s.ref.Subject, msg.props); next != "" {
				s.result = append(s.result, next)
			}
		case msg.published:
			s.result = append(s.result, "Published; the Marketplace did not report a formStatus yet (pstab status "+s.ref.Subject+").")
		default:
			s.result = append(s.result, "Not published yet: publish it in the web form (Submit and publish), or press P next time.")
		}
		if n := len(s.plan.LocalOnly); n > 0 {
			s.result = append(s.result, fmt.Sprintf("The API does not carry %d of your answers; enter them in the web form (pstab export %s --format sheet lists them).", n, s.ref.Subject))
		}
		return nil, nil
	case tea.KeyMsg:
		return s.handleKey(msg)
	}
	if s.state == submitCredentials {
		return s.updateForm(msg), nil
	}
	return nil, nil
}

func (s *submitScreen) fail(err error) tea.Cmd {
	s.state, s.err = submitFailed, err
	s.refusals, s.cursor = submit.Refusals(s.cat, err), 0
	if errors.Is(err, context.Canceled) {
		s.err = errors.New("cancelled; nothing more was sent")
	}
	return nil
}

func (s *submitScreen) updateForm(msg tea.Msg) tea.Cmd {
	cmd := s.form.Update(msg)
	if s.form.done {
		s.email = strings.TrimSpace(s.form.value(0))
		tok := strings.TrimSpace(s.form.value(1))
		s.form = nil // drop the token from the screen's state
		s.creds = marketplace.Credentials{Email: s.email, Token: marketplace.NewToken(tok), Source: marketplace.SourcePrompt}
		return s.prepare()
	}
	return cmd
}

func (s *submitScreen) handleKey(msg tea.KeyMsg) (tea.Cmd, intent) {
	km := s.ui.keys
	if msg.Type == tea.KeyEsc {
		if s.cancel != nil {
			s.cancel()
			return nil, nil
		}
		return nil, backIntent{}
	}
	switch s.state {
	case submitCredentials:
		return s.updateForm(msg), nil
	case submitConfirm:
		switch {
		case key.Matches(msg, km.Yes):
			return s.send(), nil
		case msg.String() == "P":
			s.publish = !s.publish
		case key.Matches(msg, km.Up):
			s.scroll = max(0, s.scroll-1)
		case key.Matches(msg, km.Down):
			s.scroll++
		case msg.String() == "n", msg.String() == "N":
			return nil, backIntent{}
		}
	case submitFailed:
		switch {
		case msg.String() == "r":
			return s.prepare(), nil
		case msg.String() == "c":
			return s.credentialsForm(""), nil
		case key.Matches(msg, km.Up) && len(s.refusals) > 0:
			s.cursor = max(0, s.cursor-1)
		case key.Matches(msg, km.Down) && len(s.refusals) > 0:
			s.cursor = min(len(s.refusals)-1, s.cursor+1)
		case msg.Type == tea.KeyEnter && len(s.refusals) > 0:
			if r := s.refusals[s.cursor]; r.Question != nil {
				// The jump opens the entry and field the refusal points into, as the
				// checklist's does.
				return nil, jumpIntent{p: questionnaire.Problem{Question: r.Question, Item: r.Item, Field: r.Field, Message: r.Message}}
			}
		}
	case submitDone:
		if msg.Type == tea.KeyEnter {
			return nil, backIntent{}
		}
	}
	return nil, nil
}

func (s *submitScreen) Help() helpKeys {
	km := s.ui.keys
	var short []key.Binding
	switch s.state {
	case submitConfirm:
		short = []key.Binding{km.Yes, key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "publish too")), km.Up, km.Down,
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc/n", "cancel"))}
	case submitFailed:
		short = []key.Binding{key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
			key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "other credentials")), km.Back}
		if len(s.refusals) > 0 {
			short = append([]key.Binding{km.Up, km.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to the question"))}, short...)
		}
	case submitPreparing, submitSending:
		short = []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))}
	case submitDone:
		short = []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "back to the checklist"))}
	default:
		short = []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))}
	}
	return helpKeys{short: short, full: [][]key.Binding{short}}
}

func firstNonEmptyString(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
