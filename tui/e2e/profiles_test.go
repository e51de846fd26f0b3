package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// profileRe finds the profiles' tables in the config file.
var profileRe = regexp.MustCompile(`(?m)^[ \t]*\[profiles\.(?:"([^"]+)"|([^\]\s]+))\]`)

// profileNames are the profiles of the home's config file, sorted (the
// picker's order), and the one whose url is site.
func profileNames(t *testing.T, h home, site string) (names []string, of string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	locs := profileRe.FindAllStringSubmatchIndex(text, -1)
	for i, l := range locs {
		var name string
		if l[2] >= 0 {
			name = text[l[2]:l[3]]
		} else {
			name = text[l[4]:l[5]]
		}
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		if strings.Contains(text[l[1]:end], `"`+site+`"`) {
			of = name
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if of == "" {
		t.Fatalf("no profile for %s in:\n%s", site, text)
	}
	return names, of
}

// TestProfileSwitch: two Jira sites (Cloud and Data Center), a profile
// for each in the config and the file keyring. Started on the first, P
// switches to the second without a restart: its list shows from its
// cache while its Jira is still answering (3 s late), then fresh; the
// status bar names the second site and profile.
func TestProfileSwitch(t *testing.T) {
	_, urlA := startJira(t, fakejira.FlavorCloud)
	srvB, urlB := startJira(t, fakejira.FlavorDataCenter)
	h := newHome(t)
	if out, err := h.command(t, fakejira.Token+"\n", "login", "--url", urlA, "--email", fakejira.Email, "--with-token"); err != nil {
		t.Fatalf("login to A: %v\n%s", err, out)
	}
	if out, err := h.command(t, fakejira.Token+"\n", "login", "--url", urlB, "--with-token"); err != nil {
		t.Fatalf("login to B: %v\n%s", err, out)
	}
	names, nameA := profileNames(t, h, urlA)
	_, nameB := profileNames(t, h, urlB)
	if len(names) != 2 {
		t.Fatalf("profiles %v", names)
	}
	ctx := context.Background()
	// The same issue key on both sites, told apart by its summary.
	clA, clB := client(t, fakejira.FlavorCloud, urlA), client(t, fakejira.FlavorDataCenter, urlB)
	page, err := clA.Search(ctx, jiraclient.SearchQuery{JQL: "created >= -5000d ORDER BY key ASC", Fields: []string{"summary"}, PageSize: 1}, jiraclient.Cursor{})
	if err != nil || len(page.Issues) == 0 {
		t.Fatalf("search: %v", err)
	}
	key := page.Issues[0].Key
	setSummary := func(cl *jiraclient.Client, s string) {
		t.Helper()
		if err := cl.EditIssue(ctx, key, jiraclient.IssueEdit{Summary: &s}); err != nil {
			t.Fatal(err)
		}
	}
	setSummary(clA, "Alpha site marker")
	setSummary(clB, "Beta cached marker")
	// Each profile's first query is that issue.
	cfgPath := filepath.Join(h.dir, "config.toml")
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg := profileRe.ReplaceAllString(string(b), "$0\ndefault_jql = \"key = "+key+"\"")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// The second profile was used before: its cache holds its list.
	tm := h.run(t, nil, "--profile", nameB)
	tm.waitFor("Beta cached marker", 10*time.Second)
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("first run exited with %s", status)
	}

	// Since then B's issue changed, and B is slow.
	setSummary(clB, "Beta fresh marker")
	tm = h.run(t, nil, "--profile", nameA)
	tm.waitFor("Alpha site marker", 10*time.Second)
	if s := tm.screen(); !strings.Contains(s, strings.TrimPrefix(urlA, "http://")) || !strings.Contains(s, nameA) {
		t.Fatalf("the status bar does not name the profile and site:\n%s", s)
	}
	srvB.SetFaults(fakejira.Faults{Latency: 3 * time.Second})
	srvB.ResetRequests()
	tm.keys("P")
	tm.waitFor("Switch profile", 5*time.Second)
	if names[0] == nameA {
		tm.keys("j")
	} else {
		tm.keys("k")
	}
	tm.keys("Enter")
	tm.waitFor("Beta cached marker", 10*time.Second)
	for _, r := range srvB.Requests() {
		if r.Status != 0 {
			t.Fatalf("B's Jira answered %s %s before its cached list showed", r.Method, r.Path)
		}
	}
	s := tm.screen()
	if !strings.Contains(s, "cached") || strings.Contains(s, "Alpha site marker") {
		t.Fatalf("B's cached list:\n%s", s)
	}
	if !strings.Contains(s, strings.TrimPrefix(urlB, "http://")) || !strings.Contains(s, nameB) {
		t.Fatalf("the status bar does not name B's profile and site:\n%s", s)
	}
	tm.waitFor("Beta fresh marker", 15*time.Second)
	tm.waitGone("cached", 5*time.Second)
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exited with %s", status)
	}
}

// TestDemoProfiles: with --demo the picker offers the demo's two flavours
// as two profiles, each its own fake Jira; P switches between them and
// the status bar names the one in use.
func TestDemoProfiles(t *testing.T) {
	h := newHome(t)
	tm := h.run(t, nil, "--demo")
	tm.waitFor("Summary", 10*time.Second)
	tm.waitFor("demo Cloud", 5*time.Second)
	tm.keys("P")
	tm.waitFor("demo Data Center", 5*time.Second)
	if s := tm.screen(); !strings.Contains(s, "built in, nothing leaves this machine") {
		t.Fatalf("picker:\n%s", s)
	}
	tm.keys("j", "Enter")
	tm.waitFor("switched to demo Data Center", 10*time.Second)
	tm.waitFor("Summary", 5*time.Second)
	tm.keys("P")
	tm.waitFor("Switch profile", 5*time.Second)
	tm.keys("k", "Enter")
	tm.waitFor("switched to demo Cloud", 10*time.Second)
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exit status %s", status)
	}
}
