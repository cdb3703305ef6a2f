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
		b.WriteString("question " + e.Question + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	apiPathPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	jsonKeyPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

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
	c, err := l.load(data)
	if err != nil {
		var ce *CatalogueError
		if errors.As(err, &ce) {
			return nil, ce
		}
		return nil, &CatalogueError{File: name, Msg: err.Error()}
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
	if len(doc.Content) == 0 {
		return nil, l.errf(&doc, "the file is empty")
	}
	root := doc.Content[0]
	c := &Catalogue{Source: l.file, byID: map[string]*Question{}}
	var sectionsNode, checksNode, renewalNode *yaml.Node
	err := l.fields(root, "catalogue", map[string]func(*yaml.Node) error{
		"id":       l.str(&c.ID),
		"title":    l.str(&c.Title),
		"level":    l.str(&c.Level),
		"version":  l.str(&c.Version),
		"sections": func(n *yaml.Node) error { sectionsNode = n; return nil },
		"checks":   func(n *yaml.Node) error { checksNode = n; return nil },
		"renewal":  func(n *yaml.Node) error { renewalNode = n; return nil },
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
	var optionsNode, apiNode, fieldsNode, judgeNode *yaml.Node
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
	if err := l.entityFields(q, n, fieldsNode); err != nil {
		return nil, err
	}
	if err := l.judge(q, judgeNode); err != nil {
		return nil, err
	}
	return q, nil
}

func (l *loader) options(q *Question, n, on *yaml.Node) error {
	if !q.Kind.HasOptions() {
		if on != nil {
			return l.errf(on, "options are only for tristate, choice and multichoice questions")
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
			"value": l.str(&opt.Value),
			"label": l.str(&opt.Label),
		}); err != nil {
			return err
		}
		key := opt.Value
		if q.Kind == KindTriState {
			key = strings.ToUpper(key)
		}
		switch {
		case opt.Value == "" || opt.Label == "":
			return l.errf(o, "an option needs a value and a label")
		case seen[key]:
			return l.errf(o, "duplicate option value %q", opt.Value)
		}
		seen[key] = true
		q.Options = append(q.Options, opt)
	}
	if q.Kind != KindMultiChoice && len(q.Options) < 2 {
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

func (l *loader) judge(q *Question, jn *yaml.Node) error {
	if jn == nil {
		return nil
	}
	if jn.Kind != yaml.SequenceNode || len(jn.Content) == 0 {
		return l.errf(jn, "judge must be a list of rules")
	}
	for i, rn := range jn.Content {
		var r JudgeRule
		var verdict string
		if err := l.fields(rn, "judge rule", map[string]func(*yaml.Node) error{
			"if":      l.cond(&r.If),
			"verdict": l.str(&verdict),
			"because": l.str(&r.Because),
		}); err != nil {
			return err
		}
		r.Verdict = Verdict(verdict)
		switch {
		case r.Verdict != VerdictPass && r.Verdict != VerdictNeedsDetails && r.Verdict != VerdictFail:
			return l.errf(rn, "verdict must be pass, needs-details or fail, not %q", verdict)
		case r.Verdict != VerdictPass && r.Because == "":
			return l.errf(rn, "a %s verdict needs a because: what the partner should change", verdict)
		case r.If == nil && i != len(jn.Content)-1:
			return l.errf(rn, "a rule without if must be the last one")
		}
		q.Judge = append(q.Judge, r)
	}
	if q.Judge[len(q.Judge)-1].If != nil {
		return l.errf(jn, "the last judge rule must have no if, so every answer gets a verdict")
	}
	return nil
}

// checks reads the readiness checks. Their conditions may name any question.
func (l *loader) checks(c *Catalogue, cn *yaml.Node) error {
	if cn == nil {
		return nil
	}
	if cn.Kind != yaml.SequenceNode {
		return l.errf(cn, "checks must be a list of {id, question, severity, if, message}")
	}
	seen := map[string]int{}
	for _, n := range cn.Content {
		ch := &Check{Line: n.Line, Severity: Advice}
		var qid, severity string
		l.q = ""
		if err := l.fields(n, "check", map[string]func(*yaml.Node) error{
			"id":       l.str(&ch.ID),
			"question": l.str(&qid),
			"severity": l.str(&severity),
			"if":       l.cond(&ch.If),
			"message":  l.str(&ch.Message),
		}); err != nil {
			return err
		}
		switch severity {
		case "", "advice":
		case "blocking":
			ch.Severity = Blocking
		default:
			return l.errf(n, "check %s: severity must be advice or blocking, not %q", ch.ID, severity)
		}
		ch.Question = c.byID[qid]
		switch {
		case !idPattern.MatchString(ch.ID):
			return l.errf(n, "a check needs an id of lowercase letters, digits and dashes")
		case seen[ch.ID] > 0:
			return l.errf(n, "duplicate check ID %s (first defined on line %d)", ch.ID, seen[ch.ID])
		case ch.Question == nil:
			return l.errf(n, "check %s: question %q is not in the catalogue; name the question the partner should change", ch.ID, qid)
		case ch.If == nil:
			return l.errf(n, "check %s needs an if: the condition under which the draft is not ready", ch.ID)
		case ch.Message == "":
			return l.errf(n, "check %s needs a message saying what to change", ch.ID)
		}
		seen[ch.ID] = ch.Line
		c.Checks = append(c.Checks, ch)
	}
	return nil
}

// renewal reads the renewal rule: which date question holds the last approval, how many
// days an approval lasts, and how many days before its end to remind.
func (l *loader) renewal(c *Catalogue, n *yaml.Node) error {
	if n == nil {
		return nil
	}
	l.q = ""
	r := &RenewalRule{EveryDays: 365, RemindDays: 30, Line: n.Line}
	var qid string
	qline := n.Line
	if err := l.fields(n, "renewal", map[string]func(*yaml.Node) error{
		"question":    func(v *yaml.Node) error { qline = v.Line; return l.str(&qid)(v) },
		"every_days":  l.positive(&r.EveryDays),
		"remind_days": l.positive(&r.RemindDays),
	}); err != nil {
		return err
	}
	r.Question = c.byID[qid]
	switch {
	case qid == "":
		return l.errf(n, "renewal needs a question: the date question that holds the last approval")
	case r.Question == nil:
		return &CatalogueError{File: l.file, Line: qline, Msg: fmt.Sprintf("renewal: question %q is not in the catalogue", qid)}
	case r.Question.Kind != KindDate:
		return &CatalogueError{File: l.file, Line: qline, Msg: fmt.Sprintf("renewal: question %s is a %s question; the renewal needs a date question (kind: date), defined on line %d", qid, r.Question.Kind, r.Question.Line)}
	case r.RemindDays >= r.EveryDays:
		return l.errf(n, "renewal: remind_days (%d) must be fewer than every_days (%d)", r.RemindDays, r.EveryDays)
	}
	c.RenewalRule = r
	return nil
}

// checkReferences checks every condition: show_if may name only earlier questions; judge
// rules may name any question; literals must suit the kind of the question they test.
func (l *loader) checkReferences(c *Catalogue) error {
	check := func(owner string, cond *Condition, before int) error {
		var err error
		cond.leaves(func(leaf *Condition) {
			if err != nil {
				return
			}
			l.q = owner
			target := c.byID[leaf.Question]
			switch {
			case target == nil:
				err = &CatalogueError{File: l.file, Line: leaf.Line, Question: owner,
					Msg: fmt.Sprintf("condition refers to unknown question %q", leaf.Question)}
			case before >= 0 && target.Index >= before:
				err = &CatalogueError{File: l.file, Line: leaf.Line, Question: owner,
					Msg: fmt.Sprintf("condition refers to %s, which does not come earlier; a condition may only depend on earlier questions", leaf.Question)}
			default:
				if msg := literalProblem(target, leaf); msg != "" {
					err = &CatalogueError{File: l.file, Line: leaf.Line, Question: owner, Msg: msg}
				}
			}
		})
		return err
	}
	for _, s := range c.Sections {
		if len(s.Questions) == 0 {
			continue
		}
		if err := check("", s.ShowIf, s.Questions[0].Index); err != nil {
			err.(*CatalogueError).Msg = "section " + s.ID + ": " + err.(*CatalogueError).Msg
			return err
		}
	}
	for _, q := range c.Questions {
		if err := check(q.ID, q.ShowIf, q.Index); err != nil {
			return err
		}
		for _, r := range q.Judge {
			if err := check(q.ID, r.If, -1); err != nil {
				return err
			}
		}
	}
	for _, ch := range c.Checks {
		if err := check("", ch.If, -1); err != nil {
			err.(*CatalogueError).Msg = "check " + ch.ID + ": " + err.(*CatalogueError).Msg
			return err
		}
	}
	return nil
}

// literalProblem says why a test cannot apply to the question it names, or "".
func literalProblem(q *Question, leaf *Condition) string {
	lits := leaf.In
	if leaf.Equals != nil {
		lits = []Literal{*leaf.Equals}
	}
	if len(lits) > 0 && (q.Kind == KindDayRange || q.Kind == KindEntities) {
		return fmt.Sprintf("%s is a %s question; a condition can only test whether it is answered", q.ID, q.Kind)
	}
	for _, lit := range lits {
		switch {
		case q.Kind == KindYesNo && !lit.IsBool:
			return fmt.Sprintf("%s is a yes/no question; compare it with true or false, not %s", q.ID, lit)
		case q.Kind != KindYesNo && q.Kind != KindTriState && lit.IsBool:
			return fmt.Sprintf("%s is a %s question; compare it with a string, not %s", q.ID, q.Kind, lit)
		case q.Kind.HasOptions() && !lit.IsBool && q.Option(lit.Str) == nil:
			return fmt.Sprintf("%s has no option %s (its options are %s)", q.ID, lit, q.optionList())
		}
	}
	return ""
}

// checkAPIPaths refuses two questions writing the same JSON field, or one question's field
// lying inside another's.
func (l *loader) checkAPIPaths(c *Catalogue) error {
	owner := map[string]*Question{}
	for _, q := range c.Questions {
		for _, p := range q.API.paths() {
			if other, dup := owner[p]; dup {
				return &CatalogueError{File: l.file, Line: q.Line, Question: q.ID,
					Msg: fmt.Sprintf("bad API path %q: question %s (line %d) already uses it", p, other.ID, other.Line)}
			}
			owner[p] = q
		}
	}
	for p, q := range owner {
		for parts := strings.Split(p, "."); len(parts) > 1; {
			parts = parts[:len(parts)-1]
			if other, ok := owner[strings.Join(parts, ".")]; ok {
				return &CatalogueError{File: l.file, Line: q.Line, Question: q.ID,
					Msg: fmt.Sprintf("bad API path %q: it lies inside %s, the answer of %s (line %d)", p, other.API.Path, other.ID, other.Line)}
			}
		}
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

func (l *loader) cond(dst **Condition) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		c, err := l.condition(n)
		if err != nil {
			return err
		}
		*dst = c
		return nil
	}
}

const conditionForms = "a condition is {question: ID, equals: V}, {question: ID, in: [V, ...]}, {question: ID, answered: true}, {all: [...]}, {any: [...]} or {not: {...}}"

func (l *loader) condition(n *yaml.Node) (*Condition, error) {
	c := &Condition{Line: n.Line}
	list := func(dst *[]*Condition) func(*yaml.Node) error {
		return func(v *yaml.Node) error {
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				return l.errf(v, "expected a list of conditions")
			}
			for _, item := range v.Content {
				sub, err := l.condition(item)
				if err != nil {
					return err
				}
				*dst = append(*dst, sub)
			}
			return nil
		}
	}
	err := l.fields(n, "condition", map[string]func(*yaml.Node) error{
		"all":      list(&c.All),
		"any":      list(&c.Any),
		"not":      l.cond(&c.Not),
		"question": l.str(&c.Question),
		"equals": func(v *yaml.Node) error {
			lit, err := l.literal(v)
			c.Equals = &lit
			return err
		},
		"in": func(v *yaml.Node) error {
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				return l.errf(v, "in needs a list of values")
			}
			for _, item := range v.Content {
				lit, err := l.literal(item)
				if err != nil {
					return err
				}
				c.In = append(c.In, lit)
			}
			return nil
		},
		"answered": func(v *yaml.Node) error {
			var b bool
			err := l.boolean(&b)(v)
			c.Answered = &b
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	forms := 0
	for _, set := range []bool{c.All != nil, c.Any != nil, c.Not != nil, c.Question != ""} {
		if set {
			forms++
		}
	}
	tests := 0
	for _, set := range []bool{c.Equals != nil, c.In != nil, c.Answered != nil} {
		if set {
			tests++
		}
	}
	switch {
	case forms != 1:
		return nil, l.errf(n, "%s", conditionForms)
	case c.Question != "" && tests != 1:
		return nil, l.errf(n, "a test on question %s needs exactly one of equals, in or answered", c.Question)
	case c.Question == "" && tests != 0:
		return nil, l.errf(n, "%s", conditionForms)
	}
	return c, nil
}

func (l *loader) literal(n *yaml.Node) (Literal, error) {
	if n.Kind != yaml.ScalarNode {
		return Literal{}, l.errf(n, "expected true, false or a string")
	}
	if n.Tag == "!!bool" {
		var b bool
		_ = n.Decode(&b)
		return Literal{IsBool: true, Bool: b}, nil
	}
	return Literal{Str: n.Value}, nil
}
