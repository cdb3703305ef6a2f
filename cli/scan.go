package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/scan"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/termsafe"
)

// The scan command: read the app's Forge manifest or Connect descriptor, propose the
// answers it proves, and (with --into) apply them to a draft as one save point.

func (a *App) scanCmd() *cobra.Command {
	var into string
	var asJSON, overwrite, yes bool
	cmd := &cobra.Command{
		Use:   "scan [DIR] [--into KEY]",
		Short: "Propose answers from the app's Forge manifest or Connect descriptor",
		Long: `Read the app in DIR (default: the current folder): a Forge manifest.yml or a Connect
atlassian-connect.json, or both for a Connect app adopting Forge. pstab proposes the
answers the manifest proves, each with the question it answers and the manifest lines it
rests on: the scopes for the permissions justification, every outside host as a
sub-processor candidate, remote back ends and Forge storage for storing and processing
outside Atlassian and for data residency. It also says what a manifest cannot tell
(logging, retention, GDPR roles) instead of guessing.

With --into KEY the proposals go into the app's draft as one save point: only questions
not answered yet, unless --overwrite. On a terminal pstab asks about each; without one,
add --yes. The manifest's facts are kept with the draft, and pstab check then reports
answers that contradict them, until the next scan.`,
		Example: `  pstab scan
  pstab scan ./my-forge-app --json
  pstab scan ./my-forge-app --into com.example.app
  pstab scan . --into com.example.app --yes --overwrite`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErr("scan takes at most one DIR; see pstab scan --help")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if into == "" && (overwrite || yes) {
				return usageErr("--overwrite and --yes apply proposals, so they need --into KEY")
			}
			facts, err := a.readManifest(dir)
			if err != nil {
				return err
			}
			if into == "" {
				cat, err := a.catalogue()
				if err != nil {
					return err
				}
				report := scan.Propose(cat, facts)
				if asJSON {
					return writeJSON(a.Out, scanJSON(cat, report))
				}
				_, err = io.WriteString(a.Out, termsafe.Filter(renderScan(cat, report, a.outWidth())))
				return err
			}
			return a.scanInto(cmd, dir, into, facts, asJSON, overwrite, yes)
		},
	}
	cmd.Flags().StringVar(&into, "into", "", "apply the proposals to this app's draft, as one save point")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "with --into: also replace answers already given")
	cmd.Flags().BoolVar(&yes, "yes", false, "with --into: apply every proposal without asking")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
	_ = cmd.RegisterFlagCompletionFunc("into", a.completeKeys(0))
	return cmd
}

// readManifest scans dir, turning what cannot be read into one sentence with exit 2.
func (a *App) readManifest(dir string) (scan.Facts, error) {
	facts, err := scan.Read(dir)
	var se *scan.Error
	switch {
	case err == nil:
		return facts, nil
	case errors.As(err, &se):
		if st, serr := statDir(dir); serr == nil && st {
			se.File = filepath.Join(dir, se.File)
		} else if dir != "" {
			se.File = dir
		}
		return scan.Facts{}, usageErr("%s", questionnaire.EndSentence(strings.TrimSuffix(se.Error(), ".")))
	case errors.Is(err, scan.ErrNoManifest):
		return scan.Facts{}, usageErr("there is no %s or %s in %s; give the folder of your Forge or Connect app", scan.ForgeFile, scan.ConnectFile, dir)
	case errors.Is(err, fs.ErrNotExist):
		return scan.Facts{}, usageErr("there is no folder %s; give the folder of your Forge or Connect app", dir)
	case errors.Is(err, fs.ErrPermission):
		return scan.Facts{}, usageErr("cannot read %s: permission denied", dir)
	}
	return scan.Facts{}, usageErr("cannot read %s: %v", dir, unwrapPathError(err))
}

// scanInto applies the proposals to an app's draft.
func (a *App) scanInto(cmd *cobra.Command, dir, key string, facts scan.Facts, asJSON, overwrite, yes bool) error {
	if key == store.PartnerKey {
		return usageErr("a scan answers an app's Privacy & Security tab; %s is your Security Self-Assessment", key)
	}
	if !yes && !a.InIsTerminal {
		return usageErr("there is no terminal to ask about each proposal on; add --yes to apply them all without asking (nothing was applied)")
	}
	return a.withSubject(cmd, key, func(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, _ store.App) error {
		d, err := s.Load(ctx, ref)
		if err != nil {
			return storeErr(err)
		}
		report := scan.Propose(cat, facts)
		candidates, left := scan.Candidates(cat, d.Answers, report.Proposals, overwrite)
		chosen := candidates
		if !yes {
			if chosen, err = a.askProposals(cat, candidates); err != nil {
				return err
			}
			for _, p := range candidates {
				if !containsProposal(chosen, p) {
					left = append(left, scan.Left{Proposal: p, Why: "you said no"})
				}
			}
		}
		after, final, hidden := scan.Resolve(cat, d.Answers, chosen)
		left = append(left, hidden...)
		raw, err := facts.Encode()
		if err != nil {
			return err
		}
		var answers []store.ScannedAnswer
		for _, p := range final {
			answers = append(answers, store.ScannedAnswer{Question: p.Question, Value: p.Value, Source: evidenceSource(p.Evidence)})
		}
		msg := fmt.Sprintf("scan of %s: %s", facts.Files(), questionnaire.Plural(len(answers), "answer"))
		if d.Dirty && len(answers) > 0 {
			msg += ", with the changes not yet in a save point"
		}
		rec := store.ScanRecord{At: time.Now(), Source: facts.Files() + " in " + absDir(dir), Facts: raw}
		rev, _, err := s.ApplyScan(ctx, ref, rec, answers, msg, d.Version)
		if err != nil {
			return storeErr(err)
		}
		findings := scan.Findings(cat, after, facts)
		if asJSON {
			return writeJSON(a.Out, intoJSON(cat, key, rev.Number, final, left, report.Unknown, findings))
		}
		_, err = io.WriteString(a.Err, termsafe.Filter(renderInto(cat, key, rev.Number, final, left, report.Unknown, findings, a.outWidth())))
		return err
	})
}

func containsProposal(list []scan.Proposal, p scan.Proposal) bool {
	for _, x := range list {
		if x.Question == p.Question {
			return true
		}
	}
	return false
}

// askProposals shows each proposal on the terminal and asks whether to apply it: y
// applies it, n skips it, a applies it and the rest, q skips the rest. The end of input
// cancels the whole scan, with nothing applied.
func (a *App) askProposals(cat *questionnaire.Catalogue, props []scan.Proposal) ([]scan.Proposal, error) {
	if len(props) == 0 {
		return nil, nil
	}
	in := bufio.NewReader(a.In)
	fmt.Fprintf(a.Err, "%s to apply. For each: y apply · n skip · a apply this and the rest · q skip the rest.\n\n",
		questionnaire.Plural(len(props), "proposal"))
	var out []scan.Proposal
	for i, p := range props {
		var b strings.Builder
		writeProposal(&b, cat, p, a.outWidth())
		fmt.Fprint(a.Err, termsafe.Filter(b.String()))
		for {
			fmt.Fprintf(a.Err, "Apply %s? [y/n/a/q] ", p.Question)
			line, err := in.ReadString('\n')
			if err != nil && line == "" {
				fmt.Fprintln(a.Err)
				return nil, errCancelled
			}
			switch strings.ToLower(strings.TrimSpace(line)) {
			case "y", "yes":
				out = append(out, p)
			case "n", "no", "":
			case "a", "all":
				return append(out, props[i:]...), nil
			case "q", "quit":
				return out, nil
			default:
				fmt.Fprintln(a.Err, "Answer y, n, a or q.")
				continue
			}
			break
		}
		fmt.Fprintln(a.Err)
	}
	return out, nil
}

// evidenceSource says where an answer came from in a few words: "manifest.yml line 14",
// "manifest.yml lines 14, 18 and 22".
func evidenceSource(ev []scan.Evidence) string {
	if len(ev) == 0 {
		return "the manifest"
	}
	byFile := map[string][]string{}
	var files []string
	for _, e := range ev {
		if _, ok := byFile[e.File]; !ok {
			files = append(files, e.File)
		}
		if line := fmt.Sprint(e.Line); e.Line > 0 && !slices.Contains(byFile[e.File], line) {
			byFile[e.File] = append(byFile[e.File], line)
		}
	}
	var parts []string
	for _, f := range files {
		lines := byFile[f]
		switch {
		case len(lines) == 0:
			parts = append(parts, f)
		case len(lines) == 1:
			parts = append(parts, f+" line "+lines[0])
		case len(lines) > 4:
			parts = append(parts, fmt.Sprintf("%s lines %s and %d more", f, strings.Join(lines[:3], ", "), len(lines)-3))
		default:
			parts = append(parts, f+" lines "+strings.Join(lines[:len(lines)-1], ", ")+" and "+lines[len(lines)-1])
		}
	}
	return strings.Join(parts, "; ")
}

func statDir(dir string) (bool, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return false, err
	}
	return st.IsDir(), nil
}

func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		if st, err := os.Stat(abs); err == nil && !st.IsDir() {
			return filepath.Dir(abs)
		}
		return abs
	}
	return dir
}

// scanJSON is the --json form of a report.
func scanJSON(cat *questionnaire.Catalogue, r scan.Report) any {
	type proposalJSON struct {
		Question string          `json:"question"`
		Prompt   string          `json:"prompt"`
		Value    json.RawMessage `json:"value"`
		Display  string          `json:"display"`
		Reason   string          `json:"reason"`
		Note     string          `json:"note,omitempty"`
		Problem  string          `json:"problem,omitempty"`
		Evidence []scan.Evidence `json:"evidence"`
	}
	type unknownJSON struct {
		Questions []string        `json:"questions"`
		Reason    string          `json:"reason"`
		Evidence  []scan.Evidence `json:"evidence,omitempty"`
	}
	out := struct {
		Facts     scan.Facts     `json:"facts"`
		Proposals []proposalJSON `json:"proposals"`
		Unknown   []unknownJSON  `json:"cannotTell"`
	}{Facts: r.Facts, Proposals: []proposalJSON{}, Unknown: []unknownJSON{}}
	for _, p := range r.Proposals {
		q := cat.Question(p.Question)
		v, err := questionnaire.MarshalValue(q, p.Value)
		if err != nil {
			v = json.RawMessage("null")
		}
		out.Proposals = append(out.Proposals, proposalJSON{p.Question, q.Prompt, v, displayValue(q, p.Value), p.Reason, p.Note, p.Problem, p.Evidence})
	}
	for _, u := range r.Unknown {
		out.Unknown = append(out.Unknown, unknownJSON{u.Questions, u.Reason, u.Evidence})
	}
	return out
}

// findingJSON is one contradiction between the answers and the manifest, in --json output.
type findingJSON struct {
	Path     string `json:"path"`
	Question string `json:"question"`
	Check    string `json:"check"`
	Message  string `json:"message"`
}

// intoJSON is the --json form of what --into did.
func intoJSON(cat *questionnaire.Catalogue, key string, savePoint int, applied []scan.Proposal, left []scan.Left, unknown []scan.Unknown, findings []questionnaire.Problem) any {
	type appliedJSON struct {
		Question string          `json:"question"`
		Value    json.RawMessage `json:"value"`
		Display  string          `json:"display"`
		Source   string          `json:"source"`
	}
	type leftJSON struct {
		Question string `json:"question"`
		Why      string `json:"why"`
	}
	out := struct {
		App        string        `json:"app"`
		SavePoint  int           `json:"savePoint,omitempty"`
		Applied    []appliedJSON `json:"applied"`
		Left       []leftJSON    `json:"left"`
		CannotTell []string      `json:"cannotTell"`
		Findings   []findingJSON `json:"findings"`
	}{App: key, SavePoint: savePoint, Applied: []appliedJSON{}, Left: []leftJSON{}, CannotTell: []string{}, Findings: []findingJSON{}}
	for _, p := range applied {
		q := cat.Question(p.Question)
		v, _ := questionnaire.MarshalValue(q, p.Value)
		out.Applied = append(out.Applied, appliedJSON{p.Question, v, displayValue(q, p.Value), evidenceSource(p.Evidence)})
	}
	for _, l := range left {
		out.Left = append(out.Left, leftJSON{l.Proposal.Question, l.Why})
	}
	for _, u := range unknown {
		out.CannotTell = append(out.CannotTell, u.Questions...)
	}
	for _, f := range findings {
		out.Findings = append(out.Findings, findingJSON{Path: f.Path, Question: f.Question.ID, Message: f.Message, Check: f.Check})
	}
	return out
}

// manifestFindings compares a draft's answers with the facts its latest scan kept: the
// findings, and a line saying which scan they come from (and whether the manifest has
// changed since, so that the partner scans again).
func (a *App) manifestFindings(ctx context.Context, s *store.Store, ref store.DraftRef, cat *questionnaire.Catalogue, answers questionnaire.Answers) ([]questionnaire.Problem, string, error) {
	if cat.Level == "partner" {
		return nil, "", nil
	}
	rec, ok, err := s.Scan(ctx, ref)
	if err != nil || !ok {
		return nil, "", storeErr(err)
	}
	facts, err := scan.DecodeFacts(rec.Facts)
	if err != nil {
		return nil, fmt.Sprintf("The manifest scan kept with this draft cannot be read (%v).\n", err), nil
	}
	findings := scan.Findings(cat, answers, facts)
	note := fmt.Sprintf("Compared with the scan of %s on %s", rec.Source, rec.At.Local().Format("2006-01-02 15:04"))
	if changed := facts.Changed(); len(changed) > 0 {
		note += fmt.Sprintf("; %s changed since, so run pstab scan again", joinWords(changed))
	}
	return findings, note + ".\n", nil
}
