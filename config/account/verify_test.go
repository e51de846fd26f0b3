package account

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestVerifyCloud(t *testing.T) {
	s := newSite(t, "cloud", "")
	// A pasted browse URL with a query is cut back to the site.
	res, err := Verify(ctx(t), VerifyInput{URL: "  " + s.URL() + "/browse/KP-19?focusedCommentId=10001 ", Email: testEmail, Token: cloudToken + "\n"})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.SiteURL != s.URL() {
		t.Errorf("SiteURL = %q, want %q", res.SiteURL, s.URL())
	}
	if res.Flavor != jiraclient.FlavorCloud {
		t.Errorf("Flavor = %v, want cloud", res.Flavor)
	}
	if res.Me == nil || res.Me.DisplayName != "Carlos Treminio" || res.Me.AccountID != "5b86be50b8e3cb5895860d6d" {
		t.Errorf("Me = %+v", res.Me)
	}
	if res.APIBase != "" {
		t.Errorf("APIBase = %q, want none", res.APIBase)
	}
	if res.User() != testEmail || res.DisplayName() != "Carlos Treminio" {
		t.Errorf("User/DisplayName = %q/%q", res.User(), res.DisplayName())
	}
	if res.Client == nil || res.Client.Flavor() != jiraclient.FlavorCloud {
		t.Fatalf("client not set up for Cloud")
	}
}

func TestVerifyDataCenter(t *testing.T) {
	s := newSite(t, "dc", "")
	res, err := Verify(ctx(t), VerifyInput{URL: s.URL() + "/secure/Dashboard.jspa", Token: dcPAT})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.Flavor != jiraclient.FlavorDataCenter {
		t.Errorf("Flavor = %v", res.Flavor)
	}
	if res.Me.Name != "admin" || res.User() != "admin" {
		t.Errorf("Me = %+v", res.Me)
	}
	if res.ServerInfo == nil || res.ServerInfo.Version != "10.3.13" {
		t.Errorf("ServerInfo = %+v", res.ServerInfo)
	}
}

func TestVerifyWithKnownFlavorSkipsDetection(t *testing.T) {
	s := newSite(t, "dc", "")
	if _, err := Verify(ctx(t), VerifyInput{URL: s.URL(), Token: dcPAT, Flavor: jiraclient.FlavorDataCenter}); err != nil {
		t.Fatal(err)
	}
	if n := s.count("/rest/api/2/serverInfo"); n != 0 {
		t.Errorf("serverInfo asked %d times with the flavour known", n)
	}
}

func TestDetect(t *testing.T) {
	cloud := newSite(t, "cloud", "")
	dc := newSite(t, "dc", "")
	tests := []struct {
		url   string
		want  jiraclient.Flavor
		title string
	}{
		{cloud.URL() + "/browse/ABC-1", jiraclient.FlavorCloud, "Jira Cloud"},
		{dc.URL() + "/projects/ABC/issues", jiraclient.FlavorDataCenter, "Jira Data Center 10.3"},
	}
	for _, tt := range tests {
		s, err := Detect(ctx(t), tt.url, nil)
		if err != nil {
			t.Fatalf("Detect(%q): %v", tt.url, err)
		}
		if s.Flavor != tt.want || s.Title() != tt.title {
			t.Errorf("Detect(%q) = %v %q, want %v %q", tt.url, s.Flavor, s.Title(), tt.want, tt.title)
		}
	}
}

func TestSiteTitle(t *testing.T) {
	tests := []struct {
		s    Site
		want string
	}{
		{Site{Flavor: jiraclient.FlavorCloud}, "Jira Cloud"},
		{Site{Flavor: jiraclient.FlavorDataCenter, Info: &jiraclient.ServerInfo{Version: "9.12.4", VersionNumbers: []int{9, 12, 4}, DeploymentType: "DataCenter"}}, "Jira Data Center 9.12"},
		{Site{Flavor: jiraclient.FlavorDataCenter, Info: &jiraclient.ServerInfo{Version: "8.20.1", DeploymentType: "Server"}}, "Jira Data Center 8.20"},
		{Site{Flavor: jiraclient.FlavorDataCenter}, "Jira Data Center"},
	}
	for _, tt := range tests {
		if got := tt.s.Title(); got != tt.want {
			t.Errorf("Title() = %q, want %q", got, tt.want)
		}
	}
}

// refusedConn dials nowhere: a port that was just closed.
func refusedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String()
	l.Close()
	return u
}

// dnsFailing answers every dial with "no such host", as for a mistyped name.
func dnsFailing() *http.Client {
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}}
	return &http.Client{Transport: tr}
}

func TestVerifyFailures(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsSrv.Close)

	tests := []struct {
		name   string
		flavor string // site to start: "cloud", "dc" or "" (none)
		mode   string
		in     VerifyInput
		field  Field
		want   []string // in Error()
	}{
		{name: "cloud wrong token", flavor: "cloud", in: VerifyInput{Email: testEmail, Token: wrongToken},
			field: FieldToken, want: []string{"did not accept this email and API token", "id.atlassian.com/manage-profile/security/api-tokens"}},
		{name: "cloud password instead of token", flavor: "cloud", in: VerifyInput{Email: testEmail, Token: "hunter2-Summer2026!"},
			field: FieldToken, want: []string{"looks like a password", "ATATT", "create an API token"}},
		{name: "cloud expired token answered 200", flavor: "cloud", mode: "expired200", in: VerifyInput{Email: testEmail, Token: wrongToken},
			field: FieldToken, want: []string{"expired or was revoked", "create a new API token"}},
		{name: "cloud 403", flavor: "cloud", mode: "forbidden", in: VerifyInput{Email: testEmail, Token: wrongToken},
			field: FieldToken, want: []string{"refused access (403)", "scope"}},
		{name: "cloud no email", flavor: "cloud", in: VerifyInput{Token: cloudToken},
			field: FieldEmail, want: []string{"needs the email"}},
		{name: "cloud username instead of email", flavor: "cloud", in: VerifyInput{Email: "ctreminiom", Token: cloudToken},
			field: FieldEmail, want: []string{"email address, not a user name"}},
		{name: "dc wrong or expired PAT", flavor: "dc", in: VerifyInput{Token: "MDk4NzY1NDMyMTA5ODc2NTQzMjEwOTg3NjU0MzIxMDk4"},
			field: FieldToken, want: []string{"personal access token", "mistyped, expired or revoked", "ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens"}},
		{name: "dc empty token", flavor: "dc", in: VerifyInput{Token: "   "},
			field: FieldToken, want: []string{"personal access token is empty"}},
		{name: "dc captcha 403", flavor: "dc", mode: "captcha403", in: VerifyInput{Token: "bad"},
			field: FieldToken, want: []string{"CAPTCHA", "login.jsp"}},
		{name: "dc captcha 200 AUTHENTICATION_DENIED", flavor: "dc", mode: "captcha200", in: VerifyInput{Token: "bad"},
			field: FieldToken, want: []string{"CAPTCHA"}},
		{name: "html page", flavor: "cloud", mode: "html", in: VerifyInput{Email: testEmail, Token: cloudToken},
			field: FieldURL, want: []string{"web page, not Jira's REST API"}},
		{name: "unreachable", in: VerifyInput{URL: refusedURL(t), Email: testEmail, Token: cloudToken},
			field: FieldURL, want: []string{"cannot reach 127.0.0.1", "network or VPN"}},
		{name: "no such host", in: VerifyInput{URL: "https://jira.nonexistent.example", Token: dcPAT, HTTPClient: dnsFailing()},
			field: FieldURL, want: []string{"cannot find jira.nonexistent.example", "spelling"}},
		{name: "untrusted certificate", in: VerifyInput{URL: tlsSrv.URL, Token: dcPAT},
			field: FieldURL, want: []string{"TLS certificate", "not trusted", "ca_cert"}},
		{name: "plain http refused", in: VerifyInput{URL: "http://jira.example.com/browse/X-1", Token: dcPAT},
			field: FieldURL, want: []string{"plain http://", "https://"}},
		{name: "empty url", in: VerifyInput{URL: "  ", Token: dcPAT},
			field: FieldURL, want: []string{"empty"}},
		{name: "not an address", in: VerifyInput{URL: "my jira", Token: dcPAT},
			field: FieldURL, want: []string{"e.g. https://your-company.atlassian.net"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if tt.flavor != "" {
				in.URL = newSite(t, tt.flavor, tt.mode).URL()
			}
			res, err := Verify(ctx(t), in)
			if err == nil {
				t.Fatalf("Verify succeeded: %+v", res)
			}
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T %v is not a *VerifyError", err, err)
			}
			if ve.Field != tt.field {
				t.Errorf("Field = %v, want %v (%v)", ve.Field, tt.field, err)
			}
			msg := err.Error()
			t.Logf("%v: %s", ve.Field, msg)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
			if ve.Fix == "" || ve.Cause == "" {
				t.Errorf("cause %q / fix %q: both must be set", ve.Cause, ve.Fix)
			}
			if tok := strings.TrimSpace(in.Token); len(tok) > 3 && strings.Contains(msg, tok) {
				t.Errorf("error shows the token: %q", msg)
			}
		})
	}
}

func TestVerifyScopedTokenThroughGateway(t *testing.T) {
	s := newSite(t, "cloud", "")
	gw := newGateway(t)
	res, err := Verify(ctx(t), VerifyInput{URL: s.URL(), Email: testEmail, Token: scopedToken, GatewayBase: gw.base()})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := gw.base() + cloudID
	if res.APIBase != want {
		t.Errorf("APIBase = %q, want %q", res.APIBase, want)
	}
	if res.SiteURL != s.URL() || res.Me.DisplayName != "Carlos Treminio" {
		t.Errorf("res = %+v", res)
	}
	if n := s.count("/_edge/tenant_info"); n != 1 {
		t.Errorf("tenant_info asked %d times", n)
	}
	// The client keeps using the gateway.
	before := gw.calls()
	if _, err := res.Client.Myself(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if gw.calls() != before+1 {
		t.Errorf("the client did not go through the gateway")
	}
}

func TestVerifyGatewayAlsoRefusesKeepsSiteDiagnosis(t *testing.T) {
	s := newSite(t, "cloud", "")
	gw := newGateway(t)
	_, err := Verify(ctx(t), VerifyInput{URL: s.URL(), Email: testEmail, Token: wrongToken, GatewayBase: gw.base()})
	if FieldOf(err) != FieldToken || !strings.Contains(err.Error(), "did not accept this email and API token") {
		t.Fatalf("err = %v", err)
	}
	if gw.calls() != 1 {
		t.Errorf("gateway calls = %d, want 1", gw.calls())
	}
}

func TestVerifyPasswordNeverSentToGateway(t *testing.T) {
	s := newSite(t, "cloud", "")
	gw := newGateway(t)
	_, err := Verify(ctx(t), VerifyInput{URL: s.URL(), Email: testEmail, Token: "correct horse battery staple", GatewayBase: gw.base()})
	if !strings.Contains(err.Error(), "looks like a password") {
		t.Fatalf("err = %v", err)
	}
	if gw.calls() != 0 {
		t.Errorf("a password went to the gateway")
	}
}

func TestLooksLikeCloudToken(t *testing.T) {
	for tok, want := range map[string]bool{
		cloudToken:               true,
		"ATATT":                  false,
		"hunter2":                false,
		strings.Repeat("a", 200): false,
		"ATATT" + strings.Repeat("x", 50) + " " + strings.Repeat("y", 50): false,
	} {
		if got := LooksLikeCloudToken(tok); got != want {
			t.Errorf("LooksLikeCloudToken(%.12q…) = %v, want %v", tok, got, want)
		}
	}
}

func TestTokenPageURL(t *testing.T) {
	if got := TokenPageURL(jiraclient.FlavorCloud, "https://acme.atlassian.net"); got != "https://id.atlassian.com/manage-profile/security/api-tokens" {
		t.Errorf("cloud: %q", got)
	}
	want := "https://jira.corp.example/jira/secure/ViewProfile.jspa?selectedTab=com.atlassian.pats.pats-plugin:jira-user-personal-access-tokens"
	if got := TokenPageURL(jiraclient.FlavorDataCenter, "https://jira.corp.example/jira/"); got != want {
		t.Errorf("dc: %q", got)
	}
	if got := TokenPageURL(jiraclient.FlavorDataCenter, ""); got != "" {
		t.Errorf("dc without site: %q", got)
	}
}

// The shared fake Jira, both flavours: a working login, then the same token
// after it expired, then (Data Center) the CAPTCHA lockout.
func TestVerifyAgainstFakejira(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: flavor, Issues: -1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(stop)
			token := fakejira.Token
			if flavor == fakejira.FlavorCloud {
				token = cloudToken
				srv.SetToken(token)
			}
			in := VerifyInput{URL: url + "/browse/ABC-1", Email: fakejira.Email, Token: token}
			res, err := Verify(ctx(t), in)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			me := srv.Me()
			if res.Me.DisplayName != me.DisplayName || res.Me.ID() != firstNonEmpty(me.AccountID, me.Name) {
				t.Errorf("Me = %+v, want %+v", res.Me, me)
			}
			if got := res.Flavor.String(); got != flavor {
				t.Errorf("flavor %q, want %q", got, flavor)
			}

			srv.ExpireToken()
			_, err = Verify(ctx(t), in)
			if FieldOf(err) != FieldToken {
				t.Fatalf("expired token: %v", err)
			}
			if flavor == fakejira.FlavorDataCenter {
				if !strings.Contains(err.Error(), "personal access token") {
					t.Errorf("expired PAT: %v", err)
				}
				srv.SetToken(fakejira.Token)
				srv.SetCaptcha(true)
				_, err = Verify(ctx(t), in)
				if FieldOf(err) != FieldToken || !strings.Contains(err.Error(), "CAPTCHA") {
					t.Errorf("captcha: %v", err)
				}
			} else if !strings.Contains(err.Error(), "Jira Cloud") {
				t.Errorf("expired Cloud token: %v", err)
			}
			assertNoToken(t, err.Error())
		})
	}
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// Whatever is typed as a token, a failed login's message never repeats it.
func FuzzVerifyNeverShowsToken(f *testing.F) {
	sites := map[jiraclient.Flavor]*fakeSite{
		jiraclient.FlavorCloud:      newSite(f, "cloud", ""),
		jiraclient.FlavorDataCenter: newSite(f, "dc", ""),
	}
	f.Add("not-the-token-12345", true)
	f.Add(wrongToken, true)
	f.Add("pass word with spaces", false)
	f.Add("tab\tand\nnewline-token", false)
	f.Add("ünïcödé-tökén-ß", true)
	f.Fuzz(func(t *testing.T, tok string, cloud bool) {
		tok = strings.TrimSpace(tok)
		if len(tok) < 8 || tok == cloudToken || tok == dcPAT {
			return
		}
		fl := jiraclient.FlavorDataCenter
		if cloud {
			fl = jiraclient.FlavorCloud
		}
		c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		in := VerifyInput{URL: sites[fl].URL(), Email: testEmail, Token: tok, Flavor: fl}
		_, err := Verify(c, in)
		if err == nil {
			t.Fatalf("token %q accepted", tok)
		}
		// Text the message has anyway (for any token) is no leak.
		in.Token = "QQQQQQQQ-reference"
		_, ref := Verify(c, in)
		if strings.Contains(err.Error(), tok) && !strings.Contains(ref.Error(), tok) {
			t.Fatalf("the error shows the token %q: %v", tok, err)
		}
	})
}
