package fields

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

var flavors = []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter}

// pick opens the field named name by typing it into the filter.
func pick(t *testing.T, r *runner, name string) {
	t.Helper()
	r.TypeText(name)
	e := r.O.(*Edit)
	fs := e.shownFields()
	for i, f := range fs {
		if f.Name == name {
			for range i {
				r.Keys("down")
			}
			r.Keys("enter")
			return
		}
	}
	t.Fatalf("field %q not offered:\n%s", name, r.View())
}

// edit is one field edited through its editor: text typed over the
// current value, or values chosen by filter (multi: each toggled).
type edit struct {
	field  string
	text   string   // text editors
	choose []string // choice editors: filter texts; for cascading, parent then child
	want   string   // fakejira.CustomValues[field] after
}

func (e edit) run(t *testing.T, r *runner) {
	t.Helper()
	pick(t, r, e.field)
	ed := r.O.(*Edit).ed
	switch {
	case ed.step == stepText:
		r.Keys("ctrl+u")
		r.TypeText(e.text)
		r.Keys("enter")
	case multi(ed.field.Kind()):
		// Drop what is chosen, choose the wanted ones.
		for id := range ed.chosen {
			ed.chosen[id] = false
		}
		for _, c := range e.choose {
			r.Keys("ctrl+u")
			r.TypeText(c)
			r.Keys("tab")
		}
		r.Keys("enter")
	default:
		for _, c := range e.choose {
			r.Keys("ctrl+u")
			r.TypeText(c)
			r.Keys("enter")
		}
	}
}

// TestEditEveryType: each field type edited through its editor is stored
// by Jira as meant (fakejira decodes the wire form of each flavour), and
// the issue read back is handed to the root.
func TestEditEveryType(t *testing.T) {
	edits := []edit{
		{field: "Customer", text: "Umbrella Corp", want: "Umbrella Corp"},          // text
		{field: "Customer impact", text: "3.5", want: "3.5"},                       // number
		{field: "Story points", text: "5", want: "5"},                              // story points
		{field: "Target start", text: "2026-12-24", want: "2026-12-24"},            // date
		{field: "Deployed at", text: "2026-12-01 10:30", want: "2026-12-01T10:30"}, // datetime (prefix)
		{field: "Tags", text: "alpha beta", want: "alpha, beta"},                   // labels
		{field: "Design doc", text: "https://docs.example.com/x", want: "https://docs.example.com/x"},
		{field: "Acceptance criteria", text: "**Done** when green", want: "Done when green"}, // rich text
		{field: "Severity", choose: []string{"S1"}, want: "S1"},                              // select (prefix)
		{field: "Platforms", choose: []string{"Linux", "Windows"}, want: "Linux, Windows"},   // multi-select
		{field: "Region", choose: []string{"Europe", "Lisbon"}, want: "Europe / Lisbon"},     // cascading
		{field: "Found in", choose: []string{"v1.3.0"}, want: "v1.3.0"},                      // versions
	}
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			for _, e := range edits {
				if e.field == "Story points" {
					// Each flavour's own name for it.
					e.field = map[string]string{fakejira.FlavorCloud: "Story point estimate", fakejira.FlavorDataCenter: "Story Points"}[fl]
				}
				r := newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
				e.run(t, r)
				got, _ := s.Srv.CustomValues("JIF-2")
				stored := got[e.field]
				if e.field != "Customer" && strings.HasPrefix(e.field, "Story ") {
					stored = got["Story points"]
				}
				if !strings.HasPrefix(stored, e.want) {
					t.Errorf("%s: Jira has %q, want %q\n%s", e.field, stored, e.want, r.View())
					continue
				}
				c, ok := last[common.IssueConfirmedMsg](r)
				if !ok || c.Issue == nil || !r.Closed {
					t.Errorf("%s: no read-back, or still open", e.field)
				}
			}
		})
	}
}

// TestEditSystemFields: fix versions and priority, system fields, through
// the same editors.
func TestEditSystemFields(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			r := newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
			edit{field: "Priority", choose: []string{"Lowest"}}.run(t, r)
			if snap, _ := s.Srv.Issue("JIF-2"); snap.Priority != "Lowest" {
				t.Errorf("priority %q", snap.Priority)
			}
			r = newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
			edit{field: "Fix versions", choose: []string{"v1.3.0"}}.run(t, r)
			is := s.Issue(t, "JIF-2")
			if got := is.Values["fixVersions"].Format(); got != "v1.3.0" {
				t.Errorf("fix versions %q\n%s", got, r.View())
			}
		})
	}
}

// TestEditRefusals: a value jiffy can tell is wrong is refused beside the
// field with no request; Jira's own per-field error shows beside the
// field and the draft stays.
func TestEditRefusals(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	r := newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
	pick(t, r, "Customer impact")
	r.Keys("ctrl+u")
	r.TypeText("lots")
	r.Keys("enter")
	if v := r.View(); !strings.Contains(v, "not a number") || s.Count("PUT", "/JIF-2") != 0 {
		t.Errorf("bad number sent or not explained:\n%s", v)
	}
	r = newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
	pick(t, r, "Design doc")
	r.Keys("ctrl+u")
	r.TypeText("not a url")
	r.Keys("enter")
	v := r.View()
	if s.Count("PUT", "/JIF-2") != 1 || !strings.Contains(v, "✗") || !strings.Contains(v, "not a url") || r.Closed {
		t.Errorf("Jira's field error not shown beside the kept draft:\n%s", v)
	}
}

// TestEditGolden: the field picker and a choice editor.
func TestEditGolden(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	is := s.Issue(t, "JIF-2")
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		n := map[int]string{80: "80x24", 120: "120x40"}[sz[0]]
		t.Run("picker/"+n, func(t *testing.T) {
			golden.RequireEqual(t, newRunner(t, New(s.C, is), sz[0], sz[1]).View())
		})
		t.Run("multi/"+n, func(t *testing.T) {
			r := newRunner(t, New(s.C, is), sz[0], sz[1])
			pick(t, r, "Platforms")
			golden.RequireEqual(t, r.View())
		})
		t.Run("text/"+n, func(t *testing.T) {
			r := newRunner(t, New(s.C, is), sz[0], sz[1])
			pick(t, r, "Target start")
			golden.RequireEqual(t, r.View())
		})
	}
}
