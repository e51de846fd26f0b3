package fakejira

import (
	"fmt"
	"strings"
	"testing"
)

// TestExpireTokenAfter: the token answers the n requests it has left, and
// the next one gets the flavour's real 401 (Cloud: Atlassian's HTML page
// and X-Seraph-LoginReason; Data Center: the JSON error and X-AUSERNAME
// anonymous), as does every one after; a new token works again.
func TestExpireTokenAfter(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		f.s.ExpireTokenAfter(3)
		for i := 0; i < 3; i++ {
			f.must(200, "GET", f.api("/myself"), "")
		}
		for i := 0; i < 2; i++ {
			r := f.do("GET", f.api("/myself"), "")
			if r.status != 401 || r.header.Get("X-Seraph-LoginReason") != "AUTHENTICATED_FAILED" {
				t.Fatalf("request %d after the expiry: %d %v", i, r.status, r.header)
			}
			if f.cloud() {
				if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "Unauthorized (401)") {
					t.Fatalf("cloud 401: %v %s", r.header, r.body)
				}
			} else if r.header.Get("X-AUSERNAME") != "anonymous" || !strings.Contains(strings.Join(errorMessages(t, r), ""), "You are not authenticated") {
				t.Fatalf("data center 401: %v %s", r.header, r.body)
			}
		}
		f.s.SetToken(Token)
		f.must(200, "GET", f.api("/myself"), "")
		f.must(200, "GET", f.api("/myself"), "") // SetToken ended the countdown
	})
}

// TestDeletedAndHiddenIssuesLeaveTheResult: an issue deleted or hidden
// from the user is gone from searches, GET answers Jira's 404, and on
// Cloud bulkfetch leaves it out of issues and of issueErrors; its
// sub-tasks go with it and links to it are no longer shown.
func TestDeletedAndHiddenIssuesLeaveTheResult(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		var parent, sub, linked string
		for _, k := range f.s.Keys() {
			is, _ := f.s.Issue(k)
			if is.Parent != "" && is.Type == "Sub-task" && parent == "" {
				parent, sub = is.Parent, k
			}
		}
		if parent == "" {
			t.Fatal("no sub-task in the generated data")
		}
		for _, k := range f.s.Keys() {
			if is, _ := f.s.Issue(k); k != parent && k != sub && len(is.Links) > 0 && linked == "" {
				linked = k
			}
		}
		victim, _ := f.s.Issue(linked)
		other := victim.Links[0]
		before := len(f.s.Keys())
		if err := f.s.DeleteIssue(parent); err != nil {
			t.Fatal(err)
		}
		if err := f.s.HideIssue(other); err != nil {
			t.Fatal(err)
		}
		gone := []string{parent, sub, other}
		if n := len(f.s.Keys()); n > before-3 {
			t.Fatalf("%d issues left of %d", n, before)
		}
		for _, k := range gone {
			r := f.do("GET", f.api("/issue/"+k), "")
			if r.status != 404 || errorMessages(t, r)[0] != "Issue does not exist or you do not have permission to see it." {
				t.Errorf("GET %s: %d %s", k, r.status, r.body)
			}
		}
		if is, _ := f.s.Issue(linked); contains(is.Links, other) {
			t.Errorf("%s still links to the hidden %s", linked, other)
		}
		body := `{"jql":"created >= -5000d ORDER BY key","fields":["key"],"maxResults":1000}`
		path := f.api("/search")
		if f.cloud() {
			path = f.api("/search/jql")
		}
		r := f.must(200, "POST", path, body)
		for _, is := range r.obj(t)["issues"].([]any) {
			if k := is.(map[string]any)["key"].(string); contains(gone, k) {
				t.Errorf("search still lists %s", k)
			}
		}
		if !f.cloud() {
			return
		}
		r = f.must(200, "POST", f.api("/issue/bulkfetch"), fmt.Sprintf(`{"issueIdsOrKeys":["%s","%s","%s","%s"]}`, parent, linked, sub, other))
		m := r.obj(t)
		if is := m["issues"].([]any); len(is) != 1 || is[0].(map[string]any)["key"] != linked {
			t.Errorf("bulkfetch issues: %s", r.body)
		}
		if e := m["issueErrors"].([]any); len(e) != 0 {
			t.Errorf("bulkfetch lists a deleted or hidden issue as an error: %s", r.body)
		}
	})
}

// TestBulkIssueErrors: a key listed in Faults.BulkIssueErrors is reported
// once per listing in issueErrors, by id with an errorMessage (the spec's
// IssueError), and returned by the bulk fetch after that.
func TestBulkIssueErrors(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{Seed: 7})
	keys := f.s.Keys()
	f.s.SetFaults(Faults{BulkIssueErrors: []string{keys[1], keys[3], keys[3]}})
	body := fmt.Sprintf(`{"issueIdsOrKeys":["%s","%s","%s"],"fields":["summary"]}`, keys[0], keys[1], keys[3])
	type ierr struct{ id, msg string }
	fetch := func() (got []string, errs []ierr) {
		m := f.must(200, "POST", f.api("/issue/bulkfetch"), body).obj(t)
		for _, is := range m["issues"].([]any) {
			got = append(got, is.(map[string]any)["key"].(string))
		}
		for _, e := range m["issueErrors"].([]any) {
			e := e.(map[string]any)
			if len(e) != 2 {
				t.Fatalf("issueError %v: want only id and errorMessage", e)
			}
			errs = append(errs, ierr{e["id"].(string), e["errorMessage"].(string)})
		}
		return got, errs
	}
	id := func(k string) string {
		m := f.must(200, "GET", f.api("/issue/"+k+"?fields=summary"), "").obj(t)
		return m["id"].(string)
	}
	got, errs := fetch()
	if len(got) != 1 || got[0] != keys[0] || len(errs) != 2 || errs[0].id != id(keys[1]) || errs[1].id != id(keys[3]) || errs[0].msg == "" {
		t.Fatalf("first fetch: issues %v, errors %v", got, errs)
	}
	got, errs = fetch()
	if len(got) != 2 || len(errs) != 1 || errs[0].id != id(keys[3]) {
		t.Fatalf("second fetch: issues %v, errors %v", got, errs)
	}
	if got, errs = fetch(); len(got) != 3 || len(errs) != 0 {
		t.Fatalf("third fetch: issues %v, errors %v", got, errs)
	}
}
