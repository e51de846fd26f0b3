package login

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// harness stands in for the root model: it embeds the login screen the way
// the root does (SetSize, Update, View) and keeps what the screen sends up.
type harness struct {
	m    Model
	done *DoneMsg
	keys int // key presses and pastes the user made
}

func (h harness) Init() tea.Cmd { return h.m.Init() }

func (h harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.m = h.m.SetSize(msg.Width, msg.Height)
		return h, nil
	case DoneMsg:
		h.done = &msg
		return h, nil
	case tea.KeyPressMsg, tea.PasteMsg:
		h.keys++
	}
	var cmd tea.Cmd
	h.m, cmd = h.m.Update(msg)
	return h, cmd
}

func (h harness) View() tea.View { return tea.NewView(h.m.View()) }

// TestFirstLaunchToVerifiedLogin drives the real program: first launch,
// the URL, the email and the token typed (or pasted) as a user would,
// against a fake Jira Cloud on a loopback port. It counts the keystrokes.
func TestFirstLaunchToVerifiedLogin(t *testing.T) {
	for _, tc := range []struct{ flavor, mode string }{
		{fakejira.FlavorCloud, "typed"}, {fakejira.FlavorCloud, "pasted"}, {fakejira.FlavorDataCenter, "pasted"},
	} {
		mode, cloud := tc.mode, tc.flavor == fakejira.FlavorCloud
		t.Run(tc.flavor+"/"+mode, func(t *testing.T) {
			srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: tc.flavor, Issues: -1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(stop)
			dir := t.TempDir()
			store := config.MemoryStore()
			c := newCommon()
			m := New(c, Options{
				Config:     &config.Config{},
				ConfigPath: filepath.Join(dir, "config.toml"),
				Store:      store,
				OfferDemo:  true,
				Now:        func() time.Time { return t0 },
				StateDir:   filepath.Join(dir, "state"),
				Getenv:     func(string) string { return "" },
				OpenURL:    func(string) error { return nil },
			})
			tm := teatest.NewTestModel(t, harness{m: m}, teatest.WithInitialTermSize(80, 30))
			var seen bytes.Buffer // everything drawn, to check no token was
			waitFor := func(text string, d time.Duration) {
				t.Helper()
				teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
					if bytes.Contains(b, []byte(text)) {
						seen.Write(b)
						return true
					}
					return false
				}, teatest.WithDuration(d))
			}
			waitFor("Press d for the demo", 5*time.Second)

			// The whole login is sent without waiting for the screen: keys
			// typed while the site is being detected are kept.
			pasteOrType := func(s string) {
				if mode == "pasted" {
					tm.Send(tea.PasteMsg{Content: s})
					return
				}
				tm.Type(s)
			}
			pasteOrType(url + "/browse/KEY-1")
			tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
			if cloud {
				tm.Type(fakejira.Email)
				tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
			}
			pasteOrType(fakejira.Token)
			tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})

			waitFor("Welcome, Ada Lovelace", 10*time.Second)
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(harness)
			if final.done == nil || final.done.Me == nil || final.done.Me.DisplayName != "Ada Lovelace" {
				t.Fatalf("no DoneMsg: %+v", final.done)
			}
			if final.done.Client == nil || !strings.HasPrefix(final.done.Site, "http://127.0.0.1:") {
				t.Errorf("DoneMsg = %+v", final.done)
			}
			if tok, err := store.Get(t.Context(), final.done.Profile); err != nil || !strings.HasSuffix(tok, "\n"+fakejira.Token) {
				t.Errorf("token not stored: %v", err)
			}
			// Cloud: serverInfo, myself; Data Center also asks the version.
			wantReq := 2
			if !cloud {
				wantReq = 3
			}
			if n := len(srv.Requests()); n != wantReq {
				t.Errorf("%d requests to Jira, want %d", n, wantReq)
			}
			t.Logf("%s %s: %d keystrokes from first launch to a verified login (URL %d chars, email %d, token %d)",
				tc.flavor, mode, final.keys, len(url+"/browse/KEY-1"), len(fakejira.Email), len(fakejira.Token))
			want := 2 // tab after the URL, enter after the token
			if cloud {
				want += len(fakejira.Email) + 1 // the email, tab
			}
			if mode == "pasted" {
				want += 2
			} else {
				want += len(url+"/browse/KEY-1") + len(fakejira.Token)
			}
			if final.keys != want {
				t.Errorf("keystrokes = %d, want %d", final.keys, want)
			}
			// The token was never drawn.
			rest, _ := io.ReadAll(tm.FinalOutput(t))
			seen.Write(rest)
			if bytes.Contains(seen.Bytes(), []byte(fakejira.Token)) {
				t.Errorf("the token was drawn on the terminal")
			}
		})
	}
}
