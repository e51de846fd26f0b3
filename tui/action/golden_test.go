package action

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// Golden files hold the dialogs with styles stripped, so they read as the
// screen does and do not churn when a colour changes. Regenerate with:
// go test ./tui/action -run TestGolden -update

var goldenSizes = [][2]int{{80, 24}, {120, 40}}

func TestGolden(t *testing.T) {
	cases := []struct {
		name  string
		flav  string
		build func(t *testing.T, s *site, w, h int) common.Overlay
	}{
		{"transition_picker", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			return newRunner(t, NewTransition(s.c, s.issues(t, 1, "To Do")[0]), w, h).o
		}},
		{"transition_form", fakejira.FlavorDataCenter, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewTransition(s.c, s.issues(t, 1, "In Progress")[0]), w, h)
			r.typ("done")
			r.keys("enter")
			return r.o
		}},
		{"transition_form_optional", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			optionalOnDone(t, s)
			r := newRunner(t, NewTransition(s.c, s.issues(t, 1, "In Progress")[0]), w, h)
			r.typ("done")
			r.keys("enter")
			return r.o
		}},
		{"transition_form_optional_scrolled", fakejira.FlavorDataCenter, func(t *testing.T, s *site, w, h int) common.Overlay {
			optionalOnDone(t, s)
			r := newRunner(t, NewTransition(s.c, s.issues(t, 1, "In Progress")[0]), w, h)
			r.typ("done")
			r.keys("enter", "enter")
			focus(t, r, r.o.(*Transition), "Severity")
			r.keys("space", "down")
			return r.o
		}},
		{"transition_form_filled", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewTransition(s.c, s.issues(t, 1, "In Progress")[0]), w, h)
			r.typ("done")
			r.keys("enter", "down", "enter", "tab")
			r.typ("Fixed in build 42.")
			return r.o
		}},
		{"transition_field_error", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewTransition(s.c, s.issues(t, 1, "To Do")[0]), w, h)
			m := r.o.(*Transition)
			for i := range m.ts {
				if f, ok := m.ts[i].Fields["resolution"]; ok {
					f.Required = false // a validator the metadata does not show
					m.ts[i].Fields["resolution"] = f
				}
			}
			r.typ("done")
			r.keys("enter")
			return r.o
		}},
		{"transition_refused", fakejira.FlavorDataCenter, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewTransition(s.c, s.issues(t, 1, "To Do")[0]), w, h)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 409}}})
			r.typ("progress")
			r.keys("enter")
			return r.o
		}},
		{"transition_waiting", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			s.c.Client = s.client(t, fakejira.Token, quick)
			r := newRunner(t, NewTransition(s.c, s.issues(t, 1, "To Do")[0]), w, h)
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "30"}}})
			r.park = isRollback
			r.typ("progress")
			r.keys("enter")
			return r.o
		}},
		{"assign_picker", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			return newRunner(t, NewAssign(s.c, s.notMine(t, 1, "To Do")[0]), w, h).o
		}},
		{"assign_search", fakejira.FlavorDataCenter, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewAssign(s.c, s.notMine(t, 1, "To Do")[0]), w, h)
			r.typeFast("mar")
			return r.o
		}},
		{"assign_field_error", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewAssign(s.c, s.notMine(t, 1, "To Do")[0]), w, h)
			r.typeFast("eds")
			r.send(usersMsg{id: r.o.(*Assign).users.reqID, query: "eds", users: []jiraclient.User{asClient(s.fakeUser(t, "Edsger"))}})
			r.keys("enter")
			return r.o
		}},
		{"bulk_pick", fakejira.FlavorDataCenter, func(t *testing.T, s *site, w, h int) common.Overlay {
			return newRunner(t, NewBulk(s.c, append(s.issues(t, 4, "To Do"), missing), BulkTransition), w, h).o
		}},
		{"bulk_form", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewBulk(s.c, s.issues(t, 3, "In Progress"), BulkTransition), w, h)
			r.typ("done")
			r.keys("enter")
			return r.o
		}},
		{"bulk_done_failure", fakejira.FlavorCloud, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewBulk(s.c, append(s.issues(t, 5, "To Do"), missing), BulkLabel), w, h)
			r.typ("+triaged -flaky-test")
			r.keys("enter")
			return r.o
		}},
		{"bulk_paused", fakejira.FlavorDataCenter, func(t *testing.T, s *site, w, h int) common.Overlay {
			r := newRunner(t, NewBulk(s.c, s.issues(t, 6, "To Do"), BulkTransition), w, h)
			r.typ("progress")
			s.srv.ExpireToken()
			r.keys("enter")
			return r.o
		}},
	}
	for _, tc := range cases {
		for _, sz := range goldenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, sz[0], sz[1]), func(t *testing.T) {
				s := startSite(t, tc.flav)
				ov := tc.build(t, s, sz[0], sz[1])
				ov.SetSize(sz[0], sz[1])
				golden.RequireEqual(t, ansi.Strip(ov.View()))
			})
		}
	}
}

// At 80 columns every key the footer offers is shown whole, the last one
// (how to close) included: the hint wraps instead of being cut.
func TestHintShowsEveryKey(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	for name, ov := range map[string]common.Overlay{
		"assign":     newRunner(t, NewAssign(s.c, s.notMine(t, 1, "To Do")[0]), 80, 24).o,
		"transition": newRunner(t, NewTransition(s.c, s.issues(t, 1, "To Do")[0]), 80, 24).o,
		"bulk":       newRunner(t, NewBulk(s.c, s.issues(t, 3, "To Do"), BulkAssign), 80, 24).o,
	} {
		ov.SetSize(80, 24)
		v := strings.Join(strings.Fields(ansi.Strip(ov.View())), " ")
		for _, b := range ov.KeyMap().ShortHelp() {
			if b.Enabled() && b.Help().Key != "" && !strings.Contains(v, b.Help().Key+" "+b.Help().Desc) {
				t.Errorf("%s: the hint hides %q", name, b.Help().Key+" "+b.Help().Desc)
			}
		}
	}
}

// optionalOnDone puts optional fields of several kinds on the Done screen,
// more than an 80x24 form shows at once.
func optionalOnDone(t *testing.T, s *site) {
	t.Helper()
	for _, name := range []string{"Severity", "Found in", "Customer impact", "Reviewer", "Platforms", "Target start", "Tags", "Customer"} {
		if err := s.srv.SetOnDoneScreen(name, false, false); err != nil {
			t.Fatal(err)
		}
	}
}
