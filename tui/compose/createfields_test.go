package compose

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// focusRow moves the create form's focus to the extra field named name.
func focusRow(t *testing.T, d *driver, m *Create, name string) {
	t.Helper()
	for range 30 {
		if m.focus >= 2 && m.extras[m.focus-2].meta.Name == name {
			return
		}
		d.press("tab")
	}
	t.Fatalf("no row %q:\n%s", name, d.view())
}

// TestCreateRequiredCustomOption: a custom select field the type requires
// is asked for with the select editor; left empty it is refused beside the
// field with no request; chosen, the issue is created with it. The common
// optional fields are edited with the same editors and only those given a
// value are sent (checked in the POST body and in fakejira's state).
func TestCreateRequiredCustomOption(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			if err := s.srv.SetRequiredOnCreate("Task", "Severity", true); err != nil {
				t.Fatal(err)
			}
			proj := projectOf(s.key(0))
			d, m := openCreate(t, s, proj, s.deps())
			d.typeText("task")
			d.press("enter")
			d.wantView("Severity", "required")
			d.typeText("Needs a severity")
			s.srv.ResetRequests()
			d.press("ctrl+s")
			if len(s.srv.Requests()) != 0 || m.fieldErr[severityID(t, m)] == "" || !strings.Contains(d.view(), "✗ Required") {
				t.Fatalf("sent without the required field, or not said:\n%s", d.view())
			}
			focusRow(t, d, m, "Severity")
			d.press("enter")
			d.typeText("S1")
			d.press("enter")
			focusRow(t, d, m, "Priority")
			d.press("enter")
			d.typeText("Low")
			d.press("enter")
			focusRow(t, d, m, "Labels")
			d.typeText("triage")
			d.press("enter")
			d.press("ctrl+s")
			cr := outOf[common.IssueCreatedMsg](d)
			if len(cr) != 1 {
				t.Fatalf("not created:\n%s", d.view())
			}
			got, _ := s.srv.CustomValues(cr[0].Key)
			if !strings.HasPrefix(got["Severity"], "S1") {
				t.Errorf("severity %q", got["Severity"])
			}
			sn := s.snap(cr[0].Key)
			if sn.Priority != "Low" || strings.Join(sn.Labels, ",") != "triage" {
				t.Errorf("priority %q labels %v", sn.Priority, sn.Labels)
			}
			var body struct {
				Fields map[string]json.RawMessage `json:"fields"`
			}
			for _, r := range s.srv.Requests() {
				if r.Method == "POST" && strings.HasSuffix(r.Path, "/issue") {
					if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, id := range []string{"components", "fixVersions", "assignee"} {
				if _, sent := body.Fields[id]; sent {
					t.Errorf("%s sent though not given: %s", id, body.Fields[id])
				}
			}
			if !strings.HasPrefix(string(body.Fields["priority"]), `{"id":`) {
				t.Errorf("priority sent as %s", body.Fields["priority"])
			}
		})
	}
}

func severityID(t *testing.T, m *Create) string {
	for _, f := range m.extras {
		if f.meta.Name == "Severity" {
			return f.meta.ID
		}
	}
	t.Fatal("no Severity row")
	return ""
}

// TestCreateSubtask: S in the detail opens this form: the project's one
// sub-task type is taken at once, the parent is filled in, and the
// sub-task lands under the parent in Jira.
func TestCreateSubtask(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			parent := s.issue(s.key(0))
			m := NewSubtask(s.c, s.deps(), parent).(*Create)
			d := drive(t, m)
			d.run(m.Init())
			if m.st != createForm {
				t.Fatalf("not at the form: %s", d.view())
			}
			d.wantView("New sub-task of "+parent.Key, "Parent", parent.Key)
			d.typeText("A piece of the work")
			d.press("ctrl+s")
			cr := outOf[common.IssueCreatedMsg](d)
			if len(cr) != 1 {
				t.Fatalf("not created:\n%s", d.view())
			}
			sn := s.snap(cr[0].Key)
			if sn.Parent != parent.Key || sn.Summary != "A piece of the work" || sn.Type != "Sub-task" {
				t.Errorf("created %+v", sn)
			}
		})
	}
}
