package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pstab/pstab/marketplace"
	"github.com/pstab/pstab/marketplace/fakemarket"
	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// submitDriver is a wizard on a draft ready to send, with a Marketplace (the fake) to
// send it to.
func submitDriver(t *testing.T, fake *fakemarket.Server) *driver {
	t.Helper()
	fake.AddAccount(fakemarket.Account{Email: "partner@example.com", Token: "tok-ui"})
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	fake.AddApp(fakemarket.App{Key: appKey})
	for id, v := range map[string]questionnaire.Value{
		"stores-eud": questionnaire.Bool(false), "processes-eud": questionnaire.Bool(false),
		"security-contact": questionnaire.Text("security@example.com"),
		"security-policy":  questionnaire.Text("https://example.com/security"),
	} {
		setAnswer(t, s, appKey, id, v)
	}
	cfg := testConfig(t, s)
	cfg.Marketplace = &Marketplace{
		LoadCredentials: func() (marketplace.Credentials, error) {
			return marketplace.Credentials{Email: "partner@example.com", Token: marketplace.NewToken("tok-ui")}, nil
		},
		NewClient: func(c marketplace.Credentials) (*marketplace.Client, error) {
			return marketplace.New(marketplace.Config{Credentials: c, V2URL: fake.URL(), V3URL: fake.V3URL()})
		},
		VendorID: fakemarket.DefaultVendor,
	}
	d := &driver{tb: t, s: s, m: New(context.Background(), cfg)}
	d.run(d.m.Init())
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return d
}

// A refused send lists every error at its question, and enter goes to the question.
func TestSubmitListsEveryRefusalAndJumpsToIt(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	d := submitDriver(t, fake)
	d.openApp()
	d.press("r")
	d.wantScreen("Review before submitting")
	d.press("s")
	if d.m.screen != screenSubmit {
		t.Fatalf("s did not open the submit screen:\n%s", d.screen())
	}
	d.wantScreen("Send these answers")
	fake.Inject(fakemarket.Respond(400, `{"errors":[
		{"code":"INVALID_EMAIL_FORMAT","path":"/security/securityContact","message":"Invalid email format for securityContact"},
		{"code":"INVALID_URL_FORMAT","path":"/security/publicSecurityPoliciesLink","message":"Invalid URL format for publicSecurityPoliciesLink"},
		{"code":"FIELD_REQUIRED","path":"/dataResidency/isDataResidencySupported","message":"Field is required"}]}`))
	d.press("y")
	d.wantScreen("refused the draft of "+appKey+" with 3 errors",
		"security-contact · Which email address", "Invalid email format for securityContact [INVALID_EMAIL_FORMAT]",
		"security-policy · Please provide your security policy", "data-residency · Does your app support data")
	d.press("down", "down", "enter")
	if d.m.screen != screenWizard || d.focused() != "data-residency" {
		t.Fatalf("enter on the third error: screen %d, focused %q\n%s", d.m.screen, d.focused(), d.screen())
	}
	if _, ok := fake.Draft(appKey); ok {
		t.Error("a refused draft was stored")
	}
}

// After the review refused the live answers, the wizard and the checklist say so, with
// the ticket and what to do; a send then lands against a server that normalises values.
func TestWizardSaysWhatARejectionMeans(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	d := submitDriver(t, fake)
	ref := store.DraftRef{Subject: appKey, Questionnaire: "privacy-security"}
	a := questionnaire.NewAnswers()
	a.Set("stores-eud", questionnaire.Bool(false))
	a.Extra = map[string]any{"properties": map[string]any{"formStatus": "REJECTED", "updatedBy": "reviewer@example.com",
		"jiraLinks": []any{"https://ecosystem.atlassian.net/browse/AMKTHELP-77"}}}
	if _, _, err := d.s.Replace(context.Background(), ref, a, store.EventPull, "pulled", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if err := d.s.SetStatus(context.Background(), ref, store.StatusDraft, "REJECTED"); err != nil {
		t.Fatal(err)
	}
	d.openApp()
	d.wantScreen("formStatus REJECTED", "refused these", "Press r for the review ticket")
	d.press("r")
	d.wantScreen("On the Marketplace: formStatus REJECTED", "AMKTHELP-77", "pstab push "+appKey+" --api v3")
}

// A justification the Marketplace sent as a document object says what editing it sends.
func TestRichTextJustificationSaysWhatAnEditSends(t *testing.T) {
	s := openStore(t, "")
	createApp(t, s, appKey, "Example")
	ps, _ := catalogues(t)
	a, _, err := ps.DecodePayload([]byte(`{"security":{"permissionsJustification":{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"read:jira-work to show issues."}]}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Replace(context.Background(), psRef(t, appKey), a, store.EventPull, "pulled", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResume(context.Background(), psRef(t, appKey), "security", "permissions-justification"); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, s, 80, 24)
	d.openApp()
	d.focusQuestion("permissions-justification")
	d.wantScreen("read:jira-work to show issues.", "came from the Marketplace as formatted", "plain text in its place")
}

// TestSubmitSpinnerSaysWhatItRetries checks that while the Marketplace answers 503, the
// spinner says so and counts the tries left, and that the note goes once the answer comes.
func TestSubmitSpinnerSaysWhatItRetries(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	const email, token, key = "partner@example.com", "ATATT-submit-spinner-token", "com.example.app"
	fake.AddAccount(fakemarket.Account{Email: email, Token: token})
	fake.AddApp(fakemarket.App{Key: key})
	fake.Inject(fakemarket.Unavailable(503, 1))

	s := openStore(t, "")
	createApp(t, s, key, "Example")
	release := make(chan struct{})
	cfg := testConfig(t, s)
	cfg.Marketplace = &Marketplace{
		LoadCredentials: func() (marketplace.Credentials, error) {
			return marketplace.Credentials{Email: email, Token: marketplace.NewToken(token)}, nil
		},
		NewClient: func(c marketplace.Credentials) (*marketplace.Client, error) {
			return marketplace.New(marketplace.Config{Credentials: c, V2URL: fake.URL(), V3URL: fake.V3URL(),
				Sleep: func(ctx context.Context, _ time.Duration) error {
					select {
					case <-release:
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				}})
		},
	}
	m := New(context.Background(), cfg)
	ps, _ := catalogues(t)
	ses := &session{ui: m.ui, cat: ps, ref: psRef(t, key), title: "Example", answers: questionnaire.NewAnswers()}
	ses.answers.Set("logs-eud", questionnaire.Bool(false))
	sc, cmd := newSubmitScreen(m.ui, ses, 80, 20)

	// The credentials come first; then prepare starts the call and the reader of its notices.
	creds := batchCmds(cmd)[1]()
	cmd, _ = sc.Update(creds)
	cmds := batchCmds(cmd)
	if len(cmds) != 3 {
		t.Fatalf("prepare returned %d commands, want the spinner, the call and the notices", len(cmds))
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmds[1]() }()
	note := cmds[2]()
	if _, ok := note.(retryMsg); !ok {
		t.Fatalf("the notices gave %T, want a retryMsg", note)
	}
	next, _ := sc.Update(note)
	view := sc.View()
	for _, want := range []string{"Checking the draft", "The Marketplace answered 503 Service Unavailable; trying again in 1s (4 tries left).", "esc stops waiting"} {
		if !strings.Contains(strings.Join(strings.Fields(view), " "), want) {
			t.Errorf("the spinner does not say %q:\n%s", want, view)
		}
	}
	close(release)
	if msg := next(); msg != nil {
		t.Errorf("after the call, the notices gave %T, want nothing", msg)
	}
	sc.Update(<-done)
	if sc.state != submitConfirm || strings.Contains(sc.View(), "trying again") {
		t.Errorf("after the answer came: state %d, view:\n%s", sc.state, sc.View())
	}
}

// batchCmds returns the commands of a tea.Batch.
func batchCmds(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	if b, ok := cmd().(tea.BatchMsg); ok {
		return b
	}
	return []tea.Cmd{cmd}
}

// A live version that holds the partner's token (a server that echoes credentials) is
// cleaned by the client, and the submit screen says so, as pstab push does with a note;
// before, the wizard's submission dropped every notice the flow gave.
func TestSubmitSaysWhenTheMarketplaceEchoedTheToken(t *testing.T) {
	fake := fakemarket.New()
	defer fake.Close()
	d := submitDriver(t, fake)
	fake.AddApp(fakemarket.App{Key: appKey, Live: map[string]any{
		"security":   map[string]any{"securityContact": "security@example.com"},
		"properties": map[string]any{"formStatus": "SAVED", "updatedBy": "tok-ui"},
	}})
	d.openApp()
	d.press("r")
	d.press("s")
	d.wantScreen("Send these answers", "held your API token", "properties.updatedBy")
	if strings.Contains(d.screen(), "tok-ui") {
		t.Errorf("the submit screen shows the token:\n%s", d.screen())
	}
}
