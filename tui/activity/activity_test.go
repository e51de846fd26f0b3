package activity

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

var flavors = []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter}

// TestWatchToggle: w lists the watchers, w again watches (or stops), the
// change is in Jira, and the issue read back goes to the root; a second
// w undoes it.
func TestWatchToggle(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			before, _ := s.Srv.Activity("JIF-1")
			r := newRunner(t, NewWatchers(s.C, s.Issue(t, "JIF-1")), 80, 24)
			v := r.View()
			if !strings.Contains(v, "2 people watch this issue.") || !strings.Contains(v, "Barbara Liskov") {
				t.Fatalf("watchers not listed:\n%s", v)
			}
			was := r.O.(*Watchers).Watching()
			r.Keys("w")
			after, _ := s.Srv.Activity("JIF-1")
			if len(after.Watchers) == len(before.Watchers) {
				t.Fatalf("watchers unchanged in Jira: %v -> %v", before.Watchers, after.Watchers)
			}
			if r.O.(*Watchers).Watching() == was {
				t.Errorf("the dialog still says watching=%v", was)
			}
			c, ok := last[common.IssueConfirmedMsg](r)
			if !ok || c.Issue == nil || c.Key != "JIF-1" {
				t.Fatalf("no read-back handed to the root: %+v", r.Seen)
			}
			if w, want := c.Issue.Values["watches"].Format(), strconv.Itoa(len(after.Watchers))+" watcher"; !strings.HasPrefix(w, want) {
				t.Errorf("the issue read back says %q, want %q…", w, want)
			}
			r.Keys("w")
			again, _ := s.Srv.Activity("JIF-1")
			if !slices.Equal(again.Watchers, before.Watchers) {
				t.Errorf("toggling twice: %v, want %v", again.Watchers, before.Watchers)
			}
			r.Keys("esc")
			if !r.Closed {
				t.Errorf("esc did not close")
			}
		})
	}
}

// TestLogWork: 1h 30m logged with a start and a comment arrives in Jira
// as 5400 seconds at that time; the overlay closes and hands the issue
// read back to the root.
func TestLogWork(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			before, _ := s.Srv.Activity("JIF-1")
			r := newRunner(t, NewLogWork(s.C, s.Issue(t, "JIF-1")), 80, 24)
			v := r.View()
			if !strings.Contains(v, "original 1d 7h · remaining 7h · logged 1d") || !strings.Contains(v, "Worklogs (3)") {
				t.Fatalf("estimates or worklogs not shown:\n%s", v)
			}
			r.TypeText("1h 30m")
			r.Keys("tab", "ctrl+u")
			r.TypeText("2026-11-23 09:15")
			r.Keys("tab")
			r.TypeText("pairing on the retry")
			r.Keys("enter")
			after, _ := s.Srv.Activity("JIF-1")
			if len(after.Worklogs) != len(before.Worklogs)+1 {
				t.Fatalf("%d worklogs, want %d\n%s", len(after.Worklogs), len(before.Worklogs)+1, r.View())
			}
			wl := after.Worklogs[len(after.Worklogs)-1]
			if wl.Seconds != 5400 || !wl.Started.Equal(time.Date(2026, 11, 23, 9, 15, 0, 0, time.UTC)) || !strings.Contains(wl.CommentText, "pairing on the retry") {
				t.Errorf("worklog in Jira: %+v", wl)
			}
			if after.SpentSeconds != before.SpentSeconds+5400 {
				t.Errorf("time spent %d, want %d", after.SpentSeconds, before.SpentSeconds+5400)
			}
			c, ok := last[common.IssueConfirmedMsg](r)
			if !ok || c.Issue == nil || !strings.Contains(c.Note, "logged 1h 30m on JIF-1") || !r.Closed {
				t.Errorf("confirmed %+v, closed %v", c, r.Closed)
			}
		})
	}
}

// TestLogWorkRefusesBadInput: a time Jira would refuse is said in the
// form before any request, and the draft stays.
func TestLogWorkRefusesBadInput(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	r := newRunner(t, NewLogWork(s.C, s.Issue(t, "JIF-1")), 80, 24)
	r.TypeText("1.5 hours")
	r.Keys("enter")
	if n := s.Count("POST", "/worklog"); n != 0 {
		t.Errorf("%d POSTs for a bad duration", n)
	}
	v := r.View()
	if !strings.Contains(v, `write it as Jira does, like "1h 30m"`) || !strings.Contains(v, "1.5 hours") || r.Closed {
		t.Errorf("no error beside the kept draft:\n%s", v)
	}
	r.Keys("tab", "ctrl+u")
	r.TypeText("yesterday")
	r.Keys("tab")
	r.O.(*LogWork).inputs[0].SetValue("2h")
	r.Keys("enter")
	if v := r.View(); !strings.Contains(v, "started: write it as 2006-01-02 15:04") || s.Count("POST", "/worklog") != 0 {
		t.Errorf("a bad start was sent or not explained:\n%s", v)
	}
}

// TestActivityGolden: the dialogs as they open (and the link relations), at 80x24 and 120x40.
func TestActivityGolden(t *testing.T) {
	s := startSite(t, fakejira.FlavorCloud)
	is := s.Issue(t, "JIF-1")
	linked := s.Issue(t, "JIF-38")
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		n := strconv.Itoa(sz[0]) + "x" + strconv.Itoa(sz[1])
		t.Run("watchers/"+n, func(t *testing.T) {
			golden.RequireEqual(t, newRunner(t, NewWatchers(s.C, is), sz[0], sz[1]).View())
		})
		t.Run("links/"+n, func(t *testing.T) {
			golden.RequireEqual(t, newRunner(t, NewLinks(s.C, linked), sz[0], sz[1]).View())
		})
		t.Run("linktypes/"+n, func(t *testing.T) {
			r := newRunner(t, NewLinks(s.C, linked), sz[0], sz[1])
			r.Keys("a")
			golden.RequireEqual(t, r.View())
		})
		t.Run("attachments/"+n, func(t *testing.T) {
			golden.RequireEqual(t, newRunner(t, NewAttachments(s.C, is), sz[0], sz[1]).View())
		})
		t.Run("attachment_delete/"+n, func(t *testing.T) {
			r := newRunner(t, NewAttachments(s.C, is), sz[0], sz[1])
			r.Keys("d")
			golden.RequireEqual(t, r.View())
		})
		t.Run("logwork/"+n, func(t *testing.T) {
			golden.RequireEqual(t, newRunner(t, NewLogWork(s.C, is), sz[0], sz[1]).View())
		})
	}
}
