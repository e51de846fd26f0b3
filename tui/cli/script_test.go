package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // table dates are local: make them the same everywhere
	os.Exit(m.Run())
}

var flavours = []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter}

// allJQL matches every generated issue (Cloud refuses an unbounded query).
const allJQL = "created >= -3650d ORDER BY key"

// fake is a fakejira on loopback with environment credentials for it.
type fake struct {
	srv    *fakejira.Server
	url    string
	flavor string
	dir    string
	tty    bool // stdout, stdin and stderr count as terminals
}

func startFake(t testing.TB, flavor string, issues int) *fake {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 3, Issues: issues, Projects: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return &fake{srv: srv, url: url, flavor: flavor, dir: t.TempDir()}
}

func (f *fake) vars() map[string]string {
	v := map[string]string{"JIRA_URL": f.url, "JIRA_API_TOKEN": fakejira.Token,
		"JIFFY_CONFIG": filepath.Join(f.dir, "none.toml")}
	if f.flavor == fakejira.FlavorCloud {
		v["JIRA_EMAIL"] = fakejira.Email
	}
	return v
}

// run runs one command line through Parse and Run, as main does.
func (f *fake) run(t testing.TB, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	vars := f.vars()
	code = f.runEnv(t, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}, args...)
	return code, out.String(), errb.String()
}

func (f *fake) runEnv(t testing.TB, env Env, args ...string) int {
	t.Helper()
	inv, err := Parse(args)
	if err != nil {
		return Fail(env.Stderr, err)
	}
	env.StateDir = filepath.Join(f.dir, "state")
	env.Limits = &jiraclient.Limits{ReadRPS: math.Inf(1), WriteRPS: math.Inf(1), IssueWritesPer2s: 1000, IssueWritesPer30s: 1000}
	env.Retry = &jiraclient.RetryPolicy{MaxRetries: 4, Initial: time.Millisecond, Max: time.Second}
	env.Terminal = func(any) bool { return f.tty }
	return Run(context.Background(), inv, env)
}

// site hides the fake's random port so goldens are stable.
func (f *fake) site(s string) string { return strings.ReplaceAll(s, f.url, "https://SITE") }

func searches(srv *fakejira.Server) (n, n429 int) {
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "/search") {
			n++
			if r.Status == 429 {
				n429++
			}
		}
	}
	return n, n429
}

// 250 issues come through three pages of 100 while every 4th request is
// answered 429 (from the first on, and, harder, every 2nd): all 250 are
// printed, each once, on both flavours.
func TestListAllPagesThroughRateLimits(t *testing.T) {
	for _, tc := range []struct {
		fl    string
		every int
	}{{fakejira.FlavorCloud, 4}, {fakejira.FlavorDataCenter, 4}, {fakejira.FlavorCloud, 2}, {fakejira.FlavorDataCenter, 2}} {
		fl := tc.fl
		t.Run(fmt.Sprintf("%s/every-%d", fl, tc.every), func(t *testing.T) {
			f := startFake(t, fl, 250)
			script := make([]fakejira.Fault, 16)
			for i := 0; i < len(script); i += tc.every {
				script[i] = fakejira.Fault{Status: 429, RetryAfter: "0"}
			}
			f.srv.SetFaults(fakejira.Faults{Script: script})
			code, out, errOut := f.run(t, "", "list", "--jql", allJQL, "--output", "ndjson")
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			seen := map[string]bool{}
			for _, l := range lines {
				var is IssueJSON
				if err := json.Unmarshal([]byte(l), &is); err != nil {
					t.Fatalf("not JSON: %q", l)
				}
				if seen[is.Key] {
					t.Errorf("%s printed twice", is.Key)
				}
				seen[is.Key] = true
			}
			n, n429 := searches(f.srv)
			if len(seen) != 250 || n-n429 != 3 || n429 == 0 {
				t.Errorf("%d issues printed; %d searches answered, %d refused with 429 (want 250 issues, 3 pages)", len(seen), n-n429, n429)
			}
		})
	}
}

// Each format of list and view, against goldens (both flavours print the
// same shapes; names differ as the flavours' data does).
func TestGoldenOutputs(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl, func(t *testing.T) {
			f := startFake(t, fl, 6)
			key := f.srv.Keys()[0]
			for _, tc := range []struct {
				name string
				args []string
			}{
				{"list-table", []string{"list", "--jql", allJQL, "--output", "table"}},
				{"list-plain", []string{"list", "--jql", allJQL}},
				{"list-csv", []string{"list", "--jql", allJQL, "--output", "csv", "--columns", "key,summary,labels,created,reporter"}},
				{"list-json", []string{"list", "--jql", allJQL, "--output", "json", "--limit", "2"}},
				{"list-ndjson", []string{"list", "--jql", allJQL, "--output", "ndjson", "--limit", "2"}},
				{"view-markdown", []string{"view", key}},
				{"view-json", []string{"view", key, "--output", "json"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					code, out, errOut := f.run(t, "", tc.args...)
					if code != 0 {
						t.Fatalf("exit %d: %s", code, errOut)
					}
					golden.RequireEqual(t, []byte(f.site(out)))
				})
			}
		})
	}
}

// --raw prints Jira's own JSON: the fields object, ids and all.
func TestListRaw(t *testing.T) {
	f := startFake(t, fakejira.FlavorCloud, 3)
	code, out, errOut := f.run(t, "", "list", "--jql", allJQL, "--output", "ndjson", "--raw")
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var v struct {
			Key    string         `json:"key"`
			Fields map[string]any `json:"fields"`
		}
		if json.Unmarshal([]byte(l), &v) != nil || v.Key == "" || v.Fields["status"] == nil {
			t.Errorf("not Jira's issue: %s", l)
		}
	}
	if code, _, errOut := f.run(t, "", "list", "--raw"); code != 2 || !strings.Contains(errOut, "--raw prints JSON") {
		t.Errorf("--raw with plain: %d %s", code, errOut)
	}
}

// Jira text cannot reach the terminal as a command: escape sequences,
// C1 controls and bidi overrides are removed from every output, JSON and
// --raw included, and the words around them kept.
func TestOutputIsSanitised(t *testing.T) {
	f := startFake(t, fakejira.FlavorDataCenter, -1)
	evil := "Evil \x1b]0;pwned\x07title \u009b31m red \u202egnp.exe"
	key, err := f.srv.AddIssue(fakejira.NewIssue{Summary: evil, Comments: []string{"hi \x1b[2J there"}, Description: "desc \u200b\x1b[31m"})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"list", "--jql", "key = " + key}, {"list", "--jql", "key = " + key, "--output", "table"},
		{"list", "--jql", "key = " + key, "--output", "csv"}, {"list", "--jql", "key = " + key, "--output", "json"},
		{"list", "--jql", "key = " + key, "--output", "ndjson", "--raw"},
		{"view", key}, {"view", key, "--output", "json"}, {"view", key, "--output", "ndjson", "--raw"},
	} {
		code, out, errOut := f.run(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: %d %s", args, code, errOut)
		}
		if i := strings.IndexFunc(out, func(r rune) bool {
			return r == 0x1b || r == 0x07 || (r >= 0x80 && r < 0xa0) || r == 0x202e || r == 0x200b
		}); i >= 0 {
			t.Errorf("%v prints a control or bidi character: %q", args, out)
		}
		// jiraclient cleans Jira's text where it enters: the words stay,
		// the sequences go (in JSON too: Jira's own, with --raw).
		if !strings.Contains(out, "Evil ]0;pwnedtitle 31m red gnp.exe") {
			t.Errorf("%v lost the summary's words: %s", args, out)
		}
	}
}

// `jiffy list | head -1`: the reader goes away; jiffy stops quietly with
// status 0.
func TestListIntoClosedPipe(t *testing.T) {
	f := startFake(t, fakejira.FlavorCloud, 250)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// head -1: read one line, then close.
	done := make(chan string)
	go func() {
		buf := make([]byte, 1)
		var line []byte
		for {
			if _, err := r.Read(buf); err != nil || buf[0] == '\n' {
				break
			}
			line = append(line, buf[0])
		}
		r.Close()
		done <- string(line)
	}()
	var errb bytes.Buffer
	vars := f.vars()
	code := f.runEnv(t, Env{Stdout: w, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}, "list", "--jql", allJQL)
	w.Close()
	first := <-done
	if code != 0 || errb.Len() != 0 {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(first, "\t") {
		t.Errorf("first line %q", first)
	}
	if n, _ := searches(f.srv); n >= 3 {
		t.Errorf("%d searches after the reader left; it should stop at the first write that fails", n)
	}
}

// A login Jira does not accept exits 3 with one line; so does none at all.
func TestExitCodes(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl, func(t *testing.T) {
			f := startFake(t, fl, 3)
			f.srv.SetToken("another-token")
			code, out, errOut := f.run(t, "", "list", "--jql", allJQL)
			if code != 3 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "jiffy: ") {
				t.Errorf("401: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
	f := startFake(t, fakejira.FlavorCloud, 3)
	var out, errb bytes.Buffer
	cfg := filepath.Join(t.TempDir(), "none.toml")
	code := f.runEnv(t, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "JIFFY_CONFIG" {
			return cfg
		}
		return ""
	}}, "list")
	if code != 3 || !strings.Contains(errOut(errb), "jiffy login") {
		t.Errorf("no login: exit %d, %q", code, errb.String())
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"view", "NOPE-999"}, 1, "NOPE-999"},
		{[]string{"list", "--jql", "status = = x"}, 1, "JQL"},
		{[]string{"list", "--output", "xml"}, 2, `unknown output format "xml"`},
		{[]string{"list", "--columns", "key,colour"}, 2, `unknown column "colour"`},
		{[]string{"view"}, 2, "view needs KEY"},
		{[]string{"view", "A-1", "B-2"}, 2, `unexpected argument "B-2"`},
		{[]string{"label", "A-1"}, 2, "label needs KEY +ADD -REMOVE"},
		{[]string{"create", "--project", "X"}, 2, "create needs --type"},
		{[]string{"transition", f.srv.Keys()[0], "Nowhere"}, 2, "cannot move to \"Nowhere\" now; it can move to:"},
	} {
		code, _, errOut := f.run(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", tc.args, code, tc.code, errOut, tc.want)
		}
	}
}

func errOut(b bytes.Buffer) string { return b.String() }

// Each write verb, checked in fakejira's own record of the issue.
func TestWrites(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl, func(t *testing.T) {
			f := startFake(t, fl, -1)
			key, err := f.srv.AddIssue(fakejira.NewIssue{Summary: "Crash on save", Labels: []string{"old"}})
			if err != nil {
				t.Fatal(err)
			}
			me := f.srv.Me()
			meID := me.AccountID
			if fl == fakejira.FlavorDataCenter {
				meID = me.Name
			}
			other := f.srv.Users()[1]
			otherID := other.AccountID
			if fl == fakejira.FlavorDataCenter {
				otherID = other.Name
			}
			check := func(args []string, stdin string, ok func(fakejira.IssueSnapshot) bool) {
				t.Helper()
				code, out, errOut := f.run(t, stdin, args...)
				if code != 0 || strings.TrimSpace(out) != key {
					t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
				}
				snap, _ := f.srv.Issue(key)
				if !ok(snap) {
					t.Errorf("%v: Jira has %+v", args, snap)
				}
			}
			check([]string{"assign", key, "me"}, "", func(s fakejira.IssueSnapshot) bool { return s.Assignee == meID })
			check([]string{"assign", key, other.DisplayName}, "", func(s fakejira.IssueSnapshot) bool { return s.Assignee == otherID })
			check([]string{"assign", key, "none"}, "", func(s fakejira.IssueSnapshot) bool { return s.Assignee == "" })
			check([]string{"label", key, "+triaged", "-old", "+p1"}, "", func(s fakejira.IssueSnapshot) bool {
				return slices.Equal(s.Labels, []string{"p1", "triaged"})
			})
			check([]string{"comment", key, "--body", "Fixed in **main**."}, "", func(s fakejira.IssueSnapshot) bool {
				return s.Comments == 1 && strings.Contains(s.CommentBodies[0], "main")
			})
			check([]string{"comment", key}, "From a *file*\n", func(s fakejira.IssueSnapshot) bool {
				return s.Comments == 2 && strings.Contains(s.CommentBodies[1], "file")
			})
			check([]string{"transition", key, "in progress"}, "", func(s fakejira.IssueSnapshot) bool { return s.Status == "In Progress" })
			// Done asks for a resolution: the command says which, then does it.
			code, _, errOut := f.run(t, "", "transition", key, "Done")
			if code != 2 || !strings.Contains(errOut, "needs a resolution: add --resolution NAME") {
				t.Errorf("Done without a resolution: %d %q", code, errOut)
			}
			check([]string{"transition", key, "Done", "--resolution", "won't do", "--comment", "-"}, "Closing: duplicate.", func(s fakejira.IssueSnapshot) bool {
				return s.Status == "Done" && s.Resolution == "Won't Do" && s.Comments == 3
			})
			// create prints the new key, which Jira then has.
			code, out, errOut := f.run(t, "## Steps\n\n1. open\n2. save", "create", "--project", strings.Split(key, "-")[0], "--type", "bug", "--summary", "Made from a script", "--description", "-")
			newKey := strings.TrimSpace(out)
			snap, ok := f.srv.Issue(newKey)
			if code != 0 || !ok || snap.Summary != "Made from a script" || snap.Type != "Bug" || !strings.Contains(snap.DescriptionText, "open") {
				t.Errorf("create: exit %d %q %q: %+v", code, out, errOut, snap)
			}
		})
	}
}

// Waits show on stderr only when it is a terminal.
func TestWaitsOnlyOnTerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		f := startFake(t, fakejira.FlavorCloud, 3)
		f.tty = tty
		f.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "0"}}})
		code, _, errOut := f.run(t, "", "list", "--jql", allJQL, "--output", "plain")
		if code != 0 {
			t.Fatal(errOut)
		}
		if shown := strings.Contains(errOut, "Jira rate limit"); shown != tty {
			t.Errorf("terminal %v: stderr %q", tty, errOut)
		}
	}
}

// The CSV is one record per issue with a header, whatever the text holds.
func TestCSVQuoting(t *testing.T) {
	f := startFake(t, fakejira.FlavorCloud, -1)
	// A summary is one line (jiraclient folds a newline Jira sends into a
	// space); the comma and the quotes still need CSV's quoting.
	key, _ := f.srv.AddIssue(fakejira.NewIssue{Summary: "a, \"quoted\"\nsummary"})
	_, out, _ := f.run(t, "", "list", "--jql", "key = "+key, "--output", "csv", "--columns", "key,summary")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][1] != "a, \"quoted\" summary" {
		t.Errorf("%v %q", err, recs)
	}
}

// --query runs the profile's saved query; an unknown name lists the known.
func TestListSavedQuery(t *testing.T) {
	f := startFake(t, fakejira.FlavorCloud, 5)
	key := f.srv.Keys()[2]
	cfg := "[profiles.p]\nurl = \"https://p.atlassian.net\"\nflavor = \"cloud\"\nemail = \"p@example.com\"\n" +
		"[[profiles.p.queries]]\nname = \"Mine\"\njql = \"key = " + key + "\"\n"
	if err := os.WriteFile(filepath.Join(f.dir, "none.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := f.run(t, "", "list", "--query", "mine", "--columns", "key")
	if code != 0 || out != key+"\n" {
		t.Errorf("exit %d, %q %q", code, out, errOut)
	}
	code, _, errOut = f.run(t, "", "list", "--query", "theirs")
	if code != 2 || !strings.Contains(errOut, `no saved query "theirs"; the profile has: Mine`) {
		t.Errorf("exit %d, %q", code, errOut)
	}
}

// view prints every comment, past the first page the issue carries.
func TestViewAllComments(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl, func(t *testing.T) {
			f := startFake(t, fl, -1)
			var cs []string
			for i := 0; i < 130; i++ {
				cs = append(cs, fmt.Sprintf("comment %d", i+1))
			}
			key, err := f.srv.AddIssue(fakejira.NewIssue{Summary: "Chatty", Comments: cs})
			if err != nil {
				t.Fatal(err)
			}
			code, out, errOut := f.run(t, "", "view", key, "--output", "json")
			var v IssueDetailJSON
			if code != 0 || json.Unmarshal([]byte(out), &v) != nil {
				t.Fatalf("exit %d %s", code, errOut)
			}
			if len(v.Comments) != 130 || v.CommentTotal != 130 || v.Comments[129].Body != "comment 130" {
				t.Errorf("%d comments of %d; last %+v", len(v.Comments), v.CommentTotal, v.Comments[len(v.Comments)-1])
			}
		})
	}
}
