// Command jiffy is a fast, keyboard-driven terminal UI for Jira Cloud and
// Jira Data Center. main parses flags and wires config, jiraclient and tui
// together; each of those packages holds its own logic.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
	"github.com/jiffy-tui/jiffy/tui/compose"
	"github.com/jiffy-tui/jiffy/tui/login"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `jiffy — a terminal UI for Jira

Usage:
  jiffy [flags]                 the issue list (the login view on first run)
  jiffy login [--url URL] [--email EMAIL] [--with-token]
                                sign in (the view; or non-interactive, token on standard input)
  jiffy logout                  remove the stored token of a profile
  jiffy status                  site, flavour, user, where the token is kept, whether it works
  jiffy version

Flags:
`

type flags struct {
	demo, withToken           bool
	demoFlavor, profile       string
	configPath, jql, debugLog string
	url, email                string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var f flags
	fs := flag.NewFlagSet("jiffy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	fs.BoolVar(&f.demo, "demo", false, "run on an embedded fake Jira: no account, no network, no keyring")
	fs.StringVar(&f.demoFlavor, "demo-flavor", "cloud", "the demo's Jira: cloud or datacenter")
	fs.StringVar(&f.profile, "profile", "", "the profile to use (default: the config's default)")
	fs.StringVar(&f.configPath, "config", "", "config file (default: $JIFFY_CONFIG or the OS config dir)")
	fs.StringVar(&f.jql, "jql", "", "start with this JQL instead of the profile's")
	fs.StringVar(&f.debugLog, "debug-log", "", "append a log of every request to this file (never the token)")
	fs.StringVar(&f.url, "url", "", "login: the site URL")
	fs.StringVar(&f.email, "email", "", "login: your Atlassian account email (Jira Cloud)")
	fs.BoolVar(&f.withToken, "with-token", false, "login: read the API token or PAT from standard input")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, "jiffy", version)
		return 0
	}
	if f.demo {
		return runTUI(tui.Options{Demo: true, JQL: f.jql, StartDemo: startDemo(f.demoFlavor)}, stderr)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfgPath := f.configPath
	if cfgPath == "" {
		var err error
		if cfgPath, err = config.DefaultPath(); err != nil {
			// No HOME (a container, a cron job): when the environment
			// holds the credentials, start and check them without a
			// config file; the commands that write one still refuse.
			if _, env, _ := config.FromEnv(os.Getenv); !env || (cmd != "" && cmd != "status") {
				return fail(stderr, err)
			}
			cfgPath = ""
		}
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return fail(stderr, err)
	}
	// A keyring that does not open is not fatal here: the environment may
	// hold the credentials, and the login view offers a choice of backend.
	store, storeErr := config.OpenKeyring(ctx, cfg.KeyringOptions())

	switch cmd {
	case "":
	case "status":
		if storeErr != nil {
			fmt.Fprintf(stderr, "keyring: %v\n", storeErr)
		}
		if err := account.Status(ctx, stdout, cfg, store, f.profile); err != nil {
			return 1
		}
		return 0
	case "logout":
		if storeErr != nil {
			return fail(stderr, storeErr)
		}
		msg, err := account.Logout(ctx, cfg, cfgPath, store, f.profile)
		if err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintf(stdout, "Logged out of %s: its token was removed from the %s keyring.\n", msg, store.Backend())
		if vars := account.EnvVarsSet(os.Getenv); len(vars) > 0 {
			fmt.Fprintf(stdout, "Note: %v are still set and will be used until you unset them.\n", vars)
		}
		return 0
	case "login":
		if f.withToken {
			if storeErr != nil {
				return fail(stderr, storeErr)
			}
			res, saved, err := account.LoginWithToken(ctx, stdin, f.url, f.email, cfg, cfgPath, store)
			if err != nil {
				return fail(stderr, err)
			}
			fmt.Fprintf(stdout, "Logged in to %s as %s; token stored in the %s keyring (profile %q).\n",
				res.SiteURL, res.DisplayName(), store.Backend(), saved.Profile)
			return 0
		}
		return runTUI(tui.Options{LoginOptions: loginOptions(cfg, cfgPath, store, f, false)}, stderr)
	default:
		fmt.Fprintf(stderr, "jiffy: unknown command %q\n", cmd)
		fs.Usage()
		return 2
	}

	o := tui.Options{JQL: f.jql, StartDemo: startDemo("cloud"), LoginOptions: loginOptions(cfg, cfgPath, store, f, true)}
	creds, err := config.Resolve(ctx, cfg, f.profile, os.Getenv, store)
	switch {
	case errors.Is(err, config.ErrNoCredentials), err != nil && storeErr != nil:
		// First run, the token is gone, or no keyring opened: the login
		// view explains and offers a choice of keyring.
	case err != nil:
		return fail(stderr, err)
	default:
		if err := withClient(&o, cfg, creds, f); err != nil {
			return fail(stderr, err)
		}
	}
	return runTUI(o, stderr)
}

// withClient builds the client for creds, using what an earlier start learnt
// about the site (flavour, who the user is) so the first request is the search.
func withClient(o *tui.Options, cfg *config.Config, creds config.Credentials, f flags) error {
	var opts []jiraclient.Option
	if f.debugLog != "" {
		w, err := os.OpenFile(f.debugLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("opening the debug log: %w", err)
		}
		opts = append(opts, jiraclient.WithDebugLog(w))
	}
	if p := cfg.Profiles[creds.Profile]; p != nil {
		opts = append(opts, profileLimits(p.Throttle)...)
	}
	events := make(chan jiraclient.Event, 64)
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
	} else {
		warn(o, "no folder for jiffy's state ("+err.Error()+"): drafts and JQL history last only this session")
	}
	client, err := account.NewClient(creds, nil, opts...)
	if err != nil {
		return err
	}
	o.Client, o.Events, o.Site = client, events, client.BaseURL()
	if p := cfg.Profiles[creds.Profile]; p != nil && creds.Source == config.SourceKeyring {
		if o.JQL == "" {
			o.JQL = p.DefaultJQL
		}
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

// profileLimits applies a profile's throttle settings over the defaults.
func profileLimits(t config.Throttle) []jiraclient.Option {
	l := jiraclient.DefaultLimits()
	if t.ReadRPS > 0 {
		l.ReadRPS = t.ReadRPS
	}
	if t.WriteRPS > 0 {
		l.WriteRPS = t.WriteRPS
	}
	if t.MaxInFlight > 0 {
		l.MaxInFlight = t.MaxInFlight
	}
	opts := []jiraclient.Option{jiraclient.WithLimits(l)}
	if t.TimeoutSeconds > 0 {
		opts = append(opts, jiraclient.WithTimeout(time.Duration(t.TimeoutSeconds)*time.Second))
	}
	return opts
}

func loginOptions(cfg *config.Config, cfgPath string, store config.Store, f flags, offerDemo bool) login.Options {
	_, env, _ := config.FromEnv(os.Getenv)
	return login.Options{
		Config: cfg, ConfigPath: cfgPath, Store: store, EnvOverride: env,
		OfferDemo: offerDemo && len(cfg.Profiles) == 0 && !env,
		Prefill:   login.Prefill{URL: f.url, Email: f.email},
	}
}

// startDemo serves the embedded fake Jira on loopback and signs in to it.
func startDemo(flavor string) func() (*jiraclient.Client, *jiraclient.User, error) {
	return func() (*jiraclient.Client, *jiraclient.User, error) {
		srv, url, _, err := fakejira.Start(fakejira.Options{Flavor: flavor, Seed: 1, Now: time.Now()})
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
	if _, err := tea.NewProgram(tui.New(o)).Run(); err != nil {
		return fail(stderr, err)
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

func fail(w io.Writer, err error) int {
	fmt.Fprintf(w, "jiffy: %v\n", err)
	return 1
}
