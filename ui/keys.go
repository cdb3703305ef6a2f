package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key binding of the TUI. Screens pick the ones they use for their help.
// Letter keys act only where no text is being typed; the alt+ and ctrl+ forms work
// everywhere.
type KeyMap struct {
	Quit     key.Binding
	QuitSave key.Binding // ctrl+c as the full help names it where answers are saved
	Help     key.Binding
	HelpAlt  key.Binding // f1: help while keys are text

	Up     key.Binding
	Down   key.Binding
	Open   key.Binding
	Back   key.Binding
	New    key.Binding
	Filter key.Binding
	Delete key.Binding

	NextField   key.Binding
	PrevField   key.Binding
	NextSection key.Binding
	PrevSection key.Binding
	Sections    key.Binding
	Home        key.Binding
	SavePoint   key.Binding
	Discard     key.Binding
	Preview     key.Binding
	PreviewAlt  key.Binding
	Review      key.Binding
	ReviewAlt   key.Binding
	Reload      key.Binding

	ListAdd    key.Binding
	ListEdit   key.Binding
	ListRemove key.Binding
	ListUp     key.Binding
	ListDown   key.Binding
	ListMove   key.Binding
	Undo       key.Binding

	PasteItems   key.Binding // help only: what pasting lines does in a list
	PasteEntries key.Binding // help only: what pasting lines does in a list of records

	SideChoose key.Binding // the section list's keys, for its help
	SideOpen   key.Binding
	SideBack   key.Binding

	ToggleView key.Binding
	PageDown   key.Binding
	PageUp     key.Binding
	Jump       key.Binding
	Submit     key.Binding

	// The review conversation (review_keys.go).
	Comment        key.Binding
	CommentAlt     key.Binding
	General        key.Binding
	GeneralAlt     key.Binding
	NextOpen       key.Binding
	PrevOpen       key.Binding
	NextChanged    key.Binding
	PrevChanged    key.Binding
	Approve        key.Binding
	RequestChanges key.Binding
	ToggleResolve  key.Binding

	Yes key.Binding
	No  key.Binding
}

// DefaultKeyMap returns pstab's key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		QuitSave: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "save and quit")),
		Help:     key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "keys")),
		HelpAlt:  key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "keys")),

		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:   key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back")),
		New:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new app")),
		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Delete: key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", "delete")),

		NextField:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		PrevField:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous")),
		NextSection: key.NewBinding(key.WithKeys("pgdown", "alt+n"), key.WithHelp("pgdn", "next section")),
		PrevSection: key.NewBinding(key.WithKeys("pgup", "alt+b"), key.WithHelp("pgup", "previous section")),
		Sections:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "sections")),
		Home:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "your apps")),
		SavePoint:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save point")),
		Discard:     key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "discard changes")),
		Preview:     key.NewBinding(key.WithKeys("p", "alt+p"), key.WithHelp("p", "preview")),
		PreviewAlt:  key.NewBinding(key.WithKeys("alt+p"), key.WithHelp("alt+p", "preview")),
		Review:      key.NewBinding(key.WithKeys("r", "alt+r"), key.WithHelp("r", "review")),
		ReviewAlt:   key.NewBinding(key.WithKeys("alt+r"), key.WithHelp("alt+r", "review")),
		Reload:      key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reload")),

		ListAdd:    key.NewBinding(key.WithKeys("a", "+"), key.WithHelp("a", "add")),
		ListEdit:   key.NewBinding(key.WithKeys("e", "enter"), key.WithHelp("e", "edit")),
		ListRemove: key.NewBinding(key.WithKeys("x", "delete"), key.WithHelp("x", "remove")),
		ListUp:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", "up")),
		ListDown:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "down")),
		ListMove:   key.NewBinding(key.WithKeys("alt+up", "alt+down"), key.WithHelp("alt+↑/↓", "move")),
		Undo:       key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo remove")),

		PasteItems:   key.NewBinding(key.WithKeys(""), key.WithHelp("paste lines", "one item each")),
		PasteEntries: key.NewBinding(key.WithKeys(""), key.WithHelp("paste lines", "one entry each, fields by tab or |")),

		SideChoose: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
		SideOpen:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		SideBack:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),

		ToggleView: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "default/expanded")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", " ", "f"), key.WithHelp("pgdn", "page down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		Jump:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to question")),
		Submit:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "submit")),

		Comment:        key.NewBinding(key.WithKeys("c", "alt+c"), key.WithHelp("c", "comment")),
		CommentAlt:     key.NewBinding(key.WithKeys("alt+c"), key.WithHelp("alt+c", "comment")),
		General:        key.NewBinding(key.WithKeys("o", "alt+o"), key.WithHelp("o", "overall")),
		GeneralAlt:     key.NewBinding(key.WithKeys("alt+o"), key.WithHelp("alt+o", "overall")),
		NextOpen:       key.NewBinding(key.WithKeys("]"), key.WithHelp("]/[", "next comment")),
		PrevOpen:       key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous open comment")),
		NextChanged:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next change")),
		PrevChanged:    key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous changed answer")),
		Approve:        key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "approve")),
		RequestChanges: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "ask changes")),
		ToggleResolve:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "resolve too")),

		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "no")),
	}
}

// helpKeys adapts a pair of short and full binding lists to bubbles/help's KeyMap.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
	// rank, when set, ranks the short keys (parallel to short): where the footer has no
	// room for all of them, the highest ranks give way first, and the rest keep their
	// order. Without it the last keys give way.
	rank []int
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }
