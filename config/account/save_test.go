package account

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/config"
)

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

type env struct {
	cfg      *config.Config
	cfgPath  string
	stateDir string
	store    config.Store
}

func newEnv(t *testing.T) *env {
	dir := t.TempDir()
	return &env{
		cfg:      &config.Config{},
		cfgPath:  filepath.Join(dir, "config", "config.toml"),
		stateDir: filepath.Join(dir, "state"),
		store:    config.MemoryStore(),
	}
}

func (e *env) opts(now time.Time, getenv func(string) string) []Option {
	return []Option{WithGetenv(getenv), WithNow(func() time.Time { return now }), WithStateDir(e.stateDir)}
}

func verifyCloud(t *testing.T, s *fakeSite) *Result {
	t.Helper()
	res, err := Verify(ctx(t), VerifyInput{URL: s.URL(), Email: testEmail, Token: cloudToken})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSaveStoresTokenInKeyringNotConfig(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	res := verifyCloud(t, s)
	saved, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, res, cloudToken, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	wantName := config.ProfileName(s.URL(), testEmail)
	if saved.Profile != wantName || saved.Backend != "memory" {
		t.Errorf("saved = %+v, want profile %q in memory", saved, wantName)
	}
	tok, err := e.store.Get(ctx(t), wantName)
	if err != nil || tok != "jiffy-site "+s.URL()+"\n"+cloudToken {
		t.Fatalf("keyring has %q, %v", tok, err)
	}
	raw, err := os.ReadFile(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(cloudToken)) || bytes.Contains(raw, []byte("ATATT")) {
		t.Fatalf("config file holds the token:\n%s", raw)
	}
	// What the file says, read back the way jiffy starts.
	cfg, err := config.Load(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	name, p, err := cfg.Profile("")
	if err != nil || name != wantName {
		t.Fatalf("default profile %q, %v", name, err)
	}
	if p.URL != s.URL() || p.Flavor != "cloud" || p.Email != testEmail || p.Username != "" || p.APIBase != "" {
		t.Errorf("profile = %+v", p)
	}
	if !p.TokenStoredAt.Equal(t0) {
		t.Errorf("TokenStoredAt = %v, want %v", p.TokenStoredAt, t0)
	}
	// The site cache remembers the flavour and who this is.
	sc, err := config.LoadSiteCache(e.stateDir)
	if err != nil {
		t.Fatal(err)
	}
	info, ok := sc.Get(s.URL(), testEmail)
	if !ok || info.Flavor != "cloud" || info.AccountID != "5b86be50b8e3cb5895860d6d" || info.DisplayName != "Carlos Treminio" {
		t.Errorf("site cache = %+v, %v", info, ok)
	}
	// And credentials resolve from it.
	creds, err := config.Resolve(ctx(t), cfg, "", noEnv, e.store)
	if err != nil || creds.Token != cloudToken || !creds.Basic || creds.User != testEmail {
		t.Errorf("Resolve = %v, %v", creds, err)
	}
}

func TestSaveDataCenterAndGateway(t *testing.T) {
	dc := newSite(t, "dc", "")
	e := newEnv(t)
	res, err := Verify(ctx(t), VerifyInput{URL: dc.URL(), Token: dcPAT})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, res, dcPAT, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatal(err)
	}
	p := e.cfg.Profiles[saved.Profile]
	if p.Flavor != "datacenter" || p.Username != "admin" || p.Email != "" {
		t.Errorf("dc profile = %+v", p)
	}

	cloud := newSite(t, "cloud", "")
	gw := newGateway(t)
	res, err = Verify(ctx(t), VerifyInput{URL: cloud.URL(), Email: testEmail, Token: scopedToken, GatewayBase: gw.base()})
	if err != nil {
		t.Fatal(err)
	}
	saved2, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, res, scopedToken, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatal(err)
	}
	if e.cfg.Default != saved2.Profile {
		t.Errorf("default = %q, want the newest login %q", e.cfg.Default, saved2.Profile)
	}
	cfg, err := config.Load(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Profiles[saved2.Profile].APIBase; got != gw.base()+cloudID {
		t.Errorf("APIBase saved as %q", got)
	}
	// The gateway profile works when resolved and built again.
	creds, err := config.Resolve(ctx(t), cfg, saved2.Profile, noEnv, e.store)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(creds, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Myself(ctx(t)); err != nil {
		t.Fatalf("gateway profile: %v", err)
	}
}

func TestSaveKeepsQueriesOfExistingProfile(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	name := config.ProfileName(s.URL(), testEmail)
	e.cfg.SetProfile(name, &config.Profile{URL: s.URL(), Email: testEmail, DefaultJQL: "assignee = currentUser()",
		Queries: []config.Query{{Name: "Mine", JQL: "assignee = currentUser()"}}}, true)
	if _, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...); err != nil {
		t.Fatal(err)
	}
	p := e.cfg.Profiles[name]
	if len(p.Queries) != 1 || p.DefaultJQL == "" || p.Flavor != "cloud" {
		t.Errorf("profile = %+v", p)
	}
}

func TestSaveRefusesWhileEnvOverrides(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	getenv := func(k string) string {
		if k == config.EnvToken {
			return "something"
		}
		return ""
	}
	_, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, getenv)...)
	var eo *EnvOverrideError
	if !errors.As(err, &eo) {
		t.Fatalf("err = %v, want *EnvOverrideError", err)
	}
	if !strings.Contains(err.Error(), "JIRA_API_TOKEN is set") || !strings.Contains(err.Error(), "unset JIRA_API_TOKEN") {
		t.Errorf("message = %q", err)
	}
	if _, err := os.Stat(e.cfgPath); !os.IsNotExist(err) {
		t.Errorf("config written while refusing: %v", err)
	}
	if _, err := e.store.Get(ctx(t), config.ProfileName(s.URL(), testEmail)); !errors.Is(err, config.ErrTokenNotFound) {
		t.Errorf("token stored while refusing: %v", err)
	}
}

// failingStore refuses every write, like a locked secret-service.
type failingStore struct{ config.Store }

func (failingStore) Set(context.Context, string, string) error {
	return errors.New("Cannot create an item in a locked collection")
}
func (failingStore) Backend() string { return "secret-service" }

func TestSaveKeyringFailureWritesNothing(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	_, err := Save(ctx(t), e.cfg, e.cfgPath, failingStore{config.MemoryStore()}, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...)
	var se *StoreError
	if !errors.As(err, &se) || se.Backend != "secret-service" {
		t.Fatalf("err = %v, want *StoreError", err)
	}
	if _, err := os.Stat(e.cfgPath); !os.IsNotExist(err) {
		t.Errorf("config written after the keyring failed")
	}
	if len(e.cfg.Profiles) != 0 {
		t.Errorf("profile added in memory: %v", e.cfg.Profiles)
	}
}

func TestSaveConfigFailureRemovesToken(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	// A config file the user is half-way through editing: Save must not
	// replace it, and must not leave the token behind without a profile.
	if err := os.MkdirAll(filepath.Dir(e.cfgPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.cfgPath, []byte("default = \"x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...)
	if err == nil {
		t.Fatal("Save over a broken config succeeded")
	}
	if _, err := e.store.Get(ctx(t), config.ProfileName(s.URL(), testEmail)); !errors.Is(err, config.ErrTokenNotFound) {
		t.Errorf("token left in the keyring: %v", err)
	}
	if len(e.cfg.Profiles) != 0 || e.cfg.Default != "" {
		t.Errorf("in-memory config changed: %+v", e.cfg)
	}
}

func TestSaveWithFileKeyring(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	keyDir := filepath.Join(t.TempDir(), "keyring")
	store, err := config.OpenKeyring(ctx(t), config.KeyringOptions{Backend: "file", FileDir: keyDir,
		Passphrase: func() (string, error) { return "correct horse", nil }})
	if err != nil {
		t.Fatalf("OpenKeyring(file): %v", err)
	}
	e.cfg.Keyring.Backend = "file"
	saved, err := Save(ctx(t), e.cfg, e.cfgPath, store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Backend != "file" {
		t.Errorf("backend = %q", saved.Backend)
	}
	// Another process opening the same file keyring reads the token back.
	again, err := config.OpenKeyring(ctx(t), config.KeyringOptions{Backend: "file", FileDir: keyDir,
		Passphrase: func() (string, error) { return "correct horse", nil }})
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := again.Get(ctx(t), saved.Profile); err != nil || !strings.HasSuffix(tok, "\n"+cloudToken) {
		t.Fatalf("file keyring Get = %.8q…, %v", tok, err)
	}
	// Encrypted at rest: no file holds the token in clear.
	filepath.WalkDir(filepath.Dir(keyDir), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(cloudToken)) {
				t.Errorf("%s holds the token in clear", p)
			}
		}
		return nil
	})
	cfg, err := config.Load(e.cfgPath)
	if err != nil || cfg.Keyring.Backend != "file" {
		t.Errorf("keyring choice not kept: %+v, %v", cfg.Keyring, err)
	}
}

func TestLogout(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	saved, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatal(err)
	}
	name, err := Logout(ctx(t), e.cfg, e.cfgPath, e.store, "")
	if err != nil || name != saved.Profile {
		t.Fatalf("Logout = %q, %v", name, err)
	}
	if _, err := e.store.Get(ctx(t), saved.Profile); !errors.Is(err, config.ErrTokenNotFound) {
		t.Errorf("token still stored: %v", err)
	}
	cfg, err := config.Load(e.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Profiles[saved.Profile]
	if p == nil || p.URL != s.URL() || !p.TokenStoredAt.IsZero() {
		t.Errorf("profile after logout = %+v", p)
	}
	// Logging out twice is fine; an unknown profile is an error naming the known ones.
	if _, err := Logout(ctx(t), e.cfg, e.cfgPath, e.store, ""); err != nil {
		t.Errorf("second logout: %v", err)
	}
	if _, err := Logout(ctx(t), e.cfg, e.cfgPath, e.store, "nope"); err == nil || !strings.Contains(err.Error(), saved.Profile) {
		t.Errorf("unknown profile: %v", err)
	}
}

func TestStatus(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	saved, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0.Add(12*24*time.Hour), noEnv)...); err != nil {
		t.Fatalf("Status: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{saved.Profile + " (default)", s.URL() + " (Jira Cloud) as " + testEmail, "in the keyring (memory), stored 12 days ago", "✓ Logged in as Carlos Treminio"} {
		if !strings.Contains(got, want) {
			t.Errorf("status does not say %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "rotate") {
		t.Errorf("rotation suggested at 12 days:\n%s", got)
	}
	assertNoToken(t, got)

	// 100 days on: still works, rotate.
	out.Reset()
	if err := Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0.Add(100*24*time.Hour), noEnv)...); err != nil {
		t.Fatalf("Status: %v", err)
	}
	if got := out.String(); !strings.Contains(got, "The token is 100 days old: rotate it") || !strings.Contains(got, CloudTokenPage) {
		t.Errorf("no rotation hint:\n%s", got)
	}

	// The token stops working.
	s.setToken(scopedToken)
	out.Reset()
	err = Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0, noEnv)...)
	if !errors.Is(err, ErrStatusProblem) {
		t.Errorf("err = %v, want ErrStatusProblem", err)
	}
	got = out.String()
	if !strings.Contains(got, "X The stored token no longer works: Jira Cloud did not accept this email and API token") ||
		!strings.Contains(got, "jiffy login --url "+s.URL()+" --email "+testEmail) {
		t.Errorf("status after expiry:\n%s", got)
	}
	assertNoToken(t, got)

	// Logged out.
	if _, err := Logout(ctx(t), e.cfg, e.cfgPath, e.store, ""); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0, noEnv)...)
	if !errors.Is(err, ErrStatusProblem) || !strings.Contains(out.String(), "Not logged in: no token in the keyring (memory)") {
		t.Errorf("after logout: %v\n%s", err, out.String())
	}
}

func TestStatusEnvironment(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	vars := map[string]string{config.EnvURL: s.URL(), config.EnvToken: cloudToken, config.EnvEmail: testEmail}
	var out bytes.Buffer
	if err := Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0, func(k string) string { return vars[k] })...); err != nil {
		t.Fatalf("Status: %v\n%s", err, out.String())
	}
	got := out.String()
	if !strings.Contains(got, "Environment (JIRA_URL, JIRA_API_TOKEN, JIRA_EMAIL)") || !strings.Contains(got, "from the environment (JIRA_API_TOKEN)") ||
		!strings.Contains(got, "✓ Logged in as Carlos Treminio") {
		t.Errorf("env status:\n%s", got)
	}
	assertNoToken(t, got)

	delete(vars, config.EnvURL)
	out.Reset()
	if err := Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0, func(k string) string { return vars[k] })...); !errors.Is(err, ErrStatusProblem) {
		t.Errorf("partial env: err = %v", err)
	}
	if !strings.Contains(out.String(), "JIRA_URL is not") {
		t.Errorf("partial env:\n%s", out.String())
	}
}

func TestStatusNothingSetUp(t *testing.T) {
	e := newEnv(t)
	var out bytes.Buffer
	err := Status(ctx(t), &out, e.cfg, e.store, "", e.opts(t0, noEnv)...)
	if !errors.Is(err, ErrStatusProblem) || !strings.Contains(out.String(), "Not logged in to any Jira site") {
		t.Errorf("%v\n%s", err, out.String())
	}
}

func assertNoToken(t *testing.T, s string) {
	t.Helper()
	for _, tok := range []string{cloudToken, scopedToken, dcPAT, cloudToken[:20], "ATATT"} {
		if strings.Contains(s, tok) {
			t.Fatalf("output shows a token (%q…):\n%s", tok[:8], s)
		}
	}
}

func TestLoginWithToken(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	res, saved, err := LoginWithToken(ctx(t), strings.NewReader("\n  "+cloudToken+"  \n"), s.URL()+"/browse/KP-1", testEmail,
		e.cfg, e.cfgPath, e.store, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatalf("LoginWithToken: %v", err)
	}
	if res.Me.DisplayName != "Carlos Treminio" || saved.Profile != e.cfg.Default {
		t.Errorf("res %+v saved %+v", res.Me, saved)
	}
	if tok, _ := e.store.Get(ctx(t), saved.Profile); !strings.HasSuffix(tok, "\n"+cloudToken) {
		t.Errorf("stored token differs")
	}

	// Cloud without --email says which flag to pass.
	_, _, err = LoginWithToken(ctx(t), strings.NewReader(cloudToken), s.URL(), "", e.cfg, e.cfgPath, e.store, e.opts(t0, noEnv)...)
	if FieldOf(err) != FieldEmail || !strings.Contains(err.Error(), "--email") {
		t.Errorf("no email: %v", err)
	}
	// A wrong token is diagnosed and not stored.
	e2 := newEnv(t)
	_, _, err = LoginWithToken(ctx(t), strings.NewReader(wrongToken), s.URL(), testEmail, e2.cfg, e2.cfgPath, e2.store, e2.opts(t0, noEnv)...)
	if FieldOf(err) != FieldToken {
		t.Errorf("wrong token: %v", err)
	}
	if _, statErr := os.Stat(e2.cfgPath); !os.IsNotExist(statErr) {
		t.Errorf("config written for a failed login")
	}
}

func TestLoginWithTokenRefusesUnderEnvBeforeReading(t *testing.T) {
	e := newEnv(t)
	r := &countingReader{}
	_, _, err := LoginWithToken(ctx(t), r, "https://acme.atlassian.net", testEmail, e.cfg, e.cfgPath, e.store,
		e.opts(t0, func(k string) string {
			if k == config.EnvURL || k == config.EnvToken {
				return "x"
			}
			return ""
		})...)
	var eo *EnvOverrideError
	if !errors.As(err, &eo) || len(eo.Vars) != 2 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "JIRA_URL and JIRA_API_TOKEN are set") {
		t.Errorf("message: %v", err)
	}
	if r.n != 0 {
		t.Errorf("stdin read while refusing")
	}
}

type countingReader struct{ n int }

func (c *countingReader) Read(p []byte) (int, error) {
	c.n++
	return 0, errors.New("should not be read")
}

func TestReadToken(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"abc\n", "abc", ""},
		{"\r\n  abc  \r\n\n", "abc", ""},
		{"", "", "no token on standard input"},
		{"  \n\n", "", "no token on standard input"},
		{"abc\ndef\n", "", "more than one line"},
	}
	for _, tt := range tests {
		got, err := ReadToken(strings.NewReader(tt.in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ReadToken(%q) err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ReadToken(%q) = %q, %v", tt.in, got, err)
		}
	}
	if _, err := ReadToken(strings.NewReader(strings.Repeat("x", 100<<10))); err == nil {
		t.Errorf("a 100 KiB line was accepted as a token")
	}
}

func FuzzReadToken(f *testing.F) {
	f.Add("abc\n")
	f.Add("\n\n x \n")
	f.Add("a\nb")
	f.Fuzz(func(t *testing.T, in string) {
		tok, err := ReadToken(strings.NewReader(in))
		if err != nil {
			if strings.Contains(err.Error(), strings.TrimSpace(in)) && len(strings.TrimSpace(in)) > 8 {
				t.Fatalf("error echoes the input: %v", err)
			}
			return
		}
		if tok == "" || tok != strings.TrimSpace(tok) || strings.ContainsAny(tok, "\n") || len(tok) > maxTokenInput {
			t.Fatalf("ReadToken(%q) = %q", in, tok)
		}
		if !strings.Contains(in, tok) {
			t.Fatalf("token %q is not from the input", tok)
		}
	})
}

func TestResume(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	saved, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, e.opts(t0, noEnv)...)
	if err != nil {
		t.Fatal(err)
	}
	res, name, err := Resume(ctx(t), e.cfg, "", e.store, nil)
	if err != nil || name != saved.Profile || res.Me.DisplayName != "Carlos Treminio" || res.Email != testEmail || res.Flavor.String() != "cloud" {
		t.Fatalf("Resume = %+v %q %v", res, name, err)
	}
	s.setToken(scopedToken)
	_, _, err = Resume(ctx(t), e.cfg, "", e.store, nil)
	if FieldOf(err) != FieldToken {
		t.Errorf("expired: %v", err)
	}
	if _, err := Logout(ctx(t), e.cfg, e.cfgPath, e.store, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Resume(ctx(t), e.cfg, "", e.store, nil); !errors.Is(err, config.ErrTokenNotFound) {
		t.Errorf("logged out: %v", err)
	}
}

// TestSaveAsKeepsTheProfileName: a login for a profile the config already
// names (the picker's) is stored under that name, keyring item and table,
// keeping its queries, and leaves the default alone with KeepDefault.
func TestSaveAsKeepsTheProfileName(t *testing.T) {
	s := newSite(t, "cloud", "")
	e := newEnv(t)
	e.cfg.SetProfile("home", &config.Profile{URL: "https://home.example.com"}, true)
	e.cfg.SetProfile("work", &config.Profile{URL: s.URL(), Email: testEmail, Queries: []config.Query{{Name: "Mine", JQL: "assignee = currentUser()"}}}, false)
	saved, err := Save(ctx(t), e.cfg, e.cfgPath, e.store, verifyCloud(t, s), cloudToken, append(e.opts(t0, noEnv), SaveAs("work"), KeepDefault())...)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Profile != "work" || len(e.cfg.Profiles) != 2 || e.cfg.Default != "home" {
		t.Fatalf("saved as %q, profiles %v, default %q", saved.Profile, e.cfg.ProfileNames(), e.cfg.Default)
	}
	if p := e.cfg.Profiles["work"]; len(p.Queries) != 1 || p.Flavor != "cloud" {
		t.Fatalf("work = %+v", p)
	}
	if _, err := e.store.Get(ctx(t), "work"); err != nil {
		t.Fatalf("no keyring item for work: %v", err)
	}
}
