package jiraclient

import (
	"context"
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/jiraclient/markup"
)

// flavours runs a test against fakejira in both flavours.
var flavours = []struct {
	name string
	f    Flavor
	cred Credential
}{
	{fakejira.FlavorCloud, FlavorCloud, Credential{Kind: AuthBasic, User: fakejira.Email, Token: fakejira.Token}},
	{fakejira.FlavorDataCenter, FlavorDataCenter, Credential{Kind: AuthBearer, Token: fakejira.Token}},
}

// startFake starts fakejira in one flavour and a client for it that knows
// the flavour already, so request counts are the action's own.
func startFakeSite(t *testing.T, flavour string, f Flavor, cred Credential, opts ...Option) (*fakejira.Server, *Client) {
	t.Helper()
	s, u, stop, err := fakejira.Start(fakejira.Options{Flavor: flavour, Seed: 7, Issues: 120})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	base := []Option{WithRetry(RetryPolicy{}), WithLimits(Limits{ReadRPS: math.Inf(1), WriteRPS: math.Inf(1), IssueWritesPer2s: 1000, IssueWritesPer30s: 1000})}
	if f != FlavorUnknown {
		base = append(base, WithFlavor(f))
	}
	c, err := New(u, cred, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// counted runs action and returns the requests it made, as "METHOD path".
func requestsDuring(t *testing.T, s *fakejira.Server, action func()) []string {
	t.Helper()
	s.ResetRequests()
	action()
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func wantRequests(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s sent %v, want %v", what, got, want)
	}
}

// projectKeys are the fake's project keys in key order, with their issues.
func projectIssues(s *fakejira.Server) map[string][]string {
	m := map[string][]string{}
	for _, k := range s.Keys() {
		p, _, _ := strings.Cut(k, "-")
		m[p] = append(m[p], k)
	}
	return m
}

func firstProject(t *testing.T, s *fakejira.Server) (string, []string) {
	t.Helper()
	m := projectIssues(s)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		t.Fatal("fake has no issues")
	}
	return keys[0], m[keys[0]]
}

func TestFakeSearchPaging(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			proj, keys := firstProject(t, s)
			const size = 7
			var got []string
			var pages []SearchPage
			reqs := requestsDuring(t, s, func() {
				p := c.Pages(SearchQuery{JQL: "project = " + proj + " ORDER BY key ASC", PageSize: size})
				for i := 0; p.More(); i++ {
					if i > 100 {
						t.Fatal("pager does not end")
					}
					pg, err := p.Next(ctx)
					if err != nil {
						t.Fatal(err)
					}
					pages = append(pages, pg)
					for _, is := range pg.Issues {
						got = append(got, is.Key)
						if is.Summary == "" || is.Status.Name == "" || is.Type.Name == "" || is.Updated.IsZero() {
							t.Errorf("%s lacks list fields: %+v", is.Key, is)
						}
					}
				}
			})
			wantKeys := slices.Clone(keys)
			slices.SortFunc(wantKeys, compareKeys)
			if !slices.Equal(got, wantKeys) {
				t.Errorf("paged keys (%d) = %v\nwant (%d) %v", len(got), got, len(wantKeys), wantKeys)
			}
			wantPages := (len(keys) + size - 1) / size
			if len(reqs) != wantPages {
				t.Errorf("%d requests for %d issues in pages of %d, want %d: %v", len(reqs), len(keys), size, wantPages, reqs)
			}
			searchPath := "/rest/api/2/search"
			if fl.f == FlavorCloud {
				searchPath = "/rest/api/3/search/jql"
			}
			for _, r := range reqs {
				if r != "POST "+searchPath {
					t.Errorf("request %s, want POST %s", r, searchPath)
				}
			}
			for _, pg := range pages {
				wantTotal := len(keys)
				if fl.f == FlavorCloud {
					wantTotal = -1
				}
				if pg.Total != wantTotal {
					t.Errorf("page total %d, want %d", pg.Total, wantTotal)
				}
			}

			n, err := c.ApproximateCount(ctx, "project = "+proj)
			if fl.f == FlavorCloud && (err != nil || n != len(keys)) {
				t.Errorf("approximate count = %d, %v; want %d", n, err, len(keys))
			}
			if fl.f == FlavorDataCenter && !errors.Is(err, ErrNotSupported) {
				t.Errorf("DC approximate count err = %v", err)
			}
		})
	}
}

// compareKeys orders issue keys as Jira's ORDER BY key does: by project,
// then by number.
func compareKeys(a, b string) int {
	pa, na, _ := strings.Cut(a, "-")
	pb, nb, _ := strings.Cut(b, "-")
	if pa != pb {
		return strings.Compare(pa, pb)
	}
	if len(na) != len(nb) {
		return len(na) - len(nb)
	}
	return strings.Compare(na, nb)
}

// Without a known flavour the first call detects it (one serverInfo), and
// later calls do not ask again.
func TestFakeDetectsFlavorOnce(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, FlavorUnknown, fl.cred)
			_, keys := firstProject(t, s)
			reqs := requestsDuring(t, s, func() {
				for range 2 {
					if _, err := c.GetIssue(ctx, keys[0], GetIssueOptions{}); err != nil {
						t.Fatal(err)
					}
				}
			})
			v := fl.f.APIVersion()
			wantRequests(t, "two issue reads", reqs, "GET /rest/api/2/serverInfo", "GET /rest/api/"+v+"/issue/"+keys[0], "GET /rest/api/"+v+"/issue/"+keys[0])
			if c.Flavor() != fl.f {
				t.Errorf("flavour = %v", c.Flavor())
			}
		})
	}
}

func TestFakeIssueAndComments(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			v := "/rest/api/" + fl.f.APIVersion()
			_, keys := firstProject(t, s)
			key := keys[0]
			snap, _ := s.Issue(key)

			var is *Issue
			reqs := requestsDuring(t, s, func() {
				var err error
				is, err = c.GetIssue(ctx, key, GetIssueOptions{Transitions: true, Names: true})
				if err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "opening a detail", reqs, "GET "+v+"/issue/"+key)
			if is.Key != key || is.Summary != snap.Summary || is.Status.Name != snap.Status || len(is.Transitions) == 0 || len(is.Names) == 0 {
				t.Errorf("issue = %+v\nsnapshot %+v", is, snap)
			}
			labels := slices.Clone(is.Labels)
			slices.Sort(labels)
			if !slices.Equal(labels, snap.Labels) && !(len(labels) == 0 && len(snap.Labels) == 0) {
				t.Errorf("labels %v, want %v", labels, snap.Labels)
			}
			if (is.Assignee == nil) != (snap.Assignee == "") || (is.Assignee != nil && is.Assignee.ID() != snap.Assignee) {
				t.Errorf("assignee %+v, want %q", is.Assignee, snap.Assignee)
			}
			if is.CommentTotal != snap.Comments {
				t.Errorf("comment total %d, want %d", is.CommentTotal, snap.Comments)
			}
			if snap.DescriptionText != "" && is.Description == "" {
				t.Errorf("description lost; fake has %q", snap.DescriptionText)
			}

			const md = "Looks **good** to me, see `main.go`.\n\n- one\n- two"
			var cm *Comment
			reqs = requestsDuring(t, s, func() {
				var err error
				cm, err = c.AddComment(ctx, key, md)
				if err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "adding a comment", reqs, "POST "+v+"/issue/"+key+"/comment")
			if cm.ID == "" || cm.Body != md || cm.Created.IsZero() || cm.Author.DisplayName == "" {
				t.Errorf("created comment = %+v\nbody want %q", cm, md)
			}
			var list []Comment
			var total int
			reqs = requestsDuring(t, s, func() {
				var err error
				list, total, err = c.Comments(ctx, key, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "listing comments", reqs, "GET "+v+"/issue/"+key+"/comment")
			if total != snap.Comments+1 || len(list) != total || list[len(list)-1].Body != md || list[len(list)-1].ID != cm.ID {
				t.Errorf("comments: total %d (want %d), last %+v", total, snap.Comments+1, list[len(list)-1])
			}
			if after, _ := s.Issue(key); after.Comments != snap.Comments+1 {
				t.Errorf("fake has %d comments, want %d", after.Comments, snap.Comments+1)
			}
			// Paging through comments one at a time gives the same list.
			page, total2, err := c.Comments(ctx, key, total-1, 1)
			if err != nil || total2 != total || len(page) != 1 || page[0].ID != cm.ID {
				t.Errorf("last comment page = %+v total %d err %v", page, total2, err)
			}
		})
	}
}

func TestFakeTransitions(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			v := "/rest/api/" + fl.f.APIVersion()
			// An open issue, so there is a Done transition to take.
			pg, err := c.Search(ctx, SearchQuery{JQL: "statusCategory != Done ORDER BY key ASC", PageSize: 1}, Cursor{})
			if err != nil || len(pg.Issues) == 0 {
				t.Fatalf("no open issue: %v", err)
			}
			key := pg.Issues[0].Key

			var ts []Transition
			reqs := requestsDuring(t, s, func() {
				ts, err = c.Transitions(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "listing transitions", reqs, "GET "+v+"/issue/"+key+"/transitions")
			var done *Transition
			for i := range ts {
				if ts[i].To.Category == CategoryDone {
					done = &ts[i]
				}
			}
			if done == nil {
				t.Fatalf("no transition to a done status in %+v", ts)
			}
			res, ok := done.Fields["resolution"]
			if !ok || !res.Required || len(res.AllowedValues) == 0 {
				t.Fatalf("done transition lacks its required resolution: %+v", done.Fields)
			}

			// Without the resolution Jira refuses, naming the field.
			reqs = requestsDuring(t, s, func() {
				err = c.DoTransition(ctx, key, TransitionInput{ID: done.ID})
			})
			wantRequests(t, "a refused transition", reqs, "POST "+v+"/issue/"+key+"/transitions")
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindBadRequest || e.FieldErrors["resolution"] == "" {
				t.Fatalf("err = %v", err)
			}

			reqs = requestsDuring(t, s, func() {
				err = c.DoTransition(ctx, key, TransitionInput{ID: done.ID,
					Fields:  map[string]any{"resolution": map[string]string{"id": res.AllowedValues[0].ID}},
					Comment: "Closing: **fixed** upstream."})
			})
			wantRequests(t, "a transition with a comment", reqs, "POST "+v+"/issue/"+key+"/transitions")
			if err != nil {
				t.Fatal(err)
			}
			snap, _ := s.Issue(key)
			if snap.Status != done.To.Name || snap.Resolution != res.AllowedValues[0].Name {
				t.Errorf("after transition: status %q resolution %q, want %q %q", snap.Status, snap.Resolution, done.To.Name, res.AllowedValues[0].Name)
			}
			is, err := c.GetIssue(ctx, key, GetIssueOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if is.Status.Category != CategoryDone || is.Resolution == "" || len(is.Comments) == 0 || is.Comments[len(is.Comments)-1].Body != "Closing: **fixed** upstream." {
				t.Errorf("after transition: %+v %q, comments %+v", is.Status, is.Resolution, is.Comments)
			}
		})
	}
}

func TestFakeEdit(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			v := "/rest/api/" + fl.f.APIVersion()
			_, keys := firstProject(t, s)
			key := keys[1]
			before, _ := s.Issue(key)

			prios, err := c.Priorities(ctx)
			if err != nil || len(prios) < 2 {
				t.Fatalf("priorities %+v %v", prios, err)
			}
			var target Priority
			for _, p := range prios {
				if p.Name != before.Priority {
					target = p
					break
				}
			}
			summary := "Renamed by the edit test"
			desc := "A **bold** start, some *emphasis* and `code`.\n\n## Steps\n\n1. first\n2. second\n\n> quoted"
			keep := ""
			if len(before.Labels) > 0 {
				keep = before.Labels[0]
			}
			edit := IssueEdit{Summary: &summary, Description: &desc, PriorityID: &target.ID, AddLabels: []string{"edited", "triaged"}}
			if keep != "" {
				edit.RemoveLabels = []string{keep}
			}
			reqs := requestsDuring(t, s, func() {
				if err := c.EditIssue(ctx, key, edit); err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "an edit", reqs, "PUT "+v+"/issue/"+key)

			after, _ := s.Issue(key)
			wantLabels := []string{"edited", "triaged"}
			for _, l := range before.Labels {
				if l != keep {
					wantLabels = append(wantLabels, l)
				}
			}
			slices.Sort(wantLabels)
			wantLabels = slices.Compact(wantLabels)
			if after.Summary != summary || after.Priority != target.Name || !slices.Equal(after.Labels, wantLabels) {
				t.Errorf("after edit: %q %q %v; want %q %q %v", after.Summary, after.Priority, after.Labels, summary, target.Name, wantLabels)
			}
			is, err := c.GetIssue(ctx, key, GetIssueOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if is.Description != desc {
				t.Errorf("description round trip through %s:\n got %q\nwant %q", fl.name, is.Description, desc)
			}
			if is.Priority == nil || is.Priority.ID != target.ID {
				t.Errorf("priority = %+v, want %+v", is.Priority, target)
			}

			// Removing a label alone leaves the others.
			if err := c.EditIssue(ctx, key, IssueEdit{RemoveLabels: []string{"edited"}}); err != nil {
				t.Fatal(err)
			}
			if a2, _ := s.Issue(key); slices.Contains(a2.Labels, "edited") || !slices.Contains(a2.Labels, "triaged") {
				t.Errorf("labels after remove = %v", a2.Labels)
			}
		})
	}
}

func TestFakeAssign(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			v := "/rest/api/" + fl.f.APIVersion()
			_, keys := firstProject(t, s)
			key := keys[2]

			var users []User
			reqs := requestsDuring(t, s, func() {
				var err error
				users, err = c.AssignableUsers(ctx, key, "")
				if err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "assignable users", reqs, "GET "+v+"/user/assignable/search")
			if len(users) < 2 {
				t.Fatalf("assignable users = %+v", users)
			}
			for _, u := range users {
				if u.ID() == "" || u.DisplayName == "" {
					t.Errorf("user without id or name: %+v", u)
				}
				if fl.f == FlavorCloud && (u.AccountID == "" || u.Name != "") || fl.f == FlavorDataCenter && (u.Name == "" || u.AccountID != "") {
					t.Errorf("%s user identified the wrong way: %+v", fl.name, u)
				}
			}
			who := users[1]
			prefix := strings.ToLower(strings.Fields(who.DisplayName)[0][:2])
			some, err := c.AssignableUsers(ctx, key, prefix)
			if err != nil || len(some) == 0 || len(some) > len(users) {
				t.Errorf("users matching %q = %+v, %v", prefix, some, err)
			}

			reqs = requestsDuring(t, s, func() {
				if err := c.Assign(ctx, key, &who); err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "assign", reqs, "PUT "+v+"/issue/"+key+"/assignee")
			if snap, _ := s.Issue(key); snap.Assignee != who.ID() {
				t.Errorf("assignee = %q, want %q", snap.Assignee, who.ID())
			}
			if err := c.Assign(ctx, key, nil); err != nil {
				t.Fatal(err)
			}
			if snap, _ := s.Issue(key); snap.Assignee != "" {
				t.Errorf("after unassign assignee = %q", snap.Assignee)
			}
			if err := c.AssignDefault(ctx, key); err != nil {
				t.Fatal(err)
			}
			is, err := c.GetIssue(ctx, key, GetIssueOptions{Fields: []string{"assignee"}})
			if err != nil {
				t.Fatal(err)
			}
			if snap, _ := s.Issue(key); (is.Assignee == nil) != (snap.Assignee == "") {
				t.Errorf("after default: client sees %+v, fake has %q", is.Assignee, snap.Assignee)
			}
		})
	}
}

func TestFakeMetaAndCreate(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			v := "/rest/api/" + fl.f.APIVersion()
			proj, keys := firstProject(t, s)

			var em map[string]FieldMeta
			reqs := requestsDuring(t, s, func() {
				var err error
				em, err = c.EditMeta(ctx, keys[0])
				if err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "editmeta", reqs, "GET "+v+"/issue/"+keys[0]+"/editmeta")
			if sm := em["summary"]; !sm.Required || sm.Name == "" {
				t.Errorf("editmeta summary = %+v", sm)
			}
			if pr := em["priority"]; len(pr.AllowedValues) == 0 {
				t.Errorf("editmeta priority = %+v", pr)
			}
			if lb := em["labels"]; !slices.Contains(lb.Operations, "add") {
				t.Errorf("editmeta labels = %+v", lb)
			}

			types, err := c.CreateMetaIssueTypes(ctx, proj)
			if err != nil || len(types) == 0 {
				t.Fatalf("issue types %+v %v", types, err)
			}
			var task IssueType
			for _, it := range types {
				if !it.Subtask && it.ID != "" {
					task = it
					break
				}
			}
			fields, err := c.CreateMetaFields(ctx, proj, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			var haveSummary bool
			for _, f := range fields {
				if f.ID == "summary" {
					haveSummary = f.Required
				}
			}
			if !haveSummary {
				t.Errorf("create fields lack a required summary: %+v", fields)
			}

			desc := "Created by **jiffy**.\n\n- with a list"
			var ref IssueRef
			reqs = requestsDuring(t, s, func() {
				ref, err = c.CreateIssue(ctx, IssueCreate{Project: proj, IssueTypeID: task.ID, Summary: "A new issue", Description: desc, Fields: map[string]any{"labels": []string{"new"}}})
				if err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "create", reqs, "POST "+v+"/issue")
			if !strings.HasPrefix(ref.Key, proj+"-") || ref.ID == "" {
				t.Errorf("created %+v", ref)
			}
			snap, ok := s.Issue(ref.Key)
			if !ok || snap.Summary != "A new issue" || snap.Type != task.Name || !slices.Equal(snap.Labels, []string{"new"}) {
				t.Errorf("fake has %+v", snap)
			}
			is, err := c.GetIssue(ctx, ref.Key, GetIssueOptions{})
			if err != nil || is.Description != desc {
				t.Errorf("created description = %q, want %q (%v)", is.Description, desc, err)
			}
		})
	}
}

func TestFakeSiteLists(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			v := "/rest/api/" + fl.f.APIVersion()
			pk := projectIssues(s)

			var ps []Project
			reqs := requestsDuring(t, s, func() {
				var err error
				ps, err = c.Projects(ctx, "")
				if err != nil {
					t.Fatal(err)
				}
			})
			if fl.f == FlavorCloud {
				wantRequests(t, "projects", reqs, "GET "+v+"/project/search")
			} else {
				wantRequests(t, "projects", reqs, "GET "+v+"/project")
			}
			if len(ps) != len(pk) {
				t.Errorf("%d projects, fake has %d", len(ps), len(pk))
			}
			for _, p := range ps {
				if _, ok := pk[p.Key]; !ok || p.ID == "" || p.Name == "" {
					t.Errorf("project %+v", p)
				}
			}
			one, err := c.Projects(ctx, strings.ToLower(ps[0].Key))
			if err != nil || len(one) == 0 || one[0].Key != ps[0].Key {
				t.Errorf("projects matching %q = %+v %v", ps[0].Key, one, err)
			}

			fs, err := c.FavouriteFilters(ctx)
			if err != nil || len(fs) == 0 {
				t.Fatalf("filters %+v %v", fs, err)
			}
			for _, f := range fs {
				if f.ID == "" || f.Name == "" || f.JQL == "" {
					t.Errorf("filter %+v", f)
				}
				if _, err := c.Search(ctx, SearchQuery{JQL: f.JQL, PageSize: 1}, Cursor{}); err != nil {
					t.Errorf("filter %q JQL does not run: %v", f.Name, err)
				}
			}

			prios, err := c.Priorities(ctx)
			if err != nil || len(prios) != 5 || prios[0].Name != "Highest" {
				t.Errorf("priorities %+v %v", prios, err)
			}

			var all []string
			reqs = requestsDuring(t, s, func() {
				all, err = c.Labels(ctx, "")
				if err != nil {
					t.Fatal(err)
				}
			})
			if fl.f == FlavorCloud {
				wantRequests(t, "all labels", reqs, "GET "+v+"/label")
			} else {
				wantRequests(t, "all labels", reqs, "GET "+v+"/jql/autocompletedata/suggestions")
			}
			if len(all) == 0 {
				t.Fatal("no labels")
			}
			prefix := all[0][:2]
			some, err := c.Labels(ctx, prefix)
			if err != nil || len(some) == 0 {
				t.Fatalf("labels %q: %v %v", prefix, some, err)
			}
			for _, l := range some {
				if !strings.HasPrefix(strings.ToLower(l), strings.ToLower(prefix)) {
					t.Errorf("label %q does not start with %q", l, prefix)
				}
			}
		})
	}
}

// Requests carry the flavour's credential form; the fake rejects a wrong one
// as Jira does and the client reports it as an auth failure.
func TestFakeWrongTokenIsAuthError(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			cred := fl.cred
			cred.Token = "wrong"
			_, c := startFakeSite(t, fl.name, fl.f, cred)
			_, err := c.Search(context.Background(), SearchQuery{JQL: "order by key"}, Cursor{})
			if !IsAuth(err) {
				t.Errorf("err = %v, want an auth failure", err)
			}
			var e *Error
			if errors.As(err, &e) && e.Status != http.StatusUnauthorized {
				t.Errorf("status %d", e.Status)
			}
		})
	}
}

// The sprint comes from the Cloud default field, or on Data Center from the
// field that names reveals (there it is the legacy GreenHopper string).
func TestFakeSprint(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			_, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			pg, err := c.Search(ctx, SearchQuery{JQL: "sprint in openSprints() ORDER BY key ASC", PageSize: 3}, Cursor{})
			if err != nil || len(pg.Issues) == 0 {
				t.Fatalf("no issue in a sprint: %v", err)
			}
			key := pg.Issues[0].Key
			proj, _, _ := strings.Cut(key, "-")

			// Learn the field from names (what a caller caches per site);
			// names covers only returned fields, hence *navigable.
			probe, err := c.GetIssue(ctx, key, GetIssueOptions{Fields: []string{"*navigable"}, Names: true})
			if err != nil {
				t.Fatal(err)
			}
			field := SprintFieldFromNames(probe.Names)
			if field == "" || fl.f == FlavorCloud && field != CloudSprintField {
				t.Fatalf("sprint field from names = %q", field)
			}
			if probe.Sprint == "" {
				t.Error("the probe returned the sprint field but did not read it")
			}

			is, err := c.GetIssue(ctx, key, GetIssueOptions{SprintField: field})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(is.Sprint, proj+" Sprint ") {
				t.Errorf("sprint = %q, want %q...", is.Sprint, proj+" Sprint ")
			}
			if fl.f == FlavorCloud {
				// Cloud needs no hint: the default field is asked for.
				def, err := c.GetIssue(ctx, key, GetIssueOptions{})
				if err != nil || def.Sprint != is.Sprint {
					t.Errorf("default sprint = %q, want %q (%v)", def.Sprint, is.Sprint, err)
				}
			}
			page, err := c.Search(ctx, SearchQuery{JQL: "key = " + key, Fields: append(slices.Clone(ListFields), field), SprintField: field}, Cursor{})
			if err != nil || len(page.Issues) != 1 || page.Issues[0].Sprint != is.Sprint {
				t.Errorf("search sprint = %+v, want %q (%v)", page.Issues, is.Sprint, err)
			}
		})
	}
}

// Raw keeps Jira's own JSON of each issue (jiffy list --raw), and only
// when asked.
func TestRawIssues(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			_, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			ctx := context.Background()
			page, err := c.Search(ctx, SearchQuery{JQL: "updated >= -3650d ORDER BY key", PageSize: 3, Raw: true}, Cursor{})
			if err != nil || len(page.Issues) != 3 {
				t.Fatalf("search: %v, %d issues", err, len(page.Issues))
			}
			for _, is := range page.Issues {
				if !strings.Contains(string(is.Raw), `"key":"`+is.Key+`"`) || !strings.Contains(string(is.Raw), `"fields"`) {
					t.Errorf("%s raw = %s", is.Key, is.Raw)
				}
			}
			plain, err := c.Search(ctx, SearchQuery{JQL: "updated >= -3650d ORDER BY key", PageSize: 3}, Cursor{})
			if err != nil || plain.Issues[0].Raw != nil {
				t.Errorf("raw kept unasked: %v", err)
			}
			is, err := c.GetIssue(ctx, page.Issues[0].Key, GetIssueOptions{Raw: true})
			if err != nil || !strings.Contains(string(is.Raw), `"key":"`+is.Key+`"`) {
				t.Errorf("get issue raw: %v %s", err, is.Raw)
			}
		})
	}
}

// The fake sends the same shapes when asked (Quirks), in both flavours.
func TestFakeQuirks(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			s.SetQuirks(fakejira.Quirks{TransitionsWithoutTo: true, UnavailableTransition: true, EmptyLinkEnd: true})
			pg, err := c.Search(ctx, SearchQuery{JQL: "statusCategory = Done ORDER BY key ASC", PageSize: 1}, Cursor{})
			if err != nil || len(pg.Issues) == 0 {
				t.Fatalf("no done issue: %v", err)
			}
			ts, err := c.Transitions(ctx, pg.Issues[0].Key)
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != 3 {
				t.Errorf("%d transitions offered, want 3 (Reopen is unavailable)", len(ts))
			}
			for _, tr := range ts {
				if tr.Name == "Reopen" || tr.To.Name != "" || tr.Name == "" {
					t.Errorf("transition %+v", tr)
				}
			}
			var linked string
			for _, k := range s.Keys() {
				if sn, _ := s.Issue(k); len(sn.Links) > 0 {
					linked = k
					break
				}
			}
			is, err := c.GetIssue(ctx, linked, GetIssueOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sn, _ := s.Issue(linked)
			if len(is.Links) != len(sn.Links) {
				t.Errorf("%d links decoded, the issue has %d real ones", len(is.Links), len(sn.Links))
			}
			for _, l := range is.Links {
				if l.Issue.Key == "" {
					t.Errorf("a link with no far end was kept: %+v", l)
				}
			}
		})
	}
}

// A mention reads the same on both flavours: the person's display name.
// Data Center's wiki [~grace] carries only the user name, so the client
// names it from the people it has met, asking Jira once for a stranger.
func TestMentionsShowDisplayNames(t *testing.T) {
	ctx := context.Background()
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			byName := map[string]string{}
			for _, u := range s.Users() {
				byName[u.Name] = u.DisplayName
				byName[u.AccountID] = u.DisplayName
			}
			// Issues whose description mentions someone, two naming the same person.
			var keys []string
			first := map[string]string{}
			for _, k := range s.Keys() {
				sn, _ := s.Issue(k)
				if strings.Contains(sn.Description, "[~") || strings.Contains(sn.Description, `"mention"`) {
					keys = append(keys, k)
				}
			}
			if len(keys) < 2 {
				t.Fatal("no issue mentions anyone")
			}
			var lookups []string
			for _, k := range keys[:6] {
				reqs := requestsDuring(t, s, func() {
					is, err := c.GetIssue(ctx, k, GetIssueOptions{})
					if err != nil {
						t.Fatal(err)
					}
					ids := markup.MentionIDs(is.Description)
					if len(ids) == 0 {
						t.Fatalf("%s: no mention in %q", k, is.Description)
					}
					for _, id := range ids {
						want := byName[id]
						if want == "" {
							t.Fatalf("%s: mention of unknown id %q", k, id)
						}
						if !strings.Contains(is.Description, markup.Mention(want, id)) {
							t.Errorf("%s: mention of %s not shown as %q: %q", k, id, want, is.Description)
						}
						first[id] = k
					}
				})
				for _, r := range reqs {
					if strings.HasSuffix(r, "/user") {
						lookups = append(lookups, k)
					}
				}
			}
			if fl.f == FlavorCloud && len(lookups) > 0 {
				t.Errorf("Cloud looked users up: %v", lookups)
			}
			if len(lookups) > len(first) {
				t.Errorf("%d user lookups for %d people mentioned: a person is asked for twice", len(lookups), len(first))
			}
		})
	}
}
