package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestFieldsAndWorklog: from the detail, set story points (e, the field
// found by typing, a number), a fix version (e, a version chosen from the
// allowed values) and a reviewer (e, a person found by a search in Jira),
// log 1h 30m (L) and create a sub-task (S); each lands in Jira.
func TestFieldsAndWorklog(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			s := signedIn(t, flavor, fakejira.NewIssue{Summary: "E2E fields target", Assignee: fakejira.Username})
			tm, key := s.tm, s.key
			tm.keys("Enter")
			tm.waitFor("Description", 5*time.Second)

			// Story points.
			tm.mark()
			tm.keys("e")
			tm.waitFor("Edit a field of "+key, 5*time.Second)
			tm.waitFor("Summary", 5*time.Second) // the fields loaded
			tm.typeText("story point")
			tm.waitGone("Summary", 5*time.Second)
			tm.keys("Enter")
			tm.waitFor("now: empty", 5*time.Second)
			tm.typeText("5")
			tm.keys("Enter")
			tm.waitFor(key+": Story", 5*time.Second)
			poll(t, "story points 5", func() bool {
				v, _ := s.srv.CustomValues(key)
				return v["Story points"] == "5"
			})
			n, seq := tm.strokes()
			t.Logf("%s: story points from the detail: %d keystrokes (%s)", flavor, n, seq)

			// A fix version.
			tm.mark()
			tm.keys("e")
			tm.waitFor("Edit a field of "+key, 5*time.Second)
			tm.waitFor("Summary", 5*time.Second)
			tm.typeText("fix ver")
			tm.waitGone("Summary", 5*time.Second)
			tm.keys("Enter")
			tm.waitFor("type to filter the values", 5*time.Second)
			tm.typeText("1.3")
			tm.waitGone("v1.2.0", 5*time.Second)
			tm.keys("Tab", "Enter")
			tm.waitFor(key+": Fix versions set", 5*time.Second)
			cl := client(t, flavor, s.url)
			poll(t, "fix version v1.3.0", func() bool {
				is, err := cl.GetIssue(context.Background(), key, jiraclient.GetIssueOptions{})
				return err == nil && len(is.FixVersions) == 1 && is.FixVersions[0] == "v1.3.0"
			})
			tm.waitFor("Fix versions  v1.3.0", 5*time.Second) // the detail shows Jira's answer
			n, seq = tm.strokes()
			t.Logf("%s: fix version from the detail: %d keystrokes (%s)", flavor, n, seq)

			// A reviewer, found by typing part of her name.
			tm.mark()
			tm.keys("e")
			tm.waitFor("Edit a field of "+key, 5*time.Second)
			tm.waitFor("Summary", 5*time.Second)
			tm.typeText("reviewer")
			tm.waitGone("Summary", 5*time.Second)
			tm.keys("Enter")
			tm.waitFor("type a name or e-mail to search", 5*time.Second)
			tm.typeText("grac")
			tm.waitFor("Grace Hopper <grace@example.com>", 5*time.Second)
			tm.keys("Enter")
			tm.waitFor(key+": Reviewer set", 5*time.Second)
			poll(t, "reviewer grace", func() bool {
				v, _ := s.srv.CustomValues(key)
				return v["Reviewer"] == "grace"
			})
			n, seq = tm.strokes()
			t.Logf("%s: reviewer from the detail: %d keystrokes (%s)", flavor, n, seq)

			// Log 1h 30m.
			tm.mark()
			tm.keys("L")
			tm.waitFor("Log work on "+key, 5*time.Second)
			tm.waitFor("No work logged yet.", 5*time.Second)
			tm.typeText("1h 30m")
			tm.keys("Enter")
			tm.waitFor("logged 1h 30m on "+key, 5*time.Second)
			poll(t, "a worklog of 1h 30m", func() bool {
				a, _ := s.srv.Activity(key)
				return len(a.Worklogs) == 1 && a.Worklogs[0].Seconds == 5400
			})
			n, seq = tm.strokes()
			t.Logf("%s: log 1h 30m from the detail: %d keystrokes (%s)", flavor, n, seq)

			// A sub-task of the issue (S: the one sub-task type, the parent
			// filled in).
			tm.mark()
			tm.keys("S")
			tm.waitFor("New sub-task of "+key, 5*time.Second)
			tm.waitFor("Parent", 5*time.Second)
			tm.typeText("E2E piece of work")
			tm.keys("C-s")
			poll(t, "a sub-task under "+key, func() bool {
				for _, k := range s.srv.Keys() {
					if sn, _ := s.srv.Issue(k); sn.Parent == key && sn.Summary == "E2E piece of work" {
						return true
					}
				}
				return false
			})
			n, seq = tm.strokes()
			t.Logf("%s: a sub-task from the detail: %d keystrokes (%s)", flavor, n, seq)
		})
	}
}

// poll waits until ok holds (a write lands just after its note shows).
func poll(t *testing.T, what string, ok func() bool) {
	t.Helper()
	if !eventually(5*time.Second, ok) {
		t.Fatalf("Jira never had %s", what)
	}
}

// client is a client of the test's Jira, to read what it holds.
func client(t *testing.T, flavor, url string) *jiraclient.Client {
	t.Helper()
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
	if flavor == fakejira.FlavorDataCenter {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}
	}
	cl, err := jiraclient.New(url, cred, jiraclient.WithFlavor(jiraclient.ParseFlavor(flavor)))
	if err != nil {
		t.Fatal(err)
	}
	return cl
}
