package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/questionnaire"
)

// screenModel is the contract of every child screen of the root model (home, the new-app
// form, the wizard, the preview, the review checklist, the submit screen). The root owns
// the frame around it: a header line (crumbs and the open draft's save status), a blank
// line, the body, and the help footer; a screen draws only the body.
//
// The root handles the global keys first (ctrl+c, ? and f1), then gives every other
// message to the active screen's Update. Messages that a screen's own commands return
// (a render, a submit step) go to that screen even when another is showing; the open
// draft's save messages go to the session (see session), never to a screen.
//
// To add a screen: give it a constant in the screen enum and a field in Model, build it
// where an intent opens it (Model.act), and return it from Model.active and
// Model.screens; it then gets its size, its keys and its place in the frame like the
// others. It reads and writes the open draft through the session the root passes it.
type screenModel interface {
	// Update handles a message. It returns a command to run and, when the partner chose to
	// leave the screen or open another, an intent for the root; nil otherwise.
	Update(msg tea.Msg) (tea.Cmd, intent)
	// View draws the body: at most the height given to SetSize, lines at most its width.
	View() string
	// SetSize gives the screen the body's size: the terminal less the frame's measured
	// header and footer. A screen that renders in a command (the preview) returns it.
	SetSize(width, height int) tea.Cmd
	// Help is the screen's keys for the footer: a short line, and the full list for ?.
	Help() helpKeys
	// Typing reports whether keys are text right now, so that ? and letter shortcuts
	// reach the screen as text.
	Typing() bool
	// Crumbs is the screen's place in the header after "pstab" (none on home).
	Crumbs() []string
}

// intent is what a screen asks of the root: to open a draft, another screen, or to go
// back. The root acts on it within the same Update, so that a key typed right after it
// reaches the screen it leads to; a message returned by a command would arrive after
// such keys, and they would land on the screen being left.
type intent interface{ isIntent() }

type (
	// openIntent opens a draft by its subject key: in the wizard, or only its preview.
	openIntent struct {
		key, title string
		preview    bool
	}
	// newAppIntent opens the new-app form; first says the database has no app yet.
	newAppIntent struct{ first bool }
	// previewIntent previews the open draft; esc there comes back to the asking screen.
	previewIntent struct{}
	// checklistIntent opens the review checklist of the open draft.
	checklistIntent struct{}
	// submitIntent opens the submit screen for the open draft.
	submitIntent struct{}
	// jumpIntent opens the wizard on a problem's question (and its entry, for a list).
	jumpIntent struct{ p questionnaire.Problem }
	// backIntent leaves the screen for the one it came from.
	backIntent struct{}
	// quitIntent ends the program.
	quitIntent struct{}
)

func (openIntent) isIntent()      {}
func (newAppIntent) isIntent()    {}
func (previewIntent) isIntent()   {}
func (checklistIntent) isIntent() {}
func (submitIntent) isIntent()    {}
func (jumpIntent) isIntent()      {}
func (backIntent) isIntent()      {}
func (quitIntent) isIntent()      {}
