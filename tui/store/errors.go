package store

import (
	"errors"
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
// reads: Jira's own messages for a refused request, offline for a lost
// network, else the error with its next step.
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
