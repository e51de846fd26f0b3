package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Source says where a token came from; the UI shows it (as gh auth status
// does) so a user knows which one to fix or rotate.
type Source int

const (
	// SourceEnv: JIRA_URL + JIRA_API_TOKEN (+ JIRA_EMAIL) in the environment.
	SourceEnv Source = iota
	// SourceKeyring: a profile in config.toml with its token in the keyring.
	SourceKeyring
)

// String is "environment (JIRA_API_TOKEN)" or "keyring"; Credentials.Where
// adds the backend name.
func (s Source) String() string {
	if s == SourceEnv {
		return "environment (JIRA_API_TOKEN)"
	}
	return "keyring"
}

// Environment variables read by FromEnv.
const (
	EnvURL   = "JIRA_URL"
	EnvToken = "JIRA_API_TOKEN"
	EnvEmail = "JIRA_EMAIL"
)

// Credentials is everything needed to build a jiraclient.Credential and
// client. String and GoString never show the token.
type Credentials struct {
	Profile string // "" when from the environment
	URL     string
	Flavor  string // "cloud", "datacenter", or "" = detect
	User    string // Basic: the Cloud email; Bearer: the DC username, informational
	Token   string
	// Basic is true for Cloud email + API token (HTTP Basic); false means a
	// Data Center Personal Access Token sent as Bearer.
	Basic   bool
	Source  Source
	Backend string // keyring backend, when Source is SourceKeyring
	APIBase string // from the profile: Cloud gateway for scoped tokens
	CACert  string // from the profile: PEM file for a private CA
}

// Where is the human form of the source: "environment (JIRA_API_TOKEN)" or
// "keyring (secret-service)".
func (c Credentials) Where() string {
	if c.Source == SourceKeyring && c.Backend != "" {
		return fmt.Sprintf("keyring (%s)", c.Backend)
	}
	return c.Source.String()
}

// String describes the credentials without the token.
func (c Credentials) String() string {
	auth := "PAT"
	if c.Basic {
		auth = "API token"
	}
	user := c.User
	if user == "" {
		user = "-"
	}
	return fmt.Sprintf("%s as %s (%s from %s)", c.URL, user, auth, c.Where())
}

// GoString keeps %#v from printing the token.
func (c Credentials) GoString() string { return "config.Credentials{" + c.String() + "}" }

// ErrNoCredentials means nothing is set up: no JIRA_* variables and no
// profile (or no token for it). The UI answers it with the login screen.
var ErrNoCredentials = errors.New("no Jira credentials are set up")

// FromEnv reads JIRA_URL and JIRA_API_TOKEN, plus JIRA_EMAIL for Jira Cloud
// (HTTP Basic); without JIRA_EMAIL the token is a Data Center PAT (Bearer).
// ok is false when none of them is set. A partial set is an error that
// names the missing variable, rather than silently falling back to the
// keyring and talking to a different site than the user meant.
func FromEnv(getenv func(string) string) (Credentials, bool, error) {
	site := strings.TrimSpace(getenv(EnvURL))
	// A token pasted into a shell variable often carries a newline.
	token := strings.TrimSpace(getenv(EnvToken))
	email := strings.TrimSpace(getenv(EnvEmail))
	if site == "" && token == "" && email == "" {
		return Credentials{}, false, nil
	}
	var set []string
	for _, v := range []struct{ name, val string }{{EnvURL, site}, {EnvToken, token}, {EnvEmail, email}} {
		if v.val != "" {
			set = append(set, v.name)
		}
	}
	missing := func(name string) error {
		verb := "is"
		if len(set) > 1 {
			verb = "are"
		}
		have := strings.Join(set, " and ")
		return fmt.Errorf("%s %s set but %s is not: set %s too, or unset %s to use the saved login", have, verb, name, name, have)
	}
	if site == "" {
		return Credentials{}, false, missing(EnvURL)
	}
	if token == "" {
		return Credentials{}, false, missing(EnvToken)
	}
	if err := checkSiteURL(site); err != nil {
		return Credentials{}, false, fmt.Errorf("%s: %w", EnvURL, err)
	}
	c := Credentials{URL: site, Token: token, Source: SourceEnv}
	if email != "" {
		c.User, c.Basic, c.Flavor = email, true, FlavorCloud
	} else {
		c.Flavor = FlavorDataCenter
	}
	return c, true, nil
}

// Resolve finds the credentials to use. The environment wins over the
// profile and keyring (so CI and one-off runs need no setup); otherwise the
// named profile ("" = default) is read from cfg and its token from store.
// Nothing set up at all gives an error wrapping ErrNoCredentials; a profile
// whose token is missing wraps both ErrNoCredentials and ErrTokenNotFound.
func Resolve(ctx context.Context, cfg *Config, profile string, getenv func(string) string, store Store) (Credentials, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if c, ok, err := FromEnv(getenv); err != nil || ok {
		return c, err
	}
	name, p, err := cfg.Profile(profile)
	if errors.Is(err, ErrNoProfiles) && !errors.Is(err, ErrUnknownProfile) {
		return Credentials{}, fmt.Errorf("%w: log in to add a Jira site, or set %s and %s (and %s for Jira Cloud)", ErrNoCredentials, EnvURL, EnvToken, EnvEmail)
	}
	if err != nil {
		return Credentials{}, err
	}
	c := Credentials{Profile: name, URL: p.URL, Flavor: p.Flavor, Source: SourceKeyring, APIBase: p.APIBase, CACert: p.CACert}
	switch {
	case p.Flavor == FlavorDataCenter:
		c.User = p.Username
	case p.Email != "":
		c.User, c.Basic = p.Email, true
	case p.Flavor == FlavorCloud:
		return Credentials{}, fmt.Errorf("profile %q is Jira Cloud but has no email: add email = \"you@example.com\" to it in the config file, or log in again", name)
	default:
		c.User = p.Username
	}
	if store == nil {
		return Credentials{}, fmt.Errorf("profile %q: no keyring is open to read its token from", name)
	}
	if cfg.insecure != nil {
		return Credentials{}, cfg.insecure
	}
	c.Backend = store.Backend()
	raw, err := store.Get(ctx, name)
	if errors.Is(err, ErrTokenNotFound) {
		return Credentials{}, fmt.Errorf("%w: profile %q has no token in the %s keyring; log in again: %w", ErrNoCredentials, name, c.Backend, ErrTokenNotFound)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("reading the token for profile %q: %w", name, err)
	}
	want := siteOrigins(p)
	bound, tok, ok := unbind(raw)
	switch {
	case ok && bound != want:
		return Credentials{}, &SiteChangedError{Profile: name, StoredFor: bound, Now: want}
	case !ok:
		// Stored before tokens were bound to their site. Trusted only when
		// jiffy has signed in to this very URL as this user before (the
		// site cache says so): then the URL is not a new one slipped into
		// the file. The item is bound from now on; otherwise a new login.
		if !knownSite(p.URL, c.User) {
			return Credentials{}, &SiteChangedError{Profile: name, Now: want}
		}
		_ = store.Set(ctx, name, bindToken(want, tok)) // best effort: the next start checks again
	}
	c.Token = tok
	return c, nil
}

// Design note: a token in the keyring is stored with the origins it was
// given for (the site's, and the API gateway's when the profile has one):
// "jiffy-site https://acme.atlassian.net\n<token>". Resolve hands it out
// only while the profile still points there, so an edited url or api_base
// in config.toml (by the user or by anyone who can write the file) needs
// a fresh login instead of sending Basic email:token to the new host.

const bindPrefix = "jiffy-site "

// bindToken is what StoreToken puts in the keyring for origins.
func bindToken(origins, token string) string { return bindPrefix + origins + "\n" + token }

// unbind splits a keyring item into its origins and token; ok is false for
// an item stored before binding (the bare token).
func unbind(data string) (origins, token string, ok bool) {
	rest, found := strings.CutPrefix(data, bindPrefix)
	if !found {
		return "", data, false
	}
	origins, token, found = strings.Cut(rest, "\n")
	if !found {
		return "", data, false
	}
	return origins, token, true
}

// siteOrigins are the origins a profile's token is sent to.
func siteOrigins(p *Profile) string {
	o := origin(p.URL)
	if p.APIBase != "" {
		o += " " + origin(p.APIBase)
	}
	return o
}

// origin is scheme://host[:port], lower-cased; the raw text when it does
// not parse (it then matches only itself).
func origin(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// knownSite reports whether the site cache has a sign-in to siteURL as user.
func knownSite(siteURL, user string) bool {
	dir, err := StateDir()
	if err != nil {
		return false
	}
	sc, err := LoadSiteCache(dir)
	if err != nil {
		return false
	}
	_, ok := sc.Get(siteURL, user)
	return ok
}

// SiteChangedError refuses a stored token because the profile no longer
// points where it was stored for (or, for a token stored before jiffy
// bound tokens to their site, at a site jiffy has signed in to).
type SiteChangedError struct {
	Profile   string
	StoredFor string // the origins the token was stored for; "" for an unbound item
	Now       string // the origins the profile points at now
}

func (e *SiteChangedError) Error() string {
	if e.StoredFor == "" {
		return fmt.Sprintf("profile %q points at %s, where jiffy has not signed in before, and its token was stored without the site it belongs to: jiffy will not send it there; if the address is right, log in again (jiffy login)", e.Profile, e.Now)
	}
	return fmt.Sprintf("profile %q now points at %s, but its token was stored for %s: jiffy will not send it to another host; if the change is yours, log in again (jiffy login)", e.Profile, e.Now, e.StoredFor)
}

// InsecureConfigError refuses stored tokens while the config file or its
// folder can be written by other users: whoever can edit it could point a
// profile at their own host and receive the token.
type InsecureConfigError struct {
	Path string      // the file or folder
	Mode fs.FileMode // its permission bits
	Dir  bool
}

func (e *InsecureConfigError) Error() string {
	what, fix := "the config file", "chmod 600 "+e.Path
	if e.Dir {
		what, fix = "the config folder", "chmod go-w "+e.Path
	}
	return fmt.Sprintf("%s %s can be written by other users (mode %04o), so jiffy will not send a stored token for its profiles: anyone who can edit it could point a profile at another host; run %s", what, e.Path, e.Mode.Perm(), fix)
}

// checkPerms finds a config file, or a folder holding it, that group or
// others may write (a sticky folder such as /tmp does not count: others
// cannot replace a file they do not own there). Not on Windows, where the
// mode bits say nothing.
func checkPerms(path string) *InsecureConfigError {
	if runtime.GOOS == "windows" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o022 != 0 {
		return &InsecureConfigError{Path: path, Mode: st.Mode()}
	}
	// The folder of the path given and, for a symlinked file (dotfiles),
	// the folder of the file it points to: in either, another user could
	// put a file of their own in its place.
	dirs := []string{filepath.Dir(path)}
	if real, err := filepath.EvalSymlinks(path); err == nil && filepath.Dir(real) != dirs[0] {
		dirs = append(dirs, filepath.Dir(real))
	}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err == nil && st.Mode().Perm()&0o022 != 0 && st.Mode()&fs.ModeSticky == 0 {
			return &InsecureConfigError{Path: dir, Mode: st.Mode(), Dir: true}
		}
	}
	return nil
}

// StoreToken puts a token in the keyring for a profile, bound to the
// profile's site (see bindToken; set p.URL and p.APIBase first), and records when
// (Profile.TokenStoredAt) for the rotation reminder; the caller then saves
// the config. Refusing while the environment overrides is the caller's
// call: see FromEnv.
func StoreToken(ctx context.Context, s Store, profile string, p *Profile, token string, now time.Time) error {
	if strings.TrimSpace(token) == "" {
		return errors.New("keyring: refusing to store an empty token")
	}
	data := token
	if p != nil {
		data = bindToken(siteOrigins(p), token)
	}
	if err := s.Set(ctx, profile, data); err != nil {
		return err
	}
	if p != nil {
		p.TokenStoredAt = now.UTC().Truncate(time.Second)
	}
	return nil
}
