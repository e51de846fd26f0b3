package config

import (
	"context"
	"errors"
	"fmt"
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
	if err := s.Set(ctx, "acme.atlassian.net", "cloud-tok"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "jira.corp.com-ada", "dc-pat"); err != nil {
		t.Fatal(err)
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
	if tok, _ := s.Get(context.Background(), "a"); tok != "tok" {
		t.Errorf("stored %q", tok)
	}
	// A failed store must not pretend the token is fresh.
	p2 := &Profile{}
	if err := StoreToken(context.Background(), s, "a", p2, " ", now); err == nil || !p2.TokenStoredAt.IsZero() {
		t.Errorf("blank token: err=%v stamped=%v", err, p2.TokenStoredAt)
	}
}
