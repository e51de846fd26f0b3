package account

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Field names the input a failed login is blamed on, so the login screen can
// show the message beside it.
type Field int

// The fields of a login.
const (
	FieldNone Field = iota // not tied to one field (a server error, a cancelled check)
	FieldURL
	FieldEmail
	FieldToken
)

// String is the field as the login screen labels it.
func (f Field) String() string {
	switch f {
	case FieldURL:
		return "site URL"
	case FieldEmail:
		return "email"
	case FieldToken:
		return "token"
	}
	return "login"
}

// VerifyError is a failed login, diagnosed: which field is at fault, what
// went wrong and what to do. Err is the underlying error (usually a
// *jiraclient.Error) for errors.As; no part of it carries the token.
type VerifyError struct {
	Field Field
	// Cause says what is wrong ("Jira did not accept this email and API token").
	Cause string
	// Fix says what to do next, in words the user can act on.
	Fix string
	Err error
}

// Error is "cause: fix".
func (e *VerifyError) Error() string {
	if e.Fix == "" {
		return e.Cause
	}
	return e.Cause + ": " + e.Fix
}

// Hint is the user's next step alone.
func (e *VerifyError) Hint() string { return e.Fix }

// Unwrap gives errors.As access to the *jiraclient.Error underneath.
func (e *VerifyError) Unwrap() error { return e.Err }

// FieldOf returns the field a login error is blamed on (FieldNone if err is
// not a *VerifyError).
func FieldOf(err error) Field {
	var ve *VerifyError
	if errors.As(err, &ve) {
		return ve.Field
	}
	return FieldNone
}

// The pages where a user creates a token.
const (
	// CloudTokenPage is where an Atlassian account creates API tokens.
	CloudTokenPage = "https://id.atlassian.com/manage-profile/security/api-tokens"
	// dcTokenPath is the Personal Access Tokens tab of a Data Center profile.
	dcTokenPath = "/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens"
)

// TokenPageURL is the page where the user creates a token for the site:
// their Atlassian account's API tokens on Cloud, the profile's Personal
// Access Tokens tab on Data Center. It is "" for Data Center without a site.
func TokenPageURL(f jiraclient.Flavor, siteURL string) string {
	if f == jiraclient.FlavorCloud {
		return CloudTokenPage
	}
	site := strings.TrimRight(siteURL, "/")
	if site == "" {
		return ""
	}
	return site + dcTokenPath
}

// cloudTokenPrefix starts every Atlassian API token issued since 2023 (the
// older 24-character tokens all expired by May 2026).
const cloudTokenPrefix = "ATATT"

// LooksLikeCloudToken reports whether s has the shape of an Atlassian API
// token: long and starting with "ATATT". It is a heuristic used only to
// explain a failed login (a pasted password is the commonest mistake), never
// to refuse a token before Jira has seen it.
func LooksLikeCloudToken(s string) bool {
	return strings.HasPrefix(s, cloudTokenPrefix) && len(s) >= 60 && !strings.ContainsAny(s, " \t")
}

// diagnose turns a failure of a login step into a *VerifyError. f is the
// flavour the site was found to be (FlavorUnknown while detecting), site the
// normalised site URL ("" before it is known).
func diagnose(err error, f jiraclient.Flavor, site, token string) *VerifyError {
	var ve *VerifyError
	if errors.As(err, &ve) {
		return ve
	}
	host := hostOf(site)
	if host == "" {
		host = "the site"
	}
	var je *jiraclient.Error
	if !errors.As(err, &je) {
		switch {
		case errors.Is(err, context.Canceled):
			return &VerifyError{Field: FieldNone, Cause: "the check was cancelled", Fix: "try again", Err: err}
		case errors.Is(err, context.DeadlineExceeded):
			return &VerifyError{Field: FieldURL, Cause: host + " did not answer in time", Fix: "check the address and your network or VPN, then try again", Err: err}
		}
		return &VerifyError{Field: FieldNone, Cause: "the login failed (" + err.Error() + ")", Fix: "try again; if it keeps failing, run jiffy with --debug-log and report the log", Err: err}
	}

	switch je.Kind {
	case jiraclient.KindInsecure:
		return &VerifyError{Field: FieldURL,
			Cause: "jiffy will not send a token over plain http://",
			Fix:   "use the https:// address of your Jira site", Err: err}
	case jiraclient.KindNotJira:
		return &VerifyError{Field: FieldURL,
			Cause: host + " answered with a web page, not Jira's REST API",
			Fix:   "check the address: open any Jira issue in your browser and use its URL", Err: err}
	case jiraclient.KindNotFound:
		return &VerifyError{Field: FieldURL,
			Cause: host + " has no Jira REST API at this address",
			Fix:   "check the address, including any path such as /jira: paste the URL of a Jira issue from your browser", Err: err}
	case jiraclient.KindTLS:
		return &VerifyError{Field: FieldURL,
			Cause: "the TLS certificate of " + host + " is not trusted (" + rootCause(je) + ")",
			Fix:   "if your company uses its own certificate authority, add it to the system's trusted certificates, or put ca_cert = \"/path/to/ca.pem\" in the profile in jiffy's config file", Err: err}
	case jiraclient.KindTimeout:
		return &VerifyError{Field: FieldURL,
			Cause: host + " did not answer in time",
			Fix:   "check the address and your network or VPN, then try again", Err: err}
	case jiraclient.KindCanceled:
		return &VerifyError{Field: FieldNone, Cause: "the check was cancelled", Fix: "try again", Err: err}
	case jiraclient.KindNetwork:
		var dns *net.DNSError
		if errors.As(err, &dns) {
			return &VerifyError{Field: FieldURL,
				Cause: "cannot find " + host + " (no such host)",
				Fix:   "check the spelling of the address; on a company network, connect to the VPN first", Err: err}
		}
		return &VerifyError{Field: FieldURL,
			Cause: "cannot reach " + host + " (" + rootCause(je) + ")",
			Fix:   "check the address and your network or VPN, then try again", Err: err}
	case jiraclient.KindCaptcha:
		login := "the Jira login page"
		if site != "" {
			login = site + "/login.jsp"
		}
		return &VerifyError{Field: FieldToken,
			Cause: "Jira wants a CAPTCHA after too many failed logins, so it refuses API logins for now",
			Fix:   "sign in once in your browser at " + login + " and solve the CAPTCHA (or ask a Jira admin to reset your failed login count), then try again", Err: err}
	case jiraclient.KindForbidden:
		return &VerifyError{Field: FieldToken,
			Cause: "Jira accepted the login but refused access (403)",
			Fix:   forbiddenFix(f), Err: err}
	case jiraclient.KindAuth:
		return authFailure(je, f, site, token)
	case jiraclient.KindRateLimited:
		return &VerifyError{Field: FieldNone,
			Cause: "Jira is limiting requests right now (429)",
			Fix:   "wait a minute and try again", Err: err}
	case jiraclient.KindUnavailable, jiraclient.KindServer:
		return &VerifyError{Field: FieldNone,
			Cause: host + " had a server error (" + statusText(je.Status) + ")",
			Fix:   "Jira may be down or under maintenance; try again in a few minutes", Err: err}
	}
	return &VerifyError{Field: FieldNone, Cause: "the login failed (" + je.Error() + ")", Fix: je.Hint(), Err: err}
}

// authFailure explains a refused login. Jira does not say why it refused a
// credential, so the message goes by what is most likely given the
// flavour, the answer and the shape of what was typed.
func authFailure(je *jiraclient.Error, f jiraclient.Flavor, site, token string) *VerifyError {
	page := TokenPageURL(f, site)
	if f == jiraclient.FlavorCloud {
		if !LooksLikeCloudToken(token) {
			return &VerifyError{Field: FieldToken,
				Cause: "Jira Cloud refused this token, and it looks like a password (API tokens are long and start with " + cloudTokenPrefix + ")",
				Fix:   "Jira Cloud no longer accepts passwords from apps; create an API token at " + page + " and sign in with it", Err: je}
		}
		if je.Status == 200 {
			// A 200 marked AUTHENTICATED_FAILED is what Cloud answers for
			// an expired token on an endpoint anonymous users may read
			// (jira.js#418).
			return &VerifyError{Field: FieldToken,
				Cause: "Jira Cloud no longer accepts this API token: it has expired or was revoked",
				Fix:   "create a new API token at " + page + " and sign in with it", Err: je}
		}
		return &VerifyError{Field: FieldToken,
			Cause: "Jira Cloud did not accept this email and API token",
			Fix:   "check that the email is the one you sign in to Atlassian with and that the token was copied whole; tokens expire after a year at most, so if it is older, create a new one at " + page, Err: je}
	}
	fix := "create a new personal access token"
	if page != "" {
		fix += " at " + page
	} else {
		fix += " in your Jira profile (Personal Access Tokens)"
	}
	fix += " and sign in with it (a password does not work)"
	if je.Status == 200 || strings.EqualFold(je.LoginReason, "AUTHENTICATED_FAILED") {
		return &VerifyError{Field: FieldToken,
			Cause: "Jira did not accept this personal access token (mistyped, expired or revoked)",
			Fix:   fix, Err: je}
	}
	return &VerifyError{Field: FieldToken,
		Cause: "Jira did not accept this personal access token",
		Fix:   fix, Err: je}
}

func forbiddenFix(f jiraclient.Flavor) string {
	if f == jiraclient.FlavorCloud {
		return "your account may have no Jira access on this site, or a scoped token lacks the read:jira-user and read:jira-work scopes; ask a site admin, or create a token with those scopes"
	}
	return "your account may have no Jira access, or the site blocks API access from your network; ask a Jira admin"
}

func hostOf(site string) string {
	if site == "" {
		return ""
	}
	u, err := url.Parse(site)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Host
}

// rootCause is the innermost error's text, which names the network problem
// ("connection refused", "certificate signed by unknown authority") without
// repeating the request.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			break
		}
		err = next
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		s = s[i+2:]
	}
	return s
}

func statusText(code int) string {
	if code == 0 {
		return "no status"
	}
	return fmt.Sprintf("HTTP %d", code)
}
