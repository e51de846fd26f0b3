package config

import (
	"context"
	"errors"
	"fmt"
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
	c.Backend = store.Backend()
	tok, err := store.Get(ctx, name)
	if errors.Is(err, ErrTokenNotFound) {
		return Credentials{}, fmt.Errorf("%w: profile %q has no token in the %s keyring; log in again: %w", ErrNoCredentials, name, c.Backend, ErrTokenNotFound)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("reading the token for profile %q: %w", name, err)
	}
	c.Token = tok
	return c, nil
}

// StoreToken puts a token in the keyring for a profile and records when
// (Profile.TokenStoredAt) for the rotation reminder; the caller then saves
// the config. Refusing while the environment overrides is the caller's
// call: see FromEnv.
func StoreToken(ctx context.Context, s Store, profile string, p *Profile, token string, now time.Time) error {
	if err := s.Set(ctx, profile, token); err != nil {
		return err
	}
	if p != nil {
		p.TokenStoredAt = now.UTC().Truncate(time.Second)
	}
	return nil
}
