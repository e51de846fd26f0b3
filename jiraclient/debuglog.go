package jiraclient

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// debugLogTransport writes one line per attempt:
//
//	2026-11-23T10:57:04.123Z GET /rest/api/3/issue/ABC-1 200 84ms wait=0s try=1/5
//
// It writes the path only: query values can carry JQL or user input, and
// headers carry the credential, so neither is read. As a second line of
// defence every line is scrubbed of the token (raw and inside the Basic
// header) before it is written.
type debugLogTransport struct {
	next    http.RoundTripper
	w       io.Writer
	clock   Clock
	secrets []string
	mu      sync.Mutex
}

func newDebugLog(next http.RoundTripper, w io.Writer, clock Clock, cred Credential) *debugLogTransport {
	return &debugLogTransport{next: next, w: w, clock: clock, secrets: cred.secretForms()}
}

func (t *debugLogTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := t.clock.Now()
	resp, err := t.next.RoundTrip(req)
	dur := t.clock.Now().Sub(start)

	var b strings.Builder
	b.WriteString(start.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	b.WriteByte(' ')
	b.WriteString(req.Method)
	b.WriteByte(' ')
	b.WriteString(req.URL.EscapedPath())
	if err != nil {
		fmt.Fprintf(&b, " error=%q", err.Error())
	} else {
		fmt.Fprintf(&b, " %d", resp.StatusCode)
	}
	fmt.Fprintf(&b, " %s", dur.Round(time.Millisecond))
	if a := attemptOf(req.Context()); a != nil {
		fmt.Fprintf(&b, " wait=%s try=%d/%d", a.throttleWait.Round(time.Millisecond), a.n, a.max)
	}
	if req.Header.Get("Authorization") == "" {
		b.WriteString(" anonymous")
	}
	b.WriteByte('\n')
	line := b.String()
	for _, s := range t.secrets {
		line = strings.ReplaceAll(line, s, "[redacted]")
	}
	t.mu.Lock()
	_, _ = io.WriteString(t.w, line)
	t.mu.Unlock()
	return resp, err
}
