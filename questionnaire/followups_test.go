package questionnaire

import "testing"

// followUpCase is one follow-up rule: with the reveal answers the targets are shown; with
// the hide changes applied on top, they are hidden again.
type followUpCase struct {
	name    string
	reveal  map[string]Value
	hide    map[string]Value // applied on top of reveal; an empty Value clears an answer
	targets []string
}

// allData answers every question of the data sections, so that hiding the gate can be seen
// to hide answered questions, not only unanswered ones.
var dataAnswers = map[string]Value{
	"stores-eud":                 yes,
	"stored-data-types":          List("Issue keys"),
	"processes-eud":              yes,
	"same-data-processed-stored": no,
	"processed-data-types":       List("Comment text"),
	"shares-eud":                 yes,
	"sub-processors": {Entities: []Entity{entity(map[string]Value{
		"name": Text("Amazon Web Services, Inc."), "purpose": Text("Hosting")})}},
	"data-residency":          Text("STORED_EXTERNAL_TO_ATLASSIAN"),
	"residency-locations":     List("EU", "US"),
	"residency-data-types":    List("Issue content"),
	"residency-migration":     yes,
	"retains-after-uninstall": yes,
	"retention-period":        Days(0, 30),
	"custom-retention":        no,
}

func merge(ms ...map[string]Value) map[string]Value {
	out := map[string]Value{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// askedOfEveryApp are the questions of the third-party, residency and retention sections
// that the store and process answers do not gate: the seed's rule ("no further
// data-related questions") hides the data types, and an app that keeps nothing outside
// Atlassian still answers where its data lives and how long it stays.
var askedOfEveryApp = []string{"shares-eud", "data-residency", "retains-after-uninstall", "custom-retention"}

var psFollowUps = []followUpCase{
	{
		name:    "both store and process No hide the data types only",
		reveal:  dataAnswers,
		hide:    map[string]Value{"stores-eud": no, "processes-eud": no},
		targets: []string{"stored-data-types", "same-data-processed-stored", "processed-data-types"},
	},
	{
		name:    "stored data types follow stores Yes",
		reveal:  map[string]Value{"stores-eud": yes, "stored-data-types": List("Issue keys")},
		hide:    map[string]Value{"stores-eud": no},
		targets: []string{"stored-data-types"},
	},
	{
		name:    "stored data types hide again when stores is cleared",
		reveal:  map[string]Value{"stores-eud": yes},
		hide:    map[string]Value{"stores-eud": {}},
		targets: []string{"stored-data-types"},
	},
	{
		name:    "same-data checkbox needs stores Yes and processes Yes (processes No)",
		reveal:  map[string]Value{"stores-eud": yes, "processes-eud": yes},
		hide:    map[string]Value{"processes-eud": no},
		targets: []string{"same-data-processed-stored"},
	},
	{
		name:    "same-data checkbox needs stores Yes and processes Yes (stores No)",
		reveal:  map[string]Value{"stores-eud": yes, "processes-eud": yes},
		hide:    map[string]Value{"stores-eud": no},
		targets: []string{"same-data-processed-stored"},
	},
	{
		name:    "same-data checkbox hides when processes is unanswered",
		reveal:  map[string]Value{"stores-eud": yes, "processes-eud": yes},
		hide:    map[string]Value{"processes-eud": {}},
		targets: []string{"same-data-processed-stored"},
	},
	{
		name:    "processed data types follow processes Yes",
		reveal:  map[string]Value{"processes-eud": yes},
		hide:    map[string]Value{"processes-eud": no},
		targets: []string{"processed-data-types"},
	},
	{
		name:    "processed data types hide when the same-data checkbox is ticked",
		reveal:  map[string]Value{"stores-eud": yes, "processes-eud": yes, "same-data-processed-stored": no},
		hide:    map[string]Value{"same-data-processed-stored": yes},
		targets: []string{"processed-data-types"},
	},
	{
		name: "a ticked same-data checkbox stops counting once stores turns No",
		// The checkbox is hidden by stores = No, so it counts as unanswered and the list of
		// processed data types comes back: the reveal is driven by the grandparent.
		reveal:  map[string]Value{"stores-eud": no, "processes-eud": yes, "same-data-processed-stored": yes},
		hide:    map[string]Value{"stores-eud": yes},
		targets: []string{"processed-data-types"},
	},
	{
		name:    "log follow-ups follow logs Yes",
		reveal:  map[string]Value{"logs-eud": yes, "logs-shared": yes},
		hide:    map[string]Value{"logs-eud": no},
		targets: []string{"logs-outside-atlassian", "logs-shared", "logs-sharing-integral"},
	},
	{
		name:    "log sharing integral follows logs shared Yes",
		reveal:  map[string]Value{"logs-eud": yes, "logs-shared": yes},
		hide:    map[string]Value{"logs-shared": no},
		targets: []string{"logs-sharing-integral"},
	},
	{
		name:    "sub-processors and their list follow shares Yes",
		reveal:  map[string]Value{"stores-eud": yes, "shares-eud": yes},
		hide:    map[string]Value{"shares-eud": no},
		targets: []string{"sub-processors", "sub-processor-list"},
	},
	{
		name:    "sub-processors are asked of an app that stores and processes nothing outside",
		reveal:  map[string]Value{"stores-eud": no, "processes-eud": no, "shares-eud": yes},
		hide:    map[string]Value{"shares-eud": {}},
		targets: []string{"sub-processors", "sub-processor-list"},
	},
	{
		name:    "residency follow-ups follow data stored in Atlassian with residency",
		reveal:  map[string]Value{"data-residency": Text("STORED_IN_ATLASSIAN_N_DR_SUPPORTED")},
		hide:    map[string]Value{"data-residency": Text("STORED_IN_ATLASSIAN_N_DR_NOT_SUPPORTED")},
		targets: []string{"residency-locations", "residency-data-types", "residency-migration"},
	},
	{
		name:    "residency follow-ups follow data stored outside Atlassian with residency",
		reveal:  map[string]Value{"data-residency": Text("STORED_EXTERNAL_TO_ATLASSIAN")},
		hide:    map[string]Value{"data-residency": Text("APP_DOES_NOT_SUPPORT_DR")},
		targets: []string{"residency-locations", "residency-data-types", "residency-migration"},
	},
	{
		name:    "residency follow-ups follow the value earlier catalogues wrote for outside Atlassian",
		reveal:  map[string]Value{"data-residency": Text("STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED")},
		hide:    map[string]Value{"data-residency": Text("NOT_APPLICABLE")},
		targets: []string{"residency-locations", "residency-data-types", "residency-migration"},
	},
	{
		name:    "residency follow-ups hide for an unknown residency value",
		reveal:  map[string]Value{"data-residency": Text("STORED_IN_ATLASSIAN_N_DR_SUPPORTED")},
		hide:    map[string]Value{"data-residency": Text("SOMETHING_NEW")},
		targets: []string{"residency-locations", "residency-data-types", "residency-migration"},
	},
	{
		name:    "retention period follows retains Yes",
		reveal:  map[string]Value{"retains-after-uninstall": yes, "retention-period": Days(0, 30)},
		hide:    map[string]Value{"retains-after-uninstall": no},
		targets: []string{"retention-period"},
	},
	{
		name:    "PETs list follows uses PETs Yes",
		reveal:  map[string]Value{"uses-pets": yes, "pets": List("Pseudonymisation")},
		hide:    map[string]Value{"uses-pets": no},
		targets: []string{"pets"},
	},
	{
		name:    "GDPR controller data types follow true",
		reveal:  map[string]Value{"gdpr-controller": Text("true")},
		hide:    map[string]Value{"gdpr-controller": Text("FALSE")},
		targets: []string{"gdpr-controller-data-types"},
	},
	{
		name:    "CCPA business data types follow true",
		reveal:  map[string]Value{"ccpa-business": Text("TRUE")},
		hide:    map[string]Value{"ccpa-business": Text(NotApplicable)},
		targets: []string{"ccpa-business-data-types"},
	},
	{
		name:    "DPA link follows DPA Yes",
		reveal:  map[string]Value{"dpa": yes},
		hide:    map[string]Value{"dpa": Text("false")},
		targets: []string{"dpa-link"},
	},
	{
		name:    "CAIQ-Lite link follows completed Yes",
		reveal:  map[string]Value{"caiq-lite": yes},
		hide:    map[string]Value{"caiq-lite": no},
		targets: []string{"caiq-lite-link"},
	},
	{
		name:    "GDPR processor data types follow TRUE",
		reveal:  map[string]Value{"gdpr-processor": Text("TRUE")},
		hide:    map[string]Value{"gdpr-processor": Text("FALSE")},
		targets: []string{"gdpr-processor-data-types"},
	},
	{
		name:    "GDPR processor data types follow the spelling true",
		reveal:  map[string]Value{"gdpr-processor": Text("true")},
		hide:    map[string]Value{"gdpr-processor": Text("NOT_APPLICABLE")},
		targets: []string{"gdpr-processor-data-types"},
	},
	{
		name:    "GDPR processor data types follow a JSON boolean",
		reveal:  map[string]Value{"gdpr-processor": yes},
		hide:    map[string]Value{"gdpr-processor": no},
		targets: []string{"gdpr-processor-data-types"},
	},
	{
		name:    "CCPA service provider data types follow TRUE",
		reveal:  map[string]Value{"ccpa-service-provider": Text("TRUE")},
		hide:    map[string]Value{"ccpa-service-provider": Text("not_applicable")},
		targets: []string{"ccpa-service-provider-data-types"},
	},
	{
		name:    "CCPA service provider data types follow the spelling True",
		reveal:  map[string]Value{"ccpa-service-provider": Text("True")},
		hide:    map[string]Value{"ccpa-service-provider": Text("False")},
		targets: []string{"ccpa-service-provider-data-types"},
	},
	{
		name:    "CCPA service provider data types follow a JSON boolean",
		reveal:  map[string]Value{"ccpa-service-provider": yes},
		hide:    map[string]Value{"ccpa-service-provider": no},
		targets: []string{"ccpa-service-provider-data-types"},
	},
	{
		name:    "EEA mechanism question follows transfers Yes",
		reveal:  map[string]Value{"eea-transfer": yes},
		hide:    map[string]Value{"eea-transfer": no},
		targets: []string{"eea-mechanism-in-place"},
	},
	{
		name:    "EEA mechanism name follows mechanism in place Yes",
		reveal:  map[string]Value{"eea-transfer": yes, "eea-mechanism-in-place": yes},
		hide:    map[string]Value{"eea-mechanism-in-place": no},
		targets: []string{"eea-mechanism"},
	},
	{
		name: "hiding the EEA transfer hides the mechanism and its name (two levels)",
		reveal: map[string]Value{"eea-transfer": yes, "eea-mechanism-in-place": yes,
			"eea-mechanism": Text("EU Standard Contractual Clauses (2021)")},
		hide:    map[string]Value{"eea-transfer": no},
		targets: []string{"eea-mechanism-in-place", "eea-mechanism"},
	},
	{
		name:    "certifications follow has certifications Yes",
		reveal:  map[string]Value{"has-certifications": yes, "certifications": List("SOC2")},
		hide:    map[string]Value{"has-certifications": no},
		targets: []string{"certifications"},
	},
}

var ssaFollowUps = []followUpCase{
	{name: "1a controls and 1b jurisdictions follow 1a Yes", reveal: map[string]Value{"ssa-1a": yes},
		hide: map[string]Value{"ssa-1a": no}, targets: []string{"ssa-1a-controls", "ssa-1b"}},
	{name: "2 controls follow 2 Yes", reveal: map[string]Value{"ssa-2": yes},
		hide: map[string]Value{"ssa-2": no}, targets: []string{"ssa-2-controls"}},
	{name: "3 details follow 3 Yes", reveal: map[string]Value{"ssa-3": yes},
		hide: map[string]Value{"ssa-3": no}, targets: []string{"ssa-3-details"}},
	{name: "5 details follow 5 Yes", reveal: map[string]Value{"ssa-5": yes},
		hide: map[string]Value{"ssa-5": no}, targets: []string{"ssa-5-details"}},
	{name: "6 standards follow 6 Yes", reveal: map[string]Value{"ssa-6": yes},
		hide: map[string]Value{"ssa-6": no}, targets: []string{"ssa-6-standards"}},
	{name: "7 details follow 7 Yes", reveal: map[string]Value{"ssa-7": yes},
		hide: map[string]Value{"ssa-7": no}, targets: []string{"ssa-7-details"}},
	{name: "8 details follow 8 Yes", reveal: map[string]Value{"ssa-8": yes},
		hide: map[string]Value{"ssa-8": no}, targets: []string{"ssa-8-details"}},
	{name: "9 controls follow 9 Yes", reveal: map[string]Value{"ssa-9": yes},
		hide: map[string]Value{"ssa-9": no}, targets: []string{"ssa-9-controls"}},
	{name: "11 URL follows 11 Yes", reveal: map[string]Value{"ssa-11": yes},
		hide: map[string]Value{"ssa-11": no}, targets: []string{"ssa-11-url"}},
	{name: "11 process follows 11 No", reveal: map[string]Value{"ssa-11": no},
		hide: map[string]Value{"ssa-11": yes}, targets: []string{"ssa-11-process"}},
	{name: "12 details follow 12 Yes", reveal: map[string]Value{"ssa-12": yes},
		hide: map[string]Value{"ssa-12": no}, targets: []string{"ssa-12-details"}},
	{name: "13 backups and process follow 13 Yes", reveal: map[string]Value{"ssa-13": yes},
		hide: map[string]Value{"ssa-13": no}, targets: []string{"ssa-13-backups", "ssa-13-process"}},
}

func runFollowUps(t *testing.T, c *Catalogue, cases []followUpCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			revealed := ans(tc.reveal)
			vis := c.Visible(revealed)
			for _, id := range tc.targets {
				if c.Question(id) == nil {
					t.Fatalf("no question %s in the catalogue", id)
				}
				if !vis.ShowsID(id) {
					t.Errorf("revealed: %s is hidden, want shown", id)
				}
			}
			hidden := with(revealed, tc.hide)
			vis = c.Visible(hidden)
			for _, id := range tc.targets {
				if vis.ShowsID(id) {
					t.Errorf("after the change: %s is shown, want hidden", id)
				}
				// The partner may flip the answer back: a hidden answer is kept.
				if want, had := revealed.Values[id]; had {
					if got, ok := hidden.Values[id]; !ok || !c.Question(id).Same(got, want) {
						t.Errorf("after the change: the answer to %s was dropped", id)
					}
				}
			}
			// And changing it back shows them again.
			back := with(hidden, tc.reveal)
			vis = c.Visible(back)
			for _, id := range tc.targets {
				if !vis.ShowsID(id) {
					t.Errorf("changed back: %s is hidden, want shown", id)
				}
			}
		})
	}
}

func TestFollowUpsPrivacySecurity(t *testing.T) { runFollowUps(t, ps(t), psFollowUps) }

// The other way round: whatever the store and process answers, third parties, residency
// and retention are asked, and answers there are shown (and sent).
func TestStoreAndProcessDoNotGateTheRest(t *testing.T) {
	c := ps(t)
	for _, store := range []Value{yes, no, {}} {
		for _, process := range []Value{yes, no, {}} {
			a := ans(merge(dataAnswers, map[string]Value{"stores-eud": store, "processes-eud": process}))
			a.Set("stores-eud", store)
			a.Set("processes-eud", process)
			vis := c.Visible(a)
			for _, id := range append(askedOfEveryApp, "sub-processors", "residency-locations", "retention-period") {
				if !vis.ShowsID(id) {
					t.Errorf("stores %s, processes %s: %s is hidden", c.Question("stores-eud").Display(store),
						c.Question("processes-eud").Display(process), id)
				}
			}
		}
	}
}

func TestFollowUpsSelfAssessment(t *testing.T) { runFollowUps(t, ssa(t), ssaFollowUps) }

// TestEveryFollowUpRuleIsTested fails when the catalogue gains a show_if that no case above
// covers, so that a new rule cannot go untested.
func TestEveryFollowUpRuleIsTested(t *testing.T) {
	for _, tc := range []struct {
		c     *Catalogue
		cases []followUpCase
	}{{ps(t), psFollowUps}, {ssa(t), ssaFollowUps}} {
		covered := map[string]bool{}
		for _, fc := range tc.cases {
			for _, id := range fc.targets {
				covered[id] = true
			}
		}
		for _, q := range tc.c.Questions {
			conditional := q.ShowIf != nil || q.Section.ShowIf != nil
			if conditional && !covered[q.ID] {
				t.Errorf("%s: question %s has a follow-up rule that no case tests", tc.c.ID, q.ID)
			}
			if !conditional && covered[q.ID] {
				t.Errorf("%s: question %s is in a follow-up case but has no rule", tc.c.ID, q.ID)
			}
		}
	}
}
