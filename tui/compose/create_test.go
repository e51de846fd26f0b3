package compose

import (
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

func projectOf(key string) string { p, _, _ := strings.Cut(key, "-"); return p }

// openCreate opens the form on project and runs its load.
func openCreate(t *testing.T, s *site, project string, dp Deps) (*driver, *Create) {
	t.Helper()
	m := NewCreate(s.c, dp, project).(*Create)
	d := drive(t, m)
	d.run(m.Init())
	return d, m
}

func TestCreateLands(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			proj := projectOf(s.key(0))
			d, m := openCreate(t, s, proj, s.deps())
			if m.st != createPickType {
				t.Fatalf("not at the type list: %s", d.view())
			}
			d.wantView("Issue type in "+proj, "Bug", "Story", "Task")
			d.typeText("task")
			d.press("enter")
			if m.st != createForm {
				t.Fatalf("no form: %s", d.view())
			}
			// The fake requires a reporter without a default: it is offered,
			// prefilled with the signed-in user.
			d.wantView("Summary", "Reporter", "Ada Lovelace (you)", "Description")
			// The common optional fields are offered, empty.
			d.wantView("Priority", "Assignee", "Labels")
			d.typeText("Brand new issue")
			for m.focus != 1 {
				d.press("tab") // reporter, the optional ones, description
			}
			d.typeText("With a *description*.")
			d.press("ctrl+s")

			created := outOf[common.IssueCreatedMsg](d)
			if len(created) != 1 || !d.closed() {
				t.Fatalf("not created: %#v\n%s", d.out, d.view())
			}
			sn := s.snap(created[0].Key)
			if sn.Summary != "Brand new issue" || sn.Type != "Task" || !strings.HasPrefix(created[0].Key, proj+"-") {
				t.Errorf("created %+v", sn)
			}
			if !strings.Contains(sn.DescriptionText, "With a description.") {
				t.Errorf("description %q", sn.DescriptionText)
			}
			if sn.Reporter != s.c.Me.ID() {
				t.Errorf("reporter %q, want %q", sn.Reporter, s.c.Me.ID())
			}
			if _, ok := s.loadDrafts().Get(createKey(proj)); ok {
				t.Error("the create draft outlived the issue")
			}
		})
	}
}

// TestCreateFieldError: a sub-task with an unknown parent; Jira's reason
// shows beside the Parent field and the form and draft are kept.
func TestCreateFieldError(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			proj := projectOf(s.key(0))
			d, m := openCreate(t, s, proj, s.deps())
			d.typeText("sub-task")
			d.press("enter")
			d.wantView("Parent")
			d.typeText("Child issue")
			for m.focus < 2 || m.extras[m.focus-2].meta.ID != "parent" {
				d.press("tab")
			}
			d.typeText("NOPE-999")
			d.press("ctrl+s")
			if d.closed() || m.fieldErr["parent"] == "" {
				t.Fatalf("no field error: %s", d.view())
			}
			v := d.view()
			if i, j := strings.Index(v, "Parent"), strings.Index(v, "✗ Could not find issue"); i < 0 || j < i {
				t.Errorf("the error is not under Parent:\n%s", v)
			}
			dr, ok := s.loadDrafts().Get(createKey(proj))
			if !ok || dr.Fields["summary"] != "Child issue" || dr.Fields["f:parent"] != "NOPE-999" {
				t.Fatalf("draft %+v", dr)
			}
			// Fixing the parent creates it.
			for range len("NOPE-999") {
				d.press("backspace")
			}
			d.typeText(s.key(0))
			d.press("ctrl+s")
			if len(outOf[common.IssueCreatedMsg](d)) != 1 {
				t.Fatalf("not created after the fix: %s", d.view())
			}
		})
	}
}

func TestCreateRequiredLocally(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	d, _ := openCreate(t, s, projectOf(s.key(0)), s.deps())
	d.press("enter") // the first type
	s.srv.ResetRequests()
	d.press("ctrl+s")
	if len(s.srv.Requests()) != 0 {
		t.Error("an issue without a summary was sent")
	}
	d.wantView("✗ Every issue needs a summary.")
}

func TestCreateServerErrorKeepsForm(t *testing.T) {
	s := newSite(t, fakejira.FlavorDataCenter)
	proj := projectOf(s.key(0))
	d, m := openCreate(t, s, proj, s.deps())
	d.typeText("bug")
	d.press("enter")
	d.typeText("Keep my form")
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 403}}})
	d.press("ctrl+s")
	if d.closed() || m.summary.Value() != "Keep my form" {
		t.Fatal("form lost")
	}
	d.wantView("permission")
	// Reopening restores the draft, with the type preselected.
	d2, m2 := openCreate(t, s, proj, Deps{Drafts: s.loadDrafts()})
	if it := m2.pick.items[m2.pick.shown[m2.pick.cur]]; it.label != "Bug" {
		t.Errorf("type preselected %q", it.label)
	}
	d2.press("enter")
	d2.wantView("Keep my form", "Draft restored")
}

func TestCreateChangeProject(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	keys := s.srv.Keys()
	first := projectOf(keys[0])
	var other string
	for _, k := range keys {
		if p := projectOf(k); p != first {
			other = p
			break
		}
	}
	d, m := openCreate(t, s, first, s.deps())
	d.press("ctrl+o")
	if m.st != createPickProject {
		t.Fatalf("no project list: %s", d.view())
	}
	d.typeText(other)
	d.press("enter")
	if m.project != other || m.st != createPickType {
		t.Fatalf("project %q state %v", m.project, m.st)
	}
	d.wantView("Issue type in " + other)
}

func TestCreateWithoutProjectStartsWithList(t *testing.T) {
	s := newSite(t, fakejira.FlavorDataCenter)
	d, m := openCreate(t, s, "", s.deps())
	if m.st != createPickProject {
		t.Fatalf("state %v: %s", m.st, d.view())
	}
	d.wantView("Project", projectOf(s.key(0)))
}
