package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// isQuit reports whether cmd (run, batches opened) asks the program to quit.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if isQuit(c) {
				return true
			}
		}
	}
	return false
}

// TestQuitAsksBeforeLosingDrafts: with the state folder unwritable, a
// draft lives only in memory; q with the editor closed does not quit but
// asks, and enter writes the drafts to the named file (0600) and quits.
// esc stays; ctrl+c at the question quits (the explicit second choice).
func TestQuitAsksBeforeLosingDrafts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	drafts, err := config.LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The folder becomes a file: nothing can be written under it, even by root.
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	site := startFake(t, fakejira.FlavorCloud)
	d := newDriver(t, New(Options{Client: site.client, JQL: toDo, Now: site.srv.Now, Drafts: drafts}))
	d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 100, Height: 30})
	d.run(d.m.Init())
	k := d.m.list.Current().Key
	d.send(press("c"))
	d.send(typed("only in memory")...)
	d.send(press("esc")) // the editor closes; the draft is kept in memory
	if strings.Contains(screen(d.m), "Comment on "+k) {
		t.Fatalf("the editor did not close:\n%s", screen(d.m))
	}

	q := func(msg tea.Msg) tea.Cmd {
		nm, cmd := d.m.Update(msg)
		d.m = nm.(Model)
		return cmd
	}
	if isQuit(q(press("q"))) {
		t.Fatal("q quit with a draft held only in memory")
	}
	if s := screen(d.m); !strings.Contains(s, "Quit?") || !strings.Contains(s, "kept only in memory") {
		t.Fatalf("no question:\n%s", s)
	}
	// esc stays.
	if cmd := q(press("esc")); cmd != nil {
		q(cmd())
	}
	if strings.Contains(screen(d.m), "Quit?") {
		t.Fatal("esc did not close the question")
	}
	if isQuit(q(ctrl('c'))) {
		t.Fatal("ctrl+c quit without asking")
	}
	out := filepath.Join(t.TempDir(), "kept.md")
	q(ctrl('u'))
	for _, m := range typed(out) {
		q(m)
	}
	cmd := q(press("enter"))
	if cmd == nil {
		t.Fatal("enter did nothing")
	}
	if !isQuit(q(cmd())) {
		t.Fatalf("no quit after writing:\n%s", screen(d.m))
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "only in memory") || !strings.Contains(string(b), "comment:"+k) {
		t.Errorf("file:\n%s", b)
	}

	// At the question, ctrl+c quits: losing them is a second, explicit choice.
	d.m.overlay = nil
	q(press("q"))
	if !isQuit(q(ctrl('c'))) {
		t.Fatal("ctrl+c at the question did not quit")
	}
}

// TestQuitGuardRefusesToOverwrite: an existing file is never overwritten;
// the question stays with the reason.
func TestQuitGuardRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	drafts, _ := config.LoadDrafts(dir)
	drafts.Put(config.Draft{Key: "comment:A-1", Text: "x"})
	out := filepath.Join(dir, "exists.md")
	if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := drafts.Export(out); err == nil {
		t.Fatal("an existing file was overwritten")
	}
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Fatalf("file changed: %q", b)
	}
}
