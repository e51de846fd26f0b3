package activity

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

func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

var fixedNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

type site struct {
	srv *fakejira.Server
	c   *common.Common
}

// startSite serves the demo (its first issues carry watchers, worklogs
// and estimates) in flavor.
func startSite(t *testing.T, flavor string) *site {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 1, Now: fixedNow, Demo: true})
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
	return &site{srv: srv, c: &common.Common{Styles: common.NewStyles(true), Client: cl, Now: func() time.Time { return fixedNow }}}
}

func (s *site) issue(t *testing.T, key string) jiraclient.Issue {
	t.Helper()
	is, err := common.GetIssue(t.Context(), s.c.Client, key)
	if err != nil {
		t.Fatal(err)
	}
	return *is
}

func (s *site) count(method, suffix string) int {
	n := 0
	for _, r := range s.srv.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// runner drives an overlay as the root does, running every Cmd in the
// test and handing the messages back; what the root would act on is kept.
type runner struct {
	t      *testing.T
	o      common.Overlay
	seen   []tea.Msg
	closed bool
}

func newRunner(t *testing.T, o common.Overlay, w, h int) *runner {
	t.Helper()
	o.SetSize(w, h)
	r := &runner{t: t, o: o}
	if i, ok := o.(interface{ Init() tea.Cmd }); ok {
		r.do(i.Init())
	}
	return r
}

var cmdsType = reflect.TypeOf([]tea.Cmd(nil))

func exec(cmd tea.Cmd) []tea.Msg {
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
				res[i] = exec(c)
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
			out = append(out, exec(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func (r *runner) do(cmd tea.Cmd) {
	r.t.Helper()
	for _, msg := range exec(cmd) {
		r.feed(msg)
	}
}

func (r *runner) feed(msg tea.Msg) {
	r.t.Helper()
	switch msg.(type) {
	case common.CloseOverlayMsg:
		r.seen = append(r.seen, msg)
		r.closed = true
		return
	case common.IssueConfirmedMsg, common.NoticeMsg:
		r.seen = append(r.seen, msg)
	}
	if _, blink := msg.(interface{ Blink() }); blink {
		return
	}
	if strings.Contains(reflect.TypeOf(msg).String(), "cursor.") {
		return // the cursor's blink
	}
	var cmd tea.Cmd
	r.o, cmd = r.o.Update(msg)
	r.do(cmd)
}

// keys presses the keys named.
func (r *runner) keys(names ...string) {
	r.t.Helper()
	for _, n := range names {
		r.feed(press(n))
	}
}

// typeText types s, one key per character.
func (r *runner) typeText(s string) {
	r.t.Helper()
	for _, c := range s {
		r.feed(tea.KeyPressMsg{Code: c, Text: string(c)})
	}
}

func (r *runner) view() string { return ansi.Strip(r.o.View()) }

func press(s string) tea.KeyPressMsg {
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

func last[T any](r *runner) (T, bool) {
	for i := len(r.seen) - 1; i >= 0; i-- {
		if m, ok := r.seen[i].(T); ok {
			return m, true
		}
	}
	var zero T
	return zero, false
}
