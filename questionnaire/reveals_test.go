package questionnaire

import (
	"slices"
	"testing"
)

// Reveals names the follow-ups one change brought in and took away, and nothing else.
func TestReveals(t *testing.T) {
	c := ps(t)
	ids := func(qs []*Question) []string {
		var out []string
		for _, q := range qs {
			out = append(out, q.ID)
		}
		return out
	}
	no, yes := NewAnswers(), NewAnswers()
	no.Set("logs-eud", Bool(false))
	yes.Set("logs-eud", Bool(true))

	r := c.Reveals(no, yes)
	for _, want := range []string{"logs-outside-atlassian", "logs-shared"} {
		if !slices.Contains(ids(r.Shown), want) {
			t.Errorf("No -> Yes on logs-eud: shown %v, want it to hold %s", ids(r.Shown), want)
		}
	}
	if len(r.Hidden) != 0 {
		t.Errorf("No -> Yes on logs-eud hid %v", ids(r.Hidden))
	}

	back := c.Reveals(yes, no)
	if !slices.Equal(ids(back.Hidden), ids(r.Shown)) || len(back.Shown) != 0 {
		t.Errorf("Yes -> No should hide exactly what No -> Yes showed: hidden %v, shown %v", ids(back.Hidden), ids(back.Shown))
	}
	if same := c.Reveals(yes, yes); len(same.Shown)+len(same.Hidden) != 0 {
		t.Errorf("no change revealed %v and hid %v", ids(same.Shown), ids(same.Hidden))
	}
}
