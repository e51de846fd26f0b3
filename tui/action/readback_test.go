package action

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

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

// shortClient gives s a client whose deadline is short, so "no answer"
// ends quickly.
func shortClient(t *testing.T, s *site) {
	t.Helper()
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
	fl := jiraclient.FlavorCloud
	if s.flavor == fakejira.FlavorDataCenter {
		cred, fl = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}, jiraclient.FlavorDataCenter
	}
	cl, err := jiraclient.New(s.url, cred, jiraclient.WithFlavor(fl), jiraclient.WithRetry(jiraclient.RetryPolicy{}), jiraclient.WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	s.c.Client = cl
}

// A transition Jira applied and then answered with a 5xx, or never
// answered, is read back and confirmed: the row is not rolled back while
// Jira has the new status, and nothing is sent twice.
func TestTransitionAppliedThenFault(t *testing.T) {
	for _, fl := range flavors {
		for _, f := range appliedFaults {
			t.Run(fl+"/"+f.name, func(t *testing.T) {
				s := startSite(t, fl)
				shortClient(t, s)
				r, is := startMove(t, s)
				s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{f.fault}})
				r.keys("enter")
				if rb, ok := last[common.IssueRollbackMsg](r); ok {
					t.Fatalf("rolled back a transition Jira made: %v", rb.Err)
				}
				conf, ok := last[common.IssueConfirmedMsg](r)
				if !ok || conf.Issue == nil || conf.Issue.Status.Name != "In Progress" || !strings.Contains(conf.Note, "checked") {
					t.Fatalf("confirm %+v", conf)
				}
				if n := s.count("POST", "/transitions"); n != 1 {
					t.Fatalf("%d POSTs", n)
				}
				if s.snap(t, is.Key).Status != "In Progress" {
					t.Fatal("Jira does not have it")
				}
			})
		}
	}
}

// A transition answered 500 that Jira did not make (the fault answers
// before the handler) is read back, and the resend it offers says so.
func TestTransitionNotAppliedThen500(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			r, is := startMove(t, s)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 500}}})
			r.keys("enter")
			if _, ok := last[common.IssueRollbackMsg](r); !ok {
				t.Fatal("no rollback")
			}
			if s.count("GET", "/issue/"+is.Key) != 1 {
				t.Fatal("the issue was not read back")
			}
			if sc := r.screen(); !strings.Contains(sc, "not in Jira, so sending it again is safe") {
				t.Fatalf("the resend does not say it was checked:\n%s", sc)
			}
			r.keys("enter")
			if !r.closed || s.snap(t, is.Key).Status != "In Progress" {
				t.Fatal("the resend failed")
			}
		})
	}
}

// When the read-back fails too, the outcome is called unknown, never safe.
func TestTransitionUnknownWhenReadBackFails(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	r, _ := startMove(t, s)
	s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true, AfterStatus: 500}, {Status: 500}}})
	r.keys("enter")
	if _, ok := last[common.IssueRollbackMsg](r); !ok {
		t.Fatal("no rollback")
	}
	sc := r.screen()
	if strings.Contains(sc, "safe") || !strings.Contains(sc, "could not tell") {
		t.Fatalf("an unchecked outcome is not called unknown:\n%s", sc)
	}
	// Sending again reads back first: Jira has it, so nothing is sent.
	r.keys("enter")
	if conf, ok := last[common.IssueConfirmedMsg](r); !ok || !strings.Contains(conf.Note, "already in Jira") {
		t.Fatalf("the resend did not check first: %+v", conf)
	}
	if n := s.count("POST", "/transitions"); n != 1 {
		t.Fatalf("%d POSTs: sent again without checking", n)
	}
}

// Assignments and bulk label changes are read back the same way.
func TestAssignAndLabelsAppliedThen500(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			var is []jiraclient.Issue
			for _, c := range s.issues(t, 10, "To Do") {
				if !sameUser(c.Assignee, s.c.Me) {
					is = append(is, c)
				}
			}
			if len(is) < 2 {
				t.Fatal("too few issues not assigned to me")
			}
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true, AfterStatus: 500}}})
			msgs := exec(AssignToMe(s.c, is[0]))
			for _, m := range msgs {
				if rb, ok := m.(common.IssueRollbackMsg); ok {
					t.Fatalf("assign rolled back: %v", rb.Err)
				}
			}
			if !hasConfirmed(msgs) {
				t.Fatalf("assign not confirmed: %#v", msgs)
			}
			w := labelWrite(is[1].Key, []string{"checked"}, nil)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true, AfterStatus: 502, HTML: true}}})
			msgs = exec(w.run(s.c))
			if !hasConfirmed(msgs) {
				t.Fatalf("labels not confirmed: %#v", msgs)
			}
		})
	}
}

func hasConfirmed(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if c, ok := m.(common.IssueConfirmedMsg); ok && strings.Contains(c.Note, "checked") {
			return true
		}
	}
	return false
}
