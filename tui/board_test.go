package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/board"
)

// boardMem is an in-memory board.Memory.
type boardMem struct {
	id             int
	name, estimate string
}

func (b *boardMem) LastBoard() (int, string, string, int) { return b.id, b.name, b.estimate, 0 }
func (b *boardMem) SetLastBoard(id int, name, est string, _ int) {
	b.id, b.name, b.estimate = id, name, est
}

// TestBoardWiring: b opens the board picker (the remembered board first),
// typing filters it, enter shows the board; enter on a card opens the
// detail and esc comes back to the board; t opens the transition overlay
// on the highlighted card, # the labels; esc on the board goes back to the
// list.
func TestBoardWiring(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 1, Demo: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(stop)
			var kanban, scrum fakejira.BoardInfo
			for _, b := range srv.Boards() {
				switch {
				case b.Type == "kanban" && kanban.ID == 0:
					kanban = b
				case b.Type == "scrum" && scrum.ID == 0:
					scrum = b
				}
			}
			mem := &boardMem{id: kanban.ID, name: kanban.Name}
			d := newDriver(t, New(Options{Client: newFakeClient(t, flavor, url, fakejira.Token), Boards: mem, Now: srv.Now}))
			d.m = upd(t, d.m, tea.WindowSizeMsg{Width: 120, Height: 40})
			d.run(d.m.Init())

			d.send(press("b"))
			p, ok := d.m.overlay.(*board.Picker)
			if !ok {
				t.Fatalf("b opened %T", d.m.overlay)
			}
			v := ansi.Strip(p.View())
			if i, j := strings.Index(v, kanban.Name), strings.Index(v, scrum.Name); i < 0 || j < 0 || i > j {
				t.Fatalf("the last board is not first:\n%s", v)
			}
			for _, r := range scrum.Name {
				d.send(press(string(r)))
			}
			if v := ansi.Strip(d.m.overlay.View()); strings.Contains(v, kanban.Name) {
				t.Fatalf("filter kept the kanban board:\n%s", v)
			}
			d.send(press("enter"))
			if d.m.state != stateBoard || d.m.board.Board().ID != scrum.ID {
				t.Fatalf("state %v, board %+v", d.m.state, d.m.board.Board())
			}
			if mem.id != scrum.ID {
				t.Errorf("the board opened was not remembered: %+v", mem)
			}
			cur, ok := d.m.board.Current()
			if !ok {
				t.Fatalf("no card highlighted:\n%s", ansi.Strip(d.m.View().Content))
			}
			if s := ansi.Strip(d.m.View().Content); !strings.Contains(s, cur.Key) || !strings.Contains(s, "In Review") {
				t.Fatalf("board screen:\n%s", s)
			}

			d.send(press("enter"))
			if d.m.state != stateDetail || d.m.detail.Key() != cur.Key {
				t.Fatalf("enter: state %v, detail %q", d.m.state, d.m.detail.Key())
			}
			// n steps to the next card of the column.
			d.send(press("esc"))
			next := ""
			d.send(press("j"))
			if c, ok := d.m.board.Current(); ok {
				next = c.Key
			}
			d.send(press("k"))
			d.send(press("enter"))
			d.send(press("n"))
			if next == "" || d.m.detail.Key() != next {
				t.Fatalf("n from %s opened %q, want %q", cur.Key, d.m.detail.Key(), next)
			}
			d.send(press("esc"))
			if d.m.state != stateBoard {
				t.Fatalf("back from the detail went to %v", d.m.state)
			}
			if c, _ := d.m.board.Current(); c.Key != next {
				t.Fatalf("the board's cursor is on %s, not %s", c.Key, next)
			}
			d.send(press("k"))

			d.send(press("t"))
			if d.m.overlay == nil || !strings.Contains(ansi.Strip(d.m.overlay.View()), cur.Key) {
				t.Fatalf("t on the board: %T", d.m.overlay)
			}
			d.send(press("esc"))
			d.send(press("#"))
			if d.m.overlay == nil || !strings.Contains(strings.ToLower(ansi.Strip(d.m.overlay.View())), "label") {
				t.Fatalf("# on the board: %T", d.m.overlay)
			}
			d.send(press("esc"))
			d.send(press("ctrl+e"))
			if _, ok := d.m.overlay.(*board.EpicPicker); !ok {
				t.Fatalf("P on the board opened %T", d.m.overlay)
			}
			d.send(press("esc"))
			d.send(press("l"))
			if d.m.overlay != nil {
				t.Fatalf("l on the board opened %T (it moves to the next column)", d.m.overlay)
			}
			// L moves the card (To Do, the first column) through the root:
			// the provisional move and the transition's write both settle.
			d.send(press("h"), press("g"))
			cur, _ = d.m.board.Current()
			d.send(press("L"))
			if snap, _ := srv.Issue(cur.Key); snap.Status != "In Progress" {
				t.Fatalf("fakejira has %s in %q", cur.Key, snap.Status)
			}
			if e, _ := d.m.c.Issues.Issue(cur.Key); e.Writing || e.Issue.Status.Name != "In Progress" {
				t.Fatalf("store: writing %v, status %q", e.Writing, e.Issue.Status.Name)
			}
			d.send(press("esc"))
			if d.m.state != stateList {
				t.Fatalf("esc on the board went to %v", d.m.state)
			}
		})
	}
}
