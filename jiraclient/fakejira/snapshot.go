package fakejira

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// IssueSnapshot is an issue's state for test assertions.
type IssueSnapshot struct {
	Key         string
	Summary     string
	Type        string
	Status      string
	Resolution  string // "" when unresolved
	Assignee    string // accountId on Cloud, username on Data Center; "" when unassigned
	Reporter    string // same form as Assignee
	Labels      []string
	Priority    string
	Parent      string // parent or epic key
	Comments    int
	Description string // as the flavour serves it: ADF JSON on Cloud, wiki markup on Data Center
	// DescriptionText is the description as plain text, for flavour-neutral checks.
	DescriptionText string
	// CommentBodies are the comments as the flavour serves them (ADF JSON or wiki).
	CommentBodies []string
	// Links are the keys of the linked issues, in the issue's order.
	Links   []string
	Updated time.Time
}

// Issue returns a snapshot of the issue with key (case-insensitive) or id.
func (s *Server) Issue(key string) (IssueSnapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(key)
	if !ok {
		return IssueSnapshot{}, false
	}
	userID := func(u *user) string {
		switch {
		case u == nil:
			return ""
		case s.cloud:
			return u.AccountID
		}
		return u.Name
	}
	body := func(n *node) string {
		if s.cloud {
			return adfJSON(n, s.userResolver())
		}
		return toWiki(n)
	}
	snap := IssueSnapshot{
		Key: i.Key, Summary: i.Summary, Type: i.Type.Name, Status: i.Status.Name,
		Assignee: userID(i.Assignee), Reporter: userID(i.Reporter),
		Labels: append([]string{}, i.Labels...), Comments: len(i.Comments),
		Description: body(i.Description), DescriptionText: plainText(i.Description), Updated: i.Updated,
	}
	sort.Strings(snap.Labels)
	if i.Resolution != nil {
		snap.Resolution = i.Resolution.Name
	}
	if i.Priority != nil {
		snap.Priority = i.Priority.Name
	}
	if i.Parent != nil {
		snap.Parent = i.Parent.Key
	}
	for _, c := range i.Comments {
		snap.CommentBodies = append(snap.CommentBodies, body(c.Body))
	}
	for _, l := range i.Links {
		snap.Links = append(snap.Links, l.Other.Key)
	}
	return snap, true
}

// Keys lists every issue key in creation order.
func (s *Server) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.issues))
	for _, i := range s.issues {
		out = append(out, i.Key)
	}
	return out
}

// NewIssue describes an issue a test adds. Users are named by username
// (see Users; "ada" is Me) whatever the flavour; bodies are wiki markup,
// which the server stores in its neutral form and serves per flavour.
type NewIssue struct {
	Project     string // project key; default the first project
	Type        string // Bug, Story, Task, Epic, Sub-task; default Task
	Summary     string // required
	Description string // wiki markup
	Status      string // To Do (default), In Progress, In Review, Done
	Resolution  string // for Done; default "Done"
	Priority    string // Highest..Lowest; default Medium
	Assignee    string // username; "" unassigned
	Reporter    string // username; default ada
	Labels      []string
	Parent      string   // parent key (sub-task parent or epic)
	Comments    []string // wiki markup, authored by ada
	Created     time.Time
	Updated     time.Time
}

// AddIssue creates an issue directly in the store and returns its key.
func (s *Server) AddIssue(n NewIssue) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.TrimSpace(n.Summary) == "" {
		return "", fmt.Errorf("fakejira: AddIssue needs a summary")
	}
	p := s.projects[0]
	if n.Project != "" {
		if p = s.projectByKeyOrID(n.Project); p == nil {
			return "", fmt.Errorf("fakejira: no project %q", n.Project)
		}
	}
	i := &issue{Project: p, Summary: n.Summary, Labels: append([]string(nil), n.Labels...)}
	typ := n.Type
	if typ == "" {
		typ = "Task"
	}
	for _, t := range s.types {
		if strings.EqualFold(t.Name, typ) {
			i.Type = t
		}
	}
	if i.Type == nil {
		return "", fmt.Errorf("fakejira: no issue type %q", n.Type)
	}
	st := n.Status
	if st == "" {
		st = "To Do"
	}
	for _, x := range s.statuses {
		if strings.EqualFold(x.Name, st) {
			i.Status = x
		}
	}
	if i.Status == nil {
		return "", fmt.Errorf("fakejira: no status %q", n.Status)
	}
	pr := n.Priority
	if pr == "" {
		pr = "Medium"
	}
	for _, x := range s.priorities {
		if strings.EqualFold(x.Name, pr) {
			i.Priority = x
		}
	}
	if i.Priority == nil {
		return "", fmt.Errorf("fakejira: no priority %q", n.Priority)
	}
	byName := func(name string) (*user, error) {
		for _, u := range s.users {
			if u.Name == name {
				return u, nil
			}
		}
		return nil, fmt.Errorf("fakejira: no user %q", name)
	}
	if i.Type.Subtask && n.Parent == "" {
		return "", fmt.Errorf("fakejira: a Sub-task needs a Parent")
	}
	var err error
	if n.Assignee != "" {
		if i.Assignee, err = byName(n.Assignee); err != nil {
			return "", err
		}
	}
	rep := n.Reporter
	if rep == "" {
		rep = Username
	}
	if i.Reporter, err = byName(rep); err != nil {
		return "", err
	}
	i.Creator = i.Reporter
	if n.Parent != "" {
		par, ok := s.lookup(n.Parent)
		if !ok {
			return "", fmt.Errorf("fakejira: no parent issue %q", n.Parent)
		}
		i.Parent, i.Project = par, par.Project
	}
	now := s.clockLocked().Truncate(time.Millisecond)
	i.Created, i.Updated = n.Created, n.Updated
	if i.Created.IsZero() {
		i.Created = now
	}
	if i.Updated.IsZero() {
		i.Updated = i.Created
	}
	i.StatusSince = i.Updated
	if i.Status.Cat == catDone {
		res := n.Resolution
		if res == "" {
			res = "Done"
		}
		for _, x := range s.resols {
			if strings.EqualFold(x.Name, res) {
				i.Resolution = x
			}
		}
		if i.Resolution == nil {
			return "", fmt.Errorf("fakejira: no resolution %q", n.Resolution)
		}
		i.ResolvedAt = i.Updated
	}
	if n.Description != "" {
		i.Description = fromWiki(n.Description)
	}
	for _, c := range n.Comments {
		s.nextCmt++
		i.Comments = append(i.Comments, &comment{ID: s.nextCmt, Author: s.me, Body: fromWiki(c), Created: i.Updated, Updated: i.Updated})
	}
	s.insert(i)
	return i.Key, nil
}
