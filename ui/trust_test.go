package ui

import (
	"context"
	"strings"
	"syscall"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// y, n and a answer every question whose answers are yes, no and not applicable, and a
// letter such a question does not take says so.
func TestLettersAnswerEveryYesNoChoice(t *testing.T) {
	ps, _ := catalogues(t)
	for _, id := range []string{"gdpr-controller", "gdpr-processor", "ccpa-business", "ccpa-service-provider", "dpa"} {
		if got := letterChoices(ps.Question(id)); len(got) != 3 {
			t.Errorf("%s: the letters answer %v, want y, n and a", id, got)
		}
	}
	if got := letterChoices(ps.Question("data-residency")); got != nil {
		t.Errorf("data-residency has several Yes answers, yet the letters answer %v", got)
	}

	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "uses-pets", questionnaire.Bool(false))
	d := wizardOn(t, s, 80, 24)
	d.goToSection("Privacy")
	d.focusQuestion("gdpr-controller")
	for _, tc := range []struct{ key, want string }{{"a", "Not applicable"}, {"n", "No"}, {"Y", "Yes"}} {
		d.press(tc.key)
		v, _ := savedAnswer(t, s, appKey, "gdpr-controller")
		if got := ps.Question("gdpr-controller").Display(v); got != tc.want {
			t.Errorf("%s saved %q, want %q", tc.key, got, tc.want)
		}
		d.wantScreen("› " + tc.want)
	}
	d.goToSection("Data access and storage")
	d.focusQuestion("stores-eud")
	d.press("a")
	d.wantScreen("This question has no Not applicable answer: y answers Yes, n answers No.")
	d.press("q")
	d.wantScreen("q does nothing here", "esc opens the section list")
	if d.m.screen != screenWizard {
		t.Fatal("q left the wizard")
	}
}

// A key that does nothing where the focus is says so in the status line, at every kind
// of place: a choice, a list, the section list, a reviewer's read-only copy.
func TestAKeyThatDoesNothingSaysSo(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	setAnswer(t, s, appKey, "stored-data-types", questionnaire.List("Email addresses"))
	d := wizardOn(t, s, 80, 24)
	d.press("shift+tab") // from processes-eud, the first unanswered
	if d.focused() != "stored-data-types" {
		t.Fatalf("on %s", d.focused())
	}
	d.press("z")
	d.wantScreen("z does nothing here: a adds an item, e edits, x removes.")
	d.focusQuestion("processes-eud")
	d.press("z")
	d.wantScreen("z does nothing here: ↑/↓ picks an answer.")
	d.press("esc")
	d.press("z")
	d.wantScreen("z does nothing in the section list")
}

// The key every hint names is the one that works where the focus is: alt+p and alt+r in
// a text field, where p and r are letters, and p and r elsewhere. ctrl+c is in every full
// help of the wizard.
func TestHintsNameTheKeyThatWorks(t *testing.T) {
	d := newDriver(t, fullDraft(t), 80, 24)
	d.openApp()
	checked := 0
	for _, title := range []string{"Data access and storage", "Third parties", "Security", "Privacy policy"} {
		d.goToSection(title)
		for range d.m.wizard.blocks {
			h := d.m.wizard.Help()
			typing := d.m.wizard.Typing()
			for _, k := range h.ShortHelp() {
				switch k.Help().Key {
				case "p", "r":
					if typing {
						t.Errorf("%s: the footer names %s while keys are text", d.focused(), k.Help().Key)
					}
				case "alt+p", "alt+r":
					if !typing {
						t.Errorf("%s: the footer names %s where %s works", d.focused(), k.Help().Key, k.Help().Key[4:])
					}
				}
			}
			quit := false
			for _, g := range h.FullHelp() {
				for _, k := range g {
					quit = quit || k.Help().Key == "ctrl+c"
				}
			}
			if !quit {
				t.Errorf("%s: the full help lacks ctrl+c", d.focused())
			}
			checked++
			d.press("tab")
		}
	}
	d.goToSection("Privacy policy")
	d.focusQuestion("privacy-policy")
	d.typeText("https://acme.example/privacy")
	d.press("tab")
	d.wantScreen("That was the last section. Press alt+r to review what is left, or alt+p to")
	d.typeText("r")
	if v, _ := d.m.wizard.answers.Get("privacy-policy"); v.Text != "https://acme.example/privacyr" || d.m.screen != screenWizard {
		t.Fatalf("r in the URL field: %q on screen %d", v.Text, d.m.screen)
	}
	if checked < 10 {
		t.Fatalf("checked %d questions only", checked)
	}
}

// bigDraft is a draft with long names, a long list and three sub-processors, one of
// them wrong: the real content the layout must hold.
func bigDraft(t *testing.T) *store.Store {
	t.Helper()
	s := fullDraft(t)
	var items []string
	for _, w := range strings.Fields("Atlassian account IDs, issue keys and summaries, page content, attachments, comment text, display names, email addresses, time zones, project names, custom field values, worklog entries, board names") {
		items = append(items, "Item about "+strings.Trim(w, ","))
	}
	setAnswer(t, s, appKey, "stored-data-types", questionnaire.List(items...))
	ent := func(name, link, purpose string, countries ...string) questionnaire.Entity {
		f := map[string]questionnaire.Value{"name": questionnaire.Text(name), "purpose": questionnaire.Text(purpose), "thirdPartyCountries": questionnaire.List(countries...)}
		if link != "" {
			f["link"] = questionnaire.Text(link)
		}
		return questionnaire.Entity{Fields: f}
	}
	setAnswer(t, s, appKey, "sub-processors", questionnaire.Value{Entities: []questionnaire.Entity{
		ent("Amazon Web Services, Inc.", "https://aws.amazon.com/compliance/data-privacy-faq/", "Hosting and managed databases", "United States", "Ireland"),
		ent("Postmark (ActiveCampaign, LLC)", "http://postmarkapp.com", "Transactional email", "United States"),
		ent("Functional Software, Inc. (Sentry)", "https://sentry.io/legal/subprocessors/", "", "United States", "Germany"),
	}})
	return s
}

// At 80×24, 100×30 and 120×40, on every question of every section, the line the partner
// is on (the option picked, the item typed, the field of an entry) is on screen, and so
// is the question's title; the screen never outgrows the terminal.
func TestTheFocusIsAlwaysInView(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 40}} {
		w, h := size[0], size[1]
		d := newDriver(t, bigDraft(t), w, h)
		d.openApp()
		seen := 0
		check := func(what string) {
			t.Helper()
			wz := d.m.wizard
			b := wz.current()
			if b == nil {
				return
			}
			lines := strings.Split(ansi.Strip(b.view(true)), "\n")
			cur := strings.TrimSpace(lines[cursorLine(lines)])
			screen := d.screen()
			checkFits(t, what, d.m.View(), w, h)
			if cur != "" && !strings.Contains(screen, cur) {
				t.Errorf("%dx%d %s: the cursor's line %q is not on screen:\n%s", w, h, what, cur, screen)
			}
			seen++
		}
		for _, s := range d.m.wizard.cat.Sections {
			if !d.m.wizard.vis.SectionShown(s) {
				continue
			}
			d.goToSection(s.Title)
			for i := range d.m.wizard.blocks {
				check(s.Title + " question " + d.focused())
				if i < len(d.m.wizard.blocks)-1 {
					d.press("tab")
				}
			}
		}
		// A list with many items: the item being typed is in view.
		d.goToSection("Data access and storage")
		d.focusQuestion("stored-data-types")
		d.press("a")
		d.typeText("The item being typed now")
		check("a new item at the end of a long list")
		d.wantScreen("The item being typed now")
		d.press("esc")
		// The third sub-processor's form, opened at its last field.
		d.goToSection("Third parties")
		d.focusQuestion("sub-processors")
		d.press("down", "down", "e", "tab", "tab", "tab")
		check("the third entry's last field")
		d.wantScreen("Entry 3", "› Countries")
		d.press("esc")
		// A choice's cursor on its last option. The published schema asks no tick-box
		// question any more; data residency's five long options are the tallest choice.
		d.goToSection("Data residency")
		d.focusQuestion("data-residency")
		// Below "Not answered", one ↓ per option (a select wraps round after its last).
		for range d.m.wizard.cat.Question("data-residency").Options {
			d.press("down")
		}
		d.wantScreen("› Not applicable. The app stores")
		check("a choice's last option")
		if seen < 30 {
			t.Fatalf("%dx%d: only %d places checked", w, h, seen)
		}
	}
}

// The header keeps the progress and the save status at 80 columns however long the app's
// name; home tells apart keys that share a long beginning, at every width.
func TestHeaderAndHomeAt80Columns(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "An app with a rather long name for its listing on the Marketplace")
	createApp(t, s, "com.acme.timesheets", "Timesheets for Jira Cloud")
	createApp(t, s, "com.acme.timesheets.lite", "Timesheets Lite for Jira Cloud")
	long := "com.acme.a.vendor.with.a.very.long.namespace.for.its.apps.timesheets"
	createApp(t, s, long, "Long one")
	createApp(t, s, long+".lite", "Long one, lite")
	for _, w := range []int{60, 80, 100, 120} {
		d := newDriver(t, s, w, 24)
		shown := map[string]string{}
		for _, l := range strings.Split(d.screen(), "\n") {
			for _, key := range []string{"com.acme.timesheets", long} {
				if i := strings.Index(l, key[:min(len(key), 12)]); i >= 0 {
					f := strings.Fields(l[i:])
					if prev, dup := shown[f[0]]; dup {
						t.Errorf("at %d columns two apps show the key %q:\n%s\n%s", w, f[0], prev, l)
					}
					shown[f[0]] = l
				}
			}
		}
		if len(shown) < 4 {
			t.Errorf("at %d columns home shows %d of the 4 similar keys:\n%s", w, len(shown), d.screen())
		}
		d.press("d")
		d.wantScreen("y/N")
		checkFits(t, "the delete question", d.m.View(), w, 24)
		d.press("n")
		d.wantScreen("Nothing was deleted.")
	}

	d := newDriver(t, s, 80, 24)
	for d.m.home.cursor < len(d.m.home.entries) && d.m.home.entries[d.m.home.cursor].key != appKey {
		d.press("down")
	}
	d.openApp()
	d.press("y")
	d.press("tab")
	d.typeText("Email addresses")
	d.flushTyping()
	header := strings.SplitN(d.screen(), "\n", 2)[0]
	if !strings.Contains(header, "% done · saved ") || !strings.Contains(header, "pstab › An app") {
		t.Errorf("the header at 80 columns: %q", header)
	}
}

// Every example in an empty field says "e.g.", so that without colour it never reads as
// an answer.
func TestPlaceholdersNeverReadAsAnswers(t *testing.T) {
	ps, _ := catalogues(t)
	ui := New(context.Background(), testConfig(t, openStore(t, ""))).ui
	for _, q := range ps.Questions {
		b := newBlock(q, questionnaire.Value{}, ui, 60)
		for _, wd := range b.widgets() {
			hw, ok := wd.(*huhWidget)
			if !ok {
				continue
			}
			view := ansi.Strip(hw.View())
			for _, ex := range []string{"security@example.com", "https://", "30"} {
				if strings.Contains(view, ex) && !strings.Contains(view, "e.g. ") {
					t.Errorf("%s shows %q without e.g.:\n%s", q.ID, ex, view)
				}
			}
		}
	}
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	setAnswer(t, s, appKey, "shares-eud", questionnaire.Bool(true))
	d := wizardOn(t, s, 80, 24)
	d.goToSection("Third parties")
	d.focusQuestion("sub-processors")
	d.press("a")
	d.wantScreen("e.g. https://", "e.g. United States")
}

// An answer kept with a problem is marked wherever it appears: its question (at once, on
// opening), the section list, the preview; it does not count in the progress.
func TestAnInvalidAnswerIsMarkedEverywhere(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "bug-bounty", questionnaire.Bool(false))
	setAnswer(t, s, appKey, "security-policy", questionnaire.Text("http://acme.example/security"))
	ps, _ := catalogues(t)
	msg := ps.Question("security-policy").Check(questionnaire.Text("http://acme.example/security"))[0].Message
	d := wizardOn(t, s, 120, 40)
	d.goToSection("Security")
	d.wantScreen("1 of 7 answered", "✗ Security", "✗ "+msg[:40])
	d.press("p")
	d.wantScreen("1 answer has a problem", "“Please provide your security")
}

// An entry's field is checked when it is left, in the words pstab set and check use,
// and the record is kept as typed when the form is closed.
func TestEntryFieldsAreCheckedWhenLeft(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	setAnswer(t, s, appKey, "shares-eud", questionnaire.Bool(true))
	ps, _ := catalogues(t)
	q := ps.Question("sub-processors")
	d := wizardOn(t, s, 80, 24)
	d.goToSection("Third parties")
	d.focusQuestion("sub-processors")
	d.press("a")
	d.typeText("Acme")
	d.press("tab")
	d.typeText("http://acme.example")
	d.dontWantScreen("✗ The link") // not yet: the field is being typed
	d.press("tab")
	want := ""
	for _, p := range q.Check(questionnaire.Value{Entities: []questionnaire.Entity{{Fields: map[string]questionnaire.Value{
		"name": questionnaire.Text("Acme"), "link": questionnaire.Text("http://acme.example")}}}}) {
		if p.Field == "link" {
			want = p.Message
		}
	}
	d.wantScreen("✗ " + want[:40])
	d.press("esc")
	if v, _ := savedAnswer(t, s, appKey, "sub-processors"); len(v.Entities) != 1 || v.Entities[0].Fields["link"].Text != "http://acme.example" {
		t.Fatalf("the entry was not kept as typed: %+v", v)
	}
	if d.m.wizard.progress.Sections[q.Section.Index].State() == "done" {
		t.Error("the section is done with a wrong entry")
	}
}

// A number of days takes digits only, and says so when something else is typed.
func TestDaysTakeDigitsOnly(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	setAnswer(t, s, appKey, "retains-after-uninstall", questionnaire.Bool(true))
	d := wizardOn(t, s, 80, 24)
	d.goToSection("Data retention")
	d.focusQuestion("retention-period")
	d.press("down", "tab")
	d.typeText("3o")
	d.wantScreen("only digits are typed here")
	d.flushTyping()
	if v, _ := savedAnswer(t, s, appKey, "retention-period"); v.Days == nil || v.Days.Min == nil || *v.Days.Min != 3 {
		t.Fatalf("retention-period = %+v", v.Days)
	}
}

// ctrl+c ends on an empty frame, so that no part of pstab's last frame is left on the
// terminal; SIGTERM saves the answer being typed and exits 143.
func TestQuittingLeavesNothingAndSaves(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	d := wizardOn(t, s, 80, 24)
	d.focusQuestion("stored-data-types")
	d.typeText("Half typed")
	d.send(signalMsg{sig: syscall.SIGTERM})
	if !d.quit || d.m.View() != "" || d.m.exitCode != 143 {
		t.Fatalf("SIGTERM: quit %v, exit %d, view %q", d.quit, d.m.exitCode, d.m.View())
	}
	if err := d.m.saveAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := savedList(t, d, "stored-data-types"); got != "Half typed" {
		t.Fatalf("the item being typed is %q after SIGTERM", got)
	}
}

// A change another pstab makes is said while the partner reads, and ctrl+r loads it.
func TestAChangeElsewhereIsSaid(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	d := wizardOn(t, s, 100, 30)
	setAnswer(t, s, appKey, "security-contact", questionnaire.Text("sec@example.com")) // another process
	d.send(watchTickMsg{s: d.m.session})
	d.wantScreen("Another pstab changed this draft", "✗ changed elsewhere")
	d.press("ctrl+r")
	d.dontWantScreen("Another pstab changed this draft")
	if v, _ := d.m.wizard.answers.Get("security-contact"); v.Text != "sec@example.com" {
		t.Fatalf("ctrl+r did not load the change: %+v", v)
	}
	// Nothing changed since: the next look says nothing.
	d.send(watchTickMsg{s: d.m.session})
	d.dontWantScreen("changed elsewhere")
}

// Opening the self-assessment and moving about without answering writes nothing: home
// does not show it changed.
func TestOpeningWithoutAnsweringChangesNothing(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	d := newDriver(t, s, 100, 30)
	d.press("down", "enter")
	if d.m.screen != screenWizard || d.m.session.ref.Subject != store.PartnerKey {
		t.Fatalf("did not open the self-assessment:\n%s", d.screen())
	}
	d.press("tab", "tab", "pgdown", "esc", "q")
	sub, err := s.Subject(context.Background(), store.PartnerKey)
	if err != nil {
		t.Fatal(err)
	}
	if dr, err := s.Load(context.Background(), sub.Ref); err != nil || dr.Version != 0 || !dr.UpdatedAt.IsZero() {
		t.Fatalf("the self-assessment was written: version %d, updated %v, %v", dr.Version, dr.UpdatedAt, err)
	}
}

// Lines pasted into the sub-processors become entries: fields by tabs or by |.
func TestPastedLinesBecomeEntries(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	setAnswer(t, s, appKey, "stores-eud", questionnaire.Bool(true))
	setAnswer(t, s, appKey, "shares-eud", questionnaire.Bool(true))
	d := wizardOn(t, s, 80, 24)
	d.goToSection("Third parties")
	d.focusQuestion("sub-processors")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("AWS\thttps://aws.amazon.com\tHosting\tUnited States, Ireland\n\nPostmark | https://postmarkapp.com | Email\nJust a name\n")})
	ents := savedEntities(t, d)
	if len(ents) != 3 {
		t.Fatalf("pasted 3 lines, got %d entries: %+v", len(ents), ents)
	}
	if f := ents[0].Fields; f["name"].Text != "AWS" || f["purpose"].Text != "Hosting" || strings.Join(f["thirdPartyCountries"].List, "|") != "United States|Ireland" {
		t.Errorf("the tab-separated line: %+v", f)
	}
	if f := ents[1].Fields; f["name"].Text != "Postmark" || f["link"].Text != "https://postmarkapp.com" || f["purpose"].Text != "Email" {
		t.Errorf("the |-separated line: %+v", f)
	}
	d.wantScreen("Added 3 entries", "✗ 3. Just a name")
}

// The notice of a rejected form names the key that opens its review ticket where the
// wizard opens: alt+r when that is a text field, where r is text.
func TestARejectionNamesTheKeyThatWorks(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	ref := psRef(t, appKey)
	a := questionnaire.NewAnswers()
	a.Set("stores-eud", questionnaire.Bool(false))
	a.Extra = map[string]any{"properties": map[string]any{"formStatus": "REJECTED"}}
	if _, _, err := s.Replace(context.Background(), ref, a, store.EventPull, "pulled", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(context.Background(), ref, store.StatusDraft, "REJECTED"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResume(context.Background(), ref, "security", "security-policy"); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, s, 80, 24)
	d.openApp()
	if d.focused() != "security-policy" || !d.m.wizard.Typing() {
		t.Fatalf("the wizard opened on %s (typing %v), want the security policy's field", d.focused(), d.m.wizard.Typing())
	}
	d.wantScreen("formStatus REJECTED", "Press alt+r for the review ticket")
	if strings.Contains(d.screen(), "Press r for") {
		t.Errorf("the notice names r in a text field:\n%s", d.screen())
	}
	d.press("alt+r")
	if d.m.screen != screenChecklist {
		t.Fatalf("alt+r did not open the checklist:\n%s", d.screen())
	}
}

// At 80 columns the footer of every question names esc, the way to the section list, and
// the key for every key; a widget's further keys give way before them. A list being
// added to is the exception: esc stops adding there.
func TestTheFooterKeepsTheWayToTheSections(t *testing.T) {
	d := newDriver(t, bigDraft(t), 80, 24)
	d.openApp()
	checked := 0
	for _, s := range d.m.wizard.cat.Sections {
		if !d.m.wizard.vis.SectionShown(s) {
			continue
		}
		d.goToSection(s.Title)
		for i := range d.m.wizard.blocks {
			lines := strings.Split(d.screen(), "\n")
			footer := lines[len(lines)-1]
			if !addingItem(d.m.wizard.currentWidget()) {
				if !strings.Contains(footer, "esc sections") || !strings.Contains(footer, " keys") {
					t.Errorf("%s: the footer lacks esc sections or the key for every key: %q", d.focused(), footer)
				}
				checked++
			}
			if i < len(d.m.wizard.blocks)-1 {
				d.press("tab")
			}
		}
	}
	if checked < 20 {
		t.Fatalf("checked %d questions only", checked)
	}
}
