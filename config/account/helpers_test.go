package account

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Tokens shaped like the real thing: Atlassian API tokens are long and start
// with ATATT; nothing here is a real credential.
var (
	cloudToken  = "ATATT3xFfGF0" + strings.Repeat("q7Zk", 40) + "=A1B2C3D4"
	scopedToken = "ATATT3xFfGF0" + strings.Repeat("s9Yp", 40) + "=E5F6A7B8"
	wrongToken  = "ATATT3xFfGF0" + strings.Repeat("w1Xx", 40) + "=00000000"
	dcPAT       = "NjM2MDk2NzE0NDM0OuQ1xJ3ZwpCxkzCyUw4gThB8yZlJ"
)

const (
	testEmail = "someone@example.com"
	cloudID   = "3f1c2a5e-0b7d-4c1e-9a1f-2d3e4f5a6b7c"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// observed reads a transcribed capture: {"status":..., "headers":{...}} or
// one of its variants ("a", "b").
type observed struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
}

func observedFixture(t testing.TB, name, variant string) observed {
	t.Helper()
	raw := fixture(t, name)
	if variant == "" {
		var o observed
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var o observed
	if err := json.Unmarshal(m[variant], &o); err != nil {
		t.Fatal(err)
	}
	return o
}

func (o observed) write(w http.ResponseWriter, body string) {
	for k, v := range o.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(o.Status)
	io.WriteString(w, body)
}

// fakeSite is a Jira that answers serverInfo, myself and tenant_info from
// the captures in testdata, and fails logins the way the captures show.
type fakeSite struct {
	t      testing.TB
	flavor string // "cloud" | "dc"
	// mode is how a wrong credential is refused: "" (401), "expired200",
	// "captcha403", "captcha200", "forbidden", "html" (every path is a web page).
	mode string

	mu    sync.Mutex
	token string // the credential that works on the site
	hits  map[string]int
	srv   *httptest.Server

	// Captures, read before serving: handlers run on server goroutines,
	// where a fuzz target's F may not be used.
	cloudMyself, cloudInfo, dcUser, dcInfo     []byte
	obs401a, obs401b, obsCaptcha, obs200Denied observed
}

func newSite(t testing.TB, flavor, mode string) *fakeSite {
	t.Helper()
	s := &fakeSite{t: t, flavor: flavor, mode: mode, hits: map[string]int{}}
	s.cloudMyself = fixture(t, "cloud-myself.json")
	s.cloudInfo = fixture(t, "cloud-serverinfo.json")
	s.dcUser = fixture(t, "dc-user.json")
	var obs struct {
		Body json.RawMessage `json:"body_partial"`
	}
	if err := json.Unmarshal(fixture(t, "dc-serverinfo-observed.json"), &obs); err != nil {
		t.Fatal(err)
	}
	s.dcInfo = obs.Body
	s.obs401a = observedFixture(t, "401-authenticated-failed.json", "a")
	s.obs401b = observedFixture(t, "401-authenticated-failed.json", "b")
	s.obsCaptcha = observedFixture(t, "403-captcha-challenge.json", "")
	s.obs200Denied = observedFixture(t, "server-200-authentication-denied.json", "")
	s.token = cloudToken
	if flavor == "dc" {
		s.token = dcPAT
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *fakeSite) URL() string { return s.srv.URL }

func (s *fakeSite) setToken(tok string) {
	s.mu.Lock()
	s.token = tok
	s.mu.Unlock()
}

func (s *fakeSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *fakeSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	token := s.token
	s.mu.Unlock()
	if s.mode == "html" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><head><title>Intranet home</title></head><body>Welcome</body></html>")
		return
	}
	switch r.URL.Path {
	case "/rest/api/2/serverInfo":
		w.Header().Set("Content-Type", "application/json")
		if s.flavor == "cloud" {
			w.Write(s.cloudInfo)
			return
		}
		w.Write(s.dcInfo)
	case "/_edge/tenant_info":
		if s.flavor != "cloud" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"cloudId":"`+cloudID+`"}`)
	case "/rest/api/3/myself", "/rest/api/2/myself":
		if s.flavor == "cloud" && r.URL.Path == "/rest/api/3/myself" && basicOK(r, testEmail, token) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(s.cloudMyself)
			return
		}
		if s.flavor == "dc" && r.URL.Path == "/rest/api/2/myself" && r.Header.Get("Authorization") == "Bearer "+token {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-AUSERNAME", "admin")
			w.Write(s.dcUser)
			return
		}
		s.refuse(w)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"errorMessages":["Not found"],"errors":{}}`)
	}
}

// refuse answers a wrong credential the way the captures show.
func (s *fakeSite) refuse(w http.ResponseWriter) {
	switch s.mode {
	case "expired200":
		s.obs401b.write(w, `{}`)
	case "captcha403":
		s.obsCaptcha.write(w, "<html><body>CAPTCHA required</body></html>")
	case "captcha200":
		s.obs200Denied.write(w, `{"name":"admin","loginInfo":{"failedLoginCount":12}}`)
	case "forbidden":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"errorMessages":["You do not have the permission to see the specified user."],"errors":{}}`)
	default:
		if s.flavor == "dc" {
			w.Header().Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
			w.Header().Set("X-AUSERNAME", "anonymous")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}`)
			return
		}
		s.obs401a.write(w, "<html><head><title>Unauthorized (401)</title></head><body>Unauthorized (401)</body></html>")
	}
}

func basicOK(r *http.Request, user, token string) bool {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+token))
	return r.Header.Get("Authorization") == want
}

// fakeGateway is api.atlassian.com/ex/jira/{cloudId}: it accepts the
// scoped token that the site itself refuses.
type fakeGateway struct {
	t   testing.TB
	srv *httptest.Server
	mu  sync.Mutex
	n   int
}

func newGateway(t testing.TB) *fakeGateway {
	g := &fakeGateway{t: t}
	myself := fixture(t, "cloud-myself.json")
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.n++
		g.mu.Unlock()
		if r.URL.Path != "/ex/jira/"+cloudID+"/rest/api/3/myself" {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errorMessages":["Not found"]}`)
			return
		}
		if !basicOK(r, testEmail, scopedToken) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":401,"message":"Unauthorized; scope does not match"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(myself)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGateway) base() string { return g.srv.URL + "/ex/jira/" }

func (g *fakeGateway) calls() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}

// noEnv is an environment with no JIRA_* variables.
func noEnv(string) string { return "" }
