package action

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

func TestTransitionWithoutScreen(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			is := s.issues(t, 1, "To Do")[0]
			r := newRunner(t, NewTransition(s.c, is), 100, 30)
			r.wantPhase("pick")
			if got := s.count("GET", "/issue/"+is.Key+"/transitions"); got != 1 {
				t.Fatalf("%d transition loads", got)
			}
			if !strings.Contains(r.screen(), "→ In Progress") {
				t.Fatalf("picker:\n%s", r.screen())
			}
			r.typ("progr")
			r.keys("enter")

			patch, ok := last[common.IssuePatchMsg](r)
			if !ok || patch.Key != is.Key {
				t.Fatalf("no optimistic patch: %+v", r.seen)
			}
			if got := patch.Apply(is).Status.Name; got != "In Progress" {
				t.Fatalf("patch shows %q", got)
			}
			conf, ok := last[common.IssueConfirmedMsg](r)
			if !ok || conf.Token != patch.Token || conf.Issue == nil || conf.Issue.Status.Name != "In Progress" {
				t.Fatalf("confirm %+v", conf)
			}
			if !strings.Contains(conf.Note, is.Key+" → In Progress") {
				t.Fatalf("note %q", conf.Note)
			}
			if !r.closed {
				t.Fatal("overlay still open after Jira confirmed")
			}
			if got := s.snap(t, is.Key).Status; got != "In Progress" {
				t.Fatalf("Jira has %q", got)
			}
		})
	}
}

func TestTransitionByNumber(t *testing.T) {
	s := startSite(t, "cloud")
	is := s.issues(t, 1, "To Do")[0]
	r := newRunner(t, NewTransition(s.c, is), 100, 30)
	m := r.o.(*Transition)
	want := m.ts[1]
	r.keys("2")
	if got := s.snap(t, is.Key).Status; got != want.To.Name && !needsForm(want) {
		t.Fatalf("2 moved to %q, want %q", got, want.To.Name)
	}
}

// Keys typed before the transitions arrive are not lost.
func TestTransitionTypeAhead(t *testing.T) {
	s := startSite(t, "datacenter")
	is := s.issues(t, 1, "To Do")[0]
	o := NewTransition(s.c, is)
	o.SetSize(80, 24)
	init := o.(*Transition).Init()
	r := &runner{t: t, o: o}
	r.typ("review")
	r.keys("enter")
	r.wantPhase("loading")
	r.do(init)
	if got := s.snap(t, is.Key).Status; got != "In Review" {
		t.Fatalf("type-ahead moved to %q", got)
	}
}

func TestTransitionWithRequiredResolution(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			is := s.issues(t, 1, "In Progress")[0]
			before := s.snap(t, is.Key).Comments
			r := newRunner(t, NewTransition(s.c, is), 100, 30)
			r.typ("done")
			r.keys("enter")
			r.wantPhase("form")
			sc := r.screen()
			if !strings.Contains(sc, "Resolution *") || !strings.Contains(sc, "Comment") {
				t.Fatalf("form:\n%s", sc)
			}
			m := r.o.(*Transition)
			res := m.form.field("resolution")
			if res == nil || !res.open || len(res.meta.AllowedValues) == 0 {
				t.Fatalf("resolution list not open: %+v", res)
			}
			// Pick the second resolution, write a comment, send.
			r.keys("down", "enter")
			want := valueName(res.meta.AllowedValues[1])
			if res.choice != 1 || res.open {
				t.Fatalf("choice %d open %v", res.choice, res.open)
			}
			r.keys("tab")
			r.typ("Fixed in **build 42**")
			r.keys("ctrl+s")
			if !r.closed {
				t.Fatalf("not closed:\n%s", r.screen())
			}
			sn := s.snap(t, is.Key)
			if sn.Status != "Done" || sn.Resolution != want {
				t.Fatalf("Jira has %q / %q, want Done / %q", sn.Status, sn.Resolution, want)
			}
			if sn.Comments != before+1 || !strings.Contains(sn.CommentBodies[len(sn.CommentBodies)-1], "build 42") {
				t.Fatalf("comment not added: %d -> %d", before, sn.Comments)
			}
			patch, _ := last[common.IssuePatchMsg](r)
			if p := patch.Apply(is); p.Resolution != want || p.Status.Name != "Done" {
				t.Fatalf("patch %q %q", p.Status.Name, p.Resolution)
			}
		})
	}
}

// Enter with nothing chosen points at the missing field instead of sending.
func TestTransitionFormRequiresValue(t *testing.T) {
	s := startSite(t, "cloud")
	is := s.issues(t, 1, "To Do")[0]
	r := newRunner(t, NewTransition(s.c, is), 100, 30)
	r.typ("done")
	r.keys("enter")
	r.keys("esc") // close the value list without choosing
	posts := s.count("POST", "/transitions")
	r.keys("enter")
	if s.count("POST", "/transitions") != posts {
		t.Fatal("sent without the required resolution")
	}
	res := r.o.(*Transition).form.field("resolution")
	if res.err != "required" || !res.open {
		t.Fatalf("err %q open %v", res.err, res.open)
	}
	// esc twice: back to the transition list, the choice kept on return.
	r.keys("enter") // choose the first value
	r.keys("esc")
	r.wantPhase("pick")
	r.keys("enter")
	r.wantPhase("form")
	if r.o.(*Transition).form.field("resolution").choice != 0 {
		t.Fatal("the form forgot the chosen value")
	}
}

func TestTransitionKeyMap(t *testing.T) {
	s := startSite(t, "cloud")
	is := s.issues(t, 1, "To Do")[0]
	r := newRunner(t, NewTransition(s.c, is), 100, 30)
	k := r.o.KeyMap().(KeyMap)
	if !k.Number.Enabled() || !k.Choose.Enabled() || k.Send.Enabled() {
		t.Fatal("picker keys")
	}
	r.typ("x")
	if r.o.KeyMap().(KeyMap).Number.Enabled() {
		t.Fatal("digits pick while a filter is typed")
	}
	if sc := r.screen(); !strings.Contains(sc, "nothing matches") {
		t.Fatalf("filter x:\n%s", sc)
	}
}

// Field errors Jira sends for a screen its metadata did not describe as
// required land beside the field, in a form opened for them.
func TestTransitionFieldErrorsFromJira(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			is := s.issues(t, 1, "To Do")[0]
			r := newRunner(t, NewTransition(s.c, is), 100, 30)
			m := r.o.(*Transition)
			for i := range m.ts {
				if m.ts[i].To.Name == "Done" {
					f := m.ts[i].Fields["resolution"]
					f.Required = false // a validator the metadata does not show
					m.ts[i].Fields["resolution"] = f
				}
			}
			r.typ("done")
			r.keys("enter")
			rb, ok := last[common.IssueRollbackMsg](r)
			if !ok || jiraclient.KindOf(rb.Err) != jiraclient.KindBadRequest {
				t.Fatalf("rollback %+v", rb)
			}
			r.wantPhase("form")
			sc := r.screen()
			if !strings.Contains(sc, "Resolution is required.") || !strings.Contains(sc, "Jira refused the values marked above") {
				t.Fatalf("field error not beside the field:\n%s", sc)
			}
			// Choose a value and send again: through.
			r.keys("space", "enter", "enter")
			if got := s.snap(t, is.Key).Status; got != "Done" {
				t.Fatalf("after fixing: %q\n%s", got, r.screen())
			}
		})
	}
}

// Jira may leave out where a transition leads: the picker shows the
// transition's name with no dangling arrow, and a bulk move offers each
// transition on its own instead of lumping them into one nameless choice.
func TestTransitionsWithoutTo(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	s.srv.SetQuirks(fakejira.Quirks{TransitionsWithoutTo: true, UnavailableTransition: true})
	r := newRunner(t, NewTransition(s.c, s.issues(t, 1, "In Progress")[0]), 80, 24)
	v := ansi.Strip(r.o.View())
	for _, l := range strings.Split(v, "\n") {
		if strings.HasSuffix(strings.TrimRight(l, " │"), "→") {
			t.Errorf("a transition leads nowhere: %q", l)
		}
	}
	if strings.Contains(v, "Reopen") {
		t.Errorf("an unavailable transition is offered:\n%s", v)
	}
	golden.RequireEqual(t, v)

	issues := s.issues(t, 3, "To Do")
	b := newRunner(t, NewBulk(s.c, issues, BulkTransition), 80, 24)
	m := b.o.(*Bulk)
	if len(m.targets) != 3 {
		t.Fatalf("bulk offers %d choices, want one per transition (3):\n%s", len(m.targets), ansi.Strip(m.View()))
	}
	t.Run("bulk", func(t *testing.T) { golden.RequireEqual(t, ansi.Strip(m.View())) })
	b.typ("progress")
	b.keys("enter")
	if m.Phase() != "done" {
		t.Fatalf("phase %s:\n%s", m.Phase(), ansi.Strip(m.View()))
	}
	for _, is := range issues {
		if got := s.snap(t, is.Key).Status; got != "In Progress" {
			t.Errorf("%s is %q", is.Key, got)
		}
	}
}
