package action

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// choiceKind is what an assignee choice means.
type choiceKind int

const (
	choiceMe      choiceKind = iota // the signed-in user
	choiceNone                      // unassigned
	choiceDefault                   // the project's default assignee
	choiceUser                      // a user from the search
)

// assignChoice is a picked assignee.
type assignChoice struct {
	kind choiceKind
	user jiraclient.User // choiceUser
}

type (
	// searchTickMsg ends a search debounce; only the latest seq counts.
	searchTickMsg struct {
		owner, seq uint64
	}
	// usersMsg answers an assignable-users search.
	usersMsg struct {
		id    uint64
		query string
		users []jiraclient.User
		err   error
	}
)

// Failed lets the root notice an expired login.
func (m usersMsg) Failed() error { return m.err }

// searchUsers asks Jira who may be assigned key, matching query, through
// the store: the search for text typed over since is cancelled (one
// picker's searches share the owner, under its overlay's, so closing the
// overlay cancels them too), and an expired login is replayed after the
// sign-in.
func searchUsers(c *common.Common, owner string, id uint64, key, query string) tea.Cmd {
	c.Cancel(owner)
	return c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return usersMsg{id: id, query: query, err: errNoClient}, errNoClient
		}
		us, err := cl.AssignableUsers(ctx, key, query)
		return usersMsg{id: id, query: query, users: us, err: err}, err
	})
}

// userPicker chooses an assignee: the fixed choices (me, nobody, the
// project default) head the list while nothing is typed, numbered like
// every entry, or a user found by typing: every printable key is text. The search waits SearchDelay after the last keystroke; an answer
// for a query typed past is dropped.
type userPicker struct {
	c       *common.Common
	key     string // the issue the search is scoped to
	current *jiraclient.User
	list    picker
	owner   uint64
	reqs    string // the owner of its searches in the store
	seq     uint64
	reqID   uint64
	query   string // the query of the shown users
	users   []jiraclient.User
	loading bool
	err     error
}

// newUserPicker is the picker of an overlay whose requests' owner is
// parent (common.Owner).
func newUserPicker(c *common.Common, parent, key string, current *jiraclient.User) userPicker {
	p := userPicker{c: c, key: key, current: current, owner: nextID(), reqs: parent + "/users"}
	p.list = newPicker(c.Styles, "type a name or e-mail to search")
	p.list.numbered = true
	p.rebuild()
	return p
}

// init searches with no query, so the list has people in it at once.
func (p *userPicker) init() tea.Cmd {
	p.reqID = nextID()
	p.loading = true
	return searchUsers(p.c, p.reqs, p.reqID, p.key, "")
}

// keys is the picker's keymap: enter takes the highlighted entry, and
// while nothing is typed a number takes that entry; every other printable
// key is text for the search.
func (p *userPicker) keys(k KeyMap, choose string) KeyMap {
	k.Choose.SetHelp(k.Choose.Help().Key, choose)
	on := []*key.Binding{&k.Choose, &k.Up, &k.Down, &k.Close}
	if p.list.filter() == "" && len(p.list.shown) > 0 {
		on = append(on, &k.Number)
	}
	k.typingIn(p.list.filter())
	return k.only(on...)
}

// nth is the choice numbered n (1-based) while nothing is typed.
func (p *userPicker) nth(n int) (assignChoice, bool) { return p.choiceAt(p.list.nth(n)) }

// rebuild lays out the entries: the fixed choices while nothing is typed,
// then the users of the last answer.
func (p *userPicker) rebuild() {
	var items []item
	if p.list.filter() == "" {
		me := "Assign to me"
		if p.c.Me != nil {
			me += " (" + meName(p.c.Me) + ")"
		}
		items = append(items,
			item{label: me},
			item{label: "Unassigned"},
			item{label: "Project default"},
		)
	}
	for _, u := range p.users {
		detail := u.Email
		if detail == "" {
			detail = u.Name
		}
		if sameUser(p.current, &u) {
			detail = strings.TrimSpace(detail + " (current)")
		}
		items = append(items, item{label: userName(&u), detail: detail, match: u.Name + " " + u.Email})
	}
	p.list.setItems(items)
}

// fixed is how many fixed choices head the list.
func (p *userPicker) fixed() int {
	if p.list.filter() == "" {
		return 3
	}
	return 0
}

// choiceAt is the choice for entry i of the list.
func (p *userPicker) choiceAt(i int) (assignChoice, bool) {
	n := p.fixed()
	switch {
	case i < 0:
		return assignChoice{}, false
	case i < n:
		return assignChoice{kind: choiceKind(i)}, true
	case i-n < len(p.users):
		return assignChoice{kind: choiceUser, user: p.users[i-n]}, true
	}
	return assignChoice{}, false
}

// selected is the highlighted choice.
func (p *userPicker) selected() (assignChoice, bool) { return p.choiceAt(p.list.selected()) }

// update takes typed text, the debounce and the search answers.
func (p *userPicker) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case searchTickMsg:
		if msg.owner != p.owner || msg.seq != p.seq {
			return nil
		}
		p.reqID = nextID()
		p.loading = true
		return searchUsers(p.c, p.reqs, p.reqID, p.key, strings.TrimSpace(p.list.filter()))
	case usersMsg:
		if msg.id != p.reqID {
			return nil // a query typed past
		}
		p.loading = false
		p.err = msg.err
		if msg.err == nil {
			p.users, p.query = msg.users, msg.query
			p.rebuild()
			return nil
		}
		if d := rateWait(msg.err); d > 0 {
			// Cloud rate-limits user search per site: ask again when
			// Jira says, unless the user types on meanwhile.
			owner, seq := p.owner, p.seq
			return tea.Tick(d, func(time.Time) tea.Msg { return searchTickMsg{owner: owner, seq: seq} })
		}
		return nil
	}
	before := p.list.filter()
	cmd := p.list.update(msg)
	if p.list.filter() == before {
		return cmd
	}
	p.rebuild()
	p.seq++
	owner, seq := p.owner, p.seq
	return tea.Batch(cmd, tea.Tick(SearchDelay, func(time.Time) tea.Msg { return searchTickMsg{owner: owner, seq: seq} }))
}

// retry searches again after a failure (or a new login).
func (p *userPicker) retry() tea.Cmd {
	p.reqID = nextID()
	p.loading = true
	p.err = nil
	return searchUsers(p.c, p.reqs, p.reqID, p.key, strings.TrimSpace(p.list.filter()))
}

// view draws the search line, the entries and the search's state.
func (p *userPicker) view(st common.Styles, width, rows int) string {
	out := p.list.view(st, width, rows)
	switch {
	case p.err != nil:
		what, hint := failure(p.err)
		out += "\n" + errorBlock(st, "search failed: "+what, hint, width)
	case p.loading:
		out += "\n" + st.Muted.Render("  searching…")
	case p.list.filter() != "" && len(p.users) == 0 && p.query == strings.TrimSpace(p.list.filter()):
		out += "\n" + st.Muted.Render("  nobody by that name may be assigned this issue")
	}
	return out
}

// assignWrite is one issue's change of assignee. me is the signed-in user
// (nil when unknown: then the write asks Jira who that is first).
func assignWrite(key string, ch assignChoice, me *jiraclient.User) write {
	w := write{key: key, token: newToken("assign", key)}
	switch ch.kind {
	case choiceMe:
		shown := jiraclient.User{DisplayName: "me"}
		if me != nil {
			shown = *me
		}
		w.patch = func(is jiraclient.Issue) jiraclient.Issue { u := shown; is.Assignee = &u; return is }
		w.do = func(ctx context.Context, cl *jiraclient.Client) error {
			u := me
			if u == nil {
				var err error
				if u, err = cl.Myself(ctx); err != nil {
					return err
				}
			}
			return cl.Assign(ctx, key, u)
		}
		if me != nil {
			w.done = func(is jiraclient.Issue) bool { return sameUser(is.Assignee, me) }
		}
		w.note = key + " assigned to you"
	case choiceNone:
		w.patch = func(is jiraclient.Issue) jiraclient.Issue { is.Assignee = nil; return is }
		w.do = func(ctx context.Context, cl *jiraclient.Client) error { return cl.Assign(ctx, key, nil) }
		w.done = func(is jiraclient.Issue) bool { return is.Assignee == nil }
		w.note = key + " unassigned"
	case choiceDefault:
		// Who the default is, only Jira knows: the row says so until the
		// confirmed issue names them.
		w.patch = func(is jiraclient.Issue) jiraclient.Issue {
			is.Assignee = &jiraclient.User{DisplayName: "(project default)"}
			return is
		}
		w.do = func(ctx context.Context, cl *jiraclient.Client) error { return cl.AssignDefault(ctx, key) }
		w.note = key + " assigned to the project default"
	default:
		u := ch.user
		w.patch = func(is jiraclient.Issue) jiraclient.Issue { v := u; is.Assignee = &v; return is }
		w.do = func(ctx context.Context, cl *jiraclient.Client) error { return cl.Assign(ctx, key, &u) }
		w.done = func(is jiraclient.Issue) bool { return sameUser(is.Assignee, &u) }
		w.note = key + " assigned to " + userName(&u)
	}
	return w
}

// AssignToMe is the one-key "assign to me" (i in the list and the
// detail): the row changes at once and Jira's answer confirms or undoes
// it, with no overlay.
func AssignToMe(c *common.Common, issue jiraclient.Issue) tea.Cmd {
	if c.Me != nil && sameUser(issue.Assignee, c.Me) {
		return common.Notice(common.NoticeInfo, issue.Key+" is already assigned to you")
	}
	return assignWrite(issue.Key, assignChoice{kind: choiceMe}, c.Me).run(c)
}
