package fakejira

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	t.Run("cloud", func(t *testing.T) {
		f := newFake(t, FlavorCloud, Options{})
		ok := f.must(200, "GET", "/rest/api/3/myself", "")
		if ok.header.Get("Content-Type") != "application/json;charset=UTF-8" || ok.header.Get("X-AREQUESTID") == "" || ok.header.Get("X-AAccountId") != f.s.Me().AccountID {
			t.Errorf("authenticated headers: %v", ok.header)
		}
		for name, auth := range map[string]func(*http.Request){
			"none":        nil,
			"wrong token": func(r *http.Request) { r.SetBasicAuth(Email, "nope") },
			"wrong user":  func(r *http.Request) { r.SetBasicAuth("eve@example.com", Token) },
			"bearer":      func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+Token) },
			"garbage":     func(r *http.Request) { r.Header.Set("Authorization", "Basic !!!") },
		} {
			r := f.doAuth("GET", "/rest/api/3/myself", "", auth)
			if r.status != 401 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || r.header.Get("X-Seraph-LoginReason") != "AUTHENTICATED_FAILED" || !strings.Contains(string(r.body), "Unauthorized (401)") {
				t.Errorf("%s: %d %v %s", name, r.status, r.header, r.body)
			}
		}
		// Email is case-insensitive, like an Atlassian account.
		if r := f.doAuth("GET", "/rest/api/3/myself", "", func(r *http.Request) { r.SetBasicAuth(strings.ToUpper(Email), Token) }); r.status != 200 {
			t.Errorf("upper-case email: %d", r.status)
		}
		// serverInfo answers anonymously; a bad credential is flagged, not refused.
		if r := f.doAuth("GET", "/rest/api/2/serverInfo", "", nil); r.status != 200 {
			t.Errorf("anonymous serverInfo: %d", r.status)
		}
		r := f.doAuth("GET", "/rest/api/2/serverInfo", "", func(r *http.Request) { r.SetBasicAuth(Email, "nope") })
		if r.status != 200 || r.header.Get("X-Seraph-LoginReason") != "AUTHENTICATED_FAILED" {
			t.Errorf("bad-credential serverInfo: %d %v", r.status, r.header)
		}
		f.s.SetToken("new-token")
		f.must(401, "GET", "/rest/api/3/myself", "")
		if r := f.doAuth("GET", "/rest/api/3/myself", "", func(r *http.Request) { r.SetBasicAuth(Email, "new-token") }); r.status != 200 {
			t.Errorf("new token: %d", r.status)
		}
		f.s.ExpireToken()
		if r := f.doAuth("GET", "/rest/api/3/myself", "", func(r *http.Request) { r.SetBasicAuth(Email, "new-token") }); r.status != 401 {
			t.Errorf("expired token: %d", r.status)
		}
	})
	t.Run("datacenter", func(t *testing.T) {
		f := newFake(t, FlavorDataCenter, Options{})
		ok := f.must(200, "GET", "/rest/api/2/myself", "")
		if ok.header.Get("X-AUSERNAME") != Username || ok.header.Get("X-AREQUESTID") == "" {
			t.Errorf("authenticated headers: %v", ok.header)
		}
		for name, auth := range map[string]func(*http.Request){
			"none":                  nil,
			"wrong":                 func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") },
			"pat as basic password": func(r *http.Request) { r.SetBasicAuth(Username, Token) },
			"wrong password":        func(r *http.Request) { r.SetBasicAuth(Username, "nope") },
			"scheme":                func(r *http.Request) { r.Header.Set("Authorization", Token) },
		} {
			r := f.doAuth("GET", "/rest/api/2/myself", "", auth)
			if r.status != 401 || r.header.Get("X-AUSERNAME") != "anonymous" || r.header.Get("X-Seraph-LoginReason") != "AUTHENTICATED_FAILED" {
				t.Errorf("%s: %d %v", name, r.status, r.header)
			}
			if name != "none" {
				if m := errorMessages(t, r); len(m) != 1 {
					t.Errorf("%s: body %s", name, r.body)
				}
			}
		}
		if r := f.doAuth("GET", "/rest/api/2/myself", "", func(r *http.Request) { r.SetBasicAuth(Username, Password) }); r.status != 200 || r.header.Get("X-AUSERNAME") != Username {
			t.Errorf("basic username:password: %d %v", r.status, r.header)
		}
		if r := f.doAuth("GET", "/rest/api/2/serverInfo", "", nil); r.status != 200 || r.header.Get("X-AUSERNAME") != "anonymous" {
			t.Errorf("anonymous serverInfo: %d %v", r.status, r.header)
		}
		f.s.SetCaptcha(true)
		r := f.do("GET", "/rest/api/2/myself", "")
		if r.status != 403 || r.header.Get("X-Seraph-LoginReason") != "AUTHENTICATION_DENIED" || !strings.HasPrefix(r.header.Get("X-Authentication-Denied-Reason"), "CAPTCHA_CHALLENGE; login-url=") {
			t.Errorf("captcha: %d %v", r.status, r.header)
		}
		f.s.SetCaptcha(false)
		f.must(200, "GET", "/rest/api/2/myself", "")
		f.s.ExpireToken()
		f.must(401, "GET", "/rest/api/2/myself", "")
	})
	t.Run("no authorization value is recorded", func(t *testing.T) {
		f := newFake(t, FlavorCloud, Options{})
		f.must(200, "GET", "/rest/api/3/myself", "")
		reqs := f.s.Requests()
		if len(reqs) != 1 || !reqs[0].HasAuth || reqs[0].Status != 200 || reqs[0].Path != "/rest/api/3/myself" {
			t.Fatalf("requests = %+v", reqs)
		}
		enc := base64.StdEncoding.EncodeToString([]byte(Email + ":" + Token))
		if s := fmt.Sprintf("%+v", reqs); strings.Contains(s, Token) || strings.Contains(s, enc) {
			t.Error("a request record holds the credential")
		}
		f.s.ResetRequests()
		if len(f.s.Requests()) != 0 {
			t.Error("ResetRequests kept requests")
		}
	})
}

// TestAwaitRequest: AwaitRequest returns a request already recorded at
// once, waits for one sent later (and for its status, when match asks for
// it), and gives up when its context ends.
func TestAwaitRequest(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{})
	f.must(200, "GET", "/rest/api/3/myself", "")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if r, err := f.s.AwaitRequest(ctx, func(r Request) bool { return r.Path == "/rest/api/3/myself" }); err != nil || r.Status != 200 {
		t.Fatalf("a recorded request: %+v, %v", r, err)
	}
	got := make(chan Request, 1)
	go func() {
		r, _ := f.s.AwaitRequest(ctx, func(r Request) bool { return r.Path == "/rest/api/3/priority" && r.Status != 0 })
		got <- r
	}()
	f.must(200, "GET", "/rest/api/3/priority", "")
	if r := <-got; r.Status != 200 || r.Method != "GET" {
		t.Errorf("a request sent while waiting: %+v", r)
	}
	f.s.ResetRequests()
	short, stop := context.WithCancel(context.Background())
	stop()
	if _, err := f.s.AwaitRequest(short, func(r Request) bool { return r.Path == "/rest/api/3/myself" }); !errors.Is(err, context.Canceled) {
		t.Errorf("after the reset, with the context over: %v", err)
	}
}

func TestServerInfoAndVersions(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		m := f.must(200, "GET", "/rest/api/2/serverInfo", "").obj(t)
		want := map[bool]string{true: "Cloud", false: "Server"}[f.cloud()]
		if m["deploymentType"] != want || m["baseUrl"] != f.url {
			t.Errorf("serverInfo = %v", m)
		}
		other := "2"
		if !f.cloud() {
			other = "3"
		}
		r := f.must(404, "GET", "/rest/api/"+other+"/myself", "")
		errorMessages(t, r)
		f.must(404, "GET", f.api("/no/such/thing"), "")
		me := f.must(200, "GET", f.api("/myself"), "").obj(t)
		if me["displayName"] != "Ada Lovelace" || me["emailAddress"] != Email {
			t.Errorf("myself = %v", me)
		}
		if f.cloud() && (me["accountId"] != f.s.Me().AccountID || me["name"] != nil) {
			t.Errorf("cloud myself identifies by accountId only: %v", me)
		}
		if !f.cloud() && (me["name"] != Username || me["key"] == nil || me["accountId"] != nil) {
			t.Errorf("dc myself identifies by name/key: %v", me)
		}
	})
}

func TestCloudSearchPaging(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{Seed: 2, Issues: 120})
	jql := url.QueryEscape("project in (JIF, WEB, OPS) ORDER BY key")
	// Default: ids only, 50 per page, no total.
	first := f.must(200, "GET", f.api("/search/jql?jql="+jql), "").obj(t)
	issues := first["issues"].([]any)
	if len(issues) != 50 || first["total"] != nil || first["startAt"] != nil || first["isLast"] != false {
		t.Fatalf("first page: %d issues, %v", len(issues), first)
	}
	if m := issues[0].(map[string]any); len(m) != 1 || m["id"] == nil {
		t.Errorf("default fields should be id only: %v", m)
	}
	seen := map[string]bool{}
	tok, _ := first["nextPageToken"].(string)
	pages := 1
	for _, i := range issues {
		seen[i.(map[string]any)["id"].(string)] = true
	}
	for tok != "" {
		body := fmt.Sprintf(`{"jql":%q,"nextPageToken":%q,"fields":["summary","status"],"maxResults":50}`, "project in (JIF, WEB, OPS) ORDER BY key", tok)
		p := f.must(200, "POST", f.api("/search/jql"), body).obj(t)
		for _, i := range p["issues"].([]any) {
			m := i.(map[string]any)
			if seen[m["id"].(string)] {
				t.Fatalf("issue %v on two pages", m["id"])
			}
			seen[m["id"].(string)] = true
			if m["key"] == nil || m["fields"].(map[string]any)["summary"] == nil {
				t.Errorf("fields not served: %v", m)
			}
		}
		pages++
		tok, _ = p["nextPageToken"].(string)
		if (tok == "") != (p["isLast"] == true) {
			t.Fatalf("nextPageToken %q with isLast %v", tok, p["isLast"])
		}
	}
	if len(seen) != 120 || pages != 3 {
		t.Errorf("paged %d issues in %d pages", len(seen), pages)
	}
	// A token from another query is refused.
	bad := f.must(400, "GET", f.api("/search/jql?jql="+url.QueryEscape("project = JIF")+"&nextPageToken="+url.QueryEscape(first["nextPageToken"].(string))), "")
	errorMessages(t, bad)
	// Many fields: at most 100 per page, whatever is asked.
	big := f.must(200, "GET", f.api("/search/jql?jql="+jql+"&fields=*all&maxResults=5000"), "").obj(t)
	if n := len(big["issues"].([]any)); n != 100 {
		t.Errorf("*all page has %d issues, want 100", n)
	}
	ids := f.must(200, "GET", f.api("/search/jql?jql="+jql+"&fields=id&maxResults=5000"), "").obj(t)
	if n := len(ids["issues"].([]any)); n != 120 || ids["isLast"] != true {
		t.Errorf("id-only page has %d issues", n)
	}
	// Unbounded queries are refused.
	for _, q := range []string{"", "ORDER BY key DESC"} {
		r := f.must(400, "GET", f.api("/search/jql?jql="+url.QueryEscape(q)), "")
		if m := errorMessages(t, r); len(m) != 1 || !strings.Contains(m[0], "Unbounded JQL") {
			t.Errorf("%q: %v", q, m)
		}
	}
	// names expand.
	n := f.must(200, "GET", f.api("/search/jql?jql="+jql+"&fields=summary&expand=names&maxResults=1"), "").obj(t)
	if n["names"].(map[string]any)["summary"] != "Summary" {
		t.Errorf("names = %v", n["names"])
	}
	// The old search is gone on both versions.
	for _, v := range []string{"2", "3"} {
		for _, m := range []string{"GET", "POST"} {
			f.must(410, m, "/rest/api/"+v+"/search", `{"jql":"project = JIF"}`)
		}
	}
	cnt := f.must(200, "POST", f.api("/search/approximate-count"), `{"jql":"project in (JIF, WEB, OPS)"}`).obj(t)
	if cnt["count"] != float64(120) {
		t.Errorf("count = %v", cnt)
	}
	f.must(400, "POST", f.api("/search/approximate-count"), `{"jql":""}`)
	f.must(400, "POST", f.api("/search/approximate-count"), `{"jql":"project = ="}`)
}

func TestDCSearchPaging(t *testing.T) {
	f := newFake(t, FlavorDataCenter, Options{Seed: 2, Issues: 120})
	jql := url.QueryEscape("ORDER BY key")
	first := f.must(200, "GET", f.api("/search?jql="+jql), "").obj(t)
	if first["total"] != float64(120) || first["startAt"] != float64(0) || first["maxResults"] != float64(50) || len(first["issues"].([]any)) != 50 {
		t.Fatalf("first page: %v %v %v", first["total"], first["startAt"], first["maxResults"])
	}
	// Default fields are *navigable: the issue carries them.
	if f0 := first["issues"].([]any)[0].(map[string]any)["fields"].(map[string]any); f0["summary"] == nil || f0["status"] == nil {
		t.Errorf("default fields missing: %v", f0)
	}
	seen := map[string]bool{}
	for start := 0; start < 120; start += 50 {
		p := f.must(200, "POST", f.api("/search"), fmt.Sprintf(`{"jql":"ORDER BY key","startAt":%d,"maxResults":50,"fields":["summary"]}`, start)).obj(t)
		for _, i := range p["issues"].([]any) {
			seen[i.(map[string]any)["key"].(string)] = true
		}
	}
	if len(seen) != 120 {
		t.Errorf("paged %d distinct issues", len(seen))
	}
	capped := f.must(200, "GET", f.api("/search?jql="+jql+"&maxResults=5000&fields=key"), "").obj(t)
	if capped["maxResults"] != float64(1000) {
		t.Errorf("maxResults cap: %v", capped["maxResults"])
	}
	f.must(404, "GET", f.api("/search/jql?jql="+jql), "")
	f.must(404, "POST", f.api("/search/approximate-count"), `{"jql":"project = JIF"}`)
}

func TestGetIssue(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key := f.s.Keys()[3]
		m := f.must(200, "GET", f.api("/issue/"+strings.ToLower(key)+"?fields=summary,status&expand=names,transitions"), "").obj(t)
		if m["key"] != key {
			t.Errorf("case-insensitive lookup returned key %v", m["key"])
		}
		fields := m["fields"].(map[string]any)
		if len(fields) != 2 || fields["summary"] == nil || fields["status"] == nil {
			t.Errorf("fields = %v", fields)
		}
		if names := m["names"].(map[string]any); names["status"] != "Status" {
			t.Errorf("names = %v", names)
		}
		if ts := m["transitions"].([]any); len(ts) != 3 {
			t.Errorf("transitions = %v", ts)
		}
		full := f.must(200, "GET", f.api("/issue/"+m["id"].(string)), "").obj(t)
		if full["key"] != key {
			t.Errorf("lookup by id returned %v", full["key"])
		}
		ff := full["fields"].(map[string]any)
		for _, k := range []string{"summary", "issuetype", "project", "status", "priority", "reporter", "labels", "created", "updated", "comment", "subtasks", "issuelinks"} {
			if _, ok := ff[k]; !ok {
				t.Errorf("full issue lacks %s", k)
			}
		}
		if f.cloud() {
			if _, ok := ff["customfield_10020"]; !ok {
				t.Error("cloud issue lacks the sprint field")
			}
		} else if _, ok := ff["customfield_10101"]; !ok {
			t.Error("dc issue lacks the sprint field")
		}
		r := f.must(404, "GET", f.api("/issue/NOPE-1"), "")
		if m := errorMessages(t, r); len(m) != 1 || m[0] != "Issue does not exist or you do not have permission to see it." {
			t.Errorf("404 body %s", r.body)
		}
	})
}

func TestCommentsEndpoints(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key, _ := f.s.AddIssue(NewIssue{Summary: "c", Comments: []string{"first", "second", "third"}})
		page := f.must(200, "GET", f.api("/issue/"+key+"/comment?startAt=1&maxResults=1&orderBy=-created"), "").obj(t)
		if page["total"] != float64(3) || len(page["comments"].([]any)) != 1 || page["startAt"] != float64(1) {
			t.Errorf("page = %v", page)
		}
		f.must(400, "GET", f.api("/issue/"+key+"/comment?orderBy=author"), "")
		f.must(404, "GET", f.api("/issue/NOPE-9/comment"), "")
		var body, wrong string
		if f.cloud() {
			body = `{"body":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Looks "},{"type":"text","text":"good","marks":[{"type":"strong"}]},{"type":"mention","attrs":{"id":"` + f.s.Me().AccountID + `","text":"@Ada Lovelace"}}]}]}}`
			wrong = `{"body":"plain text"}`
		} else {
			body = `{"body":"Looks *good* [~ada]"}`
			wrong = `{"body":{"type":"doc","version":1,"content":[]}}`
		}
		c := f.must(201, "POST", f.api("/issue/"+key+"/comment"), body).obj(t)
		if f.cloud() {
			b := c["body"].(map[string]any)
			if b["type"] != "doc" {
				t.Errorf("cloud comment body %v", b)
			}
		} else if c["body"] != "Looks *good* [~ada]" {
			t.Errorf("dc comment body %q", c["body"])
		}
		r := f.must(400, "POST", f.api("/issue/"+key+"/comment"), wrong)
		if fe := fieldErrors(t, r); fe["comment"] == "" {
			t.Errorf("wrong body type errors = %v", fe)
		}
		r = f.must(400, "POST", f.api("/issue/"+key+"/comment"), `{}`)
		if fe := fieldErrors(t, r); fe["comment"] != "Comment body can not be empty!" {
			t.Errorf("empty body errors = %v", fe)
		}
		snap, _ := f.s.Issue(key)
		if snap.Comments != 4 || !strings.Contains(snap.CommentBodies[3], "good") {
			t.Errorf("snapshot = %+v", snap)
		}
		// Served in the other form too: the mention survives.
		if f.cloud() && !strings.Contains(snap.CommentBodies[3], f.s.Me().AccountID) {
			t.Errorf("mention lost: %s", snap.CommentBodies[3])
		}
	})
}

func TestTransitions(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key, _ := f.s.AddIssue(NewIssue{Summary: "t", Status: "In Progress"})
		before, _ := f.s.Issue(key)
		ts := f.must(200, "GET", f.api("/issue/"+key+"/transitions?expand=transitions.fields"), "").obj(t)["transitions"].([]any)
		var done map[string]any
		ids := []string{}
		for _, x := range ts {
			m := x.(map[string]any)
			ids = append(ids, m["id"].(string))
			if m["name"] == "Done" {
				done = m
			}
		}
		if strings.Join(ids, ",") != "11,31,41" || done == nil {
			t.Fatalf("transitions from In Progress = %v", ids)
		}
		res := done["fields"].(map[string]any)["resolution"].(map[string]any)
		if res["required"] != true || len(res["allowedValues"].([]any)) != 3 {
			t.Errorf("Done screen resolution = %v", res)
		}
		r := f.must(400, "POST", f.api("/issue/"+key+"/transitions"), `{"transition":{"id":"41"}}`)
		if fe := fieldErrors(t, r); fe["resolution"] == "" {
			t.Errorf("missing resolution errors = %v", fe)
		}
		r = f.must(400, "POST", f.api("/issue/"+key+"/transitions"), `{"transition":{"id":"99"}}`)
		if m := errorMessages(t, r); len(m) != 1 || m[0] != "Transition id '99' is not valid for this issue." {
			t.Errorf("bad id: %v", m)
		}
		f.must(400, "POST", f.api("/issue/"+key+"/transitions"), `{}`)
		r = f.must(400, "POST", f.api("/issue/"+key+"/transitions"), `{"transition":{"id":"31"},"fields":{"resolution":{"name":"Done"}}}`)
		if fe := fieldErrors(t, r); !strings.Contains(fe["resolution"], "cannot be set") {
			t.Errorf("resolution off-screen: %v", fe)
		}
		cmt := `"closing"`
		if f.cloud() {
			cmt = `{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"closing"}]}]}`
		}
		f.must(204, "POST", f.api("/issue/"+key+"/transitions"), `{"transition":{"id":"41"},"fields":{"resolution":{"name":"Won't Do"}},"update":{"comment":[{"add":{"body":`+cmt+`}}]}}`)
		after, _ := f.s.Issue(key)
		if after.Status != "Done" || after.Resolution != "Won't Do" || after.Comments != 1 || !after.Updated.After(before.Updated) {
			t.Errorf("after Done: %+v", after)
		}
		f.must(204, "POST", f.api("/issue/"+key+"/transitions"), `{"transition":{"id":"11"}}`)
		reopened, _ := f.s.Issue(key)
		if reopened.Status != "To Do" || reopened.Resolution != "" {
			t.Errorf("reopen: %+v", reopened)
		}
		f.must(404, "POST", f.api("/issue/NOPE-1/transitions"), `{"transition":{"id":"11"}}`)
	})
}

func TestEditIssue(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key, _ := f.s.AddIssue(NewIssue{Summary: "edit me", Labels: []string{"a", "b"}})
		desc := `"h2. New\n\n*bold* text"`
		if f.cloud() {
			desc = `{"type":"doc","version":1,"content":[{"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"New"}]},{"type":"paragraph","content":[{"type":"text","text":"bold","marks":[{"type":"strong"}]},{"type":"text","text":" text"}]}]}`
		}
		f.must(204, "PUT", f.api("/issue/"+key), `{"fields":{"summary":"edited","description":`+desc+`,"priority":{"name":"High"}},"update":{"labels":[{"add":"c"},{"remove":"a"}]}}`)
		s, _ := f.s.Issue(key)
		if s.Summary != "edited" || s.Priority != "High" || strings.Join(s.Labels, ",") != "b,c" || s.DescriptionText != "New\nbold text" {
			t.Errorf("after edit: %+v", s)
		}
		if !f.cloud() && s.Description != "h2. New\n\n*bold* text" {
			t.Errorf("dc description stored as %q", s.Description)
		}
		r := f.must(400, "PUT", f.api("/issue/"+key), `{"fields":{"x":"1"}}`)
		if fe := fieldErrors(t, r); fe["x"] != "Field 'x' cannot be set. It is not on the appropriate screen, or unknown." {
			t.Errorf("unknown field: %s", r.body)
		}
		if m := errorMessages(t, r); len(m) != 0 {
			t.Errorf("errorMessages should be empty: %v", m)
		}
		r = f.must(400, "PUT", f.api("/issue/"+key), `{"fields":{"labels":["z"]},"update":{"labels":[{"add":"y"}]}}`)
		if fe := fieldErrors(t, r); fe["labels"] == "" {
			t.Errorf("fields+update: %s", r.body)
		}
		f.must(400, "PUT", f.api("/issue/"+key), `{"fields":{"labels":["has space"]}}`)
		f.must(400, "PUT", f.api("/issue/"+key), `{"fields":{"summary":""}}`)
		f.must(400, "PUT", f.api("/issue/"+key), `{"update":{"summary":[{"add":"x"}]}}`)
		if f.cloud() {
			r = f.must(400, "PUT", f.api("/issue/"+key), `{"fields":{"description":"plain string"}}`)
			if fe := fieldErrors(t, r); !strings.HasPrefix(fe["description"], "Operation value must be an Atlassian Document") {
				t.Errorf("string description on v3: %s", r.body)
			}
		} else {
			f.must(400, "PUT", f.api("/issue/"+key), `{"fields":{"description":{"type":"doc"}}}`)
		}
		// A failed request changes nothing.
		s2, _ := f.s.Issue(key)
		if s2.Summary != "edited" || strings.Join(s2.Labels, ",") != "b,c" {
			t.Errorf("failed edit changed the issue: %+v", s2)
		}
		f.must(204, "PUT", f.api("/issue/"+key), `{"update":{"labels":[{"set":["only"]}]}}`)
		ret := f.must(200, "PUT", f.api("/issue/"+key+"?returnIssue=true"), `{"fields":{"summary":"returned"}}`).obj(t)
		if ret["fields"].(map[string]any)["summary"] != "returned" {
			t.Errorf("returnIssue: %v", ret["fields"])
		}
		f.must(404, "PUT", f.api("/issue/NOPE-1"), `{"fields":{"summary":"x"}}`)
		f.must(400, "PUT", f.api("/issue/"+key), `not json`)
	})
}

func TestAssign(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key, _ := f.s.AddIssue(NewIssue{Summary: "assign"})
		var grace User
		for _, u := range f.s.Users() {
			if u.DisplayName == "Grace Hopper" {
				grace = u
			}
		}
		id, field := grace.Name, "name"
		if f.cloud() {
			id, field = grace.AccountID, "accountId"
		}
		f.must(204, "PUT", f.api("/issue/"+key+"/assignee"), fmt.Sprintf(`{%q:%q}`, field, id))
		if s, _ := f.s.Issue(key); s.Assignee != id {
			t.Errorf("assignee = %q, want %q", s.Assignee, id)
		}
		f.must(204, "PUT", f.api("/issue/"+key+"/assignee"), fmt.Sprintf(`{%q:null}`, field))
		if s, _ := f.s.Issue(key); s.Assignee != "" {
			t.Errorf("unassign left %q", s.Assignee)
		}
		f.must(204, "PUT", f.api("/issue/"+key+"/assignee"), fmt.Sprintf(`{%q:"-1"}`, field))
		if s, _ := f.s.Issue(key); s.Assignee == "" {
			t.Error("-1 did not assign the default assignee")
		}
		f.must(400, "PUT", f.api("/issue/"+key+"/assignee"), fmt.Sprintf(`{%q:"nobody"}`, field))
		// The other flavour's field is not understood.
		other := "name"
		if !f.cloud() {
			other = "accountId"
		}
		f.must(400, "PUT", f.api("/issue/"+key+"/assignee"), fmt.Sprintf(`{%q:"x"}`, other))

		q := "query"
		if !f.cloud() {
			q = "username"
		}
		us := f.must(200, "GET", f.api("/user/assignable/search?issueKey="+key+"&"+q+"=gra"), "").json(t).([]any)
		if len(us) != 1 || us[0].(map[string]any)["displayName"] != "Grace Hopper" {
			t.Errorf("assignable = %v", us)
		}
		all := f.must(200, "GET", f.api("/user/assignable/search?project=JIF"), "").json(t).([]any)
		if len(all) != len(f.s.Users())-1 { // the deactivated user is not assignable
			t.Errorf("%d assignable users", len(all))
		}
		f.must(400, "GET", f.api("/user/assignable/search?"+q+"=a"), "")
		f.must(404, "GET", f.api("/user/assignable/search?issueKey=NOPE-1"), "")
	})
}

func TestMetaEndpoints(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key := f.s.Keys()[0]
		em := f.must(200, "GET", f.api("/issue/"+key+"/editmeta"), "").obj(t)["fields"].(map[string]any)
		for _, k := range []string{"summary", "description", "priority", "labels", "assignee", "components", "fixVersions"} {
			if em[k] == nil {
				t.Errorf("editmeta lacks %s", k)
			}
		}
		if ops := em["labels"].(map[string]any)["operations"].([]any); len(ops) != 3 {
			t.Errorf("labels operations %v", ops)
		}
		types := f.must(200, "GET", f.api("/issue/createmeta/JIF/issuetypes?maxResults=2"), "").obj(t)
		list := "issueTypes"
		if !f.cloud() {
			list = "values"
		}
		if types["total"] != float64(5) || len(types[list].([]any)) != 2 {
			t.Errorf("createmeta types = %v", types)
		}
		f.must(400, "GET", f.api("/issue/createmeta/JIF/issuetypes?maxResults=500"), "")
		f.must(404, "GET", f.api("/issue/createmeta/NOPE/issuetypes"), "")
		fl := "fields"
		if !f.cloud() {
			fl = "values"
		}
		fields := f.must(200, "GET", f.api("/issue/createmeta/JIF/issuetypes/10003"), "").obj(t)[fl].([]any)
		var parentRequired bool
		for _, x := range fields {
			m := x.(map[string]any)
			if m["fieldId"] == "parent" {
				parentRequired = m["required"] == true
			}
		}
		if !parentRequired {
			t.Error("a sub-task's createmeta must require parent")
		}
		f.must(404, "GET", f.api("/issue/createmeta/JIF/issuetypes/999"), "")

		// Create.
		desc := `"created *here*"`
		if f.cloud() {
			desc = `{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"created here"}]}]}`
		}
		c := f.must(201, "POST", f.api("/issue"), `{"fields":{"project":{"key":"WEB"},"issuetype":{"name":"Bug"},"summary":"new bug","description":`+desc+`,"labels":["x"]}}`).obj(t)
		if !strings.HasPrefix(c["key"].(string), "WEB-") || c["id"] == nil || !strings.HasSuffix(c["self"].(string), "/issue/"+c["id"].(string)) {
			t.Errorf("create = %v", c)
		}
		s, ok := f.s.Issue(c["key"].(string))
		if !ok || s.Summary != "new bug" || s.Type != "Bug" || s.Status != "To Do" || s.Reporter == "" {
			t.Errorf("created = %+v", s)
		}
		r := f.must(400, "POST", f.api("/issue"), `{"fields":{"project":{"key":"WEB"},"issuetype":{"name":"Bug"}}}`)
		if fe := fieldErrors(t, r); fe["summary"] != "You must specify a summary of the issue." {
			t.Errorf("missing summary: %s", r.body)
		}
		r = f.must(400, "POST", f.api("/issue"), `{"fields":{"project":{"key":"WEB"},"issuetype":{"name":"Sub-task"},"summary":"s"}}`)
		if fe := fieldErrors(t, r); fe["parent"] == "" {
			t.Errorf("sub-task without parent: %s", r.body)
		}
		sub := f.must(201, "POST", f.api("/issue"), `{"fields":{"project":{"key":"WEB"},"issuetype":{"id":"10003"},"summary":"s","parent":{"key":"`+key+`"}}}`).obj(t)
		if ss, _ := f.s.Issue(sub["key"].(string)); ss.Parent != key {
			t.Errorf("sub-task parent = %q", ss.Parent)
		}
		f.must(400, "POST", f.api("/issue"), `{"fields":{"project":{"key":"WEB"},"issuetype":{"name":"Bug"},"summary":"s","resolution":{"name":"Done"}}}`)

		// Projects.
		if f.cloud() {
			p := f.must(200, "GET", f.api("/project/search?maxResults=2"), "").obj(t)
			if p["total"] != float64(3) || p["isLast"] != false || p["nextPage"] == nil || len(p["values"].([]any)) != 2 {
				t.Errorf("project/search = %v", p)
			}
			q := f.must(200, "GET", f.api("/project/search?query=web"), "").obj(t)
			if q["total"] != float64(1) {
				t.Errorf("project/search?query=web = %v", q)
			}
			f.must(404, "GET", f.api("/project"), "")
		} else {
			ps := f.must(200, "GET", f.api("/project"), "").json(t).([]any)
			if len(ps) != 3 || ps[0].(map[string]any)["key"] != "JIF" {
				t.Errorf("project = %v", ps)
			}
			f.must(404, "GET", f.api("/project/search"), "")
		}
		fs := f.must(200, "GET", f.api("/filter/favourite"), "").json(t).([]any)
		if len(fs) == 0 || fs[0].(map[string]any)["jql"] == nil {
			t.Errorf("filters = %v", fs)
		}
		// Every favourite filter's JQL must run on this server.
		for _, x := range fs {
			jql := url.QueryEscape(x.(map[string]any)["jql"].(string))
			if f.cloud() {
				f.must(200, "GET", f.api("/search/jql?jql="+jql), "")
			} else {
				f.must(200, "GET", f.api("/search?jql="+jql), "")
			}
		}
		pr := f.must(200, "GET", f.api("/priority"), "").json(t).([]any)
		if len(pr) != 5 || pr[0].(map[string]any)["name"] != "Highest" {
			t.Errorf("priorities = %v", pr)
		}
		if _, err := f.s.AddIssue(NewIssue{Summary: "labelled", Labels: []string{"regression"}}); err != nil {
			t.Fatal(err)
		}
		sug := f.must(200, "GET", f.api("/jql/autocompletedata/suggestions?fieldName=labels&fieldValue=reg"), "").obj(t)["results"].([]any)
		if len(sug) != 1 || sug[0].(map[string]any)["value"] != "regression" || sug[0].(map[string]any)["displayName"] != "<b>reg</b>ression" {
			t.Errorf("suggestions = %v", sug)
		}
		if f.cloud() {
			l := f.must(200, "GET", f.api("/label"), "").obj(t)
			if l["isLast"] != true || len(l["values"].([]any)) == 0 {
				t.Errorf("labels = %v", l)
			}
		} else {
			f.must(404, "GET", f.api("/label"), "")
		}
	})
}

func TestMethodsAndMediaTypes(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		key := f.s.Keys()[0]
		r := f.do("DELETE", f.api("/issue/"+key+"/comment"), "")
		if r.status != 405 || r.header.Get("Allow") != "GET,POST" {
			t.Errorf("DELETE comment: %d Allow=%q", r.status, r.header.Get("Allow"))
		}
		send := func(ct, token string) int {
			req, _ := http.NewRequest("PUT", f.url+f.api("/issue/"+key), strings.NewReader(`{"fields":{"summary":"x"}}`))
			f.authorize(req)
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			if token != "" {
				req.Header.Set("X-Atlassian-Token", token)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		for _, tc := range []struct {
			ct, token string
			want      int
		}{
			{"application/json; charset=utf-8", "", 204},
			{"", "", 415},
			{"application/xml", "", 415},
			{"text/plain", "", 403},
			{"application/x-www-form-urlencoded", "", 403},
			{"application/x-www-form-urlencoded", "no-check", 415},
		} {
			if got := send(tc.ct, tc.token); got != tc.want {
				t.Errorf("Content-Type %q token %q: %d, want %d", tc.ct, tc.token, got, tc.want)
			}
		}
	})
}

func TestCloudSearchCapsComments(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{Issues: -1})
	var cs []string
	for i := 0; i < 25; i++ {
		cs = append(cs, fmt.Sprintf("comment %d", i))
	}
	key, _ := f.s.AddIssue(NewIssue{Summary: "chatty", Comments: cs})
	is := f.must(200, "GET", f.api("/search/jql?jql=key%3D"+key+"&fields=comment"), "").obj(t)["issues"].([]any)
	c := is[0].(map[string]any)["fields"].(map[string]any)["comment"].(map[string]any)
	if len(c["comments"].([]any)) != 20 || c["total"] != float64(25) {
		t.Errorf("search comments: %d of total %v", len(c["comments"].([]any)), c["total"])
	}
	full := f.must(200, "GET", f.api("/issue/"+key+"?fields=comment"), "").obj(t)["fields"].(map[string]any)["comment"].(map[string]any)
	if len(full["comments"].([]any)) != 25 {
		t.Errorf("issue comments: %d", len(full["comments"].([]any)))
	}
}
