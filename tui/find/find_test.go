package find

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/list"
	"github.com/jiffy-tui/jiffy/tui/store"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// fixture is a store over a cache holding three issues, one of them with
// a hostile summary.
func fixture(t *testing.T) *common.Common {
	t.Helper()
	db := cache.Open(context.Background(), cache.Options{Dir: t.TempDir(), Profile: "t"})
	t.Cleanup(func() { _ = db.Close() })
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	err := db.PutIssues(context.Background(), cache.Detail, at,
		jiraclient.Issue{Key: "OPS-1", Summary: "Deploy pipeline times out", Description: "the runner hangs", Updated: at},
		jiraclient.Issue{Key: "OPS-2", Summary: "Login session expires", Description: "deploy again after login", Updated: at.Add(time.Hour)},
		jiraclient.Issue{Key: "OPS-3", Summary: "Unrelated", Description: "nothing to see", Updated: at},
		jiraclient.Issue{Key: "OPS-4", Summary: "Hostile \x1b]2;owned\x07title \u202eevil\u009b31m", Description: "escape", Updated: at},
	)
	if err != nil {
		t.Fatal(err)
	}
	return &common.Common{Width: 80, Height: 24, Styles: common.NewStyles(true), Issues: store.New(store.Options{Cache: db})}
}

// typeAndSettle types text, running each keystroke's search through the
// store as the root would.
func typeAndSettle(t *testing.T, m *Model, text string) {
	t.Helper()
	for _, r := range text {
		_, cmd := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		for _, msg := range run(m.c.Issues, cmd) {
			m.Update(msg)
		}
	}
}

// run runs cmd (and its batches) and hands the store's answers back
// routed, skipping the cursor blink.
func run(s *store.Store, cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(100 * time.Millisecond):
		return nil // the cursor's blink timer
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(s, c)...)
		}
		return out
	}
	if out, next, ok := s.Update(msg); ok {
		return append(out, run(s, next)...)
	}
	return []tea.Msg{msg}
}

func TestFindAsYouType(t *testing.T) {
	c := fixture(t)
	m := New(c)
	m.SetSize(80, 24)
	typeAndSettle(t, m, "deploy")
	if c.Issues.Pending() != 0 {
		t.Fatalf("%d outstanding", c.Issues.Pending())
	}
	got := ""
	for _, h := range m.Hits() {
		got += h.Key + " "
	}
	if got != "OPS-1 OPS-2 " {
		t.Fatalf("hits %q", got)
	}
	golden.RequireEqual(t, ansi.Strip(m.View()))

	// Text from the cache is drawn clean.
	h := New(c)
	h.SetSize(80, 24)
	typeAndSettle(t, h, "hostile")
	if len(h.Hits()) != 1 {
		t.Fatalf("hostile: %d hits", len(h.Hits()))
	}
	raw := h.View()
	if strings.Contains(raw, "\x1b]") || strings.ContainsAny(raw, "\x07\u202e\u009b") || !strings.Contains(ansi.Strip(raw), "OPS-4 Hostile") {
		t.Fatalf("unsafe text drawn: %q", raw)
	}

	// down, enter: the overlay closes and the issue opens.
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("enter did nothing")
	}
	v := reflect.ValueOf(cmd())
	cmds, ok := v.Convert(reflect.TypeOf([]tea.Cmd(nil))).Interface().([]tea.Cmd)
	if !ok || v.Kind() != reflect.Slice {
		t.Fatalf("enter sent %T, want a sequence", v.Interface())
	}
	var opened string
	closed := false
	for _, c := range cmds {
		switch o := c().(type) {
		case list.OpenMsg:
			opened = o.Key
		case common.CloseOverlayMsg:
			closed = true
		}
	}
	if !closed {
		t.Fatal("the overlay stays open")
	}
	if opened != "OPS-2" {
		t.Fatalf("opened %q", opened)
	}
}
