package questionnaire

import "testing"

// fullAnswers is the full golden answer set, with its answers the API does not carry.
func fullAnswers(b *testing.B) Answers {
	b.Helper()
	a, _ := decode(b, readTestdata(b, "answers", "full.json"))
	for _, set := range answerSets {
		if set.name == "full" {
			for id, v := range set.local {
				a.Set(id, v)
			}
		}
	}
	return a
}

// BenchmarkVisibleValidate is what the wizard does on every keystroke: decide which
// questions are shown, then check every shown answer and count progress.
func BenchmarkVisibleValidate(b *testing.B) {
	c, a := ps(b), fullAnswers(b)
	b.ReportAllocs()
	for b.Loop() {
		vis := c.Visible(a)
		if ps := c.validate(a, vis); len(ps) != 0 {
			b.Fatal(messages(ps))
		}
		if p := c.progress(a, vis); !p.Complete() {
			b.Fatal("incomplete")
		}
	}
}

func BenchmarkEncodePayload(b *testing.B) {
	c, a := ps(b), fullAnswers(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.EncodePayload(a, ShapeV2Put); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePayload(b *testing.B) {
	c, data := ps(b), readTestdata(b, "answers", "full.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.DecodePayload(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	c, a := ps(b), fullAnswers(b)
	b.ReportAllocs()
	for b.Loop() {
		if md := c.Markdown(a, MarkdownOptions{Views: ViewsAll}); len(md) == 0 {
			b.Fatal("empty")
		}
	}
}
