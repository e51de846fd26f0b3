package jiraclient

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestAuthHeaders(t *testing.T) {
	cases := []struct {
		cred Credential
		want string
	}{
		{testCred, "Basic " + base64.StdEncoding.EncodeToString([]byte("ana@example.com:ATATT3xFfGF0-SeCrEt-token-123"))},
		{Credential{Kind: AuthBearer, Token: "NjA0OTk2MzE3NjQ4OkP"}, "Bearer NjA0OTk2MzE3NjQ4OkP"},
		{Credential{}, ""},
	}
	for _, tc := range cases {
		var got string
		var saw bool
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, saw = r.Header.Get("Authorization"), true
			w.WriteHeader(204)
		}))
		c, err := New(srv.URL, tc.cred, WithFlavor(FlavorDataCenter))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.call(context.Background(), request{Method: "GET", Path: "/rest/api/2/myself"}, nil); err != nil {
			t.Fatal(err)
		}
		srv.Close()
		if !saw || got != tc.want {
			t.Errorf("%v: Authorization = %q, want %q", tc.cred, got, tc.want)
		}
	}
}

func TestCredentialNeverSentToAnotherHost(t *testing.T) {
	var mu sync.Mutex
	var otherAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		otherAuth = append(otherAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer other.Close()
	var siteAuth []string
	var site *httptest.Server
	site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		siteAuth = append(siteAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		switch r.URL.Path {
		case "/rest/api/3/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		case "/rest/api/3/here":
			http.Redirect(w, r, site.URL+"/rest/api/3/final", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{}`))
		}
	}))
	defer site.Close()
	c, err := New(site.URL, testCred, WithFlavor(FlavorCloud))
	if err != nil {
		t.Fatal(err)
	}
	// A redirect away from the site is refused (its answer would pass as
	// the site's); the other host is never asked, so never sees a header.
	err = c.call(context.Background(), request{Method: "GET", Path: "/rest/api/3/away"}, &map[string]any{})
	if err == nil || !strings.Contains(err.Error(), "redirected the request to another site, "+strings.TrimPrefix(other.URL, "http://")) {
		t.Fatalf("cross-origin redirect: %v", err)
	}
	if err := c.call(context.Background(), request{Method: "GET", Path: "/rest/api/3/here"}, &map[string]any{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(otherAuth) != 0 {
		t.Errorf("the other host got Authorization %q", otherAuth)
	}
	if len(siteAuth) != 3 {
		t.Fatalf("site saw %d requests", len(siteAuth))
	}
	for i, a := range siteAuth {
		if a == "" {
			t.Errorf("site request %d (same-origin redirect included) had no credential", i)
		}
	}
}

func TestAuthTransportOriginRules(t *testing.T) {
	var got []string
	rec := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Header.Get("Authorization"))
		return &http.Response{StatusCode: 204, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
	})
	site, _ := url.Parse("https://jira.example.com/jira")
	at := &authTransport{next: rec, header: "Bearer x", allowed: map[string]bool{origin(site): true}}
	for _, u := range []string{
		"https://jira.example.com/jira/rest/api/2/myself",     // yes
		"https://JIRA.example.com:443/jira/rest/api/2/myself", // yes: same origin spelled differently
		"http://jira.example.com/jira/rest/api/2/myself",      // no: downgrade to http
		"https://jira.example.com:8443/rest",                  // no: other port
		"https://evil.example.com/rest",                       // no
	} {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Basic planted")
		if _, err := at.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if req.Header.Get("Authorization") != "Basic planted" {
			t.Error("RoundTrip modified the caller's request")
		}
	}
	want := []string{"Bearer x", "Bearer x", "", "", ""}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: Authorization %q, want %q", i, got[i], want[i])
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
