package fakejira

import (
	"fmt"
	"strings"
)

// Issues leaving the user's sight while a client reads a result: deleted,
// or hidden by a security level the user is not in. Jira answers both the
// same way to that user (a search leaves them out, GET answers 404 "Issue
// does not exist or you do not have permission to see it.", bulkfetch
// leaves them out of both issues and issueErrors, links to them are not
// shown), so the fake makes both the same removal. A test uses them to
// change a result between the pages of a load.

// DeleteIssue deletes the issue with key (or id) as Jira's DELETE
// /issue/{key}?deleteSubtasks=true does: its sub-tasks go with it, and the
// links to it go from the issues at their other end.
func (s *Server) DeleteIssue(key string) error {
	return s.remove(key, "delete")
}

// HideIssue puts the issue with key (or id) out of the signed-in user's
// sight, as an issue security level they are not in does: its sub-tasks,
// which inherit the level, go too. To the user it is as if deleted (see
// above); the fake has no way back.
func (s *Server) HideIssue(key string) error {
	return s.remove(key, "hide")
}

func (s *Server) remove(key, what string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(key)
	if !ok {
		return fmt.Errorf("fakejira: %s: no issue %q", what, key)
	}
	gone := map[*issue]bool{i: true}
	for _, c := range s.issues {
		if c.Parent == i && c.Type.Subtask {
			gone[c] = true
		}
	}
	kept := s.issues[:0]
	for _, c := range s.issues {
		if gone[c] {
			delete(s.byKey, strings.ToUpper(c.Key))
			continue
		}
		kept = append(kept, c)
		if gone[c.Parent] {
			c.Parent = nil // a story of a deleted epic keeps no parent
		}
		var links []*issueLink
		for _, l := range c.Links {
			if !gone[l.Other] {
				links = append(links, l)
			}
		}
		c.Links = links
	}
	clear(s.issues[len(kept):])
	s.issues = kept
	return nil
}

// ExpireTokenAfter lets the current token answer n more authenticated
// requests, then expires it (ExpireToken): the request after those n is
// refused as an expired API token or revoked PAT is, with the flavour's
// real 401. It stands for a token whose lifetime ends in the middle of a
// run of requests, at a point a test can count on.
func (s *Server) ExpireTokenAfter(n int) {
	s.mu.Lock()
	s.expireIn = n
	s.mu.Unlock()
}
