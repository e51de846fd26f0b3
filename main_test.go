package main

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
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/cli"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// site serves a fake Jira on loopback for the length of a test.
func site(t *testing.T, flavor string) (*fakejira.Server, string) {
	t.Helper()
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return srv, url
}

// world is a config file, a keyring and an environment for run.
type world struct {
	dir, cfgPath string
	store        config.Store
	storeErr     error
	vars         map[string]string
	tty          bool // stdin and stdout are terminals
	secret       string
	secretAsked  bool
}

func newWorld(t *testing.T, cfgText string) *world {
	t.Helper()
	w := &world{dir: t.TempDir(), store: config.MemoryStore(), vars: map[string]string{}}
	w.cfgPath = filepath.Join(w.dir, "config.toml")
	if cfgText != "" {
		if err := os.WriteFile(w.cfgPath, []byte(cfgText), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *world) run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if k == "JIFFY_CONFIG" {
				return w.cfgPath
			}
			return w.vars[k]
		},
		OpenStore: func(context.Context, config.KeyringOptions) (config.Store, error) {
			if w.storeErr != nil {
				return nil, w.storeErr
			}
			return w.store, nil
		},
		StateDir: filepath.Join(w.dir, "state"),
		CacheDir: filepath.Join(w.dir, "cache"),
		Terminal: func(any) bool { return w.tty },
		ReadSecret: func() (string, error) {
			w.secretAsked = true
			return w.secret, nil
		},
	}
	code = run(args, env)
	return code, out.String(), errb.String()
}

var errNoKeyring = errors.New("no keyring could store the Jira token:\n  - secret-service: The name org.freedesktop.secrets was not provided by any .service files\n    fix: install a Secret Service\nOther ways:\n  - keep the token in an encrypted file")

// TestCommandLine drives run through the command line's conventions: flags
// and commands in any order, help and version exit 0, anything not
// understood exits 2 with one line naming it, every failure is one line.
func TestCommandLine(t *testing.T) {
	_, url := site(t, "cloud")
	profiles := "default = \"work\"\n[profiles.work]\nurl = \"" + url + "\"\nflavor = \"cloud\"\nemail = \"" + fakejira.Email + "\"\n" +
		"[profiles.old]\nurl = \"https://old.atlassian.net\"\nflavor = \"cloud\"\nemail = \"x@example.com\"\ndefault_jq = \"oops\"\n"
	logged := func(t *testing.T) *world {
		w := newWorld(t, profiles)
		p := &config.Profile{URL: url, Flavor: "cloud", Email: fakejira.Email}
		if err := config.StoreToken(context.Background(), w.store, "work", p, fakejira.Token, time.Now()); err != nil {
			t.Fatal(err)
		}
		return w
	}
	envOnly := func(t *testing.T) *world {
		w := newWorld(t, "")
		w.vars = map[string]string{"JIRA_URL": url, "JIRA_API_TOKEN": fakejira.Token, "JIRA_EMAIL": fakejira.Email}
		w.storeErr = errNoKeyring
		return w
	}
	cases := []struct {
		name  string
		world func(*testing.T) *world
		args  []string
		code  int
		out   []string // substrings of stdout
		err   string   // substring of the one line on stderr ("" = stderr empty)
	}{
		{"--help", nil, []string{"--help"}, 0, []string{"Usage:", "jiffy status"}, ""},
		{"-h", nil, []string{"-h"}, 0, []string{"Usage:"}, ""},
		{"help", nil, []string{"help"}, 0, []string{"Usage:"}, ""},
		{"help status", nil, []string{"help", "status"}, 0, []string{"Usage: jiffy status"}, ""},
		{"status --help", nil, []string{"status", "--help"}, 0, []string{"Usage: jiffy status"}, ""},
		{"--help status", nil, []string{"--help", "status"}, 0, []string{"Usage: jiffy status"}, ""},
		{"--version", nil, []string{"--version"}, 0, []string{"jiffy dev"}, ""},
		{"version", nil, []string{"version"}, 0, []string{"jiffy dev"}, ""},
		{"unknown command", nil, []string{"frobnicate"}, 2, nil, `unknown command "frobnicate"`},
		{"help unknown", nil, []string{"help", "frobnicate"}, 2, nil, `unknown command "frobnicate"`},
		{"--help names KEY|URL", nil, []string{"--help"}, 0, []string{"jiffy [flags] KEY|URL"}, ""},
		{"two issues", nil, []string{"ABC-1", "ABC-2"}, 2, nil, `unexpected argument "ABC-2" after ABC-1`},
		{"an issue into a pipe", nil, []string{"ABC-1"}, 2, nil, "the issue list needs a terminal"},
		{"unknown flag", nil, []string{"--frob"}, 2, nil, `unknown flag "--frob"`},
		{"unknown flag after command", nil, []string{"status", "-x"}, 2, nil, `unknown flag "-x"`},
		{"extra argument", nil, []string{"status", "extra"}, 2, nil, `unexpected argument "extra" after status`},
		{"flag of another command", nil, []string{"status", "--jql", "x"}, 2, nil, "flag --jql is not used by status"},
		{"missing value", nil, []string{"status", "--profile"}, 2, nil, "flag --profile needs a value"},
		{"status --profile nope", logged, []string{"status", "--profile", "nope"}, 2, nil, `unknown profile "nope"; known profiles: old, work`},
		{"--profile nope status", logged, []string{"--profile", "nope", "status"}, 2, nil, `unknown profile "nope"`},
		{"--profile work status", logged, []string{"--profile", "work", "status"}, 0, []string{"work (default)", "Logged in as"}, ""},
		{"--profile=work status", logged, []string{"--profile=work", "status"}, 0, []string{"work (default)"}, ""},
		// Only the login in use decides: "old" is logged out but not the default.
		{"status, other profile logged out", logged, []string{"status"}, 0, []string{"old", "Not logged in: no token", "work (default)", "Logged in as"}, ""},
		{"status of a logged-out profile", logged, []string{"status", "--profile", "old"}, 1, []string{"Not logged in"}, ""},
		// Config warnings, with file:line.
		{"status shows config warnings", logged, []string{"status"}, 0, []string{"config.toml:10: unknown key \"profiles.old.default_jq\" is ignored"}, ""},
		// Environment credentials, no keyring: exit 0, no keyring essay, the site and flavour shown.
		{"status with env credentials", envOnly, []string{"status"}, 0, []string{"Site: " + url + " (Jira Cloud) as " + fakejira.Email, "Logged in as"}, ""},
		{"logout with env credentials", envOnly, []string{"logout"}, 1, nil, "no stored login to remove: the credentials in use come from JIRA_URL, JIRA_API_TOKEN, JIRA_EMAIL; unset them to log out"},
		{"logout --profile nope", func(t *testing.T) *world { w := logged(t); w.storeErr = errNoKeyring; return w }, []string{"logout", "--profile", "nope"}, 2, nil, `unknown profile "nope"`},
		{"logout, keyring closed", func(t *testing.T) *world { w := logged(t); w.storeErr = errNoKeyring; return w }, []string{"logout"}, 1, nil, "cannot remove the token: the keyring did not open (no keyring could store the Jira token:; secret-service"},
		{"logout", logged, []string{"logout", "--profile", "work"}, 0, []string{"Logged out of work"}, ""},
		// The terminal UI needs a terminal.
		{"no terminal", nil, nil, 2, nil, "the issue list needs a terminal (standard input and output are not terminals): for scripts use jiffy list"},
		{"--demo into a pipe", nil, []string{"--demo"}, 2, nil, "needs a terminal"},
		{"login view into a pipe", nil, []string{"login"}, 2, nil, "needs a terminal"},
		{"login --with-token, env set", envOnly, []string{"login", "--url", url, "--with-token"}, 1, nil, "not storing the token: JIRA_URL, JIRA_API_TOKEN and JIRA_EMAIL are set"},
		{"login --with-token without --url", nil, []string{"login", "--with-token"}, 2, nil, "login --with-token needs --url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, "")
			if tc.world != nil {
				w = tc.world(t)
			}
			code, out, errOut := w.run(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			for _, want := range tc.out {
				if !strings.Contains(out, want) {
					t.Errorf("stdout does not say %q:\n%s", want, out)
				}
			}
			switch {
			case tc.err == "" && errOut != "":
				t.Errorf("stderr should be empty:\n%s", errOut)
			case tc.err != "":
				if !strings.HasPrefix(errOut, "jiffy: ") || strings.Count(errOut, "\n") != 1 || !strings.HasSuffix(errOut, "\n") {
					t.Errorf("stderr is not one line starting jiffy: %q", errOut)
				}
				if !strings.Contains(errOut, tc.err) {
					t.Errorf("stderr does not say %q: %q", tc.err, errOut)
				}
			}
		})
	}
}

// On a terminal, login --with-token asks for the token and reads it
// without echo; a login from the command line keeps the default profile.
func TestLoginWithTokenOnTerminal(t *testing.T) {
	_, url := site(t, "cloud")
	w := newWorld(t, "default = \"old\"\n[profiles.old]\nurl = \"https://old.atlassian.net\"\nflavor = \"cloud\"\nemail = \"x@example.com\"\n")
	w.tty, w.secret = true, fakejira.Token
	code, out, errOut := w.run(t, "", "login", "--url", url, "--email", fakejira.Email, "--with-token")
	if code != 0 || !w.secretAsked {
		t.Fatalf("exit %d, asked %v\n%s\n%s", code, w.secretAsked, out, errOut)
	}
	if !strings.Contains(errOut, "Paste the API token or PAT (it is not shown)") || strings.Contains(errOut+out, fakejira.Token) {
		t.Errorf("prompt or token echo: stderr %q stdout %q", errOut, out)
	}
	cfg, err := config.Load(w.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Default != "old" || !strings.Contains(out, `The default profile is still "old"`) {
		t.Errorf("default = %q\n%s", cfg.Default, out)
	}
}

// TestMakeTestIsDeterministic guards the rule that `make test` runs nothing
// random: random fuzzing once turned a clean checkout red. Fuzz targets
// replay their seed corpora inside `go test`; exploring is `make fuzz`.
func TestMakeTestIsDeterministic(t *testing.T) {
	data, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string][]string{} // target -> prerequisites and recipe lines
	var cur string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "\t"):
			if cur != "" {
				targets[cur] = append(targets[cur], line)
			}
		case strings.Contains(line, ":") && !strings.HasPrefix(line, "#") && !strings.Contains(line, "="):
			name, deps, _ := strings.Cut(line, ":")
			cur = strings.TrimSpace(name)
			targets[cur] = append(targets[cur], strings.Fields(deps)...)
		default:
			cur = ""
		}
	}
	var visit func(string, []string)
	seen := map[string]bool{}
	visit = func(name string, path []string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if _, ok := targets[name]; !ok {
			return
		}
		path = append(path, name)
		for _, l := range targets[name] {
			if strings.Contains(l, "-fuzz") {
				t.Errorf("make test runs random fuzzing (%s): %q", strings.Join(path, " -> "), strings.TrimSpace(l))
			}
			if !strings.HasPrefix(l, "\t") {
				visit(l, path)
			}
		}
	}
	if _, ok := targets["test"]; !ok {
		t.Fatal("the Makefile has no test target")
	}
	visit("test", nil)
	if _, ok := targets["fuzz"]; !ok {
		t.Error("the Makefile lost its fuzz target (exploration lives there)")
	}
}

// TestLogoutAndCacheClearDeleteTheCache: `jiffy logout` and `jiffy cache
// clear` delete the profile's issue cache, and only that profile's.
func TestLogoutAndCacheClearDeleteTheCache(t *testing.T) {
	_, url := site(t, "cloud")
	cfg := "default = \"work\"\n[profiles.work]\nurl = \"" + url + "\"\nflavor = \"cloud\"\nemail = \"" + fakejira.Email + "\"\n" +
		"[profiles.home]\nurl = \"" + url + "\"\nflavor = \"cloud\"\nemail = \"" + fakejira.Email + "\"\n"
	w := newWorld(t, cfg)
	for _, p := range []string{"work", "home"} {
		if err := w.store.Set(context.Background(), p, fakejira.Token); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(w.dir, "cache")
	mk := func(profile string) string {
		db := cache.Open(context.Background(), cache.Options{Dir: dir, Profile: profile})
		if err := db.Note(); err != nil {
			t.Fatal(err)
		}
		path := db.Path()
		_ = db.Close()
		return path
	}
	exists := func(path string) bool { _, err := os.Stat(path); return err == nil }
	work, home := mk("work"), mk("home")

	code, out, errText := w.run(t, "", "logout", "--profile", "work")
	if code != 0 || !strings.Contains(out, "issue cache was deleted") {
		t.Fatalf("logout: %d %q %q", code, out, errText)
	}
	if exists(work) || !exists(home) {
		t.Fatalf("after logout of work: work cache %v, home cache %v", exists(work), exists(home))
	}

	code, out, errText = w.run(t, "", "cache", "clear", "--profile", "home")
	if code != 0 || !strings.Contains(out, "Deleted the issue cache of home") {
		t.Fatalf("cache clear: %d %q %q", code, out, errText)
	}
	if exists(home) {
		t.Fatal("cache clear left the cache")
	}
	if code, _, errText := w.run(t, "", "cache", "wipe"); code != 2 || !strings.Contains(errText, "only clear") {
		t.Fatalf("cache wipe: %d %q", code, errText)
	}
}

// TestProfilesForThePicker: the picker's profiles are the environment's
// credentials (named so, saying which variables) and the config's; a
// profile picked opens with its own keyring item, client and cache, even
// while the environment overrides the default; one with no token comes
// back without a client (the login view opens for it), its site filled in.
func TestProfilesForThePicker(t *testing.T) {
	_, urlWork := site(t, "cloud")
	_, urlHome := site(t, "datacenter")
	cfg := "default = \"work\"\n[profiles.work]\nurl = \"" + urlWork + "\"\nflavor = \"cloud\"\nemail = \"" + fakejira.Email + "\"\n" +
		"[profiles.home]\nurl = \"" + urlHome + "\"\nflavor = \"datacenter\"\nusername = \"ada\"\n"
	w := newWorld(t, cfg)
	w.vars["JIRA_URL"], w.vars["JIRA_API_TOKEN"], w.vars["JIRA_EMAIL"] = urlWork, fakejira.Token, fakejira.Email
	var errb bytes.Buffer
	env := cli.Env{Stdout: &errb, Stderr: &errb, Getenv: func(k string) string {
		if k == "JIFFY_CONFIG" {
			return w.cfgPath
		}
		return w.vars[k]
	}, StateDir: filepath.Join(w.dir, "state"), CacheDir: filepath.Join(w.dir, "cache")}
	inv, err := cli.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := cli.Load(inv, env)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := config.StoreToken(ctx, w.store, "work", s.Cfg.Profiles["work"], fakejira.Token, time.Now()); err != nil {
		t.Fatal(err)
	}

	entries := cli.ProfileEntries(s.Cfg, env.Getenv)
	if len(entries) != 3 || !entries[0].Env || entries[1].Name != "home" || entries[2].Name != "work" {
		t.Fatalf("entries %+v", entries)
	}
	if e := entries[0]; e.Label() != "environment" || !strings.Contains(e.Source(), "JIRA_URL, JIRA_API_TOKEN, JIRA_EMAIL") {
		t.Fatalf("the environment's entry: %q %q", e.Label(), e.Source())
	}
	creds, err := config.Resolve(ctx, s.Cfg, "", env.Getenv, w.store)
	if err != nil {
		t.Fatal(err)
	}
	if got := cli.EntryOf(entries, creds); !got.Env {
		t.Fatalf("environment credentials in use, entry %+v", got)
	}

	open := openProfile(s, w.store, inv, make(chan jiraclient.Event, 64))
	o, err := open(ctx, entries[2])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = o.Cache.Close() })
	if o.Client == nil || o.Client.BaseURL() != urlWork || o.Cache == nil {
		t.Fatalf("work opened as %+v", o)
	}
	if want := filepath.Join(w.dir, "cache", "work.db"); o.Cache.Path() != want {
		t.Fatalf("work's cache %s, want %s", o.Cache.Path(), want)
	}
	if _, err := o.Client.Myself(ctx); err != nil {
		t.Fatalf("work's client: %v", err)
	}
	o, err = open(ctx, entries[1])
	if err != nil {
		t.Fatal(err)
	}
	if o.Cache != nil {
		t.Cleanup(func() { _ = o.Cache.Close() })
	}
	if o.Client != nil || o.LoginOptions.Prefill.URL != urlHome || o.LoginOptions.Prefill.User != "ada" {
		t.Fatalf("home (no token) opened as client %v prefill %+v", o.Client, o.LoginOptions.Prefill)
	}
}
