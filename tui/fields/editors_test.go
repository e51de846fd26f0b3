package fields

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

func init() { SearchDelay = 0 }

// TestEditPeopleGroupsSprintTeam: the editors of user, multi-user, group,
// sprint, team and the system assignee, in both flavours: each value is
// found the way the user finds it (typing a name searches Jira), sent in
// the flavour's shape (fakejira decodes accountId on Cloud, name on Data
// Center) and stored.
func TestEditPeopleGroupsSprintTeam(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			edits := []edit{
				{field: "Reviewer", choose: []string{"grace"}, want: "grace"},                // user
				{field: "Approvers", choose: []string{"ken", "radia"}, want: "ken, radia"},   // users
				{field: "Owning group", choose: []string{"platform"}, want: "platform-team"}, // group
				{field: "Sprint", choose: []string{"Sprint 16"}, want: "JIF Sprint 16"},      // sprint
			}
			for _, e := range edits {
				r := newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
				e.run(t, r)
				got, _ := s.Srv.CustomValues("JIF-2")
				if got[e.field] != e.want {
					t.Errorf("%s: Jira has %q, want %q\n%s", e.field, got[e.field], e.want, r.View())
				}
				if _, ok := last[common.IssueConfirmedMsg](r); !ok || !r.Closed {
					t.Errorf("%s: not confirmed or still open\n%s", e.field, r.View())
				}
			}
			// The team by its id (Jira lists no teams in editmeta).
			var id string
			for k, v := range s.Srv.Teams() {
				if v == "Search" {
					id = k
				}
			}
			r := newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
			edit{field: "Team", text: id}.run(t, r)
			if got, _ := s.Srv.CustomValues("JIF-2"); got["Team"] != "Search" {
				t.Errorf("team %q\n%s", got["Team"], r.View())
			}
			// The system assignee, through the same people picker.
			r = newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
			edit{field: "Assignee", choose: []string{"barbara"}}.run(t, r)
			if got := s.Issue(t, "JIF-2").Values["assignee"].Format(); got != "Barbara Liskov" {
				t.Errorf("assignee %q\n%s", got, r.View())
			}
			// A single-user field cleared by its last entry.
			r = newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
			pick(t, r, "Reviewer")
			r.Keys("down", "enter")
			if got, _ := s.Srv.CustomValues("JIF-2"); got["Reviewer"] != "" {
				t.Errorf("reviewer not cleared: %q\n%s", got["Reviewer"], r.View())
			}
		})
	}
}

// TestEditEstimates: the original and remaining estimates, typed as Jira
// writes time, normalised and stored; a bad one is refused with no
// request.
func TestEditEstimates(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			r := newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
			pick(t, r, "Time tracking")
			if r.O.(*Edit).ed.step != stepTime {
				t.Fatalf("no estimates editor:\n%s", r.View())
			}
			r.Keys("ctrl+u")
			r.TypeText("1h 30m")
			r.Keys("tab", "ctrl+u")
			r.TypeText("soon")
			r.Keys("enter")
			if v := r.View(); !strings.Contains(v, "not a time") || s.Count("PUT", "/JIF-2") != 0 {
				t.Fatalf("a bad estimate was sent or not explained:\n%s", v)
			}
			r.Keys("ctrl+u")
			r.TypeText("90m")
			r.Keys("enter")
			a, _ := s.Srv.Activity("JIF-2")
			if a.OriginalSeconds != 5400 || a.RemainingSeconds != 5400 || !r.Closed {
				t.Errorf("estimates %d / %d, want 5400 / 5400\n%s", a.OriginalSeconds, a.RemainingSeconds, r.View())
			}
		})
	}
}

// TestDescriptionHandsOver: picking the description asks the root for
// the full form (several lines, $EDITOR, drafts).
func TestDescriptionHandsOver(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	r := newRunner(t, New(s.C, s.Issue(t, "JIF-2")), 100, 40)
	var got []FullEditMsg
	o := r.O
	r.TypeText("Description")
	_, cmd := o.Update(press("enter"))
	if cmd != nil {
		if m, ok := cmd().(FullEditMsg); ok {
			got = append(got, m)
		}
	}
	if len(got) != 1 || got[0].Issue.Key != "JIF-2" {
		t.Fatalf("description did not hand over: %v\n%s", got, r.View())
	}
}

// TestEditorGoldens: each new editor at 80x24 and 120x40.
func TestEditorGoldens(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	is := s.Issue(t, "JIF-2")
	cases := []struct {
		name  string
		field string
		typed string
	}{
		{"user", "Reviewer", "gr"},
		{"users", "Approvers", ""},
		{"group", "Owning group", ""},
		{"sprint", "Sprint", ""},
		{"team", "Team", ""},
		{"estimates", "Time tracking", ""},
	}
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		n := map[int]string{80: "80x24", 120: "120x40"}[sz[0]]
		for _, c := range cases {
			t.Run(c.name+"/"+n, func(t *testing.T) {
				r := newRunner(t, New(s.C, is), sz[0], sz[1])
				pick(t, r, c.field)
				r.TypeText(c.typed)
				golden.RequireEqual(t, r.View())
			})
		}
	}
}
