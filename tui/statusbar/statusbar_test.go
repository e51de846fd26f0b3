package statusbar

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

func newBar(w int) Model {
	c := &common.Common{Width: w, Styles: common.NewStyles(true), Site: "https://acme.atlassian.net/", Me: &jiraclient.User{DisplayName: "Ada"}}
	return New(c)
}

func TestTasksShowAndClear(t *testing.T) {
	m := newBar(80)
	if cmd := m.StartTask("search", "loading issues"); cmd == nil {
		t.Fatal("first task must start the spinner")
	}
	if cmd := m.StartTask("count", "counting"); cmd != nil {
		t.Fatal("second task must not start a second tick chain")
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "counting (+1)") || !strings.Contains(v, "acme.atlassian.net") || !strings.Contains(v, "Ada") {
		t.Fatalf("view: %q", v)
	}
	m.EndTask("count")
	m.EndTask("search")
	if m.Busy() || strings.Contains(ansi.Strip(m.View()), "loading") {
		t.Fatal("tasks not cleared")
	}
	// An idle bar lets the tick chain die, and the next task restarts it.
	m, cmd := m.Update(spinner.TickMsg{ID: m.spin.ID()})
	if cmd != nil {
		t.Fatal("idle spinner kept ticking")
	}
	if m.StartTask("x", "again") == nil {
		t.Fatal("spinner not restarted")
	}
}

func TestNoticeClearsOnTimerOnlyIfCurrent(t *testing.T) {
	m := newBar(80)
	m.SetNotice(Error, "first")
	m.SetNotice(Error, "second")
	m, _ = m.Update(clearNoticeMsg{seq: 1})
	if _, n := m.Notice(); n != "second" {
		t.Fatalf("stale timer cleared the newer notice: %q", n)
	}
	m, _ = m.Update(clearNoticeMsg{seq: 2})
	if _, n := m.Notice(); n != "" {
		t.Fatalf("notice not cleared: %q", n)
	}
	m.SetNotice(Info, "copied")
	m.ClearNotice()
	if _, n := m.Notice(); n != "" {
		t.Fatal("ClearNotice did nothing")
	}
}

func TestNetworkLine(t *testing.T) {
	m := newBar(100)
	if m.SetNetwork("waiting 4 s (Jira rate limit) · retry 2/4", 4*time.Second) == nil {
		t.Fatal("no clear timer")
	}
	if !strings.Contains(ansi.Strip(m.View()), "waiting 4 s (Jira rate limit) · retry 2/4") {
		t.Fatal(ansi.Strip(m.View()))
	}
	m, _ = m.Update(clearNetworkMsg{seq: m.networkSeq})
	if m.Network() != "" {
		t.Fatal("network line not cleared")
	}
}

func TestNarrowKeepsMessage(t *testing.T) {
	m := newBar(20)
	m.SetNotice(Error, "Jira said no to this query")
	v := ansi.Strip(m.View())
	if ansi.StringWidth(v) > 20 || !strings.HasPrefix(v, "Jira said") {
		t.Fatalf("%q", v)
	}
}

// TestSiteAlwaysNamed: a long message cuts the help key and the user
// first; the site, and the profile when set, stay (which Jira a key acts
// on is never a guess), unless the bar is too narrow for the message.
func TestSiteAlwaysNamed(t *testing.T) {
	m := newBar(100)
	m.c.Profile = "work"
	m.SetNotice(Error, strings.Repeat("Jira said no to this query ", 4))
	v := ansi.Strip(m.View())
	if ansi.StringWidth(v) != 100 || !strings.HasSuffix(v, "work · acme.atlassian.net") || !strings.HasPrefix(v, "Jira said no") || !strings.Contains(v, "…") {
		t.Fatalf("%q", v)
	}
	m.ClearNotice()
	if v := ansi.Strip(m.View()); !strings.HasSuffix(v, "work · acme.atlassian.net · Ada · ? help") {
		t.Fatalf("%q", v)
	}
}

// TestNamesFromJiraDrawnClean: the user's name comes from Jira; the
// profile's from the config file: no escape reaches the terminal.
func TestNamesFromJiraDrawnClean(t *testing.T) {
	m := newBar(120)
	m.c.Me = &jiraclient.User{DisplayName: "Ada\x1b]2;owned\x07\u202e\u009b31m"}
	m.c.Profile = "w\x1b[31mork"
	v := m.View()
	for _, bad := range []string{"\x1b]", "\x07", "\u202e", "\u009b", "\x1b[31m"} {
		if strings.Contains(v, bad) {
			t.Fatalf("status bar draws %q: %q", bad, v)
		}
	}
}
