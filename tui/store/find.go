package store

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// FindLimit is the most issues one Find answers.
const FindLimit = 50

// Find searches every cached issue's key, summary, description and
// comments for text (offline: only the persistent cache is read). The
// answer is a FoundMsg for owner; owner's earlier Find still running is
// cancelled, so results follow the typing.
func (s *Store) Find(owner, text string) tea.Cmd {
	s.Cancel(owner)
	db := s.db
	return s.start(&request{owner: owner, local: true, fn: func(ctx context.Context, _ *jiraclient.Client) (tea.Msg, error) {
		if db == nil {
			return FoundMsg{Owner: owner, Text: text}, nil
		}
		hits, err := db.Search(ctx, text, FindLimit)
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return FoundMsg{Owner: owner, Text: text, Hits: hits, Err: err}, err
	}})
}

// Failed is the search's error.
func (m FoundMsg) Failed() error { return m.Err }

// AutoRefresh ticks every d (off when d <= 0): each tick is a RefreshMsg,
// and the view showing a query reloads it (which asks Jira only for the
// first page; unchanged issues stay fresh and open with no request). The
// tick is not outstanding work: it never ends.
func AutoRefresh(d time.Duration) tea.Cmd {
	if d <= 0 {
		return nil
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return RefreshMsg{} })
}
