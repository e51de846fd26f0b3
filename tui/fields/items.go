package fields

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// item is one entry of a choice editor: an allowed value, a user, a group
// or a sprint. id is unique within the field ("" is the entry that
// clears a single-value field).
type item struct {
	id, label string
	av        jiraclient.AllowedValue
	user      *jiraclient.User
	group     *jiraclient.Ref
	sprint    *jiraclient.SprintRef
}

func userID(u jiraclient.User) string {
	if u.AccountID != "" {
		return "u:" + u.AccountID
	}
	return "u:" + u.Name
}

func userItem(u jiraclient.User) item {
	l := firstOf(u.DisplayName, u.Name, u.AccountID)
	if u.Email != "" {
		l += " <" + u.Email + ">"
	} else if u.Name != "" && u.Name != u.DisplayName {
		l += " (" + u.Name + ")"
	}
	return item{id: userID(u), label: l, user: &u}
}

func groupItem(r jiraclient.Ref) item {
	return item{id: "g:" + strings.ToLower(firstOf(r.Name, r.ID)), label: firstOf(r.Name, r.ID), group: &r}
}

func sprintItem(s jiraclient.SprintRef) item {
	l := s.Name
	if s.State != "" {
		l += "  (" + s.State + ")"
	}
	return item{id: "s:" + strconv.Itoa(s.ID), label: l, sprint: &s}
}

func avItem(a jiraclient.AllowedValue) item { return item{id: a.ID, label: label(a), av: a} }

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// currentItems are the items a field's value is made of: what a choice
// editor starts with chosen.
func currentItems(v jiraclient.FieldValue) []item {
	var out []item
	for _, o := range v.Options {
		out = append(out, item{id: o.ID, label: o.Value, av: jiraclient.AllowedValue{ID: o.ID, Value: o.Value}})
	}
	switch v.Kind {
	case jiraclient.FieldUser, jiraclient.FieldUsers:
		for _, u := range v.Users {
			out = append(out, userItem(u))
		}
	case jiraclient.FieldGroup, jiraclient.FieldGroups:
		for _, r := range v.Refs {
			out = append(out, groupItem(r))
		}
	case jiraclient.FieldSprint:
		for _, s := range v.Sprints {
			if s.State != jiraclient.SprintClosed {
				out = append(out, sprintItem(s))
			}
		}
	default:
		for _, r := range v.Refs {
			out = append(out, item{id: r.ID, label: firstOf(r.Name, r.ID), av: jiraclient.AllowedValue{ID: r.ID, Name: r.Name}})
		}
	}
	return out
}

// valueOf is the field value the chosen items make.
func valueOf(kind jiraclient.FieldKind, its []item) jiraclient.FieldValue {
	v := jiraclient.FieldValue{Kind: kind}
	for _, it := range its {
		switch {
		case it.user != nil:
			v.Users = append(v.Users, *it.user)
		case it.group != nil:
			v.Refs = append(v.Refs, *it.group)
		case it.sprint != nil:
			v.Sprints = append(v.Sprints, *it.sprint)
		case kind == jiraclient.FieldOption || kind == jiraclient.FieldOptions || kind == jiraclient.FieldCascade:
			v.Options = append(v.Options, it.av.Option())
		default:
			v.Refs = append(v.Refs, it.av.Ref())
		}
	}
	return v
}

// same says whether v is what the issue has (then nothing is sent).
func same(v, cur jiraclient.FieldValue) bool {
	if v.Kind == jiraclient.FieldTimeTracking {
		c := cur.Tracking
		if c == nil {
			return false
		}
		t := v.Tracking
		return (t.Original == "" || sameDuration(t.Original, c.Original, c.OriginalSeconds)) &&
			(t.Remaining == "" || sameDuration(t.Remaining, c.Remaining, c.RemainingSeconds))
	}
	return v.Format() == cur.Format() && v.Empty() == cur.Empty()
}

func sameDuration(typed, has string, hasSecs int64) bool {
	a, _ := jiraclient.ParseDuration(typed)
	b, ok := jiraclient.ParseDuration(has)
	if !ok {
		b = hasSecs
	}
	return a == b
}

// sameAfter says whether Jira's value after a write whose answer was lost
// shows the write arrived.
func sameAfter(sent, got jiraclient.FieldValue) bool {
	if sent.Kind == jiraclient.FieldTimeTracking {
		return same(sent, got)
	}
	if sent.Kind == jiraclient.FieldSprint && len(sent.Sprints) > 0 {
		for _, s := range got.Sprints {
			if s.ID == sent.Sprints[0].ID {
				return true
			}
		}
		return false
	}
	return sent.Format() == got.Format()
}

// values are the entries the list shows now: the allowed values (or the
// chosen parent's children; disabled ones are not offered), the people or
// groups found for what is typed, the sprints; filtered by what is typed
// where the list is local. A single-value field that has a value and is
// not required ends with the entry that clears it.
func (e *Editor) values() []item {
	q := strings.ToLower(strings.TrimSpace(e.filter.Value()))
	var all []item
	local := true
	switch editorOf(e.field) {
	case edUsers, edGroups:
		local = false
		if q == "" && editorOf(e.field) == edUsers {
			all = e.chosenItems()
		} else if e.query == e.filter.Value() {
			all = e.found
		}
	case edSprint:
		all = e.found
	default:
		src := e.field.AllowedValues
		if e.step == stepChild && e.parent != nil {
			src = e.field.Children[e.parent.ID]
		}
		for _, a := range src {
			if !a.Disabled {
				all = append(all, avItem(a))
			}
		}
	}
	var out []item
	for _, it := range all {
		if !local || q == "" || strings.Contains(strings.ToLower(it.label), q) {
			out = append(out, it)
		}
	}
	if !multi(e.field.Kind()) && e.step == stepChoose && q == "" && !e.field.Required && !e.was.Empty() {
		out = append(out, item{label: "none (clears the field)"})
	}
	return out
}

// chosenItems are the chosen items, by label.
func (e *Editor) chosenItems() []item {
	var out []item
	for id, on := range e.chosen {
		if on {
			out = append(out, e.kept[id])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].label < out[j].label })
	return out
}

// typedQuery starts the debounce of a people or group search after a
// keystroke; the search goes when typing pauses.
func (e *Editor) typedQuery() tea.Cmd {
	switch editorOf(e.field) {
	case edUsers, edGroups:
	default:
		return nil
	}
	e.searchSeq++
	e.searching = strings.TrimSpace(e.filter.Value()) != "" || editorOf(e.field) == edGroups
	seq, id := e.searchSeq, e.id
	return tea.Tick(SearchDelay, func(time.Time) tea.Msg { return searchTickMsg{editor: id, seq: seq} })
}

// search asks Jira for the people or groups matching what is typed, through
// the store; a search typed over is cancelled.
func (e *Editor) search() tea.Cmd {
	e.searchSeq++
	seq, query, kind, id := e.searchSeq, e.filter.Value(), editorOf(e.field), e.id
	if kind == edUsers && strings.TrimSpace(query) == "" {
		e.searching, e.found, e.query = false, nil, query
		return nil
	}
	e.searching = true
	owner := e.owner()
	e.c.Cancel(owner)
	return e.c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			err := errors.New("not signed in: sign in first")
			return foundMsg{editor: id, seq: seq, query: query, err: err}, err
		}
		var its []item
		if kind == edUsers {
			us, err := cl.SearchUsers(ctx, query)
			if err != nil {
				return foundMsg{editor: id, seq: seq, query: query, err: err}, err
			}
			for _, u := range us {
				its = append(its, userItem(u))
			}
		} else {
			gs, err := cl.FindGroups(ctx, query)
			if err != nil {
				return foundMsg{editor: id, seq: seq, query: query, err: err}, err
			}
			for _, g := range gs {
				its = append(its, groupItem(jiraclient.Ref{ID: g.ID, Name: g.Name}))
			}
		}
		return foundMsg{editor: id, seq: seq, query: query, items: its}, nil
	})
}

// loadSprints lists the active and future sprints of the scrum boards of
// the issue's project (Jira's edit metadata lists none for the field).
func (e *Editor) loadSprints() tea.Cmd {
	e.searchSeq++
	seq, project, id := e.searchSeq, e.scope.Project, e.id
	return e.c.Do(e.owner(), func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			err := errors.New("not signed in: sign in first")
			return foundMsg{editor: id, seq: seq, err: err}, err
		}
		page, err := cl.Boards(ctx, jiraclient.BoardQuery{Type: jiraclient.BoardScrum, Project: project}, 0)
		if err != nil {
			return foundMsg{editor: id, seq: seq, err: err}, err
		}
		seen := map[int]bool{}
		var its []item
		for i, b := range page.Boards {
			if i == 5 {
				break // a project rarely has more; each costs a request
			}
			sps, err := cl.AllBoardSprints(ctx, b.ID, jiraclient.SprintActive, jiraclient.SprintFuture)
			if err != nil {
				return foundMsg{editor: id, seq: seq, err: err}, err
			}
			for _, s := range sps {
				if !seen[s.ID] {
					seen[s.ID] = true
					its = append(its, sprintItem(jiraclient.SprintRef{ID: s.ID, Name: s.Name, State: s.State}))
				}
			}
		}
		if len(its) == 0 {
			err := errors.New("no active or future sprint on the boards of " + project)
			return foundMsg{editor: id, seq: seq, err: err}, nil
		}
		return foundMsg{editor: id, seq: seq, items: its}, nil
	})
}

// owner names an editor's searches in the store: one at a time.
func (e *Editor) owner() string { return "fields:search:" + strconv.FormatUint(e.id, 10) }

// projectOf is the issue's project key.
func projectOf(is jiraclient.Issue) string {
	if is.Project != "" {
		return is.Project
	}
	if i := strings.LastIndexByte(is.Key, '-'); i > 0 {
		return is.Key[:i]
	}
	return ""
}

// foundMsg answers a people, group or sprint search of an editor.
type foundMsg struct {
	editor uint64
	seq    int
	query  string
	items  []item
	err    error
}

// searchTickMsg ends a search debounce; only the latest seq counts.
type searchTickMsg struct {
	editor uint64
	seq    int
}
