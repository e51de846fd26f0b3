package tui

import (
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// leaves flattens a command into the commands tea.Batch and tea.Sequence
// hold, running only those two wrappers (they return at once).
func leaves(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch m := msg.(type) {
	case tea.BatchMsg:
		var out []tea.Cmd
		for _, c := range m {
			out = append(out, leaves(c)...)
		}
		return out
	}
	if cs, ok := sequence(msg); ok {
		var out []tea.Cmd
		for _, c := range cs {
			out = append(out, leaves(c)...)
		}
		return out
	}
	return []tea.Cmd{func() tea.Msg { return msg }}
}

// await runs every leaf of cmd at once and returns the first message for
// which want holds, or nil once every leaf has answered without one.
func await(t *testing.T, cmd tea.Cmd, want func(tea.Msg) bool) tea.Msg {
	t.Helper()
	ls := leaves(cmd)
	ch := make(chan tea.Msg, len(ls))
	for _, c := range ls {
		go func() { ch <- c() }()
	}
	for range ls {
		if msg := <-ch; msg != nil && want(msg) {
			return msg
		}
	}
	return nil
}

func isTick(msg tea.Msg) bool { _, ok := msg.(spinner.TickMsg); return ok }

// TestLoadSchedulesSpinnerTicks: a load shows a task in the status bar, and
// its spinner turns: the first update schedules a tick, and each tick the
// next one, while the load runs.
func TestLoadSchedulesSpinnerTicks(t *testing.T) {
	site := startFake(t, fakejira.FlavorCloud)
	m := New(Options{Client: site.client, JQL: allIssues, Now: site.srv.Now})
	nm, cmd := m.Update(tea.WindowSizeMsg{Width: 80, Height: 12})
	m = nm.(Model)
	if got := m.status.Tasks(); len(got) != 1 || got[0] != "loading issues" {
		t.Fatalf("tasks %q", got)
	}
	tick := await(t, cmd, isTick)
	if tick == nil {
		t.Fatal("the load started a status-bar task but scheduled no spinner tick")
	}
	before := screen(m)
	nm, cmd = m.Update(tick)
	m = nm.(Model)
	if screen(m) == before {
		t.Fatal("a tick did not move the spinner")
	}
	if await(t, cmd, isTick) == nil {
		t.Fatal("a tick while loading scheduled no next tick")
	}
}
