package jiraclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// wrapped reads one of the observed-in-public-threads fixtures (a wrapper
// around the real status, headers and body).
type wrapped struct {
	Status      int               `json:"status"`
	Headers     map[string]string `json:"headers"`
	Body        json.RawMessage   `json:"body"`
	Examples    []json.RawMessage `json:"examples"`
	ContentType string            `json:"content_type"`
	A, B        *wrapped
}

func readFixture(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readWrapped(t *testing.T, name string) wrapped {
	t.Helper()
	var w wrapped
	if err := json.Unmarshal(readFixture(t, "errors", name), &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return w
}

// answer is one canned response.
type answer struct {
	status  int
	headers map[string]string
	body    string
}

func (a answer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.headers["Content-Type"]; !ok {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	}
	for k, v := range a.headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

// bodyString turns a fixture body (a JSON string holding HTML, or a JSON
// object) into what the server sends.
func bodyString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func noRetry() Option { return WithRetry(RetryPolicy{MaxRetries: 0}) }

func callErr(t *testing.T, h http.Handler, method, path string, opts ...Option) *Error {
	t.Helper()
	c, _ := newTestClient(t, h, append([]Option{noRetry()}, opts...)...)
	err := c.call(context.Background(), request{Method: method, Path: path}, &map[string]any{})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	return e
}

func TestErrorKindsFromFixtures(t *testing.T) {
	jql := readWrapped(t, "400-bad-jql.json")
	val := readWrapped(t, "400-value-does-not-exist.json")
	auth := readWrapped(t, "401-authenticated-failed.json")
	captcha := readWrapped(t, "403-captcha-challenge.json")
	notVisible := readWrapped(t, "404-issue-not-visible.json")
	gone := readWrapped(t, "cloud-410-search-removed.json")
	rl := readWrapped(t, "cloud-429-rate-limited.json")
	dcRL := readWrapped(t, "dc-429-rate-limited-tomcat-html.json")
	denied := readWrapped(t, "server-200-authentication-denied.json")

	cases := []struct {
		name   string
		a      answer
		method string
		path   string
		opts   []Option
		kind   ErrorKind
		want   string // the whole Error()
		check  func(t *testing.T, e *Error)
	}{
		{
			name: "400 bad JQL shows Jira's words", a: answer{status: jql.Status, body: string(jql.Examples[0])},
			method: "GET", path: "/rest/api/3/search/jql", kind: KindBadRequest,
			want: "Jira rejected the request: Error in the JQL Query: Expecting operator but got '&'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 12) (HTTP 400 on GET /rest/api/3/search/jql): fix the JQL query and search again",
		},
		{
			name: "400 value does not exist", a: answer{status: val.Status, body: string(val.Examples[1])},
			method: "POST", path: "/rest/api/3/issue", kind: KindBadRequest,
			want: "Jira rejected the request: The value 'FACILITIES' does not exist for the field 'project'. (HTTP 400 on POST /rest/api/3/issue): correct the values Jira names and try again",
		},
		{
			name: "400 field errors (jira-ruby)", a: answer{status: 400, body: string(readFixture(t, "errors", "jira-ruby-issue-10002.invalid.put.json"))},
			method: "PUT", path: "/rest/api/2/issue/10002", kind: KindBadRequest,
			want: "Jira rejected the request: invalid: Field 'invalid' is not valid for this operation. (HTTP 400 on PUT /rest/api/2/issue/10002): correct the values Jira names and try again",
			check: func(t *testing.T, e *Error) {
				if e.FieldErrors["invalid"] != "Field 'invalid' is not valid for this operation." || len(e.Messages) != 0 {
					t.Errorf("fields %v messages %v", e.FieldErrors, e.Messages)
				}
			},
		},
		{
			name: "400 missing fields (jira-ruby)", a: answer{status: 400, body: string(readFixture(t, "errors", "jira-ruby-issue-10002.put.missing_field_update.json"))},
			method: "PUT", path: "/rest/api/2/issue/10002", kind: KindBadRequest,
			want: "Jira rejected the request: one of 'fields' or 'update' required (HTTP 400 on PUT /rest/api/2/issue/10002): correct the values Jira names and try again",
		},
		{
			name: "400 Jackson error without errors key (jira-ruby)", a: answer{status: 400, body: string(readFixture(t, "errors", "jira-ruby-component-10000.invalid.put.json"))},
			method: "PUT", path: "/rest/api/2/component/10000", kind: KindBadRequest,
			check: func(t *testing.T, e *Error) {
				if len(e.Messages) != 1 || !strings.HasPrefix(e.Messages[0], `Unrecognized field "invalid"`) {
					t.Errorf("messages %q", e.Messages)
				}
			},
		},
		{
			name: "400 project key taken (go-atlassian)", a: answer{status: 400, body: string(readFixture(t, "errors", "go-atlassian-validate-project-error-message.json"))},
			method: "POST", path: "/rest/api/3/project", kind: KindBadRequest,
			want: "Jira rejected the request: projectKey: A project with that project key already exists. (HTTP 400 on POST /rest/api/3/project): correct the values Jira names and try again",
		},
		{
			name: "400 spec example with extra keys", a: answer{status: 400, body: string(readFixture(t, "errors", "spec-createmeta-issuetypes.GET.400.json"))},
			method: "GET", path: "/rest/api/3/issue/createmeta/ABC/issuetypes", kind: KindBadRequest,
			check: func(t *testing.T, e *Error) {
				if len(e.Messages) != 1 || e.Messages[0] != "Parameter 'maxResults' must not exceed the limit '200'" {
					t.Errorf("messages %q", e.Messages)
				}
			},
		},
		{
			name: "401 HTML with AUTHENTICATED_FAILED (Cloud)", a: answer{status: auth.A.Status, headers: auth.A.Headers, body: "<html><head><title>Unauthorized (401)</title></head><body>Unauthorized</body></html>"},
			method: "GET", path: "/rest/api/3/myself", kind: KindAuth,
			want: "Jira rejected the login (AUTHENTICATED_FAILED) (HTTP 401 on GET /rest/api/3/myself): check the email and API token pair; an account password does not work, and tokens expire or get revoked: create a new token at https://id.atlassian.com/manage-profile/security/api-tokens (a scoped or service-account token works only through api.atlassian.com with the site's cloud ID)",
		},
		{
			name: "200 with AUTHENTICATED_FAILED is a failed login", a: answer{status: auth.B.Status, headers: auth.B.Headers, body: `{"baseUrl":"https://x.atlassian.net"}`},
			method: "GET", path: "/rest/api/2/serverInfo", kind: KindAuth,
			check: func(t *testing.T, e *Error) {
				if e.Status != 200 || e.LoginReason != "AUTHENTICATED_FAILED" || !strings.Contains(e.Error(), "id.atlassian.com") {
					t.Errorf("%+v: %v", e, e)
				}
			},
		},
		{
			name: "401 on Data Center with a PAT", a: answer{status: 401, headers: map[string]string{"X-AUSERNAME": "anonymous"}, body: `{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}`},
			method: "GET", path: "/rest/api/2/myself", kind: KindAuth,
			opts: []Option{WithFlavor(FlavorDataCenter)},
			check: func(t *testing.T, e *Error) {
				// The PAT advice needs a bearer credential: checked in TestAuthHintsPerCredential.
				if !strings.Contains(e.Error(), "You are not authenticated") {
					t.Errorf("%v", e)
				}
			},
		},
		{
			name: "200 as anonymous on Data Center with a credential", a: answer{status: 200, headers: map[string]string{"X-AUSERNAME": "anonymous"}, body: `{}`},
			method: "GET", path: "/rest/api/2/serverInfo", kind: KindAuth,
			opts: []Option{WithFlavor(FlavorDataCenter)},
			want: "Jira treated the request as anonymous: the credential was not accepted (HTTP 200 on GET /rest/api/2/serverInfo): check the username and password; if your Jira uses SSO or has basic auth turned off, use a Personal Access Token instead",
		},
		{
			name: "403 CAPTCHA challenge", a: answer{status: captcha.Status, headers: withHeader(captcha.Headers, "X-Authentication-Denied-Reason", "CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp"), body: "<html><title>Forbidden</title></html>"},
			method: "GET", path: "/rest/api/2/myself", kind: KindCaptcha,
			want: "Jira refuses logins from jiffy until a CAPTCHA is solved (too many failed logins) (HTTP 403 on GET /rest/api/2/myself): log in once in a browser at https://jira.example.com/login.jsp and solve the CAPTCHA",
		},
		{
			name: "403 CAPTCHA with the elided login-url as observed", a: answer{status: captcha.Status, headers: captcha.Headers},
			method: "GET", path: "/rest/api/2/myself", kind: KindCaptcha,
			check: func(t *testing.T, e *Error) {
				if !strings.Contains(e.Hint(), "log in once in a browser at the Jira site") || e.LoginReason != "AUTHENTICATION_DENIED" {
					t.Errorf("%v", e)
				}
			},
		},
		{
			name: "200 with AUTHENTICATION_DENIED (CAPTCHA state)", a: answer{status: denied.Status, headers: denied.Headers, body: `{"name":"x"}`},
			method: "GET", path: "/rest/api/2/myself", kind: KindCaptcha,
		},
		{
			name: "403 no permission", a: answer{status: 403, body: `{"errorMessages":["You do not have permission to edit issues in this project."],"errors":{}}`},
			method: "PUT", path: "/rest/api/3/issue/ABC-1", kind: KindForbidden,
			want: "you do not have permission to do this in Jira: You do not have permission to edit issues in this project. (HTTP 403 on PUT /rest/api/3/issue/ABC-1): ask a Jira admin for the permission (see the project's permission scheme)",
		},
		{
			name: "403 from a proxy", a: answer{status: 403, headers: map[string]string{"Content-Type": "text/html"}, body: "<html><head><title>Access Denied</title></head></html>"},
			method: "GET", path: "/rest/api/3/myself", kind: KindForbidden,
			check: func(t *testing.T, e *Error) {
				if !strings.Contains(e.Error(), `an HTML page titled "Access Denied", maybe a proxy or firewall`) {
					t.Errorf("%v", e)
				}
			},
		},
		{
			name: "404 not found or not visible", a: answer{status: notVisible.Status, body: string(notVisible.Body)},
			method: "GET", path: "/rest/api/3/issue/ABC-999", kind: KindNotFound,
			want: "not found, or you have no permission to see it: Issue does not exist or you do not have permission to see it. (HTTP 404 on GET /rest/api/3/issue/ABC-999): check the key or ID, and that your account can browse the project",
		},
		{
			name: "404 go-jira no role", a: answer{status: 404, body: string(readFixture(t, "errors", "go-jira-no_role.json"))},
			method: "GET", path: "/rest/api/2/role/1", kind: KindNotFound,
			check: func(t *testing.T, e *Error) {
				if len(e.Messages) != 1 || e.Messages[0] != "Role with given id not found." || e.FieldErrors != nil {
					t.Errorf("%q %v", e.Messages, e.FieldErrors)
				}
			},
		},
		{
			name: "404 HTML page is not Jira", a: answer{status: 404, headers: map[string]string{"Content-Type": "text/html"}, body: "<!DOCTYPE html><html><head><title>Page not found · Example Corp</title></head></html>"},
			method: "GET", path: "/rest/api/2/serverInfo", kind: KindNotJira,
			check: func(t *testing.T, e *Error) {
				want := `the answer from 127.0.0.1:`
				if !strings.HasPrefix(e.Error(), want) || !strings.Contains(e.Error(), `is not Jira's REST API but an HTML page titled "Page not found · Example Corp" (HTTP 404 on GET /rest/api/2/serverInfo): a login page means SSO or a proxy`) {
					t.Errorf("%v", e)
				}
			},
		},
		{
			name: "200 SSO login page is not Jira", a: answer{status: 200, headers: map[string]string{"Content-Type": "text/html; charset=utf-8"}, body: "<html><head>\n<title>\n  Sign in &ndash; Okta\n</title></head><body>...</body></html>"},
			method: "GET", path: "/rest/api/2/serverInfo", kind: KindNotJira,
			check: func(t *testing.T, e *Error) {
				if !strings.Contains(e.Error(), `an HTML page titled "Sign in – Okta"`) || !strings.Contains(e.Hint(), "SSO or a proxy") {
					t.Errorf("%v", e)
				}
			},
		},
		{
			name: "200 not JSON at all", a: answer{status: 200, headers: map[string]string{"Content-Type": "text/plain"}, body: "hello"},
			method: "GET", path: "/rest/api/2/serverInfo", kind: KindNotJira,
		},
		{
			name: "409 conflict", a: answer{status: 409, body: `{"errorMessages":[],"errors":{}}`},
			method: "PUT", path: "/rest/api/3/issue/ABC-1", kind: KindConflict,
			want: "Jira reports a conflicting update (the issue changed at the same time) (HTTP 409 on PUT /rest/api/3/issue/ABC-1): refresh the issue and make the change again",
		},
		{
			name: "410 removed API shows Jira's text", a: answer{status: gone.Status, body: string(gone.Body)},
			method: "GET", path: "/rest/api/3/search", kind: KindGone,
			want: "Jira has removed this API: The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046 (HTTP 410 on GET /rest/api/3/search): this jiffy version uses an API Jira no longer offers: update jiffy",
		},
		{
			name: "413 per-issue limit", a: answer{status: 413, body: `{"errorMessages":["The issue has reached the maximum number of comments."],"errors":{}}`},
			method: "POST", path: "/rest/api/3/issue/ABC-1/comment", kind: KindTooLarge,
			want: "Jira refused the change: the issue has reached a limit (comments, attachments, worklogs or links per issue): The issue has reached the maximum number of comments. (HTTP 413 on POST /rest/api/3/issue/ABC-1/comment): the change was not saved; remove old items from the issue or ask a Jira admin about the limit",
		},
		{
			name: "422 configuration problem", a: answer{status: 422, body: `{"errorMessages":["Issue type is not configured for this project."],"errors":{}}`},
			method: "PUT", path: "/rest/api/3/issue/ABC-1", kind: KindUnprocessable,
			want: "Jira could not apply the change because of a configuration problem: Issue type is not configured for this project. (HTTP 422 on PUT /rest/api/3/issue/ABC-1): ask a Jira admin to check the project's fields and workflow",
		},
		{
			name: "429 Cloud with Retry-After", a: answer{status: rl.Status, headers: map[string]string{"Retry-After": "7", "RateLimit-Reason": "jira-burst-based"}, body: string(rl.Body)},
			method: "GET", path: "/rest/api/3/issue/ABC-1", kind: KindRateLimited,
			want: "Jira is rate-limiting requests and asks to wait 7s: The request has been rate-limited. Please try again later. (HTTP 429 on GET /rest/api/3/issue/ABC-1): wait 7s and try again; if it keeps happening, other tools may be using the same token heavily",
			check: func(t *testing.T, e *Error) {
				if e.RetryAfter != 7*time.Second {
					t.Errorf("RetryAfter = %v", e.RetryAfter)
				}
			},
		},
		{
			name: "429 DC Tomcat HTML", a: answer{status: dcRL.Status, headers: withHeader(dcRL.Headers, "Content-Type", dcRL.ContentType), body: bodyString(dcRL.Body)},
			method: "GET", path: "/rest/api/2/search", kind: KindRateLimited,
			opts: []Option{WithFlavor(FlavorDataCenter)},
			check: func(t *testing.T, e *Error) {
				if !strings.HasPrefix(e.Error(), "Jira is rate-limiting requests (HTTP 429 on GET /rest/api/2/search): wait a few seconds") {
					t.Errorf("%v", e)
				}
			},
		},
		{
			name: "503 unavailable on Cloud", a: answer{status: 503, headers: map[string]string{"Content-Type": "text/html"}, body: "<html><title>Service Unavailable</title></html>"},
			method: "GET", path: "/rest/api/3/myself", kind: KindUnavailable,
			want: "Jira is temporarily unavailable (HTTP 503 on GET /rest/api/3/myself): try again in a minute; https://status.atlassian.com shows Cloud outages",
		},
		{
			name: "500 server error", a: answer{status: 500, body: `{"errorMessages":["Internal server error"],"errors":{}}`},
			method: "GET", path: "/rest/api/3/issue/ABC-1", kind: KindServer,
			want: "Jira had an internal error: Internal server error (HTTP 500 on GET /rest/api/3/issue/ABC-1): try again; if it keeps failing, report it to your Jira admin with the time it happened",
		},
		{
			name: "502 from a gateway", a: answer{status: 502, headers: map[string]string{"Content-Type": "text/html"}, body: "<html><title>502 Bad Gateway</title></html>"},
			method: "GET", path: "/rest/api/3/issue/ABC-1", kind: KindServer,
		},
		{
			name: "alternative message keys", a: answer{status: 400, body: `{"message":"Bad things","errorMessage":"More bad things"}`},
			method: "GET", path: "/rest/api/3/x", kind: KindBadRequest,
			check: func(t *testing.T, e *Error) {
				if strings.Join(e.Messages, "|") != "Bad things|More bad things" {
					t.Errorf("%q", e.Messages)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := callErr(t, tc.a, tc.method, tc.path, tc.opts...)
			if e.Kind != tc.kind {
				t.Fatalf("kind = %v, want %v: %v", e.Kind, tc.kind, e)
			}
			if tc.want != "" && e.Error() != tc.want {
				t.Errorf("message:\n got %s\nwant %s", e.Error(), tc.want)
			}
			if e.Hint() == "" || !strings.HasSuffix(e.Error(), e.Hint()) {
				t.Errorf("no hint at the end of %q", e.Error())
			}
			if e.Method != tc.method || e.Path != tc.path {
				t.Errorf("method/path = %s %s", e.Method, e.Path)
			}
			if strings.Contains(e.Error(), testCred.Token) {
				t.Errorf("token in error")
			}
			if tc.check != nil {
				tc.check(t, e)
			}
		})
	}
}

// quietTLSServer is a TLS test server that does not log the handshake
// failures the TLS tests cause on purpose.
func quietTLSServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}

func withHeader(h map[string]string, k, v string) map[string]string {
	out := map[string]string{}
	for kk, vv := range h {
		out[kk] = vv
	}
	out[k] = v
	return out
}

func TestAuthHintsPerCredential(t *testing.T) {
	h := answer{status: 401, body: `{"errorMessages":["You are not authenticated."],"errors":{}}`}
	srv := httptest.NewServer(h)
	defer srv.Close()
	cases := []struct {
		cred   Credential
		flavor Flavor
		want   string
	}{
		{Credential{Kind: AuthBearer, Token: "pat-secret"}, FlavorDataCenter, "the Personal Access Token was not accepted: it may be mistyped, expired or revoked; create a new one in Jira (your avatar > Profile > Personal Access Tokens)"},
		{Credential{Kind: AuthBasic, User: "ana", Token: "pw"}, FlavorDataCenter, "check the username and password; if your Jira uses SSO or has basic auth turned off, use a Personal Access Token instead"},
		{testCred, FlavorCloud, "https://id.atlassian.com/manage-profile/security/api-tokens"},
		{testCred, FlavorUnknown, "https://id.atlassian.com/manage-profile/security/api-tokens"},
	}
	for _, tc := range cases {
		c, err := New(srv.URL, tc.cred, WithFlavor(tc.flavor), noRetry())
		if err != nil {
			t.Fatal(err)
		}
		err = c.call(context.Background(), request{Method: "GET", Path: "/rest/api/2/myself"}, nil)
		if !IsAuth(err) {
			t.Fatalf("IsAuth false: %v", err)
		}
		var e *Error
		errors.As(err, &e)
		if !strings.Contains(e.Hint(), tc.want) {
			t.Errorf("%v/%v hint = %q", tc.cred, tc.flavor, e.Hint())
		}
		if strings.Contains(err.Error(), tc.cred.Token) {
			t.Errorf("token in %q", err)
		}
	}
}

func TestNetworkErrorKinds(t *testing.T) {
	t.Run("DNS failure", func(t *testing.T) {
		tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "jira.nowhere.example", IsNotFound: true}}
		}}
		c, err := New("https://jira.nowhere.example/jira", testCred, WithHTTPClient(&http.Client{Transport: tr}), WithFlavor(FlavorDataCenter), noRetry())
		if err != nil {
			t.Fatal(err)
		}
		err = c.call(context.Background(), request{Method: "GET", Path: "/rest/api/2/myself"}, nil)
		want := "cannot find the host jira.nowhere.example (DNS lookup failed) (GET /rest/api/2/myself): check your network, VPN or DNS"
		if KindOf(err) != KindNetwork || err.Error() != want {
			t.Errorf("got %v (%v)\nwant %s", err, KindOf(err), want)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, _ := New("http://"+addr, testCred, WithFlavor(FlavorCloud), noRetry())
		err = c.call(context.Background(), request{Method: "GET", Path: "/rest/api/3/myself"}, nil)
		want := "the connection to " + addr + " was refused (GET /rest/api/3/myself): check the site URL and port, and that Jira is running"
		if KindOf(err) != KindNetwork || err.Error() != want {
			t.Errorf("got %v\nwant %s", err, want)
		}
	})
	t.Run("TLS unknown authority", func(t *testing.T) {
		srv := quietTLSServer(answer{status: 200, body: "{}"})
		defer srv.Close()
		c, _ := New(srv.URL, testCred, WithFlavor(FlavorCloud), noRetry())
		err := c.call(context.Background(), request{Method: "GET", Path: "/rest/api/3/myself"}, nil)
		if KindOf(err) != KindTLS || !strings.Contains(err.Error(), "is signed by an unknown authority") ||
			strings.Contains(err.Error(), "ca_cert") {
			t.Errorf("got %v (%v)", err, KindOf(err))
		}
		var ue interface{ Unwrap() error }
		if !errors.As(err, &ue) || strings.Contains(err.Error(), "https://") {
			t.Errorf("message should not carry the URL: %v", err)
		}
	})
	t.Run("TLS host name mismatch", func(t *testing.T) {
		srv := quietTLSServer(answer{status: 200, body: "{}"})
		defer srv.Close()
		_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
		c, _ := New("https://localhost:"+port, testCred, WithHTTPClient(srv.Client()), WithFlavor(FlavorCloud), noRetry())
		err := c.call(context.Background(), request{Method: "GET", Path: "/rest/api/3/myself"}, nil)
		if KindOf(err) != KindTLS || !strings.Contains(err.Error(), "is not valid for that host name") {
			t.Errorf("got %v (%v)", err, KindOf(err))
		}
	})
	t.Run("not TLS", func(t *testing.T) {
		srv := httptest.NewServer(answer{status: 200, body: "{}"})
		defer srv.Close()
		c, _ := New(strings.Replace(srv.URL, "http://", "https://", 1), testCred, WithFlavor(FlavorCloud), noRetry())
		err := c.call(context.Background(), request{Method: "GET", Path: "/rest/api/3/myself"}, nil)
		if KindOf(err) != KindTLS || !strings.Contains(err.Error(), "did not answer with TLS (https)") {
			t.Errorf("got %v (%v)", err, KindOf(err))
		}
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}), WithTimeout(80*time.Millisecond), noRetry())
		defer close(release)
		start := time.Now()
		err := c.call(context.Background(), request{Method: "GET", Path: "/rest/api/3/myself"}, nil)
		want := "Jira did not answer within 80ms (GET /rest/api/3/myself): the site may be slow or unreachable: check your network or VPN and try again"
		if KindOf(err) != KindTimeout || err.Error() != want {
			t.Errorf("got %v\nwant %s", err, want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		started := make(chan struct{})
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(started)
			<-r.Context().Done()
		}), noRetry())
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-started; cancel() }()
		err := c.call(ctx, request{Method: "GET", Path: "/rest/api/3/myself"}, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindCanceled || e.Error() != "request canceled (GET /rest/api/3/myself)" || e.Hint() != "" {
			t.Errorf("got %v", err)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("errors.Is(err, context.Canceled) = false")
		}
	})
	t.Run("connection dropped after a POST", func(t *testing.T) {
		c, _ := newTestClient(t, hijackClose(nil))
		err := c.call(context.Background(), request{Method: "POST", Path: "/rest/api/3/issue/A-1/comment", Body: map[string]string{"b": "x"}}, nil)
		want := "closed before Jira answered (POST /rest/api/3/issue/A-1/comment): the request reached Jira but no answer came back, so the change may or may not have been saved: refresh before trying again"
		if KindOf(err) != KindNetwork || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("got %v\nwant suffix %s", err, want)
		}
	})
}

// hijackClose is a handler that reads the request, lets count see it, then
// drops the connection without answering: the server acted, the client
// never hears.
func hijackClose(count func()) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		if count != nil {
			count()
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		conn.Close()
	}
}

func TestNotSupportedAndHelpers(t *testing.T) {
	e := &Error{Kind: KindNotSupported, Method: "POST", Path: "/rest/api/2/search/approximate-count", flavor: FlavorDataCenter}
	if !errors.Is(e, ErrNotSupported) {
		t.Error("errors.Is(ErrNotSupported) false")
	}
	if errors.Is(&Error{Kind: KindNotFound}, ErrNotSupported) {
		t.Error("NotFound matched ErrNotSupported")
	}
	want := "this Jira does not support that (POST /rest/api/2/search/approximate-count): this feature is not available on Jira Data Center"
	if e.Error() != want {
		t.Errorf("got %s\nwant %s", e, want)
	}
	if KindOf(fmt.Errorf("wrapped: %w", e)) != KindNotSupported {
		t.Error("KindOf through wrapping")
	}
	if KindOf(nil) != KindUnknown || KindOf(errors.New("x")) != KindUnknown {
		t.Error("KindOf of non-*Error")
	}
	if IsAuth(e) || !IsAuth(fmt.Errorf("w: %w", &Error{Kind: KindAuth})) || !IsAuth(&Error{Kind: KindCaptcha}) {
		t.Error("IsAuth")
	}
	inner := errors.New("inner")
	if !errors.Is(&Error{Kind: KindNetwork, Err: inner}, inner) {
		t.Error("Unwrap")
	}
	for k := KindUnknown; k <= KindInvalid; k++ {
		if s := k.String(); s == "" || strings.HasPrefix(s, "kind(") {
			t.Errorf("kind %d has no name", k)
		}
	}
}

func TestEchoedTokenIsRedacted(t *testing.T) {
	e := callErr(t, answer{status: 400, body: `{"errorMessages":["bad token ` + testCred.Token + `"],"errors":{"auth":"` + testCred.Token + `"}}`}, "GET", "/rest/api/3/x")
	if strings.Contains(e.Error(), testCred.Token) || !strings.Contains(e.Error(), "bad token [redacted]") {
		t.Errorf("%v", e)
	}
}

func TestMultiLineJiraMessageFitsOneLine(t *testing.T) {
	e := callErr(t, answer{status: 400, body: string(readFixture(t, "errors", "jira-ruby-component-10000.invalid.put.json"))}, "PUT", "/rest/api/2/component/10000")
	if strings.Contains(e.Error(), "\n") || !strings.Contains(e.Error(), "not marked as ignorable at [Source:") {
		t.Errorf("%q", e.Error())
	}
	if !strings.Contains(e.Messages[0], "\n") {
		t.Error("Messages should stay verbatim")
	}
}

func TestErrorBodyReadThroughLimit(t *testing.T) {
	big := `{"errorMessages":["` + strings.Repeat("x", 3<<20) + `"]}`
	e := callErr(t, answer{status: 400, body: big}, "GET", "/rest/api/3/x")
	if e.Kind != KindBadRequest || len(e.Messages) != 0 {
		t.Errorf("an over-long body should be cut and not decoded: kind %v, %d messages", e.Kind, len(e.Messages))
	}
}

func TestRoundDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		500 * time.Millisecond: "500ms", 7 * time.Second: "7s", 1500 * time.Millisecond: "1.5s", 90 * time.Second: "1m30s",
	} {
		if got := roundDuration(d); got != want {
			t.Errorf("roundDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// FuzzErrorClassification feeds arbitrary statuses, headers and bodies to
// the classifier: it must never panic, always produce a message, and keep
// the credential out of it.
func FuzzErrorClassification(f *testing.F) {
	f.Add(400, "application/json", "", `{"errorMessages":["Error in the JQL Query: x"],"errors":{"f":"bad"}}`)
	f.Add(401, "text/html", "AUTHENTICATED_FAILED", "<html><title>Unauthorized (401)</title></html>")
	f.Add(403, "text/html", "AUTHENTICATION_DENIED", "")
	f.Add(429, "text/html", "", "<!doctype html><title>HTTP Status 429 – Too Many Requests</title>")
	f.Add(200, "application/json", "AUTHENTICATED_FAILED", "{}")
	f.Add(502, "", "", `{"message":1,"errors":{"a":{"b":[1]}}}`)
	f.Add(404, "text/html", "", "<title>"+strings.Repeat("x", 200))
	f.Fuzz(func(t *testing.T, status int, ctype, reason, body string) {
		if status < 100 || status > 999 {
			status = 400 + (status%100+100)%100
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		resp.Header.Set("Content-Type", ctype)
		resp.Header.Set("X-Seraph-LoginReason", reason)
		resp.Header.Set("Retry-After", reason)
		ec := errorContext{method: "GET", path: "/rest/api/3/x", host: "acme.atlassian.net", credSent: true}
		e := ec.fromResponse(resp, []byte(body), time.Now())
		if e == nil || e.Error() == "" || e.Kind == KindUnknown {
			t.Fatalf("status %d: %#v", status, e)
		}
		if strings.Contains(e.Error(), testCred.Token) {
			t.Fatal("token in message")
		}
		_ = ec.loginFailure(resp)
	})
}

// TestNoHintSpeaksOfJiffysConfig: jiraclient returns kinds and Jira's own
// words; what to change in jiffy's config file (the profile's URL, its
// ca_cert, a new login) is the UI presenter's (tui/store.Advice). Every
// kind's default hint, for each flavour and credential, is checked.
func TestNoHintSpeaksOfJiffysConfig(t *testing.T) {
	config := regexp.MustCompile(`(?i)\bin the profile\b|\bthe profile\b|ca_cert|config file|jiffy login`)
	for k := range ErrorKind(len(kindNames)) {
		for _, fl := range []Flavor{FlavorUnknown, FlavorCloud, FlavorDataCenter} {
			for _, bearer := range []bool{false, true} {
				e := &Error{Kind: k, flavor: fl, bearer: bearer, RetryAfter: time.Second, host: "jira.example.com"}
				if m := config.FindString(e.Error()); m != "" {
					t.Errorf("%v (%v, bearer %v): %q speaks of jiffy's config (%q)", k, fl, bearer, e.Error(), m)
				}
			}
		}
	}
}
