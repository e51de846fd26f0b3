package jiraclient

import (
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// jiraPathRoots are the first path segments of Jira pages and APIs. A pasted
// URL is cut at the first of them, so what remains is the site plus any Data
// Center context path ("/jira" in https://example.com/jira/browse/ABC-1).
var jiraPathRoots = map[string]bool{
	"browse": true, "secure": true, "projects": true, "rest": true, "issues": true,
	"plugins": true, "servicedesk": true, "software": true, "core": true,
	"dashboards": true, "your-work": true, "for-you": true, "people": true, "filters": true,
	"login.jsp": true, "logout": true, "s": true, "images": true, "si": true, "_edge": true,
	"wiki": true, "issue": true, "boards": true,
}

// NormalizeURL turns what a user types or pastes into a site base URL:
// "acme.atlassian.net/browse/ABC-1?focused=1" becomes
// "https://acme.atlassian.net", and "https://example.com/jira/secure/Dashboard.jspa"
// keeps its context path: "https://example.com/jira". Plain http is refused
// (KindInsecure) unless the host is loopback, because the credential would
// cross the network in clear. Other bad input is KindInvalid.
func NormalizeURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", invalidURL(raw, "the site URL is empty")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", invalidURL(raw, "this is not a web address")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return "", invalidURL(raw, "the site URL must start with https://")
	}
	if u.User != nil {
		return "", &Error{Kind: KindInvalid, Err: errors.New("the site URL contains a user name or password"),
			hint: "remove it from the URL: the credential is sent apart from it"}
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if !validHost(host) {
		return "", invalidURL(raw, "the site URL has no valid host name")
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", invalidURL(raw, "the port in the site URL is not a number from 1 to 65535")
		}
		if (scheme == "https" && n == 443) || (scheme == "http" && n == 80) {
			port = ""
		}
	}
	if scheme == "http" && !isLoopbackHost(host) {
		return "", &Error{Kind: KindInsecure, host: host}
	}
	hostport := host
	if strings.Contains(host, ":") {
		hostport = "[" + host + "]"
	}
	if port != "" {
		hostport += ":" + port
	}
	out := scheme + "://" + hostport
	if !isCloudHost(host) {
		out += contextPath(u.EscapedPath())
	}
	return out, nil
}

func invalidURL(raw, why string) *Error {
	shown := strings.TrimSpace(raw)
	if r := []rune(shown); len(r) > 60 {
		shown = string(r[:59]) + "…"
	}
	msg := why
	if shown != "" {
		msg += " (" + strconv.Quote(shown) + ")"
	}
	return &Error{Kind: KindInvalid, Err: errors.New(msg)}
}

// contextPath keeps the leading segments of an escaped path up to the first
// Jira page or API root, and drops empty segments.
func contextPath(p string) string {
	var keep []string
	for _, seg := range strings.Split(p, "/") {
		if seg == "" {
			continue
		}
		l := strings.ToLower(seg)
		if jiraPathRoots[l] || strings.HasSuffix(l, ".jspa") || strings.HasSuffix(l, ".jsp") {
			break
		}
		keep = append(keep, seg)
	}
	if len(keep) == 0 {
		return ""
	}
	return "/" + strings.Join(keep, "/")
}

// validHost accepts DNS names and IP literals.
func validHost(h string) bool {
	if h == "" {
		return false
	}
	if net.ParseIP(h) != nil {
		return true
	}
	// One trailing dot (the DNS root) is trimmed before this; a second
	// would leave "host." here, which the next NormalizeURL would trim
	// again to a different site: refuse it.
	if len(h) > 253 || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") || strings.HasPrefix(h, "-") || strings.Contains(h, "..") {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}

// isLoopbackHost reports whether h (a host name without port) never leaves
// this machine: localhost, 127.0.0.0/8, ::1.
func isLoopbackHost(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// isCloudHost reports whether h is an Atlassian Cloud site host.
func isCloudHost(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	for _, s := range []string{".atlassian.net", ".jira.com", ".jira-dev.com"} {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}

// origin is scheme://host[:port] with the default port made explicit, used to
// decide whether a request may carry the credential.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
