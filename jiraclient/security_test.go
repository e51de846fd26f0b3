package jiraclient

// Security checks of the client as a whole: the token never reaches a URL,
// a request body, the debug log or an error (even when the server echoes
// it back), plain http only to loopback, TLS verified by default, and the
// Authorization header never follows a redirect to another origin.

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// secCreds are the fake's credentials in both shapes.
func secCreds(flavor string) Credential {
	if flavor == fakejira.FlavorCloud {
		return Credential{Kind: AuthBasic, User: fakejira.Email, Token: fakejira.Token}
	}
	return Credential{Kind: AuthBearer, Token: fakejira.Token}
}

// secretForms are the ways a credential could leak: the token itself and
// the Authorization header value that carries it.
func secretForms(c Credential) []string {
	out := []string{c.Token}
	if c.Kind == AuthBasic {
		out = append(out, base64.StdEncoding.EncodeToString([]byte(c.User+":"+c.Token)))
	}
	return out
}

func secLeak(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s holds the credential %q:\n%s", where, s[:4]+"…", text)
		}
	}
}

// TestTokenNeverInURLBodyOrDebugLog calls every endpoint against fakejira
// (both flavours) with the debug log on, then reads everything the server
// recorded and everything the log holds.
func TestTokenNeverInURLBodyOrDebugLog(t *testing.T) {
	for _, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) {
			srv, u, stop, err := fakejira.Start(fakejira.Options{Flavor: fl, Issues: 30})
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			cred := secCreds(fl)
			var logBuf secBuffer
			c, err := New(u, cred, WithDebugLog(&logBuf))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			key := srv.Keys()[0]
			proj := key[:strings.IndexByte(key, '-')]
			var errs []error
			try := func(err error) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			_, err = c.DetectFlavor(ctx)
			try(err)
			_, err = c.Myself(ctx)
			try(err)
			_, err = c.Search(ctx, SearchQuery{JQL: "project = " + proj, Fields: ListFields}, Cursor{})
			try(err)
			_, err = c.ApproximateCount(ctx, "project = "+proj)
			if !errors.Is(err, ErrNotSupported) {
				try(err)
			}
			_, err = c.GetIssue(ctx, key, GetIssueOptions{Transitions: true, Names: true})
			try(err)
			_, _, err = c.Comments(ctx, key, 0, 10)
			try(err)
			_, err = c.AddComment(ctx, key, "a comment")
			try(err)
			_, err = c.Transitions(ctx, key)
			try(err)
			_, err = c.EditMeta(ctx, key)
			try(err)
			s := "new summary"
			try(c.EditIssue(ctx, key, IssueEdit{Summary: &s}))
			_, err = c.AssignableUsers(ctx, key, "a")
			try(err)
			_, err = c.Projects(ctx, "")
			try(err)
			_, err = c.FavouriteFilters(ctx)
			try(err)
			_, err = c.Priorities(ctx)
			try(err)
			_, err = c.Labels(ctx, "")
			try(err)
			_, err = c.CreateMetaIssueTypes(ctx, proj)
			try(err)
			// A refused login and a not-found, for their errors too.
			srv.ExpireToken()
			_, err = c.Myself(ctx)
			if !IsAuth(err) {
				t.Errorf("after ExpireToken: %v, want an auth error", err)
			}
			try(err)
			_, err = c.GetIssue(ctx, "NOPE-1", GetIssueOptions{})
			try(err)

			secrets := secretForms(cred)
			reqs := srv.Requests()
			if len(reqs) < 15 {
				t.Fatalf("only %d requests recorded", len(reqs))
			}
			for _, r := range reqs {
				secLeak(t, "request "+r.Method+" "+r.Path+"?"+r.RawQuery, r.Path+"?"+r.RawQuery+"\n"+r.Body, secrets)
			}
			secLeak(t, "the debug log", logBuf.String(), secrets)
			if !strings.Contains(logBuf.String(), "/myself") {
				t.Errorf("the debug log recorded nothing useful:\n%s", logBuf.String())
			}
			for _, e := range errs {
				secLeak(t, "an error", fmt.Sprintf("%v\n%+v\n%s", e, e, secErrorText(e)), secrets)
			}
		})
	}
}

// secErrorText is everything a *Error may show.
func secErrorText(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	return strings.Join([]string{e.Error(), e.What(), e.Hint(), e.Path, strings.Join(e.Messages, "|"), fmt.Sprint(e.FieldErrors), e.LoginReason}, "\n")
}

// TestEchoedTokenNeverInErrors: a server (or a proxy in front of it) that
// echoes the token back in JSON, HTML or plain text, under every status the
// client classifies.
func TestEchoedTokenNeverInErrors(t *testing.T) {
	echoedCredential(t, func(c Credential) []string { return []string{c.Token} })
}

// TestEchoedAuthorizationNeverInErrors: the same with the Authorization
// header echoed, whose Basic form is base64(email:token), the token in all
// but name.
func TestEchoedAuthorizationNeverInErrors(t *testing.T) {
	echoedCredential(t, secretForms)
}

func echoedCredential(t *testing.T, secrets func(Credential) []string) {
	statuses := []int{400, 401, 403, 404, 409, 410, 413, 422, 429, 500, 502, 503}
	bodies := map[string]func(auth, token string) (string, string){
		"json": func(auth, token string) (string, string) {
			return "application/json", fmt.Sprintf(`{"errorMessages":["bad token %s","header %s"],"errors":{"token":"%s","auth":"%s"}}`, token, auth, token, auth)
		},
		"html": func(auth, token string) (string, string) {
			return "text/html", fmt.Sprintf("<html><head><title>Error %s</title></head><body>Authorization: %s token=%s</body></html>", token, auth, token)
		},
		"text": func(auth, token string) (string, string) {
			return "text/plain", "Authorization: " + auth + " token " + token
		},
	}
	for _, cred := range []Credential{
		{Kind: AuthBasic, User: "ada@example.com", Token: "ATATT3xFfGF0-echo-secret-0123456789"},
		{Kind: AuthBearer, Token: "NjM0OTk0NjU2MjE4OpatSecretEchoed"},
	} {
		for name, mk := range bodies {
			for _, st := range statuses {
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					ct, body := mk(r.Header.Get("Authorization"), cred.Token)
					w.Header().Set("Content-Type", ct)
					w.WriteHeader(st)
					_, _ = io.WriteString(w, body)
				})
				srv := httptest.NewServer(h)
				c, err := New(srv.URL, cred, WithFlavor(FlavorCloud), WithRetry(RetryPolicy{}))
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.GetIssue(context.Background(), "AB-1", GetIssueOptions{})
				srv.Close()
				if err == nil {
					t.Fatalf("%s %d: no error", name, st)
				}
				secLeak(t, fmt.Sprintf("the error for %s %d (%v)", name, st, KindOf(err)),
					fmt.Sprintf("%v\n%+v\n%s", err, err, secErrorText(err)), secrets(cred))
			}
		}
	}
}

// TestPlainHTTPOnlyToLoopback: http:// is refused (KindInsecure, nothing
// sent) unless the host is this machine.
func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	cred := Credential{Kind: AuthBearer, Token: "tok-plain-http"}
	for _, u := range []string{"http://jira.example.com", "http://10.0.0.5:8080/jira", "http://acme.atlassian.net", "http://127.0.0.1.example.com"} {
		_, err := New(u, cred)
		if KindOf(err) != KindInsecure {
			t.Errorf("New(%q): %v, want KindInsecure", u, err)
		}
		if err != nil {
			secLeak(t, "the error", err.Error(), []string{cred.Token})
		}
		if _, err := New("https://jira.example.com", cred, WithAPIBase(u)); err == nil {
			t.Errorf("WithAPIBase(%q) accepted", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:2990/jira", "http://[::1]:8080"} {
		if _, err := New(u, cred); err != nil {
			t.Errorf("New(%q): %v, want loopback http allowed", u, err)
		}
	}
}

// TestTLSVerifiedByDefault: a self-signed certificate is refused with a
// KindTLS error that points at the profile's ca_cert setting; nothing is
// answered. (config/security_test.go shows the same server working with
// the profile's CA.)
func TestTLSVerifiedByDefault(t *testing.T) {
	var hits sync.Map
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Store(r.URL.Path, true)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"baseUrl":"x","version":"9.12.0","deploymentType":"Server"}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	c, err := New(srv.URL, Credential{Kind: AuthBearer, Token: "tok-tls"}, WithRetry(RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ServerInfo(context.Background())
	if KindOf(err) != KindTLS {
		t.Fatalf("self-signed server: %v (kind %v), want KindTLS", err, KindOf(err))
	}
	var e *Error
	errors.As(err, &e)
	// jiraclient knows nothing of jiffy's config: the advice to set
	// ca_cert is the UI presenter's (tui/store.Advice).
	if strings.Contains(e.Error(), "ca_cert") || strings.Contains(e.Error(), "profile") {
		t.Errorf("jiraclient gives config advice: %q", e.Error())
	}
	n := 0
	hits.Range(func(any, any) bool { n++; return true })
	if n != 0 {
		t.Errorf("the server answered %d requests over an unverified connection", n)
	}
	// The same server through a client that trusts its certificate works,
	// so the refusal above is about trust, not the server.
	c2, err := New(srv.URL, Credential{Kind: AuthBearer, Token: "tok-tls"}, WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.ServerInfo(context.Background()); err != nil {
		t.Fatalf("with the server's CA: %v", err)
	}
}

// TestAuthorizationNotSentAcrossRedirects: a site that redirects to another
// origin (another port is another origin) must not receive the header
// there; a redirect within the site keeps it.
func TestAuthorizationNotSentAcrossRedirects(t *testing.T) {
	var mu sync.Mutex
	got := map[string]string{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got["other"] = r.Header.Get("Authorization") + r.URL.RawQuery
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"accountId":"x","displayName":"Other"}`)
	}))
	defer other.Close()
	var site *httptest.Server
	site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/myself"):
			http.Redirect(w, r, other.URL+"/rest/api/3/myself", http.StatusFound)
		case r.URL.Path == "/moved/priority":
			mu.Lock()
			got["same"] = r.Header.Get("Authorization")
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `[{"id":"1","name":"High"}]`)
		case strings.HasSuffix(r.URL.Path, "/priority"):
			http.Redirect(w, r, site.URL+"/moved/priority", http.StatusTemporaryRedirect)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	for _, cred := range []Credential{
		{Kind: AuthBasic, User: "ada@example.com", Token: "tok-redirect-basic"},
		{Kind: AuthBearer, Token: "tok-redirect-bearer"},
	} {
		mu.Lock()
		clear(got)
		mu.Unlock()
		c, err := New(site.URL, cred, WithFlavor(FlavorCloud), WithRetry(RetryPolicy{}))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = c.Myself(context.Background())
		_, _ = c.Priorities(context.Background())
		mu.Lock()
		o, same := got["other"], got["same"]
		mu.Unlock()
		secLeak(t, "what the other origin received", o, secretForms(cred))
		if o != "" {
			t.Errorf("the other origin received %q", o)
		}
		if same == "" {
			t.Errorf("%v: a redirect within the site dropped the Authorization header", cred.Kind)
		}
	}
}

// secBuffer is a goroutine-safe buffer (the debug log is written from
// transport goroutines).
type secBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *secBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *secBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
