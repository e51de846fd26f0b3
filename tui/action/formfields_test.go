package action

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
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

// TestTransitionOptionalScreenFields: the Done screen also has optional
// fields (a select, a multi-version field, a number): the form offers them
// after the required resolution, unmarked and empty; the ones given a value
// reach Jira in its shape, and the ones left empty (or put back to
// "leave as it is") are not sent at all.
func TestTransitionOptionalScreenFields(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			for _, name := range []string{"Severity", "Found in", "Customer impact"} {
				if err := s.srv.SetOnDoneScreen(name, false, false); err != nil {
					t.Fatal(err)
				}
			}
			iss := s.issues(t, 2, "In Progress")
			open := func(is jiraclient.Issue) (*runner, *Transition) {
				r := newRunner(t, NewTransition(s.c, is), 100, 30)
				r.typ("done")
				r.keys("enter")
				r.wantPhase("form")
				m := r.o.(*Transition)
				var names []string
				for _, ff := range m.form.fields {
					names = append(names, ff.meta.Name)
				}
				if got := strings.Join(names, ", "); got != "Resolution, Customer impact, Found in, Severity, Comment" {
					t.Fatalf("form fields %s:\n%s", got, r.screen())
				}
				if sc := r.screen(); !strings.Contains(sc, "Resolution *") || strings.Contains(sc, "Severity *") || strings.Contains(sc, "Found in *") {
					t.Fatalf("required marks wrong:\n%s", sc)
				}
				r.keys("enter") // the first resolution
				return r, m
			}
			body := func(key string) map[string]json.RawMessage {
				t.Helper()
				var b struct {
					Fields map[string]json.RawMessage `json:"fields"`
				}
				for _, rq := range s.srv.Requests() {
					if rq.Method == "POST" && strings.HasSuffix(rq.Path, "/"+key+"/transitions") {
						if err := json.Unmarshal([]byte(rq.Body), &b); err != nil {
							t.Fatal(err)
						}
					}
				}
				if b.Fields == nil {
					t.Fatalf("no transition POST for %s", key)
				}
				return b.Fields
			}

			// Given values: Severity from its list, Found in through the
			// version editor.
			r, m := open(iss[0])
			sev, found, impact := idOf(t, m, "Severity"), idOf(t, m, "Found in"), idOf(t, m, "Customer impact")
			focus(t, r, m, "Severity")
			r.keys("space", "down", "enter") // S2 - Major
			focus(t, r, m, "Found in")
			r.keys("space")
			r.typ("1.3")
			r.keys("tab", "enter")
			r.keys("ctrl+s")
			if !r.closed {
				t.Fatalf("not sent:\n%s", r.screen())
			}
			f := body(iss[0].Key)
			wantJSON(t, f[sev], `{"id":"10050"}`)
			wantJSON(t, f[found], `[{"id":"10001"}]`)
			if _, ok := f[impact]; ok {
				t.Errorf("empty Customer impact sent: %s", f[impact])
			}
			got, _ := s.srv.CustomValues(iss[0].Key)
			if got["Severity"] != "S2 - Major" || got["Found in"] != "v1.3.0" || s.snap(t, iss[0].Key).Status != "Done" {
				t.Errorf("Jira has severity %q, found in %q, status %q", got["Severity"], got["Found in"], s.snap(t, iss[0].Key).Status)
			}

			// Left empty, and Severity chosen then put back to "leave as
			// it is": only the resolution goes.
			before, _ := s.srv.CustomValues(iss[1].Key)
			r, m = open(iss[1])
			focus(t, r, m, "Severity")
			r.keys("space", "enter")
			if m.form.focused().choice != 0 {
				t.Fatalf("no severity chosen:\n%s", r.screen())
			}
			r.keys("space")
			r.typ("leave")
			r.keys("enter")
			if m.form.focused().choice != -1 {
				t.Fatalf("severity not put back:\n%s", r.screen())
			}
			r.keys("ctrl+s")
			if !r.closed {
				t.Fatalf("not sent:\n%s", r.screen())
			}
			f = body(iss[1].Key)
			if len(f) != 1 || f["resolution"] == nil {
				t.Errorf("sent fields %v, want the resolution alone", fieldNames(f))
			}
			after, _ := s.srv.CustomValues(iss[1].Key)
			for _, n := range []string{"Severity", "Found in", "Customer impact"} {
				if before[n] != after[n] {
					t.Errorf("%s changed from %q to %q", n, before[n], after[n])
				}
			}
		})
	}
}

func idOf(t *testing.T, m *Transition, name string) string {
	t.Helper()
	for id, f := range m.chosen.Fields {
		if f.Name == name {
			return id
		}
	}
	t.Fatalf("no %s on the screen", name)
	return ""
}

func wantJSON(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	if string(got) != want {
		t.Errorf("sent %s, want %s", got, want)
	}
}

func fieldNames(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestTransitionDefaultedFieldNotDemanded: a field Jira marks required but
// fills in itself (hasDefaultValue) is offered unmarked and not demanded;
// sending without it sends nothing for it.
func TestTransitionDefaultedFieldNotDemanded(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	is := s.issues(t, 1, "In Progress")[0]
	r := newRunner(t, NewTransition(s.c, is), 100, 30)
	m := r.o.(*Transition)
	for i := range m.ts {
		if _, ok := m.ts[i].Fields["resolution"]; ok {
			m.ts[i].Fields["priority"] = jiraclient.FieldMeta{ID: "priority", Name: "Priority", Required: true, HasDefault: true,
				Schema:        jiraclient.FieldSchema{Type: "priority", System: "priority"},
				AllowedValues: []jiraclient.AllowedValue{{ID: "1", Name: "Highest"}, {ID: "3", Name: "Medium"}}}
		}
	}
	r.typ("done")
	r.keys("enter")
	r.wantPhase("form")
	if sc := r.screen(); !strings.Contains(sc, "Priority ") || strings.Contains(sc, "Priority *") {
		t.Fatalf("priority not offered unmarked:\n%s", sc)
	}
	r.keys("enter", "ctrl+s") // the first resolution, then send
	if !r.closed {
		t.Fatalf("not sent:\n%s", r.screen())
	}
	if s.snap(t, is.Key).Status != "Done" {
		t.Fatalf("status %q", s.snap(t, is.Key).Status)
	}
	for _, rq := range s.srv.Requests() {
		if rq.Method == "POST" && strings.Contains(rq.Body, "priority") {
			t.Errorf("priority sent: %s", rq.Body)
		}
	}
}

// TestBulkTransitionOptionalField: the bulk form offers the Done screen's
// optional Severity too; chosen, it reaches every issue.
func TestBulkTransitionOptionalField(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			if err := s.srv.SetOnDoneScreen("Severity", false, false); err != nil {
				t.Fatal(err)
			}
			issues := s.issues(t, 3, "In Progress")
			r := openBulk(t, s, issues, BulkTransition)
			r.typ("done")
			r.keys("enter")
			r.wantPhase("form")
			r.keys("enter", "tab", "space", "down", "down", "enter", "ctrl+s") // S3 - Minor
			if d := doneMsg(t, r); len(d.Failed) != 0 {
				t.Fatalf("failed %q", d.Failed)
			}
			for _, is := range issues {
				got, _ := s.srv.CustomValues(is.Key)
				if sn := s.snap(t, is.Key); sn.Status != "Done" || got["Severity"] != "S3 - Minor" {
					t.Fatalf("%s is %q with severity %q", is.Key, sn.Status, got["Severity"])
				}
			}
		})
	}
}

// BenchmarkTransitionFormView: one frame of a form with a required
// resolution, eight optional fields of several kinds and the comment,
// scrolled to an open list at 80x24 (the dialog's inner size).
func BenchmarkTransitionFormView(b *testing.B) {
	c := &common.Common{Styles: common.NewStyles(true)}
	vals := func(names ...string) []jiraclient.AllowedValue {
		var out []jiraclient.AllowedValue
		for i, n := range names {
			out = append(out, jiraclient.AllowedValue{ID: strconv.Itoa(i + 1), Name: n, Value: n})
		}
		return out
	}
	tr := jiraclient.Transition{ID: "31", Name: "Done", Fields: map[string]jiraclient.FieldMeta{
		"resolution":        {Name: "Resolution", Required: true, Schema: jiraclient.FieldSchema{Type: "resolution", System: "resolution"}, AllowedValues: vals("Done", "Won't Do", "Duplicate")},
		"comment":           {Name: "Comment", Schema: jiraclient.FieldSchema{Type: "comment", System: "comment"}},
		"fixVersions":       {Name: "Fix versions", Schema: jiraclient.FieldSchema{Type: "array", Items: "version", System: "fixVersions"}, AllowedValues: vals("1.2", "1.3")},
		"assignee":          {Name: "Assignee", Schema: jiraclient.FieldSchema{Type: "user", System: "assignee"}},
		"labels":            {Name: "Labels", Schema: jiraclient.FieldSchema{Type: "array", Items: "string", System: "labels"}},
		"duedate":           {Name: "Due date", Schema: jiraclient.FieldSchema{Type: "date", System: "duedate"}},
		"customfield_10047": {Name: "Severity", Schema: jiraclient.FieldSchema{Type: "option", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:select"}, AllowedValues: vals("S1", "S2", "S3", "S4")},
		"customfield_10043": {Name: "Customer impact", Schema: jiraclient.FieldSchema{Type: "number", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:float"}},
		"customfield_10049": {Name: "Customer", Schema: jiraclient.FieldSchema{Type: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:textfield"}},
		"customfield_10042": {Name: "Tags", Schema: jiraclient.FieldSchema{Type: "array", Items: "string", Custom: "com.atlassian.jira.plugin.system.customfieldtypes:labels"}},
	}}
	f := newForm(c, fields.Scope{}, tr)
	if len(f.fields) != 10 {
		b.Fatalf("%d fields", len(f.fields))
	}
	f.fields[0].open = false
	for f.focused().meta.Name != "Severity" {
		f.focusOn(f.focus + 1)
	}
	f.openFocused()
	if v := f.view(c.Styles, 74, 8, 14); !strings.Contains(v, "more above") {
		b.Fatalf("not scrolled:\n%s", v)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		_ = f.view(c.Styles, 74, 8, 14)
	}
}
