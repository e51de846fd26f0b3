package store

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestColumnsSearchFields: with columns configured (built-in ones by name,
// other fields by name or id), the list's search asks Jira for exactly the
// fields they show, and the custom ones come back decoded in
// Issue.Values; unconfigured, the search is the default one.
func TestColumnsSearchFields(t *testing.T) {
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) {
			srv, u, stop, err := fakejira.Start(fakejira.Options{Flavor: fl, Seed: 1, Demo: true})
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			c := newClient(t, fl, u, fakejira.Token)
			ctx := context.Background()
			points := map[string]string{fakejira.FlavorCloud: "Story point estimate", fakejira.FlavorDataCenter: "Story Points"}[fl]
			cfg := []string{"key", "Status", points, "Sprint", "fixVersions", "duedate", "summary", "No such field"}
			q := listQuery(ctx, c, "project = JIF ORDER BY key", 50, cfg)
			fs, _ := c.Fields(ctx)
			cols := ResolveColumns(cfg, fs)
			if len(cols.Unknown) != 1 || cols.Unknown[0] != "No such field" || len(cols.Extra) != 4 {
				t.Fatalf("resolved %+v", cols)
			}
			srv.ResetRequests()
			page, err := c.Search(ctx, q, jiraclient.Cursor{})
			if err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			asked := askedFields(t, reqs[0])
			want := append([]string{"summary", "status", "updated"}, cols.Extra[0].ID, cols.Extra[1].ID, "fixVersions", "duedate")
			slices.Sort(asked)
			slices.Sort(want)
			if !slices.Equal(asked, want) {
				t.Errorf("asked for %v, want %v", asked, want)
			}
			var withPoints, withVersions int
			for _, is := range page.Issues {
				if !is.Values[cols.Extra[0].ID].Empty() {
					withPoints++
				}
				if !is.Values["fixVersions"].Empty() {
					withVersions++
				}
				if is.Priority != nil || is.Assignee != nil {
					t.Fatalf("%s came with fields no column shows", is.Key)
				}
			}
			if withPoints == 0 || withVersions == 0 {
				t.Errorf("no story points (%d) or fix versions (%d) decoded", withPoints, withVersions)
			}
			if q := listQuery(ctx, c, "project = JIF", 50, nil); !slices.Equal(q.Fields, jiraclient.ListFields) || q.Schemas != nil {
				t.Errorf("default search changed: %+v", q)
			}
		})
	}
}

// askedFields reads the fields a search asked for (query or JSON body).
func askedFields(t *testing.T, r fakejira.Request) []string {
	t.Helper()
	if v, err := url.ParseQuery(r.RawQuery); err == nil && v.Get("fields") != "" {
		return strings.Split(v.Get("fields"), ",")
	}
	i := strings.Index(r.Body, `"fields":[`)
	if i < 0 {
		t.Fatalf("no fields in %s %s?%s %s", r.Method, r.Path, r.RawQuery, r.Body)
	}
	list := r.Body[i+len(`"fields":[`):]
	list = list[:strings.IndexByte(list, ']')]
	var out []string
	for _, f := range strings.Split(list, ",") {
		out = append(out, strings.Trim(f, `"`))
	}
	return out
}
