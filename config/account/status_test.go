package account

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/config"
)

func TestStatusWithoutKeyring(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	if _, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := Status(ctx(t), &out, e.cfg, nil, "", e.opts(t0, noEnv)...)
	if !errors.Is(err, ErrStatusProblem) || !strings.Contains(out.String(), "no keyring could be opened") ||
		!strings.Contains(out.String(), config.EnvPassphrase) {
		t.Errorf("%v\n%s", err, out.String())
	}
}

// The environment's login is the one in use: status names its site and
// flavour, and a keyring that does not open is one line per stored login,
// not a failure of the run.
func TestStatusEnvironmentSiteAndNoKeyring(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	e.cfg.SetProfile("other", &config.Profile{URL: "https://other.atlassian.net", Flavor: "cloud", Email: "x@example.com"}, true)
	vars := map[string]string{config.EnvURL: s.URL(), config.EnvToken: cloudToken, config.EnvEmail: testEmail}
	storeErr := errors.New("no keyring could store the Jira token:\n  - secret-service: no D-Bus\n    fix: install one")
	var out bytes.Buffer
	err := Status(ctx(t), &out, e.cfg, nil, "", append(e.opts(t0, func(k string) string { return vars[k] }), WithStoreError(storeErr))...)
	if err != nil {
		t.Fatalf("Status with working env credentials: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{"Site: " + s.URL() + " (Jira Cloud) as " + testEmail,
		"Keyring: no keyring could store the Jira token:; secret-service: no D-Bus; fix: install one"} {
		if !strings.Contains(got, want) {
			t.Errorf("status does not say %q:\n%s", want, got)
		}
	}
}

// Only the login jiffy would use decides the exit status: a logged-out
// profile that is not the default is reported, not a failure.
func TestStatusOtherProfileLoggedOut(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	saved, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatal(err)
	}
	e.cfg.SetProfile("old", &config.Profile{URL: "https://old.atlassian.net", Flavor: "cloud", Email: "x@example.com"}, false)
	var out bytes.Buffer
	if err := Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0, noEnv)...); err != nil {
		t.Errorf("a logged-out non-default profile failed status: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Not logged in: no token in the keyring") {
		t.Errorf("the logged-out profile is not reported:\n%s", out.String())
	}
	// Asked about by name, it is the one in use.
	out.Reset()
	if err := Status(ctx(t), &out, e.cfg, e.store, "old", e.opts(t0, noEnv)...); !errors.Is(err, ErrStatusProblem) {
		t.Errorf("status --profile old: %v", err)
	}
	// An unknown profile is an error naming the known ones.
	if err := Status(ctx(t), &out, e.cfg, e.store, "nope", e.opts(t0, noEnv)...); !errors.Is(err, config.ErrUnknownProfile) || !strings.Contains(err.Error(), saved.Profile) {
		t.Errorf("status --profile nope: %v", err)
	}
}

func TestStatusShowsConfigWarnings(t *testing.T) {
	e := newEnv(t)
	e.cfg.Warnings = []string{"config.toml:3: unknown key \"profiles.a.default_jq\" is ignored"}
	var out bytes.Buffer
	_ = Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0, noEnv)...)
	if !strings.Contains(out.String(), "! config.toml:3: unknown key \"profiles.a.default_jq\" is ignored") {
		t.Errorf("warnings not shown:\n%s", out.String())
	}
}

// A login from a script keeps the default profile; the first one becomes it.
func TestLoginWithTokenKeepsDefault(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	e.cfg.SetProfile("work", &config.Profile{URL: "https://work.atlassian.net", Flavor: "cloud", Email: "x@example.com"}, true)
	_, saved, err := LoginWithToken(ctx(t), strings.NewReader(cloudToken), s.URL(), testEmail, e.cfg, e.cfgPath, e.store, append(e.opts(t0, noEnv), KeepDefault())...)
	if err != nil {
		t.Fatal(err)
	}
	if e.cfg.Default != "work" || saved.Profile == "work" {
		t.Errorf("default = %q after logging in to %q", e.cfg.Default, saved.Profile)
	}
	e2 := newEnv(t)
	if _, saved, err = LoginWithToken(ctx(t), strings.NewReader(cloudToken), s.URL(), testEmail, e2.cfg, e2.cfgPath, e2.store, append(e2.opts(t0, noEnv), KeepDefault())...); err != nil || e2.cfg.Default != saved.Profile {
		t.Errorf("first login is not the default: %q, %v", e2.cfg.Default, err)
	}
}
