// Package overlaytest drives an overlay in tests as the root does: against
// fakejira, running every command and feeding its messages back, keeping
// what the root would act on. The activity and field-editor tests share it.
package overlaytest

import (
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// Main runs a package's tests with local time in UTC, so dates in goldens
// do not depend on the machine; call it from TestMain.
func Main(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

// FixedNow is the tests' clock.
var FixedNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// Site is a fakejira server and the Common its overlays run with.
type Site struct {
	Srv *fakejira.Server
	C   *common.Common
}

// StartSite serves the demo (its first issues carry watchers, worklogs
// and estimates) in flavor.
func StartSite(t *testing.T, flavor string) *Site {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 1, Now: FixedNow, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	cred := jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
	if flavor == fakejira.FlavorDataCenter {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}
	}
	cl, err := jiraclient.New(url, cred, jiraclient.WithFlavor(jiraclient.ParseFlavor(flavor)), jiraclient.WithRetry(jiraclient.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	return &Site{Srv: srv, C: &common.Common{Styles: common.NewStyles(true), Client: cl, Now: func() time.Time { return FixedNow }}}
}

// Issue reads key as the detail does.
func (s *Site) Issue(t *testing.T, key string) jiraclient.Issue {
	t.Helper()
	is, err := common.GetIssue(t.Context(), s.C.Client, key)
	if err != nil {
		t.Fatal(err)
	}
	return *is
}

// Count is how many requests of method ended in suffix.
func (s *Site) Count(method, suffix string) int {
	n := 0
	for _, r := range s.Srv.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// Runner drives an overlay as the root does, running every Cmd in the
// test and handing the messages back; what the root would act on is kept.
type Runner struct {
	T      *testing.T
	O      common.Overlay
	Seen   []tea.Msg
	Closed bool
}

// NewRunner sizes o, runs its Init and returns its runner.
func NewRunner(t *testing.T, o common.Overlay, w, h int) *Runner {
	t.Helper()
	o.SetSize(w, h)
	r := &Runner{T: t, O: o}
	if i, ok := o.(interface{ Init() tea.Cmd }); ok {
		r.Do(i.Init())
	}
	return r
}

var cmdsType = reflect.TypeOf([]tea.Cmd(nil))

// Exec runs cmd and every command it batches, returning the messages.
func Exec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if msg == nil {
		return nil
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		res := make([][]tea.Msg, len(b))
		var wg sync.WaitGroup
		for i, c := range b {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i] = Exec(c)
			}()
		}
		wg.Wait()
		var out []tea.Msg
		for _, r := range res {
			out = append(out, r...)
		}
		return out
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().ConvertibleTo(cmdsType) {
		var out []tea.Msg
		for _, c := range v.Convert(cmdsType).Interface().([]tea.Cmd) {
			out = append(out, Exec(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// Do runs cmd and feeds its messages back.
func (r *Runner) Do(cmd tea.Cmd) {
	r.T.Helper()
	for _, msg := range Exec(cmd) {
		r.Feed(msg)
	}
}

// Feed hands msg to the overlay as the root would.
func (r *Runner) Feed(msg tea.Msg) {
	r.T.Helper()
	switch msg.(type) {
	case common.CloseOverlayMsg:
		r.Seen = append(r.Seen, msg)
		r.Closed = true
		return
	case common.IssueConfirmedMsg, common.NoticeMsg:
		r.Seen = append(r.Seen, msg)
	}
	if _, blink := msg.(interface{ Blink() }); blink {
		return
	}
	if strings.Contains(reflect.TypeOf(msg).String(), "cursor.") {
		return // the cursor's blink
	}
	var cmd tea.Cmd
	r.O, cmd = r.O.Update(msg)
	r.Do(cmd)
}

// Keys presses the keys named.
func (r *Runner) Keys(names ...string) {
	r.T.Helper()
	for _, n := range names {
		r.Feed(Press(n))
	}
}

// TypeText types s, one key per character.
func (r *Runner) TypeText(s string) {
	r.T.Helper()
	for _, c := range s {
		r.Feed(tea.KeyPressMsg{Code: c, Text: string(c)})
	}
}

// View is the overlay's view without styling.
func (r *Runner) View() string { return ansi.Strip(r.O.View()) }

// Press is the key named s.
func Press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// Last is the newest message of type T the root would have seen.
func Last[T any](r *Runner) (T, bool) {
	for i := len(r.Seen) - 1; i >= 0; i-- {
		if m, ok := r.Seen[i].(T); ok {
			return m, true
		}
	}
	var zero T
	return zero, false
}
