package jql

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/common"
)

type hist []string

func (h hist) Entries() []string { return h }
func (h hist) Add(string)        {}
func (h hist) Save() error       { return nil }

func key(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

func TestHistoryAndDraft(t *testing.T) {
	c := &common.Common{Styles: common.NewStyles(true)}
	m := New(c, "draft", hist{"old 2", "old 1"}) // newest first
	m.SetSize(80, 2)
	m, _ = m.Update(key(tea.KeyUp))
	if m.Value() != "old 2" {
		t.Fatalf("up: %q", m.Value())
	}
	m, _ = m.Update(key(tea.KeyUp))
	m, _ = m.Update(key(tea.KeyUp)) // stays on the oldest
	if m.Value() != "old 1" {
		t.Fatalf("up up: %q", m.Value())
	}
	m, _ = m.Update(key(tea.KeyDown))
	m, _ = m.Update(key(tea.KeyDown))
	if m.Value() != "draft" {
		t.Fatalf("back to draft: %q", m.Value())
	}
}

func TestSubmitAndError(t *testing.T) {
	c := &common.Common{Styles: common.NewStyles(true)}
	m := New(c, "  ", nil)
	m.SetSize(60, 2)
	m, cmd := m.Update(key(tea.KeyEnter))
	if cmd != nil || m.Err() == "" {
		t.Fatal("empty query submitted")
	}
	m = New(c, "project = X", nil)
	m.SetSize(60, 2)
	m, cmd = m.Update(key(tea.KeyEnter))
	if s, ok := cmd().(SubmitMsg); !ok || s.JQL != "project = X" || !m.Running() {
		t.Fatalf("submit: %#v", s)
	}
	m.SetError("Field 'projct' does not exist.\nCheck the name.")
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "Field 'projct' does not exist. Check the name.") || !strings.Contains(v, "project = X") || m.Running() {
		t.Fatal(v)
	}
	if _, ok := func() tea.Msg { _, c := m.Update(key(tea.KeyEscape)); return c() }().(CancelMsg); !ok {
		t.Fatal("esc did not cancel")
	}
}

// TestLongQueryRefused: a 0.9 MB paste is refused with a note (the query
// stays as it was), and a query over the limit (from history, say) is not
// submitted.
func TestLongQueryRefused(t *testing.T) {
	c := &common.Common{Styles: common.NewStyles(true)}
	m := New(c, "project = X", nil)
	m.SetSize(80, 2)
	m, _ = m.Update(tea.PasteMsg{Content: strings.Repeat("a", 900_000)})
	if m.Value() != "project = X" || !strings.Contains(m.Err(), "not pasted") {
		t.Fatalf("paste: %d characters kept, err %q", len(m.Value()), m.Err())
	}
	m = New(c, "", hist{strings.Repeat("b", 20_000)})
	m.SetSize(80, 2)
	m, _ = m.Update(key(tea.KeyUp))
	m, cmd := m.Update(key(tea.KeyEnter))
	if cmd != nil || !strings.Contains(m.Err(), "shorten it") {
		t.Fatalf("a %d-character query was submitted (err %q)", len(m.Value()), m.Err())
	}
}
