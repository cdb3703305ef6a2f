package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// homeEntry is one line of the home list: an app, or the partner's self-assessment.
type homeEntry struct {
	key, name       string
	ssa             bool
	answered, total int
	status          string
	formStatus      string
	changed         time.Time
	review          store.ReviewSummary // open comments and the reviewer's decision
}

// subjectKey is the key the store knows the entry by.
func (e homeEntry) subjectKey() string {
	if e.ssa {
		return store.PartnerKey
	}
	return e.key
}

func (e homeEntry) percent() int {
	if e.total == 0 {
		return 0
	}
	return e.answered * 100 / e.total
}

// home lists the apps in the database with their completeness, status and last change.
type home struct {
	ui      *shared
	entries []homeEntry
	cursor  int
	loaded  bool
	err     error

	filter    textinput.Model
	filtering bool

	confirmDelete bool
	notice        string

	width, height int
}

// appsLoadedMsg carries the app list.
type appsLoadedMsg struct {
	entries []homeEntry
	err     error
}

// appDeletedMsg reports a deletion.
type appDeletedMsg struct {
	key string
	err error
}

func newHome(ui *shared) *home {
	f := textinput.New()
	f.Prompt = "/"
	f.Placeholder = "filter by key or name"
	return &home{ui: ui, filter: f}
}

// loadAppsCmd reads the app list and the self-assessment's progress.
func loadAppsCmd(ui *shared) tea.Cmd {
	return func() tea.Msg {
		apps, err := ui.drafts.Apps(ui.ctx)
		if err != nil {
			return appsLoadedMsg{err: err}
		}
		entries := make([]homeEntry, 0, len(apps)+1)
		for _, a := range apps {
			entries = append(entries, homeEntry{key: a.Key, name: a.Name, answered: a.Answered, total: a.Total,
				status: a.Status, formStatus: a.FormStatus, changed: a.ChangedAt})
		}
		if ui.cats.SelfAssessment != nil {
			e := homeEntry{key: "partner", name: store.PartnerName, ssa: true, status: store.StatusDraft}
			if sub, err := ui.drafts.Subject(ui.ctx, store.PartnerKey); err == nil {
				if d, err := ui.drafts.Load(ui.ctx, sub.Ref); err == nil {
					p := sub.Catalogue.Progress(d.Answers)
					e.answered, e.total, e.changed = p.Answered, p.Total, d.UpdatedAt
					if d.Status != "" {
						e.status = d.Status
					}
				}
			}
			entries = append(entries, e)
		}
		return appsLoadedMsg{entries: entries}
	}
}

// SetSize gives home the body's size.
func (h *home) SetSize(w, ht int) tea.Cmd {
	h.width, h.height = w, ht
	return nil
}

// Typing reports whether the filter is being typed.
func (h *home) Typing() bool { return h.filtering }

// Crumbs is empty: home is the top.
func (h *home) Crumbs() []string { return nil }

// visible returns the entries that pass the filter.
func (h *home) visible() []homeEntry {
	q := strings.ToLower(strings.TrimSpace(h.filter.Value()))
	if q == "" {
		return h.entries
	}
	var out []homeEntry
	for _, e := range h.entries {
		if strings.Contains(strings.ToLower(e.key), q) || strings.Contains(strings.ToLower(e.name), q) {
			out = append(out, e)
		}
	}
	return out
}

func (h *home) selected() (homeEntry, bool) {
	v := h.visible()
	if h.cursor < 0 || h.cursor >= len(v) {
		return homeEntry{}, false
	}
	return v[h.cursor], true
}

func (h *home) appCount() int {
	n := 0
	for _, e := range h.entries {
		if !e.ssa {
			n++
		}
	}
	return n
}

// Update handles home's messages. It returns a command and, when the partner chose
// something that leaves home, an intent for the root.
func (h *home) Update(msg tea.Msg) (tea.Cmd, intent) {
	switch msg := msg.(type) {
	case reviewMarksMsg:
		h.setReviewMarks(msg)
		return nil, nil
	case appsLoadedMsg:
		h.loaded, h.err = true, msg.err
		h.entries = msg.entries
		h.cursor = min(h.cursor, max(0, len(h.visible())-1))
		if msg.err == nil && h.appCount() == 0 {
			return nil, newAppIntent{first: true}
		}
		// The review marks come after the list, so that they never delay it.
		return loadReviewMarksCmd(h.ui), nil
	case appDeletedMsg:
		if msg.err != nil {
			h.err = msg.err
			return nil, nil
		}
		h.notice = "Deleted " + msg.key + "."
		return loadAppsCmd(h.ui), nil
	case tea.KeyMsg:
		return h.handleKey(msg)
	}
	if h.filtering {
		var cmd tea.Cmd
		h.filter, cmd = h.filter.Update(msg)
		return cmd, nil
	}
	return nil, nil
}

func (h *home) handleKey(msg tea.KeyMsg) (tea.Cmd, intent) {
	km := h.ui.keys
	if h.confirmDelete {
		h.confirmDelete = false
		if e, ok := h.selected(); ok && key.Matches(msg, km.Yes) {
			ui := h.ui
			return func() tea.Msg { return appDeletedMsg{key: e.key, err: ui.drafts.DeleteApp(ui.ctx, e.key)} }, nil
		}
		h.notice = "Nothing was deleted."
		return nil, nil
	}
	if h.filtering {
		switch msg.Type {
		case tea.KeyEnter:
			h.filtering = false
			h.filter.Blur()
			return nil, nil
		case tea.KeyEsc:
			h.filtering = false
			h.filter.Blur()
			h.filter.SetValue("")
			return nil, nil
		}
		var cmd tea.Cmd
		h.filter, cmd = h.filter.Update(msg)
		h.cursor = 0
		return cmd, nil
	}
	h.notice = ""
	n := len(h.visible())
	switch {
	case key.Matches(msg, km.Up):
		h.cursor = max(0, h.cursor-1)
	case key.Matches(msg, km.Down):
		h.cursor = min(max(0, n-1), h.cursor+1)
	case key.Matches(msg, km.Filter):
		h.filtering = true
		return h.filter.Focus(), nil
	case key.Matches(msg, km.New):
		return nil, newAppIntent{}
	case key.Matches(msg, km.Open):
		if e, ok := h.selected(); ok {
			return nil, openIntent{key: e.subjectKey(), title: e.name}
		}
	case key.Matches(msg, km.Preview):
		if e, ok := h.selected(); ok {
			return nil, openIntent{key: e.subjectKey(), title: e.name, preview: true}
		}
	case key.Matches(msg, km.Delete):
		if e, ok := h.selected(); ok && !e.ssa {
			h.confirmDelete = true
		}
	case msg.Type == tea.KeyEsc && h.filter.Value() != "":
		h.filter.SetValue("")
	case key.Matches(msg, km.Back):
		return nil, quitIntent{}
	}
	return nil, nil
}

func (h *home) View() string {
	st := h.ui.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Your apps") + st.Faint.Render("  Privacy & Security tab drafts") + "\n\n")
	if !h.loaded {
		b.WriteString(st.Muted.Render("Loading…"))
		return b.String()
	}
	if h.err != nil {
		b.WriteString(st.Banner.Render(wrapText(questionnaire.Sentence(h.err.Error()), h.width-3)) + "\n\n")
	}
	entries := h.visible()
	cols := h.columns(entries)
	b.WriteString(st.Faint.Render(truncate(cols.header(), h.width)) + "\n")

	bottom := h.bottomView()
	// The rows take what the title, the column names, the separator above the
	// self-assessment, the blank line and the line under the list leave.
	used := lipgloss.Height(b.String()) - 1 + 2 + max(1, lipgloss.Height(bottom))
	maxLines := max(1, h.height-used)
	first := 0
	if h.cursor >= maxLines {
		first = h.cursor - maxLines + 1
	}
	now := h.ui.now()
	lines := 0
	for i, e := range entries {
		if i < first || lines >= maxLines {
			continue
		}
		if e.ssa && i > 0 {
			b.WriteString(st.Faint.Render("  "+strings.Repeat("─", max(0, min(h.width-4, 80)))) + "\n")
		}
		row, rest, more := cols.row(e, now)
		// At the narrowest widths the last columns are cut rather than overflow.
		if i == h.cursor {
			b.WriteString(truncate(st.Selected.Render("› "+row)+bar(st, e.percent(), 10)+st.Selected.Render(rest), h.width) + "\n")
		} else {
			b.WriteString(truncate("  "+st.Text.Render(row)+bar(st, e.percent(), 10)+st.Muted.Render(rest), h.width) + "\n")
		}
		lines++
		if more != "" && lines < maxLines {
			b.WriteString(st.Faint.Render(truncate("    key "+more, h.width)) + "\n")
			lines++
		}
	}
	if len(entries) == 0 {
		b.WriteString(st.Faint.Render("  No app matches the filter.") + "\n")
	}
	b.WriteString("\n" + bottom)
	return b.String()
}

// bottomView is the line under the list: the filter, the delete question, or a notice.
func (h *home) bottomView() string {
	st := h.ui.styles
	switch {
	case h.filtering || h.filter.Value() != "":
		return h.filter.View()
	case h.confirmDelete:
		if e, ok := h.selected(); ok {
			return st.Warn.Render(wrapText(fmt.Sprintf("Delete %s (%s)? Its drafts, save points and history go too, and this cannot be undone. Press y to delete, any other key keeps it. y/N",
				e.name, e.key), h.width))
		}
	case h.notice != "":
		return st.Info.Render(wrapText(h.notice, h.width))
	}
	return ""
}

// homeColumns are the widths of home's columns for the entries shown. Keys are shown
// whole whenever they fit (two apps never look the same): the name gives way first, then
// the Changed column, then the Status column; a key longer than all of that is shortened
// in its middle, and shown whole under its row should two shortened keys look alike.
type homeColumns struct {
	nameW, keyW     int
	statusW         int // 10, wider where there is room for a review mark with a form status
	status, changed bool
	shown           map[string]int // shortened key -> how many entries show it
}

func (h *home) columns(entries []homeEntry) homeColumns {
	keyW := len("Key")
	for _, e := range entries {
		keyW = max(keyW, lipgloss.Width(e.displayKey()))
	}
	keyW = min(keyW, 60)
	// "› " 2, the spaces after name and key 2, the bar 10, " 100%" 5.
	const fixed = 2 + 2 + 10 + 5
	const statusW, changedW = 2 + 10, 1 + 12
	c := homeColumns{keyW: keyW}
	fits := false
	for _, try := range []struct {
		status, changed bool
		minName         int
	}{{true, true, 16}, {true, false, 14}, {false, false, 12}} {
		room := h.width - fixed - keyW
		if try.status {
			room -= statusW
		}
		if try.changed {
			room -= changedW
		}
		if room >= try.minName {
			c.status, c.changed, c.nameW, fits = try.status, try.changed, min(32, room), true
			// Status widens into what the name leaves, as far as a status needs it (a
			// review mark with a form status: "»2 submitted (approved)"); 10 at 80 columns.
			need := 10
			for _, e := range entries {
				need = max(need, lipgloss.Width(e.statusText()))
			}
			c.statusW = 10 + min(14, room-c.nameW, need-10)
			break
		}
	}
	if !fits {
		c.nameW, c.keyW = 12, max(8, h.width-fixed-12)
	}
	c.shown = map[string]int{}
	for _, e := range entries {
		c.shown[middleTruncate(e.displayKey(), c.keyW)]++
	}
	return c
}

func (c homeColumns) header() string {
	out := fmt.Sprintf("  %-*s %-*s %-15s", c.nameW, "Name", c.keyW, "Key", "Complete")
	if c.status {
		out += fmt.Sprintf("  %-*s", c.statusW, "Status")
	}
	if c.changed {
		out += " Changed"
	}
	return out
}

// row returns an entry's columns before the bar and after it, and its whole key when the
// shortened one is shared with another entry.
func (c homeColumns) row(e homeEntry, now time.Time) (before, after, whole string) {
	key := middleTruncate(e.displayKey(), c.keyW)
	if c.shown[key] > 1 {
		whole = e.displayKey()
	}
	before = fmt.Sprintf("%-*s %-*s ", c.nameW, truncate(e.name, c.nameW), c.keyW, key)
	after = fmt.Sprintf(" %3d%%", e.percent())
	if c.status {
		after += fmt.Sprintf("  %-*s", c.statusW, truncate(e.statusText(), c.statusW))
	}
	if c.changed {
		after += " " + questionnaire.Ago(now, e.changed)
	}
	return before, after, whole
}

// statusText is the status column's text: the review's mark, the draft's status, and the
// form status the Marketplace last gave.
func (e homeEntry) statusText() string {
	status := e.status
	if e.formStatus != "" {
		status += " (" + strings.ToLower(e.formStatus) + ")"
	}
	return reviewMark(e.review) + status
}

// displayKey is the key column's text: the app key, or (partner) for the self-assessment.
func (e homeEntry) displayKey() string {
	if e.ssa {
		return "(partner)"
	}
	return e.key
}

// middleTruncate shortens s to width columns by cutting its middle, where app keys that
// share a vendor prefix and differ at the end are least alike.
func middleTruncate(s string, width int) string {
	if lipgloss.Width(s) <= width || width < 5 {
		return truncate(s, width)
	}
	r := []rune(s)
	head := (width - 1) / 2
	tail := width - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

func (h *home) Help() helpKeys {
	km := h.ui.keys
	if h.filtering {
		return helpKeys{short: []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		}}
	}
	quit := key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit"))
	short := []key.Binding{km.Open, key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new")), km.Filter, km.Delete, km.Preview, quit}
	full := [][]key.Binding{{km.Up, km.Down, km.Open, km.Preview}, {km.New, km.Filter, km.Delete, quit}}
	return helpKeys{short: short, full: full}
}
