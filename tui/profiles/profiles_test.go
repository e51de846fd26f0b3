package profiles

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/tui/common"
)

func press(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

func entries() []Entry {
	return []Entry{
		{Env: true, EnvVars: []string{"JIRA_URL", "JIRA_API_TOKEN", "JIRA_EMAIL"}, URL: "https://env.atlassian.net", User: "ci@example.com"},
		{Name: "work", URL: "https://acme.atlassian.net", User: "ada@acme.com"},
		{Name: "on-prem", URL: "https://jira.internal.example/jira", User: "ada"},
		{Name: "evil\x1b]2;owned\x07\u202e", URL: "https://x.example\x1b[31m", User: "\u009b31m"},
	}
}

// TestPickerGolden: one line per profile: the one in use marked, the
// cursor on it at first; the environment says it is the environment;
// a hostile name or URL in the config is drawn clean.
func TestPickerGolden(t *testing.T) {
	c := &common.Common{Width: 100, Height: 20, Styles: common.NewStyles(true)}
	m := New(c, entries(), entries()[1])
	m.SetSize(100, 20)
	if m.Cursor() != 1 {
		t.Fatalf("cursor on %d, want the profile in use", m.Cursor())
	}
	m.Update(press("j"))
	v := m.View()
	for _, bad := range []string{"\x1b]", "\x07", "\u202e", "\u009b"} {
		if strings.Contains(v, bad) {
			t.Fatalf("picker draws %q", bad)
		}
	}
	golden.RequireEqual(t, []byte(ansi.Strip(v)))
}

// TestPickerKeys: enter picks the highlighted entry (after closing the
// picker), esc closes it, the cursor stays within the list.
func TestPickerKeys(t *testing.T) {
	c := &common.Common{Width: 100, Height: 20, Styles: common.NewStyles(true)}
	m := New(c, entries(), entries()[0])
	for range 10 {
		m.Update(press("j"))
	}
	if m.Cursor() != 3 {
		t.Fatalf("cursor %d", m.Cursor())
	}
	m.Update(press("k"))
	_, cmd := m.Update(press("enter"))
	var got []tea.Msg
	collect(cmd, &got)
	if len(got) != 2 {
		t.Fatalf("enter sent %#v", got)
	}
	if _, ok := got[0].(common.CloseOverlayMsg); !ok {
		t.Fatalf("first %T", got[0])
	}
	if p, ok := got[1].(PickedMsg); !ok || p.Entry.ID() != "profile:on-prem" {
		t.Fatalf("picked %#v", got[1])
	}
	_, cmd = m.Update(press("esc"))
	if cmd == nil {
		t.Fatal("esc does not close")
	}
	if _, ok := cmd().(common.CloseOverlayMsg); !ok {
		t.Fatal("esc does not close")
	}
}

// collect runs cmd, unpacking a tea.Sequence.
func collect(cmd tea.Cmd, out *[]tea.Msg) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch m := msg.(type) {
	case tea.BatchMsg:
		for _, c := range m {
			collect(c, out)
		}
		return
	}
	// tea.Sequence's message is an unexported []Cmd.
	if cmds, ok := asCmds(msg); ok {
		for _, c := range cmds {
			collect(c, out)
		}
		return
	}
	*out = append(*out, msg)
}

func TestEntryLabelsAndHost(t *testing.T) {
	for _, tc := range []struct {
		e           Entry
		id, label   string
		sourceWords string
	}{
		{Entry{Env: true}, "env", "environment", "set in the environment (JIRA_URL, JIRA_API_TOKEN)"},
		{Entry{Demo: "cloud"}, "demo:cloud", "demo Cloud", "built in"},
		{Entry{Demo: "datacenter"}, "demo:datacenter", "demo Data Center", "built in"},
		{Entry{Name: "work"}, "profile:work", "work", "keyring"},
	} {
		if tc.e.ID() != tc.id || tc.e.Label() != tc.label || !strings.Contains(tc.e.Source(), tc.sourceWords) {
			t.Errorf("%+v: id %q label %q source %q", tc.e, tc.e.ID(), tc.e.Label(), tc.e.Source())
		}
	}
	if h := Host("https://jira.example.com/jira/"); h != "jira.example.com/jira" {
		t.Errorf("host %q", h)
	}
}
