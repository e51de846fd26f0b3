package help

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

func typed(m Model, s string) Model {
	for _, r := range s {
		m, _ = m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// Help is the registry's: every action of the list and of the views live
// with it, with its keys, its words and its name.
func TestHelpFromRegistry(t *testing.T) {
	c := &common.Common{Styles: common.NewStyles(true)}
	m := New(c)
	m.Show("Issue list — keys", For(nil, "list"))
	m.SetSize(160, 60)
	v := ansi.Strip(m.View(160, 60))
	for _, want := range []string{"Issue list — keys", "ctrl+j", "scroll preview down", "list.preview_down", "copy URL",
		"transition", "triage.transition", "search seen issues", "global.find", "esc closes this help"} {
		if !strings.Contains(v, want) {
			t.Errorf("help lacks %q:\n%s", want, v)
		}
	}
	for _, l := range strings.Split(v, "\n") {
		if ansi.StringWidth(l) > 160 {
			t.Fatalf("line wider than the screen: %q", l)
		}
	}
	if got := len(strings.Split(v, "\n")); got != 60 {
		t.Fatalf("%d lines", got)
	}
}

// Typing filters: every printable key is text (j, k, q, ? and space
// included), matching keys, words or action names; esc clears the filter
// before it closes.
func TestHelpFilters(t *testing.T) {
	c := &common.Common{Styles: common.NewStyles(true)}
	m := New(c)
	m.Show("Issue list — keys", For(nil, "list"))
	m.SetSize(80, 24)
	m = typed(m, "copy")
	if m.Filter() != "copy" {
		t.Fatalf("filter %q", m.Filter())
	}
	v := ansi.Strip(m.View(80, 24))
	for _, want := range []string{"list.copy_key", "list.copy_url"} {
		if !strings.Contains(v, want) {
			t.Errorf("filtered help lacks %q:\n%s", want, v)
		}
	}
	for _, not := range []string{"list.down", "triage.transition", "global.quit"} {
		if strings.Contains(v, not) {
			t.Errorf("filtered help shows %q:\n%s", not, v)
		}
	}
	golden.RequireEqual(t, v)

	m.Show("Issue list — keys", For(nil, "list"))
	m = typed(m, "jkq? ")
	if m.Filter() != "jkq? " {
		t.Fatalf("printable keys are not text in help's filter: %q", m.Filter())
	}
	m = typed(m, "")
	if !strings.Contains(ansi.Strip(m.View(80, 24)), "no key matches") {
		t.Errorf("no 'no key matches' line:\n%s", ansi.Strip(m.View(80, 24)))
	}
	m, closed := m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if closed || m.Filter() != "" {
		t.Fatalf("esc with a filter: closed %v, filter %q", closed, m.Filter())
	}
	if _, closed = m.Update(tea.KeyPressMsg{Code: tea.KeyEscape}); !closed {
		t.Fatal("esc on an empty filter does not close help")
	}
	// A key rebound in the config shows as bound, under its name.
	km := keys.Default()
	if w := km.Rebind([]keys.Rebinding{{Action: "list.copy_key", Keys: []string{"ctrl+y"}, Where: "config.toml:3"}}); len(w) > 0 {
		t.Fatal(w)
	}
	m.Show("Issue list — keys", For(km, "list"))
	m = typed(m, "copy key")
	if v := ansi.Strip(m.View(80, 24)); !strings.Contains(v, "ctrl+y") {
		t.Errorf("rebound key not in help:\n%s", v)
	}
}

// BenchmarkHelpView is one frame of the list's help at 120x40 (every
// section laid out, then the window shown), unfiltered and filtered.
func BenchmarkHelpView(b *testing.B) {
	c := &common.Common{Styles: common.NewStyles(true)}
	for _, f := range []string{"", "copy"} {
		b.Run("filter="+f, func(b *testing.B) {
			m := New(c)
			m.Show("Issue list — keys", For(nil, "list"))
			m.SetSize(120, 40)
			m = typed(m, f)
			for b.Loop() {
				_ = m.View(120, 40)
			}
		})
	}
}
