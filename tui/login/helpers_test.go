package login

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// Shaped like real tokens; not real credentials.
var (
	cloudToken = "ATATT3xFfGF0" + strings.Repeat("q7Zk", 40) + "=A1B2C3D4"
	wrongToken = "ATATT3xFfGF0" + strings.Repeat("w1Xx", 40) + "=00000000"
	password   = "Summer2026!hunter2"
	wrongPAT   = "MDk4NzY1NDMyMTA5ODc2NTQzMjEwOTg3NjU0MzIxMDk4"
	passphrase = "correct horse battery"
)

// Fixed host names, served in-process, so screens (and goldens) do not
// depend on a random port.
const (
	cloudHost = "acme.atlassian.net"
	dcHost    = "jira.example.com"
	htmlHost  = "intranet.example.com"
	downHost  = "jira-down.example.com"
	tlsHost   = "selfsigned.example.com"
)

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// fakeNet is a RoundTripper that serves each host from a handler in this
// process, or fails the way a network does.
type fakeNet struct {
	hosts map[string]http.Handler
	errs  map[string]error
}

func (f *fakeNet) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if err, ok := f.errs[host]; ok {
		return nil, err
	}
	h, ok := f.hosts[host]
	if !ok {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}
	// A server request always has a body; a client GET may have none.
	sr := r.Clone(r.Context())
	if sr.Body == nil {
		sr.Body = http.NoBody
	}
	sr.RequestURI = r.URL.RequestURI()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, sr)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

type world struct {
	cloud, dc *fakejira.Server
	hc        *http.Client
}

func newWorld(t testing.TB) *world {
	cloud := fakejira.New(fakejira.Options{Flavor: fakejira.FlavorCloud, Issues: -1, BaseURL: "https://" + cloudHost})
	cloud.SetToken(cloudToken)
	dc := fakejira.New(fakejira.Options{Flavor: fakejira.FlavorDataCenter, Issues: -1, BaseURL: "https://" + dcHost})
	html := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><head><title>Intranet</title></head><body>Welcome</body></html>")
	})
	fn := &fakeNet{
		hosts: map[string]http.Handler{cloudHost: cloud, dcHost: dc, htmlHost: html},
		errs: map[string]error{
			downHost: &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}},
			tlsHost:  &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}},
		},
	}
	return &world{cloud: cloud, dc: dc, hc: &http.Client{Transport: fn}}
}

func newCommon() *common.Common {
	return &common.Common{Width: 80, Height: 30, Styles: common.NewStyles(true)}
}

// driver runs the screen the way Bubble Tea would, synchronously: it
// executes each command and feeds the answer back, and collects what the
// screen sends to its parent.
type driver struct {
	t       testing.TB
	m       Model
	out     []tea.Msg
	secrets []string
	opened  []string
	cfgPath string
	store   config.Store
}

type setup struct {
	opts    Options
	noStore bool
}

func newDriver(t testing.TB, w *world, mod func(*Options)) *driver {
	t.Helper()
	dir := t.TempDir()
	d := &driver{t: t, secrets: []string{cloudToken, wrongToken, password, wrongPAT, fakejira.Token, passphrase}}
	d.cfgPath = filepath.Join(dir, "config.toml")
	d.store = config.MemoryStore()
	o := Options{
		Config:     &config.Config{},
		ConfigPath: d.cfgPath,
		Store:      d.store,
		HTTPClient: w.hc,
		Now:        func() time.Time { return t0 },
		StateDir:   filepath.Join(dir, "state"),
		Getenv:     func(string) string { return "" },
		OpenURL: func(u string) error {
			d.opened = append(d.opened, u)
			return nil
		},
	}
	if mod != nil {
		mod(&o)
	}
	d.m = New(newCommon(), o)
	d.check()
	return d
}

// isTick reports the animation messages the driver drops: feeding them
// back would schedule the next frame with a real sleep.
func isTick(msg tea.Msg) bool {
	p := reflect.TypeOf(msg).PkgPath()
	return strings.HasSuffix(p, "bubbles/v2/spinner") || strings.HasSuffix(p, "bubbles/v2/cursor")
}

// send delivers msg and runs whatever it starts to completion.
func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.check()
	d.run(cmd)
}

// sendOnly delivers msg without running its commands (to see a screen
// while something is in flight); it returns them.
func (d *driver) sendOnly(msg tea.Msg) tea.Cmd {
	d.t.Helper()
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.check()
	return cmd
}

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case DoneMsg, DemoMsg, CancelMsg:
			d.out = append(d.out, msg)
		default:
			if isTick(msg) {
				continue
			}
			var next tea.Cmd
			d.m, next = d.m.Update(msg)
			d.check()
			queue = append(queue, next)
		}
	}
}

// check is run after every update: no secret ever reaches the screen.
func (d *driver) check() {
	d.t.Helper()
	v := d.m.View()
	plain := ansi.Strip(v)
	for _, s := range d.secrets {
		for _, part := range []string{s, s[:8], s[len(s)-8:]} {
			if strings.Contains(v, part) || strings.Contains(plain, part) {
				d.t.Fatalf("the screen shows a secret (%q…) in state %v:\n%s", s[:4], d.m.st, plain)
			}
		}
	}
}

func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *driver) paste(s string) { d.send(tea.PasteMsg{Content: s}) }

func (d *driver) press(k string) { d.send(keyMsg(k)) }

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+o":
		return tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("unknown key " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

func (d *driver) view() string { return ansi.Strip(d.m.View()) }

func (d *driver) done() (DoneMsg, bool) {
	for _, m := range d.out {
		if dm, ok := m.(DoneMsg); ok {
			return dm, true
		}
	}
	return DoneMsg{}, false
}

// noBackends is OpenKeyring on a machine where nothing works, except the
// backends a test allows.
func noBackends(allowed map[string]config.Store) func(context.Context, config.KeyringOptions) (config.Store, error) {
	return func(_ context.Context, o config.KeyringOptions) (config.Store, error) {
		if s, ok := allowed[o.Backend]; ok {
			if o.Backend == "file" {
				p, err := o.Passphrase()
				if err != nil {
					return nil, err
				}
				if p != passphrase {
					return nil, config.ErrWrongPassphrase
				}
			}
			return s, nil
		}
		switch o.Backend {
		case "":
			return nil, &config.NoBackendError{Attempts: []config.Attempt{
				{Backend: "secret-service", Err: errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and there is no /run/user/<uid>/bus)")},
				{Backend: "kwallet", Err: errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and there is no /run/user/<uid>/bus)")},
			}}
		case "pass":
			return nil, &config.NoBackendError{Attempts: []config.Attempt{{Backend: "pass", Err: errors.New("the pass program is not installed")}}}
		}
		return nil, &config.NoBackendError{Attempts: []config.Attempt{{Backend: o.Backend, Err: errors.New("not available")}}}
	}
}
