package action

import (
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// MoveTo moves issue through one of ts, the transitions that lead into a
// place the user chose (a board column, tui/board): one that needs nothing
// more is sent at once, optimistic like every write here (the status shows
// at once; Jira's answer confirms it or rolls it back with its reason);
// several open the transition overlay offering only those; one with a
// screen opens the overlay on its form. ts must not be empty.
func MoveTo(c *common.Common, issue jiraclient.Issue, ts []jiraclient.Transition) tea.Cmd {
	if len(ts) == 0 {
		return nil
	}
	if AtOnce(ts) {
		t := ts[0]
		in := jiraclient.TransitionInput{ID: t.ID}
		return transitionWrite(issue.Key, t, in, "").run(c)
	}
	m := NewTransition(c, issue).(*Transition)
	m.ts = ts
	m.pick.setItems(transitionItems(c.Styles, ts))
	m.phase = phasePick
	var cmd tea.Cmd
	if len(ts) == 1 {
		cmd = m.choose(0, true)
	}
	return tea.Batch(common.OpenOverlay(m), cmd)
}

// AtOnce reports whether MoveTo sends ts at once (one transition, with no
// screen and nothing required) rather than opening the overlay.
func AtOnce(ts []jiraclient.Transition) bool {
	return len(ts) == 1 && !ts[0].HasScreen && !needsForm(ts[0])
}
