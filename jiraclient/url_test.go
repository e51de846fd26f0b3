package jiraclient

import (
	"net/url"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	ok := []struct{ in, want string }{
		{"https://acme.atlassian.net", "https://acme.atlassian.net"},
		{"acme.atlassian.net", "https://acme.atlassian.net"},
		{"  https://acme.atlassian.net///  ", "https://acme.atlassian.net"},
		{"HTTPS://ACME.Atlassian.NET/", "https://acme.atlassian.net"},
		{"https://acme.atlassian.net/browse/ABC-1", "https://acme.atlassian.net"},
		{"https://acme.atlassian.net/browse/ABC-1?focusedCommentId=10001#comment-10001", "https://acme.atlassian.net"},
		{"https://acme.atlassian.net/jira/browse/ABC-1", "https://acme.atlassian.net"},
		{"https://acme.atlassian.net/jira/software/projects/ABC/boards/1?selectedIssue=ABC-1", "https://acme.atlassian.net"},
		{"https://acme.atlassian.net/jira/your-work", "https://acme.atlassian.net"},
		{"https://acme.atlassian.net/secure/Dashboard.jspa", "https://acme.atlassian.net"},
		{"https://acme.atlassian.net/projects/ABC/issues/ABC-1?filter=allopenissues", "https://acme.atlassian.net"},
		{"https://acme.atlassian.net/rest/api/3/issue/ABC-1", "https://acme.atlassian.net"},
		{"acme.jira.com/browse/X-1", "https://acme.jira.com"},
		{"https://jira.example.com", "https://jira.example.com"},
		{"https://jira.example.com:443/", "https://jira.example.com"},
		{"https://jira.example.com:8443/jira/", "https://jira.example.com:8443/jira"},
		{"https://jira.example.com/jira", "https://jira.example.com/jira"},
		{"https://jira.example.com/jira/browse/ABC-1", "https://jira.example.com/jira"},
		{"https://jira.example.com/jira/secure/Dashboard.jspa", "https://jira.example.com/jira"},
		{"https://jira.example.com/jira/secure/RapidBoard.jspa?rapidView=12", "https://jira.example.com/jira"},
		{"https://jira.example.com/jira/projects/ABC/issues/ABC-1", "https://jira.example.com/jira"},
		{"https://jira.example.com/jira/software/projects/ABC/boards/3", "https://jira.example.com/jira"},
		{"https://jira.example.com/jira/rest/api/2/serverInfo", "https://jira.example.com/jira"},
		{"https://jira.example.com/issues/?jql=project%3DABC", "https://jira.example.com"},
		{"https://jira.example.com/login.jsp?os_destination=%2Fbrowse%2FX-1", "https://jira.example.com"},
		{"https://issues.apache.org/jira/browse/KAFKA-1", "https://issues.apache.org/jira"},
		{"https://jira.example.com/tools/jira/browse/X-1", "https://jira.example.com/tools/jira"},
		{"http://localhost:2990/jira/browse/TEST-1", "http://localhost:2990/jira"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://127.1.2.3", "http://127.1.2.3"},
		{"http://[::1]:8080/", "http://[::1]:8080"},
		{"http://jira.localhost", "http://jira.localhost"},
		{"https://10.0.0.5:8443", "https://10.0.0.5:8443"},
		{"https://[2001:db8::1]/jira", "https://[2001:db8::1]/jira"},
		{"acme.atlassian.net.", "https://acme.atlassian.net"},
	}
	for _, tc := range ok {
		got, err := NormalizeURL(tc.in)
		if err != nil {
			t.Errorf("NormalizeURL(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}

	bad := []struct {
		in   string
		kind ErrorKind
		want string
	}{
		{"", KindInvalid, "empty"},
		{"   ", KindInvalid, "empty"},
		{"http://jira.example.com", KindInsecure, "use an https:// URL"},
		{"http://acme.atlassian.net/browse/X-1", KindInsecure, "plain http"},
		{"http://10.0.0.5", KindInsecure, "https"},
		{"http://128.0.0.1", KindInsecure, "https"},
		{"ftp://jira.example.com", KindInvalid, "https://"},
		{"not a url", KindInvalid, "not a web address"},
		{"https://", KindInvalid, "host"},
		{"https://user:pass@jira.example.com", KindInvalid, "user name or password"},
		{"https://jira.example.com:99999", KindInvalid, "port"},
		{"https://jira.example.com:0", KindInvalid, "port"},
		{"https://jira..example.com", KindInvalid, "host"},
		{"https://-jira.example.com", KindInvalid, "host"},
		// A second trailing dot made "https://0000." whose own normal
		// form is "https://0000" (found by FuzzNormalizeURL).
		{"0000..", KindInvalid, "host"},
		{"acme.atlassian.net..", KindInvalid, "host"},
		{"https://jira_ex%41mple.com", KindInvalid, ""},
		{"://", KindInvalid, ""},
	}
	for _, tc := range bad {
		got, err := NormalizeURL(tc.in)
		if err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want an error", tc.in, got)
			continue
		}
		if KindOf(err) != tc.kind {
			t.Errorf("NormalizeURL(%q): kind %v, want %v (%v)", tc.in, KindOf(err), tc.kind, err)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NormalizeURL(%q): %q does not say %q", tc.in, err, tc.want)
		}
	}
}

func TestNormalizeURLNeverEchoesPassword(t *testing.T) {
	_, err := NormalizeURL("https://ana:hunter2@jira.example.com")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err = %v", err)
	}
}

func TestInsecureMessage(t *testing.T) {
	_, err := NormalizeURL("http://jira.example.com/jira")
	want := "refusing to send credentials over plain http to jira.example.com: use an https:// URL (plain http is allowed only for localhost)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestLoopbackAndCloudHosts(t *testing.T) {
	for h, want := range map[string]bool{"localhost": true, "LOCALHOST.": true, "127.0.0.1": true, "127.255.0.9": true, "::1": true, "a.localhost": true,
		"10.0.0.1": false, "localhost.example.com": false, "::2": false, "example.com": false} {
		if got := isLoopbackHost(h); got != want {
			t.Errorf("isLoopbackHost(%q) = %v", h, got)
		}
	}
	for h, want := range map[string]bool{"acme.atlassian.net": true, "acme.jira.com": true, "x.jira-dev.com": true, "atlassian.net.evil.com": false, "jira.example.com": false} {
		if got := isCloudHost(h); got != want {
			t.Errorf("isCloudHost(%q) = %v", h, got)
		}
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{
		"acme.atlassian.net", "https://acme.atlassian.net/browse/ABC-1?x=1#y", "http://localhost:2990/jira/",
		"https://jira.example.com/jira/secure/Dashboard.jspa", "http://jira.example.com", "", "://", "https://[::1]:8443/a/b",
		"https://u:p@h", "https://h:99999", "\x00", "https://%zz", "jira.example.com/a b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizeURL(in)
		if err != nil {
			if KindOf(err) != KindInvalid && KindOf(err) != KindInsecure {
				t.Fatalf("NormalizeURL(%q): kind %v", in, KindOf(err))
			}
			if err.Error() == "" {
				t.Fatalf("empty error message")
			}
			return
		}
		u, perr := url.Parse(out)
		if perr != nil {
			t.Fatalf("NormalizeURL(%q) = %q, which does not parse: %v", in, out, perr)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(out, "/") {
			t.Fatalf("NormalizeURL(%q) = %q keeps user info, query, fragment or a trailing slash", in, out)
		}
		if u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname())) {
			t.Fatalf("NormalizeURL(%q) = %q allows plain http off loopback", in, out)
		}
		again, err := NormalizeURL(out)
		if err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", in, out, again, err)
		}
	})
}
