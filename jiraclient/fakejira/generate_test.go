package fakejira

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func dump(t *testing.T, s *Server) string {
	t.Helper()
	var snaps []IssueSnapshot
	for _, k := range s.Keys() {
		sn, _ := s.Issue(k)
		sn.Updated = sn.Updated.UTC()
		snaps = append(snaps, sn)
	}
	b, err := json.Marshal(snaps)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGeneratorDeterministic(t *testing.T) {
	for _, fl := range []string{FlavorCloud, FlavorDataCenter} {
		a, b := New(Options{Flavor: fl, Seed: 42, Issues: 40}), New(Options{Flavor: fl, Seed: 42, Issues: 40})
		da := dump(t, a)
		if da != dump(t, b) {
			t.Errorf("%s: same seed, different data", fl)
		}
		if !reflect.DeepEqual(a.Me(), b.Me()) || !reflect.DeepEqual(a.Users(), b.Users()) {
			t.Errorf("%s: users differ", fl)
		}
		if da == dump(t, New(Options{Flavor: fl, Seed: 43, Issues: 40})) {
			t.Errorf("%s: different seeds, same data", fl)
		}
	}
}

func TestGeneratorShape(t *testing.T) {
	s := New(Options{Seed: 1})
	keys := s.Keys()
	if len(keys) != 300 {
		t.Fatalf("%d issues, want 300", len(keys))
	}
	me := s.Me()
	if me.DisplayName != "Ada Lovelace" || len(me.AccountID) != 24 || me.Name != "" {
		t.Errorf("me = %+v", me)
	}
	if len(s.Users()) < 9 {
		t.Errorf("%d users", len(s.Users()))
	}
	types, projects, statuses := map[string]int{}, map[string]int{}, map[string]int{}
	mineOpen, withComments, withParent := 0, 0, 0
	var sample string
	s.mu.Lock()
	for _, i := range s.issues {
		types[i.Type.Name]++
		projects[i.Project.Key]++
		statuses[i.Status.Name]++
		if i.Assignee == s.me && i.Resolution == nil {
			mineOpen++
		}
		if len(i.Comments) > 0 {
			withComments++
		}
		if i.Parent != nil {
			withParent++
		}
		if len(i.Comments) > 6 {
			t.Errorf("%s has %d comments", i.Key, len(i.Comments))
		}
		if (i.Status.Name == "Done") != (i.Resolution != nil) {
			t.Errorf("%s: status %s with resolution %v", i.Key, i.Status.Name, i.Resolution)
		}
		if sample == "" && strings.Contains(toWiki(i.Description), "||") {
			sample = adfJSON(i.Description, s.userResolver())
		}
	}
	s.mu.Unlock()
	for _, ty := range []string{"Bug", "Story", "Task", "Epic", "Sub-task"} {
		if types[ty] == 0 {
			t.Errorf("no %s generated: %v", ty, types)
		}
	}
	if len(projects) != 3 || projects["JIF"] == 0 || projects["WEB"] == 0 || projects["OPS"] == 0 {
		t.Errorf("projects = %v", projects)
	}
	if len(statuses) != 4 {
		t.Errorf("statuses = %v", statuses)
	}
	if mineOpen < 70 || mineOpen > 130 {
		t.Errorf("%d of 300 are mine and unresolved; want about a third", mineOpen)
	}
	if withComments < 150 || withParent < 50 {
		t.Errorf("%d with comments, %d with a parent", withComments, withParent)
	}
	// Rich descriptions: the ADF carries every node kind the brief lists.
	for _, want := range []string{"heading", "strong", "em", "code", "link", "bulletList", "orderedList", "codeBlock", "blockquote", "panel", "table", "mention"} {
		if !strings.Contains(sample, `"type":"`+want+`"`) {
			t.Errorf("generated description lacks %s", want)
		}
	}
	// Options: project and issue counts, fixed now.
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	small := New(Options{Flavor: "datacenter", Projects: 5, Issues: 10, Now: now})
	if len(small.Keys()) != 10 {
		t.Errorf("%d issues", len(small.Keys()))
	}
	for _, k := range small.Keys() {
		if i, _ := small.Issue(k); i.Updated.After(now) {
			t.Errorf("%s updated %v after now", k, i.Updated)
		}
	}
	if small.Me().Name != Username || small.Me().AccountID != "" {
		t.Errorf("dc me = %+v", small.Me())
	}
}

func TestAddIssueErrors(t *testing.T) {
	s := New(Options{Issues: -1})
	for _, n := range []NewIssue{{}, {Summary: "x", Project: "NOPE"}, {Summary: "x", Type: "Incident"}, {Summary: "x", Status: "Blocked"}, {Summary: "x", Assignee: "nobody"}, {Summary: "x", Parent: "JIF-99"}, {Summary: "x", Priority: "Urgent"}, {Summary: "x", Type: "Sub-task"}} {
		if _, err := s.AddIssue(n); err == nil {
			t.Errorf("AddIssue(%+v) succeeded", n)
		}
	}
	if len(s.Keys()) != 0 {
		t.Errorf("failed adds left %v", s.Keys())
	}
	k, err := s.AddIssue(NewIssue{Summary: "ok", Project: "OPS"})
	if err != nil || k != "OPS-1" {
		t.Errorf("AddIssue = %q, %v", k, err)
	}
}

func TestStart(t *testing.T) {
	s, u, stop, err := Start(Options{Flavor: "datacenter", Issues: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Errorf("url %q", u)
	}
	f := &fake{t: t, s: s, url: u, v: "2"}
	m := f.must(200, "GET", "/rest/api/2/serverInfo", "").obj(t)
	if m["baseUrl"] != u {
		t.Errorf("baseUrl %v, want %v", m["baseUrl"], u)
	}
	stop()
	stop() // idempotent
}

func BenchmarkSearch(b *testing.B) {
	for _, fl := range []string{FlavorCloud, FlavorDataCenter} {
		b.Run(fl, func(b *testing.B) {
			s := New(Options{Flavor: fl, Seed: 1, Issues: 1000, Projects: 3})
			path := "/rest/api/3/search/jql?jql=project+in+(JIF,WEB,OPS)+ORDER+BY+updated+DESC&maxResults=100&fields=summary,issuetype,priority,status,assignee,updated"
			req := func() *http.Request {
				r := httptest.NewRequest("GET", path, nil)
				r.SetBasicAuth(Email, Token)
				return r
			}
			if fl == FlavorDataCenter {
				path = strings.Replace(strings.Replace(path, "/3/search/jql", "/2/search", 1), "maxResults=100", "maxResults=100", 1)
				req = func() *http.Request {
					r := httptest.NewRequest("GET", path, nil)
					r.Header.Set("Authorization", "Bearer "+Token)
					return r
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req())
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}

func TestContextPath(t *testing.T) {
	s, u, stop, err := Start(Options{Flavor: FlavorDataCenter, Issues: 3, ContextPath: "/jira/"})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasSuffix(u, "/jira") {
		t.Fatalf("url %q", u)
	}
	f := &fake{t: t, s: s, url: u, v: "2"}
	m := f.must(200, "GET", "/rest/api/2/serverInfo", "").obj(t)
	if m["baseUrl"] != u {
		t.Errorf("baseUrl %v, want %v", m["baseUrl"], u)
	}
	is := f.must(200, "GET", "/rest/api/2/issue/"+s.Keys()[0]+"?fields=summary", "").obj(t)
	if self := is["self"].(string); !strings.HasPrefix(self, u+"/rest/api/2/issue/") {
		t.Errorf("self %q", self)
	}
	root := &fake{t: t, s: s, url: strings.TrimSuffix(u, "/jira"), v: "2"}
	root.must(404, "GET", "/rest/api/2/serverInfo", "")
}
