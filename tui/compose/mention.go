package compose

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/markup"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// Mention completion: typing @ and a letter in a Markdown text opens a list
// of the users who may be assigned the issue (Jira's closest notion of
// "people who can see it"), looked up after a pause in typing; choosing one
// replaces @query with @Display Name. The text area shows mentions that
// way, never as markup: the box remembers whom each @Name means, turns the
// Markdown form (markup.Mention, [@Name](mention:id)) into @Name when a
// text comes in (a description, a draft) and back when it goes out (send,
// draft), and the client sends a real mention (an ADF mention node on
// Cloud, [~username] on Data Center). The list opens under the line being
// typed, at the @.

const maxMentions = 6

type (
	// mentionTickMsg ends the typing pause for query generation seq.
	mentionTickMsg struct {
		id  uint64
		seq int
	}
	// mentionUsersMsg answers the lookup for query generation seq.
	mentionUsersMsg struct {
		id    uint64
		seq   int
		users []jiraclient.User
		err   error
	}
)

// mentionBox is the completion state of one textarea.
type mentionBox struct {
	owner     uint64
	active    bool
	query     string
	dismissed string // esc closed the list for this query
	seq       int
	loading   bool
	users     []jiraclient.User
	cur       int
	err       error
	delay     time.Duration
	// known maps the display names shown as @Name to the user ids they
	// mention.
	known map[string]string
}

func newMentionBox(owner uint64) mentionBox {
	return mentionBox{owner: owner, delay: debounceDelay, known: map[string]string{}}
}

// display turns the mentions in Markdown into @Name for the text area,
// remembering whom each means.
func (b *mentionBox) display(md string) string {
	return markup.ReplaceMentions(md, func(name, id string) string {
		if name == "" || strings.ContainsAny(name, "\n") {
			return markup.Mention(name, id) // nothing sensible to show instead
		}
		b.known[name] = id
		return "@" + name
	})
}

// markdown turns each @Name the box knows back into a mention, longest
// name first so "@Ada Lovelace" wins over "@Ada".
func (b *mentionBox) markdown(text string) string {
	if len(b.known) == 0 || !strings.Contains(text, "@") {
		return text
	}
	names := make([]string, 0, len(b.known))
	for n := range b.known {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
	var out strings.Builder
	for i := 0; i < len(text); {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			out.WriteString(text[i:])
			break
		}
		at += i
		out.WriteString(text[i:at])
		i = at + 1
		// A mention starts a word: not an e-mail address, not the
		// brackets of a mention already written as markup.
		prev, _ := utf8.DecodeLastRuneInString(text[:at])
		if at > 0 && !unicode.IsSpace(prev) && !strings.ContainsRune("({\"'", prev) {
			out.WriteByte('@')
			continue
		}
		name := ""
		for _, n := range names {
			if !strings.HasPrefix(text[at+1:], n) {
				continue
			}
			if next, _ := utf8.DecodeRuneInString(text[at+1+len(n):]); next != utf8.RuneError && isMentionRune(next) {
				continue // "@Adam" is not "@Ada"
			}
			name = n
			break
		}
		if name == "" {
			out.WriteByte('@')
			continue
		}
		out.WriteString(markup.Mention(name, b.known[name]))
		i = at + 1 + len(name)
	}
	return out.String()
}

// open reports whether the list is showing and has the arrow keys.
func (b *mentionBox) open() bool { return b.active && b.dismissed != b.query }

func (b *mentionBox) close() {
	b.active, b.query, b.users, b.loading, b.err, b.cur = false, "", nil, false, nil, 0
}

// mentionQuery finds "@word" ending at the cursor: @ at the start of a
// line or after a space or bracket (not inside an e-mail address), then a
// letter, then letters, digits, '.', '_' or '-'.
func mentionQuery(ta *textarea.Model) (string, bool) {
	lines := strings.Split(ta.Value(), "\n")
	row := ta.Line()
	if row < 0 || row >= len(lines) {
		return "", false
	}
	line := []rune(lines[row])
	col := min(max(ta.Column(), 0), len(line))
	i := col
	for i > 0 && isMentionRune(line[i-1]) {
		i--
	}
	if i == 0 || line[i-1] != '@' || i == col || !unicode.IsLetter(line[i]) {
		return "", false
	}
	if at := i - 1; at > 0 {
		p := line[at-1]
		if !unicode.IsSpace(p) && !strings.ContainsRune("([{\"'", p) {
			return "", false
		}
	}
	return string(line[i:col]), true
}

func isMentionRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-'
}

// sync follows the text after a change: opens, updates or closes the list,
// and schedules a lookup after the typing pause.
func (b *mentionBox) sync(ta *textarea.Model) tea.Cmd {
	q, ok := mentionQuery(ta)
	if !ok {
		b.close()
		b.dismissed = ""
		return nil
	}
	if b.active && q == b.query {
		return nil
	}
	b.active, b.query, b.loading, b.err = true, q, true, nil
	b.seq++
	id, seq := b.owner, b.seq
	return tea.Tick(b.delay, func(time.Time) tea.Msg { return mentionTickMsg{id: id, seq: seq} })
}

// update handles the box's own messages; ok says msg was one.
func (b *mentionBox) update(msg tea.Msg, c *common.Common, issueKey string) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case mentionTickMsg:
		if msg.id != b.owner {
			return nil, false
		}
		if msg.seq != b.seq || !b.active {
			return nil, true
		}
		q, id, seq := b.query, b.owner, b.seq
		// Through the store: an expired login is seen whatever this
		// message reports, and the lookup for text typed over is
		// cancelled.
		owner := "mention:" + strconv.FormatUint(id, 10)
		c.Cancel(owner)
		return c.Do(owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
			if cl == nil {
				return mentionUsersMsg{id: id, seq: seq, err: errNoClient}, errNoClient
			}
			us, err := cl.AssignableUsers(ctx, issueKey, q)
			return mentionUsersMsg{id: id, seq: seq, users: us, err: err}, err
		}), true
	case mentionUsersMsg:
		if msg.id != b.owner {
			return nil, false
		}
		if msg.seq != b.seq || !b.active {
			return nil, true // a lookup for text typed over since
		}
		b.loading, b.err, b.cur = false, msg.err, 0
		b.users = msg.users
		if len(b.users) > maxMentions {
			b.users = b.users[:maxMentions]
		}
		return nil, true
	}
	return nil, false
}

// key handles a key while the list is open; ok says it was used.
func (b *mentionBox) key(msg tea.KeyPressMsg, k KeyMap, ta *textarea.Model) (ok bool) {
	switch {
	case key.Matches(msg, k.Back):
		b.dismissed = b.query
		return true
	case len(b.users) == 0:
		return false
	case key.Matches(msg, k.Up):
		b.cur = (b.cur + len(b.users) - 1) % len(b.users)
		return true
	case key.Matches(msg, k.Down):
		b.cur = (b.cur + 1) % len(b.users)
		return true
	case key.Matches(msg, k.Choose):
		b.insert(ta, b.users[b.cur])
		return true
	}
	return false
}

// insert replaces @query before the cursor with @Display Name; the box
// remembers whom it means.
func (b *mentionBox) insert(ta *textarea.Model, u jiraclient.User) {
	for range len([]rune(b.query)) + 1 {
		*ta, _ = ta.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	name := strings.Join(strings.Fields(u.DisplayName), " ")
	if name == "" {
		name = u.ID()
	}
	b.known[name] = u.ID()
	ta.InsertString("@" + name + " ")
	b.close()
}

// overlay draws the text area with the list over its lines, just under
// the line being typed and from the @, so it opens where the eyes are;
// when there is no room below, it goes above that line.
func (b *mentionBox) overlay(s common.Styles, ta textarea.Model, width int) string {
	view := ta.View()
	mv := b.view(s, width)
	if mv == "" {
		return view
	}
	lines := strings.Split(view, "\n")
	list := strings.Split(mv, "\n")
	if len(list) > len(lines)-1 {
		list = list[:max(len(lines)-1, 0)]
	}
	probe := ta
	probe.SetVirtualCursor(false)
	y, x := 0, 0
	if c := probe.Cursor(); c != nil {
		y, x = c.Y, c.X-len([]rune(b.query))-1
	}
	listW := 0
	for _, l := range list {
		listW = max(listW, lipgloss.Width(l))
	}
	x = max(0, min(x, width-listW))
	at := y + 1
	if at+len(list) > len(lines) {
		at = max(0, y-len(list))
	}
	for i, l := range list {
		if at+i >= len(lines) || at+i == y {
			continue
		}
		under := lines[at+i]
		left := ansi.Truncate(under, x, "")
		if w := lipgloss.Width(left); w < x {
			left += strings.Repeat(" ", x-w)
		}
		l += strings.Repeat(" ", listW-lipgloss.Width(l))
		right := ansi.TruncateLeft(under, x+listW, "")
		lines[at+i] = left + l + right
	}
	return strings.Join(lines, "\n")
}

// view draws the list (or its state) under the text.
func (b *mentionBox) view(s common.Styles, width int) string {
	if !b.open() {
		return ""
	}
	var lines []string
	head := "@" + b.query
	switch {
	case b.err != nil:
		what, _ := failure(b.err)
		lines = append(lines, s.Error.Render(truncate("cannot look up "+head+": "+what, width)))
	case b.loading && len(b.users) == 0:
		lines = append(lines, s.Muted.Render("looking up "+head+"…"))
	case len(b.users) == 0:
		lines = append(lines, s.Muted.Render("nobody matches "+head))
	}
	for i, u := range b.users {
		row := u.DisplayName
		if u.Email != "" {
			row += "  " + u.Email
		}
		row = truncate(row, width-2)
		if i == b.cur {
			lines = append(lines, s.Selected.Render("› "+row))
		} else {
			lines = append(lines, "  "+s.Text.Render(row))
		}
	}
	return strings.Join(lines, "\n")
}
