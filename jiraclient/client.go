// Package jiraclient speaks Jira's REST API: Cloud (REST v3, API tokens,
// Atlassian Document Format) and Data Center (REST v2, Personal Access Tokens,
// wiki markup). Every request goes through one transport chain that adds auth,
// throttles, retries and logs with the credential redacted.
package jiraclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// Client is a Jira REST client for one site and one credential.
type Client struct {
	base   string
	hc     *http.Client
	cred   Credential
	flavor atomic.Int32
	detect sync.Mutex
}

// request is one REST call.
type request struct {
	Method     string
	Path       string     // from the site root, e.g. "/rest/api/3/issue/ABC-1" (build with c.api)
	Query      url.Values
	Body       any        // JSON-encoded when non-nil
	IssueKey   string     // set on writes to one issue: per-issue write pacing
	Idempotent bool       // retried on connection reset too; GET/HEAD/PUT/DELETE always count as idempotent
}

// Flavor is the site's flavour, FlavorUnknown until detected.
func (c *Client) Flavor() Flavor { return Flavor(c.flavor.Load()) }

// api builds "/rest/api/{2|3}/" + parts, each part path-escaped.
func (c *Client) api(parts ...string) string {
	var b strings.Builder
	b.WriteString("/rest/api/")
	b.WriteString(c.Flavor().APIVersion())
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p))
	}
	return b.String()
}

// ensureFlavor detects the flavour on first use and caches it.
func (c *Client) ensureFlavor(ctx context.Context) (Flavor, error) {
	if f := c.Flavor(); f != FlavorUnknown {
		return f, nil
	}
	c.detect.Lock()
	defer c.detect.Unlock()
	if f := c.Flavor(); f != FlavorUnknown {
		return f, nil
	}
	var si struct {
		DeploymentType string `json:"deploymentType"`
	}
	if err := c.call(ctx, request{Method: http.MethodGet, Path: "/rest/api/2/serverInfo"}, &si); err != nil {
		return FlavorUnknown, err
	}
	f := FlavorDataCenter
	if si.DeploymentType == "Cloud" {
		f = FlavorCloud
	}
	c.flavor.Store(int32(f))
	return f, nil
}

// call sends r and decodes a JSON body into out (out may be nil).
// Provisional: replaced by the full transport chain.
func (c *Client) call(ctx context.Context, r request, out any) error {
	var body io.Reader
	if r.Body != nil {
		b, err := json.Marshal(r.Body)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	u := c.base + r.Path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u, body)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: HTTP %d", r.Method, r.Path, resp.StatusCode)
	}
	if out == nil {
		return nil
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil || len(data) == 0 {
		return err
	}
	return json.Unmarshal(data, out)
}
