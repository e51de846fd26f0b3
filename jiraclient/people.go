package jiraclient

import (
	"context"
	"net/http"
	"net/url"
	"sync"

	"github.com/jiffy-tui/jiffy/jiraclient/markup"
)

// Design note: a Data Center mention is wiki markup, [~ada], and carries
// only the user name; Jira shows the person's display name. So that both
// flavours read the same ("@Ada Lovelace"), the client keeps a directory
// of the people it has met (in issues, comments and user lists) and names
// each mention from it; a name it has not met is asked for once
// (GET /user) and remembered, found or not. One issue costs at most
// maxMentionLookups extra requests, made side by side, and none once the
// team is known. A lookup that fails leaves the user name, as before.

// maxMentionLookups bounds the users one issue may look up.
const maxMentionLookups = 8

// directory maps user ids (name and key on Data Center, accountId on
// Cloud) to display names; "" records a failed lookup.
type directory struct {
	mu    sync.Mutex
	names map[string]string
}

func (d *directory) learn(us ...*User) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.names == nil {
		d.names = map[string]string{}
	}
	for _, u := range us {
		if u == nil || u.DisplayName == "" {
			continue
		}
		for _, id := range []string{u.Name, u.Key, u.AccountID} {
			if id != "" {
				d.names[id] = u.DisplayName
			}
		}
	}
}

func (d *directory) lookup(id string) (name string, known bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	name, known = d.names[id]
	return name, known
}

func (d *directory) remember(id, name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.names == nil {
		d.names = map[string]string{}
	}
	if _, ok := d.names[id]; !ok || name != "" {
		d.names[id] = name
	}
}

// User looks one user up by id: the username on Data Center (a user key
// such as JIRAUSER10100 is tried next), the accountId on Cloud.
// GET /rest/api/{3|2}/user
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-user-get).
func (c *Client) User(ctx context.Context, id string) (*User, error) {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return nil, err
	}
	path := c.api("user")
	if id == "" {
		return nil, invalidInput(http.MethodGet, path, "no user named", "give a user name or account id")
	}
	params := []string{"username", "key"}
	if f == FlavorCloud {
		params = []string{"accountId"}
	}
	for i, p := range params {
		var u User
		err = c.call(ctx, request{Method: http.MethodGet, Path: path, Query: url.Values{p: {id}}}, &u)
		if err == nil {
			c.people.learn(&u)
			return &u, nil
		}
		if KindOf(err) != KindNotFound || i == len(params)-1 {
			break
		}
	}
	return nil, err
}

// meetIssue records the people an issue names.
func (c *Client) meetIssue(is *Issue) {
	us := []*User{is.Assignee, is.Reporter}
	for i := range is.Comments {
		us = append(us, &is.Comments[i].Author)
	}
	c.people.learn(us...)
}

// nameMentions gives Data Center mentions in the bodies the display names
// Jira shows, looking up the people not met yet. Cloud's mentions carry
// their names already.
func (c *Client) nameMentions(ctx context.Context, bodies ...*string) {
	if c.Flavor() != FlavorDataCenter {
		return
	}
	var unknown []string
	for _, b := range bodies {
		for _, id := range markup.MentionIDs(*b) {
			if _, known := c.people.lookup(id); !known && len(unknown) < maxMentionLookups {
				unknown = append(unknown, id)
			}
		}
	}
	var wg sync.WaitGroup
	for _, id := range unknown {
		wg.Go(func() {
			u, err := c.User(ctx, id)
			switch {
			case err == nil:
				c.people.remember(id, u.DisplayName)
			case KindOf(err) == KindNotFound:
				c.people.remember(id, "") // no such user: do not ask again
			}
		})
	}
	wg.Wait()
	name := func(id string) string {
		n, _ := c.people.lookup(id)
		return n
	}
	for _, b := range bodies {
		*b = markup.NameMentions(*b, name)
	}
}

// nameIssueMentions names the mentions in an issue's description and
// comments.
func (c *Client) nameIssueMentions(ctx context.Context, is *Issue) {
	c.meetIssue(is)
	bodies := []*string{&is.Description}
	for i := range is.Comments {
		bodies = append(bodies, &is.Comments[i].Body)
	}
	c.nameMentions(ctx, bodies...)
}
