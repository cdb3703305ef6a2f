package questionnaire

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// CatalogueError is why a catalogue file was refused: where, which question, and what.
type CatalogueError struct {
	File     string
	Line     int
	Question string // the question ID, when the problem is inside one
	Msg      string
}

func (e *CatalogueError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Question != "" {
		b.WriteString("question " + PathKey(e.Question) + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	apiPathPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	jsonKeyPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	datePattern    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// triValue reports whether s is one of the documented tri-state values: true, false or
// NOT_APPLICABLE, in any case.
func triValue(s string) bool {
	return strings.EqualFold(s, "true") || strings.EqualFold(s, "false") || strings.EqualFold(s, NotApplicable)
}

// LoadFile reads and checks a catalogue file.
func LoadFile(path string) (*Catalogue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read catalogue: %w", err)
	}
	return Load(path, data)
}

// Load parses and checks a catalogue. name is the file it came from, used in messages. A
// catalogue with any problem is refused whole, with a *CatalogueError naming the line and
// question of the first problem found.
func Load(name string, data []byte) (*Catalogue, error) {
	l := &loader{file: name}
	return l.result(l.load(data))
}

// result is what Load returns for what the loader read: the catalogue, or a
// *CatalogueError.
func (l *loader) result(c *Catalogue, err error) (*Catalogue, error) {
	if err != nil {
		var ce *CatalogueError
		if errors.As(err, &ce) {
			return nil, ce
		}
		return nil, &CatalogueError{File: l.file, Msg: err.Error()}
	}
	return c, nil
}

type loader struct {
	file string
	q    string // the question being read, for messages
}

func (l *loader) errf(n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &CatalogueError{File: l.file, Line: line, Question: l.q, Msg: fmt.Sprintf(format, args...)}
}

func (l *loader) load(data []byte) (*Catalogue, error) {
	doc, err := l.parse(data)
	if err != nil {
		return nil, err
	}
	return l.fromDoc(doc)
}

// parse reads the YAML of a catalogue into its document node.
func (l *loader) parse(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// yaml.v3 messages start with "yaml: line N: ..."; keep the line, drop the prefix.
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			if i := strings.Index(rest, ":"); i > 0 {
				line, _ = strconv.Atoi(rest[:i])
				msg = strings.TrimSpace(rest[i+1:])
			}
		}
		return nil, &CatalogueError{File: l.file, Line: line, Msg: "not valid YAML: " + msg}
	}
	return &doc, nil
}

// fromDoc reads and checks a catalogue from its document node, parsed from YAML or decoded
// from its encoding (see nodes.go).
func (l *loader) fromDoc(doc *yaml.Node) (*Catalogue, error) {
	if len(doc.Content) == 0 {
		return nil, l.errf(doc, "the file is empty")
	}
	root := doc.Content[0]
	c := &Catalogue{Source: l.file, byID: map[string]*Question{}}
	var sectionsNode, checksNode, renewalNode, retiredNode *yaml.Node
	err := l.fields(root, "catalogue", map[string]func(*yaml.Node) error{
		"id":       l.str(&c.ID),
		"title":    l.str(&c.Title),
		"level":    l.str(&c.Level),
		"version":  l.str(&c.Version),
		"sections": func(n *yaml.Node) error { sectionsNode = n; return nil },
		"checks":   func(n *yaml.Node) error { checksNode = n; return nil },
		"renewal":  func(n *yaml.Node) error { renewalNode = n; return nil },
		"retired":  func(n *yaml.Node) error { retiredNode = n; return nil },
	})
	if err != nil {
		return nil, err
	}
	switch {
	case !idPattern.MatchString(c.ID):
		return nil, l.errf(root, "the catalogue needs an id of lowercase letters, digits and dashes")
	case c.Title == "":
		return nil, l.errf(root, "the catalogue needs a title")
	case c.Level != "app" && c.Level != "partner":
		return nil, l.errf(root, "level must be app or partner, not %q", c.Level)
	case sectionsNode == nil || sectionsNode.Kind != yaml.SequenceNode || len(sectionsNode.Content) == 0:
		return nil, l.errf(root, "the catalogue needs a list of sections")
	}

	lines := map[string]int{} // question ID -> line where it is defined
	for _, sn := range sectionsNode.Content {
		s, qnodes, err := l.section(sn, c)
		if err != nil {
			return nil, err
		}
		for _, qn := range qnodes {
			q, err := l.question(qn, c, s)
			if err != nil {
				return nil, err
			}
			if first, dup := lines[q.ID]; dup {
				l.q = q.ID
				return nil, l.errf(qn, "duplicate question ID (first defined on line %d)", first)
			}
			lines[q.ID] = q.Line
			q.Index = len(c.Questions)
			q.SectionRank = len(s.Questions)
			s.Questions = append(s.Questions, q)
			c.Questions = append(c.Questions, q)
			c.byID[q.ID] = q
		}
	}
	l.q = ""
	if err := l.checks(c, checksNode); err != nil {
		return nil, err
	}
	if err := l.renewal(c, renewalNode); err != nil {
		return nil, err
	}
	if err := l.retired(c, retiredNode); err != nil {
		return nil, err
	}
	if err := l.checkFormerly(c); err != nil {
		return nil, err
	}
	if err := l.checkReferences(c); err != nil {
		return nil, err
	}
	if err := l.checkAPIPaths(c); err != nil {
		return nil, err
	}
	return c, nil
}

func (l *loader) section(n *yaml.Node, c *Catalogue) (*Section, []*yaml.Node, error) {
	l.q = ""
	s := &Section{Index: len(c.Sections)}
	var questions *yaml.Node
	err := l.fields(n, "section", map[string]func(*yaml.Node) error{
		"id":        l.str(&s.ID),
		"title":     l.str(&s.Title),
		"intro":     l.str(&s.Intro),
		"show_if":   l.cond(&s.ShowIf),
		"questions": func(v *yaml.Node) error { questions = v; return nil },
	})
	if err != nil {
		return nil, nil, err
	}
	switch {
	case !idPattern.MatchString(s.ID):
		return nil, nil, l.errf(n, "a section needs an id of lowercase letters, digits and dashes")
	case c.Section(s.ID) != nil:
		return nil, nil, l.errf(n, "duplicate section ID %q", s.ID)
	case s.Title == "":
		return nil, nil, l.errf(n, "section %s needs a title", s.ID)
	case questions == nil || questions.Kind != yaml.SequenceNode || len(questions.Content) == 0:
		return nil, nil, l.errf(n, "section %s needs a list of questions", s.ID)
	}
	c.Sections = append(c.Sections, s)
	return s, questions.Content, nil
}

func (l *loader) question(n *yaml.Node, c *Catalogue, s *Section) (*Question, error) {
	q := &Question{Section: s, Line: n.Line, Required: true}
	l.q = ""
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "id" {
				l.q = n.Content[i+1].Value
			}
		}
	}
	var kind, view string
	var optionsNode, apiNode, fieldsNode, judgeNode, formerlyNode *yaml.Node
	err := l.fields(n, "question", map[string]func(*yaml.Node) error{
		"id":         l.str(&q.ID),
		"number":     l.str(&q.Number),
		"prompt":     l.str(&q.Prompt),
		"help":       l.str(&q.Help),
		"kind":       l.str(&kind),
		"view":       l.str(&view),
		"required":   l.boolean(&q.Required),
		"show_if":    l.cond(&q.ShowIf),
		"max_length": l.positive(&q.MaxLength),
		"max_items":  l.positive(&q.MaxItems),
		"examples":   l.strs(&q.Examples),
		"listing":    l.str(&q.Listing),
		"formerly":   func(v *yaml.Node) error { formerlyNode = v; return nil },
		"options":    func(v *yaml.Node) error { optionsNode = v; return nil },
		"api":        func(v *yaml.Node) error { apiNode = v; return nil },
		"fields":     func(v *yaml.Node) error { fieldsNode = v; return nil },
		"judge":      func(v *yaml.Node) error { judgeNode = v; return nil },
	})
	if err != nil {
		return nil, err
	}
	q.Kind = Kind(kind)
	q.View = View(view)
	switch {
	case !idPattern.MatchString(q.ID):
		return nil, l.errf(n, "a question needs an id of lowercase letters, digits and dashes")
	case q.Prompt == "":
		return nil, l.errf(n, "missing prompt")
	case q.Help == "":
		return nil, l.errf(n, "missing help text: say what the question means and how to decide")
	case kind == "":
		return nil, l.errf(n, "missing kind")
	case !knownKinds[q.Kind]:
		return nil, l.errf(n, "unknown kind %q (known: yesno, tristate, choice, multichoice, text, longtext, url, email, list, dayrange, entities, date)", kind)
	}
	switch {
	case view == "" && c.Level == "app":
		return nil, l.errf(n, "missing view: default or expanded")
	case view != "" && q.View != ViewDefault && q.View != ViewExpanded:
		return nil, l.errf(n, "view must be default or expanded, not %q", view)
	}
	if err := l.options(q, n, optionsNode); err != nil {
		return nil, err
	}
	if err := l.api(q, n, apiNode); err != nil {
		return nil, err
	}
	if err := l.listing(q, n); err != nil {
		return nil, err
	}
	if err := l.formerly(q, formerlyNode); err != nil {
		return nil, err
	}
	if err := l.entityFields(q, n, fieldsNode); err != nil {
		return nil, err
	}
	if err := l.judge(q, judgeNode); err != nil {
		return nil, err
	}
	return q, nil
}

func (l *loader) options(q *Question, n, on *yaml.Node) error {
	if q.Kind == KindList && on == nil {
		return nil // a list's options are optional suggestions
	}
	if !q.Kind.HasOptions() && q.Kind != KindList {
		if on != nil {
			return l.errf(on, "options are only for tristate, choice, multichoice and list questions")
		}
		return nil
	}
	if on == nil || on.Kind != yaml.SequenceNode || len(on.Content) == 0 {
		return l.errf(n, "missing options: a %s question needs a list of {value, label}", q.Kind)
	}
	seen := map[string]bool{}
	for _, o := range on.Content {
		var opt Option
		if err := l.fields(o, "option", map[string]func(*yaml.Node) error{
			"value":    l.str(&opt.Value),
			"label":    l.str(&opt.Label),
			"formerly": l.strs(&opt.Formerly),
		}); err != nil {
			return err
		}
		keys := append([]string{opt.Value}, opt.Formerly...)
		if opt.Value == "" || opt.Label == "" {
			return l.errf(o, "an option needs a value and a label")
		}
		for _, key := range keys {
			if q.Kind == KindTriState {
				key = strings.ToUpper(key)
			}
			if seen[key] {
				return l.errf(o, "duplicate option value %q", key)
			}
			seen[key] = true
		}
		if q.Kind == KindTriState && !triValue(opt.Value) {
			return l.errf(o, "a tristate option's value is true, false or NOT_APPLICABLE, not %q", opt.Value)
		}
		q.Options = append(q.Options, opt)
	}
	if q.Kind != KindMultiChoice && q.Kind != KindList && len(q.Options) < 2 {
		return l.errf(on, "a %s question needs at least two options", q.Kind)
	}
	return nil
}

func (l *loader) api(q *Question, n, an *yaml.Node) error {
	if an == nil {
		return nil
	}
	if q.Kind == KindDayRange {
		if an.Kind != yaml.MappingNode {
			return l.errf(an, "bad API path: a dayrange question maps {min, max, indefinite} to paths")
		}
		if err := l.fields(an, "api", map[string]func(*yaml.Node) error{
			"min":        l.str(&q.API.Min),
			"max":        l.str(&q.API.Max),
			"indefinite": l.str(&q.API.Indefinite),
		}); err != nil {
			return err
		}
		if q.API.Min == "" || q.API.Max == "" {
			return l.errf(an, "bad API path: a dayrange question needs both min and max paths")
		}
	} else {
		if an.Kind != yaml.ScalarNode {
			return l.errf(an, "bad API path: expected a dotted path such as security.securityContact")
		}
		q.API.Path = an.Value
	}
	for _, p := range q.API.paths() {
		if !apiPathPattern.MatchString(p) {
			return l.errf(an, "bad API path %q: expected JSON keys joined by dots, such as security.securityContact", p)
		}
	}
	return nil
}

func (l *loader) entityFields(q *Question, n, fn *yaml.Node) error {
	if q.Kind != KindEntities {
		if fn != nil {
			return l.errf(fn, "fields are only for entities questions")
		}
		return nil
	}
	if fn == nil || fn.Kind != yaml.SequenceNode || len(fn.Content) == 0 {
		return l.errf(n, "missing fields: an entities question needs a list of fields")
	}
	for _, f := range fn.Content {
		field := Field{Required: true}
		var kind string
		if err := l.fields(f, "field", map[string]func(*yaml.Node) error{
			"id":         l.str(&field.ID),
			"label":      l.str(&field.Label),
			"help":       l.str(&field.Help),
			"kind":       l.str(&kind),
			"key":        l.str(&field.Key),
			"required":   l.boolean(&field.Required),
			"max_length": l.positive(&field.MaxLength),
		}); err != nil {
			return err
		}
		field.Kind = Kind(kind)
		switch {
		case !idPattern.MatchString(field.ID) || field.Label == "":
			return l.errf(f, "a field needs an id and a label")
		case !entityFieldKinds[field.Kind]:
			return l.errf(f, "field %s: kind must be text, url, email or list, not %q", field.ID, kind)
		case !jsonKeyPattern.MatchString(field.Key):
			return l.errf(f, "field %s: bad API path: key must be one JSON key, not %q", field.ID, field.Key)
		case q.Field(field.ID) != nil || q.Field(field.Key) != nil:
			return l.errf(f, "duplicate field %s", field.ID)
		}
		q.Fields = append(q.Fields, field)
	}
	return nil
}

// fields walks a mapping node, calling the handler for each key and refusing unknown keys.
func (l *loader) fields(n *yaml.Node, what string, handlers map[string]func(*yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return l.errf(n, "expected a %s (a mapping of key: value)", what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		h, ok := handlers[k.Value]
		if !ok {
			return l.errf(k, "unknown key %q in %s", k.Value, what)
		}
		if seen[k.Value] {
			return l.errf(k, "key %q is given twice", k.Value)
		}
		seen[k.Value] = true
		if err := h(v); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) str(dst *string) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if n.Kind != yaml.ScalarNode {
			return l.errf(n, "expected text")
		}
		*dst = strings.TrimSpace(n.Value)
		return nil
	}
}

func (l *loader) strs(dst *[]string) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if n.Kind != yaml.SequenceNode {
			return l.errf(n, "expected a list of text")
		}
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return l.errf(item, "expected text")
			}
			*dst = append(*dst, item.Value)
		}
		return nil
	}
}

func (l *loader) boolean(dst *bool) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return l.errf(n, "expected true or false")
		}
		*dst = n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
		return nil
	}
}

func (l *loader) positive(dst *int) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		v, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil || v <= 0 {
			return l.errf(n, "expected a whole number above zero")
		}
		*dst = v
		return nil
	}
}
