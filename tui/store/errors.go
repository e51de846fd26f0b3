package store

import (
	"errors"
	"net"
	"sort"
	"strings"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

var (
	// ErrNoClient answers a request made before anyone signed in.
	ErrNoClient = errors.New("not signed in: no Jira client")
	errNoIssue  = errors.New("Jira sent no issue")
)

// Describe is the one place that turns an error into the sentence the user
// reads: Jira's own messages for a refused request, else what went wrong
// with its next step (Hint).
func Describe(err error) string {
	if err == nil {
		return ""
	}
	var je *jiraclient.Error
	if errors.As(err, &je) {
		if je.Kind == jiraclient.KindBadRequest && (len(je.Messages) > 0 || len(je.FieldErrors) > 0) {
			parts := append([]string(nil), je.Messages...)
			fields := make([]string, 0, len(je.FieldErrors))
			for f := range je.FieldErrors {
				fields = append(fields, f)
			}
			sort.Strings(fields)
			for _, f := range fields {
				parts = append(parts, je.FieldErrors[f])
			}
			return strings.Join(parts, " ")
		}
	}
	if a := Advice(err); a != "" {
		sep := ": "
		if je.Hint() != "" {
			sep = "; "
		}
		return err.Error() + sep + a
	}
	return err.Error()
}

// Short is an error's first half: what went wrong, without the next step
// (a status-bar line).
func Short(err error) string {
	var je *jiraclient.Error
	if errors.As(err, &je) {
		return je.What()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// Hint is the user's next step for err: jiraclient's own (about the
// request and Jira) and, after it, the advice about jiffy's setup that
// jiraclient does not give, since it knows nothing of the config file
// (Advice).
func Hint(err error) string {
	var je *jiraclient.Error
	if !errors.As(err, &je) {
		return ""
	}
	parts := make([]string, 0, 2)
	if h := je.Hint(); h != "" {
		parts = append(parts, h)
	}
	if a := Advice(err); a != "" {
		parts = append(parts, a)
	}
	return strings.Join(parts, "; ")
}

// Advice is what jiffy's own setup can do about err: the profile's site
// URL, its ca_cert, a new login. "" when the setup is not the cause.
func Advice(err error) string {
	var je *jiraclient.Error
	if !errors.As(err, &je) {
		return ""
	}
	switch je.Kind {
	case jiraclient.KindAuth:
		return "then sign in again with it (jiffy login)"
	case jiraclient.KindCaptcha:
		return "then sign in again (a Personal Access Token in the profile avoids this check)"
	case jiraclient.KindNotJira:
		return "check the site URL in the profile (Data Center sites may need a context path such as https://jira.example.com/jira)"
	case jiraclient.KindTLS:
		return "check the site URL in the profile; if your Jira uses a company certificate authority, set ca_cert in the profile to its PEM file"
	case jiraclient.KindNetwork:
		var dns *net.DNSError
		if errors.As(err, &dns) {
			return "check the site URL in the profile"
		}
	}
	return ""
}
