package login

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

func TestCloudLoginEndToEnd(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) { o.OfferDemo = true })
	// A pasted browse URL; tab leaves the field and detects the site.
	d.paste("https://" + cloudHost + "/browse/KP-19?focusedCommentId=10001")
	d.press("tab")
	if d.m.site.Flavor != jiraclient.FlavorCloud || d.m.focus != account.FieldEmail {
		t.Fatalf("after tab: flavor %v focus %v\n%s", d.m.site.Flavor, d.m.focus, d.view())
	}
	if got := d.m.url.Value(); got != "https://"+cloudHost {
		t.Errorf("URL shown as %q", got)
	}
	d.typeText(fakejira.Email)
	d.press("enter")
	if d.m.focus != account.FieldToken {
		t.Fatalf("enter on email: focus %v", d.m.focus)
	}
	d.paste(cloudToken)
	d.press("enter")
	dm, ok := d.done()
	if !ok {
		t.Fatalf("no DoneMsg; state %v\n%s", d.m.st, d.view())
	}
	if dm.Me == nil || dm.Me.DisplayName != "Ada Lovelace" || dm.Site != "https://"+cloudHost || dm.Client == nil {
		t.Errorf("DoneMsg = %+v", dm)
	}
	if !strings.Contains(d.view(), "Welcome, Ada Lovelace") {
		t.Errorf("no greeting:\n%s", d.view())
	}
	wantProfile := config.ProfileName("https://"+cloudHost, fakejira.Email)
	if dm.Profile != wantProfile || dm.Store == nil {
		t.Errorf("profile %q store %v", dm.Profile, dm.Store)
	}
	if tok, err := d.store.Get(t.Context(), wantProfile); err != nil || !strings.HasSuffix(tok, "\n"+cloudToken) {
		t.Errorf("token not stored: %v", err)
	}
	raw, err := os.ReadFile(d.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), cloudToken) {
		t.Fatalf("token in the config file")
	}
	if d.m.o.Config.Default != wantProfile || d.m.o.Config.Profiles[wantProfile].Email != fakejira.Email {
		t.Errorf("in-memory config not updated: %+v", d.m.o.Config)
	}
}

func TestDataCenterLoginNeedsNoEmail(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	d.typeText(dcHost)
	d.press("enter")
	if d.m.site.Flavor != jiraclient.FlavorDataCenter || d.m.focus != account.FieldToken {
		t.Fatalf("flavor %v focus %v", d.m.site.Flavor, d.m.focus)
	}
	if v := d.view(); !strings.Contains(v, "✓ Jira Data Center 10.3") || strings.Contains(v, "Email") {
		t.Errorf("DC form:\n%s", v)
	}
	d.paste(fakejira.Token)
	d.press("enter")
	dm, ok := d.done()
	if !ok || dm.Me.Name != fakejira.Username {
		t.Fatalf("DoneMsg %+v %v\n%s", dm, ok, d.view())
	}
	if p := d.m.o.Config.Profiles[dm.Profile]; p.Flavor != "datacenter" || p.Username != fakejira.Username {
		t.Errorf("profile = %+v", p)
	}
}

// Keys typed while the site is being detected are not lost.
func TestTypeAheadDuringDetection(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	d.typeText("https://" + cloudHost)
	detect := d.sendOnly(keyMsg("tab"))
	if !d.m.detecting {
		t.Fatal("not detecting after tab")
	}
	for _, r := range fakejira.Email {
		if c := d.sendOnly(tea.KeyPressMsg{Code: r, Text: string(r)}); c != nil {
			t.Fatalf("a key typed while detecting started a command")
		}
	}
	d.sendOnly(keyMsg("tab"))
	d.sendOnly(tea.PasteMsg{Content: cloudToken})
	d.run(detect)
	if d.m.email.Value() != fakejira.Email || d.m.token.Value() != cloudToken || d.m.focus != account.FieldToken {
		t.Fatalf("after replay: email %q, token set %v, focus %v", d.m.email.Value(), d.m.token.Value() == cloudToken, d.m.focus)
	}
}

func TestFailureKeepsFieldsAndBlamesTheField(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	d.typeText(cloudHost)
	d.press("tab")
	d.typeText(fakejira.Email)
	d.press("tab")
	d.paste(wrongToken)
	d.press("enter")
	if _, ok := d.done(); ok {
		t.Fatal("a wrong token signed in")
	}
	if d.m.st != stateForm || d.m.err == nil || d.m.err.Field != account.FieldToken || d.m.focus != account.FieldToken {
		t.Fatalf("state %v err %v focus %v", d.m.st, d.m.err, d.m.focus)
	}
	if d.m.url.Value() != "https://"+cloudHost || d.m.email.Value() != fakejira.Email || d.m.token.Value() != wrongToken {
		t.Errorf("fields changed after a failure")
	}
	// Fixing the token clears the message, and the retry works.
	d.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear the field
	if d.m.err != nil {
		t.Errorf("editing the field at fault kept the error")
	}
	d.paste(cloudToken)
	d.press("enter")
	if _, ok := d.done(); !ok {
		t.Fatalf("retry failed:\n%s", d.view())
	}
}

func TestURLChangeRedetects(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	d.typeText(cloudHost)
	d.press("tab")
	d.press("shift+tab")
	d.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	d.typeText(dcHost)
	// Enter straight from the URL: detects, and the DC form asks for a PAT.
	d.press("enter")
	if d.m.site.Flavor != jiraclient.FlavorDataCenter || d.m.focus != account.FieldToken {
		t.Fatalf("flavor %v focus %v", d.m.site.Flavor, d.m.focus)
	}
}

func TestStaleDetectionIsDropped(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	d.typeText(cloudHost)
	var first tea.Msg
	for _, c := range d.sendOnly(keyMsg("tab"))().(tea.BatchMsg) {
		if c == nil {
			continue
		}
		if m, ok := c().(detectedMsg); ok {
			first = m
		}
	}
	d.send(first)
	if d.m.site.Flavor != jiraclient.FlavorCloud {
		t.Fatalf("first detection: %v", d.m.site.Flavor)
	}
	d.press("shift+tab")
	d.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	d.typeText(dcHost)
	d.press("enter")
	if d.m.site.Flavor != jiraclient.FlavorDataCenter {
		t.Fatalf("second detection: %v", d.m.site.Flavor)
	}
	d.send(first)
	if d.m.site.Flavor != jiraclient.FlavorDataCenter {
		t.Errorf("a stale answer replaced the site")
	}
}

func TestOpenTokenPage(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	d.press("ctrl+o")
	if len(d.opened) != 0 || !strings.Contains(d.view(), "Enter the site URL first") {
		t.Errorf("ctrl+o before the site is known: %v\n%s", d.opened, d.view())
	}
	d.typeText(dcHost)
	d.press("tab")
	d.press("ctrl+o")
	want := "https://" + dcHost + "/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens"
	if len(d.opened) != 1 || d.opened[0] != want {
		t.Errorf("opened %v, want %s", d.opened, want)
	}
	if !strings.Contains(d.view(), "Opened the token page") {
		t.Errorf("no feedback:\n%s", d.view())
	}
}

func TestDemoKey(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) { o.OfferDemo = true })
	d.press("d")
	if len(d.out) != 1 || d.out[0] != (DemoMsg{}) {
		t.Fatalf("d on the first screen: %v", d.out)
	}
	// Once typing, d is a letter: "dev.example.com" must be typable.
	d = newDriver(t, w, func(o *Options) { o.OfferDemo = true })
	d.typeText("jira-dev.example.com")
	if len(d.out) != 0 || d.m.url.Value() != "jira-dev.example.com" {
		t.Fatalf("typing a URL with d: out %v value %q", d.out, d.m.url.Value())
	}
	// Enter first, then a URL starting with d.
	d = newDriver(t, w, func(o *Options) { o.OfferDemo = true })
	d.press("enter")
	d.typeText("dev.example.com")
	if len(d.out) != 0 || d.m.url.Value() != "dev.example.com" {
		t.Fatalf("enter then d: out %v value %q", d.out, d.m.url.Value())
	}
	// esc with an empty URL goes back to the offer.
	d.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	d.press("esc")
	d.press("d")
	if len(d.out) != 1 {
		t.Fatalf("esc then d: %v", d.out)
	}
	// Without the offer, d is just a letter.
	d = newDriver(t, w, nil)
	d.press("d")
	if len(d.out) != 0 || d.m.url.Value() != "d" {
		t.Errorf("no offer: out %v value %q", d.out, d.m.url.Value())
	}
}

func TestReauthPrefilledAndEscCancels(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) {
		o.Reauth = true
		o.Prefill = Prefill{URL: "https://" + cloudHost, Email: fakejira.Email, Flavor: jiraclient.FlavorCloud}
	})
	if d.m.focus != account.FieldToken || d.m.site.Flavor != jiraclient.FlavorCloud {
		t.Fatalf("focus %v flavor %v", d.m.focus, d.m.site.Flavor)
	}
	if !strings.Contains(d.view(), "Your Jira session expired — sign in again") {
		t.Errorf("title:\n%s", d.view())
	}
	d.press("esc")
	if len(d.out) != 1 || d.out[0] != (CancelMsg{}) {
		t.Fatalf("esc: %v", d.out)
	}
	d.out = nil
	d.paste(cloudToken)
	d.press("enter")
	if _, ok := d.done(); !ok {
		t.Fatalf("reauth failed:\n%s", d.view())
	}
	if n := len(w.cloud.Requests()); n != 1 {
		t.Errorf("reauth made %d requests, want 1 (myself; flavour known)", n)
	}
}

func TestEnvOverrideSignsInWithoutStoring(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) { o.EnvOverride = true })
	d.typeText(dcHost)
	d.press("enter")
	d.paste(fakejira.Token)
	d.press("enter")
	dm, ok := d.done()
	if !ok || dm.Profile != "" || dm.Store != nil || dm.Client == nil {
		t.Fatalf("DoneMsg %+v %v", dm, ok)
	}
	if _, err := os.Stat(d.cfgPath); !os.IsNotExist(err) {
		t.Errorf("config written under EnvOverride")
	}
	if !strings.Contains(d.view(), "Not saved: JIRA_API_TOKEN is set") {
		t.Errorf("done view:\n%s", d.view())
	}
}

func TestSaveRefusedByEnvironmentFallsBackToSession(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) {
		o.Getenv = func(k string) string {
			if k == config.EnvToken {
				return "x"
			}
			return ""
		}
	})
	d.typeText(dcHost)
	d.press("enter")
	d.paste(fakejira.Token)
	d.press("enter")
	if dm, ok := d.done(); !ok || dm.Profile != "" {
		t.Fatalf("DoneMsg %+v %v", dm, ok)
	}
	if !d.m.sessionOnly {
		t.Errorf("not marked session-only")
	}
}

func TestNoKeyringThenChooseFile(t *testing.T) {
	w := newWorld(t)
	fileStore := config.MemoryStore()
	d := newDriver(t, w, func(o *Options) {
		o.Store = nil
		o.OpenKeyring = noBackends(map[string]config.Store{"file": fileStore})
	})
	d.typeText(dcHost)
	d.press("enter")
	d.paste(fakejira.Token)
	d.press("enter")
	if d.m.st != stateKeyring {
		t.Fatalf("state %v, want keyring choice\n%s", d.m.st, d.view())
	}
	v := d.view()
	for _, want := range []string{"secret-service: no D-Bus session bus", "kwallet:", "Kernel keyring (keyctl)", "pass", "Encrypted file"} {
		if !strings.Contains(v, want) {
			t.Errorf("keyring screen lacks %q:\n%s", want, v)
		}
	}
	// pass is not installed: back to the choice, with the reason.
	d.press("down")
	d.press("enter")
	if d.m.st != stateKeyring || !strings.Contains(d.view(), "pass: the pass program is not installed") {
		t.Fatalf("after pass: %v\n%s", d.m.st, d.view())
	}
	d.press("down")
	d.press("enter")
	if d.m.st != statePassphrase {
		t.Fatalf("state %v, want passphrase", d.m.st)
	}
	d.typeText("wrong passphrase")
	d.press("enter")
	if d.m.st != statePassphrase || !strings.Contains(d.view(), "does not open the file keyring") {
		t.Fatalf("wrong passphrase: %v\n%s", d.m.st, d.view())
	}
	d.typeText(passphrase)
	d.press("enter")
	dm, ok := d.done()
	if !ok {
		t.Fatalf("no DoneMsg: %v\n%s", d.m.st, d.view())
	}
	if tok, err := fileStore.Get(t.Context(), dm.Profile); err != nil || !strings.HasSuffix(tok, "\n"+fakejira.Token) {
		t.Errorf("token not in the chosen store: %v", err)
	}
	cfg, err := config.Load(d.cfgPath)
	if err != nil || cfg.Keyring.Backend != "file" {
		t.Errorf("choice not remembered: %+v %v", cfg, err)
	}
	if d.m.o.Config.Keyring.Backend != "file" {
		t.Errorf("in-memory config does not remember the choice")
	}
}

func TestKeyctlChosen(t *testing.T) {
	w := newWorld(t)
	ks := config.MemoryStore()
	d := newDriver(t, w, func(o *Options) {
		o.Store = nil
		o.OpenKeyring = noBackends(map[string]config.Store{"keyctl": ks})
	})
	d.typeText(dcHost)
	d.press("enter")
	d.paste(fakejira.Token)
	d.press("enter")
	d.press("enter") // keyctl is first
	if _, ok := d.done(); !ok {
		t.Fatalf("no DoneMsg: %v\n%s", d.m.st, d.view())
	}
	if d.m.o.Config.Keyring.Backend != "keyctl" {
		t.Errorf("choice not remembered")
	}
}

func TestEscWhileCheckingDropsTheAnswer(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	d.typeText(dcHost)
	d.press("enter")
	d.paste(fakejira.Token)
	verify := d.sendOnly(keyMsg("enter"))
	if d.m.st != stateChecking {
		t.Fatalf("state %v", d.m.st)
	}
	d.press("esc")
	if d.m.st != stateForm {
		t.Fatalf("esc while checking: %v", d.m.st)
	}
	d.run(verify)
	if _, ok := d.done(); ok || d.m.st != stateForm {
		t.Errorf("a cancelled check still signed in")
	}
}

func TestKeyAction(t *testing.T) {
	k := newKeyMap(nil)
	tests := []struct {
		key  string
		st   state
		idle bool
		want action
	}{
		{"enter", stateForm, false, actSubmit},
		{"tab", stateForm, false, actNext},
		{"shift+tab", stateForm, false, actPrev},
		{"ctrl+o", stateForm, false, actOpenPage},
		{"d", stateForm, true, actDemo},
		{"d", stateForm, false, actNone},
		{"esc", stateForm, false, actCancel},
		{"x", stateForm, false, actNone},
		{"up", stateKeyring, false, actUp},
		{"j", stateKeyring, false, actDown},
		{"enter", stateKeyring, false, actSubmit},
		{"esc", stateKeyring, false, actCancel},
		{"ctrl+o", statePassphrase, false, actNone},
		{"tab", statePassphrase, false, actNone},
		{"enter", statePassphrase, false, actSubmit},
		{"esc", stateChecking, false, actCancel},
		{"enter", stateChecking, false, actNone},
		{"enter", stateDone, false, actNone},
	}
	for _, tt := range tests {
		if got := keyAction(keyMsg(tt.key), k, tt.st, tt.idle); got != tt.want {
			t.Errorf("keyAction(%q, %v, idle=%v) = %v, want %v", tt.key, tt.st, tt.idle, got, tt.want)
		}
	}
	k.Demo.SetEnabled(false)
	if got := keyAction(keyMsg("d"), k, stateForm, true); got != actNone {
		t.Errorf("disabled demo key still acts")
	}
}

func TestKeyMapFollowsState(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) { o.OfferDemo = true })
	km := d.m.KeyMap().(KeyMap)
	if !km.Demo.Enabled() || km.OpenTokenPage.Enabled() {
		t.Errorf("first screen help: demo %v page %v", km.Demo.Enabled(), km.OpenTokenPage.Enabled())
	}
	d.typeText(cloudHost)
	d.press("tab")
	km = d.m.KeyMap().(KeyMap)
	if km.Demo.Enabled() || !km.OpenTokenPage.Enabled() || km.Submit.Help().Desc != "next" {
		t.Errorf("cloud form help: %+v", km.Submit.Help())
	}
	d.press("tab")
	if km = d.m.KeyMap().(KeyMap); km.Submit.Help().Desc != "sign in" {
		t.Errorf("last field: %q", km.Submit.Help().Desc)
	}
}

func TestCheckInputFailsWithoutRequest(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	d.typeText(cloudHost)
	d.press("tab")
	d.press("tab")
	d.paste(cloudToken)
	w.cloud.ResetRequests()
	d.press("enter")
	if d.m.err == nil || d.m.err.Field != account.FieldEmail || d.m.focus != account.FieldEmail {
		t.Fatalf("err %v focus %v", d.m.err, d.m.focus)
	}
	if n := len(w.cloud.Requests()); n != 0 {
		t.Errorf("%d requests for a login with no email", n)
	}
}

func TestErrorsAreDiagnosed(t *testing.T) {
	// Every failure lands beside its field with a cause and a fix.
	w := newWorld(t)
	for _, c := range failureCases() {
		t.Run(c.name, func(t *testing.T) {
			d := c.run(t, w)
			if d.m.err == nil || d.m.err.Field != c.field {
				t.Fatalf("err = %v, want field %v\n%s", d.m.err, c.field, d.view())
			}
			flat := strings.ToLower(strings.Join(strings.Fields(d.view()), " "))
			if !strings.Contains(flat, strings.ToLower(c.want)) {
				t.Errorf("screen lacks %q:\n%s", c.want, d.view())
			}
		})
	}
}

type failureCase struct {
	name  string
	field account.Field
	want  string
	run   func(t *testing.T, w *world) *driver
}

// loginWith signs in to host; prep runs once the site is detected (a
// fault for the login request, an expired token).
func loginWith(host, email, token string, prep func(*world)) func(t *testing.T, w *world) *driver {
	return func(t *testing.T, _ *world) *driver {
		w := newWorld(t)
		d := newDriver(t, w, nil)
		d.typeText(host)
		d.press("tab")
		if d.m.err != nil {
			return d
		}
		if prep != nil {
			prep(w)
		}
		if d.m.site.Flavor == jiraclient.FlavorCloud {
			d.typeText(email)
			d.press("tab")
		}
		d.paste(token)
		d.press("enter")
		return d
	}
}

func failureCases() []failureCase {
	return []failureCase{
		{"wrong_token", account.FieldToken, "did not accept this email and API token", loginWith(cloudHost, fakejira.Email, wrongToken, nil)},
		{"password", account.FieldToken, "looks like a password", loginWith(cloudHost, fakejira.Email, password, nil)},
		{"expired_pat", account.FieldToken, "did not accept this personal access token", loginWith(dcHost, "", fakejira.Token, func(w *world) { w.dc.ExpireToken() })},
		{"captcha", account.FieldToken, "CAPTCHA", loginWith(dcHost, "", fakejira.Token, func(w *world) { w.dc.SetCaptcha(true) })},
		{"forbidden", account.FieldToken, "refused access (403)", loginWith(dcHost, "", fakejira.Token, func(w *world) {
			w.dc.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 403}}})
		})},
		{"not_jira", account.FieldURL, "web page, not Jira", loginWith(htmlHost, "", wrongPAT, nil)},
		{"unreachable", account.FieldURL, "cannot reach " + downHost, loginWith(downHost, "", wrongPAT, nil)},
		{"no_such_host", account.FieldURL, "cannot find jira.typo.example", loginWith("jira.typo.example", "", wrongPAT, nil)},
		{"tls", account.FieldURL, "not trusted", loginWith(tlsHost, "", wrongPAT, nil)},
		{"http_refused", account.FieldURL, "plain http://", loginWith("http://"+dcHost, "", wrongPAT, nil)},
		{"no_email", account.FieldEmail, "needs the email", loginWith(cloudHost, "", cloudToken, nil)},
	}
}

func TestGolden(t *testing.T) {
	w := newWorld(t)
	shot := func(t *testing.T, d *driver) {
		t.Helper()
		golden.RequireEqual(t, d.view())
	}
	t.Run("first_run", func(t *testing.T) {
		shot(t, newDriver(t, w, func(o *Options) { o.OfferDemo = true }))
	})
	t.Run("cloud_detected", func(t *testing.T) {
		d := newDriver(t, w, func(o *Options) { o.OfferDemo = true })
		d.paste("https://" + cloudHost + "/browse/KP-19")
		d.press("tab")
		shot(t, d)
	})
	t.Run("dc_detected", func(t *testing.T) {
		d := newDriver(t, w, nil)
		d.typeText(dcHost)
		d.press("enter")
		shot(t, d)
	})
	t.Run("detecting", func(t *testing.T) {
		d := newDriver(t, w, nil)
		d.typeText(cloudHost)
		d.sendOnly(keyMsg("tab"))
		shot(t, d)
	})
	t.Run("checking", func(t *testing.T) {
		d := newDriver(t, w, nil)
		d.typeText(cloudHost)
		d.press("tab")
		d.typeText(fakejira.Email)
		d.press("tab")
		d.paste(cloudToken)
		d.sendOnly(keyMsg("enter"))
		shot(t, d)
	})
	t.Run("success", func(t *testing.T) {
		d := newDriver(t, w, nil)
		d.typeText(cloudHost)
		d.press("tab")
		d.typeText(fakejira.Email)
		d.press("tab")
		d.paste(cloudToken)
		d.press("enter")
		shot(t, d)
	})
	t.Run("reauth", func(t *testing.T) {
		shot(t, newDriver(t, w, func(o *Options) {
			o.Reauth = true
			o.Prefill = Prefill{URL: "https://" + cloudHost, Email: fakejira.Email, Flavor: jiraclient.FlavorCloud}
		}))
	})
	t.Run("env_override", func(t *testing.T) {
		d := newDriver(t, w, func(o *Options) { o.EnvOverride = true })
		d.typeText(dcHost)
		d.press("enter")
		shot(t, d)
	})
	t.Run("keyring_choice", func(t *testing.T) {
		d := newDriver(t, w, func(o *Options) { o.Store = nil; o.OpenKeyring = noBackends(nil) })
		d.typeText(dcHost)
		d.press("enter")
		d.paste(fakejira.Token)
		d.press("enter")
		shot(t, d)
	})
	t.Run("file_passphrase", func(t *testing.T) {
		d := newDriver(t, w, func(o *Options) { o.Store = nil; o.OpenKeyring = noBackends(nil) })
		d.typeText(dcHost)
		d.press("enter")
		d.paste(fakejira.Token)
		d.press("enter")
		d.press("up") // wraps to the last choice: the encrypted file
		d.press("enter")
		d.typeText(passphrase)
		shot(t, d)
	})
	for _, c := range failureCases() {
		t.Run("failure_"+c.name, func(t *testing.T) {
			shot(t, c.run(t, w))
		})
	}
}

func TestNothingPanicsOnOddInput(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	for _, msg := range []tea.Msg{
		tea.PasteMsg{Content: "\x1b[31mhttps://x\n\t"}, keyMsg("enter"), keyMsg("esc"), keyMsg("up"),
		verifiedMsg{id: 99}, savedMsg{id: 99}, storeOpenedMsg{id: 99}, detectedMsg{id: 99}, browserMsg{err: errors.New("no display")},
		tea.WindowSizeMsg{Width: 5, Height: 2},
	} {
		d.send(msg)
	}
	d.m = d.m.SetSize(1, 1)
	_ = d.m.View()
	d.m = d.m.SetSize(0, 0)
	_ = d.m.View()
}

func TestConfigSaveFailureStillSignsIn(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, nil)
	// The user is editing config.toml and it does not parse right now.
	if err := os.WriteFile(d.cfgPath, []byte("default = \"unterminated\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.typeText(dcHost)
	d.press("enter")
	d.paste(fakejira.Token)
	d.press("enter")
	dm, ok := d.done()
	if !ok || dm.Client == nil || dm.Profile != "" {
		t.Fatalf("DoneMsg %+v %v\n%s", dm, ok, d.view())
	}
	flat := strings.Join(strings.Fields(d.view()), " ")
	if !strings.Contains(flat, "Signed in for this session only: the login could not be saved") || !strings.Contains(flat, "config.toml") {
		t.Errorf("done view:\n%s", d.view())
	}
	if _, err := d.store.Get(t.Context(), config.ProfileName("https://"+dcHost, fakejira.Username)); err == nil {
		t.Errorf("token left in the keyring without its profile")
	}
	raw, _ := os.ReadFile(d.cfgPath)
	if string(raw) != "default = \"unterminated\n" {
		t.Errorf("the user's file was replaced: %q", raw)
	}
}

func TestReauthDataCenterShowsUser(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) {
		o.Reauth = true
		o.Prefill = Prefill{URL: "https://" + dcHost, User: fakejira.Username, Flavor: jiraclient.FlavorDataCenter}
	})
	if !strings.Contains(d.view(), "User          "+fakejira.Username) || d.m.focus != account.FieldToken {
		t.Errorf("reauth DC:\n%s", d.view())
	}
}

// The encrypted file keyring for real: chosen on a machine with no system
// keyring, then opened again on the next login with its passphrase.
func TestFileKeyringForReal(t *testing.T) {
	t.Setenv(config.EnvPassphrase, "")
	keyDir := filepath.Join(t.TempDir(), "keyring")
	// No system keyring here, whatever this machine has: only an explicit
	// choice reaches the real OpenKeyring.
	open := func(ctx context.Context, o config.KeyringOptions) (config.Store, error) {
		if o.Backend == "" {
			return nil, &config.NoBackendError{Attempts: []config.Attempt{{Backend: "secret-service", Err: errors.New("no D-Bus session bus")}}}
		}
		return config.OpenKeyring(ctx, o)
	}
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) {
		o.Store = nil
		o.OpenKeyring = open
		o.Config.Keyring.FileDir = keyDir
	})
	d.typeText(dcHost)
	d.press("enter")
	d.paste(fakejira.Token)
	d.press("enter")
	d.press("up") // the encrypted file
	d.press("enter")
	d.typeText(passphrase)
	d.press("enter")
	dm, ok := d.done()
	if !ok || dm.Store == nil || dm.Store.Backend() != "file" {
		t.Fatalf("first login: %+v %v\n%s", dm, ok, d.view())
	}

	// Next start: the config remembers "file"; the token expired, so the
	// re-login asks for the passphrase in its own field.
	cfg, err := config.Load(d.cfgPath)
	if err != nil || cfg.Keyring.Backend != "file" {
		t.Fatalf("config: %+v %v", cfg, err)
	}
	d2 := newDriver(t, w, func(o *Options) {
		o.Config = cfg
		o.ConfigPath = d.cfgPath
		o.Store = nil
		o.OpenKeyring = open
		o.Reauth = true
		o.Prefill = Prefill{URL: "https://" + dcHost, User: fakejira.Username, Flavor: jiraclient.FlavorDataCenter}
	})
	d2.paste(fakejira.Token)
	d2.press("enter")
	if d2.m.st != statePassphrase {
		t.Fatalf("state %v, want the passphrase field\n%s", d2.m.st, d2.view())
	}
	d2.typeText("not the passphrase")
	d2.press("enter")
	if d2.m.st != statePassphrase || !strings.Contains(d2.view(), "does not open the file keyring") {
		t.Fatalf("wrong passphrase: %v\n%s", d2.m.st, d2.view())
	}
	d2.typeText(passphrase)
	d2.press("enter")
	dm2, ok := d2.done()
	if !ok || dm2.Profile != dm.Profile {
		t.Fatalf("second login: %+v %v\n%s", dm2, ok, d2.view())
	}
	tok, err := dm2.Store.Get(t.Context(), dm2.Profile)
	if err != nil || !strings.HasSuffix(tok, "\n"+fakejira.Token) {
		t.Errorf("token read back: %v", err)
	}
	// Encrypted at rest.
	entries, _ := os.ReadDir(keyDir)
	if len(entries) == 0 {
		t.Fatal("nothing in the keyring directory")
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(keyDir, e.Name()))
		if strings.Contains(string(b), fakejira.Token) {
			t.Errorf("%s holds the token in clear", e.Name())
		}
	}
}

// `jiffy login --url U --email E`: Init detects the prefilled site and the
// cursor waits in the token field.
func TestPrefilledURLDetectedByInit(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) {
		o.Prefill = Prefill{URL: cloudHost + "/browse/X-1", Email: fakejira.Email}
	})
	if d.m.focus != account.FieldURL {
		t.Fatalf("focus %v before Init", d.m.focus)
	}
	d.run(d.m.Init())
	if d.m.site.Flavor != jiraclient.FlavorCloud || d.m.focus != account.FieldToken || d.m.url.Value() != "https://"+cloudHost {
		t.Fatalf("after Init: flavor %v focus %v url %q", d.m.site.Flavor, d.m.focus, d.m.url.Value())
	}
	d.paste(cloudToken)
	d.press("enter")
	if _, ok := d.done(); !ok {
		t.Fatalf("no DoneMsg:\n%s", d.view())
	}

	// An answer for a URL the user has since edited is dropped.
	d = newDriver(t, w, func(o *Options) { o.Prefill = Prefill{URL: cloudHost} })
	init := d.m.Init()
	d.typeText(".evil")
	d.run(init)
	if d.m.site.Flavor != jiraclient.FlavorUnknown {
		t.Errorf("a stale background detection applied")
	}
	// And a failure shows under the URL.
	d = newDriver(t, w, func(o *Options) { o.Prefill = Prefill{URL: downHost} })
	d.run(d.m.Init())
	if d.m.err == nil || d.m.err.Field != account.FieldURL {
		t.Errorf("background failure: %v", d.m.err)
	}
}

// unlockWorld stores a Data Center login in a real file keyring and returns
// a config that remembers it, as the next start finds it.
func unlockWorld(t *testing.T, w *world) (*config.Config, string, func(context.Context, config.KeyringOptions) (config.Store, error)) {
	t.Helper()
	t.Setenv(config.EnvPassphrase, "")
	dir := t.TempDir()
	cfg := &config.Config{Keyring: config.KeyringSettings{Backend: "file", FileDir: filepath.Join(dir, "keyring")}}
	cfgPath := filepath.Join(dir, "config.toml")
	store, err := config.OpenKeyring(t.Context(), config.KeyringOptions{Backend: "file", FileDir: cfg.Keyring.FileDir,
		Passphrase: func() (string, error) { return passphrase, nil }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := account.Verify(t.Context(), account.VerifyInput{URL: "https://" + dcHost, Token: fakejira.Token, HTTPClient: w.hc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := account.Save(t.Context(), cfg, cfgPath, store, res, fakejira.Token,
		account.WithGetenv(func(string) string { return "" }), account.WithStateDir(filepath.Join(dir, "state"))); err != nil {
		t.Fatal(err)
	}
	return cfg, cfgPath, config.OpenKeyring
}

func TestUnlockStoredLogin(t *testing.T) {
	w := newWorld(t)
	cfg, cfgPath, open := unlockWorld(t, w)
	d := newDriver(t, w, func(o *Options) {
		o.Config, o.ConfigPath, o.Store, o.OpenKeyring = cfg, cfgPath, nil, open
	})
	if d.m.st != statePassphrase || !d.m.unlock {
		t.Fatalf("state %v unlock %v\n%s", d.m.st, d.m.unlock, d.view())
	}
	golden.RequireEqual(t, d.view())
	d.typeText("not it")
	d.press("enter")
	if d.m.st != statePassphrase || !strings.Contains(d.view(), "does not open the file keyring") {
		t.Fatalf("wrong passphrase: %v\n%s", d.m.st, d.view())
	}
	d.typeText(passphrase)
	d.press("enter")
	dm, ok := d.done()
	if !ok || dm.Me.Name != fakejira.Username || dm.Profile != cfg.Default || dm.Store == nil {
		t.Fatalf("DoneMsg %+v %v\n%s", dm, ok, d.view())
	}
}

func TestUnlockedTokenExpiredSignsInAgain(t *testing.T) {
	w := newWorld(t)
	cfg, cfgPath, open := unlockWorld(t, w)
	w.dc.SetToken("rotated-token-2")
	d := newDriver(t, w, func(o *Options) {
		o.Config, o.ConfigPath, o.Store, o.OpenKeyring = cfg, cfgPath, nil, open
	})
	d.typeText(passphrase)
	d.press("enter")
	if d.m.st != stateForm || d.m.err == nil || d.m.err.Field != account.FieldToken || d.m.focus != account.FieldToken {
		t.Fatalf("state %v err %v focus %v\n%s", d.m.st, d.m.err, d.m.focus, d.view())
	}
	d.paste("rotated-token-2")
	d.press("enter")
	dm, ok := d.done()
	if !ok || dm.Store == nil || dm.Store.Backend() != "file" {
		t.Fatalf("DoneMsg %+v %v\n%s", dm, ok, d.view())
	}
	if tok, err := dm.Store.Get(t.Context(), dm.Profile); err != nil || !strings.HasSuffix(tok, "\n"+"rotated-token-2") {
		t.Errorf("new token not in the file keyring: %v", err)
	}
}

func TestUnlockEscSignsInWithToken(t *testing.T) {
	w := newWorld(t)
	cfg, cfgPath, open := unlockWorld(t, w)
	d := newDriver(t, w, func(o *Options) {
		o.Config, o.ConfigPath, o.Store, o.OpenKeyring = cfg, cfgPath, nil, open
	})
	d.press("esc")
	if d.m.st != stateForm || d.m.unlock || d.m.focus != account.FieldToken || d.m.url.Value() != "https://"+dcHost {
		t.Fatalf("state %v unlock %v focus %v url %q", d.m.st, d.m.unlock, d.m.focus, d.m.url.Value())
	}
	// Not offered after a logout (no token stored) or with a store at hand.
	cfg.Profiles[cfg.Default].TokenStoredAt = time.Time{}
	d = newDriver(t, w, func(o *Options) { o.Config, o.Store, o.OpenKeyring = cfg, nil, open })
	if d.m.unlock {
		t.Errorf("unlock offered with no token stored")
	}
}

// TestForProfileSavesUnderItsName: the login the profile picker opens for
// a profile with no token says which profile, esc goes back, and the
// login is stored under that profile's name (its keyring item), leaving
// the default profile as it was.
func TestForProfileSavesUnderItsName(t *testing.T) {
	w := newWorld(t)
	d := newDriver(t, w, func(o *Options) {
		o.ForProfile = "beta"
		o.Config.SetProfile("alpha", &config.Profile{URL: "https://alpha.example.com"}, true)
		o.Prefill = Prefill{URL: "https://" + cloudHost, Email: fakejira.Email, Flavor: jiraclient.FlavorCloud}
	})
	if !strings.Contains(d.view(), "Sign in to profile beta — esc goes back") {
		t.Errorf("title:\n%s", d.view())
	}
	d.press("esc")
	if len(d.out) != 1 || d.out[0] != (CancelMsg{}) {
		t.Fatalf("esc: %v", d.out)
	}
	d.out = nil
	d.paste(cloudToken)
	d.press("enter")
	dm, ok := d.done()
	if !ok {
		t.Fatalf("no DoneMsg:\n%s", d.view())
	}
	if dm.Profile != "beta" || d.m.o.Config.Default != "alpha" {
		t.Fatalf("saved as %q, default %q", dm.Profile, d.m.o.Config.Default)
	}
	if tok, err := d.store.Get(t.Context(), "beta"); err != nil || !strings.HasSuffix(tok, "\n"+cloudToken) {
		t.Errorf("token not stored under beta: %v", err)
	}
}
