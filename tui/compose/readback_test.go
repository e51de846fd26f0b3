package compose

import (
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// appliedFaults are the ways Jira loses the answer to a write it made.
var appliedFaults = []struct {
	name  string
	fault fakejira.Fault
}{
	{"500", fakejira.Fault{AfterHandler: true, AfterStatus: 500}},
	{"proxy 502", fakejira.Fault{AfterHandler: true, AfterStatus: 502, HTML: true}},
	{"timeout", fakejira.Fault{AfterHandler: true, AfterHang: true}},
	{"drop", fakejira.Fault{AfterHandler: true}},
}

// shortDeadline gives the site a client whose deadline is short, so "no
// answer" ends quickly.
func (s *site) shortDeadline() {
	s.t.Helper()
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
	fl := jiraclient.FlavorCloud
	if s.flavor == fakejira.FlavorDataCenter {
		cred, fl = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}, jiraclient.FlavorDataCenter
	}
	cl, err := jiraclient.New(s.url, cred, jiraclient.WithFlavor(fl), jiraclient.WithRetry(jiraclient.RetryPolicy{}), jiraclient.WithTimeout(time.Second))
	if err != nil {
		s.t.Fatal(err)
	}
	s.c.Client = cl
	s.c.Issues.SetClient(cl) // the store's request helper sends with its client
}

// A comment Jira stored and then answered with a 5xx, or never answered,
// is found by reading the issue back: confirmed, the draft dropped, and
// Jira holds it exactly once.
func TestCommentAppliedThenFault(t *testing.T) {
	for _, fl := range flavors {
		for _, f := range appliedFaults {
			t.Run(fl+"/"+f.name, func(t *testing.T) {
				s := newSite(t, fl)
				s.shortDeadline()
				key := s.key(2)
				before := s.snap(key).Comments
				d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
				d.typeText("stored *once*")
				s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{f.fault}})
				d.press("ctrl+s")
				if rb := outOf[common.IssueRollbackMsg](d); len(rb) != 0 {
					t.Fatalf("rolled back a stored comment: %v", rb[0].Err)
				}
				conf := outOf[common.IssueConfirmedMsg](d)
				if len(conf) != 1 || !strings.Contains(conf[0].Note, "checked") || !d.closed() {
					t.Fatalf("confirm %+v", conf)
				}
				if n := s.snap(key).Comments; n != before+1 {
					t.Errorf("comments %d, want %d", n, before+1)
				}
				if _, ok := s.loadDrafts().Get(commentKey(key)); ok {
					t.Error("the draft of a stored comment was kept")
				}
			})
		}
	}
}

// A comment answered 500 without being stored: the read-back finds
// nothing, the resend is offered as checked, and sending again stores it
// once.
func TestCommentNotAppliedThen500(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(2)
			before := s.snap(key).Comments
			d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
			d.typeText("try me")
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 500}}})
			d.press("ctrl+s")
			if len(outOf[common.IssueRollbackMsg](d)) != 1 {
				t.Fatal("no rollback")
			}
			d.wantView("try me", "is not in Jira")
			d.press("ctrl+s")
			if !d.closed() {
				t.Fatalf("the resend failed:\n%s", d.view())
			}
			if n := s.snap(key).Comments; n != before+1 {
				t.Errorf("comments %d, want %d", n, before+1)
			}
		})
	}
}

// When the read-back fails as well, the comment's fate is called unknown
// and the text is kept; nothing says a resend is safe.
func TestCommentUnknownWhenReadBackFails(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	key := s.key(2)
	d := drive(t, NewComment(s.c, s.deps(), s.issue(key)))
	d.typeText("fate unknown")
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true, AfterStatus: 500}, {Status: 500}}})
	d.press("ctrl+s")
	d.wantView("fate unknown", "could not tell")
	if strings.Contains(d.view(), "is safe") {
		t.Fatalf("an unchecked resend is called safe:\n%s", d.view())
	}
	if dr, ok := s.loadDrafts().Get(commentKey(key)); !ok || dr.Text != "fate unknown" {
		t.Fatalf("draft %+v %v", dr, ok)
	}
	// Sending again looks first, finds the comment Jira stored, and does
	// not store it twice.
	before := s.snap(key).Comments
	d.press("ctrl+s")
	if !d.closed() || len(outOf[common.IssueConfirmedMsg](d)) != 1 {
		t.Fatalf("the resend did not find the stored comment:\n%s", d.view())
	}
	if n := s.snap(key).Comments; n != before {
		t.Errorf("comments %d, want %d: stored twice", n, before)
	}
}

// A field edit Jira saved before losing the answer is confirmed from the
// read-back.
func TestEditAppliedThen500(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := newSite(t, fl)
			key := s.key(3)
			d, _ := openEdit(t, s, key, s.deps())
			d.clearLine()
			d.typeText("Saved despite the 500")
			// The conflict check reads first; the PUT is the second request.
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{}, {AfterHandler: true, AfterStatus: 500}}})
			d.press("ctrl+s")
			if rb := outOf[common.IssueRollbackMsg](d); len(rb) != 0 {
				t.Fatalf("rolled back a saved edit: %v", rb[0].Err)
			}
			conf := outOf[common.IssueConfirmedMsg](d)
			if len(conf) != 1 || !strings.Contains(conf[0].Note, "checked") || !d.closed() {
				t.Fatalf("confirm %+v\n%s", conf, d.view())
			}
		})
	}
}

// An issue Jira created before losing the answer is found (project,
// reporter, since the send, summary) and opened; nothing is created twice.
func TestCreateAppliedThenFault(t *testing.T) {
	for _, fl := range flavors {
		for _, f := range appliedFaults {
			t.Run(fl+"/"+f.name, func(t *testing.T) {
				s := newSite(t, fl)
				s.shortDeadline()
				proj := projectOf(s.key(0))
				d, _ := openCreate(t, s, proj, s.deps())
				d.typeText("task")
				d.press("enter")
				d.typeText("Created once")
				before := len(s.srv.Keys())
				s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{f.fault}})
				d.press("ctrl+s")
				cr := outOf[common.IssueCreatedMsg](d)
				if len(cr) != 1 || !d.closed() {
					t.Fatalf("not opened: %+v\n%s", cr, d.view())
				}
				if n := len(s.srv.Keys()); n != before+1 {
					t.Fatalf("%d issues, want %d", n, before+1)
				}
				if sn := s.snap(cr[0].Key); sn.Summary != "Created once" {
					t.Errorf("opened %s: %q", cr[0].Key, sn.Summary)
				}
			})
		}
	}
}

// Create answered 500 without creating: the form stays, says a resend is
// safe because it was checked; with the read-back failing too, it says
// the outcome is unknown and keeps the draft.
func TestCreateNotAppliedThen500(t *testing.T) {
	s := newSite(t, fakejira.FlavorCloud)
	proj := projectOf(s.key(0))
	d, _ := openCreate(t, s, proj, s.deps())
	d.typeText("task")
	d.press("enter")
	d.typeText("Maybe created")
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 500}}})
	d.press("ctrl+s")
	d.wantView("Maybe created", "is not in Jira")
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true, AfterStatus: 500}, {Status: 500}}})
	d.press("ctrl+s")
	d.wantView("Maybe created", "could not tell")
	if d.closed() {
		t.Fatal("closed on an unknown outcome")
	}
	keys := len(s.srv.Keys())
	if dr, ok := s.loadDrafts().Get(createKey(proj)); !ok || dr.Fields["summary"] != "Maybe created" {
		t.Fatalf("draft %+v %v", dr, ok)
	}
	// Saving again looks first and opens the issue Jira made.
	d.press("ctrl+s")
	if len(outOf[common.IssueCreatedMsg](d)) != 1 || !d.closed() {
		t.Fatalf("the resend did not find the created issue:\n%s", d.view())
	}
	if n := len(s.srv.Keys()); n != keys {
		t.Errorf("%d issues, want %d: created twice", n, keys)
	}
}
