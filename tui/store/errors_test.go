package store

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestPresenterGivesTheSetupAdvice: jiraclient gives kinds and Jira's own
// words; the presenter (Describe, Hint) adds what jiffy's setup can do: a
// certificate Jira's client does not trust names ca_cert, a refused token
// asks for a new login, and Jira's own words stay.
func TestPresenterGivesTheSetupAdvice(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = quietLog()
	srv.TLS = &tls.Config{}
	srv.StartTLS()
	defer srv.Close()
	c, err := jiraclient.New(srv.URL, jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: "t"}, jiraclient.WithFlavor(jiraclient.FlavorDataCenter), jiraclient.WithRetry(jiraclient.RetryPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ServerInfo(context.Background())
	if jiraclient.KindOf(err) != jiraclient.KindTLS {
		t.Fatalf("want a TLS failure: %v", err)
	}
	if strings.Contains(err.Error(), "ca_cert") {
		t.Fatalf("jiraclient gives config advice: %v", err)
	}
	if d := Describe(err); !strings.Contains(d, "set ca_cert in the profile") || !strings.Contains(d, "unknown authority") {
		t.Errorf("Describe = %q", d)
	}
	if h := Hint(err); !strings.Contains(h, "ca_cert") {
		t.Errorf("Hint = %q", h)
	}

	fj, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorDataCenter, Seed: 1, Issues: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	fj.ExpireToken()
	c, _ = jiraclient.New(url, jiraclient.Credential{Kind: jiraclient.AuthBearer, Token: fakejira.Token}, jiraclient.WithFlavor(jiraclient.FlavorDataCenter), jiraclient.WithRetry(jiraclient.RetryPolicy{}))
	_, err = c.Myself(context.Background())
	if !jiraclient.IsAuth(err) {
		t.Fatalf("want an auth failure: %v", err)
	}
	if d := Describe(err); !strings.Contains(d, "Personal Access Token was not accepted") || !strings.Contains(d, "jiffy login") {
		t.Errorf("Describe = %q", d)
	}
	if a := Advice(jiraclient.ErrNotSupported); a != "" {
		t.Errorf("advice for a kind the setup cannot help: %q", a)
	}
}

// quietLog drops the TLS server's handshake complaints.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
