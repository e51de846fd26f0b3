package compose

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// TestCommentLands types a comment with a mention and sends it: Jira has
// it in its own format with a real mention, and the root got the
// optimistic patch, the confirmation with the re-read issue, and a close.
func TestCommentLands(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(0)
			before := s.snap(key).Comments
			d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
			d.typeText("Thanks @ad")
			d.wantView("Ada Lovelace")
			d.press("enter") // choose Ada
			d.typeText("for *this*.")
			if _, ok := s.drafts.Get(commentKey(key)); !ok {
				t.Fatal("no draft kept while typing")
			}
			d.press("ctrl+s")

			sn := s.snap(key)
			if sn.Comments != before+1 {
				t.Fatalf("comments: %d, want %d", sn.Comments, before+1)
			}
			body := sn.CommentBodies[len(sn.CommentBodies)-1]
			me := s.srv.Me()
			if fl == fakejira.FlavorCloud {
				for _, want := range []string{`"type":"mention"`, me.AccountID, `"type":"em"`, "Thanks "} {
					if !strings.Contains(body, want) {
						t.Errorf("ADF body lacks %s: %s", want, body)
					}
				}
			} else if !strings.Contains(body, "[~"+me.Name+"]") || !strings.Contains(body, "_this_") {
				t.Errorf("wiki body lacks the mention or emphasis: %q", body)
			}

			patches := outOf[common.IssuePatchMsg](d)
			conf := outOf[common.IssueConfirmedMsg](d)
			if len(patches) != 1 || len(conf) != 1 || !d.closed() {
				t.Fatalf("root messages: %#v", d.out)
			}
			if patches[0].Token != conf[0].Token || conf[0].Key != key {
				t.Errorf("token mismatch: %q vs %q", patches[0].Token, conf[0].Token)
			}
			orig := s.issue(key)
			orig.CommentTotal--
			orig.Comments = orig.Comments[:len(orig.Comments)-1]
			got := patches[0].Apply(orig)
			if got.CommentTotal != orig.CommentTotal+1 || !strings.Contains(got.Comments[len(got.Comments)-1].Body, "(mention:") {
				t.Errorf("patch does not append the comment: %+v", got.Comments[len(got.Comments)-1])
			}
			if conf[0].Issue == nil || conf[0].Issue.CommentTotal != before+1 {
				t.Errorf("confirmation lacks the re-read issue: %+v", conf[0].Issue)
			}
			if _, ok := s.drafts.Get(commentKey(key)); ok {
				t.Error("the draft outlived a successful send")
			}
			if _, ok := s.loadDrafts().Get(commentKey(key)); ok {
				t.Error("the draft file still holds the sent comment")
			}
		})
	}
}

func TestCommentCtrlEnterSends(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	key := s.key(1)
	d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
	d.typeText("first line\nsecond line")
	d.press("ctrl+enter")
	if sn := s.snap(key); !strings.Contains(sn.CommentBodies[len(sn.CommentBodies)-1], "second line") {
		t.Fatalf("not sent: %v", sn.CommentBodies)
	}
}

func TestCommentEmptyIsNotSent(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	d := drive(t, NewComment(s.c, s.deps(), s.issue(s.key(0))))
	s.srv.ResetRequests()
	d.typeText("   ")
	d.press("ctrl+s")
	if n := len(s.srv.Requests()); n != 0 {
		t.Errorf("%d requests for an empty comment", n)
	}
	d.wantView("The comment is empty")
}

// TestCommentFailures: each failure keeps the editor open with the text,
// Jira's message and what to do, rolls the patch back, and writes the
// draft with the reason.
func TestCommentFailures(t *testing.T) {
	cases := []struct {
		name  string
		fault fakejira.Fault
		want  []string
	}{
		{"403", fakejira.Fault{Status: 403}, []string{"permission", "Jira admin"}},
		{"404", fakejira.Fault{Status: 404}, []string{"not found", "check the key"}},
		{"409", fakejira.Fault{Status: 409}, []string{"conflicting update"}},
		{"413", fakejira.Fault{Status: 413}, []string{"reached a limit", "remove old items"}},
		{"drop", fakejira.Fault{Drop: true}, []string{"Your text is kept"}},
	}
	for _, fl := range flavors {
		for _, tc := range cases {
			t.Run(fl+"/"+tc.name, func(t *testing.T) {
				s := newSite(t, fl)
				key := s.key(2)
				before := s.snap(key).Comments
				d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
				d.typeText("keep me")
				s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{tc.fault}})
				d.press("ctrl+s")
				if d.closed() {
					t.Fatal("the editor closed on a failure")
				}
				rb := outOf[common.IssueRollbackMsg](d)
				if len(rb) != 1 || len(outOf[common.IssueConfirmedMsg](d)) != 0 {
					t.Fatalf("want one rollback: %#v", d.out)
				}
				if rb[0].Token != outOf[common.IssuePatchMsg](d)[0].Token {
					t.Error("rollback token differs from the patch's")
				}
				d.wantView(append([]string{"keep me"}, tc.want...)...)
				dr, ok := s.loadDrafts().Get(commentKey(key))
				if !ok || dr.Text != "keep me" || dr.Error == "" {
					t.Fatalf("draft on disk: %+v %v", dr, ok)
				}
				if tc.fault.AfterHandler {
					// POST is not retried after Jira acted: exactly one comment.
					if n := s.snap(key).Comments; n != before+1 {
						t.Errorf("comments: %d, want %d (no repeat)", n, before+1)
					}
				} else if n := s.snap(key).Comments; n != before {
					t.Errorf("comments: %d, want %d", n, before)
				}
			})
		}
	}
}

// TestComment400 shows Jira's refusal and what to do. (Per-field 400s are
// tested on the edit and create forms, where Jira names the fields.)
func TestComment400(t *testing.T) {
	s := newSite(t, fakejira.FlavorDataCenter)
	key := s.key(0)
	d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
	d.typeText("x")
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 400}}})
	d.press("ctrl+s")
	d.wantView("Jira rejected the request", "correct the values")
	// Jira's per-field reason for the comment, when it gives one, is the message.
	m := d.ov.(*Comment)
	m.err = &jiraclient.Error{Kind: jiraclient.KindBadRequest, Status: 400, FieldErrors: map[string]string{"comment": "Comment body can not be empty!"}}
	d.wantView("Jira refused the comment: Comment body can not be empty!")
}

func TestComment429ThenSuccess(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(3)
			before := s.snap(key).Comments
			d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
			d.typeText("after the wait")
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "1"}}})
			d.press("ctrl+s")
			if !d.closed() || s.snap(key).Comments != before+1 {
				t.Fatalf("not sent after the 429: %#v", d.out)
			}
		})
	}
}

// TestCommentTokenExpired: the send goes through the store's request
// helper, which holds it on an expired login (one LoginNeededMsg, no
// rollback: the comment stays shown and the editor waits) and sends it
// once with the new client after the sign-in (Replay); the overlay's
// Retry then has nothing to send.
func TestCommentTokenExpired(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(4)
			before := s.snap(key).Comments
			d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
			d.typeText("survives a re-login")
			s.srv.ExpireToken()
			d.press("ctrl+s")
			if ln := outOf[store.LoginNeededMsg](d); len(ln) != 1 || !jiraclient.IsAuth(ln[0].Err) {
				t.Fatalf("want one login-needed signal: %#v", d.out)
			}
			if rb := outOf[common.IssueRollbackMsg](d); len(rb) != 0 {
				t.Fatalf("rolled back while the login is asked for: %#v", rb)
			}
			if routeStore.Pending() != 0 {
				t.Fatalf("pending %d while held for the login", routeStore.Pending())
			}
			// The root's login view signs in with a new token and hands the
			// client to the store, which sends what it held.
			s.srv.SetToken("fresh-token-2")
			s.c.Client = s.client("fresh-token-2")
			routeStore.SetClient(s.c.Client)
			d.run(routeStore.Replay())
			if d.ov.(*Comment).Retry() != nil {
				t.Fatal("Retry would send a second time")
			}
			if !d.closed() || s.snap(key).Comments != before+1 {
				t.Fatalf("resend failed: %s", d.view())
			}
		})
	}
}

// TestCommentLoginAbandoned: the user cancels the sign-in: the held send
// fails in the editor with its draft kept, and after a later sign-in
// Retry sends it once.
func TestCommentLoginAbandoned(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	key := s.key(4)
	before := s.snap(key).Comments
	d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
	d.typeText("survives a cancelled login")
	s.srv.ExpireToken()
	d.press("ctrl+s")
	for _, msg := range routeStore.Abandon() {
		d.send(msg)
	}
	rb := outOf[common.IssueRollbackMsg](d)
	if len(rb) != 1 || !jiraclient.IsAuth(rb[0].Failed()) {
		t.Fatalf("want an auth rollback the root can act on: %#v", d.out)
	}
	d.wantView("Sign in again and it is sent")
	if dr, ok := s.loadDrafts().Get(commentKey(key)); !ok || dr.Text != "survives a cancelled login" {
		t.Fatalf("draft: %+v", dr)
	}
	s.srv.SetToken("fresh-token-3")
	s.c.Client = s.client("fresh-token-3")
	routeStore.SetClient(s.c.Client)
	d.run(d.ov.(*Comment).Retry())
	if d.ov.(*Comment).Retry() != nil {
		t.Fatal("a second Retry would send again")
	}
	if !d.closed() || s.snap(key).Comments != before+1 {
		t.Fatalf("resend failed: %s", d.view())
	}
}

// TestDraftSurvivesFailureAndRestart: a failed send, then quit; a new
// Drafts loaded from the same directory restores the text in a new editor.
func TestDraftSurvivesFailureAndRestart(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	key := s.key(5)
	is := s.issue(key)
	d := drive(t, NewComment(s.c, s.deps(), is))
	d.typeText("half-written thought")
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 503}, {Status: 503}, {Status: 503}}})
	d.press("ctrl+s")
	d.typeText(", continued")
	if err := SaveDraft(d.ov); err != nil { // what the root does on quit
		t.Fatal(err)
	}

	// Restart: nothing shared with the first run but the directory.
	restarted := s.loadDrafts()
	dr, ok := restarted.Get(commentKey(key))
	if !ok || dr.Text != "half-written thought, continued" {
		t.Fatalf("after restart: %+v %v", dr, ok)
	}
	d2 := drive(t, NewComment(s.c, Deps{Drafts: restarted}, is))
	d2.wantView("half-written thought, continued", "Draft restored")
	d2.typeText("!")
	d2.wantView("half-written thought, continued!")
	if strings.Contains(d2.view(), "Draft restored") {
		t.Error("the restored note stays after typing")
	}
}

func TestCommentEscKeepsDraftAndDiscardAsks(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	key := s.key(0)
	is := s.issue(key)
	d := drive(t, NewComment(s.c, s.deps(), is))
	d.typeText("not yet")
	d.press("esc")
	if !d.closed() {
		t.Fatal("esc did not close")
	}
	if dr, ok := s.loadDrafts().Get(commentKey(key)); !ok || dr.Text != "not yet" {
		t.Fatalf("esc lost the draft: %+v", dr)
	}
	d = drive(t, NewComment(s.c, s.deps(), is))
	d.wantView("not yet", "Draft restored")
	d.press("ctrl+x")
	d.wantView("Discard this comment?")
	d.press("n") // keeps it, and is not typed
	if d.closed() || strings.Contains(d.view(), "not yetn") {
		t.Fatal("a key other than ctrl+x/y discarded or typed")
	}
	d.press("ctrl+x")
	d.press("y")
	if !d.closed() {
		t.Fatal("discard did not close")
	}
	if _, ok := s.loadDrafts().Get(commentKey(key)); ok {
		t.Error("the discarded draft is still on disk")
	}
}

func TestMentionStaleAndRules(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	m := NewComment(s.c, s.deps(), s.issue(s.key(0))).(*Comment)
	fast(m)
	d := &driver{t: t, ov: m}
	// An e-mail address is no mention.
	d.typeText("mail bob@ex")
	if m.men.active {
		t.Fatal("mention opened inside an e-mail address")
	}
	d.typeText(" @")
	if m.men.active {
		t.Fatal("mention opened before a letter")
	}
	// A stale answer (for an earlier query) is dropped.
	_, _ = m.Update(tea.KeyPressMsg{Code: 'z', Text: "z"})
	seq := m.men.seq
	m.Update(mentionUsersMsg{id: m.id, seq: seq - 1, users: []jiraclient.User{{DisplayName: "Stale"}}})
	if len(m.men.users) != 0 {
		t.Fatal("a stale lookup was shown")
	}
	m.Update(mentionUsersMsg{id: m.id, seq: seq, users: []jiraclient.User{{DisplayName: "Zed", AccountID: "z1"}}})
	if !strings.Contains(d.view(), "Zed") {
		t.Fatal("the current lookup is not shown")
	}
	d.press("esc") // closes the list, not the editor
	if d.closed() || m.men.open() {
		t.Fatal("esc in the list closed the editor or left the list open")
	}
}

func TestMentionQuery(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	for in, want := range map[string]string{"@ad": "ad", "hi @Ada.L": "Ada.L", "x@ad": "", "@": "", "@1a": "", "(@bo": "bo", "@ad ": ""} {
		ta := newTextarea(s.c, "")
		ta.SetValue(in)
		got, ok := mentionQuery(&ta)
		if got != want || ok != (want != "") {
			t.Errorf("mentionQuery(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

// TestEditorRoundTrip runs the $EDITOR command with a script as the editor.
func TestEditorRoundTrip(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	script := filepath.Join(t.TempDir(), "ed.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf 'from editor' > \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	dp := s.deps()
	dp.Editor = script
	m := NewComment(s.c, dp, s.issue(s.key(0))).(*Comment)
	fast(m)
	d := &driver{t: t, ov: m}
	d.typeText("before")
	cmd := d.sendOnly(keyMsg("ctrl+e"))
	if cmd == nil || m.exec == nil {
		t.Fatalf("ctrl+e started nothing: %s", d.view())
	}
	path := m.exec.cmd.Args[len(m.exec.cmd.Args)-1]
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("temp file %s: %v %v", path, st, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "before" {
		t.Fatalf("the editor got %q", b)
	}
	runErr := m.exec.cmd.Run()
	d.send(m.exec.done(runErr))
	if got := m.ta.Value(); got != "from editor" {
		t.Fatalf("text after the editor: %q", got)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temp file was not removed: %v", err)
	}
	if dr, _ := s.drafts.Get(commentKey(s.key(0))); dr.Text != "from editor" {
		t.Errorf("draft after the editor: %q", dr.Text)
	}
}

func TestEditorFailsKeepsText(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	dp := s.deps()
	dp.Editor = "false"
	m := NewComment(s.c, dp, s.issue(s.key(0))).(*Comment)
	d := &driver{t: t, ov: m}
	fast(m)
	d.typeText("mine")
	d.sendOnly(keyMsg("ctrl+e"))
	d.send(m.exec.done(m.exec.cmd.Run()))
	if m.ta.Value() != "mine" {
		t.Fatalf("a failed editor changed the text: %q", m.ta.Value())
	}
	d.wantView("the editor (false) failed")
}

func TestNoEditorExplains(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	s := newSite(t, fakejira.FlavorCloud)
	d := drive(t, NewComment(s.c, s.deps(), s.issue(s.key(0))))
	d.press("ctrl+e")
	d.wantView("set $VISUAL or $EDITOR")
}

// TestEditorTextOverLimitKept: an editor that returns more than Jira takes
// leaves the text here unchanged and its own file in place, named.
func TestEditorTextOverLimitKept(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	script := filepath.Join(t.TempDir(), "ed.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nhead -c 900000 /dev/zero | tr '\\\\0' x > \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	dp := s.deps()
	dp.Editor = script
	m := NewComment(s.c, dp, s.issue(s.key(0))).(*Comment)
	fast(m)
	d := &driver{t: t, ov: m}
	d.typeText("before")
	d.sendOnly(keyMsg("ctrl+e"))
	path := m.exec.cmd.Args[len(m.exec.cmd.Args)-1]
	d.send(m.exec.done(m.exec.cmd.Run()))
	if got := m.ta.Value(); got != "before" {
		t.Fatalf("the text here became %d characters", len(got))
	}
	if st, err := os.Stat(path); err != nil || st.Size() != 900_000 {
		t.Fatalf("the editor's file is gone: %v %v", st, err)
	}
	if !strings.Contains(m.notice, path) || !strings.Contains(m.notice, "32767") {
		t.Fatalf("notice %q", m.notice)
	}
	os.Remove(path)
}

// TestCompletionMeetsExpiredLogin: a mention lookup (and a label lookup)
// that meets an expired login asks for a sign-in through the store,
// although its own message reports nothing to the root; after the sign-in
// the lookup runs again.
func TestCompletionMeetsExpiredLogin(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			s := newSite(t, flavor)
			is := s.issue(s.key(0))
			s.srv.ExpireToken()
			d := drive(t, NewComment(s.c, s.deps(), is))
			d.typeText("hi @ad")
			asked := 0
			for _, m := range d.out {
				if _, ok := m.(store.LoginNeededMsg); ok {
					asked++
				}
			}
			if asked != 1 {
				t.Fatalf("%d sign-in requests, want 1: %#v", asked, d.out)
			}
			if strings.Contains(d.ov.View(), "Ada") {
				t.Fatal("users listed before the sign-in")
			}
			s.srv.SetToken("fresh")
			s.c.Issues.SetClient(s.client("fresh"))
			d.run(s.c.Issues.Replay())
			if v := d.ov.View(); !strings.Contains(v, "Ada") {
				t.Fatalf("the lookup was not run again after the sign-in:\n%s", v)
			}
		})
	}
}
