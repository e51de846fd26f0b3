package store

import (
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// Patch shows a write at once, before Jira confirms it: apply is laid over
// key's issue until Confirm or Rollback with the same token. An issue the
// store does not hold is left alone (it is fetched as Jira has it).
func (s *Store) Patch(token, key string, apply func(jiraclient.Issue) jiraclient.Issue) []tea.Msg {
	e, ok := s.issues[key]
	if !ok || apply == nil {
		return nil
	}
	s.writes[token] = key
	e.patches = append(e.patches, patch{token: token, apply: apply})
	return []tea.Msg{IssueMsg{Key: key}}
}

// Confirm settles a write Jira accepted. is, when not nil, is the issue as
// Jira now has it (read back) and becomes the base; without it the full
// issue is no longer trusted and the next open fetches it.
func (s *Store) Confirm(token, key string, is *jiraclient.Issue) ([]tea.Msg, tea.Cmd) {
	delete(s.writes, token)
	e, ok := s.issues[key]
	var cmd tea.Cmd
	switch {
	case is != nil:
		cmd = s.put(*is, cache.Detail, s.now())
		e = s.issues[key]
	case ok:
		// Jira took it but it could not be read back: keep showing the
		// change (as the base) and fetch it on the next open.
		for _, p := range e.patches {
			if p.token == token {
				e.base = s.row(p.apply(e.base.Issue()))
			}
		}
		e.cached = true
	}
	if e != nil {
		e.drop(token)
	}
	return []tea.Msg{IssueMsg{Key: key}, WriteSettledMsg{Token: token, Key: key}}, cmd
}

// Rollback settles a write Jira refused: its patch alone is taken off.
func (s *Store) Rollback(token, key string, err error) []tea.Msg {
	delete(s.writes, token)
	if e, ok := s.issues[key]; ok {
		e.drop(token)
	}
	return []tea.Msg{IssueMsg{Key: key}, WriteSettledMsg{Token: token, Key: key, Err: err}}
}

// Writing is how many writes are not settled.
func (s *Store) Writing() int { return len(s.writes) }

func (e *entry) drop(token string) {
	kept := e.patches[:0]
	for _, p := range e.patches {
		if p.token != token {
			kept = append(kept, p)
		}
	}
	e.patches = kept
}
