package jiraclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/markup"
)

// The fixture API is mounted under this context path, so a method that
// builds an absolute path (dropping the site's path) misses every route and
// fails loudly.
const mountPrefix = "/jira"

// sentRequest is one request as the fixture server received it.
type sentRequest struct {
	Method, Path string
	Query        url.Values
	Body         any // decoded JSON, nil without a body
}

// fixtureAPI serves captured Jira responses at their endpoints and records
// what each method sends.
type fixtureAPI struct {
	t      *testing.T
	mu     sync.Mutex
	reqs   []sentRequest
	routes map[string]http.HandlerFunc
}

func newFixtureAPI(t *testing.T, f Flavor) (*fixtureAPI, *Client) {
	t.Helper()
	a := &fixtureAPI{t: t, routes: map[string]http.HandlerFunc{}}
	srv := httptest.NewServer(http.HandlerFunc(a.serveHTTP))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+mountPrefix, Credential{Kind: AuthBearer, Token: "fixture-token"},
		WithFlavor(f), WithHTTPClient(srv.Client()), WithRetry(RetryPolicy{}),
		WithLimits(Limits{ReadRPS: math.Inf(1), WriteRPS: math.Inf(1), IssueWritesPer2s: 1000, IssueWritesPer30s: 1000}))
	if err != nil {
		t.Fatal(err)
	}
	return a, c
}

func (a *fixtureAPI) serveHTTP(w http.ResponseWriter, r *http.Request) {
	var body any
	if b, _ := io.ReadAll(r.Body); len(b) > 0 {
		if err := json.Unmarshal(b, &body); err != nil {
			a.t.Errorf("%s %s: body is not JSON: %s", r.Method, r.URL.Path, b)
		}
	}
	path, ok := strings.CutPrefix(r.URL.Path, mountPrefix)
	if !ok {
		a.t.Errorf("%s %s: request outside the site's context path %s", r.Method, r.URL.Path, mountPrefix)
		http.NotFound(w, r)
		return
	}
	a.mu.Lock()
	a.reqs = append(a.reqs, sentRequest{Method: r.Method, Path: path, Query: r.URL.Query(), Body: body})
	h := a.routes[r.Method+" "+path]
	a.mu.Unlock()
	if h == nil {
		a.t.Errorf("unexpected request %s %s?%s", r.Method, path, r.URL.RawQuery)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"errorMessages":["no such fixture route"],"errors":{}}`)
		return
	}
	h(w, r)
}

// serve answers method+path with status and body.
func (a *fixtureAPI) serve(method, path string, status int, body []byte) {
	a.handle(method, path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(status)
		w.Write(body)
	})
}

func (a *fixtureAPI) handle(method, path string, h http.HandlerFunc) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.routes[method+" "+path] = h
}

func (a *fixtureAPI) requests() []sentRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.reqs)
}

// jsonOf decodes a JSON literal for comparison with a recorded body.
func jsonOf(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON in test: %v\n%s", err, s)
	}
	return v
}

// asJSON round-trips a Go value to the generic form a recorded body has.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return jsonOf(t, string(b))
}

func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func checkRequests(t *testing.T, got, want []sentRequest) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d requests, want %d:\n got %+v\nwant %+v", len(got), len(want), got, want)
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		if w.Query == nil {
			w.Query = url.Values{}
		}
		if g.Method != w.Method || g.Path != w.Path || !reflect.DeepEqual(g.Query, w.Query) || !reflect.DeepEqual(g.Body, w.Body) {
			gb, _ := json.Marshal(g.Body)
			wb, _ := json.Marshal(w.Body)
			t.Errorf("request %d:\n got %s %s %v %s\nwant %s %s %v %s", i, g.Method, g.Path, g.Query, gb, w.Method, w.Path, w.Query, wb)
		}
	}
}

func joinFields(fs []string) string { return strings.Join(fs, ",") }

func TestEndpointsAgainstFixtures(t *testing.T) {
	ctx := context.Background()
	detail := joinFields(DetailFields)
	type tc struct {
		name  string
		f     Flavor
		setup func(t *testing.T, a *fixtureAPI)
		run   func(t *testing.T, c *Client)
		want  func(t *testing.T) []sentRequest
	}
	cases := []tc{
		{
			name: "search cloud first page",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/3/search/jql", 200, testdataFile(t, "spec-examples/search-jql.GET.200.json"))
			},
			run: func(t *testing.T, c *Client) {
				p, err := c.Search(ctx, SearchQuery{JQL: "project = ED"}, Cursor{})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Issues) != 1 || p.Issues[0].Key != "ED-1" || !p.Last || p.Total != -1 {
					t.Errorf("page = %+v", p)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "POST", Path: "/rest/api/3/search/jql",
					Body: jsonOf(t, `{"jql":"project = ED","fields":["summary","issuetype","priority","status","assignee","updated"],"maxResults":50}`)}}
			},
		},
		{
			name: "search cloud next page with expand",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/3/search/jql", 200, testdataFile(t, "go-atlassian/search-issues.json"))
			},
			run: func(t *testing.T, c *Client) {
				p, err := c.Search(ctx, SearchQuery{JQL: "project = KP", Fields: []string{"summary", CloudSprintField}, PageSize: 18, Expand: []string{"names", "schema"}}, Cursor{Token: "tok-2"})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Issues) != 18 || !p.Last || byKey(t, p.Issues, "KP-18").Sprint != "KP Sprint 3" {
					t.Errorf("page: %d issues last %v", len(p.Issues), p.Last)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "POST", Path: "/rest/api/3/search/jql",
					Body: jsonOf(t, `{"jql":"project = KP","fields":["summary","customfield_10020"],"maxResults":18,"nextPageToken":"tok-2","expand":"names,schema"}`)}}
			},
		},
		{
			name: "search dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/2/search", 200, testdataFile(t, "go-atlassian/issue-search-v2.json"))
			},
			run: func(t *testing.T, c *Client) {
				p, err := c.Search(ctx, SearchQuery{JQL: "project = KP ORDER BY key DESC", PageSize: 100}, Cursor{})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Issues) != 18 || p.Total != 18 || !p.Last {
					t.Errorf("page: %d issues total %d last %v", len(p.Issues), p.Total, p.Last)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "POST", Path: "/rest/api/2/search",
					Body: jsonOf(t, `{"jql":"project = KP ORDER BY key DESC","startAt":0,"maxResults":100,"fields":["summary","issuetype","priority","status","assignee","updated"]}`)}}
			},
		},
		{
			name: "approximate count cloud",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/3/search/approximate-count", 200, testdataFile(t, "spec-examples/search-approximate-count.POST.200.json"))
			},
			run: func(t *testing.T, c *Client) {
				n, err := c.ApproximateCount(ctx, "project = HSP")
				if err != nil || n != 153 {
					t.Errorf("count = %d, %v", n, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				var body any
				json.Unmarshal(testdataFile(t, "spec-examples/search-approximate-count.POST.request.json"), &body)
				return []sentRequest{{Method: "POST", Path: "/rest/api/3/search/approximate-count", Body: body}}
			},
		},
		{
			name: "approximate count dc is not supported",
			f:    FlavorDataCenter,
			run: func(t *testing.T, c *Client) {
				_, err := c.ApproximateCount(ctx, "project = HSP")
				var e *Error
				if !errors.Is(err, ErrNotSupported) || !errors.As(err, &e) || e.Kind != KindNotSupported || !strings.Contains(e.Error(), "Data Center") {
					t.Errorf("err = %v", err)
				}
			},
			want: func(t *testing.T) []sentRequest { return nil },
		},
		{
			name: "get issue cloud with transitions and names",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/3/issue/KP-19", 200, testdataFile(t, "go-atlassian/get-issue.json"))
			},
			run: func(t *testing.T, c *Client) {
				is, err := c.GetIssue(ctx, "KP-19", GetIssueOptions{Transitions: true, Names: true})
				if err != nil {
					t.Fatal(err)
				}
				if is.Key != "KP-19" || !strings.Contains(is.Description, "**Lorem Ipsum**") || is.CommentTotal != 1 || is.Comments[0].Body != "asdsadsad" {
					t.Errorf("issue = %+v", is)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/3/issue/KP-19",
					Query: vals("fields", detail+",customfield_10020", "expand", "names,transitions,transitions.fields")}}
			},
		},
		{
			name: "get issue dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/2/issue/KP-19", 200, testdataFile(t, "go-atlassian/get-issue-v2.json"))
			},
			run: func(t *testing.T, c *Client) {
				is, err := c.GetIssue(ctx, "KP-19", GetIssueOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if is.Summary != "Test" || !strings.Contains(is.Description, "sadsadsad") || is.Sprint != "" {
					t.Errorf("issue = %+v", is)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/issue/KP-19", Query: vals("fields", detail)}}
			},
		},
		{
			name: "get issue dc with a known sprint field",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/2/issue/SAMPLEPROJECT-1", 200, testdataFile(t, "jira-ruby/issue/10002.json"))
			},
			run: func(t *testing.T, c *Client) {
				is, err := c.GetIssue(ctx, "SAMPLEPROJECT-1", GetIssueOptions{SprintField: "customfield_10104", Fields: []string{"summary", "customfield_10104"}})
				if err != nil || is.Summary != "Sample Issue" {
					t.Fatalf("issue = %+v, %v", is, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/issue/SAMPLEPROJECT-1", Query: vals("fields", "summary,customfield_10104")}}
			},
		},
		{
			name: "comments cloud",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/3/issue/KP-19/comment", 200, testdataFile(t, "go-atlassian/get-issue-comments.json"))
			},
			run: func(t *testing.T, c *Client) {
				cs, total, err := c.Comments(ctx, "KP-19", 5, 10)
				if err != nil || total != 14 || len(cs) != 14 {
					t.Errorf("comments %d total %d err %v", len(cs), total, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/3/issue/KP-19/comment", Query: vals("startAt", "5", "maxResults", "10")}}
			},
		},
		{
			name: "comments dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/2/issue/10002/comment", 200, testdataFile(t, "jira-ruby/issue/10002/comment.json"))
			},
			run: func(t *testing.T, c *Client) {
				cs, total, err := c.Comments(ctx, "10002", 0, 0)
				if err != nil || total != 2 || cs[0].Author.Name != "admin" {
					t.Errorf("comments %+v total %d err %v", cs, total, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/issue/10002/comment"}}
			},
		},
		{
			name: "add comment cloud sends ADF",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/3/issue/KP-19/comment", 201, testdataFile(t, "spec-examples/issue-comment.POST.201.json"))
			},
			run: func(t *testing.T, c *Client) {
				cm, err := c.AddComment(ctx, "KP-19", "Looks **good**")
				if err != nil || cm.ID != "10000" || cm.Author.DisplayName != "Mia Krystof" || cm.Body == "" {
					t.Errorf("comment %+v err %v", cm, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "POST", Path: "/rest/api/3/issue/KP-19/comment",
					Body: asJSON(t, map[string]any{"body": markup.MarkdownToADF("Looks **good**")})}}
			},
		},
		{
			name: "add comment dc sends wiki",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/2/issue/10002/comment", 201, testdataFile(t, "jira-ruby/issue/10002/comment.post.json"))
			},
			run: func(t *testing.T, c *Client) {
				cm, err := c.AddComment(ctx, "10002", "Looks **good**")
				if err != nil || cm.ID == "" || cm.Author.Name != "admin" {
					t.Errorf("comment %+v err %v", cm, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "POST", Path: "/rest/api/2/issue/10002/comment",
					Body: asJSON(t, map[string]any{"body": markup.MarkdownToWiki("Looks **good**")})}}
			},
		},
		{
			name: "transitions cloud",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/3/issue/KP-19/transitions", 200, testdataFile(t, "go-atlassian/get-transitions.json"))
			},
			run: func(t *testing.T, c *Client) {
				ts, err := c.Transitions(ctx, "KP-19")
				if err != nil || len(ts) != 2 || ts[1].Fields["colour"].Name == "" {
					t.Errorf("transitions %+v err %v", ts, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/3/issue/KP-19/transitions", Query: vals("expand", "transitions.fields")}}
			},
		},
		{
			name: "transitions dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/2/issue/10002/transitions", 200, testdataFile(t, "jira-ruby/issue/10002/transitions.json"))
			},
			run: func(t *testing.T, c *Client) {
				ts, err := c.Transitions(ctx, "10002")
				if err != nil || len(ts) != 4 || ts[3].Name != "Resolve" {
					t.Errorf("transitions %+v err %v", ts, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/issue/10002/transitions", Query: vals("expand", "transitions.fields")}}
			},
		},
		{
			name: "do transition cloud with fields and comment",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/3/issue/KP-19/transitions", 204, nil)
			},
			run: func(t *testing.T, c *Client) {
				err := c.DoTransition(ctx, "KP-19", TransitionInput{ID: "711", Fields: map[string]any{"resolution": map[string]string{"name": "Done"}}, Comment: "Fixed in *1.2*"})
				if err != nil {
					t.Error(err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "POST", Path: "/rest/api/3/issue/KP-19/transitions", Body: asJSON(t, map[string]any{
					"transition": map[string]string{"id": "711"},
					"fields":     map[string]any{"resolution": map[string]string{"name": "Done"}},
					"update":     map[string]any{"comment": []any{map[string]any{"add": map[string]any{"body": markup.MarkdownToADF("Fixed in *1.2*")}}}},
				})}}
			},
		},
		{
			name: "do transition dc, required resolution missing",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/2/issue/10002/transitions", 400, []byte(`{"errorMessages":[],"errors":{"resolution":"Resolution is required."}}`))
			},
			run: func(t *testing.T, c *Client) {
				err := c.DoTransition(ctx, "10002", TransitionInput{ID: "71"})
				var e *Error
				if !errors.As(err, &e) || e.Kind != KindBadRequest || e.FieldErrors["resolution"] != "Resolution is required." {
					t.Errorf("err = %#v", err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "POST", Path: "/rest/api/2/issue/10002/transitions", Body: jsonOf(t, `{"transition":{"id":"71"}}`)}}
			},
		},
		{
			name: "edit cloud",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("PUT", "/rest/api/3/issue/KP-19", 204, nil)
			},
			run: func(t *testing.T, c *Client) {
				s, d, p := "New summary", "Some *text*", "2"
				err := c.EditIssue(ctx, "KP-19", IssueEdit{Summary: &s, Description: &d, PriorityID: &p, AddLabels: []string{"triaged"}, RemoveLabels: []string{"blocker"}, Fields: map[string]any{"customfield_10049": "x"}})
				if err != nil {
					t.Error(err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "PUT", Path: "/rest/api/3/issue/KP-19", Body: asJSON(t, map[string]any{
					"fields": map[string]any{"summary": "New summary", "description": markup.MarkdownToADF("Some *text*"), "priority": map[string]string{"id": "2"}, "customfield_10049": "x"},
					"update": map[string]any{"labels": []any{map[string]string{"add": "triaged"}, map[string]string{"remove": "blocker"}}},
				})}}
			},
		},
		{
			name: "edit dc clears the description, labels only",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("PUT", "/rest/api/2/issue/10002", 204, nil)
			},
			run: func(t *testing.T, c *Client) {
				empty := ""
				if err := c.EditIssue(ctx, "10002", IssueEdit{Description: &empty}); err != nil {
					t.Error(err)
				}
				if err := c.EditIssue(ctx, "10002", IssueEdit{AddLabels: []string{"a"}}); err != nil {
					t.Error(err)
				}
				if err := c.EditIssue(ctx, "10002", IssueEdit{}); err != nil {
					t.Errorf("empty edit: %v", err)
				}
				err := c.EditIssue(ctx, "10002", IssueEdit{AddLabels: []string{"a"}, Fields: map[string]any{"labels": []string{"b"}}})
				if KindOf(err) != KindInvalid {
					t.Errorf("labels in both: %v", err)
				}
				s := "x"
				if err := c.EditIssue(ctx, "10002", IssueEdit{Summary: &s, Fields: map[string]any{"summary": "y"}}); KindOf(err) != KindInvalid {
					t.Errorf("summary in both: %v", err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{
					{Method: "PUT", Path: "/rest/api/2/issue/10002", Body: jsonOf(t, `{"fields":{"description":null}}`)},
					{Method: "PUT", Path: "/rest/api/2/issue/10002", Body: jsonOf(t, `{"update":{"labels":[{"add":"a"}]}}`)},
				}
			},
		},
		{
			name: "assign cloud",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("PUT", "/rest/api/3/issue/KP-19/assignee", 204, nil)
			},
			run: func(t *testing.T, c *Client) {
				for _, err := range []error{
					c.Assign(ctx, "KP-19", &User{AccountID: "5b10ac8d82e05b22cc7d4ef5"}),
					c.Assign(ctx, "KP-19", nil),
					c.AssignDefault(ctx, "KP-19"),
				} {
					if err != nil {
						t.Error(err)
					}
				}
				if KindOf(c.Assign(ctx, "KP-19", &User{DisplayName: "nobody"})) != KindInvalid {
					t.Error("a user without id was sent")
				}
			},
			want: func(t *testing.T) []sentRequest {
				p := "/rest/api/3/issue/KP-19/assignee"
				return []sentRequest{
					{Method: "PUT", Path: p, Body: jsonOf(t, `{"accountId":"5b10ac8d82e05b22cc7d4ef5"}`)},
					{Method: "PUT", Path: p, Body: jsonOf(t, `{"accountId":null}`)},
					{Method: "PUT", Path: p, Body: jsonOf(t, `{"accountId":"-1"}`)},
				}
			},
		},
		{
			name: "assign dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("PUT", "/rest/api/2/issue/10002/assignee", 204, nil)
			},
			run: func(t *testing.T, c *Client) {
				for _, err := range []error{
					c.Assign(ctx, "10002", &User{Name: "admin", Key: "admin"}),
					c.Assign(ctx, "10002", nil),
					c.AssignDefault(ctx, "10002"),
				} {
					if err != nil {
						t.Error(err)
					}
				}
			},
			want: func(t *testing.T) []sentRequest {
				p := "/rest/api/2/issue/10002/assignee"
				return []sentRequest{
					{Method: "PUT", Path: p, Body: jsonOf(t, `{"name":"admin"}`)},
					{Method: "PUT", Path: p, Body: jsonOf(t, `{"name":null}`)},
					{Method: "PUT", Path: p, Body: jsonOf(t, `{"name":"-1"}`)},
				}
			},
		},
		{
			name: "assignable users cloud",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/3/user/assignable/search", 200, testdataFile(t, "spec-examples/user-assignable-search.GET.200.json"))
			},
			run: func(t *testing.T, c *Client) {
				us, err := c.AssignableUsers(ctx, "KP-19", "mia")
				if err != nil || len(us) != 1 || us[0].AccountID != "5b10a2844c20165700ede21g" {
					t.Errorf("users %+v err %v", us, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/3/user/assignable/search", Query: vals("query", "mia", "issueKey", "KP-19")}}
			},
		},
		{
			name: "assignable users dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/2/user/assignable/search", 200, []byte(`[`+string(testdataFile(t, "spec-examples/user-assignable-search.GET.200.json"))+`]`))
			},
			run: func(t *testing.T, c *Client) {
				us, err := c.AssignableUsers(ctx, "10002", "ad")
				if err != nil || len(us) != 1 {
					t.Errorf("users %+v err %v", us, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/user/assignable/search", Query: vals("username", "ad", "issueKey", "10002")}}
			},
		},
		{
			name: "editmeta",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/3/issue/KP-19/editmeta", 200, testdataFile(t, "go-atlassian/get-issue-metadata.json"))
			},
			run: func(t *testing.T, c *Client) {
				m, err := c.EditMeta(ctx, "KP-19")
				if err != nil || !m["summary"].Required || len(m["priority"].AllowedValues) == 0 {
					t.Errorf("editmeta %v err %v", len(m), err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/3/issue/KP-19/editmeta"}}
			},
		},
		{
			name: "createmeta issue types, paged",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.handle("GET", "/rest/api/3/issue/createmeta/KP/issuetypes", func(w http.ResponseWriter, r *http.Request) {
					// The capture holds one type with total 1; a site with
					// more sends a second page, so serve one after it.
					if r.URL.Query().Get("startAt") == "0" {
						w.Write([]byte(strings.Replace(string(testdataFile(t, "spec-examples/createmeta-issuetypes.GET.200.json")), `"total": 1`, `"total": 2`, 1)))
						return
					}
					w.Write([]byte(`{"startAt":1,"maxResults":1,"total":2,"issueTypes":[{"id":"10003","name":"Sub-task","subtask":true}]}`))
				})
			},
			run: func(t *testing.T, c *Client) {
				ts, err := c.CreateMetaIssueTypes(ctx, "KP")
				want := []IssueType{{ID: "1", Name: "Bug"}, {ID: "10003", Name: "Sub-task", Subtask: true}}
				if err != nil || !slices.Equal(ts, want) {
					t.Errorf("types %+v err %v", ts, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				p := "/rest/api/3/issue/createmeta/KP/issuetypes"
				return []sentRequest{
					{Method: "GET", Path: p, Query: vals("startAt", "0", "maxResults", "200")},
					{Method: "GET", Path: p, Query: vals("startAt", "1", "maxResults", "200")},
				}
			},
		},
		{
			name: "createmeta fields",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/2/issue/createmeta/KP/issuetypes/1", 200, testdataFile(t, "spec-examples/createmeta-issuetype-fields.GET.200.json"))
			},
			run: func(t *testing.T, c *Client) {
				fs, err := c.CreateMetaFields(ctx, "KP", "1")
				if err != nil || len(fs) != 1 || fs[0].ID != "assignee" || !fs[0].Required || fs[0].Name != "Assignee" {
					t.Errorf("fields %+v err %v", fs, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/issue/createmeta/KP/issuetypes/1", Query: vals("startAt", "0", "maxResults", "200")}}
			},
		},
		{
			name: "create dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("POST", "/rest/api/2/issue", 201, testdataFile(t, "jira-ruby/issue.post.json"))
			},
			run: func(t *testing.T, c *Client) {
				ref, err := c.CreateIssue(ctx, IssueCreate{Project: "SAMPLEPROJECT", IssueTypeID: "3", Summary: "New", Description: "Hello *there*", Fields: map[string]any{"labels": []string{"x"}}})
				if err != nil || ref.ID != "10005" || ref.Key != "SAMPLEPROJECT-4" {
					t.Errorf("ref %+v err %v", ref, err)
				}
				if _, err := c.CreateIssue(ctx, IssueCreate{Project: "SAMPLEPROJECT", IssueTypeID: "3"}); KindOf(err) != KindInvalid {
					t.Errorf("empty summary: %v", err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "POST", Path: "/rest/api/2/issue", Body: asJSON(t, map[string]any{"fields": map[string]any{
					"project": map[string]string{"key": "SAMPLEPROJECT"}, "issuetype": map[string]string{"id": "3"},
					"summary": "New", "description": markup.MarkdownToWiki("Hello *there*"), "labels": []string{"x"},
				}})}}
			},
		},
		{
			name: "projects cloud, paged",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.handle("GET", "/rest/api/3/project/search", func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("startAt") == "0" {
						w.Write(testdataFile(t, "spec-examples/project-search.GET.200.json"))
						return
					}
					w.Write([]byte(`{"startAt":2,"maxResults":100,"total":3,"isLast":true,"values":[{"id":"10002","key":"EXT","name":"Extra"}]}`))
				})
			},
			run: func(t *testing.T, c *Client) {
				ps, err := c.Projects(ctx, "ex")
				if err != nil || len(ps) != 3 || ps[0] != (Project{ID: "10000", Key: "EX", Name: "Example"}) || ps[2].Key != "EXT" {
					t.Errorf("projects %+v err %v", ps, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				p := "/rest/api/3/project/search"
				return []sentRequest{
					{Method: "GET", Path: p, Query: vals("query", "ex", "startAt", "0", "maxResults", "100")},
					{Method: "GET", Path: p, Query: vals("query", "ex", "startAt", "2", "maxResults", "100")},
				}
			},
		},
		{
			name: "projects dc, filtered here",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				one := string(testdataFile(t, "go-jira/project.json"))
				a.serve("GET", "/rest/api/2/project", 200, []byte(`[`+one+`,{"id":"1","key":"OTHER","name":"Other"}]`))
			},
			run: func(t *testing.T, c *Client) {
				ps, err := c.Projects(ctx, "abd")
				if err != nil || len(ps) != 1 || ps[0].Key != "ABDERA" || ps[0].ID != "12310505" {
					t.Errorf("projects %+v err %v", ps, err)
				}
				all, err := c.Projects(ctx, "")
				if err != nil || len(all) != 2 {
					t.Errorf("all projects %+v err %v", all, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/project"}, {Method: "GET", Path: "/rest/api/2/project"}}
			},
		},
		{
			name: "favourite filters both captures",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/3/filter/favourite", 200, testdataFile(t, "spec-examples/filter-favourite.GET.200.json"))
			},
			run: func(t *testing.T, c *Client) {
				fs, err := c.FavouriteFilters(ctx)
				if err != nil || len(fs) == 0 || fs[0] != (Filter{ID: "10000", Name: "All Open Bugs", JQL: "type = Bug and resolution is empty"}) {
					t.Errorf("filters %+v err %v", fs, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/3/filter/favourite"}}
			},
		},
		{
			name: "favourite filters dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/2/filter/favourite", 200, testdataFile(t, "go-jira/favourite_filters.json"))
			},
			run: func(t *testing.T, c *Client) {
				fs, err := c.FavouriteFilters(ctx)
				if err != nil || len(fs) == 0 || fs[0].JQL != "type = Bug and resolution is empty" {
					t.Errorf("filters %+v err %v", fs, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/filter/favourite"}}
			},
		},
		{
			name: "priorities cloud",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/3/priority", 200, testdataFile(t, "go-atlassian/get_priorities.json"))
			},
			run: func(t *testing.T, c *Client) {
				ps, err := c.Priorities(ctx)
				if err != nil || len(ps) < 5 || ps[0] != (Priority{ID: "1", Name: "Highest"}) {
					t.Errorf("priorities %+v err %v", ps, err)
				}
			},
			want: func(t *testing.T) []sentRequest { return []sentRequest{{Method: "GET", Path: "/rest/api/3/priority"}} },
		},
		{
			name: "priorities dc",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.serve("GET", "/rest/api/2/priority", 200, testdataFile(t, "go-jira/all_priorities.json"))
			},
			run: func(t *testing.T, c *Client) {
				ps, err := c.Priorities(ctx)
				if err != nil || len(ps) == 0 || ps[0] != (Priority{ID: "1", Name: "Blocker"}) {
					t.Errorf("priorities %+v err %v", ps, err)
				}
			},
			want: func(t *testing.T) []sentRequest { return []sentRequest{{Method: "GET", Path: "/rest/api/2/priority"}} },
		},
		{
			name: "labels cloud, all pages",
			f:    FlavorCloud,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.handle("GET", "/rest/api/3/label", func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("startAt") == "0" {
						w.Write(testdataFile(t, "spec-examples/label.GET.200.json"))
						return
					}
					w.Write([]byte(`{"isLast":true,"maxResults":1000,"startAt":2,"total":3,"values":["ux"]}`))
				})
			},
			run: func(t *testing.T, c *Client) {
				ls, err := c.Labels(ctx, "")
				if err != nil || !slices.Equal(ls, []string{"performance", "security", "ux"}) {
					t.Errorf("labels %v err %v", ls, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{
					{Method: "GET", Path: "/rest/api/3/label", Query: vals("startAt", "0", "maxResults", "1000")},
					{Method: "GET", Path: "/rest/api/3/label", Query: vals("startAt", "2", "maxResults", "1000")},
				}
			},
		},
		{
			name: "labels by prefix, both flavours use suggestions",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				// Shape from the Cloud spec (AutoCompleteSuggestions); no
				// captured answer exists in the fixtures.
				a.serve("GET", "/rest/api/2/jql/autocompletedata/suggestions", 200, []byte(`{"results":[{"value":"security","displayName":"<b>se</b>curity"},{"value":"performance","displayName":"p"},{"value":"security"}]}`))
			},
			run: func(t *testing.T, c *Client) {
				ls, err := c.Labels(ctx, "se")
				if err != nil || !slices.Equal(ls, []string{"performance", "security"}) {
					t.Errorf("labels %v err %v", ls, err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/jql/autocompletedata/suggestions", Query: vals("fieldName", "labels", "fieldValue", "se")}}
			},
		},
		{
			name: "empty key refused before sending",
			f:    FlavorCloud,
			run: func(t *testing.T, c *Client) {
				if _, err := c.GetIssue(ctx, " ", GetIssueOptions{}); KindOf(err) != KindInvalid {
					t.Errorf("GetIssue: %v", err)
				}
				if err := c.DoTransition(ctx, "KP-1", TransitionInput{}); KindOf(err) != KindInvalid {
					t.Errorf("DoTransition without id: %v", err)
				}
				if _, err := c.AddComment(ctx, "KP-1", "  \n"); KindOf(err) != KindInvalid {
					t.Errorf("AddComment blank: %v", err)
				}
			},
			want: func(t *testing.T) []sentRequest { return nil },
		},
		{
			name: "HTML instead of JSON is a *Error",
			f:    FlavorDataCenter,
			setup: func(t *testing.T, a *fixtureAPI) {
				a.handle("GET", "/rest/api/2/issue/XY-1/editmeta", func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					io.WriteString(w, "<html><title>Log in</title></html>")
				})
			},
			run: func(t *testing.T, c *Client) {
				_, err := c.EditMeta(ctx, "XY-1")
				var e *Error
				if !errors.As(err, &e) {
					t.Errorf("err = %v", err)
				}
			},
			want: func(t *testing.T) []sentRequest {
				return []sentRequest{{Method: "GET", Path: "/rest/api/2/issue/XY-1/editmeta"}}
			},
		},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			a, c := newFixtureAPI(t, tt.f)
			if tt.setup != nil {
				tt.setup(t, a)
			}
			tt.run(t, c)
			checkRequests(t, a.requests(), tt.want(t))
		})
	}
}

// The pager walks every page of both flavours, sending the cursor Jira
// gave, and stops at the end.
func TestPagerOverFixturePages(t *testing.T) {
	var all struct {
		Issues []json.RawMessage `json:"issues"`
	}
	if err := json.Unmarshal(testdataFile(t, "go-atlassian/issue-search-v2.json"), &all); err != nil {
		t.Fatal(err)
	}
	n := len(all.Issues) // 18
	page := func(from, size int) string {
		to := min(from+size, n)
		parts := make([]string, 0, to-from)
		for _, r := range all.Issues[from:to] {
			parts = append(parts, string(r))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	ctx := context.Background()

	t.Run("dc", func(t *testing.T) {
		a, c := newFixtureAPI(t, FlavorDataCenter)
		a.handle("POST", "/rest/api/2/search", func(w http.ResponseWriter, r *http.Request) {
			rs := a.requests()
			body := rs[len(rs)-1].Body.(map[string]any)
			start := int(body["startAt"].(float64))
			size := int(body["maxResults"].(float64))
			io.WriteString(w, `{"startAt":`+strconv.Itoa(start)+`,"maxResults":`+strconv.Itoa(size)+`,"total":`+strconv.Itoa(n)+`,"issues":`+page(start, size)+`}`)
		})
		keys := drain(t, c.Pages(SearchQuery{JQL: "project = KP", PageSize: 5}), ctx)
		if len(keys) != n {
			t.Errorf("%d keys, want %d", len(keys), n)
		}
		var starts []float64
		for _, r := range a.requests() {
			starts = append(starts, r.Body.(map[string]any)["startAt"].(float64))
		}
		if !slices.Equal(starts, []float64{0, 5, 10, 15}) {
			t.Errorf("startAt sent = %v", starts)
		}
	})

	t.Run("cloud", func(t *testing.T) {
		a, c := newFixtureAPI(t, FlavorCloud)
		a.handle("POST", "/rest/api/3/search/jql", func(w http.ResponseWriter, r *http.Request) {
			rs := a.requests()
			body := rs[len(rs)-1].Body.(map[string]any)
			start := 0
			if tok, ok := body["nextPageToken"].(string); ok {
				start, _ = strconv.Atoi(strings.TrimPrefix(tok, "t"))
			}
			size := int(body["maxResults"].(float64))
			out := `{"issues":` + page(start, size)
			if start+size < n {
				out += `,"nextPageToken":"t` + strconv.Itoa(start+size) + `","isLast":false}`
			} else {
				out += `,"isLast":true}`
			}
			io.WriteString(w, out)
		})
		keys := drain(t, c.Pages(SearchQuery{JQL: "project = KP", PageSize: 7}), ctx)
		if len(keys) != n {
			t.Errorf("%d keys, want %d", len(keys), n)
		}
		var toks []any
		for _, r := range a.requests() {
			toks = append(toks, r.Body.(map[string]any)["nextPageToken"])
		}
		if !reflect.DeepEqual(toks, []any{nil, "t7", "t14"}) {
			t.Errorf("tokens sent = %v", toks)
		}
	})
}

// drain pages to the end and returns the keys, failing on a duplicate.
func drain(t *testing.T, p *Pager, ctx context.Context) []string {
	t.Helper()
	var keys []string
	seenKeys := map[string]bool{}
	for i := 0; p.More(); i++ {
		if i > 100 {
			t.Fatal("pager does not end")
		}
		pg, err := p.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range pg.Issues {
			if seenKeys[is.Key] {
				t.Errorf("duplicate %s", is.Key)
			}
			seenKeys[is.Key] = true
			keys = append(keys, is.Key)
		}
	}
	return keys
}

// A DC search whose offsets shift between pages (an issue resolved
// meanwhile) repeats an issue; the pager drops the repeat.
func TestPagerDropsRepeats(t *testing.T) {
	a, c := newFixtureAPI(t, FlavorDataCenter)
	pages := []string{
		`{"startAt":0,"total":3,"issues":[{"key":"A-1"},{"key":"A-2"}]}`,
		`{"startAt":2,"total":3,"issues":[{"key":"A-2"},{"key":"A-3"}]}`,
	}
	a.handle("POST", "/rest/api/2/search", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, pages[len(a.requests())-1])
	})
	keys := drain(t, c.Pages(SearchQuery{JQL: "x", PageSize: 2}), context.Background())
	if !slices.Equal(keys, []string{"A-1", "A-2", "A-3"}) {
		t.Errorf("keys = %v", keys)
	}
}

// A failed page leaves the pager where it was, so Next asks for the same
// page again.
func TestPagerRetriesTheSamePageAfterAnError(t *testing.T) {
	a, c := newFixtureAPI(t, FlavorDataCenter)
	answers := []struct {
		status int
		body   string
	}{
		{200, `{"startAt":0,"total":4,"issues":[{"key":"A-1"},{"key":"A-2"}]}`},
		{503, `{"errorMessages":["Service Unavailable"],"errors":{}}`},
		{200, `{"startAt":2,"total":4,"issues":[{"key":"A-3"},{"key":"A-4"}]}`},
	}
	a.handle("POST", "/rest/api/2/search", func(w http.ResponseWriter, r *http.Request) {
		ans := answers[len(a.requests())-1]
		w.WriteHeader(ans.status)
		io.WriteString(w, ans.body)
	})
	ctx := context.Background()
	p := c.Pages(SearchQuery{JQL: "x", PageSize: 2})
	if _, err := p.Next(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Next(ctx); KindOf(err) != KindUnavailable || !p.More() {
		t.Fatalf("err = %v, more = %v", err, p.More())
	}
	pg, err := p.Next(ctx)
	if err != nil || len(pg.Issues) != 2 || pg.Issues[1].Key != "A-4" || !pg.Last || p.More() {
		t.Fatalf("page = %+v, %v", pg, err)
	}
	var starts []float64
	for _, r := range a.requests() {
		starts = append(starts, r.Body.(map[string]any)["startAt"].(float64))
	}
	if !slices.Equal(starts, []float64{0, 2, 2}) {
		t.Errorf("startAt sent = %v", starts)
	}
}
