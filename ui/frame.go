package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/ui/termsafe"
)

// The frame is what the root draws around the active screen's body: one header line
// (where the partner is, and the open draft's save status), a blank line, the body, and
// the help footer (one line, or with ? every key, in as many lines as they take). The body's size is the terminal's
// less what the frame's parts measure, so a change to the header or the footer cannot
// push the body off the screen.

// bodyWidth is the width of a screen's body: the terminal less the app's side padding.
func (m *Model) bodyWidth() int { return m.width - m.ui.styles.App.GetHorizontalPadding() }

// bodyHeight is the height of a screen's body: the terminal less the measured header,
// the blank line under it and the measured footer.
func (m *Model) bodyHeight() int {
	var keys helpKeys
	if s := m.active(); s != nil {
		keys = s.Help()
	}
	return m.bodyHeightFor(m.header(), m.footer(keys))
}

func (m *Model) bodyHeightFor(header, footer string) int {
	const gap = 1 // the blank line between the header and the body
	return max(3, m.height-lipgloss.Height(header)-gap-lipgloss.Height(footer))
}

// header is the frame's first line: "pstab › app › place" on the left, the open draft's
// save status (and, without the section list, its progress) on the right, on every
// screen but home. The status always shows whole: the place is shortened to make room.
func (m *Model) header() string {
	st := m.ui.styles
	crumbs := []string{"pstab"}
	if s := m.active(); s != nil {
		crumbs = append(crumbs, s.Crumbs()...)
	}
	var status string
	if m.session != nil && m.screen != screenHome && m.screen != screenNewApp {
		status = m.session.status(!sidebarFits(m.bodyWidth()))
	}
	width := m.bodyWidth()
	if m.waiting != "" {
		// A wait on another pstab replaces the save status: in full when it leaves the
		// crumbs room, else in short.
		text := m.waiting
		if lipgloss.Width(text) > width/2 {
			text = "waiting for another pstab…"
		}
		status = st.Warn.Render(text)
	}
	room := width
	if status != "" {
		room -= lipgloss.Width(status) + 1
	}
	left := st.Title.Render(crumbs[0])
	if len(crumbs) > 1 {
		rest := truncate(" › "+strings.Join(crumbs[1:], " › "), max(0, room-lipgloss.Width(left)))
		left += st.Muted.Render(rest)
	}
	if status == "" {
		return truncateLines(left, width)
	}
	gap := max(1, width-lipgloss.Width(left)-lipgloss.Width(status))
	return truncateLines(left+strings.Repeat(" ", gap)+status, width)
}

// footer is the help: the short line, or with ? every key. The short line always ends
// with the key that shows every key where the partner is (? or, while typing, f1).
func (m *Model) footer(keys helpKeys) string {
	width := m.bodyWidth()
	m.help.Width = width
	more := m.ui.keys.Help
	if m.typing() {
		more = m.ui.keys.HelpAlt
	}
	if m.fullHelp {
		closeHelp := key.NewBinding(key.WithKeys(more.Keys()...), key.WithHelp(more.Help().Key, "close this list"))
		return fullHelpView(m.ui.styles, append(keys.FullHelp(), []key.Binding{closeHelp, m.ui.keys.Quit}), width)
	}
	cache := footerKey(width, more, keys)
	if cache == m.footKey {
		return m.footOut
	}
	m.footKey, m.footOut = cache, m.shortFooter(width, more, keys)
	return m.footOut
}

// footerKey is what the short help line is drawn from: the width and every key's words,
// whether it is on, and its rank.
func footerKey(width int, more key.Binding, keys helpKeys) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(width))
	for _, k := range append([]key.Binding{more}, keys.short...) {
		h := k.Help()
		b.WriteString("\x00" + h.Key + "\x01" + h.Desc + "\x01" + strconv.FormatBool(k.Enabled()))
	}
	for _, r := range keys.rank {
		b.WriteString("\x00" + strconv.Itoa(r))
	}
	return b.String()
}

// shortFooter draws the short help line: the keys that fit, then the one that shows them
// all.
func (m *Model) shortFooter(width int, more key.Binding, keys helpKeys) string {
	tail := m.help.ShortHelpView([]key.Binding{more})
	room := width - lipgloss.Width(tail) - 3
	m.help.Width = 0 // measured here: keys give way whole, by rank, rather than be cut
	line := m.help.ShortHelpView(fitShortHelp(keys, shortHelpWidth, room))
	m.help.Width = width
	if line == "" {
		return tail
	}
	return truncate(line, room) + m.ui.styles.Help.ShortSeparator.Render(" • ") + tail
}

// shortHelpWidth is the width bubbles/help draws a short line of keys in: each "key desc",
// " • " between them; measured from the text, without drawing it.
func shortHelpWidth(keys []key.Binding) int {
	w, n := 0, 0
	for _, k := range keys {
		if !k.Enabled() {
			continue
		}
		h := k.Help()
		w += lipgloss.Width(h.Key) + 1 + lipgloss.Width(h.Desc)
		n++
	}
	if n > 1 {
		w += 3 * (n - 1)
	}
	return w
}

// fitShortHelp drops short keys until the line measures at most room columns: the
// highest rank first (the last key when the screen ranks none), keeping the order.
func fitShortHelp(keys helpKeys, measure func([]key.Binding) int, room int) []key.Binding {
	short := append([]key.Binding(nil), keys.short...)
	rank := append([]int(nil), keys.rank...)
	for len(rank) < len(short) {
		rank = append(rank, len(rank))
	}
	for len(short) > 1 && measure(short) > room {
		drop := len(short) - 1
		for i := range short {
			if rank[i] >= rank[drop] {
				drop = i
			}
		}
		short = append(short[:drop], short[drop+1:]...)
		rank = append(rank[:drop], rank[drop+1:]...)
	}
	return short
}

// View draws the frame (header, body, footer) and filters it for the terminal: no text
// from a draft can reach the terminal as a control sequence.
func (m *Model) View() string {
	if m.done {
		return ""
	}
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
	s := m.active()
	if s == nil {
		return ""
	}
	// The body first: drawing it may change the header's status or the keys.
	body, keys := s.View(), s.Help()
	header, footer := m.header(), m.footer(keys)
	body = fitLines(body, m.bodyHeightFor(header, footer))
	return padScreen(st.App, header+"\n\n"+body+"\n"+footer)
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
