package tui

import (
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// EventSink returns an observer for jiraclient.WithObserver that feeds ch.
// The observer runs on transport goroutines, so it only sends on the
// channel (dropping an event when the UI lags: the next one supersedes it);
// the UI reads the channel in a Cmd and never shares the model.
func EventSink(ch chan<- jiraclient.Event) func(jiraclient.Event) {
	return func(ev jiraclient.Event) {
		select {
		case ch <- ev:
		default:
		}
	}
}

// eventMsg carries one client event; sent by listen.
type eventMsg struct{ ev jiraclient.Event }

// listen waits for the next event; nil when there is no channel, and the
// chain ends when the channel is closed.
func listen(ch <-chan jiraclient.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		return eventMsg{ev}
	}
}

// onEvent shows an event in the status bar.
func (m *Model) onEvent(ev jiraclient.Event) tea.Cmd {
	text, wait := EventText(ev)
	return m.status.SetNetwork(text, wait)
}

// EventText is the status-bar line for a client event and how long it
// stays: "waiting 4 s (Jira rate limit) · retry 2/4". A recovery clears it.
func EventText(ev jiraclient.Event) (string, time.Duration) {
	switch ev.Kind {
	case jiraclient.EventThrottled:
		return "waiting " + seconds(ev.Wait) + " (pacing requests to Jira)", ev.Wait
	case jiraclient.EventRetrying:
		why := ev.Reason
		switch {
		case ev.Status == 429:
			why = "Jira rate limit"
		case ev.Status == 503:
			why = "Jira unavailable"
		case why == "":
			why = "connection dropped"
		}
		s := "waiting " + seconds(ev.Wait) + " (" + why + ")"
		if ev.MaxRetries > 0 {
			s += " · retry " + strconv.Itoa(ev.Attempt) + "/" + strconv.Itoa(ev.MaxRetries)
		}
		return s, ev.Wait
	}
	return "", 0
}

// seconds is a wait in whole seconds, rounded up ("4 s"), or tenths below one.
func seconds(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatFloat(float64(d.Round(100*time.Millisecond))/float64(time.Second), 'f', 1, 64) + " s"
	}
	return strconv.Itoa(int((d+time.Second-1)/time.Second)) + " s"
}
