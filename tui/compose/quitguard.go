package compose

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// DraftExporter is a DraftStore that can list its drafts and write them to
// a file of the user's choosing (config.Drafts and config.SiteDrafts are).
type DraftExporter interface {
	List() []config.Draft
	Export(path string) error
}

// QuitGuard asks before a quit would lose drafts that exist only in
// memory (drafts.json could not be written): enter writes them to the
// file named in its input (mode 0600, never over an existing file) and
// quits; esc stays. The root quits without asking again while it is open
// (ctrl+c), so losing the drafts is always a second, explicit choice.
type QuitGuard struct {
	c       *common.Common
	store   DraftExporter
	n       int
	saveErr error
	path    textinput.Model
	err     error // the last export's failure
	writing bool
	b       box
	keys    guardKeys
}

type guardKeys struct{ Write, Stay, Quit key.Binding }

func (k guardKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Write, k.Stay, k.Quit} }
func (k guardKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// draftsExportedMsg answers the export.
type draftsExportedMsg struct{ err error }

// NewQuitGuard is the question to ask before quitting, or nil when no
// draft would be lost: the store is nil (drafts live with their editor),
// cannot list, holds nothing, or saves fine. It saves the store to find
// out, so call it only on a quit.
func NewQuitGuard(c *common.Common, store DraftStore) common.Overlay {
	ex, ok := store.(DraftExporter)
	if !ok || store == nil {
		return nil
	}
	n := 0
	for _, dr := range ex.List() {
		if !isEmptyDraft(dr) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	err := store.Save()
	if err == nil {
		return nil
	}
	g := &QuitGuard{c: c, store: ex, n: n, saveErr: err, keys: guardKeys{
		Write: c.Keys.Binding("quitguard.write"),
		Stay:  c.Keys.Binding("quitguard.stay"),
		Quit:  c.Keys.Binding("quitguard.quit"),
	}}
	g.path = newInput(c, "a file for the drafts")
	g.path.SetValue(defaultExportPath(time.Now()))
	g.path.CursorEnd()
	g.path.Focus()
	g.SetSize(c.Width, c.Height)
	return g
}

// defaultExportPath is a new file in the home folder (else the temporary
// one), named by the time so it never meets an old one.
func defaultExportPath(now time.Time) string {
	dir, err := os.UserHomeDir()
	if err != nil || dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "jiffy-drafts-"+now.Format("20060102-150405")+".md")
}

// SetSize sets the screen area the dialog is drawn in.
func (g *QuitGuard) SetSize(w, h int) {
	g.b = dialogBox(g.c.Styles, w, h)
	g.path.SetWidth(max(g.b.w-2, 10))
}

// KeyView is the keymap registry view help lists (tui/keys).
func (g *QuitGuard) KeyView() string { return "quitguard" }

// KeyMap is the guard's keys.
func (g *QuitGuard) KeyMap() help.KeyMap { return g.keys }

// Update writes, stays, or edits the path.
func (g *QuitGuard) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case draftsExportedMsg:
		g.writing = false
		if msg.err != nil {
			g.err = msg.err
			return g, nil
		}
		return g, tea.Quit
	case tea.KeyPressMsg:
		if g.writing {
			return g, nil
		}
		switch {
		case key.Matches(msg, g.keys.Write):
			p := expandHome(strings.TrimSpace(g.path.Value()))
			if p == "" {
				return g, nil
			}
			g.writing, g.err = true, nil
			store := g.store
			return g, func() tea.Msg { return draftsExportedMsg{err: store.Export(p)} }
		case key.Matches(msg, g.keys.Stay):
			return g, common.CloseOverlay
		}
	}
	var cmd tea.Cmd
	g.path, cmd = g.path.Update(msg)
	return g, cmd
}

// expandHome reads a leading ~/ as the home folder.
func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, p[2:])
		}
	}
	return p
}

// View draws the question.
func (g *QuitGuard) View() string {
	s := g.c.Styles
	what := strconv.Itoa(g.n) + " unsent drafts are"
	if g.n == 1 {
		what = "1 unsent draft is"
	}
	body := s.Title.Render("Quit?") + "\n\n" +
		wrap(s.Warning, what+" kept only in memory: the drafts file could not be written ("+g.saveErr.Error()+"). Quitting now loses them.", g.b.w) + "\n\n" +
		wrap(s.Text, "Write them to this file (created with mode 0600; an existing file is left alone):", g.b.w) + "\n" +
		g.path.View()
	var foot []string
	if g.err != nil {
		foot = append(foot, errorBlock(s, "could not write the file: "+g.err.Error(), "choose another path, or esc to stay", g.b.w))
	}
	if g.writing {
		foot = append(foot, s.Muted.Render("Writing…"))
	} else {
		foot = append(foot, helpLine(s, g.keys, g.b.w))
	}
	return frame(s, g.b, body, strings.Join(foot, "\n"))
}
