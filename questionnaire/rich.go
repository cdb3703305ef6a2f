package questionnaire

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// The web form edits the permissions justification in a rich-text editor, and whether the
// API returns it as a string or as a document object is not settled. A document object is
// read for its words, which pstab previews and checks, and is kept as it came: it is sent
// back unchanged unless the partner edits the answer, which then becomes plain text.

// blockNodes are the document nodes that end a line of text: paragraphs, headings, list
// items, quotes, code blocks and table cells of the Atlassian document format, whose
// shape rich-text editors share ({"type": ..., "content": [...], "text": ...}).
var blockNodes = map[string]bool{
	"paragraph": true, "heading": true, "listItem": true, "blockquote": true, "codeBlock": true,
	"tableCell": true, "tableHeader": true, "rule": true, "panel": true, "decisionItem": true, "taskItem": true,
}

// richText returns the words of a rich-text document object, one line per block, and
// whether raw is an object at all.
func richText(raw json.RawMessage) (string, bool) {
	var doc any
	if err := unmarshalNumber(raw, &doc); err != nil {
		return "", false
	}
	if _, ok := doc.(map[string]any); !ok {
		return "", false
	}
	var lines []string
	var line strings.Builder
	flush := func() {
		if s := strings.TrimSpace(line.String()); s != "" {
			lines = append(lines, s)
		}
		line.Reset()
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 64 {
			return // a document nested this deep is not one a form wrote
		}
		switch n := v.(type) {
		case map[string]any:
			typ, _ := n["type"].(string)
			if typ == "hardBreak" {
				flush()
				return
			}
			if t, ok := n["text"].(string); ok {
				line.WriteString(t)
			}
			if content, ok := n["content"]; ok {
				walk(content, depth+1)
			} else {
				// Some editors nest children under other keys; read every value but
				// attributes and marks, which hold no words.
				for _, k := range slices.Sorted(maps.Keys(n)) {
					if k != "text" && k != "type" && k != "attrs" && k != "marks" {
						walk(n[k], depth+1)
					}
				}
			}
			if blockNodes[typ] {
				flush()
			}
		case []any:
			for _, item := range n {
				walk(item, depth+1)
			}
		}
	}
	walk(doc, 0)
	flush()
	return strings.Join(lines, "\n"), true
}
