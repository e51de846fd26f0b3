package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/store"
	"github.com/jiffy-tui/jiffy/tui/store/cache"
)

// Exit statuses of every command.
const (
	ExitOK    = 0 // done
	ExitFail  = 1 // Jira refused or failed, or a local error
	ExitUsage = 2 // the command line (or the terminal) cannot be used
	ExitLogin = 3 // no login, or Jira did not accept it
)

// Env is what a command may touch of the process: its streams, its
// environment and, for tests, the keyring and the HTTP transport.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// OpenStore opens the keyring; nil means config.OpenKeyring.
	OpenStore func(context.Context, config.KeyringOptions) (config.Store, error)
	// HTTPClient is the base transport of every Jira request; nil is the
	// default (or the profile's private CA).
	HTTPClient *http.Client
	// Terminal reports whether a stream is a terminal; nil is IsTerminal.
	Terminal func(any) bool
	// ReadSecret reads a token from the terminal without echo; nil reads
	// Stdin's terminal. Used only when Stdin is a terminal.
	ReadSecret func() (string, error)
	// StateDir holds the site cache; "" is config.StateDir().
	StateDir string
	// CacheDir holds the issue caches; "" is cache.DefaultDir().
	CacheDir string
	// Limits and Retry override the client's defaults (tests).
	Limits *jiraclient.Limits
	Retry  *jiraclient.RetryPolicy
}

func (e Env) isTerminal(v any) bool {
	if e.Terminal != nil {
		return e.Terminal(v)
	}
	return IsTerminal(v)
}

// Clean is the one function every line printed from Jira text goes
// through: see jiraclient/safetext.
func Clean(s string) string { return safetext.Text(s) }

// IsTerminal reports whether a stream is a terminal.
func IsTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// NeedTerminal is the one line the terminal UI says, and why it exits 2,
// when standard input or output is not a terminal: it would otherwise draw
// into a pipe, or fail with Bubble Tea's raw "could not open TTY".
func NeedTerminal(stdin, stdout any, isTerminal func(any) bool) string {
	var not []string
	if !isTerminal(stdin) {
		not = append(not, "standard input")
	}
	if !isTerminal(stdout) {
		not = append(not, "standard output")
	}
	if len(not) == 0 {
		return ""
	}
	if len(not) == 2 {
		not = []string{"standard input and output are not terminals"}
	} else {
		not[0] += " is not a terminal"
	}
	return "the issue list needs a terminal (" + not[0] + "): for scripts use jiffy list --output plain|json|csv, jiffy view KEY, or jiffy --help"
}

// Fail writes err as one line on stderr and returns its exit status: 2
// for a usage error, 3 when a login is needed or refused, else 1.
func Fail(stderr io.Writer, err error) int {
	line := account.OneLine(err)
	var ve *account.VerifyError
	if !errors.As(err, &ve) {
		// jiraclient says nothing of jiffy's setup; the presenter does
		// (a login's VerifyError already says it in its own words).
		if a := store.Advice(err); a != "" {
			line += "; " + a
		}
	}
	fmt.Fprintf(stderr, "jiffy: %s\n", Clean(line))
	return exitCode(err)
}

func exitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case IsUsage(err), errors.Is(err, config.ErrUnknownProfile), jiraclient.KindOf(err) == jiraclient.KindInvalid:
		return ExitUsage
	case errors.Is(err, config.ErrNoCredentials), errors.Is(err, config.ErrNoProfiles), jiraclient.IsAuth(err):
		return ExitLogin
	}
	return ExitFail
}

// Session is what every command starts from: the config, its path and
// the environment, the keyring opened on first need.
type Session struct {
	Inv     *Invocation
	Env     Env
	Cfg     *config.Config
	CfgPath string

	store    config.Store
	storeErr error
	opened   bool
}

// Load reads the config named by --config, $JIFFY_CONFIG or the default.
func Load(inv *Invocation, env Env) (*Session, error) {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	path := inv.Config
	if path == "" {
		if path = env.Getenv("JIFFY_CONFIG"); path == "" {
			var err error
			if path, err = config.DefaultPath(); err != nil {
				// No HOME (a container, a cron job): when the environment
				// holds the credentials, run without a config file; the
				// commands that write one still refuse.
				if _, ok, _ := config.FromEnv(env.Getenv); !ok || inv.Cmd == "login" || inv.Cmd == "logout" {
					return nil, err
				}
				path = ""
			}
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	return &Session{Inv: inv, Env: env, Cfg: cfg, CfgPath: path}, nil
}

// Store opens the keyring once; the error says why none opened.
func (s *Session) Store(ctx context.Context) (config.Store, error) {
	if !s.opened {
		s.opened = true
		open := s.Env.OpenStore
		if open == nil {
			open = config.OpenKeyring
		}
		s.store, s.storeErr = open(ctx, s.Cfg.KeyringOptions())
	}
	return s.store, s.storeErr
}

// envSet reports whether the JIRA_* variables decide the credentials.
func (s *Session) envSet() bool { return len(account.EnvVarsSet(s.Env.Getenv)) > 0 }

// Credentials resolves the login as the terminal UI does: the JIRA_*
// environment, else the profile's token in the keyring. The keyring is
// opened only when the environment does not decide.
func (s *Session) Credentials(ctx context.Context) (config.Credentials, error) {
	if c, ok, err := config.FromEnv(s.Env.Getenv); err != nil || ok {
		return c, err
	}
	// An unknown or missing profile is said before any keyring is asked.
	if _, _, err := s.Cfg.Profile(s.Inv.Profile); err != nil {
		if errors.Is(err, config.ErrNoProfiles) && !errors.Is(err, config.ErrUnknownProfile) {
			return config.Credentials{}, fmt.Errorf("%w: run jiffy login, or set %s and %s (and %s for Jira Cloud)", config.ErrNoCredentials, config.EnvURL, config.EnvToken, config.EnvEmail)
		}
		return config.Credentials{}, err
	}
	store, err := s.Store(ctx)
	if err != nil {
		return config.Credentials{}, fmt.Errorf("%w: no keyring opened to read the token (%s)", config.ErrNoCredentials, account.OneLine(err))
	}
	return config.Resolve(ctx, s.Cfg, s.Inv.Profile, func(string) string { return "" }, store)
}

// ClientOptions are the options every client of a profile gets: its
// throttle settings and the debug log. The closer closes the log.
func ClientOptions(cfg *config.Config, profile, debugLog string) ([]jiraclient.Option, func(), error) {
	var opts []jiraclient.Option
	closer := func() {}
	if debugLog != "" {
		f, err := os.OpenFile(debugLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, closer, fmt.Errorf("opening the debug log: %w", err)
		}
		opts = append(opts, jiraclient.WithDebugLog(f))
		closer = func() { _ = f.Close() }
	}
	if p := cfg.Profiles[profile]; p != nil {
		opts = append(opts, profileLimits(p.Throttle)...)
	}
	return opts, closer, nil
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

// Run runs a command other than the terminal UI and returns its exit
// status. Output goes to env.Stdout; every failure is one line on
// env.Stderr.
func Run(ctx context.Context, inv *Invocation, env Env) int {
	s, err := Load(inv, env)
	if err != nil {
		return Fail(env.Stderr, err)
	}
	var code int
	switch inv.Cmd {
	case "status":
		code, err = s.status(ctx)
	case "logout":
		err = s.logout(ctx)
	case "cache":
		err = s.cache()
	case "keys":
		err = s.keysCmd()
	case "login":
		err = s.login(ctx)
	default:
		code, err = s.script(ctx)
	}
	if err != nil {
		if isBrokenPipe(err) {
			return ExitOK // `| head` stopped reading: nothing to say
		}
		return Fail(env.Stderr, err)
	}
	return code
}

func (s *Session) accountOpts() []account.Option {
	opts := []account.Option{account.WithGetenv(s.Env.Getenv)}
	if s.Env.HTTPClient != nil {
		opts = append(opts, account.WithHTTPClient(s.Env.HTTPClient))
	}
	if s.Env.StateDir != "" {
		opts = append(opts, account.WithStateDir(s.Env.StateDir))
	}
	return opts
}

// status is `jiffy status`: exit 0 when the login in use works, 1 when
// not, 2 for an unknown profile. The keyring is opened only when a stored
// login is shown; why it did not open is one line under each.
func (s *Session) status(ctx context.Context) (int, error) {
	if s.Inv.Profile != "" {
		if _, _, err := s.Cfg.Profile(s.Inv.Profile); err != nil {
			return 0, err
		}
	}
	opts := s.accountOpts()
	var store config.Store
	if len(s.Cfg.Profiles) > 0 {
		var err error
		if store, err = s.Store(ctx); err != nil {
			store = nil
			opts = append(opts, account.WithStoreError(err))
		}
	}
	// The [keys] and [[commands]] warnings are listed with the file's own.
	cfg := *s.Cfg
	cfg.Warnings = s.Warnings()
	err := account.Status(ctx, s.Env.Stdout, &cfg, store, s.Inv.Profile, opts...)
	if errors.Is(err, account.ErrStatusProblem) {
		return ExitFail, nil // the problem is in the report, with its fix
	}
	return ExitOK, err
}

// logout is `jiffy logout`: the profile is checked before the keyring is
// opened, and with only environment credentials there is nothing stored.
func (s *Session) logout(ctx context.Context) error {
	vars := account.EnvVarsSet(s.Env.Getenv)
	if _, _, err := s.Cfg.Profile(s.Inv.Profile); err != nil {
		if errors.Is(err, config.ErrNoProfiles) && !errors.Is(err, config.ErrUnknownProfile) {
			if len(vars) > 0 {
				return fmt.Errorf("no stored login to remove: the credentials in use come from %s; unset them to log out", strings.Join(vars, ", "))
			}
			return errors.New("not logged in: there is no stored login to remove")
		}
		return err
	}
	store, err := s.Store(ctx)
	if err != nil {
		return fmt.Errorf("cannot remove the token: the keyring did not open (%s)", account.OneLine(err))
	}
	name, err := account.Logout(ctx, s.Cfg, s.CfgPath, store, s.Inv.Profile)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Env.Stdout, "Logged out of %s: its token was removed from the %s keyring.\n", name, store.Backend())
	if err := s.removeCache(name); err != nil {
		return fmt.Errorf("logged out, but the issue cache of %s could not be deleted: %w", name, err)
	}
	fmt.Fprintf(s.Env.Stdout, "Its issue cache was deleted.\n")
	if len(vars) > 0 {
		fmt.Fprintf(s.Env.Stdout, "Note: %s still set and will be used until you unset them.\n", strings.Join(vars, ", ")+map[bool]string{true: " is", false: " are"}[len(vars) == 1])
	}
	return nil
}

// login is `jiffy login --with-token`: the token comes from standard
// input; on a terminal it is asked for and read without echo. The default
// profile stays as it was unless there was none.
func (s *Session) login(ctx context.Context) error {
	if vars := account.EnvVarsSet(s.Env.Getenv); len(vars) > 0 {
		return &account.EnvOverrideError{Vars: vars}
	}
	if strings.TrimSpace(s.Inv.URL) == "" {
		return usageErr("login --with-token needs --url (the site URL)")
	}
	in := s.Env.Stdin
	if s.Env.isTerminal(in) {
		read := s.Env.ReadSecret
		if f, ok := in.(*os.File); read == nil && ok {
			read = func() (string, error) {
				b, err := term.ReadPassword(f.Fd())
				return string(b), err
			}
		}
		fmt.Fprint(s.Env.Stderr, "Paste the API token or PAT (it is not shown), then Enter: ")
		tok, err := read()
		fmt.Fprintln(s.Env.Stderr)
		if err != nil {
			return fmt.Errorf("reading the token: %w", err)
		}
		in = strings.NewReader(tok)
	}
	store, err := s.Store(ctx)
	if err != nil {
		return err
	}
	prev := s.Cfg.Default
	opts := append(s.accountOpts(), account.KeepDefault())
	res, saved, err := account.LoginWithToken(ctx, in, s.Inv.URL, s.Inv.Email, s.Cfg, s.CfgPath, store, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Env.Stdout, "Logged in to %s as %s; token stored in the %s keyring (profile %q).\n",
		res.SiteURL, Clean(res.DisplayName()), store.Backend(), saved.Profile)
	if prev != "" && prev != saved.Profile {
		fmt.Fprintf(s.Env.Stdout, "The default profile is still %q: use --profile %s, or set default = %q in %s.\n", prev, saved.Profile, saved.Profile, s.CfgPath)
	}
	return nil
}

// isBrokenPipe: the reader of stdout went away (`| head`). main ignores
// SIGPIPE so such a write returns EPIPE instead of killing the process.
func isBrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, errStdoutClosed)
}

// errStdoutClosed is what writes to stdout return once a pipe broke, so
// a command stops at once (tests use it for a reader that went away).
var errStdoutClosed = errors.New("standard output was closed")

// CacheProfile is the name the issue cache of a login goes by: its profile,
// or "env" for credentials from the environment.
func CacheProfile(profile string) string {
	if profile == "" {
		return "env"
	}
	return profile
}

// CacheDir is where the issue caches live.
func (s *Session) CacheDir() (string, error) {
	if s.Env.CacheDir != "" {
		return s.Env.CacheDir, nil
	}
	return cache.DefaultDir()
}

// removeCache deletes profile's issue cache (a missing one is no error).
func (s *Session) removeCache(profile string) error {
	dir, err := s.CacheDir()
	if err != nil {
		return err
	}
	return cache.Remove(dir, CacheProfile(profile))
}

// cache is `jiffy cache clear`.
func (s *Session) cache() error {
	if s.Inv.Args[0] != "clear" {
		return usageErr("jiffy cache knows only clear, not %s", quoteArg(s.Inv.Args[0]))
	}
	name := ""
	if len(s.Cfg.Profiles) > 0 || s.Inv.Profile != "" {
		n, _, err := s.Cfg.Profile(s.Inv.Profile)
		if err != nil {
			return err
		}
		name = n
	}
	if err := s.removeCache(name); err != nil {
		return fmt.Errorf("could not delete the issue cache: %w", err)
	}
	fmt.Fprintf(s.Env.Stdout, "Deleted the issue cache of %s.\n", CacheProfile(name))
	return nil
}
