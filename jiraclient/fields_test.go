package jiraclient

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// fieldSite is a fake with the helpers the field tests share.
type fieldSite struct {
	srv *fakejira.Server
	c   *Client
	f   Flavor
	ids map[string]string // field name -> id
}

func startFieldSite(t *testing.T, fl struct {
	name string
	f    Flavor
	cred Credential
}, opts ...Option) fieldSite {
	t.Helper()
	s, c := startFakeSite(t, fl.name, fl.f, fl.cred, opts...)
	return fieldSite{srv: s, c: c, f: fl.f, ids: s.FieldIDs()}
}

// richIssue is the first issue of the first project: fakejira gives the
// first two issues of each project a value in every custom field.
func (fs fieldSite) richIssue(t *testing.T) string {
	t.Helper()
	_, keys := firstProject(t, fs.srv)
	return keys[0]
}

// userByName maps the fake's usernames to the client's view of them.
func (fs fieldSite) user(t *testing.T, name string) User {
	t.Helper()
	for _, u := range fs.srv.Users() {
		if u.Name == name || (fs.f == FlavorCloud && strings.HasPrefix(strings.ToLower(u.Email), name+"@")) {
			return User{AccountID: u.AccountID, Name: u.Name, DisplayName: u.DisplayName}
		}
	}
	t.Fatalf("no user %s", name)
	return User{}
}

func lastBody(t *testing.T, s *fakejira.Server, method, pathSuffix string) string {
	t.Helper()
	reqs := s.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method && strings.HasSuffix(reqs[i].Path, pathSuffix) {
			return reqs[i].Body
		}
	}
	t.Fatalf("no %s ...%s request", method, pathSuffix)
	return ""
}

func TestFieldsListCached(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			var list *Fields
			got := requestsDuring(t, fs.srv, func() {
				var err error
				if list, err = fs.c.Fields(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := fs.c.Fields(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := fs.c.EpicLinkField(ctx); err != nil && fl.f == FlavorDataCenter {
					t.Fatal(err)
				}
			})
			wantRequests(t, "Fields twice and EpicLinkField", got, "GET /rest/api/"+fl.f.APIVersion()+"/field")
			for name, want := range map[string]FieldKind{
				"Severity": FieldOption, "Platforms": FieldOptions, "Region": FieldCascade, "Reviewer": FieldUser,
				"Approvers": FieldUsers, "Owning group": FieldGroup, "Found in": FieldVersions, "Tags": FieldLabels,
				"Design doc": FieldURL, "Customer": FieldString, "Acceptance criteria": FieldRichText, "Customer impact": FieldNumber,
				"Target start": FieldDate, "Deployed at": FieldDateTime, "Team": FieldTeam, "Checklist": FieldOther,
				"Story points": FieldNumber, "Sprint": FieldSprint,
			} {
				f, ok := list.Get(fs.ids[name])
				if !ok {
					t.Errorf("%s (%s) not listed", name, fs.ids[name])
					continue
				}
				if k := FieldKindOf(f.Schema); k != want {
					t.Errorf("%s: kind %v, want %v (schema %+v)", name, k, want, f.Schema)
				}
			}
			for id, want := range map[string]FieldKind{"assignee": FieldUser, "fixVersions": FieldVersions, "components": FieldComponents,
				"duedate": FieldDate, "priority": FieldNamed, "labels": FieldLabels, "description": FieldRichText, "timetracking": FieldTimeTracking, "parent": FieldIssue} {
				if k := FieldKindOf(list.Schema(id)); k != want {
					t.Errorf("%s: kind %v, want %v", id, k, want)
				}
			}
			if ids := list.ByCustomType(SprintFieldType); len(ids) != 1 || ids[0] != fs.ids["Sprint"] {
				t.Errorf("sprint field by type: %v", ids)
			}
		})
	}
}

// TestFieldValuesFromFake reads an issue with every field type from the
// fake and checks each decoded value against the fake's own state.
func TestFieldValuesFromFake(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			schemas, err := fs.c.Fields(ctx)
			if err != nil {
				t.Fatal(err)
			}
			key := fs.richIssue(t)
			is, err := fs.c.GetIssue(ctx, key, GetIssueOptions{Fields: []string{"*all"}, Schemas: schemas})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := fs.srv.CustomValues(key)
			byName := func(name string) FieldValue { return is.Values[fs.ids[name]] }
			for _, name := range []string{"Severity", "Platforms", "Region", "Owning group", "Tags", "Design doc", "Customer", "Customer impact", "Target start", "Team", "Found in"} {
				if w, ok := want[name]; ok {
					if got := byName(name).Format(); got != w {
						t.Errorf("%s: %q, want %q", name, got, w)
					}
				}
			}
			for _, name := range []string{"Severity", "Platforms", "Region", "Reviewer", "Design doc", "Team", "Acceptance criteria"} {
				if _, ok := want[name]; !ok {
					t.Errorf("the fake's first issue has no %s: %v", name, want)
				}
			}
			if w, ok := want["Reviewer"]; ok {
				if u := byName("Reviewer"); len(u.Users) != 1 || u.Users[0].ID() != fs.user(t, w).ID() {
					t.Errorf("Reviewer: %+v, want %s", u.Users, w)
				}
			}
			if w, ok := want["Approvers"]; ok {
				got := byName("Approvers")
				names := strings.Split(w, ", ")
				if len(got.Users) != len(names) {
					t.Errorf("Approvers: %+v, want %v", got.Users, names)
				}
			}
			if w, ok := want["Deployed at"]; ok {
				wt, _ := time.Parse(time.RFC3339, w)
				if got := byName("Deployed at"); !got.Time.Equal(wt) {
					t.Errorf("Deployed at: %v, want %v", got.Time, wt)
				}
			}
			if got := byName("Acceptance criteria"); got.Kind != FieldRichText || !strings.Contains(got.Text, "reproducible from the steps") || !strings.Contains(got.Text, "**Given**") {
				t.Errorf("Acceptance criteria: %+v", got)
			}
			if got := byName("Checklist"); got.Kind != FieldOther || got.Format() != "Write tests, Update docs" {
				t.Errorf("Checklist: %q", got.Format())
			}
			if w, ok := want["Story points"]; ok && byName("Story points").Format() != w {
				t.Errorf("Story points: %q, want %q", byName("Story points").Format(), w)
			}
			if w, ok := want["Sprint"]; ok && byName("Sprint").Format() != w {
				t.Errorf("Sprint: %q, want %q", byName("Sprint").Format(), w)
			}
			snap, _ := fs.srv.Issue(key)
			if got := is.Values["priority"].Format(); got != snap.Priority {
				t.Errorf("priority: %q, want %q", got, snap.Priority)
			}
			if got := is.Values["watches"]; got.Kind != FieldOther || got.Empty() {
				t.Errorf("watches: %+v", got)
			}
			for id, v := range is.Values {
				if f := v.Format(); strings.Contains(f, `":`) {
					t.Errorf("%s shows raw JSON: %q", id, f)
				}
			}
			// The search path fills the same values.
			page, err := fs.c.Search(ctx, SearchQuery{JQL: "key = " + key, Fields: []string{fs.ids["Severity"], fs.ids["Region"], "duedate"}, Schemas: schemas}, Cursor{})
			if err != nil || len(page.Issues) != 1 {
				t.Fatal(page, err)
			}
			if got := page.Issues[0].Values[fs.ids["Region"]].Format(); got != want["Region"] {
				t.Errorf("Region from search: %q, want %q", got, want["Region"])
			}
		})
	}
}

// TestEditEveryFieldType sets a value of each type through the edit
// screen's metadata and checks the fake stored it, and the wire form.
func TestEditEveryFieldType(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			key := fs.richIssue(t)
			meta, err := fs.c.EditMeta(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			m := func(name string) FieldMeta {
				id := fs.ids[name]
				fm, ok := meta[id]
				if !ok {
					t.Fatalf("%s (%s) not in editmeta", name, id)
				}
				return fm
			}
			pick := func(name, value string) AllowedValue {
				for _, v := range m(name).AllowedValues {
					if v.Name == value {
						return v
					}
				}
				t.Fatalf("%s has no allowed value %q: %+v", name, value, m(name).AllowedValues)
				return AllowedValue{}
			}
			region := m("Region")
			europe := pick("Region", "Europe")
			var lisbon AllowedValue
			for _, c := range region.Children[europe.ID] {
				if c.Name == "Lisbon" {
					lisbon = c
				}
			}
			if lisbon.ID == "" {
				t.Fatalf("cascading children: %+v", region.Children)
			}
			grace := fs.user(t, "grace")
			ada := fs.user(t, "ada")
			points, impact := 8.0, 2.5
			start := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
			deployed := time.Date(2026, 3, 1, 17, 45, 0, 0, time.FixedZone("", -5*3600))
			var teamID string
			for id, name := range fs.srv.Teams() {
				if name == "Mobile" {
					teamID = id
				}
			}
			sprints, _ := fs.c.BoardSprints(ctx, 1, nil, 0)
			var future SprintRef
			for _, sp := range sprints.Sprints {
				if sp.State == "future" && future.ID == 0 {
					future = SprintRef{ID: sp.ID, Name: sp.Name, State: "future"}
				}
			}
			set := func(name string, v FieldValue) FieldChange {
				return FieldChange{ID: fs.ids[name], Schema: m(name).Schema, Value: v}
			}
			changes := []FieldChange{
				set("Severity", FieldValue{Options: []OptionValue{pick("Severity", "S1 - Critical").Option()}}),
				set("Region", FieldValue{Options: []OptionValue{{ID: europe.ID, Child: &OptionValue{ID: lisbon.ID}}}}),
				set("Platforms", FieldValue{Options: []OptionValue{{Value: "iOS"}, {Value: "Android"}}}),
				set("Reviewer", FieldValue{Users: []User{grace}}),
				set("Approvers", FieldValue{Users: []User{ada, grace}}),
				set("Owning group", FieldValue{Refs: []Ref{{Name: "mobile-team"}}}),
				set("Found in", FieldValue{Refs: []Ref{m("Found in").AllowedValues[0].Ref()}}),
				set("Tags", FieldValue{Labels: []string{"perf", "regression"}}),
				set("Design doc", FieldValue{Text: "https://docs.example.com/new"}),
				set("Customer", FieldValue{Text: "Wayne Enterprises"}),
				set("Acceptance criteria", FieldValue{Text: "- works **offline**"}),
				set("Customer impact", FieldValue{Number: &impact}),
				set("Target start", FieldValue{Time: start}),
				set("Deployed at", FieldValue{Time: deployed}),
				set("Team", FieldValue{Refs: []Ref{{ID: teamID, Name: "Mobile"}}}),
				set("Story points", FieldValue{Number: &points}),
				set("Sprint", FieldValue{Sprints: []SprintRef{future}}),
				{ID: "duedate", Schema: meta["duedate"].Schema, Value: FieldValue{Time: start}},
				{ID: "fixVersions", Schema: meta["fixVersions"].Schema, Op: "add", Value: FieldValue{Refs: []Ref{meta["fixVersions"].AllowedValues[1].Ref()}}},
				{ID: "components", Schema: meta["components"].Schema, Value: FieldValue{Refs: []Ref{meta["components"].AllowedValues[0].Ref()}}},
				{ID: "priority", Schema: meta["priority"].Schema, Value: FieldValue{Refs: []Ref{{Name: "High"}}}},
			}
			if err := fs.c.EditFields(ctx, key, changes); err != nil {
				t.Fatal(err)
			}
			got, _ := fs.srv.CustomValues(key)
			want := map[string]string{
				"Severity": "S1 - Critical", "Region": "Europe / Lisbon", "Platforms": "iOS, Android", "Reviewer": "grace",
				"Approvers": "ada, grace", "Owning group": "mobile-team", "Found in": m("Found in").AllowedValues[0].Name,
				"Tags": "perf, regression", "Design doc": "https://docs.example.com/new", "Customer": "Wayne Enterprises",
				"Acceptance criteria": "works offline", "Customer impact": "2.5", "Target start": "2026-04-01",
				"Deployed at": deployed.Format(time.RFC3339), "Team": "Mobile", "Story points": "8", "Sprint": future.Name,
			}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s stored as %q, want %q", k, got[k], w)
				}
			}
			snap, _ := fs.srv.Issue(key)
			if snap.Priority != "High" {
				t.Errorf("priority %q", snap.Priority)
			}
			// The wire form, as Jira documents it per flavour.
			var body struct {
				Fields map[string]json.RawMessage   `json:"fields"`
				Update map[string][]json.RawMessage `json:"update"`
			}
			if err := json.Unmarshal([]byte(lastBody(t, fs.srv, "PUT", "/issue/"+key)), &body); err != nil {
				t.Fatal(err)
			}
			wantWire := map[string]string{
				fs.ids["Region"]:       `{"child":{"id":"` + lisbon.ID + `"},"id":"` + europe.ID + `"}`,
				fs.ids["Team"]:         `"` + teamID + `"`,
				fs.ids["Sprint"]:       `` + itoaJSON(future.ID),
				fs.ids["Target start"]: `"2026-04-01"`,
				fs.ids["Deployed at"]:  `"2026-03-01T17:45:00.000-0500"`,
				fs.ids["Reviewer"]:     `{"name":"grace"}`,
			}
			if fl.f == FlavorCloud {
				wantWire[fs.ids["Reviewer"]] = `{"accountId":"` + grace.AccountID + `"}`
			}
			for id, w := range wantWire {
				if string(body.Fields[id]) != w {
					t.Errorf("%s sent as %s, want %s", id, body.Fields[id], w)
				}
			}
			if ops := body.Update["fixVersions"]; len(ops) != 1 || !strings.HasPrefix(string(ops[0]), `{"add":{"id":`) {
				t.Errorf("fixVersions update: %s", ops)
			}
			rich := string(body.Fields[fs.ids["Acceptance criteria"]])
			if fl.f == FlavorCloud && !strings.HasPrefix(rich, `{"type":"doc"`) || fl.f == FlavorDataCenter && rich != `"* works *offline*"` {
				t.Errorf("rich text sent as %s", rich)
			}
			// Jira's per-field error comes back on the field.
			err = fs.c.EditFields(ctx, key, []FieldChange{set("Severity", FieldValue{Options: []OptionValue{{Value: "S9"}}})})
			var je *Error
			if KindOf(err) != KindBadRequest || !asError(err, &je) || !strings.Contains(je.FieldErrors[fs.ids["Severity"]], "S9") {
				t.Errorf("bad option: %v", err)
			}
			// A closed sprint is refused with Jira's words.
			var closed SprintRef
			for _, sp := range sprints.Sprints {
				if sp.State == "closed" {
					closed = SprintRef{ID: sp.ID, State: "closed"}
				}
			}
			err = fs.c.EditFields(ctx, key, []FieldChange{set("Sprint", FieldValue{Sprints: []SprintRef{closed}})})
			if !asError(err, &je) || je.FieldErrors[fs.ids["Sprint"]] != "Issue can be assigned only active or future sprints." {
				t.Errorf("closed sprint: %v", err)
			}
			// A read-only field is refused by Jira's screen check.
			err = fs.c.EditFields(ctx, key, []FieldChange{{ID: fs.ids["Checklist"], Value: FieldValue{Text: "x"}}})
			if !asError(err, &je) || !strings.Contains(je.FieldErrors[fs.ids["Checklist"]], "cannot be set") {
				t.Errorf("read-only field: %v", err)
			}
		})
	}
}

func itoaJSON(n int) string { b, _ := json.Marshal(n); return string(b) }

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	if ok {
		*e = x
	}
	return ok
}

func TestEditMetaTyped(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			meta, err := fs.c.EditMeta(context.Background(), fs.richIssue(t))
			if err != nil {
				t.Fatal(err)
			}
			p := meta[fs.ids["Platforms"]]
			if p.DefaultValue == nil || p.DefaultValue.Format() != "Linux" || !p.HasDefault {
				t.Errorf("Platforms default: %+v", p.DefaultValue)
			}
			if p.Kind() != FieldOptions || len(p.AllowedValues) != 5 || !p.CanSet() || len(p.Operations) != 3 {
				t.Errorf("Platforms: %+v", p)
			}
			r := meta[fs.ids["Region"]]
			if len(r.AllowedValues) != 3 || len(r.Children) != 3 || len(r.Children[r.AllowedValues[1].ID]) != 3 {
				t.Errorf("Region: %+v", r)
			}
			if u := meta[fs.ids["Reviewer"]]; !strings.Contains(u.AutoCompleteURL, "/rest/api/1.0/users/picker?fieldName="+fs.ids["Reviewer"]) {
				t.Errorf("Reviewer autocomplete: %q", u.AutoCompleteURL)
			}
			if c := meta[fs.ids["Checklist"]]; c.CanSet() {
				t.Errorf("Checklist is read-only: %+v", c)
			}
			if tt := meta["timetracking"]; tt.Kind() != FieldTimeTracking {
				t.Errorf("timetracking: %+v", tt)
			}
		})
	}
}

// TestCreateRequiredCustomOption: a Bug needs a Severity; without it Jira
// answers 400 "... is required" on the field; with it the issue is made.
func TestCreateRequiredCustomOption(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			if err := fs.srv.SetRequiredOnCreate("Bug", "Severity", true); err != nil {
				t.Fatal(err)
			}
			proj, _ := firstProject(t, fs.srv)
			types, err := fs.c.CreateMetaIssueTypes(ctx, proj)
			if err != nil {
				t.Fatal(err)
			}
			var bug IssueType
			for _, it := range types {
				if it.Name == "Bug" {
					bug = it
				}
			}
			metas, err := fs.c.CreateMetaFields(ctx, proj, bug.ID)
			if err != nil {
				t.Fatal(err)
			}
			var sev FieldMeta
			for _, m := range metas {
				if m.ID == fs.ids["Severity"] {
					sev = m
				}
			}
			if !sev.Required || sev.Kind() != FieldOption || len(sev.AllowedValues) != 4 {
				t.Fatalf("Severity on create: %+v", sev)
			}
			_, err = fs.c.CreateIssue(ctx, IssueCreate{Project: proj, IssueTypeID: bug.ID, Summary: "Crash on start"})
			var je *Error
			if KindOf(err) != KindBadRequest || !asError(err, &je) || je.FieldErrors[sev.ID] != "Severity is required." {
				t.Fatalf("create without Severity: %v", err)
			}
			ref, err := fs.c.CreateIssue(ctx, IssueCreate{Project: proj, IssueTypeID: bug.ID, Summary: "Crash on start",
				Values: []FieldChange{{ID: sev.ID, Schema: sev.Schema, Value: FieldValue{Options: []OptionValue{sev.AllowedValues[1].Option()}}}}})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := fs.srv.CustomValues(ref.Key)
			if got["Severity"] != sev.AllowedValues[1].Name {
				t.Errorf("created with Severity %q, want %q", got["Severity"], sev.AllowedValues[1].Name)
			}
			if b := lastBody(t, fs.srv, "POST", "/issue"); !strings.Contains(b, `"`+sev.ID+`":{"id":"`+sev.AllowedValues[1].ID+`"}`) {
				t.Errorf("create body: %s", b)
			}
		})
	}
}

// TestTransitionWithTypedValues: a transition screen's required field set
// through the same encoder as edit and create.
func TestTransitionWithTypedValues(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			_, keys := firstProject(t, fs.srv)
			var key string
			var done Transition
			for _, k := range keys {
				if snap, _ := fs.srv.Issue(k); snap.Status != "Done" {
					key = k
					break
				}
			}
			ts, err := fs.c.Transitions(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range ts {
				if tr.To.Category == CategoryDone {
					done = tr
				}
			}
			res, ok := done.Fields["resolution"]
			if !ok || !res.Required || res.Kind() != FieldNamed {
				t.Fatalf("Done screen: %+v", done.Fields)
			}
			wontDo := res.AllowedValues[1]
			err = fs.c.DoTransition(ctx, key, TransitionInput{ID: done.ID, Comment: "closing",
				Values: []FieldChange{{ID: "resolution", Schema: res.Schema, Value: FieldValue{Refs: []Ref{wontDo.Ref()}}}}})
			if err != nil {
				t.Fatal(err)
			}
			snap, _ := fs.srv.Issue(key)
			if snap.Status != "Done" || snap.Resolution != wontDo.Name || snap.Comments == 0 {
				t.Errorf("after the transition: %+v", snap)
			}
			if b := lastBody(t, fs.srv, "POST", "/transitions"); !strings.Contains(b, `"resolution":{"id":"`+wontDo.ID+`"}`) || !strings.Contains(b, `"update":{"comment":[{"add":`) {
				t.Errorf("transition body: %s", b)
			}
		})
	}
}
