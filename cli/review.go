package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
)

// The review commands: a reviewer comments on a bundle FILE, approves it or asks for
// changes, with no database; a partner replies and resolves on the app's draft (KEY).
// Every change to a FILE is written back atomically, or to -o OUT.

func (a *App) reviewCommands() []*cobra.Command {
	return []*cobra.Command{a.commentCmd(false), a.commentCmd(true), a.commentsCmd(),
		a.decideCmd(questionnaire.Approved), a.decideCmd(questionnaire.ChangesRequested)}
}

// looksLikeFile decides whether a FILE|KEY argument names a file: "-", anything with a
// path separator or a .json ending, or a file that exists. App keys have none of these
// (letters, digits, dots, dashes and underscores), so nothing is ever opened to decide.
func looksLikeFile(arg string) bool {
	if arg == "-" || strings.ContainsAny(arg, `/\`) || strings.HasSuffix(strings.ToLower(arg), ".json") {
		return true
	}
	if arg == store.PartnerKey {
		return false
	}
	info, err := os.Stat(arg)
	return err == nil && info.Mode().IsRegular()
}

// bundleFile is a review bundle as read from a file, with the bytes it came from so that
// writing it back keeps everything else in it.
type bundleFile struct {
	path   string
	name   string // for messages: the path, or "standard input"
	data   []byte
	cat    *questionnaire.Catalogue
	bundle questionnaire.Bundle
}

// readBundle reads a review bundle, picking the catalogue it answers. A payload is refused
// with what to do instead, since a payload has no place for a conversation.
func (a *App) readBundle(path string) (*bundleFile, error) {
	data, err := a.readInput(path)
	if err != nil {
		return nil, err
	}
	f := &bundleFile{path: path, name: path, data: data}
	if path == "-" {
		f.name = "standard input"
	}
	cats, err := a.catalogues()
	if err != nil {
		return nil, err
	}
	if !questionnaire.IsBundle(data) {
		return nil, usageErr("%s is a payload, not a review bundle, so it has no room for comments; make a bundle with pstab export --file %s --format bundle -o for-review.json",
			f.name, path)
	}
	f.cat = cats.PrivacySecurity
	if bundleQuestionnaire(data) == cats.SelfAssessment.ID {
		f.cat = cats.SelfAssessment
	}
	b, notes, err := f.cat.DecodeBundle(data)
	if err != nil {
		return nil, decodeErr(f.name, err)
	}
	for _, n := range notes {
		fmt.Fprintln(a.Err, "pstab: note: "+n)
	}
	f.bundle = b
	return f, nil
}

// writeBack writes the bundle with its new review to out, or over the file it came from;
// a bundle read from standard input goes to standard output. It returns where it wrote.
func (a *App) writeBack(f *bundleFile, out string) (string, error) {
	data, err := f.cat.WithReview(f.data, f.bundle.Review)
	if err != nil {
		return "", decodeErr(f.name, err)
	}
	dest := out
	if dest == "" {
		dest = f.path
	}
	if dest == "-" {
		_, err := a.Out.Write(data)
		return "standard output", err
	}
	return dest, writeFileAtomic(dest, data)
}

// openExisting opens the drafts file for a command about KEY, refusing without creating
// anything when there is no drafts file at all.
func (a *App) openExisting(ctx context.Context, key string) (*store.Store, error) {
	path, err := a.dbPath()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, problemsErr("there is no drafts database at %s, so no app %s; if %s is a file, give its path (./%s)", path, key, key, key)
	}
	return a.openStore(ctx)
}

// author returns the name to sign comments and decisions with: --author, else
// PSTAB_AUTHOR, else the user's full name or login.
func (a *App) author(flag string) (string, error) {
	name := strings.TrimSpace(flag)
	if name == "" {
		name = strings.TrimSpace(a.env("PSTAB_AUTHOR"))
	}
	if name == "" {
		if u, err := user.Current(); err == nil {
			name, _, _ = strings.Cut(u.Name, ",")
			if name = strings.TrimSpace(name); name == "" {
				name = u.Username
			}
		}
	}
	if p := questionnaire.AuthorProblem(name); p != "" {
		return "", usageErr("%s", p)
	}
	return name, nil
}

// remarkErr maps a refused remark to an exit code: what was typed is bad usage (2), a
// remark that does not fit the conversation a failure (1).
func remarkErr(err error) error {
	var re *questionnaire.RemarkError
	if errors.As(err, &re) {
		if re.Input {
			return usageErr("%s", re.Msg)
		}
		return problemsErr("%s", re.Msg)
	}
	return storeErr(err)
}

func (a *App) commentCmd(reply bool) *cobra.Command {
	var general, resolve, reopen bool
	var authorFlag, out string
	use, short := "comment FILE|KEY QUESTION-ID [TEXT]", "Comment on a question of a bundle or draft (--resolve, --general)"
	long := `Add a comment to the thread on one question, or with --general to the thread on the whole
draft. On a bundle FILE (what a reviewer was sent) the file is written back atomically, or
to -o OUT, and no database is used; on an app KEY the comment is kept with the draft and
is an event in pstab history.

A comment on a question that already has comments is a reply. --resolve marks the thread
resolved (TEXT is then optional: say what was done); --reopen opens it again; a plain
comment on a resolved thread reopens it too. TEXT - reads the comment from standard input.
Comments are signed with --author, else PSTAB_AUTHOR, else your user name.`
	example := `  pstab comment for-review.json security-policy "This link is the terms, not the policy."
  pstab comment for-review.json --general "Looks good apart from the two points below."
  pstab comment com.example.app security-policy "Fixed: now the policy page." --resolve`
	if reply {
		use, short = "reply FILE|KEY QUESTION-ID TEXT", "Reply on a question's comments (like comment, but only where there are some)"
		long = `Reply on the thread of one question (or with --general the thread on the whole draft):
the same as pstab comment, but refused when nobody has commented there yet, so a reply
never starts a new conversation by mistake. --resolve resolves the thread with the reply.`
		example = `  pstab reply com.example.app logs-eud "We log request IDs only." --resolve`
	}
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Long:    long,
		Example: example,
		Args: func(cmd *cobra.Command, args []string) error {
			lo, hi := 2, 3
			if general {
				lo, hi = 1, 2
			}
			if len(args) < lo || len(args) > hi {
				if general {
					return usageErr("%s --general takes FILE|KEY [TEXT]; see pstab %s --help", cmd.Name(), cmd.Name())
				}
				return usageErr("%s takes FILE|KEY QUESTION-ID [TEXT]; see pstab %s --help", cmd.Name(), cmd.Name())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if resolve && reopen {
				return usageErr("give --resolve or --reopen, not both")
			}
			m := questionnaire.Remark{At: time.Now()}
			rest := args[1:]
			if !general {
				m.Question, rest = args[1], args[2:]
			}
			if len(rest) > 0 {
				m.Text = rest[0]
			}
			switch {
			case resolve:
				m.Action = questionnaire.ActionResolve
			case reopen:
				m.Action = questionnaire.ActionReopen
			}
			if m.Text == "-" {
				if args[0] == "-" {
					return usageErr("the bundle and the comment cannot both come from standard input")
				}
				b, err := io.ReadAll(io.LimitReader(a.In, 4*questionnaire.MaxCommentLength+1))
				if err != nil {
					return usageErr("cannot read the comment from standard input: %v", err)
				}
				m.Text = string(b)
			}
			var err error
			if m.Author, err = a.author(authorFlag); err != nil {
				return err
			}
			if looksLikeFile(args[0]) {
				return a.commentFile(args[0], out, m, reply)
			}
			if out != "" {
				return usageErr("-o is for a bundle FILE; %s is an app key, whose comments are kept in the drafts database", args[0])
			}
			return a.commentDraft(cmd.Context(), args[0], m, reply)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&general, "general", false, "comment on the whole draft, not on one question")
	f.BoolVar(&resolve, "resolve", false, "resolve the thread (TEXT optional)")
	f.BoolVar(&reopen, "reopen", false, "open a resolved thread again (TEXT optional)")
	f.StringVar(&authorFlag, "author", "", "the name to sign with (default PSTAB_AUTHOR, else your user name)")
	f.StringVarP(&out, "output", "o", "", "for a FILE: write the commented bundle here instead of over FILE")
	return cmd
}

func (a *App) commentFile(path, out string, m questionnaire.Remark, reply bool) error {
	f, err := a.readBundle(path)
	if err != nil {
		return err
	}
	if err := refuseNewThread(f.cat, f.bundle.Review, m, reply); err != nil {
		return err
	}
	_, existed := f.bundle.Review.Thread(m.Question)
	cm, err := f.cat.Say(&f.bundle.Review, f.bundle.Answers, m)
	if err != nil {
		return remarkErr(err)
	}
	dest, err := a.writeBack(f, out)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.Err, remarkDone(f.cat, f.bundle.Review, cm, existed, "in "+dest))
	return nil
}

func (a *App) commentDraft(ctx context.Context, key string, m questionnaire.Remark, reply bool) error {
	s, err := a.openExisting(ctx, key)
	if err != nil {
		return err
	}
	defer s.Close()
	sub, err := a.subject(ctx, s, key)
	if err != nil {
		return err
	}
	r, err := s.Review(ctx, sub.Ref)
	if err != nil {
		return storeErr(err)
	}
	if err := refuseNewThread(sub.Catalogue, r, m, reply); err != nil {
		return err
	}
	_, existed := r.Thread(m.Question)
	cm, err := s.Say(ctx, sub.Ref, m)
	if err != nil {
		return remarkErr(err)
	}
	if r, err = s.Review(ctx, sub.Ref); err != nil {
		return storeErr(err)
	}
	fmt.Fprintln(a.Err, remarkDone(sub.Catalogue, r, cm, existed, "in the draft of "+key))
	return nil
}

// refuseNewThread keeps pstab reply from starting a conversation.
func refuseNewThread(c *questionnaire.Catalogue, r questionnaire.Review, m questionnaire.Remark, reply bool) error {
	if _, ok := r.Thread(m.Question); reply && !ok {
		return problemsErr("nobody has commented on %s yet, so there is nothing to reply to; start a thread with pstab comment",
			questionnaire.ThreadName(c, m.Question))
	}
	return nil
}

// remarkDone says what a remark did, and how many threads are open now.
func remarkDone(c *questionnaire.Catalogue, r questionnaire.Review, cm questionnaire.Comment, existed bool, where string) string {
	what := "Commented on"
	switch {
	case cm.Action == questionnaire.ActionResolve:
		what = "Resolved the comments on"
	case cm.Action == questionnaire.ActionReopen:
		what = "Reopened the comments on"
	case existed:
		what = "Replied on"
	}
	open := r.OpenThreads()
	return fmt.Sprintf("%s %s %s; %s open.", what, questionnaire.ThreadName(c, cm.Question), where, openPhrase(open, "thread"))
}

func (a *App) decideCmd(kind questionnaire.DecisionKind) *cobra.Command {
	var authorFlag, message, out string
	use, short := "approve FILE [-m TEXT]", "Approve the answers of a review bundle"
	long := `Approve the answers of a review bundle, as they are now: the approval records a
fingerprint of the answers, so that if any answer changes afterwards the partner (and pstab
push --require-approval) sees the approval as stale. The file is written back atomically,
or to -o OUT; no database is used. Threads still open stay open.`
	example := "  pstab approve for-review.json -m \"Reviewed with legal.\""
	if kind == questionnaire.ChangesRequested {
		use, short = "request-changes FILE -m TEXT", "Ask for changes to the answers of a review bundle"
		long = `Ask the partner for changes, saying what with -m (comment on the questions concerned
with pstab comment). The file is written back atomically, or to -o OUT; no database is
used. pstab push warns while changes are requested.`
		example = "  pstab request-changes for-review.json -m \"Two answers need fixing, see the comments.\""
	}
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Long:    long,
		Example: example,
		Args:    exactArgs(1, strings.Fields(use)[0]+" takes one bundle FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !looksLikeFile(args[0]) {
				return usageErr("%s works on a bundle FILE a partner sent you, and %s is not a file; a partner has a draft reviewed by sending pstab export %s --format bundle -o for-review.json",
					cmd.Name(), args[0], args[0])
			}
			if kind == questionnaire.ChangesRequested && strings.TrimSpace(message) == "" {
				return usageErr("request-changes needs a message: say what should change with -m TEXT")
			}
			reviewer, err := a.author(authorFlag)
			if err != nil {
				return err
			}
			f, err := a.readBundle(args[0])
			if err != nil {
				return err
			}
			d, err := f.cat.Decide(&f.bundle.Review, f.bundle.Answers, kind, reviewer, message, time.Now())
			if err != nil {
				return remarkErr(err)
			}
			dest, err := a.writeBack(f, out)
			if err != nil {
				return err
			}
			if kind == questionnaire.Approved {
				if open := f.bundle.Review.OpenThreads(); open > 0 {
					fmt.Fprintf(a.Err, "pstab: note: %s still open: approving does not resolve threads.\n", openPhrase(open, "thread"))
				}
				if n := countBlocking(f.cat.Validate(f.bundle.Answers)); n > 0 {
					fmt.Fprintf(a.Err, "pstab: note: the answers have %s, which pstab push refuses until they are fixed.\n",
						questionnaire.Plural(n, "blocking problem"))
				}
				fmt.Fprintf(a.Err, "Approved the answers in %s as %s (answers %s).\n", dest, d.Reviewer, shortFingerprint(d.Answers))
				return nil
			}
			fmt.Fprintf(a.Err, "Asked for changes in %s as %s.\n", dest, d.Reviewer)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&message, "message", "m", "", "what you decided and why (required for request-changes)")
	f.StringVar(&authorFlag, "author", "", "the name to sign with (default PSTAB_AUTHOR, else your user name)")
	f.StringVarP(&out, "output", "o", "", "write the bundle here instead of over FILE")
	return cmd
}

func countBlocking(ps []questionnaire.Problem) int {
	n := 0
	for _, p := range ps {
		if p.Severity == questionnaire.Blocking {
			n++
		}
	}
	return n
}

// shortFingerprint shows enough of a fingerprint to compare two by eye.
func shortFingerprint(fp string) string {
	if h, ok := strings.CutPrefix(fp, "sha256:"); ok && len(h) > 12 {
		return h[:12]
	}
	return fp
}

// openPhrase counts open threads for a sentence: "no thread is", "1 thread is", "3 threads
// are", to be followed by "open".
func openPhrase(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + " is"
	case 1:
		return "1 " + noun + " is"
	}
	return questionnaire.Plural(n, noun) + " are"
}
