package account

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
)

// DefaultGatewayBase is the Atlassian API gateway; a site's Jira is at
// DefaultGatewayBase + cloudId. Scoped API tokens only work there.
const DefaultGatewayBase = "https://api.atlassian.com/ex/jira/"

// Site is what jiffy found at an address before any login: the normalised
// site URL and whether it is Jira Cloud or Data Center.
type Site struct {
	URL    string
	Flavor jiraclient.Flavor
	// Info is the site's serverInfo; nil when the site would not tell an
	// anonymous caller (some Data Center sites require a login for it).
	Info *jiraclient.ServerInfo
}

// Title names the site's kind as a person would: "Jira Cloud",
// "Jira Data Center 9.12".
func (s Site) Title() string {
	if s.Flavor == jiraclient.FlavorCloud {
		return "Jira Cloud"
	}
	// Data Center 10 still reports deploymentType "Server", and Server
	// itself is end-of-life, so every self-hosted Jira is named Data Center.
	name := "Jira Data Center"
	if v := shortVersion(s.Info); v != "" {
		name += " " + v
	}
	return name
}

// shortVersion is "major.minor" ("9.12" of 9.12.4).
func shortVersion(si *jiraclient.ServerInfo) string {
	if si == nil {
		return ""
	}
	if len(si.VersionNumbers) >= 2 {
		return strconv.Itoa(si.VersionNumbers[0]) + "." + strconv.Itoa(si.VersionNumbers[1])
	}
	parts := strings.SplitN(si.Version, ".", 3)
	if len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return si.Version
}

// Detect normalises a pasted address (a browse URL works too) and finds out
// whether it is Jira Cloud or Data Center, without credentials. Failures
// are *VerifyError with Field FieldURL (unreachable, not Jira, TLS, ...).
func Detect(ctx context.Context, rawURL string, hc *http.Client) (Site, error) {
	site, err := normalize(rawURL)
	if err != nil {
		return Site{}, err
	}
	c, err := jiraclient.New(site, jiraclient.Credential{Kind: jiraclient.AuthBearer}, clientOptions(hc)...)
	if err != nil {
		return Site{}, diagnose(err, jiraclient.FlavorUnknown, site, "")
	}
	f, err := c.DetectFlavor(ctx)
	if err != nil {
		// A Data Center site may refuse anonymous callers even serverInfo;
		// such a site is Jira (it spoke Jira's auth), and Cloud sites never
		// do this, so it is Data Center.
		if isLoginWall(err) {
			return Site{URL: site, Flavor: jiraclient.FlavorDataCenter}, nil
		}
		return Site{URL: site}, diagnose(err, jiraclient.FlavorUnknown, site, "")
	}
	s := Site{URL: site, Flavor: f}
	if f != jiraclient.FlavorCloud {
		// The version is only for the screen ("Jira Data Center 9.12"): a
		// site that hides it is still usable.
		if si, err := c.ServerInfo(ctx); err == nil {
			s.Info = si
		}
	}
	return s, nil
}

func isLoginWall(err error) bool {
	switch jiraclient.KindOf(err) {
	case jiraclient.KindAuth, jiraclient.KindForbidden, jiraclient.KindCaptcha:
		return true
	}
	return false
}

// normalize wraps jiraclient.NormalizeURL's refusals as URL-field errors.
func normalize(rawURL string) (string, error) {
	raw := strings.TrimSpace(rawURL)
	if raw == "" {
		return "", &VerifyError{Field: FieldURL,
			Cause: "the site URL is empty",
			Fix:   "paste the address of your Jira site, e.g. https://your-company.atlassian.net"}
	}
	site, err := jiraclient.NormalizeURL(raw)
	if err == nil {
		return site, nil
	}
	if jiraclient.KindOf(err) == jiraclient.KindInsecure {
		return "", diagnose(err, jiraclient.FlavorUnknown, "", "")
	}
	cause := "this is not a site address"
	var je *jiraclient.Error
	if errors.As(err, &je) {
		cause = je.What()
	}
	return "", &VerifyError{Field: FieldURL,
		Cause: cause,
		Fix:   "enter the address you open Jira at in a browser, e.g. https://your-company.atlassian.net, or paste the URL of any issue", Err: err}
}

func clientOptions(hc *http.Client, extra ...jiraclient.Option) []jiraclient.Option {
	var opts []jiraclient.Option
	if hc != nil {
		opts = append(opts, jiraclient.WithHTTPClient(hc))
	}
	return append(opts, extra...)
}

// VerifyInput is what the user typed, plus what jiffy already knows.
type VerifyInput struct {
	URL   string
	Email string // Jira Cloud only: the Atlassian account email
	Token string // Cloud API token or Data Center Personal Access Token
	// Flavor skips detection when already known (from Detect, or the
	// profile being re-entered); FlavorUnknown detects.
	Flavor jiraclient.Flavor
	// HTTPClient is the base transport (tests, a private CA); nil is the
	// client's default.
	HTTPClient *http.Client
	// GatewayBase replaces DefaultGatewayBase (tests).
	GatewayBase string
}

// Result is a verified login: a working client and who it signs in as.
type Result struct {
	Client *jiraclient.Client
	Me     *jiraclient.User
	Flavor jiraclient.Flavor
	// SiteURL is the normalised site ("https://acme.atlassian.net").
	SiteURL string
	// Email is the Cloud login email as typed (Jira may hide Me.Email).
	Email string
	// APIBase is the gateway URL when the token only works there (a Cloud
	// scoped token); "" means the site URL itself.
	APIBase    string
	ServerInfo *jiraclient.ServerInfo
}

// User is the name the profile and the keyring key are derived from: the
// email on Cloud, the username on Data Center.
func (r *Result) User() string {
	if r.Flavor == jiraclient.FlavorCloud {
		return r.Email
	}
	if r.Me != nil {
		return r.Me.Name
	}
	return ""
}

// DisplayName is how to greet the user.
func (r *Result) DisplayName() string {
	if r.Me != nil && r.Me.DisplayName != "" {
		return r.Me.DisplayName
	}
	return r.User()
}

// Verify checks a login against Jira before anything is stored: it
// normalises the URL, detects the flavour (unless given), builds the
// credential the flavour wants (Cloud: Basic email + API token; Data
// Center: Bearer PAT) and asks Jira who that is. A Cloud login refused on
// the site is retried through the API gateway, where scoped tokens work.
// Every failure is a *VerifyError naming the field at fault.
func Verify(ctx context.Context, in VerifyInput) (*Result, error) {
	site, err := normalize(in.URL)
	if err != nil {
		return nil, err
	}
	token := strings.TrimSpace(in.Token)
	f := in.Flavor
	var info *jiraclient.ServerInfo
	if f == jiraclient.FlavorUnknown {
		s, err := Detect(ctx, site, in.HTTPClient)
		if err != nil {
			return nil, err
		}
		f, info = s.Flavor, s.Info
	}
	email := strings.TrimSpace(in.Email)
	if err := CheckInput(f, email, token); err != nil {
		return nil, err
	}
	cred := jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: token}
	if f == jiraclient.FlavorCloud {
		cred = jiraclient.Credential{Kind: jiraclient.AuthBasic, User: email, Token: token}
	}
	c, err := jiraclient.New(site, cred, clientOptions(in.HTTPClient, jiraclient.WithFlavor(f))...)
	if err != nil {
		return nil, diagnose(err, f, site, token)
	}
	me, err := c.Myself(ctx)
	if err == nil {
		return &Result{Client: c, Me: me, Flavor: f, SiteURL: site, Email: email, ServerInfo: info}, nil
	}
	if f == jiraclient.FlavorCloud && jiraclient.IsAuth(err) && LooksLikeCloudToken(token) {
		if r, gerr := viaGateway(ctx, in, site, cred); gerr == nil {
			r.ServerInfo = info
			return r, nil
		}
		// The gateway failing too says nothing new: report the site's
		// answer, which is about the credential itself.
	}
	return nil, diagnose(err, f, site, token)
}

// CheckInput catches what is missing before any request is made (an empty
// token, a Cloud login without an email), so the login screen can say so
// at once.
func CheckInput(f jiraclient.Flavor, email, token string) error {
	if f == jiraclient.FlavorCloud {
		if email == "" {
			return &VerifyError{Field: FieldEmail,
				Cause: "Jira Cloud needs the email of your Atlassian account",
				Fix:   "enter the email you sign in to Jira with"}
		}
		if !strings.Contains(email, "@") {
			return &VerifyError{Field: FieldEmail,
				Cause: "Jira Cloud signs in with an email address, not a user name",
				Fix:   "enter the email you sign in to Atlassian with"}
		}
	}
	if token == "" {
		if f == jiraclient.FlavorCloud {
			return &VerifyError{Field: FieldToken,
				Cause: "the API token is empty",
				Fix:   "create an API token at " + CloudTokenPage + " and sign in with it"}
		}
		return &VerifyError{Field: FieldToken,
			Cause: "the personal access token is empty",
			Fix:   "create one in your Jira profile (Personal Access Tokens) and sign in with it"}
	}
	return nil
}

// viaGateway retries a Cloud login through api.atlassian.com/ex/jira/{cloudId}.
func viaGateway(ctx context.Context, in VerifyInput, site string, cred jiraclient.Credential) (*Result, error) {
	hc := in.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	id, err := jiraclient.CloudID(ctx, hc, site)
	if err != nil {
		return nil, err
	}
	base := in.GatewayBase
	if base == "" {
		base = DefaultGatewayBase
	}
	apiBase := strings.TrimRight(base, "/") + "/" + id
	c, err := jiraclient.New(site, cred, clientOptions(in.HTTPClient, jiraclient.WithFlavor(jiraclient.FlavorCloud), jiraclient.WithAPIBase(apiBase))...)
	if err != nil {
		return nil, err
	}
	me, err := c.Myself(ctx)
	if err != nil {
		return nil, fmt.Errorf("gateway login: %w", err)
	}
	return &Result{Client: c, Me: me, Flavor: jiraclient.FlavorCloud, SiteURL: site, Email: cred.User, APIBase: apiBase}, nil
}

// Resume signs in with a stored login: the profile's token from store
// (profile "" is the default), checked with one request. It is what the
// login screen does once a locked keyring is open; failures are diagnosed
// like Verify's, and a missing token wraps config.ErrTokenNotFound.
func Resume(ctx context.Context, cfg *config.Config, profile string, store config.Store, hc *http.Client) (*Result, string, error) {
	noEnv := func(string) string { return "" }
	creds, err := config.Resolve(ctx, cfg, profile, noEnv, store)
	if err != nil {
		return nil, "", err
	}
	c, err := NewClient(creds, hc)
	if err != nil {
		return nil, creds.Profile, diagnose(err, jiraclient.ParseFlavor(creds.Flavor), creds.URL, creds.Token)
	}
	me, err := c.Myself(ctx)
	if err != nil {
		f := c.Flavor()
		if f == jiraclient.FlavorUnknown {
			f = jiraclient.ParseFlavor(creds.Flavor)
		}
		return nil, creds.Profile, diagnose(err, f, creds.URL, creds.Token)
	}
	res := &Result{Client: c, Me: me, Flavor: c.Flavor(), SiteURL: c.BaseURL(), APIBase: creds.APIBase}
	if creds.Basic {
		res.Email = creds.User
	}
	return res, creds.Profile, nil
}
