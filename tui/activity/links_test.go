package activity

import (
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// chooseRelation moves the cursor to the relation reading words.
func chooseRelation(t *testing.T, r *runner, words string) {
	t.Helper()
	l := r.O.(*Links)
	for i, rel := range l.rels {
		if rel.words == words {
			for range i {
				r.Keys("j")
			}
			r.Keys("enter")
			return
		}
	}
	t.Fatalf("no relation %q in %+v", words, l.rels)
}

// TestLinksAddRemove: a link added each way reads right from both ends in
// Jira, and d twice removes one; the issue read back goes to the root.
func TestLinksAddRemove(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			r := newRunner(t, NewLinks(s.C, s.Issue(t, "JIF-1")), 80, 24)
			if v := r.View(); !strings.Contains(v, "No links yet.") {
				t.Fatalf("links:\n%s", v)
			}
			r.Keys("a")
			chooseRelation(t, r, "blocks")
			if !r.O.(*Links).InputFocused() {
				t.Fatal("the key field has no focus")
			}
			r.TypeText("jif-2") // a and d are text here
			r.Keys("enter")
			r.Keys("a")
			chooseRelation(t, r, "is blocked by")
			r.TypeText("JIF-3")
			r.Keys("enter")
			act, _ := s.Srv.Activity("JIF-1")
			want := map[string]string{"JIF-2": "blocks", "JIF-3": "is blocked by"}
			if len(act.Links) != 2 {
				t.Fatalf("links in Jira: %+v\n%s", act.Links, r.View())
			}
			for _, l := range act.Links {
				if want[l.Other] != l.Relation || l.Type != "Blocks" {
					t.Errorf("link in Jira: %+v", l)
				}
			}
			other, _ := s.Srv.Activity("JIF-2")
			if len(other.Links) == 0 || other.Links[len(other.Links)-1].Relation != "is blocked by" {
				t.Errorf("JIF-2 sees %+v", other.Links)
			}
			c, ok := last[common.IssueConfirmedMsg](r)
			if !ok || c.Issue == nil || len(c.Issue.Links) != 2 {
				t.Fatalf("no read-back with both links: %+v", c)
			}
			v := r.View()
			if !strings.Contains(v, "blocks JIF-2") || !strings.Contains(v, "is blocked by JIF-3") {
				t.Errorf("dialog:\n%s", v)
			}
			r.Keys("d")
			if act, _ := s.Srv.Activity("JIF-1"); len(act.Links) != 2 {
				t.Fatalf("one d removed a link")
			}
			r.Keys("d")
			act, _ = s.Srv.Activity("JIF-1")
			if len(act.Links) != 1 || s.Count("DELETE", "") != 1 {
				t.Errorf("after d d: %+v", act.Links)
			}
		})
	}
}

// TestLinkBadKey: a key that is not one is refused before any request.
func TestLinkBadKey(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	r := newRunner(t, NewLinks(s.C, s.Issue(t, "JIF-1")), 80, 24)
	r.Keys("a")
	chooseRelation(t, r, "relates to")
	r.TypeText("not a key")
	r.Keys("enter")
	if n := s.Count("POST", "/issueLink"); n != 0 {
		t.Errorf("%d POSTs", n)
	}
	if v := r.View(); !strings.Contains(v, "✗") || !strings.Contains(v, "not a key") {
		t.Errorf("no error beside the draft:\n%s", v)
	}
}
