package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/pstab/pstab/questionnaire"
	"github.com/pstab/pstab/store"
	"github.com/pstab/pstab/ui/termsafe"
)

// The commands over the list of apps: apps, new, copy and rm.

func (a *App) appsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "apps",
		Short:   "List your apps with completeness, status and last change",
		Example: "  pstab apps\n  pstab apps --json | jq -r '.[] | select(.percent < 100) | .key'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// A short process with a small heap: at Go's default target the collector ran
			// four times and took an eighth of the command's CPU time. A larger target
			// costs a few MB.
			defer debug.SetGCPercent(debug.SetGCPercent(400))
			return a.withRead(cmd, a.openStoreList, func(ctx context.Context, s *store.Store, openErr error) error {
				var apps []store.AppSummary
				path := ""
				if openErr != nil {
					// No drafts file yet: no apps, and nothing is made to say so.
					var fe *store.FileError
					errors.As(openErr, &fe)
					path = fe.Path
				} else {
					var err error
					if apps, err = s.Apps(ctx); err != nil {
						return storeErr(err)
					}
					path = s.Path()
				}
				if asJSON {
					type appJSON struct {
						Key        string    `json:"key"`
						Name       string    `json:"name"`
						Hosting    string    `json:"hosting"`
						ProductID  string    `json:"productId,omitempty"`
						Answered   int       `json:"answered"`
						Total      int       `json:"total"`
						Percent    int       `json:"percent"`
						Status     string    `json:"status"`
						FormStatus string    `json:"formStatus,omitempty"`
						Changed    time.Time `json:"changed"`
					}
					out := make([]appJSON, 0, len(apps))
					for _, ap := range apps {
						out = append(out, appJSON{ap.Key, ap.Name, ap.Hosting, ap.ProductID, ap.Answered, ap.Total,
							ap.Percent(), ap.Status, ap.FormStatus, ap.ChangedAt.UTC()})
					}
					return writeJSON(a.Out, out)
				}
				if len(apps) == 0 {
					fmt.Fprintf(a.Err, "No apps in %s yet. Create one with pstab new KEY --name NAME, or run pstab.\n", path)
					return nil
				}
				_, err := io.WriteString(a.Out, appTable(apps, time.Now()))
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// appTable is the app list as pstab apps prints it: the one table that runs to thousands
// of lines, so it is laid out in one pass over cells made once, as text/tabwriter would
// with padding 2 (every column but the last as wide as its widest cell plus two spaces).
// What it holds from the drafts file reaches the terminal through the App's filter.
func appTable(apps []store.AppSummary, now time.Time) string {
	rows := make([][5]string, 0, len(apps)+1)
	rows = append(rows, [5]string{"KEY", "NAME", "COMPLETE", "STATUS", "CHANGED"})
	var num []byte
	for _, ap := range apps {
		status := ap.Status
		if ap.FormStatus != "" {
			status += " (" + ap.FormStatus + ")"
		}
		num = strconv.AppendInt(num[:0], int64(ap.Percent()), 10)
		num = append(num, "% ("...)
		num = strconv.AppendInt(num, int64(ap.Answered), 10)
		num = append(num, '/')
		num = strconv.AppendInt(num, int64(ap.Total), 10)
		num = append(num, ')')
		rows = append(rows, [5]string{ap.Key, listName(ap.Name), string(num), status, questionnaire.Ago(now, ap.ChangedAt)})
	}
	var widths [5]int
	size := 0
	for i := range rows {
		for c, cell := range rows[i] {
			widths[c] = max(widths[c], width(cell))
			size += len(cell)
		}
	}
	size += len(rows) * (widths[0] + widths[1] + widths[2] + widths[3] + 9)
	var b strings.Builder
	b.Grow(size)
	for i := range rows {
		for c, cell := range rows[i] {
			b.WriteString(cell)
			if c < len(rows[i])-1 {
				pad(&b, widths[c]-width(cell)+2)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// listName is an app's name on one line of at most 40 characters.
func listName(name string) string {
	if len(name) <= 40 && plainLine(name) {
		return name
	}
	return oneLine(name, 40)
}

// plainLine reports printable ASCII with single spaces between words, which oneLine
// leaves as it is.
func plainLine(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

// width is the number of characters of a cell.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
}

const spaces = "                                                                "

// pad writes n spaces.
func pad(b *strings.Builder, n int) {
	for ; n > len(spaces); n -= len(spaces) {
		b.WriteString(spaces)
	}
	b.WriteString(spaces[:n])
}

func (a *App) newCmd() *cobra.Command {
	var name, hosting string
	cmd := &cobra.Command{
		Use:     "new KEY --name NAME",
		Short:   "Create an app",
		Example: `  pstab new com.example.app --name "Example for Jira"`,
		Args:    exactArgs(1, "new takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			key := args[0]
			if err := store.ValidateAppKey(key); err != nil {
				return usageErr("%q is not an app key: %v", key, err)
			}
			if err := store.ValidateAppName(name); err != nil {
				return usageErr("--name: %v", err)
			}
			if err := store.ValidateHosting(hosting); err != nil {
				return usageErr("--hosting: %v", err)
			}
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				err := s.CreateApp(ctx, store.App{Key: key, Name: strings.TrimSpace(name), Hosting: hosting})
				if errors.Is(err, store.ErrExists) {
					return problemsErr("an app with key %s already exists in %s; nothing was changed", key, s.Path())
				}
				if err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Created %s (%s). Answer its questions with pstab, or pstab set %s QUESTION VALUE.\n", key, name, key)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the app's name as it appears on its listing (required)")
	cmd.Flags().StringVar(&hosting, "hosting", "cloud", "the app's hosting")
	return cmd
}

func (a *App) copyCmd() *cobra.Command {
	var yes, withComments bool
	var name string
	cmd := &cobra.Command{
		Use:   "copy FROM TO",
		Short: "Copy every answer of one app into another, as a save point",
		Long: `Copy every answer of app FROM into app TO, as a new save point in TO: TO's previous
answers stay in its history (pstab revert brings them back). Useful for lite and full
variants of one app. A TO that does not exist yet is created, named --name (or its key).
When TO already has answers, pstab shows what changes and asks first; give --yes where
there is no terminal to ask on.`,
		Example: "  pstab copy com.example.app com.example.lite\n  pstab copy com.example.app com.example.dc --name \"Example DC\"\n  pstab copy com.example.app com.example.lite --yes",
		Args:    exactArgs(2, "copy takes FROM TO"),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, to := args[0], args[1]
			if from == to {
				return usageErr("FROM and TO are the same app")
			}
			if from == store.PartnerKey || to == store.PartnerKey {
				return usageErr("@partner is not an app; copy copies between apps")
			}
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				src, err := a.subject(ctx, s, from)
				if err != nil {
					return err
				}
				source, err := s.Load(ctx, src.Ref)
				if err != nil {
					return storeErr(err)
				}
				if source.Answers.IsEmpty() {
					return problemsErr("there are no answers in %s to copy; nothing was changed", from)
				}
				ref := store.DraftRef{Subject: to, Questionnaire: src.Ref.Questionnaire}
				before := store.Draft{Answers: questionnaire.NewAnswers()}
				changed := false
				switch _, err := s.App(ctx, to); {
				case errors.Is(err, store.ErrNotFound):
					if err := store.ValidateAppKey(to); err != nil {
						return usageErr("%q is not an app key: %v", to, err)
					}
					if name == "" {
						name = to
					}
					if err := store.ValidateAppName(name); err != nil {
						return usageErr("--name: %v", err)
					}
					if err := s.CreateApp(ctx, store.App{Key: to, Name: strings.TrimSpace(name), Hosting: "cloud"}); err != nil {
						return storeErr(err)
					}
					fmt.Fprintf(a.Err, "Created %s%s.\n", to, namedAs(to, name))
				case err != nil:
					return storeErr(err)
				default:
					if before, err = s.Load(ctx, ref); err != nil {
						return storeErr(err)
					}
					// TO keeps its own server fields: they belong to its listing.
					incoming := source.Answers.Clone()
					incoming.Extra, incoming.Envelope = before.Answers.Extra, before.Answers.Envelope
					if changed, err = a.confirmReplace(src.Catalogue, to, before.Answers, incoming, "Copying "+from, yes); err != nil {
						return err
					}
				}
				rev, err := s.Copy(ctx, from, to)
				if err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Copied %s into %s as save point %d.%s\n", from, to, rev.Number, keptAs(changed, before, rev, to))
				if withComments {
					n, err := s.CopyReview(ctx, from, to)
					if err != nil {
						return storeErr(err)
					}
					fmt.Fprintf(a.Err, "Copied %s of the review.\n", questionnaire.Plural(n, "comment"))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "replace TO's answers without asking")
	cmd.Flags().StringVar(&name, "name", "", "the name of TO, when copy creates it")
	// --create was needed before copy created TO itself; it is still accepted.
	cmd.Flags().Bool("create", false, "create TO if it does not exist (the default)")
	_ = cmd.Flags().MarkHidden("create")
	cmd.Flags().BoolVar(&withComments, "with-comments", false, "copy the review comments too (not the decision, which was for FROM)")
	return cmd
}

func (a *App) rmCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "rm KEY --yes",
		Short:   "Delete an app with its drafts, save points and history",
		Example: "  pstab rm com.example.old --yes",
		Args:    exactArgs(1, "rm takes one app KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd, func(ctx context.Context, s *store.Store) error {
				if args[0] == store.PartnerKey {
					return usageErr("@partner is not an app; clear its answers with pstab unset")
				}
				app, err := s.App(ctx, args[0])
				if errors.Is(err, store.ErrNotFound) {
					// Creating it is no help to someone deleting it: most likely the key is
					// mistyped, and the list shows the right one.
					return problemsErr("there is no app %s in %s, so nothing was deleted; pstab apps lists your apps", args[0], s.Path())
				}
				if err != nil {
					return storeErr(err)
				}
				if err := a.confirm(yes, fmt.Sprintf("Delete %s (%s) with its drafts, save points and history? This cannot be undone.", app.Name, app.Key)); err != nil {
					return err
				}
				if err := s.DeleteApp(ctx, app.Key); err != nil {
					return storeErr(err)
				}
				fmt.Fprintf(a.Err, "Deleted %s.\n", app.Key)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask")
	return cmd
}

// namedAs is " (NAME)" for a created app whose name is not its key.
func namedAs(key, name string) string {
	if name = strings.TrimSpace(name); name == "" || name == key {
		return ""
	}
	return " (" + termsafe.Filter(oneLine(name, 60)) + ")"
}
