// Command jiffy is a fast, keyboard-driven terminal UI for Jira Cloud and
// Jira Data Center. main parses flags and wires config, jiraclient and tui
// together; each of those packages holds its own logic.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
	"github.com/jiffy-tui/jiffy/tui/cli"
	"github.com/jiffy-tui/jiffy/tui/compose"
	"github.com/jiffy-tui/jiffy/tui/keyin"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/login"
	"github.com/jiffy-tui/jiffy/tui/profiles"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// jiffy writes no heap profiles: sample no allocation for one (the
	// sampler's records are resident memory for nothing).
	runtime.MemProfileRate = 0
	// A closed pipe (`jiffy list | head -1`) makes writes fail with EPIPE,
	// which the commands treat as "done", instead of killing the process.
	signal.Ignore(syscall.SIGPIPE)
	os.Exit(run(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}

// run parses the command line and runs the command, or the terminal UI,
// returning the exit status: 0 ok, 1 failed, 2 usage, 3 login needed.
func run(args []string, env cli.Env) int {
	inv, err := cli.Parse(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "jiffy: %v (see jiffy --help)\n", err)
		return cli.ExitUsage
	}
	switch {
	case inv.Help:
		cli.Usage(env.Stdout, inv.Cmd)
		return cli.ExitOK
	case inv.Version || inv.Cmd == "version":
		fmt.Fprintln(env.Stdout, "jiffy", version)
		return cli.ExitOK
	case inv.Cmd != "" && (inv.Cmd != "login" || inv.WithToken):
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		return cli.Run(ctx, inv, env)
	}
	// The terminal UI (or the login view).
	isTTY := env.Terminal
	if isTTY == nil {
		isTTY = cli.IsTerminal
	}
	if !isTTY(env.Stdin) || !isTTY(env.Stdout) {
		fmt.Fprintf(env.Stderr, "jiffy: %s\n", cli.NeedTerminal(env.Stdin, env.Stdout, isTTY))
		return cli.ExitUsage
	}
	open := ""
	if inv.Jump != nil {
		open = inv.Jump.Key
	}
	if inv.Demo {
		// The demo needs nothing from the config but its colours and
		// keys, and starts even when the file does not read.
		var theme config.ThemeChoice
		var km *keys.Map
		if s, err := cli.Load(inv, env); err == nil {
			theme = s.Cfg.ThemeChoice()
			km, _ = s.Keymap()
		}
		// The demo's two flavours are two profiles P switches between.
		demos := []profiles.Entry{{Demo: "cloud"}, {Demo: "datacenter"}}
		cur := demos[0]
		if inv.DemoFlavor == fakejira.FlavorDataCenter {
			cur = demos[1]
		}
		return runTUI(tui.Options{Demo: true, JQL: inv.JQL, Board: inv.Board, Open: open, StartDemo: startDemo(inv.DemoFlavor), Hyperlinks: tui.Hyperlinks("", env.Getenv),
			Theme: tui.Theme(theme.Preset, theme.Colors, env.Getenv), Profiles: demos, Profile: cur, OpenProfile: openDemo, Keys: km}, env.Stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := cli.Load(inv, env)
	if err != nil {
		return cli.Fail(env.Stderr, err)
	}
	if inv.Profile != "" && !envCredentials(env) {
		if _, _, err := s.Cfg.Profile(inv.Profile); err != nil {
			return cli.Fail(env.Stderr, err)
		}
	}
	// A keyring that does not open is not fatal here: the environment may
	// hold the credentials, and the login view offers a choice of backend.
	store, storeErr := s.Store(ctx)
	// The keymap ([keys] over the defaults) and the user's commands, bound
	// where their keys are free.
	km, _ := s.Keymap()
	commands, _ := s.Commands(km)
	// The config file's warnings in the status bar, named by file name:
	// the whole path would push the line off the bar.
	warning := strings.ReplaceAll(strings.Join(s.Warnings(), " · "), filepath.Dir(s.CfgPath)+string(filepath.Separator), "")
	theme := s.Cfg.ThemeChoice()
	colours := tui.Theme(theme.Preset, theme.Colors, env.Getenv)
	if inv.Cmd == "login" {
		return runTUI(tui.Options{Warning: warning, LoginOptions: loginOptions(s, store, false), Theme: colours, Keys: km}, env.Stderr)
	}
	o := tui.Options{JQL: inv.JQL, Board: inv.Board, Open: open, Commands: commands, Keys: km, Hyperlinks: tui.Hyperlinks(s.Cfg.Terminal.Hyperlinks, env.Getenv),
		Theme: colours, Warning: warning, StartDemo: startDemo("cloud"), LoginOptions: loginOptions(s, store, true)}
	// One channel for the throttle events of every profile's client.
	events := make(chan jiraclient.Event, 64)
	o.Profiles, o.OpenProfile = cli.ProfileEntries(s.Cfg, env.Getenv), openProfile(s, store, inv, events)
	creds, err := config.Resolve(ctx, s.Cfg, inv.Profile, env.Getenv, store)
	switch {
	case errors.Is(err, config.ErrNoCredentials), err != nil && storeErr != nil:
		// First run, the token is gone, or no keyring opened: the login
		// view explains and offers a choice of keyring.
	case err != nil:
		return cli.Fail(env.Stderr, err)
	default:
		// A browse URL of another site says which profile it belongs to.
		if err := cli.CheckJumpSite(inv.Jump, creds.URL, s.Cfg, creds.Profile, creds.Source != config.SourceKeyring); err != nil {
			return cli.Fail(env.Stderr, err)
		}
		o.Profile = cli.EntryOf(o.Profiles, creds)
		if err := withClient(&o, s.Cfg, creds, inv.DebugLog, events); err != nil {
			return cli.Fail(env.Stderr, err)
		}
		if !inv.NoCache {
			o.Cache = openCache(s, creds)
		}
	}
	return runTUI(o, env.Stderr)
}

// openCache opens the login's issue cache, in the background (the first
// search does not wait for SQLite). It never fails: a cache that cannot be
// used is bypassed, and the UI says why.
func openCache(s *cli.Session, creds config.Credentials) *cache.DB {
	dir, err := s.CacheDir()
	o := cache.Options{Dir: dir, Profile: cli.CacheProfile(creds.Profile), Identity: creds.URL + "\n" + creds.User, Background: true}
	if err != nil {
		o.Dir = "" // DefaultDir fails again, and Open notes it
	}
	return cache.Open(context.Background(), o)
}

func envCredentials(env cli.Env) bool {
	_, ok, _ := config.FromEnv(env.Getenv)
	return ok
}

// withClient builds the client for creds, using what an earlier start learnt
// about the site (flavour, who the user is) so the first request is the search.
func withClient(o *tui.Options, cfg *config.Config, creds config.Credentials, debugLog string, events chan jiraclient.Event) error {
	opts, _, err := cli.ClientOptions(cfg, creds.Profile, debugLog) // the log stays open while jiffy runs
	if err != nil {
		return err
	}
	opts = append(opts, jiraclient.WithObserver(tui.EventSink(events)))
	if dir, err := config.StateDir(); err == nil {
		// A state file that does not read is moved aside by its loader;
		// say so (a usable empty value comes back with the error).
		if cache, err := config.LoadSiteCache(dir); usable(o, err) {
			if si, ok := cache.Get(creds.URL, creds.User); ok && (si.AccountID != "" || si.Username != "") {
				if creds.Flavor == "" {
					creds.Flavor = si.Flavor
				}
				o.Me = &jiraclient.User{AccountID: si.AccountID, Name: si.Username, DisplayName: si.DisplayName}
			} else {
				// First start for this site and user (environment
				// credentials, say): the UI learns them beside the search.
				url, user := creds.URL, creds.User
				o.Learned = func(fl jiraclient.Flavor, me *jiraclient.User) {
					cache.Put(url, user, config.SiteInfo{Flavor: fl.String(), AccountID: me.AccountID, Username: me.Name, DisplayName: me.DisplayName, CheckedAt: time.Now()})
					_ = cache.Save() // only saves a request next time
				}
			}
		}
		if h, err := config.LoadHistory(dir); usable(o, err) {
			o.History = h
		}
		if b, err := config.LoadBoards(dir); usable(o, err) {
			o.Boards = b.For(creds.URL, creds.User)
		}
	} else {
		warn(o, "no folder for jiffy's state ("+err.Error()+"): drafts and JQL history last only this session")
	}
	client, err := account.NewClient(creds, nil, opts...)
	if err != nil {
		return err
	}
	o.Client, o.Events, o.Site = client, events, client.BaseURL()
	if p := cfg.Profiles[creds.Profile]; p != nil {
		o.RefreshMinutes = p.RefreshMinutes
	}
	if p := cfg.Profiles[creds.Profile]; p != nil && creds.Source == config.SourceKeyring {
		o.DefaultJQL, o.HideFields, o.Columns = p.DefaultJQL, p.HideFields, p.Columns
		for _, q := range p.Queries {
			o.Queries = append(o.Queries, tui.Query{Name: q.Name, JQL: q.JQL})
		}
	}
	o.LoginOptions.Prefill = login.Prefill{URL: creds.URL, Flavor: jiraclient.ParseFlavor(creds.Flavor)}
	if creds.Basic {
		o.LoginOptions.Prefill.Email = creds.User
	} else {
		o.LoginOptions.Prefill.User = creds.User
	}
	return nil
}

// openProfile opens a profile for a switch (P), in a command: its token
// (the keyring item bound to its site, or the environment), its client,
// its cache and settings. A profile without a usable token comes back
// without a client, so the login view opens for it.
func openProfile(s *cli.Session, store config.Store, inv *cli.Invocation, events chan jiraclient.Event) func(context.Context, profiles.Entry) (tui.Options, error) {
	return func(ctx context.Context, e profiles.Entry) (tui.Options, error) {
		var o tui.Options
		var creds config.Credentials
		var err error
		if e.Env {
			creds, _, err = config.FromEnv(s.Env.Getenv)
		} else {
			// The environment overrides the default profile only: a
			// profile picked by name is read from the keyring.
			creds, err = config.Resolve(ctx, s.Cfg, e.Name, nil, store)
		}
		var changed *config.SiteChangedError
		switch {
		case !e.Env && (errors.Is(err, config.ErrNoCredentials) || errors.As(err, &changed) || store == nil):
			o.LoginOptions.Prefill = login.Prefill{URL: e.URL}
			if p := s.Cfg.Profiles[e.Name]; p != nil {
				o.LoginOptions.Prefill = login.Prefill{URL: p.URL, Email: p.Email, User: p.Username, Flavor: jiraclient.ParseFlavor(p.Flavor)}
				if !inv.NoCache {
					// What this profile last showed, for once it is signed in.
					o.Cache = openCache(s, config.Credentials{Profile: e.Name, URL: p.URL, User: cmp.Or(p.Email, p.Username)})
				}
			}
			return o, nil
		case err != nil:
			return o, err
		}
		if err := withClient(&o, s.Cfg, creds, inv.DebugLog, events); err != nil {
			return o, err
		}
		if !inv.NoCache {
			o.Cache = openCache(s, creds)
		}
		return o, nil
	}
}

// openDemo starts the demo Jira of a demo profile's flavour.
func openDemo(_ context.Context, e profiles.Entry) (tui.Options, error) {
	c, me, err := startDemo(e.Demo)()
	return tui.Options{Client: c, Me: me, Site: "demo", Demo: true}, err
}

func loginOptions(s *cli.Session, store config.Store, offerDemo bool) login.Options {
	_, env, _ := config.FromEnv(s.Env.Getenv)
	return login.Options{
		Config: s.Cfg, ConfigPath: s.CfgPath, Store: store, EnvOverride: env,
		OfferDemo: offerDemo && len(s.Cfg.Profiles) == 0 && !env,
		Prefill:   login.Prefill{URL: s.Inv.URL, Email: s.Inv.Email},
	}
}

// startDemo serves the embedded fake Jira on loopback and signs in to it.
func startDemo(flavor string) func() (*jiraclient.Client, *jiraclient.User, error) {
	return func() (*jiraclient.Client, *jiraclient.User, error) {
		srv, url, _, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 1, Now: time.Now(), Demo: true})
		if err != nil {
			return nil, nil, err
		}
		cred := jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}
		if flavor != "datacenter" {
			cred = jiraclient.Credential{Kind: jiraclient.AuthBasic, User: fakejira.Email, Token: fakejira.Token}
		}
		c, err := jiraclient.New(url, cred, jiraclient.WithFlavor(jiraclient.ParseFlavor(flavor)))
		if err != nil {
			return nil, nil, err
		}
		me := srv.Me()
		return c, &jiraclient.User{AccountID: me.AccountID, Name: me.Name, Key: me.Key, DisplayName: me.DisplayName, Email: me.Email, Active: true}, nil
	}
}

func runTUI(o tui.Options, stderr io.Writer) int {
	if !o.Demo {
		// Drafts live per site in the state dir; the demo's stay in memory.
		if dir, err := config.StateDir(); err == nil {
			d, err := config.LoadDrafts(dir)
			if err != nil {
				warn(&o, err.Error())
			}
			o.DraftsFor = func(site string) compose.DraftStore { return d.ForSite(site) }
		}
	}
	if o.Cache != nil {
		defer o.Cache.Close()
	}
	// Stdin is the terminal (run checked); keyin reads Escape without
	// Bubble Tea's 50 ms wait for the rest of an escape sequence.
	final, err := tea.NewProgram(tui.New(o), tea.WithInput(keyin.New(os.Stdin))).Run()
	if m, ok := final.(tui.Model); ok {
		m.Close() // the caches of the profiles switched to
	}
	if err != nil {
		return cli.Fail(stderr, err)
	}
	return 0
}

// warn adds a start-up warning for the status bar.
func warn(o *tui.Options, msg string) {
	if o.Warning != "" {
		o.Warning += "; "
	}
	o.Warning += msg
}

// usable reports whether a state file's loader returned a value to use:
// when it read the file, or when the file was corrupt and moved aside (a
// warning then says so). Any other failure (permissions) leaves the file
// alone, and nothing is used that could overwrite it.
func usable(o *tui.Options, err error) bool {
	if err == nil {
		return true
	}
	var ce *config.CorruptFileError
	if errors.As(err, &ce) && ce.MovedTo != "" {
		// Short enough for the status bar: the name first, then where.
		warn(o, filepath.Base(ce.Path)+" was unreadable and moved aside to "+ce.MovedTo)
		return true
	}
	warn(o, err.Error())
	return false
}
