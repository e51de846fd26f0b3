package detail

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// TestEpicChildren: an epic's page lists its child issues, as fakejira
// holds them, with "N of M done"; each is a link; both flavours (Cloud
// reads parent, Data Center the Epic Link field).
func TestEpicChildren(t *testing.T) {
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) {
			srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fl, Seed: 1, Now: fixedNow, Demo: true})
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
			if fl == fakejira.FlavorDataCenter {
				cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}
			}
			cl, err := jiraclient.New(url, cred, jiraclient.WithFlavor(jiraclient.ParseFlavor(fl)))
			if err != nil {
				t.Fatal(err)
			}
			// The epic with the most children, and what fakejira holds.
			kids := map[string][]string{}
			done := map[string]int{}
			epics := map[string]bool{}
			for _, k := range srv.Keys() {
				s, _ := srv.Issue(k)
				if s.Type == "Epic" {
					epics[k] = true
				}
			}
			epic := ""
			for _, k := range srv.Keys() {
				s, _ := srv.Issue(k)
				if epics[s.Parent] {
					kids[s.Parent] = append(kids[s.Parent], k)
					if s.Status == "Done" {
						done[s.Parent]++
					}
					if len(kids[s.Parent]) > len(kids[epic]) {
						epic = s.Parent
					}
				}
			}
			if len(kids[epic]) < 2 {
				t.Fatalf("the demo has no epic with children: %v", kids)
			}
			is, err := cl.GetIssue(context.Background(), epic, jiraclient.GetIssueOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c := &common.Common{Styles: common.NewStyles(true), Client: cl, Now: func() time.Time { return fixedNow }}
			m := New(c).SetSize(120, 80).SetIssue(is)
			if got := m.WantsChildren(); got != epic {
				t.Fatalf("WantsChildren = %q, want %q", got, epic)
			}
			m = m.SetChildrenLoading(epic)
			if m.WantsChildren() != "" || !strings.Contains(plain(m.View()), "loading…") {
				t.Fatalf("loading:\n%s", plain(m.View()))
			}
			m, _ = m.Update(LoadChildren(c, epic)())
			v := plain(m.View())
			want := "Child issues · " + strconv.Itoa(done[epic]) + " of " + strconv.Itoa(len(kids[epic])) + " done"
			if !strings.Contains(v, want) {
				t.Fatalf("want %q in:\n%s", want, v)
			}
			targets := map[string]bool{}
			for _, tg := range m.doc.targets {
				targets[tg.key] = true
			}
			for _, k := range kids[epic] {
				if !strings.Contains(v, k) || !targets[k] {
					t.Errorf("child %s not listed as a link", k)
				}
			}
			// Another issue's page drops them; a non-epic wants none.
			other, err := cl.GetIssue(context.Background(), kids[epic][0], jiraclient.GetIssueOptions{})
			if err != nil {
				t.Fatal(err)
			}
			m = m.SetIssue(other)
			if m.WantsChildren() != "" || strings.Contains(plain(m.View()), "Child issues") {
				t.Errorf("a child's page shows child issues")
			}
		})
	}
}
