package questionnaire

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A review is the conversation between the partner who answers and the reviewer who reads
// a draft before it goes out: per question a thread of comments, one general thread, and
// the reviewer's decision. It travels in the bundle and is kept with the draft in the
// store, so that it can go back and forth as many rounds as needed.
//
// A review is a set of entries that only grows: a comment, a reply, a resolution and a
// reopening are each one entry, and a thread's state is read from its entries in time
// order. Merging two copies of a conversation (a reviewer's file into the partner's
// draft) is therefore the union of their entries, with nothing to decide and nothing lost.

// Action is what a comment does to its thread besides saying something.
type Action string

// The actions of a comment. A plain comment (ActionNone) on a resolved thread reopens it,
// since whoever writes again means the point is not settled.
const (
	ActionNone    Action = ""
	ActionResolve Action = "resolve"
	ActionReopen  Action = "reopen"
)

// Comment is one entry of a thread.
type Comment struct {
	// Question is the ID of the question the thread is about, or "" for the general thread.
	Question string
	Author   string
	At       time.Time
	Text     string // may be empty for a resolution or a reopening
	Action   Action
	// AnswerSeen is the fingerprint (AnswerFingerprint) of the question's answer when the
	// comment was written, so that a reader can tell the answer changed since; "" when not
	// known (the general thread, or an entry written without it).
	AnswerSeen string
}

// DecisionKind is a reviewer's verdict on a draft.
type DecisionKind string

// The verdicts a reviewer can give.
const (
	Approved         DecisionKind = "approved"
	ChangesRequested DecisionKind = "changes-requested"
)

// Decision is a reviewer's verdict, with the fingerprint of the answers it was given for:
// when the answers change afterwards, the decision is stale.
type Decision struct {
	Kind     DecisionKind
	Reviewer string
	At       time.Time
	Answers  string // Catalogue.Fingerprint of the answers the reviewer read
	Message  string
}

// Review is a draft's conversation: every comment, oldest first, and the latest decision
// (nil when no reviewer has given one).
type Review struct {
	Comments []Comment
	Decision *Decision
}

// IsEmpty reports whether nobody has said anything yet.
func (r Review) IsEmpty() bool { return len(r.Comments) == 0 && r.Decision == nil }

// Clone returns a copy that shares nothing with r.
func (r Review) Clone() Review {
	out := Review{Comments: slices.Clone(r.Comments)}
	if r.Decision != nil {
		d := *r.Decision
		out.Decision = &d
	}
	return out
}

// Limits on what a review holds, so that a hostile file cannot make one unreadable.
const (
	MaxCommentLength = 4000 // runes
	MaxAuthorLength  = 80   // runes
)

// CommentProblem says what is wrong with the text of a new comment, or returns "": the
// same characters are refused as in a long answer, and a comment has a length limit.
// Empty text is refused unless the comment resolves or reopens its thread.
func CommentProblem(text string, action Action) string {
	if strings.TrimSpace(text) == "" {
		if action == ActionNone {
			return "the comment is empty; say what should change"
		}
		return ""
	}
	if p := TextProblem(text, true); p != "" {
		return "the comment " + p
	}
	if n := utf8.RuneCountInString(text); n > MaxCommentLength {
		return fmt.Sprintf("the comment is %d characters long; keep it to %d", n, MaxCommentLength)
	}
	return ""
}

// AuthorProblem says what is wrong with a name to sign a comment or a decision with.
func AuthorProblem(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "the name to sign with is empty; give one with --author or PSTAB_AUTHOR"
	case TextProblem(name, false) != "":
		return "the name to sign with " + TextProblem(name, false)
	case utf8.RuneCountInString(name) > MaxAuthorLength:
		return fmt.Sprintf("the name to sign with is longer than %d characters", MaxAuthorLength)
	}
	return ""
}

// Add appends a comment, keeping the comments in time order. A comment that is already
// there (same thread, author, time, text and action) is not added twice; Add reports
// whether it was new.
func (r *Review) Add(c Comment) bool {
	for _, o := range r.Comments {
		if sameComment(o, c) {
			return false
		}
	}
	i := len(r.Comments)
	for i > 0 && r.Comments[i-1].At.After(c.At) {
		i--
	}
	r.Comments = slices.Insert(r.Comments, i, c)
	return true
}

func sameComment(a, b Comment) bool {
	return a.Question == b.Question && a.Author == b.Author && a.At.Equal(b.At) &&
		a.Text == b.Text && a.Action == b.Action
}

// Decide records a reviewer's decision, replacing an earlier one.
func (r *Review) Decide(d Decision) { r.Decision = &d }

// Merge brings another copy of the conversation into r: every comment r does not have yet,
// and the other's decision when it is later than r's. It reports how many comments were
// new and whether the decision changed.
func (r *Review) Merge(o Review) (added int, decided bool) {
	for _, c := range o.Comments {
		if r.Add(c) {
			added++
		}
	}
	if o.Decision != nil && (r.Decision == nil || o.Decision.At.After(r.Decision.At)) {
		d := *o.Decision
		r.Decision = &d
		decided = true
	}
	return added, decided
}

// Thread is the comments on one question (or the general thread) and what they settled.
type Thread struct {
	Question string // "" for the general thread
	Comments []Comment
	Resolved bool
	// ResolvedBy and ResolvedAt say who resolved it and when, when Resolved.
	ResolvedBy string
	ResolvedAt time.Time
}

// Open reports whether the thread still waits for an answer.
func (t Thread) Open() bool { return !t.Resolved }

// Last returns the thread's latest comment.
func (t Thread) Last() Comment { return t.Comments[len(t.Comments)-1] }

// Thread returns the thread on a question ("" for the general one), and whether there is
// one.
func (r Review) Thread(question string) (Thread, bool) {
	t := Thread{Question: question}
	for _, c := range r.Comments {
		if c.Question != question {
			continue
		}
		t.Comments = append(t.Comments, c)
		switch c.Action {
		case ActionResolve:
			t.Resolved, t.ResolvedBy, t.ResolvedAt = true, c.Author, c.At
		default:
			t.Resolved, t.ResolvedBy, t.ResolvedAt = false, "", time.Time{}
		}
	}
	return t, len(t.Comments) > 0
}

// Threads returns every thread: the general one first, then one per question in the
// catalogue's order, then threads on questions this catalogue does not know (kept from a
// newer catalogue), by ID.
func (c *Catalogue) Threads(r Review) []Thread {
	var ids []string
	seen := map[string]bool{}
	for _, cm := range r.Comments {
		if !seen[cm.Question] {
			seen[cm.Question] = true
			ids = append(ids, cm.Question)
		}
	}
	rank := func(id string) int {
		if id == "" {
			return -1
		}
		if q := c.Question(id); q != nil {
			return q.Index
		}
		return len(c.Questions)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if d := cmp.Compare(rank(a), rank(b)); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	out := make([]Thread, 0, len(ids))
	for _, id := range ids {
		t, _ := r.Thread(id)
		out = append(out, t)
	}
	return out
}

// OpenThreads counts the threads still open.
func (r Review) OpenThreads() int {
	n := 0
	seen := map[string]bool{}
	for _, c := range r.Comments {
		if seen[c.Question] {
			continue
		}
		seen[c.Question] = true
		if t, _ := r.Thread(c.Question); t.Open() {
			n++
		}
	}
	return n
}

// OpenBySection counts the open threads on each section's questions, by section ID. Open
// threads on the general thread or on unknown questions are counted under "".
func (c *Catalogue) OpenBySection(r Review) map[string]int {
	out := map[string]int{}
	for _, t := range c.Threads(r) {
		if !t.Open() {
			continue
		}
		id := ""
		if q := c.Question(t.Question); q != nil {
			id = q.Section.ID
		}
		out[id]++
	}
	return out
}

// AnswerFingerprint identifies one answer, for telling whether it changed since a
// comment on it was written: 12 hex digits of a hash of the answer in the form the bundle
// keeps it. An unanswered question has a fingerprint too.
func AnswerFingerprint(q *Question, a Answers) string {
	raw := []byte("null")
	if v, ok := a.Get(q.ID); ok {
		if b, err := MarshalValue(q, v); err == nil {
			raw = compactJSON(b)
		}
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:6])
}

// Fingerprint identifies a whole set of answers, for telling whether a reviewer's decision
// was given for the answers a draft has now: "sha256:" and the hash of every answer, by
// question ID, in the form the bundle keeps it. Payload fields no question takes (server
// fields such as formStatus) are left out, since they change without the partner.
func (c *Catalogue) Fingerprint(a Answers) string {
	h := sha256.New()
	for _, id := range sortedKeys(a.Values) {
		q := c.Question(id)
		v, ok := a.Get(id)
		if q == nil || !ok {
			continue
		}
		raw, err := MarshalValue(q, v)
		if err != nil {
			continue
		}
		fmt.Fprintf(h, "%s\x00%s\n", id, compactJSON(raw))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func sortedKeys(m map[string]Value) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func compactJSON(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return b
	}
	return out.Bytes()
}

// Stale reports whether the decision was given for other answers than a.
func (d *Decision) Stale(c *Catalogue, a Answers) bool {
	return d != nil && d.Answers != c.Fingerprint(a)
}

// ChangedSince reports whether the answer to the thread's question differs from the one
// its latest comment was written against. It is false for the general thread and when no
// comment recorded the answer it saw.
func (t Thread) ChangedSince(c *Catalogue, a Answers) bool {
	q := c.Question(t.Question)
	if q == nil {
		return false
	}
	for i := len(t.Comments) - 1; i >= 0; i-- {
		if seen := t.Comments[i].AnswerSeen; seen != "" {
			return seen != AnswerFingerprint(q, a)
		}
	}
	return false
}
