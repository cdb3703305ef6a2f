package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The review as a bundle carries it: threads grouped by question so that a person reading
// the file sees each conversation in one place, in the catalogue's order.
//
//	"review": {
//	  "verdict": {"decision": "changes-requested", "reviewer": "Ana", "at": "...",
//	              "answersFingerprint": "sha256:...", "message": "..."},
//	  "general": {"resolved": false, "comments": [...]},
//	  "threads": [{"question": "security-policy", "resolved": false,
//	               "comments": [{"author": "Ana", "at": "...", "text": "...",
//	                             "action": "resolve", "answerFingerprint": "..."}]}]
//	}
//
// "resolved" is written for readers; on reading, a thread's state comes from its comments.

type reviewJSON struct {
	Verdict *decisionJSON `json:"verdict,omitempty"`
	General *threadJSON   `json:"general,omitempty"`
	Threads []threadJSON  `json:"threads,omitempty"`
}

type threadJSON struct {
	Question string        `json:"question,omitempty"`
	Resolved bool          `json:"resolved"`
	Comments []commentJSON `json:"comments"`
}

type commentJSON struct {
	Author     string `json:"author"`
	At         string `json:"at"`
	Text       string `json:"text,omitempty"`
	Action     string `json:"action,omitempty"`
	AnswerSeen string `json:"answerFingerprint,omitempty"`
}

type decisionJSON struct {
	Decision string `json:"decision"`
	Reviewer string `json:"reviewer"`
	At       string `json:"at"`
	Answers  string `json:"answersFingerprint"`
	Message  string `json:"message,omitempty"`
}

// encodeReview returns the review as the bundle writes it, or nil when it is empty.
func (c *Catalogue) encodeReview(r Review) *reviewJSON {
	if r.IsEmpty() {
		return nil
	}
	out := &reviewJSON{}
	if d := r.Decision; d != nil {
		out.Verdict = &decisionJSON{Decision: string(d.Kind), Reviewer: d.Reviewer, At: formatTime(d.At),
			Answers: d.Answers, Message: d.Message}
	}
	for _, t := range c.Threads(r) {
		tj := threadJSON{Question: t.Question, Resolved: t.Resolved, Comments: make([]commentJSON, 0, len(t.Comments))}
		for _, cm := range t.Comments {
			tj.Comments = append(tj.Comments, commentJSON{Author: cm.Author, At: formatTime(cm.At), Text: cm.Text,
				Action: string(cm.Action), AnswerSeen: cm.AnswerSeen})
		}
		if t.Question == "" {
			out.General = &tj
			continue
		}
		out.Threads = append(out.Threads, tj)
	}
	return out
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// decodeReview reads the review a bundle carries. Its text is untrusted, as answers are:
// characters that could act on a terminal or disguise text are removed, and each removal
// is named in the notes, so that a reviewer still reads everything else. A comment whose
// action or time pstab cannot read refuses the file, with the field named.
func (c *Catalogue) decodeReview(in *reviewJSON) (Review, []string, error) {
	var r Review
	if in == nil {
		return r, nil, nil
	}
	var notes []string
	clean := func(path, s string, multiline bool, limit int) string {
		out := CleanText(s, multiline)
		if out != s {
			notes = append(notes, path+" held characters that can act on a terminal or disguise text; they were removed")
		}
		out = strings.TrimSpace(out)
		if limit > 0 && utf8.RuneCountInString(out) > limit {
			out = string([]rune(out)[:limit])
			notes = append(notes, fmt.Sprintf("%s was longer than %d characters; the rest was cut", path, limit))
		}
		return out
	}
	readThread := func(base, question string, comments []commentJSON) error {
		for j, cj := range comments {
			path := fmt.Sprintf("%s.comments[%d]", base, j)
			at, err := parseTime(cj.At)
			if err != nil {
				return &DecodeError{Path: path + ".at", Msg: err.Error()}
			}
			action := Action(cj.Action)
			switch action {
			case ActionNone, ActionResolve, ActionReopen:
			default:
				return &DecodeError{Path: path + ".action",
					Msg: fmt.Sprintf("%q is not an action; use \"resolve\", \"reopen\" or leave it out", OneLine(cj.Action))}
			}
			seen := cj.AnswerSeen
			if !isHex(seen, 12) {
				seen = ""
			}
			r.Add(Comment{Question: question, Author: clean(path+".author", cj.Author, false, MaxAuthorLength), At: at,
				Text: clean(path+".text", cj.Text, true, MaxCommentLength), Action: action, AnswerSeen: seen})
		}
		return nil
	}
	if g := in.General; g != nil {
		if err := readThread("review.general", "", g.Comments); err != nil {
			return Review{}, nil, err
		}
	}
	for i, t := range in.Threads {
		base := fmt.Sprintf("review.threads[%d]", i)
		question := clean(base+".question", t.Question, false, 200)
		if question == "" {
			return Review{}, nil, &DecodeError{Path: base + ".question",
				Msg: "the thread names no question; a comment on the whole draft goes under review.general"}
		}
		if err := readThread(base, question, t.Comments); err != nil {
			return Review{}, nil, err
		}
	}
	if v := in.Verdict; v != nil {
		kind := DecisionKind(v.Decision)
		switch kind {
		case Approved, ChangesRequested:
		default:
			return Review{}, nil, &DecodeError{Path: "review.verdict.decision",
				Msg: fmt.Sprintf("%q is not a decision; use \"approved\" or \"changes-requested\"", OneLine(v.Decision))}
		}
		at, err := parseTime(v.At)
		if err != nil {
			return Review{}, nil, &DecodeError{Path: "review.verdict.at", Msg: err.Error()}
		}
		fp := v.Answers
		if !strings.HasPrefix(fp, "sha256:") || !isHex(strings.TrimPrefix(fp, "sha256:"), 64) {
			// Without a fingerprint pstab cannot tell which answers were approved, so the
			// decision reads as stale, which is the safe way to be wrong.
			fp = ""
		}
		r.Decision = &Decision{Kind: kind, Reviewer: clean("review.verdict.reviewer", v.Reviewer, false, MaxAuthorLength), At: at,
			Answers: fp, Message: clean("review.verdict.message", v.Message, true, MaxCommentLength)}
	}
	return r, notes, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("the time is missing; write it as 2026-03-10T14:05:00Z")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time; write it as 2026-03-10T14:05:00Z", OneLine(s))
	}
	return t.UTC(), nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// WithReview returns a bundle file with its review replaced by r, and everything else in it
// exactly as it was: answers this catalogue does not know, keys a newer pstab added, the
// order of the keys. A reviewer's comment must never cost the file anything the reviewer's
// pstab happens not to understand. The file must be a bundle for this catalogue.
func (c *Catalogue) WithReview(data []byte, r Review) ([]byte, error) {
	if _, _, err := c.DecodeBundle(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, &DecodeError{Unreadable: true, Msg: "a bundle is a JSON object"}
	}
	var out bytes.Buffer
	out.WriteByte('{')
	member := func(key string, raw []byte) {
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteByte(':')
		out.Write(raw)
	}
	var review bytes.Buffer
	enc := json.NewEncoder(&review)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c.encodeReview(r)); err != nil {
		return nil, err
	}
	written := r.IsEmpty()
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &DecodeError{Unreadable: true, Msg: err.Error()}
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &DecodeError{Unreadable: true, Msg: err.Error()}
		}
		if key == "review" {
			if !written {
				member(key, bytes.TrimSpace(review.Bytes()))
				written = true
			}
			continue
		}
		member(key, raw)
	}
	if !written {
		member("review", bytes.TrimSpace(review.Bytes()))
	}
	out.WriteByte('}')
	var indented bytes.Buffer
	if err := json.Indent(&indented, out.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	indented.WriteByte('\n')
	return EscapeJSONUnsafe(indented.Bytes()), nil
}
