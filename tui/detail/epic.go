package detail

import (
	"context"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// An epic's page lists its child issues with their status and a progress
// line ("7 of 12 done"), read with jiraclient.EpicChildren (Cloud: parent,
// Data Center: the Epic Link field). The root asks for them when an epic
// is shown (WantsChildren, LoadChildren); each child is a link, so Enter
// opens it as it opens a sub-task.

// Children are an epic's child issues as the page shows them.
type Children struct {
	Key     string // the epic
	Issues  []jiraclient.IssueRef
	Done    int
	Loading bool
	Err     error
}

// ChildrenMsg is LoadChildren's answer.
type ChildrenMsg struct {
	Key    string
	Issues []jiraclient.Issue
	Err    error
}

// Failed lets the root notice an expired login.
func (m ChildrenMsg) Failed() error { return m.Err }

// IsEpic reports whether is is an epic (its type's name: Jira's own
// "Epic" on both flavours; the hierarchy level is not in every answer).
func IsEpic(is *jiraclient.Issue) bool {
	return is != nil && strings.EqualFold(is.Type.Name, "Epic")
}

// LoadChildren reads key's child issues through the store's request
// helper.
func LoadChildren(c *common.Common, key string) tea.Cmd {
	return c.Do("epic", func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return ChildrenMsg{Key: key, Err: store.ErrNoClient}, store.ErrNoClient
		}
		is, err := cl.EpicChildren(ctx, key, nil)
		return ChildrenMsg{Key: key, Issues: is, Err: err}, err
	})
}

// WantsChildren is the epic shown whose children are neither loaded nor
// loading ("" when none).
func (m Model) WantsChildren() string {
	if m.state != stateReady || !IsEpic(m.issue) || m.children != nil && m.children.Key == m.key {
		return ""
	}
	return m.key
}

// SetChildrenLoading marks key's children as asked for.
func (m Model) SetChildrenLoading(key string) Model {
	m.children = &Children{Key: key, Loading: true}
	return m.relayoutIfReady()
}

// onChildren takes LoadChildren's answer for the epic shown.
func (m Model) onChildren(msg ChildrenMsg) Model {
	if msg.Key != m.key {
		return m
	}
	ch := &Children{Key: msg.Key, Err: msg.Err}
	for _, is := range msg.Issues {
		ch.Issues = append(ch.Issues, jiraclient.IssueRef{ID: is.ID, Key: is.Key, Summary: is.Summary, Status: is.Status, Type: is.Type.Name})
	}
	p := jiraclient.Progress(msg.Issues)
	ch.Done = p.Done
	m.children = ch
	return m.relayoutIfReady()
}

func (m Model) relayoutIfReady() Model {
	if m.state == stateReady {
		return m.relayout()
	}
	return m
}

// children draws the epic's child issues, after the sub-tasks.
func (b *builder) children(ch *Children) {
	if ch == nil {
		return
	}
	st := b.st
	switch {
	case ch.Loading:
		b.section("Child issues")
		b.add(st.Muted.Render("loading…"))
	case ch.Err != nil:
		b.section("Child issues")
		b.add(st.Error.Render(cut("could not load them: "+store.Short(ch.Err), b.width)))
	case len(ch.Issues) == 0:
		b.section("Child issues")
		b.add(st.Muted.Render("none yet"))
	default:
		b.section("Child issues · " + strconv.Itoa(ch.Done) + " of " + strconv.Itoa(len(ch.Issues)) + " done")
		kw := keyWidth(ch.Issues)
		for _, r := range ch.Issues {
			b.addTarget("", r, kw)
		}
	}
}
