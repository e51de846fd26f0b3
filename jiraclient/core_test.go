package jiraclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// dcServerInfo is the real DC 10.3.13 answer as observed (partial body).
func dcServerInfo(t *testing.T) string {
	var w struct {
		BodyPartial json.RawMessage `json:"body_partial"`
	}
	if err := json.Unmarshal(readFixture(t, "core", "dc-serverinfo-observed.json"), &w); err != nil {
		t.Fatal(err)
	}
	return string(w.BodyPartial)
}

func TestServerInfoDecodesFixtures(t *testing.T) {
	c, _ := newTestClient(t, jsonHandler(200, string(readFixture(t, "core", "go-atlassian-server-info.json"))))
	si, err := c.ServerInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if si.BaseURL != "https://your-domain.atlassian.net/jira" || si.Version != "1001.0.0-SNAPSHOT" || si.BuildNumber != 582 ||
		si.ServerTitle != "My Jira instance" || len(si.VersionNumbers) != 3 || si.VersionNumbers[0] != 5 || si.DeploymentType != "" {
		t.Errorf("%+v", si)
	}
	c2, _ := newTestClient(t, jsonHandler(200, dcServerInfo(t)))
	si, err = c2.ServerInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if si.Version != "10.3.13" || si.DeploymentType != "Server" {
		t.Errorf("%+v", si)
	}
}

func TestDetectFlavor(t *testing.T) {
	cases := []struct {
		name string
		body string
		want Flavor
	}{
		{"Cloud", `{"deploymentType":"Cloud","version":"1001.0.0-SNAPSHOT"}`, FlavorCloud},
		{"DC reports Server (observed)", "", FlavorDataCenter},
		{"DataCenter", `{"deploymentType":"DataCenter","version":"9.12.0"}`, FlavorDataCenter},
		{"no deploymentType, Cloud baseUrl (go-atlassian)", string(readFixture(t, "core", "go-atlassian-server-info.json")), FlavorCloud},
		{"no deploymentType, Cloud baseUrl (spec example)", string(readFixture(t, "core", "spec-serverInfo.GET.200.json")), FlavorCloud},
		{"no deploymentType, own host", `{"baseUrl":"https://jira.example.com","version":"7.0.0"}`, FlavorDataCenter},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == "" {
				body = dcServerInfo(t)
			}
			var paths []string
			var mu sync.Mutex
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				paths = append(paths, r.URL.Path)
				mu.Unlock()
				jsonHandler(200, body)(w, r)
			}), WithFlavor(FlavorUnknown))
			f, err := c.DetectFlavor(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if f != tc.want || c.Flavor() != tc.want {
				t.Errorf("DetectFlavor = %v, Flavor() = %v, want %v", f, c.Flavor(), tc.want)
			}
			if len(paths) != 1 || paths[0] != "/rest/api/2/serverInfo" {
				t.Errorf("paths %v", paths)
			}
		})
	}
}

func TestDetectFlavorCloudHostHint(t *testing.T) {
	html := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(404)
		_, _ = w.Write([]byte("<html><title>Atlassian</title></html>"))
	})
	c, err := New("https://acme.atlassian.net", testCred, WithHTTPClient(&http.Client{Transport: handlerTransport{html}}), noRetry())
	if err != nil {
		t.Fatal(err)
	}
	if f, err := c.DetectFlavor(context.Background()); err != nil || f != FlavorCloud {
		t.Errorf("Cloud host with a non-Jira serverInfo: %v, %v", f, err)
	}
	dc, _ := New("https://jira.example.com", testCred, WithHTTPClient(&http.Client{Transport: handlerTransport{html}}), noRetry())
	if f, err := dc.DetectFlavor(context.Background()); KindOf(err) != KindNotJira || f != FlavorUnknown || dc.Flavor() != FlavorUnknown {
		t.Errorf("other host with a non-Jira serverInfo: %v, %v", f, err)
	}
	// A Cloud host that answers serverInfo without deploymentType.
	empty := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { jsonHandler(200, `{"version":"1001.0.0"}`)(w, r) })
	c2, _ := New("https://acme.jira.com", testCred, WithHTTPClient(&http.Client{Transport: handlerTransport{empty}}))
	if f, _ := c2.DetectFlavor(context.Background()); f != FlavorCloud {
		t.Errorf("jira.com host: %v", f)
	}
}

func TestEnsureFlavorDetectsOnceAndRetriesAfterFailure(t *testing.T) {
	var serverInfo, myself atomic.Int32
	var fail atomic.Bool
	fail.Store(true)
	me := string(readFixture(t, "core", "go-atlassian-get-myselft.json"))
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rest/api/2/serverInfo":
			serverInfo.Add(1)
			if fail.Load() {
				jsonHandler(500, `{"errorMessages":["boom"]}`)(w, r)
				return
			}
			jsonHandler(200, `{"deploymentType":"Cloud"}`)(w, r)
		case "/rest/api/3/myself":
			myself.Add(1)
			jsonHandler(200, me)(w, r)
		default:
			t.Errorf("unexpected %s", r.URL.Path)
			w.WriteHeader(404)
		}
	}), WithFlavor(FlavorUnknown), noRetry())
	if _, err := c.Myself(context.Background()); KindOf(err) != KindServer {
		t.Fatalf("first Myself: %v", err)
	}
	if c.Flavor() != FlavorUnknown {
		t.Fatal("a failed detection was cached")
	}
	fail.Store(false)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.Myself(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if serverInfo.Load() != 2 || myself.Load() != 20 {
		t.Errorf("serverInfo asked %d times (want 1 failed + 1), myself %d", serverInfo.Load(), myself.Load())
	}
}

func TestMyselfDecodesFixtures(t *testing.T) {
	c, _ := newTestClient(t, jsonHandler(200, string(readFixture(t, "core", "go-atlassian-get-myselft.json"))))
	u, err := c.Myself(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := User{AccountID: "5b86be50b8e3cb5895860d6d", DisplayName: "Carlos Treminio", Email: "someone@example.com", Active: true, TimeZone: "America/Guatemala"}
	if *u != want {
		t.Errorf("got %+v\nwant %+v", *u, want)
	}
	c2, _ := newTestClient(t, jsonHandler(200, string(readFixture(t, "core", "spec-myself.GET.200.json"))))
	u, err = c2.Myself(context.Background())
	if err != nil || u.AccountID != "5b10a2844c20165700ede21g" || u.DisplayName != "Mia Krystof" || u.Name != "" {
		t.Errorf("%+v %v", u, err)
	}
	// Data Center: v2 path, name/key users.
	var path string
	dc, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		jsonHandler(200, `{"name":"ana","key":"JIRAUSER10100","displayName":"Ana","emailAddress":"ana@example.com","active":true}`)(w, r)
	}), WithFlavor(FlavorDataCenter))
	u, err = dc.Myself(context.Background())
	if err != nil || path != "/rest/api/2/myself" || u.Name != "ana" || u.Key != "JIRAUSER10100" || u.ID() != "ana" {
		t.Errorf("%+v %v %s", u, err, path)
	}
	// An anonymous-looking answer is not a user.
	anon, _ := newTestClient(t, jsonHandler(200, `{}`))
	if _, err := anon.Myself(context.Background()); !IsAuth(err) {
		t.Errorf("empty myself: %v", err)
	}
}

func TestCloudID(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Error("tenant_info asked with a credential")
		}
		switch r.URL.Path {
		case "/_edge/tenant_info":
			_, _ = w.Write([]byte(`{"cloudId":"11223344-a1b2-3b33-c444-def123456789"}` + "\n"))
		default:
			w.WriteHeader(404)
		}
	}))
	defer srv.Close()
	id, err := CloudID(context.Background(), nil, srv.URL+"/browse/ABC-1")
	if err != nil || id != "11223344-a1b2-3b33-c444-def123456789" {
		t.Fatalf("%q %v", id, err)
	}

	notCloud := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(200)
		_, _ = w.Write([]byte("<html><title>System Dashboard - Jira</title></html>"))
	}))
	defer notCloud.Close()
	_, err = CloudID(context.Background(), notCloud.Client(), notCloud.URL)
	if KindOf(err) != KindNotJira || !strings.Contains(err.Error(), "did not report a cloud ID") || !strings.Contains(err.Error(), "Data Center has none") {
		t.Errorf("%v", err)
	}
	if _, err := CloudID(context.Background(), nil, "http://jira.example.com"); KindOf(err) != KindInsecure {
		t.Errorf("%v", err)
	}
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	if _, err := CloudID(context.Background(), nil, missing.URL); KindOf(err) != KindNotJira && KindOf(err) != KindNotFound {
		t.Errorf("404: %v (%v)", err, KindOf(err))
	}
}

// startCoreFake serves a fakejira of the given flavour on an httptest server.
func startCoreFake(t *testing.T, flavor string) (*fakejira.Server, string) {
	t.Helper()
	fj := fakejira.New(fakejira.Options{Flavor: flavor, Issues: 5})
	srv := httptest.NewServer(fj)
	t.Cleanup(srv.Close)
	fj.SetBaseURL(srv.URL)
	return fj, srv.URL
}

func TestAgainstFakeJira(t *testing.T) {
	ctx := context.Background()
	t.Run("Cloud", func(t *testing.T) {
		fj, u := startCoreFake(t, fakejira.FlavorCloud)
		c, err := New(u, Credential{Kind: AuthBasic, User: fakejira.Email, Token: fakejira.Token})
		if err != nil {
			t.Fatal(err)
		}
		me, err := c.Myself(ctx) // detects the flavour first
		if err != nil {
			t.Fatal(err)
		}
		if c.Flavor() != FlavorCloud || me.AccountID != fj.Me().AccountID || me.DisplayName != "Ada Lovelace" {
			t.Errorf("flavour %v, me %+v", c.Flavor(), me)
		}
		bad, _ := New(u, Credential{Kind: AuthBasic, User: fakejira.Email, Token: "wrong"}, WithFlavor(FlavorCloud))
		if _, err := bad.Myself(ctx); !IsAuth(err) || !strings.Contains(err.Error(), "id.atlassian.com") {
			t.Errorf("wrong token: %v", err)
		}
		fj.ExpireToken()
		if _, err := c.Myself(ctx); !IsAuth(err) {
			t.Errorf("expired token: %v", err)
		}
		for _, r := range fj.Requests() {
			if strings.Contains(r.RawQuery+r.Body, fakejira.Token) {
				t.Errorf("token sent outside the header: %+v", r)
			}
		}
	})
	t.Run("Data Center", func(t *testing.T) {
		fj, u := startCoreFake(t, fakejira.FlavorDataCenter)
		c, err := New(u, Credential{Kind: AuthBearer, Token: fakejira.Token})
		if err != nil {
			t.Fatal(err)
		}
		if f, err := c.DetectFlavor(ctx); err != nil || f != FlavorDataCenter {
			t.Fatalf("DetectFlavor = %v, %v", f, err)
		}
		me, err := c.Myself(ctx)
		if err != nil || me.Name != fakejira.Username {
			t.Fatalf("%+v %v", me, err)
		}
		bad, _ := New(u, Credential{Kind: AuthBearer, Token: "wrong"}, WithFlavor(FlavorDataCenter))
		_, err = bad.Myself(ctx)
		if !IsAuth(err) || !strings.Contains(err.Error(), "Personal Access Token") {
			t.Errorf("wrong PAT: %v", err)
		}
		pw, _ := New(u, Credential{Kind: AuthBasic, User: fakejira.Username, Token: "wrong-password"}, WithFlavor(FlavorDataCenter))
		fj.SetCaptcha(true)
		if _, err := pw.Myself(ctx); KindOf(err) != KindCaptcha {
			t.Errorf("CAPTCHA lockout: %v (%v)", err, KindOf(err))
		}
	})
	t.Run("faults", func(t *testing.T) {
		fj, u := startCoreFake(t, fakejira.FlavorCloud)
		c, err := New(u, Credential{Kind: AuthBasic, User: fakejira.Email, Token: fakejira.Token}, WithFlavor(FlavorCloud), withClock(newFakeClock()))
		if err != nil {
			t.Fatal(err)
		}
		fj.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Status: 429, RetryAfter: "2"}, {Status: 503}, {Drop: true}, {}}})
		if _, err := c.Myself(ctx); err != nil {
			t.Fatalf("429, 503, drop then success: %v", err)
		}
		// net/http itself resends an idempotent request whose reused
		// connection died before any answer, so the drop may not reach the
		// retry loop; the server saw all four either way.
		if s := c.Stats(); s.Retries < 2 || s.RateLimited != 1 || len(fj.Requests()) != 4 {
			t.Errorf("stats %+v, server saw %d requests", s, len(fj.Requests()))
		}
		fj.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{HTML: true, Status: 502}}})
		if _, err := c.Myself(ctx); KindOf(err) != KindServer {
			t.Errorf("proxy 502: %v (%v)", err, KindOf(err))
		}
		fj.ResetRequests()
		fj.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{AfterHandler: true}}})
		err = c.call(ctx, request{Method: http.MethodPost, Path: c.api("issue", "DEMO-1", "comment"), Body: map[string]any{"body": map[string]any{"type": "doc", "version": 1, "content": []any{}}}, IssueKey: "DEMO-1"}, nil)
		if KindOf(err) != KindNetwork || !strings.Contains(err.Error(), "may or may not have been saved") {
			t.Errorf("dropped after the write: %v", err)
		}
		if n := len(fj.Requests()); n != 1 {
			t.Errorf("the POST was sent %d times", n)
		}
	})
}
