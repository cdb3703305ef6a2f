package questionnaire_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/pstab/pstab/questionnaire"
)

// goldmarkAsGlamour is the Markdown parser configured as glamour v1.0.0 configures it
// (glamour.go, NewTermRenderer), so these tests see the structure the preview will show.
var goldmarkAsGlamour = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.DefinitionList),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
)

// markdownKinds counts the nodes of each kind in a Markdown document, as goldmark parses
// it, leaving out paragraphs and text, whose number depends on the words.
func markdownKinds(md string) map[string]int {
	src := []byte(md)
	doc := goldmarkAsGlamour.Parser().Parse(text.NewReader(src))
	kinds := map[string]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindDocument, ast.KindParagraph, ast.KindTextBlock, ast.KindText, ast.KindString:
		default:
			kinds[n.Kind().String()]++
		}
		return ast.WalkContinue, nil
	})
	return kinds
}

// markdownLinkProblems reports, as goldmark parses a document, every link or image, every
// autolink that is not to an https URL passing URLProblem, and all raw HTML.
func markdownLinkProblems(md string) []string {
	src := []byte(md)
	doc := goldmarkAsGlamour.Parser().Parse(text.NewReader(src))
	var out []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			out = append(out, fmt.Sprintf("link to %q", n.Destination))
		case *ast.Image:
			out = append(out, fmt.Sprintf("image from %q", n.Destination))
		case *ast.AutoLink:
			u := string(n.URL(src))
			if n.AutoLinkType != ast.AutoLinkURL || questionnaire.URLProblem(u) != "" {
				out = append(out, fmt.Sprintf("autolink to %q", u))
			}
		case *ast.RawHTML:
			out = append(out, fmt.Sprintf("raw HTML %q", n.Segments.Value(src)))
		case *ast.HTMLBlock:
			out = append(out, fmt.Sprintf("HTML block %q", n.Lines().Value(src)))
		case *east.TaskCheckBox:
			out = append(out, "task check box")
		}
		return ast.WalkContinue, nil
	})
	return out
}

// diffKinds describes how two node counts differ, or returns "".
func diffKinds(got, want map[string]int) string {
	var diffs []string
	for k, n := range got {
		if want[k] != n {
			diffs = append(diffs, fmt.Sprintf("%s: %d, want %d", k, n, want[k]))
		}
	}
	for k, n := range want {
		if _, ok := got[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: 0, want %d", k, n))
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "; ")
}
