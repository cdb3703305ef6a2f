package questionnaire

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pstab/pstab/assets"
)

var (
	loadOnce    sync.Once
	builtinPS   *Catalogue
	builtinSSA  *Catalogue
	builtinErr  error
	builtinYAML string
)

func loadBuiltins() {
	data, err := assets.Read(assets.PrivacySecurity)
	if err != nil {
		builtinErr = err
		return
	}
	builtinYAML = string(data)
	if builtinPS, builtinErr = Load(assets.PrivacySecurity, data); builtinErr != nil {
		return
	}
	data, err = assets.Read(assets.SelfAssessment)
	if err != nil {
		builtinErr = err
		return
	}
	builtinSSA, builtinErr = Load(assets.SelfAssessment, data)
}

// ps returns the built-in Privacy & Security catalogue, loaded once for all tests.
func ps(t testing.TB) *Catalogue {
	t.Helper()
	loadOnce.Do(loadBuiltins)
	if builtinErr != nil {
		t.Fatalf("built-in catalogue: %v", builtinErr)
	}
	return builtinPS
}

// ssa returns the built-in Security Self-Assessment catalogue.
func ssa(t testing.TB) *Catalogue {
	t.Helper()
	loadOnce.Do(loadBuiltins)
	if builtinErr != nil {
		t.Fatalf("built-in catalogue: %v", builtinErr)
	}
	return builtinSSA
}

// psYAML returns the text of the built-in Privacy & Security catalogue.
func psYAML(t testing.TB) string {
	ps(t)
	return builtinYAML
}

var (
	yes = Bool(true)
	no  = Bool(false)
)

// ans builds answers from a map, copying it so that cases do not share state.
func ans(m map[string]Value) Answers {
	a := NewAnswers()
	for id, v := range m {
		a.Values[id] = v.Clone()
	}
	return a
}

// with returns a copy of a with the given answers set (an empty Value removes one).
func with(a Answers, m map[string]Value) Answers {
	out := a.Clone()
	for id, v := range m {
		out.Set(id, v.Clone())
	}
	return out
}

// entity builds one sub-processor record from JSON keys to values.
func entity(fields map[string]Value) Entity {
	return Entity{Fields: fields}
}

// readTestdata reads a file under testdata/.
func readTestdata(t testing.TB, parts ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// decode reads a payload with the built-in catalogue, failing the test on error.
func decode(t testing.TB, data []byte) (Answers, Shape) {
	t.Helper()
	a, shape, err := ps(t).DecodePayload(data)
	if err != nil {
		t.Fatalf("DecodePayload: %v", err)
	}
	return a, shape
}
