package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is the whole config.toml. It holds no secrets: tokens live in the
// keyring (or in JIRA_API_TOKEN), never here.
type Config struct {
	Default  string              `toml:"default,omitempty"` // default profile name
	Keyring  KeyringSettings     `toml:"keyring,omitempty"`
	Profiles map[string]*Profile `toml:"profiles,omitempty"`
	// Terminal is what jiffy may ask of the terminal (hyperlinks).
	Terminal Terminal `toml:"terminal,omitempty"`
	// Commands are the user's own keys (see Command).
	Commands []Command `toml:"commands,omitempty"`
	// Theme is the [theme] table as written (see Theme, ThemeChoice).
	Theme Theme `toml:"theme,omitempty"`
	// Keys is the [keys] table as written (see Keys, KeyBindings).
	Keys Keys `toml:"keys,omitempty"`

	// Warnings lists what Load ignored (unknown keys, a token written into
	// the file); the UI shows them once. Never saved.
	Warnings []string `toml:"-"`

	// insecure is set by Load when the file or its folder can be written
	// by other users; Resolve then refuses stored tokens.
	insecure *InsecureConfigError
	// themeChoice is Theme checked by Load (see ThemeChoice).
	themeChoice ThemeChoice
	// keyBindings is Keys checked by Load (see KeyBindings).
	keyBindings []KeyBinding
}

// KeyringSettings chooses where tokens are kept. See the package doc for
// which backend is used when.
type KeyringSettings struct {
	// Backend is "" (automatic: the OS store), or one of "keychain",
	// "wincred", "secret-service", "kwallet", "keyctl", "pass", "file".
	Backend string `toml:"backend,omitempty"`
	// FileDir is where the "file" backend keeps its encrypted files;
	// default UserConfigDir/jiffy/keyring.
	FileDir string `toml:"file_dir,omitempty"`
}

// Profile is one Jira site and account.
type Profile struct {
	URL        string   `toml:"url"`
	Flavor     string   `toml:"flavor,omitempty"`      // "cloud" | "datacenter"; "" = detect
	Email      string   `toml:"email,omitempty"`       // Cloud: the Basic-auth user
	Username   string   `toml:"username,omitempty"`    // Data Center: informational (PAT auth)
	APIBase    string   `toml:"api_base,omitempty"`    // Cloud gateway for scoped tokens
	CACert     string   `toml:"ca_cert,omitempty"`     // PEM file for a private CA
	DefaultJQL string   `toml:"default_jql,omitempty"` // first tab's query
	Queries    []Query  `toml:"queries,omitempty"`     // saved query tabs
	Throttle   Throttle `toml:"throttle,omitempty"`
	// RefreshMinutes, above zero, reloads the shown list that often while
	// jiffy runs (off by default).
	RefreshMinutes int `toml:"refresh_minutes,omitempty"`
	// HideFields are fields (ids like "customfield_10019" or names like
	// "Rank", any case) the issue detail leaves out of its field section.
	HideFields []string `toml:"hide_fields,omitempty"`
	// Columns are the issue list's columns, in order: the built-in ones
	// (key, type, priority, status, assignee, summary, updated) and any
	// field by id ("customfield_10016", "duedate") or name ("Sprint").
	// Empty shows the built-in ones.
	Columns []string `toml:"columns,omitempty"`
	// TokenStoredAt is when the token was last put in the keyring; it drives
	// the rotation reminder. It says nothing about the token itself.
	TokenStoredAt time.Time `toml:"token_stored_at,omitempty"`
}

// Query is a saved query tab.
type Query struct {
	Name string `toml:"name"`
	JQL  string `toml:"jql"`
}

// Throttle overrides the client's request limits; a zero field keeps the
// client's default.
type Throttle struct {
	ReadRPS        float64 `toml:"read_rps,omitempty"`
	WriteRPS       float64 `toml:"write_rps,omitempty"`
	MaxInFlight    int     `toml:"max_in_flight,omitempty"`
	TimeoutSeconds int     `toml:"timeout_seconds,omitempty"`
}

// Flavor values accepted in Profile.Flavor.
const (
	FlavorCloud      = "cloud"
	FlavorDataCenter = "datacenter"
)

// RotationAge is how old a token may get before the UI suggests rotating
// it. Atlassian recommends regular rotation and Cloud API tokens created
// since 2024-12 expire after at most a year; 90 days is the common policy.
const RotationAge = 90 * 24 * time.Hour

// ErrNoProfiles is returned by Profile when the file defines no profile.
var ErrNoProfiles = errors.New("no Jira site is set up yet")

// ErrUnknownProfile is wrapped by Profile's error for a name that is not in
// the file.
var ErrUnknownProfile = errors.New("unknown profile")

// DefaultPath is $JIFFY_CONFIG, else UserConfigDir/jiffy/config.toml
// (~/.config/jiffy/config.toml on Linux).
func DefaultPath() (string, error) {
	if p := os.Getenv("JIFFY_CONFIG"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the config directory (%v): set JIFFY_CONFIG to the config file's path", err)
	}
	return filepath.Join(dir, "jiffy", "config.toml"), nil
}

// ParseError says where config.toml is malformed. jiffy never overwrites a
// file in this state: the user fixes or moves it.
type ParseError struct {
	Path         string
	Line, Column int // 1-based; 0 when the problem has no single place
	Msg          string
}

// Error reads like a compiler message: "config.toml:12:5: what — what to do".
func (e *ParseError) Error() string {
	where := e.Path
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, e.Line)
		if e.Column > 0 {
			where = fmt.Sprintf("%s:%d", where, e.Column)
		}
	}
	return fmt.Sprintf("%s: %s — fix or move the file; jiffy will not overwrite it", where, e.Msg)
}

// Load reads the config file. A missing file is an empty Config and no
// error (first run). A malformed file, or one with values jiffy cannot use,
// is a *ParseError.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the config file: %w", err)
	}
	c, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	if ins := checkPerms(path); ins != nil {
		c.insecure = ins
		c.Warnings = append(c.Warnings, ins.Error())
	}
	return c, nil
}

func parse(path string, data []byte) (*Config, error) {
	var c Config
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		pe := &ParseError{Path: path, Msg: err.Error()}
		var te toml.ParseError
		if errors.As(err, &te) {
			pe.Line, pe.Column, pe.Msg = te.Position.Line, te.Position.Col, te.Message
		} else if m := typeErrRE().FindStringSubmatch(err.Error()); m != nil {
			// Type mismatches come as plain errors: "toml: line 2 (last
			// key "profiles.a.url"): incompatible types: ...".
			pe.Line, _ = strconv.Atoi(m[1])
			pe.Msg = m[2] + ": " + m[3]
		}
		return nil, pe
	}
	// The TOML package quietly skips a non-table value for a map field.
	// ("" is an implicit table, made by a [profiles.NAME] header.)
	if t := md.Type("profiles"); t != "" && t != "Hash" {
		return nil, &ParseError{Path: path, Line: keyLine(data, "", "profiles"),
			Msg: "profiles must be tables, one per site: [profiles.NAME] with url = \"...\" below it"}
	}
	// An empty [profiles] table is no profiles, as a file without one: Save
	// writes neither, so both must load the same.
	if len(c.Profiles) == 0 {
		c.Profiles = nil
	}
	for _, k := range md.Undecoded() {
		if len(k) > 1 && k[0] == "keys" {
			continue // nested [keys] tables land in Keys as maps: checkKeys reads them
		}
		c.Warnings = append(c.Warnings, c.undecodedWarning(path, data, k))
	}
	if err := c.validate(path, data); err != nil {
		return nil, err
	}
	c.checkCommands(path, data)
	c.checkTheme(path, data)
	c.checkKeys(path, data)
	return &c, nil
}

// undecodedWarning says, with file:line, that a key is ignored. A secret
// is said loudly, with the command that puts it in the keyring instead;
// its value is never echoed.
func (c *Config) undecodedWarning(path string, data []byte, k toml.Key) string {
	key := k.String()
	where := path
	if line := keyLine(data, strings.Join(k[:len(k)-1], "."), k[len(k)-1]); line > 0 {
		where = fmt.Sprintf("%s:%d", path, line)
	}
	last := strings.ToLower(k[len(k)-1])
	if !strings.Contains(last, "token") && !strings.Contains(last, "password") && !strings.Contains(last, "secret") {
		return fmt.Sprintf("%s: unknown key %q is ignored", where, key)
	}
	login := "jiffy login --url URL [--email EMAIL] --with-token < token-file"
	if len(k) >= 2 && k[0] == "profiles" {
		if p := c.Profiles[k[1]]; p != nil && p.URL != "" {
			login = "jiffy login --url " + redactURL(p.URL)
			if p.Email != "" {
				login += " --email " + p.Email
			}
			login += " --with-token < token-file"
		}
	}
	return fmt.Sprintf("%s: SECRET IN THE CONFIG FILE: %q is ignored (jiffy never reads secrets from the config file) and anyone who can read the file can use it. Move it to the keyring: %s, then delete the line", where, key, login)
}

var typeErrRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)
})

// keyLine finds the line where key is set inside [table] ("" = top level),
// or where the table starts when key is "", so a semantic error can point
// at a line too. The TOML package keeps key positions private; this reads
// the plain layout jiffy writes and most people type, and gives 0
// (no position) for anything fancier.
func keyLine(data []byte, table, key string) int {
	cur := ""
	for i, line := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") {
			h := strings.Trim(l, "[] \t")
			if j := strings.Index(h, "]"); j >= 0 {
				h = h[:j]
			}
			parts := strings.Split(h, ".")
			for k := range parts {
				parts[k] = strings.Trim(strings.TrimSpace(parts[k]), `"'`)
			}
			cur = strings.Join(parts, ".")
			if key == "" && cur == table {
				return i + 1
			}
			continue
		}
		if key != "" && cur == table {
			if k, _, ok := strings.Cut(l, "="); ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
				return i + 1
			}
		}
	}
	return 0
}

// Backends names every keyring backend Keyring.Backend may choose.
var Backends = []string{"keychain", "wincred", "secret-service", "kwallet", "keyctl", "pass", "file"}

// validate checks what TOML syntax cannot. data is the file's text, for
// line numbers; nil when validating before a save.
func (c *Config) validate(path string, data []byte) error {
	bad := func(table, key, format string, args ...any) error {
		return &ParseError{Path: path, Line: keyLine(data, table, key), Msg: fmt.Sprintf(format, args...)}
	}
	if b := c.Keyring.Backend; b != "" && !contains(Backends, b) {
		return bad("keyring", "backend", "keyring.backend = %q is not a keyring jiffy knows; use one of %s, or remove the line for automatic choice", b, strings.Join(Backends, ", "))
	}
	for _, name := range c.ProfileNames() {
		p := c.Profiles[name]
		if p == nil {
			continue
		}
		if p.URL == "" {
			return bad("profiles."+name, "", "profile %q has no url; add url = \"https://your-site.atlassian.net\"", name)
		}
		if err := checkSiteURL(p.URL); err != nil {
			return bad("profiles."+name, "url", "profile %q: %v", name, err)
		}
		switch p.Flavor {
		case "", FlavorCloud, FlavorDataCenter:
		default:
			return bad("profiles."+name, "flavor", "profile %q: flavor = %q; use \"cloud\", \"datacenter\", or remove it to detect", name, p.Flavor)
		}
		t := p.Throttle
		if t.ReadRPS < 0 || t.WriteRPS < 0 || t.MaxInFlight < 0 || t.TimeoutSeconds < 0 {
			return bad("profiles."+name+".throttle", "", "profile %q: throttle values must not be negative (0 keeps the default)", name)
		}
		// Ranges, so no value overflows into a deadline of a few
		// milliseconds (or a negative one) or a rate of infinity.
		if t.TimeoutSeconds > MaxTimeoutSeconds {
			return bad("profiles."+name+".throttle", "timeout_seconds", "profile %q: timeout_seconds = %d is more than %d (an hour); use 1 to %d, or 0 for the default (30)", name, t.TimeoutSeconds, MaxTimeoutSeconds, MaxTimeoutSeconds)
		}
		for _, r := range []struct {
			key string
			v   float64
		}{{"read_rps", t.ReadRPS}, {"write_rps", t.WriteRPS}} {
			if math.IsNaN(r.v) || r.v > MaxRPS {
				return bad("profiles."+name+".throttle", r.key, "profile %q: %s = %v is out of range; use 0 to %d, or 0 for the default", name, r.key, r.v, MaxRPS)
			}
		}
		if t.MaxInFlight > MaxInFlight {
			return bad("profiles."+name+".throttle", "max_in_flight", "profile %q: max_in_flight = %d is more than %d; use 1 to %d, or 0 for the default", name, t.MaxInFlight, MaxInFlight, MaxInFlight)
		}
		for i, q := range p.Queries {
			if strings.TrimSpace(q.JQL) == "" {
				return bad("profiles."+name+".queries", "", "profile %q: query %d (%q) has no jql", name, i+1, q.Name)
			}
		}
	}
	if c.Default != "" && len(c.Profiles) > 0 {
		if _, ok := c.Profiles[c.Default]; !ok {
			return bad("", "default", "default = %q names no profile; known profiles: %s", c.Default, strings.Join(c.ProfileNames(), ", "))
		}
	}
	return nil
}

// Upper bounds of a profile's throttle settings.
const (
	MaxTimeoutSeconds = 3600
	MaxRPS            = 1000
	MaxInFlight       = 100
)

// checkSiteURL catches what would otherwise fail far from the file; the
// full normalisation is jiraclient.NormalizeURL's job.
func checkSiteURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("url %q is not a web address; use the form https://your-site.atlassian.net", redactURL(raw))
	}
	if u.User != nil {
		return fmt.Errorf("url must not contain a user name or password; remove the part before @")
	}
	return nil
}

// redactURL drops any userinfo so a pasted "https://me:token@host" never
// ends up in a message.
func redactURL(raw string) string {
	if i := strings.Index(raw, "@"); i >= 0 {
		if j := strings.Index(raw, "://"); j >= 0 && j < i {
			return raw[:j+3] + "…@" + raw[i+1:]
		}
		return "…@" + raw[i+1:]
	}
	return raw
}

// Save writes the config atomically: a temp file in the same directory,
// fsync, rename, so a crash leaves either the old file or the new one.
// The file is 0600 and a new directory 0700. Save refuses to replace a file
// that does not parse (the user's edit in progress), returning that
// *ParseError. A symlinked config file is followed, so the link survives.
// Comments in the file are not preserved.
func (c *Config) Save(path string) error {
	// A config kept in a dotfiles repo is often a symlink; replace the
	// file it points to, not the link.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if old, err := os.ReadFile(path); err == nil {
		if _, perr := parse(path, old); perr != nil {
			var pe *ParseError
			if errors.As(perr, &pe) {
				return fmt.Errorf("not saving settings: %w", perr)
			}
			return perr
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading the config file before saving: %w", err)
	}
	if err := c.validate(path, nil); err != nil {
		// The problem is in memory, not in the file: no file advice.
		var pe *ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("not saving settings: %s", pe.Msg)
		}
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("# jiffy settings. Tokens are not kept here: they live in the keyring.\n")
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return fmt.Errorf("encoding settings: %w", err)
	}
	return writeFileAtomic(path, buf.Bytes(), nil)
}

// ProfileNames returns the profile names, sorted.
func (c *Config) ProfileNames() []string {
	names := make([]string, 0, len(c.Profiles))
	for n := range c.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Profile picks a profile: name "" means the default, or the only one.
// Errors name the known profiles so the user can pick; with no profiles at
// all the error wraps ErrNoProfiles.
func (c *Config) Profile(name string) (string, *Profile, error) {
	if c == nil || len(c.Profiles) == 0 {
		if name != "" {
			return "", nil, fmt.Errorf("%w %q: %w; log in to add a site", ErrUnknownProfile, name, ErrNoProfiles)
		}
		return "", nil, fmt.Errorf("%w: log in to add a site, or set JIRA_URL and JIRA_API_TOKEN", ErrNoProfiles)
	}
	known := strings.Join(c.ProfileNames(), ", ")
	if name == "" {
		name = c.Default
	}
	if name == "" {
		if len(c.Profiles) == 1 {
			name = c.ProfileNames()[0]
		} else {
			return "", nil, fmt.Errorf("several profiles (%s) and no default: pick one with --profile NAME or set default = \"NAME\" in the config file", known)
		}
	}
	p, ok := c.Profiles[name]
	if !ok || p == nil {
		return "", nil, fmt.Errorf("%w %q; known profiles: %s", ErrUnknownProfile, name, known)
	}
	return name, p, nil
}

// SetProfile adds or replaces a profile. It becomes the default when asked,
// or when there was no default yet.
func (c *Config) SetProfile(name string, p *Profile, makeDefault bool) {
	if c.Profiles == nil {
		c.Profiles = map[string]*Profile{}
	}
	c.Profiles[name] = p
	if makeDefault || c.Default == "" {
		c.Default = name
	}
}

// RemoveProfile deletes a profile (the caller removes its token from the
// keyring). If it was the default, the default is cleared, or moved to the
// only remaining profile.
func (c *Config) RemoveProfile(name string) {
	delete(c.Profiles, name)
	if c.Default == name {
		c.Default = ""
		if len(c.Profiles) == 1 {
			c.Default = c.ProfileNames()[0]
		}
	}
}

// UniqueProfileName returns base, or base-2, base-3, ... whichever is free.
func (c *Config) UniqueProfileName(base string) string {
	if _, taken := c.Profiles[base]; !taken {
		return base
	}
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s-%d", base, i)
		if _, taken := c.Profiles[n]; !taken {
			return n
		}
	}
}

// KeyringOptions turns the [keyring] settings into options for OpenKeyring.
func (c *Config) KeyringOptions() KeyringOptions {
	if c == nil {
		return KeyringOptions{}
	}
	return KeyringOptions{Backend: c.Keyring.Backend, FileDir: c.Keyring.FileDir}
}

// ProfileName derives a readable profile name from a site and user:
// "acme.atlassian.net" (user "") or "jira.corp.com-ada". A port and a Data
// Center context path become part of the name; an email contributes its
// local part. Only [a-z0-9._-] survive, so the name is safe as a keyring key
// and a file name.
func ProfileName(siteURL, user string) string {
	s := strings.TrimSpace(siteURL)
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		s = u.Host
		if p := strings.Trim(u.Path, "/"); p != "" && !strings.HasPrefix(p, "browse") {
			s += "-" + p
		}
	}
	s = strings.ReplaceAll(s, ":", "-")
	name := sanitizeName(s)
	if user = strings.TrimSpace(user); user != "" {
		if i := strings.Index(user, "@"); i > 0 {
			user = user[:i]
		}
		if u := sanitizeName(user); u != "" {
			name += "-" + u
		}
	}
	if name == "" {
		name = "jira"
	}
	return name
}

func sanitizeName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		ok := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '.' || r == '_'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-.")
}

// TokenAge is how long ago the token was stored; false when unknown.
func (p *Profile) TokenAge(now time.Time) (time.Duration, bool) {
	if p == nil || p.TokenStoredAt.IsZero() {
		return 0, false
	}
	return now.Sub(p.TokenStoredAt), true
}

// NeedsRotation reports a token stored RotationAge (90 days) ago or more.
func (p *Profile) NeedsRotation(now time.Time) bool {
	age, ok := p.TokenAge(now)
	return ok && age >= RotationAge
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
