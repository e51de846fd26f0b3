package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnv(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		ok      bool
		errHas  string
		basic   bool
		flavor  string
		user    string
		wantTok string
	}{
		{name: "none", env: nil},
		{name: "cloud", env: map[string]string{EnvURL: "https://acme.atlassian.net", EnvToken: "tok\n", EnvEmail: "ada@acme.test"},
			ok: true, basic: true, flavor: FlavorCloud, user: "ada@acme.test", wantTok: "tok"},
		{name: "pat", env: map[string]string{EnvURL: "https://jira.corp.com", EnvToken: "pat"},
			ok: true, flavor: FlavorDataCenter, wantTok: "pat"},
		{name: "url only", env: map[string]string{EnvURL: "https://a.test"}, errHas: "JIRA_URL is set but JIRA_API_TOKEN is not"},
		{name: "token only", env: map[string]string{EnvToken: "t"}, errHas: "JIRA_API_TOKEN is set but JIRA_URL is not"},
		{name: "email only", env: map[string]string{EnvEmail: "a@b.c"}, errHas: "JIRA_URL is not"},
		{name: "email+token", env: map[string]string{EnvEmail: "a@b.c", EnvToken: "t"}, errHas: "JIRA_API_TOKEN and JIRA_EMAIL are set but JIRA_URL is not"},
		{name: "bad url", env: map[string]string{EnvURL: "acme", EnvToken: "t"}, errHas: "JIRA_URL: url \"acme\" is not a web address"},
		{name: "userinfo url", env: map[string]string{EnvURL: "https://ada:s3cret@acme.atlassian.net", EnvToken: "t"}, errHas: "must not contain a user name or password"},
		{name: "blank token", env: map[string]string{EnvURL: "https://a.test", EnvToken: "  "}, errHas: "JIRA_API_TOKEN is not"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ok, err := FromEnv(envMap(tc.env))
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("err = %v, want %q", err, tc.errHas)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error shows the URL's password: %v", err)
				}
				return
			}
			if err != nil || ok != tc.ok {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			if !ok {
				return
			}
			if c.Basic != tc.basic || c.Flavor != tc.flavor || c.User != tc.user || c.Token != tc.wantTok || c.Source != SourceEnv {
				t.Errorf("got %+v", c)
			}
		})
	}
}

func resolveFixture(t *testing.T) (*Config, Store) {
	t.Helper()
	cfg := sampleConfig()
	s := MemoryStore()
	ctx := context.Background()
	for name, tok := range map[string]string{"acme.atlassian.net": "cloud-tok", "jira.corp.com-ada": "dc-pat"} {
		if err := s.Set(ctx, name, bindToken(siteOrigins(cfg.Profiles[name]), tok)); err != nil {
			t.Fatal(err)
		}
	}
	return cfg, s
}

func TestResolvePrecedence(t *testing.T) {
	ctx := context.Background()
	cfg, s := resolveFixture(t)

	// The environment wins even over an explicitly named profile.
	env := envMap(map[string]string{EnvURL: "https://env.atlassian.net", EnvToken: "env-tok", EnvEmail: "e@x.test"})
	c, err := Resolve(ctx, cfg, "jira.corp.com-ada", env, s)
	if err != nil || c.Source != SourceEnv || c.Token != "env-tok" || c.URL != "https://env.atlassian.net" || c.Profile != "" {
		t.Fatalf("env: %+v %v", c, err)
	}
	if c.Where() != "environment (JIRA_API_TOKEN)" {
		t.Errorf("Where = %q", c.Where())
	}
	// A half-set environment is an error, not a silent fall-back.
	if _, err := Resolve(ctx, cfg, "", envMap(map[string]string{EnvURL: "https://x.test"}), s); err == nil {
		t.Fatal("partial env fell back to the keyring")
	}

	// Default profile (Cloud: Basic with the email).
	c, err = Resolve(ctx, cfg, "", nil, s)
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile != "acme.atlassian.net" || !c.Basic || c.User != "ada@acme.test" || c.Token != "cloud-tok" || c.Source != SourceKeyring || c.Backend != "memory" {
		t.Fatalf("default: %+v", c)
	}
	if c.Where() != "keyring (memory)" {
		t.Errorf("Where = %q", c.Where())
	}
	// Named DC profile: Bearer, username informational, CA passed on.
	c, err = Resolve(ctx, cfg, "jira.corp.com-ada", envMap(nil), s)
	if err != nil {
		t.Fatal(err)
	}
	if c.Basic || c.User != "ada" || c.Token != "dc-pat" || c.Flavor != FlavorDataCenter || c.CACert != "/etc/ssl/corp.pem" {
		t.Fatalf("dc: %+v", c)
	}
}

func TestResolveErrors(t *testing.T) {
	ctx := context.Background()
	cfg, s := resolveFixture(t)

	_, err := Resolve(ctx, &Config{}, "", nil, s)
	if !errors.Is(err, ErrNoCredentials) || !strings.Contains(err.Error(), "JIRA_URL") {
		t.Errorf("nothing set up: %v", err)
	}
	_, err = Resolve(ctx, nil, "", nil, s)
	if !errors.Is(err, ErrNoCredentials) {
		t.Errorf("nil config: %v", err)
	}
	_, err = Resolve(ctx, cfg, "nope", nil, s)
	if !errors.Is(err, ErrUnknownProfile) || !strings.Contains(err.Error(), "acme.atlassian.net, jira.corp.com-ada") {
		t.Errorf("unknown profile: %v", err)
	}
	if err := s.Remove(ctx, "acme.atlassian.net"); err != nil {
		t.Fatal(err)
	}
	_, err = Resolve(ctx, cfg, "", nil, s)
	if !errors.Is(err, ErrNoCredentials) || !errors.Is(err, ErrTokenNotFound) || !strings.Contains(err.Error(), `"acme.atlassian.net"`) {
		t.Errorf("missing token: %v", err)
	}
	cfg.Profiles["acme.atlassian.net"].Email = ""
	_, err = Resolve(ctx, cfg, "", nil, s)
	if err == nil || !strings.Contains(err.Error(), "has no email") {
		t.Errorf("cloud without email: %v", err)
	}
	if _, err := Resolve(ctx, cfg, "jira.corp.com-ada", nil, nil); err == nil {
		t.Error("nil store accepted")
	}
}

func TestCredentialsNeverPrintToken(t *testing.T) {
	c := Credentials{Profile: "p", URL: "https://a.atlassian.net", User: "a@b.c", Token: "SUPER-SECRET-TOKEN", Basic: true, Source: SourceKeyring, Backend: "keyctl"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out := fmt.Sprintf(verb, c)
		if strings.Contains(out, "SUPER-SECRET") {
			t.Errorf("%s shows the token: %s", verb, out)
		}
	}
	if got := c.String(); got != "https://a.atlassian.net as a@b.c (API token from keyring (keyctl))" {
		t.Errorf("String = %q", got)
	}
}

func TestStoreToken(t *testing.T) {
	s := MemoryStore()
	p := &Profile{URL: "https://a.atlassian.net"}
	now := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("X", 3600))
	if err := StoreToken(context.Background(), s, "a", p, "tok", now); err != nil {
		t.Fatal(err)
	}
	if !p.TokenStoredAt.Equal(now.Truncate(time.Second)) || p.TokenStoredAt.Location() != time.UTC {
		t.Errorf("TokenStoredAt = %v", p.TokenStoredAt)
	}
	if tok, _ := s.Get(context.Background(), "a"); tok != "jiffy-site https://a.atlassian.net\ntok" {
		t.Errorf("stored %q", tok)
	}
	// A failed store must not pretend the token is fresh.
	p2 := &Profile{}
	if err := StoreToken(context.Background(), s, "a", p2, " ", now); err == nil || !p2.TokenStoredAt.IsZero() {
		t.Errorf("blank token: err=%v stamped=%v", err, p2.TokenStoredAt)
	}
}

// TestTokenBoundToSite: a token is handed out only while the profile
// points at the origins it was stored for; a changed url or api_base
// needs a new login.
func TestTokenBoundToSite(t *testing.T) {
	ctx := context.Background()
	cfg := sampleConfig()
	s := MemoryStore()
	p := cfg.Profiles["acme.atlassian.net"]
	if err := StoreToken(ctx, s, "acme.atlassian.net", p, "s3cr3t-value", time.Now()); err != nil {
		t.Fatal(err)
	}
	if c, err := Resolve(ctx, cfg, "acme.atlassian.net", nil, s); err != nil || c.Token != "s3cr3t-value" {
		t.Fatalf("own site: %+v %v", c, err)
	}
	// Same origin, another path or case: still the site.
	p.URL = "https://ACME.atlassian.net/"
	if _, err := Resolve(ctx, cfg, "acme.atlassian.net", nil, s); err != nil {
		t.Fatalf("same origin: %v", err)
	}
	for _, change := range []func(){
		func() { p.URL = "https://evil.example" },
		func() { p.URL = "https://acme.atlassian.net:8443" },
		func() { p.URL = "https://acme.atlassian.net"; p.APIBase = "https://evil.example/ex/jira/1" },
	} {
		change()
		_, err := Resolve(ctx, cfg, "acme.atlassian.net", nil, s)
		var sc *SiteChangedError
		if !errors.As(err, &sc) || !strings.Contains(err.Error(), "log in again") || strings.Contains(err.Error(), "s3cr3t-value") {
			t.Errorf("%s (api %q): %v", p.URL, p.APIBase, err)
		}
	}
}

// TestUnboundTokenNeedsKnownSite: a token stored before binding is used
// only for a URL the site cache has a sign-in for (and is then bound);
// for any other URL a new login is asked for.
func TestUnboundTokenNeedsKnownSite(t *testing.T) {
	ctx := context.Background()
	state := t.TempDir()
	t.Setenv("JIFFY_STATE_DIR", state)
	cfg := sampleConfig()
	s := MemoryStore()
	name := "acme.atlassian.net"
	if err := s.Set(ctx, name, "legacy-tok"); err != nil {
		t.Fatal(err)
	}
	_, err := Resolve(ctx, cfg, name, nil, s)
	var sc *SiteChangedError
	if !errors.As(err, &sc) || sc.StoredFor != "" {
		t.Fatalf("unknown site: %v", err)
	}
	sites, _ := LoadSiteCache(state)
	sites.Put("https://acme.atlassian.net", "ada@acme.test", SiteInfo{Flavor: FlavorCloud})
	if err := sites.Save(); err != nil {
		t.Fatal(err)
	}
	c, err := Resolve(ctx, cfg, name, nil, s)
	if err != nil || c.Token != "legacy-tok" {
		t.Fatalf("known site: %+v %v", c, err)
	}
	if raw, _ := s.Get(ctx, name); raw != "jiffy-site https://acme.atlassian.net\nlegacy-tok" {
		t.Errorf("not bound after use: %q", raw)
	}
	cfg.Profiles[name].URL = "https://evil.example"
	if _, err := Resolve(ctx, cfg, name, nil, s); !errors.As(err, &sc) {
		t.Errorf("bound, then moved: %v", err)
	}
}

// TestInsecureConfigRefusesStoredToken: a config file or folder others
// can write is warned about and its profiles' stored tokens are not
// handed out; the environment still works; a sticky folder is fine.
func TestInsecureConfigRefusesStoredToken(t *testing.T) {
	ctx := context.Background()
	s := MemoryStore()
	for name, p := range sampleConfig().Profiles {
		if err := StoreToken(ctx, s, name, p, "tok-"+name, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name      string
		file, dir os.FileMode
		sticky    bool
		refused   bool
	}{
		{"private", 0o600, 0o700, false, false},
		{"readable", 0o644, 0o755, false, false},
		{"file 0666", 0o666, 0o700, false, true},
		{"file 0620", 0o620, 0o700, false, true},
		{"folder 0777", 0o600, 0o777, false, true},
		{"sticky folder", 0o600, 0o777, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "jiffy")
			path := filepath.Join(dir, "config.toml")
			if err := sampleConfig().Save(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.file); err != nil {
				t.Fatal(err)
			}
			dm := tc.dir
			if tc.sticky {
				dm |= os.ModeSticky
			}
			if err := os.Chmod(dir, dm); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Resolve(ctx, cfg, "", nil, s)
			var ie *InsecureConfigError
			if got := errors.As(err, &ie); got != tc.refused {
				t.Fatalf("refused %v, want %v (%v)", got, tc.refused, err)
			}
			warned := false
			for _, w := range cfg.Warnings {
				warned = warned || strings.Contains(w, "can be written by other users")
			}
			if warned != tc.refused {
				t.Errorf("warned %v: %q", warned, cfg.Warnings)
			}
			if tc.refused {
				env := envMap(map[string]string{EnvURL: "https://env.atlassian.net", EnvToken: "env-tok", EnvEmail: "e@x.test"})
				if c, err := Resolve(ctx, cfg, "", env, s); err != nil || c.Token != "env-tok" {
					t.Errorf("environment refused too: %v", err)
				}
			}
		})
	}
}

// TestInsecureSymlinkedConfig: a config.toml that is a link into a folder
// others can write is refused like the folder itself.
func TestInsecureSymlinkedConfig(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "shared")
	home := filepath.Join(root, "home")
	for _, d := range []string{shared, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	real := filepath.Join(shared, "config.toml")
	if err := sampleConfig().Save(real); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(home, "config.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(link)
	if err != nil {
		t.Fatal(err)
	}
	var ie *InsecureConfigError
	if _, err := Resolve(context.Background(), cfg, "", nil, MemoryStore()); !errors.As(err, &ie) || ie.Path != shared {
		t.Fatalf("err %v", err)
	}
}
