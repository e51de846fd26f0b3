// Package login is jiffy's sign-in screen: first-time setup, and signing in
// again when a token stops working mid-session.
//
// The user pastes the site URL (a browse URL works too); on leaving that
// field jiffy finds out, in the background, whether it is Jira Cloud or
// Data Center and asks for what that flavour needs: email + API token, or a
// Personal Access Token. Enter on the last field verifies the login with
// Jira (config/account does the work and the diagnosis) and only then
// stores it: the token in the keyring, the profile in the config file.
//
// Design notes:
//   - Every slow thing (detection, verification, the keyring, the browser)
//     runs in a tea.Cmd that captures what it needs and answers with a
//     message carrying a request id; answers to a superseded request are
//     dropped. Keys typed while the site is being detected are queued and
//     replayed once the screen knows which fields to show, so typing ahead
//     after tab loses nothing.
//   - The keyring is opened (in a command, with a timeout) once the login is
//     verified; if no backend works, the user chooses one there
//     (keyctl, pass or an encrypted file, whose passphrase is typed into
//     this screen, never read from the terminal), and the choice is saved.
//   - When no keyring opened at start but the config keeps a login in the
//     encrypted file keyring, the screen first asks for that passphrase and
//     signs in with the stored token (account.Resume); esc, or a token that
//     no longer works, leads to the form instead.
//   - The config is saved from a copy inside the command and swapped in on
//     success, so no goroutine writes the *config.Config the root reads.
//   - The token lives only in the masked input and in the commands that
//     need it; no View path renders it.
package login

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// Prefill is what the screen starts with: on a re-login, the current
// profile's site and user.
type Prefill struct {
	URL    string
	Email  string // Cloud login email
	User   string // Data Center username (shown only: a PAT needs none)
	Flavor jiraclient.Flavor
}

// Options configure the login screen.
type Options struct {
	Config     *config.Config
	ConfigPath string
	// Store is the keyring; nil opens it in the background with
	// config.OpenKeyring (with a timeout), offering a choice of backend
	// when none works.
	Store config.Store
	// Prefill fills the fields (mid-session expiry: the current profile).
	Prefill Prefill
	// Reauth: opened over the current screen because a request came back
	// with a failed login. Changes the title; esc sends CancelMsg.
	Reauth bool
	// ForProfile names the profile the picker (P) switches to, which has
	// no login yet: the title says so and esc goes back (CancelMsg) to
	// the profile in use.
	ForProfile string
	// Rejected (with Reauth): Jira refused the saved credential before any
	// request of this session succeeded, so nothing "expired".
	Rejected bool
	// EnvOverride: JIRA_* variables are set, so a stored token would not be
	// used; the login then holds for this session only and is not stored.
	EnvOverride bool
	// OfferDemo: no profile and no environment; `d` sends DemoMsg.
	OfferDemo bool
	// HTTPClient is the base transport for Jira requests (tests, a private CA).
	HTTPClient *http.Client
	// Now is the clock for TokenStoredAt; nil is time.Now.
	Now func() time.Time

	// OpenURL opens the token page; nil is the system browser
	// (github.com/pkg/browser, its output discarded).
	OpenURL func(string) error
	// OpenKeyring replaces config.OpenKeyring (tests).
	OpenKeyring func(context.Context, config.KeyringOptions) (config.Store, error)
	// GatewayBase replaces account.DefaultGatewayBase (tests).
	GatewayBase string
	// StateDir is where the site cache goes; "" is config.StateDir().
	StateDir string
	// Getenv replaces os.Getenv when saving (tests).
	Getenv func(string) string
}

// DoneMsg is sent when a login is verified (and stored, unless the
// environment overrides it): the root switches to the issue list with this
// client.
type DoneMsg struct {
	Client  *jiraclient.Client
	Me      *jiraclient.User
	Profile string // "" when the login was not stored (EnvOverride)
	Site    string
	// Store is the keyring the token went to (nil when not stored); the root
	// keeps it for logout and the next re-login.
	Store config.Store
}

// DemoMsg asks the root to start the demo (the user pressed d).
type DemoMsg struct{}

// CancelMsg asks the root to close a re-login screen (esc).
type CancelMsg struct{}

// state is where the screen is.
type state int

const (
	stateForm       state = iota // typing
	stateChecking                // verifying with Jira
	stateKeyring                 // no keyring works: the user picks one
	statePassphrase              // the encrypted file keyring's passphrase
	stateSaving                  // opening the keyring / storing the login
	stateDone                    // signed in; DoneMsg sent
)

func (s state) String() string {
	return [...]string{"form", "checking", "keyring", "passphrase", "saving", "done"}[s]
}

// then is what happens once a detection finishes.
type then int

const (
	thenFocusNext then = iota
	thenSubmit
	thenStay
)

// Timeouts for the background work. Each Jira request also has the
// client's own deadline.
const (
	detectTimeout  = 20 * time.Second
	verifyTimeout  = 45 * time.Second
	keyringTimeout = 10 * time.Second
	saveTimeout    = 20 * time.Second
	maxPending     = 1024
)

// Model is the login screen.
type Model struct {
	c    *common.Common
	o    Options
	keys KeyMap
	help help.Model

	st    state
	focus account.Field // FieldNone: nothing focused yet (the demo offer)
	url   textinput.Model
	email textinput.Model
	token textinput.Model
	pass  textinput.Model
	spin  spinner.Model

	site        account.Site // Flavor is FlavorUnknown until detected
	detectedFor string       // the URL text site belongs to
	detecting   bool
	detectID    int
	bgDetect    string // the prefilled URL Init detects

	// unlock: the passphrase field opens the file keyring to sign in with
	// the stored login of unlockProfile, rather than to store a new one.
	unlock        bool
	unlockProfile string
	resumeAfter   bool // sign in with the stored login once the keyring opens
	detectThen    then
	pending       []tea.Msg

	err    *account.VerifyError // shown beside err.Field
	notice string               // a problem not tied to a field
	info   string               // feedback such as "Opened the token page"

	reqID int
	res   *account.Result

	store        config.Store
	storeErr     error
	storeOpening bool
	storeID      int
	saveAfter    bool // save as soon as the keyring opens
	attempts     []config.Attempt
	choice       int
	chosen       string // backend picked on the keyring screen

	greeting    string
	sessionOnly bool  // signed in, but the login was not stored
	saveErr     error // why not, when it was not the environment
	width       int
	height      int
}

// New builds the login screen.
func New(c *common.Common, o Options) Model {
	if o.Config == nil {
		o.Config = &config.Config{}
	}
	m := Model{c: c, o: o, keys: newKeyMap(c.Keys), help: help.New(), store: o.Store}
	m.keys.Demo.SetEnabled(o.OfferDemo)
	if o.Reauth || o.ForProfile != "" {
		m.keys.Cancel.SetHelp(m.keys.Cancel.Help().Key, "cancel")
	}
	m.url = newInput(c, "https://your-company.atlassian.net")
	m.email = newInput(c, "you@example.com")
	m.token = newInput(c, "")
	m.token.EchoMode = textinput.EchoPassword
	m.token.EchoCharacter = '•'
	m.pass = newInput(c, "")
	m.pass.EchoMode = textinput.EchoPassword
	m.pass.EchoCharacter = '•'
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))

	p := o.Prefill
	if name, prof, ok := storedFileLogin(o); ok {
		// A login is stored in the encrypted file keyring, which needs its
		// passphrase: ask for that rather than for a new token.
		m.unlock, m.unlockProfile, m.chosen = true, name, "file"
		if p.URL == "" {
			p = Prefill{URL: prof.URL, Email: prof.Email, User: prof.Username, Flavor: jiraclient.ParseFlavor(prof.Flavor)}
			m.o.Prefill = p
		}
	}
	m.url.SetValue(p.URL)
	m.email.SetValue(p.Email)
	if p.URL != "" && p.Flavor != jiraclient.FlavorUnknown {
		if site, err := jiraclient.NormalizeURL(p.URL); err == nil {
			m.site = account.Site{URL: site, Flavor: p.Flavor}
			m.url.SetValue(site)
			m.detectedFor = site
		}
	}
	if strings.TrimSpace(p.URL) != "" && m.site.Flavor == jiraclient.FlavorUnknown {
		m.detectID++
		m.bgDetect = strings.TrimSpace(p.URL)
	}
	switch {
	case m.site.Flavor == jiraclient.FlavorCloud && strings.TrimSpace(p.Email) == "":
		m.setFocus(account.FieldEmail)
	case m.site.Flavor != jiraclient.FlavorUnknown:
		m.setFocus(account.FieldToken)
	case o.OfferDemo && p.URL == "":
		m.setFocus(account.FieldNone)
	default:
		m.setFocus(account.FieldURL)
	}
	if m.unlock {
		m.st = statePassphrase
		m.setFocus(account.FieldNone)
		m.pass.Focus()
	}
	return m.SetSize(c.Width, c.Height)
}

// storedFileLogin finds the login to unlock: no keyring could be opened,
// the config chose the file keyring, and its default profile has a token
// stored (Logout clears TokenStoredAt).
func storedFileLogin(o Options) (string, *config.Profile, bool) {
	if o.Store != nil || o.EnvOverride || o.Reauth || o.ForProfile != "" || o.Config.Keyring.Backend != "file" {
		return "", nil, false
	}
	name, p, err := o.Config.Profile("")
	if err != nil || p.TokenStoredAt.IsZero() {
		return "", nil, false
	}
	return name, p, true
}

// newInput is a text field in the shared palette. The cursor does not
// blink: the screen then redraws only when something changes, and what it
// shows depends only on the messages it got (tests compare it verbatim).
func newInput(c *common.Common, placeholder string) textinput.Model {
	t := textinput.New()
	t.Prompt = ""
	t.Placeholder = placeholder
	t.CharLimit = 4096
	st := c.Styles.TextInput()
	st.Focused.Text = c.Styles.Text
	st.Focused.Placeholder = c.Styles.Muted
	st.Blurred.Text = c.Styles.Text
	st.Blurred.Placeholder = c.Styles.Muted
	st.Cursor.Color = c.Styles.Palette.Accent
	st.Cursor.Blink = false
	t.SetStyles(st)
	return t
}

// Init detects a prefilled site whose flavour is not known yet (`jiffy
// login --url U`), so the form is ready for the email or token. Everything
// else slow (opening the keyring, verifying) starts when the user gets
// there; the screen works without Init too, detecting when the URL field
// is left.
func (m Model) Init() tea.Cmd {
	if m.bgDetect == "" {
		return nil
	}
	return detectBackgroundCmd(m.detectID, m.bgDetect, m.o.HTTPClient)
}

// SetSize sets the area the screen may use.
func (m Model) SetSize(w, h int) Model {
	m.width, m.height = w, h
	iw := m.inputWidth()
	for _, t := range []*textinput.Model{&m.url, &m.email, &m.token, &m.pass} {
		t.SetWidth(iw)
	}
	m.help.SetWidth(w)
	return m
}

// InputFocused reports whether a text field has the focus: then every
// printable key is text (? and q too), and help is on f1.
func (m Model) InputFocused() bool {
	return (m.st == stateForm && m.focus != account.FieldNone) || m.st == statePassphrase
}

// KeyMap is the help for the current state: only keys that do something.
func (m Model) KeyMap() help.KeyMap {
	k := m.keys
	form := m.st == stateForm
	k.Next.SetEnabled(form && m.focus != account.FieldNone)
	k.Prev.SetEnabled(false) // shown via Next's help; still works
	k.Submit.SetEnabled(form || m.st == stateKeyring || m.st == statePassphrase)
	k.OpenTokenPage.SetEnabled(form && m.site.Flavor != jiraclient.FlavorUnknown)
	k.Demo.SetEnabled(form && m.o.OfferDemo && m.focus == account.FieldNone)
	k.Up.SetEnabled(m.st == stateKeyring)
	k.Down.SetEnabled(m.st == stateKeyring)
	cancel := m.o.Reauth || m.o.ForProfile != "" || m.st == stateKeyring || m.st == statePassphrase || m.st == stateChecking || m.st == stateSaving
	k.Cancel.SetEnabled(cancel && m.st != stateDone)
	if m.st == stateForm {
		if m.isLastField() {
			k.Submit.SetHelp(k.Submit.Help().Key, "sign in")
		} else {
			k.Submit.SetHelp(k.Submit.Help().Key, "next")
		}
	}
	return k
}

// now is the configured clock.
func (m Model) now() time.Time {
	if m.o.Now != nil {
		return m.o.Now()
	}
	return time.Now()
}

// busy reports whether the spinner is showing.
func (m Model) busy() bool {
	return m.detecting || m.st == stateChecking || m.st == stateSaving
}

// visibleFields are the inputs the current flavour asks for, in order.
func (m Model) visibleFields() []account.Field {
	switch m.site.Flavor {
	case jiraclient.FlavorCloud:
		return []account.Field{account.FieldURL, account.FieldEmail, account.FieldToken}
	case jiraclient.FlavorDataCenter:
		return []account.Field{account.FieldURL, account.FieldToken}
	}
	return []account.Field{account.FieldURL}
}

func (m Model) isLastField() bool {
	f := m.visibleFields()
	return m.site.Flavor != jiraclient.FlavorUnknown && m.focus == f[len(f)-1]
}

func (m *Model) input(f account.Field) *textinput.Model {
	switch f {
	case account.FieldURL:
		return &m.url
	case account.FieldEmail:
		return &m.email
	case account.FieldToken:
		return &m.token
	}
	return nil
}

// setFocus moves the cursor to f (FieldNone blurs everything).
func (m *Model) setFocus(f account.Field) tea.Cmd {
	m.focus = f
	var cmd tea.Cmd
	for _, g := range []account.Field{account.FieldURL, account.FieldEmail, account.FieldToken} {
		in := m.input(g)
		if g == f {
			cmd = in.Focus()
			in.CursorEnd()
		} else {
			in.Blur()
		}
	}
	return cmd
}

// needsDetect: the URL changed since the site was detected.
func (m Model) needsDetect() bool {
	return m.site.Flavor == jiraclient.FlavorUnknown || strings.TrimSpace(m.url.Value()) != m.detectedFor
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	case tea.PasteMsg:
		return m.updateText(msg)
	case detectedMsg:
		return m.onDetected(msg)
	case verifiedMsg:
		return m.onVerified(msg)
	case storeOpenedMsg:
		return m.onStoreOpened(msg)
	case savedMsg:
		return m.onSaved(msg)
	case resumedMsg:
		return m.onResumed(msg)
	case browserMsg:
		if msg.err != nil {
			m.info = "Could not open a browser (" + msg.err.Error() + "); copy the address above."
		} else {
			m.info = "Opened the token page in your browser."
		}
		return m, nil
	case spinner.TickMsg:
		if !m.busy() {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	}
	// Cursor blinks and the like go to the focused input.
	return m.forward(msg)
}

// forward hands msg to the focused input.
func (m Model) forward(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch {
	case m.st == statePassphrase:
		m.pass, cmd = m.pass.Update(msg)
	case m.st == stateForm && m.focus != account.FieldNone:
		in := m.input(m.focus)
		before := in.Value()
		*in, cmd = in.Update(msg)
		if in.Value() != before {
			m.info = ""
			if m.err != nil && (m.err.Field == m.focus || m.err.Field == account.FieldNone) {
				m.err = nil
			}
		}
	}
	return m, cmd
}

// updateText handles a paste.
func (m Model) updateText(msg tea.Msg) (Model, tea.Cmd) {
	if m.detecting && m.st == stateForm {
		return m.queue(msg), nil
	}
	var focusCmd tea.Cmd
	if m.st == stateForm && m.focus == account.FieldNone {
		focusCmd = m.setFocus(account.FieldURL)
	}
	m, cmd := m.forward(msg)
	return m, tea.Batch(focusCmd, cmd)
}

func (m Model) queue(msg tea.Msg) Model {
	if len(m.pending) < maxPending {
		m.pending = append(m.pending, msg)
	}
	return m
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.detecting && m.st == stateForm {
		// The fields after the URL depend on the answer; keep the keys
		// for then. esc still leaves a re-login at once.
		if (m.o.Reauth || m.o.ForProfile != "") && keyAction(msg, m.keys, m.st, false) == actCancel {
			return m, sendMsg(CancelMsg{})
		}
		return m.queue(msg), nil
	}
	a := keyAction(msg, m.keys, m.st, m.focus == account.FieldNone)
	switch m.st {
	case stateForm:
		return m.formKey(msg, a)
	case statePassphrase:
		return m.passphraseKey(msg, a)
	case stateKeyring:
		return m.keyringKey(a)
	case stateChecking, stateSaving:
		if a == actCancel {
			// The request finishes in the background; its answer is
			// dropped because the id moves on.
			m.reqID++
			m.storeID++
			m.storeOpening = false
			m.saveAfter, m.resumeAfter, m.unlock = false, false, false
			m.st = stateForm
			m.info = ""
			return m, m.setFocus(m.lastField())
		}
	}
	return m, nil
}

func (m Model) lastField() account.Field {
	f := m.visibleFields()
	return f[len(f)-1]
}

func (m Model) formKey(msg tea.KeyPressMsg, a action) (Model, tea.Cmd) {
	switch a {
	case actDemo:
		return m, sendMsg(DemoMsg{})
	case actCancel:
		if m.o.Reauth || m.o.ForProfile != "" {
			return m, sendMsg(CancelMsg{})
		}
		m.err, m.notice, m.info = nil, "", ""
		if m.o.OfferDemo && strings.TrimSpace(m.url.Value()) == "" {
			// Back to the first screen, where d starts the demo.
			m.setFocus(account.FieldNone)
		}
		return m, nil
	case actOpenPage:
		return m.openTokenPage()
	case actNext:
		return m.move(+1, thenFocusNext)
	case actPrev:
		return m.move(-1, thenFocusNext)
	case actSubmit:
		if m.focus == account.FieldNone {
			return m, m.setFocus(account.FieldURL)
		}
		if m.focus == account.FieldURL && m.needsDetect() {
			return m.startDetect(thenFocusNext)
		}
		if m.isLastField() {
			return m.submit()
		}
		return m.move(+1, thenFocusNext)
	}
	return m.updateText(msg)
}

// move goes to the next or previous visible field. Leaving a changed URL
// forward detects the site first.
func (m Model) move(dir int, t then) (Model, tea.Cmd) {
	if m.focus == account.FieldNone {
		return m, m.setFocus(account.FieldURL)
	}
	if m.focus == account.FieldURL && dir > 0 && m.needsDetect() {
		return m.startDetect(t)
	}
	fields := m.visibleFields()
	i := 0
	for j, f := range fields {
		if f == m.focus {
			i = j
		}
	}
	i = (i + dir + len(fields)) % len(fields)
	return m, m.setFocus(fields[i])
}

func (m Model) startDetect(t then) (Model, tea.Cmd) {
	raw := strings.TrimSpace(m.url.Value())
	if m.err != nil && m.err.Field == account.FieldURL {
		m.err = nil
	}
	m.notice, m.info = "", ""
	m.site = account.Site{}
	m.detectID++
	m.detecting = true
	m.detectThen = t
	m.pending = nil
	return m, tea.Batch(detectCmd(m.detectID, raw, m.o.HTTPClient), m.spin.Tick)
}

func (m Model) onDetected(msg detectedMsg) (Model, tea.Cmd) {
	if msg.background {
		return m.onBackgroundDetected(msg)
	}
	if msg.id != m.detectID || !m.detecting {
		return m, nil
	}
	m.detecting = false
	pending := m.pending
	m.pending = nil
	if msg.err != nil {
		m.err = asVerifyError(msg.err)
		return m, m.setFocus(account.FieldURL)
	}
	m.site = msg.site
	m.url.SetValue(msg.site.URL)
	m.url.CursorEnd()
	m.detectedFor = msg.site.URL
	var cmds []tea.Cmd
	switch m.detectThen {
	case thenSubmit:
		var cmd tea.Cmd
		m, cmd = m.submit()
		cmds = append(cmds, cmd)
	case thenFocusNext:
		if m.focus == account.FieldURL {
			next := account.FieldToken
			if m.site.Flavor == jiraclient.FlavorCloud {
				next = account.FieldEmail
			}
			cmds = append(cmds, m.setFocus(next))
		}
	}
	// Replay what was typed while waiting, now that the fields are known.
	for _, p := range pending {
		var cmd tea.Cmd
		m, cmd = m.Update(p)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// onBackgroundDetected applies Init's detection of a prefilled URL, unless
// the user has moved on: edited the URL or started a detection of their own.
func (m Model) onBackgroundDetected(msg detectedMsg) (Model, tea.Cmd) {
	if msg.id != m.detectID || m.detecting || m.st != stateForm ||
		m.site.Flavor != jiraclient.FlavorUnknown || strings.TrimSpace(m.url.Value()) != msg.raw {
		return m, nil
	}
	if msg.err != nil {
		m.err = asVerifyError(msg.err)
		return m, nil
	}
	m.site = msg.site
	m.url.SetValue(msg.site.URL)
	m.url.CursorEnd()
	m.detectedFor = msg.site.URL
	if m.focus != account.FieldURL {
		return m, nil
	}
	next := account.FieldToken
	if m.site.Flavor == jiraclient.FlavorCloud && strings.TrimSpace(m.email.Value()) == "" {
		next = account.FieldEmail
	}
	return m, m.setFocus(next)
}

// submit verifies the login.
func (m Model) submit() (Model, tea.Cmd) {
	if m.needsDetect() {
		return m.startDetect(thenSubmit)
	}
	m.notice, m.info = "", ""
	if err := account.CheckInput(m.site.Flavor, strings.TrimSpace(m.email.Value()), strings.TrimSpace(m.token.Value())); err != nil {
		m.err = asVerifyError(err)
		return m, m.setFocus(m.err.Field)
	}
	m.err = nil
	m.st = stateChecking
	m.reqID++
	in := account.VerifyInput{
		URL:         m.site.URL,
		Email:       strings.TrimSpace(m.email.Value()),
		Token:       strings.TrimSpace(m.token.Value()),
		Flavor:      m.site.Flavor,
		HTTPClient:  m.o.HTTPClient,
		GatewayBase: m.o.GatewayBase,
	}
	m.setFocus(m.focus) // keep the cursor where it was, without a new blink
	return m, tea.Batch(verifyCmd(m.reqID, in), m.spin.Tick)
}

func (m Model) onVerified(msg verifiedMsg) (Model, tea.Cmd) {
	if msg.id != m.reqID || m.st != stateChecking {
		return m, nil
	}
	if msg.err != nil {
		m.st = stateForm
		m.err = asVerifyError(msg.err)
		f := m.err.Field
		if f == account.FieldNone || m.input(f) == nil {
			f = m.lastField()
		}
		return m, m.setFocus(f)
	}
	m.res = msg.res
	if m.o.EnvOverride {
		return m.finish(account.Saved{}, true)
	}
	return m.saveOrAsk()
}

// saveOrAsk stores the verified login, opening the keyring first if it is
// not open yet, or asks where to keep the token if no keyring works.
func (m Model) saveOrAsk() (Model, tea.Cmd) {
	switch {
	case m.store != nil:
		return m.save()
	case m.storeOpening:
		m.st = stateSaving
		m.saveAfter = true
		return m, m.spin.Tick
	case m.storeErr != nil:
		return m.storeFailed(m.storeErr)
	}
	m.saveAfter = true
	m.st = stateSaving
	m, cmd := m.openStore(m.o.Config.Keyring.Backend, "")
	return m, tea.Batch(cmd, m.spin.Tick)
}

func (m Model) openStore(backend, passphrase string) (Model, tea.Cmd) {
	m.storeID++
	m.storeOpening = true
	m.storeErr = nil
	ko := config.KeyringOptions{Backend: backend, FileDir: m.o.Config.Keyring.FileDir, Timeout: config.DefaultKeyringTimeout}
	if passphrase != "" {
		ko.Passphrase = func() (string, error) { return passphrase, nil }
	} else {
		// Never the terminal: the environment or nothing (then the
		// passphrase field asks).
		ko.Passphrase = func() (string, error) {
			if p := os.Getenv(config.EnvPassphrase); p != "" {
				return p, nil
			}
			return "", config.ErrNeedPassphrase
		}
	}
	open := m.o.OpenKeyring
	if open == nil {
		open = config.OpenKeyring
	}
	return m, openStoreCmd(m.storeID, backend, open, ko)
}

func (m Model) onStoreOpened(msg storeOpenedMsg) (Model, tea.Cmd) {
	if msg.id != m.storeID || !m.storeOpening {
		return m, nil
	}
	m.storeOpening = false
	if msg.err != nil {
		m.storeErr = msg.err
		if m.resumeAfter {
			m.resumeAfter = false
			if errors.Is(msg.err, config.ErrWrongPassphrase) || errors.Is(msg.err, config.ErrNeedPassphrase) {
				m.st = statePassphrase
				m.notice = "That passphrase does not open the file keyring."
				return m, m.pass.Focus()
			}
			m, cmd := m.leaveUnlock()
			m.notice = "The file keyring could not be opened: " + firstLine(msg.err.Error())
			return m, cmd
		}
		if m.saveAfter {
			m.saveAfter = false
			return m.storeFailed(msg.err)
		}
		return m, nil
	}
	// The chosen backend reaches the config with the save (see save), so
	// the shared config changes only once everything worked.
	m.store = msg.store
	if m.resumeAfter {
		m.resumeAfter = false
		m.reqID++
		return m, tea.Batch(resumeCmd(m.reqID, m.o.Config, m.unlockProfile, m.store, m.o.HTTPClient), m.spin.Tick)
	}
	if m.saveAfter {
		m.saveAfter = false
		return m.save()
	}
	return m, nil
}

// storeFailed moves to the screen that can fix a keyring failure.
func (m Model) storeFailed(err error) (Model, tea.Cmd) {
	m.store = nil
	m.storeErr = err
	if errors.Is(err, config.ErrNeedPassphrase) || errors.Is(err, config.ErrWrongPassphrase) {
		m.st = statePassphrase
		m.chosen = "file"
		m.notice = ""
		if errors.Is(err, config.ErrWrongPassphrase) {
			m.notice = "That passphrase does not open the file keyring."
		}
		m.pass.SetValue("")
		return m, m.pass.Focus()
	}
	var nb *config.NoBackendError
	if errors.As(err, &nb) {
		m.attempts = mergeAttempts(m.attempts, nb.Attempts)
	} else {
		backend := m.chosen
		if backend == "" {
			backend = m.o.Config.Keyring.Backend
		}
		if backend == "" {
			backend = "keyring"
		}
		var se *account.StoreError
		if errors.As(err, &se) {
			backend, err = se.Backend, se.Err
		}
		m.attempts = mergeAttempts(m.attempts, []config.Attempt{{Backend: backend, Err: err}})
	}
	m.st = stateKeyring
	m.notice = ""
	return m, nil
}

// mergeAttempts keeps one line per backend, the latest failure winning.
func mergeAttempts(old, add []config.Attempt) []config.Attempt {
	out := append([]config.Attempt(nil), old...)
	for _, a := range add {
		replaced := false
		for i := range out {
			if out[i].Backend == a.Backend {
				out[i] = a
				replaced = true
			}
		}
		if !replaced {
			out = append(out, a)
		}
	}
	return out
}

func (m Model) save() (Model, tea.Cmd) {
	m.st = stateSaving
	m.reqID++
	cfg := cloneConfig(m.o.Config)
	if m.chosen != "" {
		cfg.Keyring.Backend = m.chosen
	}
	getenv := m.o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	opts := []account.Option{account.WithGetenv(getenv), account.WithNow(m.now)}
	if m.o.StateDir != "" {
		opts = append(opts, account.WithStateDir(m.o.StateDir))
	}
	if m.o.ForProfile != "" {
		// The picker's profile: its own name and keyring item, and the
		// default profile stays what it was.
		opts = append(opts, account.SaveAs(m.o.ForProfile), account.KeepDefault())
	}
	return m, tea.Batch(saveCmd(m.reqID, cfg, m.o.ConfigPath, m.store, m.res, strings.TrimSpace(m.token.Value()), opts), m.spin.Tick)
}

func (m Model) onSaved(msg savedMsg) (Model, tea.Cmd) {
	if msg.id != m.reqID || m.st != stateSaving {
		return m, nil
	}
	if msg.err != nil {
		var eo *account.EnvOverrideError
		var se *account.StoreError
		switch {
		case errors.As(msg.err, &eo):
			return m.finish(account.Saved{}, true)
		case errors.As(msg.err, &se):
			return m.storeFailed(msg.err)
		}
		// The config file could not be written (often: it does not parse
		// because the user is editing it). The login itself works, so the
		// session goes on, and the screen says why it was not kept.
		m.saveErr = msg.err
		return m.finish(account.Saved{}, true)
	}
	// Swap in the config the command saved; this runs on the Update
	// goroutine, so readers of *Config never race with the save.
	*m.o.Config = *msg.cfg
	return m.finish(msg.saved, false)
}

// finish greets the user and tells the root.
func (m Model) finish(saved account.Saved, sessionOnly bool) (Model, tea.Cmd) {
	m.st = stateDone
	m.sessionOnly = sessionOnly
	m.greeting = "Welcome, " + m.res.DisplayName()
	m.setFocus(account.FieldNone)
	done := DoneMsg{Client: m.res.Client, Me: m.res.Me, Profile: saved.Profile, Site: m.res.SiteURL}
	if !sessionOnly {
		done.Store = m.store
	}
	return m, sendMsg(done)
}

func (m Model) openTokenPage() (Model, tea.Cmd) {
	page := account.TokenPageURL(m.site.Flavor, m.site.URL)
	if page == "" {
		m.info = "Enter the site URL first."
		return m, nil
	}
	open := m.o.OpenURL
	if open == nil {
		open = openInBrowser
	}
	return m, browserCmd(page, open)
}

func (m Model) keyringKey(a action) (Model, tea.Cmd) {
	choices := keyringChoices()
	switch a {
	case actUp:
		m.choice = (m.choice - 1 + len(choices)) % len(choices)
	case actDown:
		m.choice = (m.choice + 1) % len(choices)
	case actCancel:
		m.st = stateForm
		return m, m.setFocus(m.lastField())
	case actSubmit:
		b := choices[m.choice].backend
		m.chosen = b
		if b == "file" {
			m.st = statePassphrase
			m.notice = ""
			m.pass.SetValue("")
			return m, m.pass.Focus()
		}
		m.st = stateSaving
		m.saveAfter = true
		m, cmd := m.openStore(b, "")
		return m, tea.Batch(cmd, m.spin.Tick)
	}
	return m, nil
}

func (m Model) passphraseKey(msg tea.KeyPressMsg, a action) (Model, tea.Cmd) {
	switch a {
	case actCancel:
		m.pass.SetValue("")
		m.pass.Blur()
		m.notice = ""
		if m.unlock {
			// Sign in with a token instead; it is stored once the
			// keyring is sorted out.
			return m.leaveUnlock()
		}
		m.st = stateKeyring
		for i, c := range keyringChoices() {
			if c.backend == "file" {
				m.choice = i
			}
		}
		return m, nil
	case actSubmit:
		p := m.pass.Value()
		if p == "" {
			m.notice = "Enter a passphrase."
			return m, nil
		}
		m.notice = ""
		m.chosen = "file"
		m.st = stateSaving
		if m.unlock {
			m.resumeAfter = true
		} else {
			m.saveAfter = true
		}
		m.pass.Blur()
		m, cmd := m.openStore("file", p)
		m.pass.SetValue("")
		return m, tea.Batch(cmd, m.spin.Tick)
	}
	return m.forward(msg)
}

// leaveUnlock gives up on the stored login and shows the form, prefilled.
func (m Model) leaveUnlock() (Model, tea.Cmd) {
	m.unlock, m.resumeAfter = false, false
	m.st = stateForm
	f := account.FieldURL
	if m.site.Flavor != jiraclient.FlavorUnknown {
		f = m.lastField()
		if m.site.Flavor == jiraclient.FlavorCloud && strings.TrimSpace(m.email.Value()) == "" {
			f = account.FieldEmail
		}
	}
	return m, m.setFocus(f)
}

func (m Model) onResumed(msg resumedMsg) (Model, tea.Cmd) {
	if msg.id != m.reqID || m.st != stateSaving || !m.unlock {
		return m, nil
	}
	if msg.err != nil {
		// The keyring is open now; the token in it no longer works (or
		// is gone): sign in again, and the new token goes there.
		m, cmd := m.leaveUnlock()
		if errors.Is(msg.err, config.ErrTokenNotFound) {
			m.notice = "No token is stored for this site any more: sign in again."
		} else {
			m.err = asVerifyError(msg.err)
			if m.err.Field == account.FieldToken || m.err.Field == account.FieldEmail {
				cmd = m.setFocus(m.lastField())
			}
		}
		return m, cmd
	}
	m.res = msg.res
	m.unlock = false
	return m.finish(account.Saved{Profile: msg.profile, Backend: m.store.Backend()}, false)
}

// asVerifyError shows any error the way the form shows a VerifyError.
func asVerifyError(err error) *account.VerifyError {
	var ve *account.VerifyError
	if errors.As(err, &ve) {
		return ve
	}
	return &account.VerifyError{Field: account.FieldNone, Cause: err.Error(), Err: err}
}

// cloneConfig copies what Save changes (the profile map and the keyring
// settings); profiles themselves are copied by Save before it edits them.
func cloneConfig(c *config.Config) *config.Config {
	cp := *c
	cp.Profiles = make(map[string]*config.Profile, len(c.Profiles))
	for k, v := range c.Profiles {
		cp.Profiles[k] = v
	}
	return &cp
}

func sendMsg(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
