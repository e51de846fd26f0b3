package jiraclient

import (
	"encoding/base64"
	"net/http"
)

// authHeader is the Authorization value for cred, "" for an anonymous
// credential (no token): public Data Center sites can be read that way.
func authHeader(cred Credential) string {
	if cred.Token == "" {
		return ""
	}
	if cred.Kind == AuthBearer {
		return "Bearer " + cred.Token
	}
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(cred.User+":"+cred.Token))
}

// authTransport adds the credential to requests for the site's and the API
// gateway's origins only. A redirect to another host (an SSO page, a CDN, a
// hostile link) goes out without it, and so does a downgrade to plain http:
// the origin includes the scheme.
type authTransport struct {
	next    http.RoundTripper
	header  string
	allowed map[string]bool // origin(u) values
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := new(http.Request)
	*r = *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Del("Authorization")
	if t.header != "" && t.allowed[origin(req.URL)] {
		r.Header.Set("Authorization", t.header)
	}
	return t.next.RoundTrip(r)
}
