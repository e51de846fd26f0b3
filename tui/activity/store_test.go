package activity

import (
	tea "charm.land/bubbletea/v2"

	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/internal/overlaytest"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// TestActivityMeetsExpiredLogin: the watchers, worklog and links overlays
// load through the store's request helper, so an expired login is seen
// whatever their messages report (none of them has Failed()): one
// LoginNeededMsg, the load held, and sent once again after the sign-in.
func TestActivityMeetsExpiredLogin(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	key := s.Srv.Keys()[0]
	is := s.Issue(t, key)
	s.C.Issues = store.New(store.Options{Client: s.C.Client})
	s.Srv.ExpireToken()
	loads := map[string]tea.Cmd{
		"watchers": NewWatchers(s.C, is).Init(),
		"worklog":  NewLogWork(s.C, is).Init(),
		"links":    NewLinks(s.C, is).loadTypes(),
	}
	for name, load := range loads {
		var asked int
		for _, msg := range overlaytest.Exec(load) {
			out, _, ok := s.C.Issues.Update(msg)
			if !ok {
				continue
			}
			for _, m := range out {
				if _, login := m.(store.LoginNeededMsg); login {
					asked++
				}
			}
		}
		if asked != 1 {
			t.Errorf("%s: %d login-needed signals, want 1", name, asked)
		}
		s.C.Issues.Abandon()
	}
}
