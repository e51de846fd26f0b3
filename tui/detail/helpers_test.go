package detail

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// TestMain pins the local zone: absolute times are shown in it, and golden
// files must not depend on the machine running them.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

var fixedNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func testCommon() *common.Common {
	return &common.Common{Styles: common.NewStyles(true), Now: func() time.Time { return fixedNow }}
}

// richDescription covers what the converters emit: headings, emphasis,
// lists, code, a table, a quote (panels arrive as quotes), links and
// mentions. The first paragraph and the panel are KP-19's real text.
const richDescription = `**Lorem Ipsum** es simplemente el texto de relleno de las imprentas y archivos de texto. Lorem Ipsum ha sido el texto de relleno estándar de las industrias desde el año 1500.

> sadsadsad

## Steps to reproduce

1. Log in as [@Carlos Treminio](mention:5b86be50b8e3cb5895860d6d)
2. Open the board and drag a card
   - to *Done*
   - back to ` + "`Backlog`" + `

Error seen:

` + "```go" + `
func main() {
	panic("board out of sync")
}
` + "```" + `

| Browser | Works |
|---------|-------|
| Firefox | yes   |
| Safari  | no    |

See [the runbook](https://example.com/runbook) and ask [@Ada Lovelace](mention:557058:abc).
`

func richIssue() *jiraclient.Issue {
	created := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	return &jiraclient.Issue{
		ID:          "10032",
		Key:         "KP-19",
		Summary:     "Board cards jump back to Backlog after a drag on Safari",
		Project:     "KP",
		Type:        jiraclient.IssueType{ID: "10001", Name: "Story"},
		Status:      jiraclient.Status{ID: "3", Name: "In Progress", Category: jiraclient.CategoryInProgress},
		Priority:    &jiraclient.Priority{ID: "3", Name: "Medium"},
		Assignee:    &jiraclient.User{AccountID: "557058:abc", DisplayName: "Ada Lovelace"},
		Reporter:    &jiraclient.User{AccountID: "5b86be50b8e3cb5895860d6d", DisplayName: "Carlos Treminio"},
		Created:     created,
		Updated:     fixedNow.Add(-3 * time.Hour),
		Labels:      []string{"board", "safari", "regression"},
		Components:  []string{"Web UI"},
		FixVersions: []string{"2.4.0"},
		Parent:      &jiraclient.IssueRef{Key: "KP-1", Summary: "Board overhaul", Status: jiraclient.Status{Name: "In Progress", Category: jiraclient.CategoryInProgress}, Type: "Epic"},
		Sprint:      "KP Sprint 12",
		Description: richDescription,
		Subtasks: []jiraclient.IssueRef{
			{Key: "KP-20", Summary: "Reproduce on Safari 17", Status: jiraclient.Status{Name: "Done", Category: jiraclient.CategoryDone}},
			{Key: "KP-21", Summary: "Fix the drop target calculation", Status: jiraclient.Status{Name: "To Do", Category: jiraclient.CategoryToDo}},
		},
		Links: []jiraclient.IssueLink{
			{Relation: "blocks", Issue: jiraclient.IssueRef{Key: "KP-30", Summary: "Release 2.4.0", Status: jiraclient.Status{Name: "To Do", Category: jiraclient.CategoryToDo}}},
			{Relation: "is blocked by", Issue: jiraclient.IssueRef{Key: "WEB-7", Summary: "Upgrade the drag-and-drop library", Status: jiraclient.Status{Name: "In Review", Category: jiraclient.CategoryInProgress}}},
			{Relation: "blocks", Issue: jiraclient.IssueRef{Key: "KP-31", Summary: "Safari support statement", Status: jiraclient.Status{Name: "Done", Category: jiraclient.CategoryDone}}},
		},
		Attachments: []jiraclient.Attachment{
			{ID: "1", Filename: "safari-console.png", Size: 183_204, MimeType: "image/png", Author: "Carlos Treminio", Created: created.Add(time.Hour)},
			{ID: "2", Filename: "har-export.har", Size: 2_621_440, MimeType: "application/json", Author: "Ada Lovelace", Created: created.Add(2 * time.Hour)},
		},
		// Out of order on purpose: the view shows the newest last.
		Comments: []jiraclient.Comment{
			{ID: "2", Author: jiraclient.User{DisplayName: "Ada Lovelace"}, Body: "Confirmed on Safari 17.1. Fix in [KP-21](https://example.atlassian.net/browse/KP-21).", Created: fixedNow.Add(-26 * time.Hour), Updated: fixedNow.Add(-25 * time.Hour)},
			{ID: "1", Author: jiraclient.User{DisplayName: "Carlos Treminio"}, Body: "asdsadsad — can [@Ada Lovelace](mention:557058:abc) take a look?", Created: fixedNow.Add(-50 * time.Hour), Updated: fixedNow.Add(-50 * time.Hour)},
		},
		CommentTotal: 2,
	}
}

// longIssue has n comments, each a few paragraphs.
func longIssue(n int) *jiraclient.Issue {
	is := richIssue()
	is.Key = "KP-99"
	is.Comments = nil
	for i := range n {
		is.Comments = append(is.Comments, jiraclient.Comment{
			ID:      fmt.Sprint(i),
			Author:  jiraclient.User{DisplayName: fmt.Sprintf("Engineer %d", i%7)},
			Body:    fmt.Sprintf("Comment %d: tried again with **build %d** and it still fails.\n\n- step one\n- step two\n\n`curl -s https://example.com/api/%d`", i, 1000+i, i),
			Created: fixedNow.Add(-time.Duration(n-i) * time.Hour),
		})
	}
	is.CommentTotal = n
	return is
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "ctrl+d":
		return tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "G":
		return tea.KeyPressMsg{Code: 'g', ShiftedCode: 'G', Text: "G", Mod: tea.ModShift}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("press: unknown key " + s)
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

// send runs msg through Update and, when a command comes back, runs it
// and returns its message (every command of this view is immediate).
func send(t *testing.T, m Model, msg tea.Msg) (Model, tea.Msg) {
	t.Helper()
	m, cmd := m.Update(msg)
	if cmd == nil {
		return m, nil
	}
	return m, cmd()
}

func plain(s string) string { return ansi.Strip(s) }

// checkFrame asserts the view is exactly w x h cells or less per line.
func checkFrame(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i, got, w, plain(l))
		}
	}
}

func ready(t *testing.T, is *jiraclient.Issue, w, h int) Model {
	t.Helper()
	return New(testCommon()).SetSize(w, h).SetIssue(is)
}

func lineWidth(s string) int { return ansi.StringWidth(s) }
