package compose

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// Golden files hold the dialogs with styles stripped, so they read as the
// screen does and do not churn when a colour changes. Regenerate with:
// go test ./tui/compose -run TestGolden -update

var goldenSizes = [][2]int{{80, 24}, {120, 40}}

func TestGolden(t *testing.T) {
	cases := []struct {
		name  string
		flav  string
		build func(t *testing.T, s *site) common.Overlay
	}{
		{"comment_empty", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			return NewComment(s.c, s.deps(), s.issue(s.key(0)))
		}},
		{"comment_error", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			d := drive(t, NewComment(s.c, s.deps(), s.issue(s.key(0))))
			d.typeText("Shipping this **today**.")
			s.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 403}}})
			d.press("ctrl+s")
			return d.ov
		}},
		{"comment_mention", fakejira.FlavorDataCenter, func(t *testing.T, s *site) common.Overlay {
			d := drive(t, NewComment(s.c, s.deps(), s.issue(s.key(0))))
			d.typeText("Can you look, @a")
			return d.ov
		}},
		{"comment_restored", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			s.drafts.Put(configDraft(commentKey(s.key(0)), "Half a thought", "Jira is temporarily unavailable"))
			return NewComment(s.c, s.deps(), s.issue(s.key(0)))
		}},
		{"edit_form", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			d, _ := openEdit(t, s, s.key(1), s.deps())
			return d.ov
		}},
		{"edit_loading", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			m := NewEdit(s.c, s.deps(), s.issue(s.key(1))).(*Edit)
			m.Init() // not run: the load is in flight
			return m
		}},
		{"edit_field_error", fakejira.FlavorDataCenter, func(t *testing.T, s *site) common.Overlay {
			d, m := openEdit(t, s, s.key(1), s.deps())
			pm := m.meta[fieldPriority]
			pm.AllowedValues = append(pm.AllowedValues, jiraclient.AllowedValue{ID: "999", Name: "Retired"})
			m.meta[fieldPriority] = pm
			d.press("tab")
			d.press("tab")
			d.press("enter")
			d.typeText("retired")
			d.press("enter")
			d.press("ctrl+s")
			return d.ov
		}},
		{"edit_priority_picker", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			d, _ := openEdit(t, s, s.key(1), s.deps())
			d.press("tab")
			d.press("tab")
			d.press("enter")
			return d.ov
		}},
		{"edit_conflict", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			d, m := openEdit(t, s, s.key(1), s.deps())
			d.press("ctrl+u")
			d.typeText("My summary")
			r := m.base
			r.Summary = "Their summary"
			r.Description = "**Impact:** everyone, daily.\n\n" + r.Description
			r.Updated = m.base.Updated.Add(90 * time.Second)
			m.st, m.remote = editConflict, &r
			return m
		}},
		{"create_types", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			d, _ := openCreate(t, s, projectOf(s.key(0)), s.deps())
			return d.ov
		}},
		{"create_projects", fakejira.FlavorDataCenter, func(t *testing.T, s *site) common.Overlay {
			d, _ := openCreate(t, s, "", s.deps())
			return d.ov
		}},
		{"create_form", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			d, _ := openCreate(t, s, projectOf(s.key(0)), s.deps())
			d.typeText("sub")
			d.press("enter")
			d.typeText("A new sub-task")
			return d.ov
		}},
		{"create_field_editor", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			if err := s.srv.SetRequiredOnCreate("Task", "Severity", true); err != nil {
				t.Fatal(err)
			}
			d, m := openCreate(t, s, projectOf(s.key(0)), s.deps())
			d.typeText("task")
			d.press("enter")
			d.typeText("Pick a severity")
			focusRow(t, d, m, "Severity")
			d.press("enter")
			d.typeText("S")
			return d.ov
		}},
		{"create_field_error", fakejira.FlavorCloud, func(t *testing.T, s *site) common.Overlay {
			d, m := openCreate(t, s, projectOf(s.key(0)), s.deps())
			d.typeText("sub")
			d.press("enter")
			d.typeText("A new sub-task")
			for m.focus < 2 || m.extras[m.focus-2].meta.ID != "parent" {
				d.press("tab")
			}
			d.typeText("NOPE-9")
			d.press("ctrl+s")
			return d.ov
		}},
	}
	for _, tc := range cases {
		for _, sz := range goldenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, sz[0], sz[1]), func(t *testing.T) {
				s := newSite(t, tc.flav)
				s.c.Width, s.c.Height = sz[0], sz[1]
				ov := tc.build(t, s)
				ov.SetSize(sz[0], sz[1])
				golden.RequireEqual(t, ansi.Strip(ov.View()))
			})
		}
	}
}
