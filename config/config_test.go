package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func sampleConfig() *Config {
	c := &Config{Keyring: KeyringSettings{Backend: "keyctl"}}
	c.SetProfile("acme.atlassian.net", &Profile{
		URL:           "https://acme.atlassian.net",
		Flavor:        FlavorCloud,
		Email:         "ada@acme.test",
		DefaultJQL:    "assignee = currentUser() ORDER BY updated DESC",
		Queries:       []Query{{Name: "Mine", JQL: "assignee = currentUser()"}, {Name: "Bugs", JQL: `type = Bug AND text ~ "crash \"now\""`}},
		Throttle:      Throttle{ReadRPS: 8.5, WriteRPS: 2, MaxInFlight: 4, TimeoutSeconds: 20},
		TokenStoredAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}, false)
	c.SetProfile("jira.corp.com-ada", &Profile{
		URL:      "https://jira.corp.com/jira",
		Flavor:   FlavorDataCenter,
		Username: "ada",
		CACert:   "/etc/ssl/corp.pem",
	}, false)
	return c
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	want := sampleConfig()
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Warnings) != 0 {
		t.Errorf("warnings on a file jiffy wrote: %v", got.Warnings)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the config:\n got %#v\nwant %#v", got, want)
	}
	data, _ := os.ReadFile(path)
	// Zero values are left out, so a hand-read file stays short.
	for _, absent := range []string{"api_base", "file_dir", "email = \"\""} {
		if strings.Contains(string(data), absent) {
			t.Errorf("saved file contains %q:\n%s", absent, data)
		}
	}
}

func TestSaveModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jiffy")
	path := filepath.Join(dir, "config.toml")
	// A pre-existing world-readable file is tightened by the save.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("default = \"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := sampleConfig().Save(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Mode().Perm(); m != 0o600 {
		t.Errorf("config mode %o, want 600", m)
	}
	newDir := filepath.Join(t.TempDir(), "a", "b")
	if err := sampleConfig().Save(filepath.Join(newDir, "config.toml")); err != nil {
		t.Fatal(err)
	}
	st, err = os.Stat(newDir)
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Mode().Perm(); m != 0o700 {
		t.Errorf("new dir mode %o, want 700", m)
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestSaveLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	c := sampleConfig()
	for i := 0; i < 5; i++ {
		c.Default = c.ProfileNames()[i%2]
		if err := c.Save(path); err != nil {
			t.Fatal(err)
		}
	}
	if got := listDir(t, dir); !reflect.DeepEqual(got, []string{"config.toml"}) {
		t.Errorf("dir holds %v after saves, want only config.toml", got)
	}
}

// A crash between writing the temp file and the rename must leave the old
// file intact and no temp file behind.
func TestAtomicWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	old := []byte("default = \"old\"\n")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	crash := errors.New("simulated crash")
	var sawTemp string
	err := writeFileAtomic(path, []byte("default = \"new\"\n"), func(tmp string) error {
		sawTemp = tmp
		data, err := os.ReadFile(tmp)
		if err != nil || string(data) != "default = \"new\"\n" {
			t.Errorf("temp file not complete before rename: %q %v", data, err)
		}
		return crash
	})
	if !errors.Is(err, crash) {
		t.Fatalf("err = %v, want the simulated crash", err)
	}
	if filepath.Dir(sawTemp) != dir {
		t.Errorf("temp file %s not in the target's directory (rename would not be atomic)", sawTemp)
	}
	got, _ := os.ReadFile(path)
	if string(got) != string(old) {
		t.Errorf("old file changed to %q", got)
	}
	if names := listDir(t, dir); !reflect.DeepEqual(names, []string{"config.toml"}) {
		t.Errorf("dir holds %v, want only config.toml", names)
	}
}

func TestLoadMissingIsEmpty(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if c == nil || len(c.Profiles) != 0 || c.Default != "" {
		t.Errorf("got %#v, want empty config", c)
	}
}

func TestMalformedFile(t *testing.T) {
	cases := []struct {
		name, body string
		line, col  int
		msg        string
	}{
		{"syntax", "default = \"a\"\n\n[profiles.a]\nurl = \"https://a.atlassian.net\"\nflavor = cloud\n", 5, 10, "expected value"},
		{"unterminated", "[profiles.a]\nurl = \"https://a\n", 2, 0, "newline"},
		{"profiles not a table", "profiles = 3\n", 1, 0, "profiles must be tables"},
		{"type", "[profiles.a]\nurl = 5\n", 2, 0, "profiles.a.url: incompatible types"},
		{"bad backend", "[keyring]\nbackend = \"gnome\"\n", 2, 0, "keyring.backend = \"gnome\""},
		{"no url", "default = \"a\"\n\n[profiles.\"a\"]\nemail = \"a@b.c\"\n", 3, 0, "profile \"a\" has no url"},
		{"bad flavor", "[profiles.a]\nurl = \"https://a.atlassian.net\"\nflavor = \"server2\"\n", 3, 0, "flavor = \"server2\""},
		{"bad url", "[profiles.a]\nurl = \"https://ada:pw@a.atlassian.net\"\n", 2, 0, "must not contain a user name or password"},
		{"negative throttle", "[profiles.a]\nurl = \"https://a.test\"\n[profiles.a.throttle]\nread_rps = -1.0\n", 3, 0, "must not be negative"},
		{"timeout overflow", "[profiles.a]\nurl = \"https://a.test\"\n[profiles.a.throttle]\ntimeout_seconds = 9223372037\n", 4, 0, "timeout_seconds = 9223372037 is more than 3600"},
		{"rps infinite", "[profiles.a]\nurl = \"https://a.test\"\n[profiles.a.throttle]\nread_rps = inf\n", 4, 0, "read_rps = +Inf is out of range"},
		{"rps nan", "[profiles.a]\nurl = \"https://a.test\"\n[profiles.a.throttle]\nwrite_rps = nan\n", 4, 0, "write_rps = NaN is out of range"},
		{"in flight", "[profiles.a]\nurl = \"https://a.test\"\n[profiles.a.throttle]\nmax_in_flight = 100000\n", 4, 0, "max_in_flight = 100000 is more than 100"},
		{"empty query", "[profiles.a]\nurl = \"https://a.test\"\n[[profiles.a.queries]]\nname = \"x\"\n", 3, 0, "query 1 (\"x\") has no jql"},
		{"default missing", "default = \"b\"\n[profiles.a]\nurl = \"https://a.atlassian.net\"\n", 1, 0, "default = \"b\" names no profile; known profiles: a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want *ParseError", err, err)
			}
			if tc.line > 0 && pe.Line != tc.line {
				t.Errorf("line %d, want %d (%v)", pe.Line, tc.line, err)
			}
			if tc.col > 0 && pe.Column != tc.col {
				t.Errorf("column %d, want %d (%v)", pe.Column, tc.col, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.msg) || !strings.Contains(msg, "fix or move the file; jiffy will not overwrite it") {
				t.Errorf("message %q lacks %q or the advice", msg, tc.msg)
			}
			if strings.Contains(msg, "ada:pw") {
				t.Errorf("message shows the URL's password: %q", msg)
			}
			if tc.line > 0 && !strings.HasPrefix(msg, path+":"+strconv.Itoa(tc.line)+":") {
				t.Errorf("message %q does not start with file:line:col", msg)
			}

			// Never overwritten.
			if err := sampleConfig().Save(path); !errors.As(err, &pe) {
				t.Errorf("Save over a malformed file: err = %v, want *ParseError", err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tc.body {
				t.Errorf("malformed file was changed to %q", got)
			}
		})
	}
}

func TestParseErrorFormat(t *testing.T) {
	e := &ParseError{Path: "config.toml", Line: 12, Column: 5, Msg: "expected value"}
	want := "config.toml:12:5: expected value — fix or move the file; jiffy will not overwrite it"
	if e.Error() != want {
		t.Errorf("got %q\nwant %q", e.Error(), want)
	}
	e = &ParseError{Path: "config.toml", Msg: "m"}
	if got := e.Error(); !strings.HasPrefix(got, "config.toml: m —") {
		t.Errorf("no-position form %q", got)
	}
}

func TestLoadWarnings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[profiles.a]\nurl = \"https://a.atlassian.net\"\napi_token = \"SEKRIT-123\"\ncolour = \"red\"\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(c.Warnings, "\n")
	if !strings.Contains(all, path+":3: SECRET IN THE CONFIG FILE: \"profiles.a.api_token\"") || !strings.Contains(all, "never reads secrets") ||
		!strings.Contains(all, "Move it to the keyring: jiffy login --url https://a.atlassian.net --with-token < token-file") {
		t.Errorf("no token warning with file:line and the command in %q", all)
	}
	if !strings.Contains(all, path+":4: unknown key \"profiles.a.colour\"") {
		t.Errorf("no unknown-key warning in %q", all)
	}
	if strings.Contains(all, "SEKRIT") {
		t.Errorf("warning echoes the secret value: %q", all)
	}
	// Saving drops the token key rather than carrying it forward.
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "SEKRIT") {
		t.Errorf("saved file still has the token:\n%s", data)
	}
}

func TestProfileSelection(t *testing.T) {
	one := &Config{}
	one.Profiles = map[string]*Profile{"only": {URL: "https://o.atlassian.net"}}
	if n, p, err := one.Profile(""); err != nil || n != "only" || p.URL != "https://o.atlassian.net" {
		t.Errorf("single profile: %q %v %v", n, p, err)
	}

	two := sampleConfig()
	two.Default = ""
	_, _, err := two.Profile("")
	if err == nil || !strings.Contains(err.Error(), "acme.atlassian.net, jira.corp.com-ada") || !strings.Contains(err.Error(), "--profile") {
		t.Errorf("ambiguous: %v", err)
	}
	two.Default = "jira.corp.com-ada"
	if n, _, err := two.Profile(""); err != nil || n != "jira.corp.com-ada" {
		t.Errorf("default: %q %v", n, err)
	}
	if n, _, err := two.Profile("acme.atlassian.net"); err != nil || n != "acme.atlassian.net" {
		t.Errorf("named: %q %v", n, err)
	}
	_, _, err = two.Profile("nope")
	if !errors.Is(err, ErrUnknownProfile) || !strings.Contains(err.Error(), `"nope"; known profiles: acme.atlassian.net, jira.corp.com-ada`) {
		t.Errorf("unknown: %v", err)
	}
	_, _, err = (&Config{}).Profile("")
	if !errors.Is(err, ErrNoProfiles) {
		t.Errorf("empty: %v", err)
	}
	var nilCfg *Config
	if _, _, err := nilCfg.Profile(""); !errors.Is(err, ErrNoProfiles) {
		t.Errorf("nil config: %v", err)
	}
}

func TestSetAndRemoveProfile(t *testing.T) {
	c := &Config{}
	c.SetProfile("a", &Profile{URL: "https://a.test"}, false)
	if c.Default != "a" {
		t.Errorf("first profile should become default, got %q", c.Default)
	}
	c.SetProfile("b", &Profile{URL: "https://b.test"}, false)
	if c.Default != "a" {
		t.Errorf("default moved to %q without makeDefault", c.Default)
	}
	c.SetProfile("b", &Profile{URL: "https://b.test"}, true)
	if c.Default != "b" {
		t.Errorf("makeDefault ignored: %q", c.Default)
	}
	if got := c.UniqueProfileName("a"); got != "a-2" {
		t.Errorf("UniqueProfileName = %q", got)
	}
	if got := c.UniqueProfileName("c"); got != "c" {
		t.Errorf("UniqueProfileName free = %q", got)
	}
	c.RemoveProfile("b")
	if c.Default != "a" {
		t.Errorf("after removing the default, default = %q, want the only one left", c.Default)
	}
}

func TestProfileName(t *testing.T) {
	cases := []struct{ url, user, want string }{
		{"https://acme.atlassian.net", "", "acme.atlassian.net"},
		{"https://ACME.atlassian.net/", "ada@acme.com", "acme.atlassian.net-ada"},
		{"https://jira.corp.com", "ada", "jira.corp.com-ada"},
		{"https://jira.corp.com:8443/jira/", "Ada Lovelace", "jira.corp.com-8443-jira-ada-lovelace"},
		{"http://localhost:8080", "", "localhost-8080"},
		{"jira.corp.com", "../etc", "jira.corp.com-etc"},
		{"", "", "jira"},
	}
	for _, tc := range cases {
		if got := ProfileName(tc.url, tc.user); got != tc.want {
			t.Errorf("ProfileName(%q, %q) = %q, want %q", tc.url, tc.user, got, tc.want)
		}
	}
}

func TestTokenAge(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	p := &Profile{}
	if _, ok := p.TokenAge(now); ok || p.NeedsRotation(now) {
		t.Error("unknown age must not ask for rotation")
	}
	p.TokenStoredAt = now.Add(-89 * 24 * time.Hour)
	if age, ok := p.TokenAge(now); !ok || age != 89*24*time.Hour || p.NeedsRotation(now) {
		t.Errorf("89 days: %v %v %v", age, ok, p.NeedsRotation(now))
	}
	p.TokenStoredAt = now.Add(-90 * 24 * time.Hour)
	if !p.NeedsRotation(now) {
		t.Error("90 days should need rotation")
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("JIFFY_CONFIG", "/x/y.toml")
	if p, err := DefaultPath(); err != nil || p != "/x/y.toml" {
		t.Errorf("%q %v", p, err)
	}
	t.Setenv("JIFFY_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	if p, err := DefaultPath(); err != nil || p != filepath.Join("/cfg", "jiffy", "config.toml") {
		t.Errorf("%q %v", p, err)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte("default = \"a\"\n[profiles.a]\nurl = \"https://a.atlassian.net\"\n[[profiles.a.queries]]\nname = \"x\"\njql = \"y\"\n"))
	f.Add([]byte("[keyring]\nbackend = \"file\"\n"))
	f.Add([]byte("= \n[[["))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("non-ParseError %T: %v", err, err)
			}
			return
		}
		// Whatever loads must save and load back the same.
		out := filepath.Join(dir, "out.toml")
		if err := c.Save(out); err != nil {
			t.Fatalf("save of a loaded config: %v", err)
		}
		c2, err := Load(out)
		if err != nil {
			t.Fatalf("reload: %v", err)
		}
		c.Warnings, c2.Warnings = nil, nil
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("round trip differs:\n%#v\n%#v", c, c2)
		}
	})
}

// A config kept in a dotfiles repo is a symlink; saving must write through
// it, not replace the link with a regular file.
func TestSaveFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "jiffy.toml")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("default = \"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	if err := sampleConfig().Save(link); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced: %v %v", fi.Mode(), err)
	}
	c, err := Load(real)
	if err != nil || c.Profiles["acme.atlassian.net"] == nil {
		t.Fatalf("target not written: %v %#v", err, c)
	}
}

func TestSaveRejectsInvalidConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	c := &Config{}
	c.SetProfile("x", &Profile{URL: "not a url"}, true)
	err := c.Save(path)
	if err == nil || !strings.Contains(err.Error(), "not saving settings") || strings.Contains(err.Error(), "fix or move the file") {
		t.Fatalf("err = %v", err)
	}
	if _, serr := os.Stat(path); serr == nil {
		t.Error("invalid config was written")
	}
}

func BenchmarkConfigSaveLoad(b *testing.B) {
	path := filepath.Join(b.TempDir(), "config.toml")
	c := sampleConfig()
	for i := 0; i < b.N; i++ {
		if err := c.Save(path); err != nil {
			b.Fatal(err)
		}
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

// hide_fields is a profile key: it loads without a warning, and an unknown
// key beside it is still named with its file:line.
func TestHideFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[profiles.a]\nurl = \"https://a.atlassian.net\"\nhide_fields = [\"Rank\", \"customfield_10057\"]\nhide_feilds = [\"Team\"]\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Profiles["a"].HideFields; len(got) != 2 || got[0] != "Rank" || got[1] != "customfield_10057" {
		t.Errorf("hide_fields = %q", got)
	}
	all := strings.Join(c.Warnings, "\n")
	if strings.Contains(all, "\"profiles.a.hide_fields\"") {
		t.Errorf("hide_fields warned about: %q", all)
	}
	if !strings.Contains(all, path+":4: unknown key \"profiles.a.hide_feilds\"") {
		t.Errorf("no file:line warning for the misspelt key in %q", all)
	}
}

// columns is a profile key: the list's columns load in order, with no
// warning.
func TestColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[profiles.a]\nurl = \"https://a.atlassian.net\"\ncolumns = [\"key\", \"status\", \"Story point estimate\", \"Sprint\", \"fixVersions\", \"duedate\", \"summary\"]\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Profiles["a"].Columns; len(got) != 7 || got[2] != "Story point estimate" || got[6] != "summary" {
		t.Errorf("columns = %q", got)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings: %q", c.Warnings)
	}
}
