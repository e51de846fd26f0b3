package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestBulkAssignByName is the bulk assign a person makes in the demo:
// select 3 issues, a, type a colleague's name, enter on the match. The 3
// go to that colleague and nothing else is written: a name's letters are
// text (once, d for "dennis" sent all 3 to the project default). The Jira
// is the demo's (its flavour, seed and clock, as main starts it), served
// by the test so its requests and issues can be read.
func TestBulkAssignByName(t *testing.T) {
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 1, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	h := newHome(t)
	tm := h.run(t, envCreds(fakejira.FlavorCloud, url))
	tm.waitFor("Summary", 10*time.Second)

	// The first three rows, top down.
	var keys []string
	lines := strings.Split(tm.screen(), "\n")
	for i, line := range lines {
		if strings.Contains(line, "Summary") {
			for _, row := range lines[i+1:] {
				if k := keyRe.FindString(row); k != "" && len(keys) < 3 {
					keys = append(keys, k)
				}
			}
			break
		}
	}
	if len(keys) != 3 {
		t.Fatalf("fewer than 3 issues on screen: %q", keys)
	}
	// A colleague none of the 3 has yet, a name starting with a letter
	// that once was a shortcut (d, i, u) when there is one.
	have := map[string]bool{}
	for _, k := range keys {
		snap, _ := srv.Issue(k)
		have[snap.Assignee] = true
	}
	var who fakejira.User
	for _, u := range srv.Users() {
		if u.AccountID == srv.Me().AccountID || have[u.AccountID] || u.DisplayName == "" {
			continue
		}
		if who.AccountID == "" || strings.ContainsAny(strings.ToLower(u.DisplayName[:1]), "diu") {
			who = u
		}
	}
	if who.AccountID == "" {
		t.Fatal("no colleague to assign to")
	}
	first := strings.ToLower(strings.Fields(who.DisplayName)[0])
	t.Logf("assigning %q to %s by typing %q", keys, who.DisplayName, first)

	tm.keys("Space", "Space", "Space")
	tm.waitFor("3 selected", 5*time.Second)
	srv.ResetRequests()
	tm.keys("a")
	tm.waitFor("Assign 3 issues", 5*time.Second)
	tm.waitFor("Assign to me (", 5*time.Second) // the fixed choices head the picker
	tm.typeText(first)
	tm.waitFor("› "+first, 5*time.Second)
	tm.waitGone("Assign to me (", 5*time.Second) // typing: only people match
	tm.waitMatch(regexpLine("▸", who.DisplayName), 5*time.Second)
	tm.keys("Enter")
	tm.waitFor("all 3 done", 10*time.Second)

	for _, k := range keys {
		jira(t, srv, k, "the assignee "+who.DisplayName, func(i fakejira.IssueSnapshot) bool { return i.Assignee == who.AccountID })
	}
	var writes []string
	for _, r := range srv.Requests() {
		if r.Method != "GET" && !strings.Contains(r.Path, "/search") {
			writes = append(writes, r.Method+" "+r.Path)
		}
	}
	want := map[string]bool{}
	for _, k := range keys {
		want["PUT /rest/api/3/issue/"+k+"/assignee"] = true
	}
	if len(writes) != 3 {
		t.Fatalf("%d writes, want the 3 assignments: %q", len(writes), writes)
	}
	for _, w := range writes {
		if !want[w] {
			t.Fatalf("an unexpected write: %s (all: %q)", w, writes)
		}
	}
	// Any key closes the summary; the rows show the new assignee.
	tm.keys("j")
	tm.waitGone("all 3 done", 5*time.Second)
	for _, k := range keys {
		tm.waitRow(k, who.DisplayName, 5*time.Second)
	}
}

// regexpLine matches a line holding a, then b.
func regexpLine(a, b string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(a) + `.*` + regexp.QuoteMeta(b))
}
