package jiraclient

import (
	"context"
	"strings"
	"testing"
)

// TestSearchUsersAndGroups: the people search asks with the flavour's
// parameter (Cloud query=, Data Center username=), returns only active
// users, and asks nothing for an empty query; the group search finds by
// part of the name, with Cloud's groupId.
func TestSearchUsersAndGroups(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			fs := startFieldSite(t, fl)
			ctx := context.Background()
			v := fl.f.APIVersion()
			var us []User
			got := requestsDuring(t, fs.srv, func() {
				var err error
				if us, err = fs.c.SearchUsers(ctx, "gra"); err != nil {
					t.Fatal(err)
				}
			})
			wantRequests(t, "SearchUsers", got, "GET /rest/api/"+v+"/user/search")
			q := fs.srv.Requests()[0].RawQuery
			param := map[Flavor]string{FlavorCloud: "query=gra", FlavorDataCenter: "username=gra"}[fl.f]
			if !strings.Contains(q, param) {
				t.Errorf("query %q lacks %q", q, param)
			}
			if len(us) != 1 || us[0].DisplayName != "Grace Hopper" {
				t.Fatalf("users %+v", us)
			}
			if fl.f == FlavorCloud && us[0].AccountID == "" || fl.f == FlavorDataCenter && us[0].Name != "grace" {
				t.Errorf("the user lacks the flavour's id: %+v", us[0])
			}
			// edsger is the inactive one in the fake's people.
			if us, _ := fs.c.SearchUsers(ctx, "edsger"); len(us) != 0 {
				t.Errorf("an inactive user offered: %+v", us)
			}
			got = requestsDuring(t, fs.srv, func() {
				if us, err := fs.c.SearchUsers(ctx, "  "); err != nil || len(us) != 0 {
					t.Errorf("empty search: %v %v", us, err)
				}
			})
			wantRequests(t, "empty SearchUsers", got)

			gs, err := fs.c.FindGroups(ctx, "TEAM")
			if err != nil {
				t.Fatal(err)
			}
			if len(gs) != 2 || gs[0].Name != "mobile-team" || gs[1].Name != "platform-team" {
				t.Fatalf("groups %+v", gs)
			}
			if (gs[0].ID != "") != (fl.f == FlavorCloud) {
				t.Errorf("groupId %q on %s", gs[0].ID, fl.name)
			}
		})
	}
}
