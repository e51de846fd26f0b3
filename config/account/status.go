package account

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
)

// ErrStatusProblem is returned by Status when a login it reports does not
// work, so `jiffy status` can exit non-zero (as `gh auth status` does).
var ErrStatusProblem = errors.New("a Jira login needs attention")

// NewClient builds the client for resolved credentials: Basic email + API
// token or a Bearer PAT, the known flavour, the scoped-token gateway and a
// private CA from the profile. opts come after those and may override them.
func NewClient(c config.Credentials, hc *http.Client, opts ...jiraclient.Option) (*jiraclient.Client, error) {
	cred := jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: c.Token}
	if c.Basic {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBasic, User: c.User, Token: c.Token}
	}
	if hc == nil && c.CACert != "" {
		var err error
		if hc, err = caClient(c.CACert); err != nil {
			return nil, err
		}
	}
	var all []jiraclient.Option
	if hc != nil {
		all = append(all, jiraclient.WithHTTPClient(hc))
	}
	if f := jiraclient.ParseFlavor(c.Flavor); f != jiraclient.FlavorUnknown {
		all = append(all, jiraclient.WithFlavor(f))
	}
	if c.APIBase != "" {
		all = append(all, jiraclient.WithAPIBase(c.APIBase))
	}
	return jiraclient.New(c.URL, cred, append(all, opts...)...)
}

// caClient is an HTTP client that trusts the system roots plus the PEM file.
func caClient(path string) (*http.Client, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the profile's ca_cert: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the profile's ca_cert %s holds no PEM certificate: export the CA certificate in PEM format (it starts with -----BEGIN CERTIFICATE-----)", path)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr}, nil
}

// Status writes, for the named profile (or, with "", every profile and the
// environment), where the login points, how the token is kept and how old
// it is, and whether it still works, checked with one request to Jira. It
// never shows the token, not even in part. Warnings about the config file
// (cfg.Warnings) come first. The error is ErrStatusProblem when the login
// jiffy would use (the environment's, else the named or default profile)
// does not work or is missing; other profiles are reported but do not
// decide it.
func Status(ctx context.Context, w io.Writer, cfg *config.Config, store config.Store, profile string, opts ...Option) error {
	o := buildOptions(opts)
	if cfg != nil && len(cfg.Warnings) > 0 {
		fmt.Fprintln(w, "Config file")
		for _, warn := range cfg.Warnings {
			fmt.Fprintf(w, "  ! %s\n", warn)
		}
	}
	envSet := EnvVarsSet(o.getenv)
	active := "" // the profile jiffy would use, when not the environment
	if profile != "" || len(envSet) == 0 {
		if name, _, err := cfg.Profile(profile); err == nil {
			active = name
		} else if profile != "" || !errors.Is(err, config.ErrNoProfiles) {
			return err
		}
	}
	problem := false
	if len(envSet) > 0 {
		if !statusEnv(ctx, w, o, envSet, cfg) && profile == "" {
			problem = true
		}
	}
	var names []string
	if profile != "" {
		names = []string{active}
	} else if cfg != nil {
		names = cfg.ProfileNames()
	}
	if len(names) == 0 && len(envSet) == 0 {
		fmt.Fprintln(w, "Not logged in to any Jira site.")
		fmt.Fprintln(w, "  - To log in: jiffy login (or start jiffy and follow the first screen)")
		return ErrStatusProblem
	}
	if len(names) > 1 && active == "" && len(envSet) == 0 {
		// Several profiles and no default: jiffy would not know which.
		problem = true
	}
	for _, name := range names {
		if !statusProfile(ctx, w, o, cfg, store, name, len(envSet) > 0) && name == active {
			problem = true
		}
	}
	if problem {
		return ErrStatusProblem
	}
	return nil
}

func statusEnv(ctx context.Context, w io.Writer, o options, set []string, cfg *config.Config) bool {
	fmt.Fprintf(w, "Environment (%s)\n", strings.Join(set, ", "))
	creds, ok, err := config.FromEnv(o.getenv)
	if err != nil {
		fmt.Fprintf(w, "  X %v\n", err)
		return false
	}
	if !ok {
		return true
	}
	site := creds.URL
	if f := jiraclient.ParseFlavor(creds.Flavor); f != jiraclient.FlavorUnknown {
		site += " (" + f.Title() + ")"
	}
	if creds.User != "" {
		site += " as " + creds.User
	}
	fmt.Fprintf(w, "  - Site: %s\n", site)
	fmt.Fprintf(w, "  - Token: from the environment (%s); stored logins are not used while it is set\n", config.EnvToken)
	return checkLogin(ctx, w, o, creds, "the environment's token", "set "+config.EnvToken+" to a working token, or unset it to use a stored login")
}

func statusProfile(ctx context.Context, w io.Writer, o options, cfg *config.Config, store config.Store, name string, envOverrides bool) bool {
	p := cfg.Profiles[name]
	head := name
	if cfg.Default == name {
		head += " (default)"
	}
	fmt.Fprintln(w, head)
	if p == nil {
		fmt.Fprintln(w, "  X the profile is empty")
		return false
	}
	f := jiraclient.ParseFlavor(p.Flavor)
	user := p.Email
	if user == "" {
		user = p.Username
	}
	site := p.URL
	if f != jiraclient.FlavorUnknown {
		site += " (" + f.Title() + ")"
	}
	if user != "" {
		site += " as " + user
	}
	fmt.Fprintf(w, "  - Site: %s\n", site)
	if p.APIBase != "" {
		fmt.Fprintf(w, "  - API: %s (scoped token, through the Atlassian gateway)\n", p.APIBase)
	}
	relogin := loginCommand(p)
	if store == nil {
		fmt.Fprintln(w, "  X The token cannot be read: no keyring could be opened")
		if o.storeErr != nil {
			fmt.Fprintf(w, "  - Keyring: %s\n", OneLine(o.storeErr))
		}
		fmt.Fprintf(w, "  - To fix: run jiffy login to choose a keyring; for the file keyring, set %s\n", config.EnvPassphrase)
		return false
	}
	noEnv := func(string) string { return "" }
	creds, err := config.Resolve(ctx, cfg, name, noEnv, store)
	if errors.Is(err, config.ErrTokenNotFound) {
		fmt.Fprintf(w, "  X Not logged in: no token in the keyring (%s)\n", store.Backend())
		fmt.Fprintf(w, "  - To log in: %s\n", relogin)
		return false
	}
	if err != nil {
		fmt.Fprintf(w, "  X %v\n", err)
		return false
	}
	tok := fmt.Sprintf("  - Token: in the keyring (%s)", store.Backend())
	now := o.now()
	if age, ok := p.TokenAge(now); ok {
		tok += ", stored " + humanAge(age)
	}
	fmt.Fprintln(w, tok)
	if envOverrides {
		fmt.Fprintf(w, "  - Not used while %s is set\n", config.EnvToken)
	}
	ok := checkLogin(ctx, w, o, creds, "the stored token", "log in again: "+relogin)
	if p.NeedsRotation(now) {
		page := TokenPageURL(f, p.URL)
		age, _ := p.TokenAge(now)
		fmt.Fprintf(w, "  ! The token is %d days old: rotate it (create a new one at %s, then run %s)\n", int(age/(24*time.Hour)), page, relogin)
	}
	return ok
}

// checkLogin makes the one request that proves a login still works.
func checkLogin(ctx context.Context, w io.Writer, o options, creds config.Credentials, what, fix string) bool {
	c, err := NewClient(creds, o.hc)
	if err != nil {
		fmt.Fprintf(w, "  X cannot check %s: %v\n", what, err)
		return false
	}
	me, err := c.Myself(ctx)
	if err != nil {
		f := jiraclient.ParseFlavor(creds.Flavor)
		if f == jiraclient.FlavorUnknown {
			f = c.Flavor()
		}
		d := diagnose(err, f, creds.URL, creds.Token)
		if d.Field == FieldToken || d.Field == FieldEmail {
			fmt.Fprintf(w, "  X %s no longer works: %s\n", capitalize(what), d.Cause)
			fmt.Fprintf(w, "  - To fix: %s\n", fix)
		} else {
			fmt.Fprintf(w, "  X Could not check %s: %s\n", what, d.Cause)
			fmt.Fprintf(w, "  - To fix: %s\n", d.Fix)
		}
		return false
	}
	name := me.DisplayName
	if name == "" {
		name = me.ID()
	}
	fmt.Fprintf(w, "  ✓ Logged in as %s\n", name)
	return true
}

// OneLine is err's message on one line: a multi-line explanation (the
// keyring's, listing each backend) joined with "; ".
func OneLine(err error) string {
	if err == nil {
		return ""
	}
	var parts []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, strings.TrimPrefix(l, "- "))
		}
	}
	return strings.Join(parts, "; ")
}

func loginCommand(p *config.Profile) string {
	cmd := "jiffy login --url " + p.URL
	if p.Email != "" {
		cmd += " --email " + p.Email
	}
	return cmd
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// humanAge is "today", "1 day ago", "12 days ago".
func humanAge(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	switch {
	case d < 0:
		return "just now"
	case days == 0:
		return "today"
	case days == 1:
		return "1 day ago"
	}
	return fmt.Sprintf("%d days ago", days)
}
