package account

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Option adjusts Save, Logout, Status and LoginWithToken; the defaults are
// the real environment, clock and state directory.
type Option func(*options)

type options struct {
	getenv   func(string) string
	now      func() time.Time
	stateDir string
	hc       *http.Client
	gateway  string
	// keepDefault: Save leaves an existing default profile as it is.
	keepDefault bool
	// storeErr is why no keyring opened, for Status to say in one line.
	storeErr error
	// saveAs is the profile name Save stores under ("" derives one).
	saveAs string
}

func buildOptions(opts []Option) options {
	o := options{getenv: os.Getenv, now: time.Now}
	for _, fn := range opts {
		fn(&o)
	}
	return o
}

// WithGetenv replaces os.Getenv (tests).
func WithGetenv(fn func(string) string) Option { return func(o *options) { o.getenv = fn } }

// WithNow replaces time.Now (tests).
func WithNow(fn func() time.Time) Option { return func(o *options) { o.now = fn } }

// WithStateDir puts the site cache in dir instead of config.StateDir().
func WithStateDir(dir string) Option { return func(o *options) { o.stateDir = dir } }

// WithHTTPClient is the base transport for the Jira requests Status and
// LoginWithToken make (tests, a private CA).
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.hc = hc } }

// KeepDefault makes Save leave the default profile as it is when there is
// one (a login from a script must not silently switch what jiffy opens);
// the new profile becomes the default only when there was none.
func KeepDefault() Option { return func(o *options) { o.keepDefault = true } }

// SaveAs makes Save store the login under profile name (its keyring item
// and config table) instead of a name derived from the site and user: the
// profile picker signs in to a profile the config already names.
func SaveAs(name string) Option { return func(o *options) { o.saveAs = name } }

// WithStoreError tells Status why no keyring opened (store is then nil),
// so each stored login can say so in one line.
func WithStoreError(err error) Option { return func(o *options) { o.storeErr = err } }

// WithGatewayBase replaces DefaultGatewayBase (tests).
func WithGatewayBase(u string) Option { return func(o *options) { o.gateway = u } }

// EnvOverrideError is Save refusing to store a token while JIRA_* variables
// are set: jiffy would keep using the environment's token, so the stored
// one would silently go unused (gh auth login refuses for the same reason).
type EnvOverrideError struct {
	// Vars are the variables that are set, e.g. ["JIRA_URL", "JIRA_API_TOKEN"].
	Vars []string
}

func (e *EnvOverrideError) Error() string {
	return fmt.Sprintf("not storing the token: %s %s set, and jiffy uses the environment's token while %s; unset %s first to store a login",
		joinVars(e.Vars), isAre(len(e.Vars)), itThey(len(e.Vars)), joinVars(e.Vars))
}

// EnvVarsSet lists the JIRA_* variables that are set (and so override any
// stored login).
func EnvVarsSet(getenv func(string) string) []string {
	if getenv == nil {
		return nil
	}
	var set []string
	for _, v := range []string{config.EnvURL, config.EnvToken, config.EnvEmail} {
		if getenv(v) != "" {
			set = append(set, v)
		}
	}
	return set
}

func joinVars(v []string) string {
	switch len(v) {
	case 0:
		return ""
	case 1:
		return v[0]
	}
	s := v[0]
	for i := 1; i < len(v)-1; i++ {
		s += ", " + v[i]
	}
	return s + " and " + v[len(v)-1]
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func itThey(n int) string {
	if n == 1 {
		return "it is"
	}
	return "they are"
}

// StoreError is Save failing to put the token in the keyring (as opposed
// to failing to write the config file): the login screen answers it by
// offering another keyring, or the file keyring's passphrase field.
type StoreError struct {
	Backend string
	Err     error
}

func (e *StoreError) Error() string {
	return fmt.Sprintf("storing the token in the %s keyring: %v", e.Backend, e.Err)
}

// Unwrap gives errors.Is access to config.ErrNeedPassphrase and friends.
func (e *StoreError) Unwrap() error { return e.Err }

// Saved says where a login went.
type Saved struct {
	Profile string // the profile name (also the keyring key)
	Backend string // the keyring backend holding the token
}

// Save stores a verified login: the token in the keyring under the profile
// name, the profile (site, flavour, email or username, gateway, when the
// token was stored) in the config file, made the default, and what was
// learnt about the site in the site cache (with KeepDefault, the default
// changes only when there was none). An existing profile for the
// same site and user keeps its saved queries and settings. Save refuses
// with *EnvOverrideError while JIRA_* variables are set.
func Save(ctx context.Context, cfg *config.Config, cfgPath string, store config.Store, res *Result, token string, opts ...Option) (Saved, error) {
	o := buildOptions(opts)
	if vars := EnvVarsSet(o.getenv); len(vars) > 0 {
		return Saved{}, &EnvOverrideError{Vars: vars}
	}
	if res == nil || res.SiteURL == "" {
		return Saved{}, errors.New("nothing to save: the login was not verified")
	}
	if store == nil {
		return Saved{}, errors.New("no keyring is open to store the token in")
	}
	if cfg == nil {
		return Saved{}, errors.New("no config to save the login in")
	}
	name := config.ProfileName(res.SiteURL, res.User())
	if o.saveAs != "" {
		name = o.saveAs
	}
	p := &config.Profile{}
	if old, ok := cfg.Profiles[name]; ok && old != nil {
		cp := *old
		p = &cp
	}
	p.URL = res.SiteURL
	p.Flavor = res.Flavor.String()
	p.APIBase = res.APIBase
	if res.Flavor == jiraclient.FlavorCloud {
		p.Email, p.Username = res.Email, ""
	} else {
		p.Email = ""
		if res.Me != nil {
			p.Username = res.Me.Name
		}
	}
	now := o.now()
	if err := config.StoreToken(ctx, store, name, p, token, now); err != nil {
		return Saved{}, &StoreError{Backend: store.Backend(), Err: err}
	}
	prev, hadPrev := cfg.Profiles[name]
	prevDefault := cfg.Default
	cfg.SetProfile(name, p, !o.keepDefault)
	if err := cfg.Save(cfgPath); err != nil {
		// Undo both halves so a retry starts clean: no token in the
		// keyring without its profile, and the in-memory config as it was.
		if hadPrev {
			cfg.Profiles[name] = prev
		} else {
			delete(cfg.Profiles, name)
		}
		cfg.Default = prevDefault
		if !hadPrev {
			_ = store.Remove(ctx, name)
		}
		return Saved{}, err
	}
	// The site cache only saves a detection request at the next start; a
	// login that worked is not failed for it.
	_ = putSiteCache(o, res, now)
	return Saved{Profile: name, Backend: store.Backend()}, nil
}

func putSiteCache(o options, res *Result, now time.Time) error {
	dir := o.stateDir
	if dir == "" {
		d, err := config.StateDir()
		if err != nil {
			return err
		}
		dir = d
	}
	sc, err := config.LoadSiteCache(dir)
	if err != nil {
		return err
	}
	info := config.SiteInfo{Flavor: res.Flavor.String(), CheckedAt: now}
	if res.Me != nil {
		info.AccountID, info.Username, info.DisplayName = res.Me.AccountID, res.Me.Name, res.Me.DisplayName
	}
	sc.Put(res.SiteURL, res.User(), info)
	return sc.Save()
}

// Logout removes a profile's token from the keyring and forgets when it
// was stored. The profile itself (site, email, saved queries) stays, so
// the next login is prefilled and the queries survive. A token that was
// already gone is not an error. name "" is the default profile.
func Logout(ctx context.Context, cfg *config.Config, cfgPath string, store config.Store, profile string) (string, error) {
	name, p, err := cfg.Profile(profile)
	if err != nil {
		return "", err
	}
	if store == nil {
		return name, errors.New("no keyring is open to remove the token from")
	}
	if err := store.Remove(ctx, name); err != nil && !errors.Is(err, config.ErrTokenNotFound) {
		return name, fmt.Errorf("removing the token of %q from the %s keyring: %w", name, store.Backend(), err)
	}
	if !p.TokenStoredAt.IsZero() {
		p.TokenStoredAt = time.Time{}
		if err := cfg.Save(cfgPath); err != nil {
			return name, fmt.Errorf("the token is removed, but saving the config failed: %w", err)
		}
	}
	return name, nil
}
