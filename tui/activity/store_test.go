package activity

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/internal/overlaytest"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// TestActivityMeetsExpiredLogin: the watchers, worklog and links overlays
// load through the store's request helper, so an expired login is seen
// whatever their messages report (none of them has Failed()): one
// LoginNeededMsg, the load held, and sent once again after the sign-in.
func TestActivityMeetsExpiredLogin(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	key := s.Srv.Keys()[0]
	is := s.Issue(t, key)
	s.C.Issues = store.New(store.Options{Client: s.C.Client})
	s.Srv.ExpireToken()
	loads := map[string]tea.Cmd{
		"watchers": NewWatchers(s.C, is).Init(),
		"worklog":  NewLogWork(s.C, is).Init(),
		"links":    NewLinks(s.C, is).loadTypes(),
	}
	for name, load := range loads {
		var asked int
		for _, msg := range overlaytest.Exec(load) {
			out, _, ok := s.C.Issues.Update(msg)
			if !ok {
				continue
			}
			for _, m := range out {
				if _, login := m.(store.LoginNeededMsg); login {
					asked++
				}
			}
		}
		if asked != 1 {
			t.Errorf("%s: %d login-needed signals, want 1", name, asked)
		}
		s.C.Issues.Abandon()
	}
}

// TestAttachmentUploadMeetsExpiredLogin: an upload is a write through the
// store's request helper, so an expired login reaches the store (one
// LoginNeededMsg, the upload held, not refused), and after the sign-in the
// upload is sent once more and lands byte for byte: the command reads the
// file again from the start.
func TestAttachmentUploadMeetsExpiredLogin(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	is := s.Issue(t, "JIF-1")
	s.C.Issues = store.New(store.Options{Client: s.C.Client})
	data := bytes.Repeat([]byte("jiffy\n"), 5000)
	src := filepath.Join(t.TempDir(), "held.log")
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	a := NewAttachments(s.C, is)
	a.step = attachUpload
	a.input.SetValue(src)
	s.Srv.ExpireToken()
	var asked int
	for _, msg := range overlaytest.Exec(a.upload()) {
		out, _, ok := s.C.Issues.Update(msg)
		if !ok {
			continue
		}
		for _, m := range out {
			switch m.(type) {
			case store.LoginNeededMsg:
				asked++
			case attachDoneMsg:
				t.Fatalf("the upload was answered instead of held: %+v", m)
			}
		}
	}
	if asked != 1 {
		t.Fatalf("%d login-needed signals, want 1", asked)
	}
	if n := s.Count("POST", "/attachments"); n != 1 {
		t.Fatalf("%d uploads sent before the sign-in, want 1", n)
	}

	s.Srv.SetToken("fresh-token")
	cl, err := jiraclient.New(s.C.Client.BaseURL(), jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: "fresh-token"},
		jiraclient.WithFlavor(jiraclient.FlavorCloud), jiraclient.WithRetry(jiraclient.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	s.C.Issues.SetClient(cl)
	var done *attachDoneMsg
	for _, msg := range overlaytest.Exec(s.C.Issues.Replay()) {
		out, _, _ := s.C.Issues.Update(msg)
		for _, m := range out {
			if d, ok := m.(attachDoneMsg); ok {
				done = &d
			}
		}
	}
	if done == nil || done.err != nil || done.issue == nil {
		t.Fatalf("after the sign-in: %+v", done)
	}
	act, _ := s.Srv.Activity("JIF-1")
	if n := len(act.Attachments); n != 3 || !bytes.Equal(act.Attachments[2].Data, data) {
		t.Fatalf("in Jira: %d attachments, the new one not byte for byte", n)
	}
	if n := s.Count("POST", "/attachments"); n != 2 {
		t.Errorf("%d uploads sent in all, want 2 (refused, then replayed)", n)
	}
}

// TestAttachmentDeleteIsAWrite: a deletion is a write through the store's
// request helper: an expired login gives one LoginNeededMsg and no answer
// (held for the sign-in), and while the store is offline it is refused at
// once, without a request (a load would have been sent).
func TestAttachmentDeleteIsAWrite(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	is := s.Issue(t, "JIF-1")
	s.C.Issues = store.New(store.Options{Client: s.C.Client})
	s.Srv.ExpireToken()
	var asked int
	for _, msg := range overlaytest.Exec(NewAttachments(s.C, is).remove(is.Attachments[0])) {
		out, _, ok := s.C.Issues.Update(msg)
		if !ok {
			t.Fatalf("the deletion's answer did not come through the store: %T", msg)
		}
		for _, m := range out {
			switch m.(type) {
			case store.LoginNeededMsg:
				asked++
			case attachDoneMsg:
				t.Fatalf("the deletion was answered instead of held: %+v", m)
			}
		}
	}
	if asked != 1 {
		t.Fatalf("%d login-needed signals, want 1", asked)
	}
	s.C.Issues.Abandon()

	// Offline: a load that reaches no Jira (nothing listens on the
	// address) tells the store so.
	gone, err := jiraclient.New("http://127.0.0.1:1", jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token},
		jiraclient.WithFlavor(jiraclient.FlavorCloud), jiraclient.WithRetry(jiraclient.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	s.C.Issues.SetClient(gone)
	for _, msg := range overlaytest.Exec(NewWatchers(s.C, is).Init()) {
		s.C.Issues.Update(msg)
	}
	if !s.C.Issues.Offline() {
		t.Fatal("the store is not offline after a load that reached no Jira")
	}
	s.C.Issues.SetClient(s.C.Client)
	s.Srv.ResetRequests()
	msgs := overlaytest.Exec(NewAttachments(s.C, is).remove(is.Attachments[0]))
	if len(msgs) != 1 {
		t.Fatalf("%d answers, want the refusal", len(msgs))
	}
	if d, ok := msgs[0].(attachDoneMsg); !ok || !errors.Is(d.err, store.ErrOffline) {
		t.Fatalf("answer %#v, want the offline refusal", msgs[0])
	}
	if n := len(s.Srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent while offline", n)
	}
	if act, _ := s.Srv.Activity("JIF-1"); len(act.Attachments) != len(is.Attachments) {
		t.Fatalf("Jira has %d attachments, want %d", len(act.Attachments), len(is.Attachments))
	}
}
