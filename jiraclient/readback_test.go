package jiraclient

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestOutcomeUnknown: a write answered 5xx after Jira applied it, or never
// answered, or cut off, is "unknown"; a refusal, a read, or a failure
// before sending is not.
func TestOutcomeUnknown(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred, WithTimeout(2*time.Second))
			ctx := context.Background()
			key := s.Keys()[0]
			cases := []struct {
				name  string
				fault fakejira.Fault
				want  bool
			}{
				{"applied then 500", fakejira.Fault{AfterHandler: true, AfterStatus: 500}, true},
				{"applied then proxy 502", fakejira.Fault{AfterHandler: true, AfterStatus: 502, HTML: true}, true},
				{"applied then dropped", fakejira.Fault{AfterHandler: true}, true},
				{"applied then no answer", fakejira.Fault{AfterHandler: true, AfterHang: true}, true},
				{"refused 400", fakejira.Fault{Status: 400}, false},
				{"refused 403", fakejira.Fault{Status: 403}, false},
			}
			for _, tc := range cases {
				s.SetFaults(fakejira.Faults{Script: []fakejira.Fault{tc.fault}})
				_, err := c.AddComment(ctx, key, "unknown? "+tc.name)
				if err == nil {
					t.Fatalf("%s: no error", tc.name)
				}
				if got := OutcomeUnknown(err); got != tc.want {
					t.Errorf("%s: OutcomeUnknown(%v) = %v, want %v", tc.name, err, got, tc.want)
				}
			}
			s.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 500}}})
			if _, err := c.GetIssue(ctx, key, GetIssueOptions{}); err == nil || OutcomeUnknown(err) {
				t.Errorf("a failed read counts as an unknown write: %v", err)
			}
			s.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true, AfterStatus: 500}}})
			if err := c.EditIssue(ctx, key, IssueEdit{AddLabels: []string{"readback"}}); !OutcomeUnknown(err) {
				t.Errorf("PUT answered 500: OutcomeUnknown false (%v)", err)
			}
		})
	}
}

// TestFindComment finds a comment stored by a write whose answer was lost:
// same body, same author, since the send; an older identical comment, or
// another author's, is not it.
func TestFindComment(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			ctx := context.Background()
			key := s.Keys()[1]
			me, err := c.Myself(ctx)
			if err != nil {
				t.Fatal(err)
			}
			body := "Checked *twice*:\n\n- `a`\n- [link](https://example.com)\n\n@nobody ~tilde~"
			if cm, err := c.FindComment(ctx, key, body, me, time.Minute); err != nil || cm != nil {
				t.Fatalf("before the send: %+v, %v", cm, err)
			}
			s.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true, AfterStatus: 500}}})
			if _, err := c.AddComment(ctx, key, body); !OutcomeUnknown(err) {
				t.Fatalf("send: %v", err)
			}
			cm, err := c.FindComment(ctx, key, body, me, time.Second)
			if err != nil || cm == nil {
				t.Fatalf("not found after it was stored: %+v, %v", cm, err)
			}
			if cm, _ := c.FindComment(ctx, key, body+" more", me, time.Second); cm != nil {
				t.Errorf("another body matched: %+v", cm)
			}
			other := &User{AccountID: "someone-else", Name: "someone-else"}
			if cm, _ := c.FindComment(ctx, key, body, other, time.Second); cm != nil {
				t.Errorf("another author matched: %+v", cm)
			}
		})
	}
}

// TestFindCreated finds an issue created by a send whose answer was lost,
// by project, reporter, recent creation and exact summary.
func TestFindCreated(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			ctx := context.Background()
			proj, _ := firstProject(t, s)
			types, err := c.CreateMetaIssueTypes(ctx, proj)
			if err != nil || len(types) == 0 {
				t.Fatalf("issue types: %v %v", types, err)
			}
			summary := `Lost "answer" \ check`
			if ref, err := c.FindCreated(ctx, proj, summary, time.Minute); err != nil || ref.Key != "" {
				t.Fatalf("before: %+v %v", ref, err)
			}
			s.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true, AfterStatus: 504}}})
			_, err = c.CreateIssue(ctx, IssueCreate{Project: proj, IssueTypeID: types[0].ID, Summary: summary})
			if !OutcomeUnknown(err) {
				t.Fatalf("create: %v", err)
			}
			ref, err := c.FindCreated(ctx, proj, summary, time.Second)
			if err != nil || ref.Key == "" {
				t.Fatalf("not found: %+v %v", ref, err)
			}
			if is, ok := s.Issue(ref.Key); !ok || is.Summary != summary {
				t.Errorf("found %s: %+v", ref.Key, is)
			}
			if ref, _ := c.FindCreated(ctx, proj, summary+"!", time.Second); ref.Key != "" {
				t.Errorf("another summary matched %s", ref.Key)
			}
		})
	}
}

// TestSearchRefusesHugeJQL: a query over MaxJQL is refused before
// anything is sent, with a message that says what to do.
func TestSearchRefusesHugeJQL(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			s, c := startFakeSite(t, fl.name, fl.f, fl.cred)
			s.ResetRequests()
			jql := "summary ~ \"" + strings.Repeat("x", 900_000) + "\""
			_, err := c.Search(context.Background(), SearchQuery{JQL: jql}, Cursor{})
			if KindOf(err) != KindInvalid || !strings.Contains(err.Error(), "shorten the query") {
				t.Fatalf("err %v", err)
			}
			if n := len(s.Requests()); n != 0 {
				t.Fatalf("%d requests sent", n)
			}
		})
	}
}
