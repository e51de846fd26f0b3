package jiraclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// ServerInfo asks the site what it is. It works on both flavours and,
// usually, without logging in.
//
// Jira REST: GET /rest/api/2/serverInfo
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-server-info/
func (c *Client) ServerInfo(ctx context.Context) (*ServerInfo, error) {
	var si ServerInfo
	if err := c.call(ctx, request{Method: http.MethodGet, Path: "/rest/api/2/serverInfo"}, &si); err != nil {
		return nil, err
	}
	return &si, nil
}

// DetectFlavor asks serverInfo which Jira this is and caches the answer on
// c: deploymentType "Cloud" is Cloud, "Server" and "DataCenter" are Data
// Center. When Jira leaves deploymentType out, or when a Cloud host
// (*.atlassian.net, *.jira.com, *.jira-dev.com) does not answer serverInfo
// as Jira would, the host decides. A client using the Cloud API gateway
// (WithAPIBase) is Cloud without asking.
func (c *Client) DetectFlavor(ctx context.Context) (Flavor, error) {
	return c.detectFlavor(ctx, false)
}

func (c *Client) detectFlavor(ctx context.Context, onlyIfUnknown bool) (Flavor, error) {
	c.detect.Lock()
	defer c.detect.Unlock()
	if f := c.Flavor(); onlyIfUnknown && f != FlavorUnknown {
		return f, nil
	}
	if c.apiBase != c.base {
		c.flavor.Store(int32(FlavorCloud))
		return FlavorCloud, nil
	}
	cloudHost := isCloudHost(strings.Split(c.host, ":")[0])
	si, err := c.ServerInfo(ctx)
	if err != nil {
		if cloudHost && KindOf(err) == KindNotJira {
			c.flavor.Store(int32(FlavorCloud))
			return FlavorCloud, nil
		}
		return FlavorUnknown, err
	}
	f := flavorOf(si, cloudHost)
	c.flavor.Store(int32(f))
	return f, nil
}

// flavorOf reads a serverInfo answer, with the host as the tie-breaker.
func flavorOf(si *ServerInfo, cloudHost bool) Flavor {
	switch strings.ToLower(strings.TrimSpace(si.DeploymentType)) {
	case "cloud":
		return FlavorCloud
	case "server", "datacenter", "data center":
		return FlavorDataCenter
	}
	if cloudHost {
		return FlavorCloud
	}
	if u, err := url.Parse(si.BaseURL); err == nil && isCloudHost(u.Hostname()) {
		return FlavorCloud
	}
	return FlavorDataCenter
}

// Myself returns the logged-in user: a cheap way to check a credential.
//
// Jira REST: GET /rest/api/{3|2}/myself
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
func (c *Client) Myself(ctx context.Context) (*User, error) {
	if _, err := c.ensureFlavor(ctx); err != nil {
		return nil, err
	}
	var u User
	if err := c.call(ctx, request{Method: http.MethodGet, Path: c.api("myself")}, &u); err != nil {
		return nil, err
	}
	if u.AccountID == "" && u.Name == "" {
		e := c.errCtx(http.MethodGet, c.api("myself")).newError(KindAuth)
		e.Status = http.StatusOK
		e.what = "Jira answered without a user, so the login did not work"
		return nil, e
	}
	return &u, nil
}

// CloudID returns the cloud ID of a Jira Cloud site, needed to reach it
// through the API gateway (WithAPIBase) with a scoped or service-account
// token. It asks the site anonymously; hc may be nil.
//
// GET {site}/_edge/tenant_info -> {"cloudId": "..."}
// https://support.atlassian.com/jira/kb/retrieve-my-atlassian-sites-cloud-id
func CloudID(ctx context.Context, hc *http.Client, siteURL string) (string, error) {
	site, err := NormalizeURL(siteURL)
	if err != nil {
		return "", err
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	u, _ := url.Parse(site)
	const path = "/_edge/tenant_info"
	ec := errorContext{method: http.MethodGet, path: path, host: u.Host, flavor: FlavorCloud, timeout: DefaultTimeout}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, site+path, nil)
	if err != nil {
		e := ec.newError(KindInvalid)
		e.Err = errors.New("cannot build the request")
		return "", e
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", DefaultUserAgent)
	resp, err := hc.Do(req)
	if err != nil {
		return "", ec.fromTransport(ctx, err, false)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return "", ec.fromTransport(ctx, err, false)
	}
	data = safetext.CleanJSON(data)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", ec.fromResponse(resp, data, time.Now())
	}
	var ti struct {
		CloudID string `json:"cloudId"`
	}
	if err := json.Unmarshal(data, &ti); err != nil || strings.TrimSpace(ti.CloudID) == "" {
		e := ec.newError(KindNotJira)
		e.Status = resp.StatusCode
		e.title = htmlTitle(data)
		e.what = "the site " + u.Host + " did not report a cloud ID"
		e.hint = "only Jira Cloud sites (https://your-site.atlassian.net) have a cloud ID; Data Center has none"
		return "", e
	}
	return strings.TrimSpace(ti.CloudID), nil
}
