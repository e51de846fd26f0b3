package jiraclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for the log's concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestDebugLogNeverHoldsTheCredential(t *testing.T) {
	for _, cred := range []Credential{testCred, {Kind: AuthBearer, Token: "MDM0NzU2Nzg5MDEyOlAT-secret"}} {
		var log syncBuffer
		var n atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 2 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(429)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"token":"` + cred.Token + `"}`)) // even an echoing server does not reach the log
		})
		c0, srv := newTestClient(t, h) // the server, mounted under /jira
		c2, err := New(c0.BaseURL(), cred, WithHTTPClient(srv.Client()), WithFlavor(FlavorCloud), WithDebugLog(&log), withClock(newFakeClock()))
		if err != nil {
			t.Fatal(err)
		}
		q := url.Values{"jql": {"project = SECRETPROJ AND text ~ \"" + cred.Token + "\""}}
		if err := c2.call(context.Background(), request{Method: "GET", Path: "/rest/api/3/search/jql", Query: q}, nil); err != nil {
			t.Fatal(err)
		}
		if err := c2.call(context.Background(), request{Method: "POST", Path: "/rest/api/3/issue/ABC-1/comment", Body: map[string]string{"body": cred.Token}, IssueKey: "ABC-1"}, nil); err != nil {
			t.Fatal(err)
		}
		out := log.String()
		secrets := []string{
			cred.Token,
			base64.StdEncoding.EncodeToString([]byte(cred.User + ":" + cred.Token)),
			base64.StdEncoding.EncodeToString([]byte(cred.Token)),
			"Authorization", "Basic ", "Bearer ", "SECRETPROJ", "jql=", "?",
		}
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("debug log contains %q:\n%s", s, out)
			}
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 {
			t.Fatalf("want 3 lines (GET, POST 429, POST retry), got:\n%s", out)
		}
		line := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (GET|POST) (/\S+) (\d{3}) \S+ wait=\S+ try=(\d)/(\d)$`)
		want := [][]string{
			{"GET", "/jira/rest/api/3/search/jql", "200", "1", "5"},
			{"POST", "/jira/rest/api/3/issue/ABC-1/comment", "429", "1", "5"},
			{"POST", "/jira/rest/api/3/issue/ABC-1/comment", "200", "2", "5"},
		}
		for i, l := range lines {
			m := line.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("line %q does not match the format", l)
				continue
			}
			if strings.Join(m[1:], " ") != strings.Join(want[i], " ") {
				t.Errorf("line %d = %q, want %v", i, l, want[i])
			}
		}
	}
}

func TestDebugLogRecordsTransportErrors(t *testing.T) {
	var log syncBuffer
	c, _ := newTestClient(t, hijackClose(nil), WithDebugLog(&log), noRetry())
	_ = c.call(context.Background(), request{Method: "POST", Path: "/rest/api/3/issue", Body: map[string]string{}}, nil)
	if out := log.String(); !strings.Contains(out, "POST /jira/rest/api/3/issue error=") || strings.Contains(out, testCred.Token) {
		t.Errorf("log:\n%s", out)
	}
}

func TestDebugLogScrubsSecretsItDidNotWrite(t *testing.T) {
	var log syncBuffer
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, &url.Error{Op: "Get", URL: "x", Err: errorString("proxy said: " + r.Header.Get("Authorization"))}
	})
	d := newDebugLog(base, &log, newFakeClock(), testCred)
	req, _ := http.NewRequest("GET", "https://x.atlassian.net/rest/api/3/myself", nil)
	req.Header.Set("Authorization", authHeader(testCred))
	_, _ = d.RoundTrip(req)
	out := log.String()
	if strings.Contains(out, testCred.Token) || strings.Contains(out, base64.StdEncoding.EncodeToString([]byte(testCred.User+":"+testCred.Token))) {
		t.Errorf("secret in log: %s", out)
	}
	if !strings.Contains(out, "[redacted]") {
		t.Errorf("no redaction marker: %s", out)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
