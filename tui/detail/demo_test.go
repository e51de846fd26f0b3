package detail

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// demoJQL is list.DefaultJQL (list imports detail, so it is repeated).
const demoJQL = "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC"

// The demo's first impression: the issue highlighted first (the top of
// "assigned to me", what the first Enter opens) shows what the detail
// draws best: a description with a table, code, a mention and a panel; a
// discussion; links. Both flavours serve it.
func TestDemoFirstIssue(t *testing.T) {
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) {
			_, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fl, Seed: 1, Now: fixedNow, Demo: true})
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
			if fl == fakejira.FlavorDataCenter {
				cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}
			}
			c, err := jiraclient.New(url, cred, jiraclient.WithFlavor(jiraclient.ParseFlavor(fl)))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			pg, err := c.Search(ctx, jiraclient.SearchQuery{JQL: demoJQL, PageSize: 5}, jiraclient.Cursor{})
			if err != nil || len(pg.Issues) == 0 {
				t.Fatalf("search: %v", err)
			}
			is, err := c.GetIssue(ctx, pg.Issues[0].Key, jiraclient.GetIssueOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"```go", "| Site", "[@Grace Hopper](mention:", "> **Warning:**", "1. Honour"} {
				if !strings.Contains(is.Description, want) {
					t.Errorf("the first issue's description lacks %q:\n%s", want, is.Description)
				}
			}
			if len(is.Comments) < 3 || len(is.Links) < 2 {
				t.Errorf("%d comments, %d links", len(is.Comments), len(is.Links))
			}
			v := plain(ready(t, is, 100, 60).View())
			if strings.Contains(v, "No description") {
				t.Errorf("the first issue has no description:\n%s", v)
			}
			if fl == fakejira.FlavorCloud {
				golden.RequireEqual(t, v)
			}
		})
	}
}
