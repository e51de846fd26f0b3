package action

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/tui/fields"
)

func init() { fields.SearchDelay = 0 }

// TestTransitionScreenFieldEditors: a Done screen that also asks for a
// required reviewer (a person found by searching Jira) and a required
// multi-version field: the form opens tui/fields' editors for them, refuses to
// send without them, and sends each value in the flavour's shape
// through EncodeChanges (fakejira stores them only if all is well).
func TestTransitionScreenFieldEditors(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			if err := s.srv.SetOnDoneScreen("Reviewer", true, false); err != nil {
				t.Fatal(err)
			}
			if err := s.srv.SetOnDoneScreen("Found in", true, false); err != nil {
				t.Fatal(err)
			}
			is := s.issues(t, 1, "In Progress")[0]
			r := newRunner(t, NewTransition(s.c, is), 100, 30)
			r.typ("done")
			r.keys("enter")
			r.wantPhase("form")
			m := r.o.(*Transition)
			rev := m.form.field(reviewerID(t, m))
			if rev == nil || rev.kind != kindEditor {
				t.Fatalf("no reviewer editor:\n%s", r.screen())
			}
			r.keys("enter") // the first resolution
			posts := s.count("POST", "/transitions")
			r.keys("ctrl+s")
			if s.count("POST", "/transitions") != posts || rev.err != "required" {
				t.Fatalf("sent without the reviewer (err %q):\n%s", rev.err, r.screen())
			}
			focus(t, r, m, "Reviewer")
			r.keys("space")
			r.typ("grac")
			if !strings.Contains(r.screen(), "Grace Hopper") {
				t.Fatalf("no search result:\n%s", r.screen())
			}
			r.keys("enter")
			focus(t, r, m, "Found in")
			r.keys("space")
			r.typ("1.3")
			r.keys("tab", "enter")
			r.keys("ctrl+s")
			if !r.closed {
				t.Fatalf("not sent:\n%s", r.screen())
			}
			if sn := s.snap(t, is.Key); sn.Status != "Done" {
				t.Fatalf("status %q", sn.Status)
			}
			got, _ := s.srv.CustomValues(is.Key)
			if got["Reviewer"] != "grace" || got["Found in"] != "v1.3.0" {
				t.Errorf("Jira has reviewer %q, found in %q", got["Reviewer"], got["Found in"])
			}
		})
	}
}

// focus tabs to the form's field named name.
func focus(t *testing.T, r *runner, m *Transition, name string) {
	t.Helper()
	for range 10 {
		r.keys("shift+tab") // to the top (the focus does not wrap)
	}
	for range 10 {
		if m.form.focused().meta.Name == name {
			return
		}
		r.keys("tab")
	}
	t.Fatalf("no field %q:\n%s", name, r.screen())
}

func reviewerID(t *testing.T, m *Transition) string {
	for id, f := range m.chosen.Fields {
		if f.Name == "Reviewer" {
			return id
		}
	}
	t.Fatal("no Reviewer on the screen")
	return ""
}

// TestTransitionEditorGolden: the people editor open in a transition form.
func TestTransitionEditorGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		name := map[int]string{80: "80x24", 120: "120x40"}[sz[0]]
		t.Run(name, func(t *testing.T) {
			s := startSite(t, "cloud")
			if err := s.srv.SetOnDoneScreen("Reviewer", true, false); err != nil {
				t.Fatal(err)
			}
			is := s.issues(t, 1, "In Progress")[0]
			r := newRunner(t, NewTransition(s.c, is), sz[0], sz[1])
			r.typ("done")
			r.keys("enter", "enter")
			m := r.o.(*Transition)
			focus(t, r, m, "Reviewer")
			r.keys("space")
			r.typ("ra")
			golden.RequireEqual(t, r.screen())
		})
	}
}
