package board

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/internal/overlaytest"
	"github.com/jiffy-tui/jiffy/tui/store"
)

func TestMain(m *testing.M) { overlaytest.Main(m) }

// rig drives a board as the root does, synchronously: every command runs
// in the test, its message goes through the store first, writes' patches
// and outcomes through the store's write record, and what the root would
// show (notices, overlays) is kept.
type rig struct {
	t       testing.TB
	site    *overlaytest.Site
	m       Model
	notices []string
	overlay common.Overlay
	opened  []string
}

// mem is an in-memory Memory.
type mem struct {
	id             int
	name, estimate string
	sprint         int
	sets           int
}

func (m *mem) LastBoard() (int, string, string, int) { return m.id, m.name, m.estimate, m.sprint }
func (m *mem) SetLastBoard(id int, name, est string, sprint int) {
	m.id, m.name, m.estimate, m.sprint = id, name, est, sprint
	m.sets++
}

func newRig(t *testing.T, flavor string, w, h int) *rig {
	t.Helper()
	s := overlaytest.StartSite(t, flavor)
	s.C.Issues = store.New(store.Options{Client: s.C.Client, Now: s.C.Now, GetIssue: common.GetIssue})
	me := s.Srv.Me()
	s.C.Me = &jiraclient.User{AccountID: me.AccountID, Name: me.Name, Key: me.Key, DisplayName: me.DisplayName}
	s.C.Width, s.C.Height = w, h
	m := New(s.C, &mem{})
	m.SetSize(w, h)
	return &rig{t: t, site: s, m: m}
}

// boardOf is the demo's board of type typ.
func (r *rig) boardOf(typ string) jiraclient.Board {
	for _, b := range r.site.Srv.Boards() {
		if b.Type == typ {
			return jiraclient.Board{ID: b.ID, Name: b.Name, Type: b.Type, ProjectKey: b.Project}
		}
	}
	r.t.Fatalf("no %s board in the demo", typ)
	return jiraclient.Board{}
}

func (r *rig) open(typ string) {
	r.t.Helper()
	b := r.boardOf(typ)
	r.do(r.m.Open(b))
	if r.m.err != nil {
		r.t.Fatalf("open %s: %v", typ, r.m.err)
	}
}

var timerNames = map[string]bool{
	funcName(tea.Tick(time.Hour, func(time.Time) tea.Msg { return nil })): true,
}

func funcName(c tea.Cmd) string { return runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name() }

// timer reports whether c waits on a clock (blink, spinner, tick): such
// commands are not run.
func timer(c tea.Cmd) bool {
	n := funcName(c)
	return timerNames[n] || strings.Contains(n, "Blink") || strings.Contains(n, "spinner")
}

var cmdsType = reflect.TypeOf([]tea.Cmd(nil))

// exec runs cmd and every command it batches or sequences, in order.
func exec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil || timer(cmd) {
		return nil
	}
	msg := cmd()
	if msg == nil {
		return nil
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, exec(c)...)
		}
		return out
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdsType) {
		var out []tea.Msg
		for _, c := range v.Convert(cmdsType).Interface().([]tea.Cmd) {
			out = append(out, exec(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func (r *rig) do(cmd tea.Cmd) {
	for _, msg := range exec(cmd) {
		r.feed(msg)
	}
}

func (r *rig) feedAll(msgs []tea.Msg) {
	for _, m := range msgs {
		r.feed(m)
	}
}

func (r *rig) feed(msg tea.Msg) {
	st := r.m.c.Issues
	if out, cmd, ok := st.Update(msg); ok {
		r.feedAll(out)
		r.do(cmd)
		return
	}
	switch msg := msg.(type) {
	case common.IssuePatchMsg:
		r.feedAll(st.Patch(msg.Token, msg.Key, msg.Apply))
	case common.IssueConfirmedMsg:
		out, cmd := st.Confirm(msg.Token, msg.Key, msg.Issue)
		r.feedAll(out)
		r.do(cmd)
		r.toOverlay(msg)
	case common.IssueRollbackMsg:
		r.feedAll(st.Rollback(msg.Token, msg.Key, msg.Err))
		r.notices = append(r.notices, msg.Key+": "+store.Short(msg.Err))
		r.toOverlay(msg)
	case common.NoticeMsg:
		r.notices = append(r.notices, msg.Text)
	case common.OpenOverlayMsg:
		r.overlay = msg.Overlay
		r.overlay.SetSize(r.m.w, r.m.h)
	case common.CloseOverlayMsg:
		r.overlay = nil
	case OpenMsg:
		r.opened = append(r.opened, msg.Key)
	case ChosenMsg: // the root opens the board chosen
		r.do(r.m.Open(msg.Board))
	default:
		var cmd tea.Cmd
		r.m, cmd = r.m.Update(msg)
		r.do(cmd)
		r.toOverlay(msg)
	}
}

func (r *rig) toOverlay(msg tea.Msg) {
	if r.overlay != nil {
		var cmd tea.Cmd
		r.overlay, cmd = r.overlay.Update(msg)
		r.do(cmd)
	}
}

// key presses s on the overlay when one is open, else on the board.
func (r *rig) key(keys ...string) {
	r.t.Helper()
	for _, s := range keys {
		k := press(s)
		if r.overlay != nil {
			var cmd tea.Cmd
			r.overlay, cmd = r.overlay.Update(k)
			r.do(cmd)
			continue
		}
		var cmd tea.Cmd
		r.m, cmd = r.m.Update(k)
		r.do(cmd)
	}
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// typeText types s into whatever has the focus.
func (r *rig) typeText(s string) {
	for _, c := range s {
		r.key(string(c))
	}
}

// column is the keys in column name, in order.
func (r *rig) column(name string) []string {
	for i, c := range r.m.grid.cols {
		if c.name == name {
			return r.m.grid.flat[i]
		}
	}
	r.t.Fatalf("no column %q", name)
	return nil
}

// goTo highlights key.
func (r *rig) goTo(key string) {
	r.t.Helper()
	for ci, keys := range r.m.grid.flat {
		for ri, k := range keys {
			if k == key {
				r.m.col = ci
				r.m.setRow(ri)
				return
			}
		}
	}
	r.t.Fatalf("%s is on no column", key)
}

func plain(s string) string { return ansi.Strip(s) }

func flavors() []string { return []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} }

func contains(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}
