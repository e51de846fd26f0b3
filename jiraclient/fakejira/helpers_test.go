package fakejira

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fake is a server mounted on httptest with a client that authenticates.
type fake struct {
	t   *testing.T
	s   *Server
	url string
	v   string // "3" or "2"
}

func newFake(t testing.TB, flavor string, o Options) *fake {
	t.Helper()
	o.Flavor = flavor
	if o.Issues == 0 {
		o.Issues = 40
	}
	s := New(o)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	s.SetBaseURL(ts.URL)
	v := "3"
	if s.Flavor() == FlavorDataCenter {
		v = "2"
	}
	tt, _ := t.(*testing.T)
	return &fake{t: tt, s: s, url: ts.URL, v: v}
}

func (f *fake) cloud() bool { return f.v == "3" }

// api prefixes a path with the flavour's REST root.
func (f *fake) api(p string) string { return "/rest/api/" + f.v + p }

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.body)
	}
	return v
}

func (r resp) obj(t testing.TB) map[string]any {
	t.Helper()
	m, ok := r.json(t).(map[string]any)
	if !ok {
		t.Fatalf("body is not an object: %s", r.body)
	}
	return m
}

func (f *fake) authorize(req *http.Request) {
	if f.cloud() {
		req.SetBasicAuth(Email, Token)
	} else {
		req.Header.Set("Authorization", "Bearer "+Token)
	}
}

func (f *fake) do(method, path, body string) resp {
	f.t.Helper()
	return f.doAuth(method, path, body, f.authorize)
}

func (f *fake) doAuth(method, path, body string, auth func(*http.Request)) resp {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != nil {
		auth(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (f *fake) must(status int, method, path, body string) resp {
	f.t.Helper()
	r := f.do(method, path, body)
	if r.status != status {
		f.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, r.status, status, r.body)
	}
	return r
}

func loadFixture(t testing.TB, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func both(t *testing.T, fn func(t *testing.T, f *fake)) {
	for _, fl := range []string{FlavorCloud, FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) { fn(t, newFake(t, fl, Options{Seed: 7})) })
	}
}

func errorMessages(t testing.TB, r resp) []string {
	t.Helper()
	m := r.obj(t)
	var out []string
	list, ok := m["errorMessages"].([]any)
	if !ok {
		t.Fatalf("no errorMessages array in %s", r.body)
	}
	if _, ok := m["errors"].(map[string]any); !ok {
		t.Fatalf("no errors object in %s", r.body)
	}
	for _, x := range list {
		out = append(out, x.(string))
	}
	return out
}

func fieldErrors(t testing.TB, r resp) map[string]string {
	t.Helper()
	m := r.obj(t)
	out := map[string]string{}
	errs, ok := m["errors"].(map[string]any)
	if !ok {
		t.Fatalf("no errors object in %s", r.body)
	}
	for k, v := range errs {
		out[k] = v.(string)
	}
	return out
}
