package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/profiles"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// BenchmarkProfileSwitch: P, enter on a profile opened before, to its
// cached list drawn (its Jira 5 s late, so the rows are the cache's):
// the Update of the switch, the cache read of the last result (50 rows)
// and the frame. Also reported: the requests each switch sends.
func BenchmarkProfileSwitch(b *testing.B) {
	type site struct {
		srv    *fakejira.Server
		client *jiraclient.Client
		db     *cache.DB
		entry  profiles.Entry
	}
	var sites [2]site
	for i, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fl, Seed: 7, Issues: 160})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(stop)
		cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
		if fl == fakejira.FlavorDataCenter {
			cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}
		}
		c, err := jiraclient.New(url, cred, jiraclient.WithFlavor(jiraclient.ParseFlavor(fl)))
		if err != nil {
			b.Fatal(err)
		}
		db := cache.Open(context.Background(), cache.Options{Dir: b.TempDir(), Profile: fl})
		b.Cleanup(func() { _ = db.Close() })
		// The profile's last result, as a session before left it.
		page, err := c.Search(context.Background(), jiraclient.SearchQuery{JQL: allIssues, Fields: jiraclient.ListFields, PageSize: 50}, jiraclient.Cursor{})
		if err != nil {
			b.Fatal(err)
		}
		keys := make([]string, len(page.Issues))
		for i, is := range page.Issues {
			keys[i] = is.Key
		}
		if err := db.PutResult(context.Background(), cache.Result{JQL: allIssues, Keys: keys, Total: page.Total, Fetched: time.Now()}, cache.List, page.Issues); err != nil {
			b.Fatal(err)
		}
		srv.SetFaults(fakejira.Faults{Latency: 5 * time.Second})
		sites[i] = site{srv: srv, client: c, db: db, entry: profiles.Entry{Name: fl, URL: url}}
	}
	o := Options{Client: sites[0].client, Cache: sites[0].db, DefaultJQL: allIssues,
		Profiles: []profiles.Entry{sites[0].entry, sites[1].entry}, Profile: sites[0].entry,
		OpenProfile: func(context.Context, profiles.Entry) (Options, error) {
			return Options{Client: sites[1].client, Cache: sites[1].db, DefaultJQL: allIssues}, nil
		}}
	m := New(o)
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = nm.(Model)
	msgs := make(chan tea.Msg, 256)
	var spawn func(tea.Cmd)
	spawn = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			msg := c()
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					spawn(c)
				}
				return
			}
			if cs, ok := sequence(msg); ok {
				for _, c := range cs {
					if c != nil {
						msgs <- c()
					}
				}
				return
			}
			msgs <- msg
		}()
	}
	step := func(msg tea.Msg) {
		nm, cmd := m.Update(msg)
		m = nm.(Model)
		spawn(cmd)
	}
	until := func(cond func() bool) {
		for !cond() {
			step(<-msgs)
		}
	}
	for i := range sites {
		sites[i].srv.ResetRequests()
	}
	reqs := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		to := sites[(i+1)%2]
		step(profiles.PickedMsg{Entry: to.entry})
		until(func() bool {
			return m.Profile().ID() == to.entry.ID() && m.listOn && len(m.list.Issues()) == 50 && strings.Contains(m.View().Content, "cached")
		})
	}
	b.StopTimer()
	for i := range sites {
		reqs += len(sites[i].srv.Requests())
	}
	b.ReportMetric(float64(reqs)/float64(b.N), "requests/switch")
}
