package common

import (
	"context"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// GetIssue fetches key as the detail view shows it: every field ("*all"),
// decoded by the site's schemas into Issue.Values, with Issue.Names filled
// from the site's field list (GET /field, fetched once per client, that is
// per profile). Every place that loads an issue for the detail (the list's
// fetch, the read-back after a write) goes through here, so a re-fetch
// never loses the field section.
//
// When the field list cannot be had, the issue is still fetched, with the
// detail's fixed fields only: one odd endpoint must not hide the issue.
func GetIssue(ctx context.Context, cl *jiraclient.Client, key string) (*jiraclient.Issue, error) {
	fs, err := cl.Fields(ctx)
	if err != nil {
		fs = nil
	}
	return getIssue(ctx, cl, key, fs)
}

// ReadBack fetches key after a write, for the views to show what Jira now
// holds. It decodes every field when the field list is already cached (the
// detail fetched it when it opened the issue) and never asks for the list
// itself: a write costs the requests it did before.
func ReadBack(ctx context.Context, cl *jiraclient.Client, key string) (*jiraclient.Issue, error) {
	return getIssue(ctx, cl, key, cl.CachedFields())
}

func getIssue(ctx context.Context, cl *jiraclient.Client, key string, fs *jiraclient.Fields) (*jiraclient.Issue, error) {
	if fs == nil {
		return cl.GetIssue(ctx, key, jiraclient.GetIssueOptions{Fields: jiraclient.DetailFields})
	}
	is, err := cl.GetIssue(ctx, key, jiraclient.GetIssueOptions{Fields: []string{"*all"}, Schemas: fs})
	if err != nil || is == nil {
		return is, err
	}
	if len(is.Values) > 0 {
		names := make(map[string]string, len(is.Values))
		for id := range is.Values {
			names[id] = fs.Name(id)
		}
		for id, n := range is.Names { // Jira's own names, when asked for, win
			names[id] = n
		}
		is.Names = names
	}
	return is, nil
}
