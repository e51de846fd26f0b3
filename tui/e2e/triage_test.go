package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// The triage tests start from an issue the test adds: its fresh "updated"
// puts it first in the default list (assigned to me, newest first), so the
// cursor is on it when the list shows and no test depends on generated data.

var flavors = []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter}

// session is one signed-in jiffy and the Jira behind it.
type session struct {
	srv  *fakejira.Server
	url  string
	h    home
	tm   *term
	key  string
	env  []string
	flav string
}

// signedIn starts Jira with issue added, runs jiffy on it with env
// credentials plus extraEnv, and waits for the list with the cursor on the
// new issue.
func signedIn(t *testing.T, flavor string, issue fakejira.NewIssue, extraEnv ...string) *session {
	t.Helper()
	srv, url := startJira(t, flavor)
	key, err := srv.AddIssue(issue)
	if err != nil {
		t.Fatal(err)
	}
	s := &session{srv: srv, url: url, h: newHome(t), key: key, flav: flavor}
	s.env = append(envCreds(flavor, url), extraEnv...)
	s.tm = s.h.run(t, s.env)
	s.tm.waitFor(issue.Summary, 10*time.Second)
	if got := cursorKey(t, s.tm.screen()); got != key {
		t.Fatalf("the cursor is on %s, want the new issue %s", got, key)
	}
	return s
}

// jira polls the issue until ok holds, so a write that lands just after
// its note shows is not read too early.
func jira(t *testing.T, srv *fakejira.Server, key string, what string, ok func(fakejira.IssueSnapshot) bool) fakejira.IssueSnapshot {
	t.Helper()
	var snap fakejira.IssueSnapshot
	found := true
	held := eventually(5*time.Second, func() bool {
		snap, found = srv.Issue(key)
		return !found || ok(snap)
	})
	switch {
	case !found:
		t.Fatalf("%s is not in Jira", key)
	case !held:
		t.Fatalf("Jira never had %s: %+v", what, snap)
	}
	return snap
}

// waitRow waits until the row of key contains text.
func (tm *term) waitRow(key, text string, timeout time.Duration) {
	tm.t.Helper()
	tm.waitMatch(regexp.MustCompile(`\b`+regexp.QuoteMeta(key)+`\b.*`+regexp.QuoteMeta(text)), timeout)
}

// choice is the number a picker shows before label ("2 In Progress").
func choice(t *testing.T, screen, label string) string {
	t.Helper()
	m := regexp.MustCompile(`\b([1-9]) ` + regexp.QuoteMeta(label) + `\b`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no numbered choice %q on screen:\n%s", label, screen)
	}
	return m[1]
}

// meID is the fake's user as the snapshot names an assignee.
func meID(srv *fakejira.Server) string {
	if me := srv.Me(); me.AccountID != "" {
		return me.AccountID
	}
	return srv.Me().Name
}

func TestTransition(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			s := signedIn(t, flavor, fakejira.NewIssue{Summary: "E2E transition target", Assignee: fakejira.Username})
			tm, key := s.tm, s.key

			// From the list: t, then the number of In Progress.
			start := time.Now()
			tm.mark()
			tm.keys("t")
			tm.waitFor("Move "+key, 5*time.Second)
			tm.waitFor("→ In Progress", 5*time.Second) // the transitions loaded
			tm.keys(choice(t, tm.screen(), "In Progress"))
			tm.waitFor(key+" → In Progress", 5*time.Second)
			jira(t, s.srv, key, "status In Progress", func(i fakejira.IssueSnapshot) bool { return i.Status == "In Progress" })
			tm.waitRow(key, "In Progress", 5*time.Second)
			n, seq := tm.strokes()
			t.Logf("%s: transition from the list: %d keystrokes (%s), %v to Jira and the row", flavor, n, seq, time.Since(start))

			// From the detail: Done asks for a resolution.
			tm.keys("Enter")
			tm.waitFor("Description", 5*time.Second)
			start = time.Now()
			tm.mark()
			tm.keys("t")
			tm.waitFor("Move "+key, 5*time.Second)
			tm.waitFor("→ Done", 5*time.Second)
			tm.keys(choice(t, tm.screen(), "Done"))
			tm.waitFor("Resolution", 5*time.Second)
			tm.waitFor("Won't Do", 5*time.Second) // the resolution list is open
			tm.typeText("won")
			tm.waitGone("Duplicate", 5*time.Second)
			tm.keys("Enter") // choose Won't Do
			tm.waitFor("Resolution * Won't Do", 5*time.Second)
			tm.keys("Enter") // move
			tm.waitFor(key+" → Done", 5*time.Second)
			snap := jira(t, s.srv, key, "status Done", func(i fakejira.IssueSnapshot) bool { return i.Status == "Done" })
			if snap.Resolution != "Won't Do" {
				t.Fatalf("resolution in Jira = %q, want Won't Do", snap.Resolution)
			}
			tm.waitFor("Status        Done", 5*time.Second)
			tm.waitFor("Resolution    Won't Do", 5*time.Second)
			n, seq = tm.strokes()
			t.Logf("%s: transition to Done from the detail, resolution filtered: %d keystrokes (%s), %v", flavor, n, seq, time.Since(start))
		})
	}
}

func TestAssignToMe(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			srv, url := startJira(t, flavor)
			const summary = "E2E assign target"
			// Grace's issue, reported by me: not in my default list, first
			// in "Reported by me" (newest created first).
			key, err := srv.AddIssue(fakejira.NewIssue{Summary: summary, Assignee: "grace"})
			if err != nil {
				t.Fatal(err)
			}
			h := newHome(t)
			tm := h.run(t, envCreds(flavor, url))
			tm.waitFor("Reported by me", 10*time.Second)
			tm.keys(choice(t, tm.screen(), "★ Reported by me"))
			tm.waitFor(summary, 10*time.Second)
			if got := cursorKey(t, tm.screen()); got != key {
				t.Fatalf("the cursor is on %s, want %s", got, key)
			}
			tm.waitRow(key, "Grace Hopper", 5*time.Second)

			start := time.Now()
			tm.mark()
			tm.keys("i")
			tm.waitFor(key+" assigned to you", 5*time.Second)
			jira(t, srv, key, "the assignee "+meID(srv), func(i fakejira.IssueSnapshot) bool { return i.Assignee == meID(srv) })
			tm.waitRow(key, srv.Me().DisplayName, 5*time.Second)
			n, seq := tm.strokes()
			t.Logf("%s: assign to me from the list: %d keystroke (%s), %v to Jira and the row", flavor, n, seq, time.Since(start))

			// Again: nothing to do, and Jira is not asked to.
			srv.ResetRequests()
			tm.keys("i")
			tm.waitFor("already assigned to you", 5*time.Second)
			for _, r := range srv.Requests() {
				if r.Method == "PUT" {
					t.Errorf("a second i sent %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

func TestCommentTextarea(t *testing.T) {
	for _, flavor := range flavors {
		t.Run(flavor, func(t *testing.T) {
			s := signedIn(t, flavor, fakejira.NewIssue{Summary: "E2E comment target", Assignee: fakejira.Username})
			tm, key := s.tm, s.key

			start := time.Now()
			tm.mark()
			tm.keys("c")
			tm.waitFor("Comment on "+key, 5*time.Second)
			tm.typeText("Deployed the **fix** to staging")
			tm.waitFor("to staging", 5*time.Second)
			tm.keys("C-s")
			tm.waitFor("Comment added to "+key, 5*time.Second)
			snap := jira(t, s.srv, key, "one comment", func(i fakejira.IssueSnapshot) bool { return i.Comments == 1 })
			n, seq := tm.strokes()
			t.Logf("%s: comment from the list: %d keystrokes (%s), %v to Jira", flavor, n, seq, time.Since(start))

			body := snap.CommentBodies[0]
			if !strings.Contains(body, "Deployed the ") || !strings.Contains(body, "to staging") {
				t.Fatalf("comment body in Jira: %s", body)
			}
			// Markdown bold arrives as the flavour's own markup.
			if flavor == fakejira.FlavorDataCenter && !strings.Contains(body, "*fix*") {
				t.Errorf("DC comment is not wiki bold: %s", body)
			}
			if flavor == fakejira.FlavorCloud && (!strings.Contains(body, `"strong"`) || strings.Contains(body, "**")) {
				t.Errorf("Cloud comment is not ADF with a strong mark: %s", body)
			}

			// The detail shows it, rendered (no Markdown asterisks).
			tm.keys("Enter")
			tm.waitFor("Comments (1)", 5*time.Second)
			tm.waitFor("Deployed the fix to staging", 5*time.Second)
		})
	}
}

// editorScript writes an editor that logs the file it was given, edits a
// word and appends a list item, the way a person would in vim.
func editorScript(t *testing.T, dir string) (script, log string) {
	t.Helper()
	script = filepath.Join(dir, "editor.sh")
	log = filepath.Join(dir, "editor.log")
	body := fmt.Sprintf(`#!/bin/sh
{ echo "file: $1"; cat "$1"; echo; } >> %q
sed 's/draft/final/' "$1" > "$1.new" && mv "$1.new" "$1"
printf '\n\n- checked by the editor\n' >> "$1"
`, log)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	wrong := filepath.Join(dir, "wrong-editor.sh")
	if err := os.WriteFile(wrong, []byte("#!/bin/sh\necho 'EDITOR ran instead of VISUAL' >> \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, log
}

func TestCommentEditor(t *testing.T) {
	flavor := fakejira.FlavorCloud // ADF lists: the richer conversion
	tmp := t.TempDir()
	script, log := editorScript(t, tmp)
	s := signedIn(t, flavor, fakejira.NewIssue{Summary: "E2E editor target", Assignee: fakejira.Username},
		"VISUAL="+script, "EDITOR="+filepath.Join(tmp, "wrong-editor.sh"), "TMPDIR="+tmp)
	tm, key := s.tm, s.key

	start := time.Now()
	tm.mark()
	tm.keys("c")
	tm.waitFor("Comment on "+key, 5*time.Second)
	tm.typeText("A draft note")
	tm.waitFor("A draft note", 5*time.Second)
	tm.keys("C-e")
	tm.waitFor("- checked by the editor", 10*time.Second)
	tm.waitFor("A final note", 5*time.Second)
	tm.waitFor("Comment on "+key, 5*time.Second) // back in the comment editor
	if strings.Contains(tm.screen(), "EDITOR ran") {
		t.Fatalf("$EDITOR ran although $VISUAL is set:\n%s", tm.screen())
	}
	logged, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("the editor did not run: %v", err)
	}
	if !strings.Contains(string(logged), "A draft note") || !strings.Contains(string(logged), ".md\n") {
		t.Fatalf("the editor got no Markdown file with the typed text:\n%s", logged)
	}
	tm.keys("C-s")
	tm.waitFor("Comment added to "+key, 5*time.Second)
	snap := jira(t, s.srv, key, "one comment", func(i fakejira.IssueSnapshot) bool { return i.Comments == 1 })
	n, seq := tm.strokes()
	t.Logf("%s: comment through $VISUAL from the list: %d keystrokes (%s), %v to Jira", flavor, n, seq, time.Since(start))
	body := snap.CommentBodies[0]
	if !strings.Contains(body, "A final note") || !strings.Contains(body, "checked by the editor") || !strings.Contains(body, "bulletList") {
		t.Fatalf("comment body in Jira: %s", body)
	}
	// The temporary file is gone once its text is back.
	left, _ := filepath.Glob(filepath.Join(tmp, "jiffy-*"))
	if len(left) > 0 {
		t.Errorf("the editor's temporary file was left behind: %v", left)
	}
}

const loginTitle = "Your Jira session expired — sign in again"

// overlayHidesLogin is a bug this suite once found: a login expiry seen by
// an open overlay (comment, transition picker) opened the login view under
// the overlay, and the keys typed for the login went into the overlay: the
// token landed in the comment text, on screen and in the drafts file. The
// flows below still take the user's way round it if it comes back, so the
// rest is checked, and then fail.
const overlayHidesLogin = "the login view opened under the comment editor, which kept the keys; " +
	"signed in by closing the editor with esc and sending the kept draft again"

// commentThroughExpiry writes text as a comment on key, lets the login
// expire before it is sent, signs in again with newToken and waits until
// Jira has the comment. It reports whether the login view was hidden under
// the comment editor (overlayHidesLogin), in which case the user's way
// round it is taken so the rest of the flow is still checked.
func commentThroughExpiry(t *testing.T, srv *fakejira.Server, tm *term, key, text, newToken string) (hidden bool) {
	t.Helper()
	tm.keys("c")
	tm.waitFor("Comment on "+key, 5*time.Second)
	tm.typeText(text)
	tm.waitFor(text, 5*time.Second)
	srv.ExpireToken()
	before, _ := srv.Issue(key)

	start := time.Now()
	tm.mark()
	tm.keys("C-s")
	tm.waitFor("Jira session expired", 5*time.Second) // the status note, whatever is in front
	if got, _ := srv.Issue(key); got.Comments != before.Comments {
		t.Fatalf("a comment was saved with an expired token: %q", got.CommentBodies)
	}
	srv.SetToken(newToken)
	if hidden = !strings.Contains(tm.screen(), loginTitle); hidden {
		tm.keys("Escape")
		tm.waitFor(loginTitle, 5*time.Second)
	}
	tm.typeText(newToken)
	tm.keys("Enter")
	if hidden {
		tm.waitFor("signed in again", 10*time.Second)
		tm.keys("c")
		tm.waitFor(text, 5*time.Second) // the draft, whole
		tm.keys("C-s")
	}
	tm.waitFor("Comment added to "+key, 10*time.Second)
	snap := jira(t, srv, key, "the comment", func(i fakejira.IssueSnapshot) bool { return i.Comments > before.Comments })
	n, seq := tm.strokes()
	t.Logf("%s: from the send that met the expired login to the comment in Jira: %d keystrokes (%s; the token typed), %v",
		srv.Flavor(), n, seq, time.Since(start))
	if snap.Comments != before.Comments+1 || !strings.Contains(snap.CommentBodies[len(snap.CommentBodies)-1], text) {
		t.Fatalf("Jira has %d comments (%d before), want the typed text once: %q", snap.Comments, before.Comments, snap.CommentBodies)
	}
	if strings.Contains(tm.screen(), newToken) {
		t.Fatalf("the token is on the screen:\n%s", tm.screen())
	}
	return hidden
}

func TestReloginOnExpiry(t *testing.T) {
	// A login stored in the keyring (Cloud): expiry met by a refresh of
	// the list, then by a comment; each new token replaces the stored one.
	t.Run("stored/"+fakejira.FlavorCloud, func(t *testing.T) {
		srv, url := startJira(t, fakejira.FlavorCloud)
		const summary = "E2E relogin target"
		key, err := srv.AddIssue(fakejira.NewIssue{Summary: summary, Assignee: fakejira.Username})
		if err != nil {
			t.Fatal(err)
		}
		h := newHome(t)
		if out, err := h.command(t, fakejira.Token+"\n", "login", "--url", url, "--email", fakejira.Email, "--with-token"); err != nil {
			t.Fatalf("login --with-token: %v\n%s", err, out)
		}
		tm := h.run(t, nil)
		tm.waitFor(summary, 10*time.Second)
		if got := cursorKey(t, tm.screen()); got != key {
			t.Fatalf("the cursor is on %s, want %s", got, key)
		}

		// r on the list: the login view comes up over it, with the site
		// and the email kept; only the token is typed.
		srv.ExpireToken()
		start := time.Now()
		tm.mark()
		tm.keys("r")
		tm.waitFor(loginTitle, 5*time.Second)
		screen := tm.screen()
		if !strings.Contains(screen, fakejira.Email) || !strings.Contains(screen, strings.TrimPrefix(url, "http://")) {
			t.Fatalf("the re-login form lost the site or the email:\n%s", screen)
		}
		srv.SetToken("fake-api-token-2")
		tm.typeText("fake-api-token-2")
		tm.keys("Enter")
		tm.waitFor("signed in again", 10*time.Second)
		tm.waitFor(summary, 5*time.Second)
		n, seq := tm.strokes()
		t.Logf("cloud: refresh that met the expired login, back on the list: %d keystrokes (%s; the token typed), %v", n, seq, time.Since(start))
		if got := cursorKey(t, tm.screen()); got != key {
			t.Fatalf("after the re-login the cursor is on %s, want %s", got, key)
		}

		hidden := commentThroughExpiry(t, srv, tm, key, "Rolled back the deploy, watching the error rate", "fake-api-token-3")
		tm.waitFor(summary, 5*time.Second) // back on the list
		tm.keys("q")
		tm.waitExit(5 * time.Second)
		assertNoTokenInFiles(t, h.dir, "fake-api-token-2")
		assertNoTokenInFiles(t, h.dir, "fake-api-token-3")

		// The last token was stored: the next start signs in with it.
		tm2 := h.run(t, nil)
		tm2.waitFor(summary, 10*time.Second)
		tm2.keys("q")
		tm2.waitExit(5 * time.Second)
		if hidden {
			t.Fatal(overlayHidesLogin)
		}
	})

	// Env credentials (Data Center): the login view says it holds for this
	// session only, and the comment written in the detail goes through.
	t.Run("env/"+fakejira.FlavorDataCenter, func(t *testing.T) {
		s := signedIn(t, fakejira.FlavorDataCenter, fakejira.NewIssue{Summary: "E2E relogin target", Assignee: fakejira.Username})
		tm, key := s.tm, s.key
		tm.keys("Enter")
		tm.waitFor("Description", 5*time.Second)

		const text = "Paged the on-call, the fix is in review"
		hidden := commentThroughExpiry(t, s.srv, tm, key, text, "fake-api-token-2")
		// Back in the detail, which shows the comment.
		tm.waitFor("Comments (1)", 5*time.Second)
		tm.waitFor(text, 5*time.Second)
		assertNoTokenInFiles(t, s.h.dir, "fake-api-token-2")
		if hidden {
			t.Fatal(overlayHidesLogin)
		}
	})
}

func TestDraftSurvivesQuit(t *testing.T) {
	flavor := fakejira.FlavorDataCenter
	s := signedIn(t, flavor, fakejira.NewIssue{Summary: "E2E draft target", Assignee: fakejira.Username})
	tm, key := s.tm, s.key

	tm.keys("c")
	tm.waitFor("Comment on "+key, 5*time.Second)
	tm.typeText("Half-written thought")
	tm.keys("Enter")
	tm.typeText("and its second line")
	tm.waitFor("and its second line", 5*time.Second)
	tm.keys("C-c")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exit status %s after ctrl+c", status)
	}

	// Same home, same site: the draft is back in the comment editor.
	start := time.Now()
	tm2 := s.h.run(t, s.env)
	tm2.waitFor("E2E draft target", 10*time.Second)
	if got := cursorKey(t, tm2.screen()); got != key {
		t.Fatalf("the cursor is on %s, want %s", got, key)
	}
	tm2.mark()
	tm2.keys("c")
	tm2.waitFor("Comment on "+key, 5*time.Second)
	tm2.waitFor("Half-written thought", 5*time.Second)
	tm2.waitFor("and its second line", 5*time.Second)
	tm2.keys("C-s")
	tm2.waitFor("Comment added to "+key, 5*time.Second)
	snap := jira(t, s.srv, key, "the comment", func(i fakejira.IssueSnapshot) bool { return i.Comments == 1 })
	n, seq := tm2.strokes()
	t.Logf("%s: restart to the restored draft sent: %d keystrokes on the list (%s), %v from the launch", flavor, n, seq, time.Since(start))
	if b := snap.CommentBodies[0]; !strings.Contains(b, "Half-written thought") || !strings.Contains(b, "and its second line") {
		t.Fatalf("comment body in Jira: %q", b)
	}
	tm2.keys("q")
	tm2.waitExit(5 * time.Second)

	// Sent means gone: the next comment starts empty.
	tm3 := s.h.run(t, s.env)
	tm3.waitFor("E2E draft target", 10*time.Second)
	tm3.keys("c")
	tm3.waitFor("Write a comment in Markdown", 5*time.Second)
	if strings.Contains(tm3.screen(), "Half-written") {
		t.Fatalf("the sent comment came back as a draft:\n%s", tm3.screen())
	}
	assertNoTokenInFiles(t, s.h.dir, fakejira.Token)
}
