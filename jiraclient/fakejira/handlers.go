package fakejira

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// route is one parsed request path below /rest/api/{v}/.
type route struct {
	version string   // "2" or "3"
	parts   []string // path segments after the version
}

// handle authenticates and dispatches one request.
func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if s.ctxPath != "" {
		if !strings.HasPrefix(path, s.ctxPath+"/") {
			http.NotFound(w, r) // outside the web app: the container's 404
			return
		}
		path = path[len(s.ctxPath):]
	}
	if strings.HasPrefix(path, agilePrefix) {
		s.handleAgile(w, r, path[len(agilePrefix):])
		return
	}
	const prefix = "/rest/api/"
	if !strings.HasPrefix(path, prefix) && s.handleOutsideAPI(w, r, path) {
		return
	}
	if !strings.HasPrefix(path, prefix) {
		s.notFoundPage(w, r)
		return
	}
	rest := strings.Trim(path[len(prefix):], "/")
	segs := strings.Split(rest, "/")
	rt := route{version: segs[0], parts: segs[1:]}
	if rt.version == "latest" {
		rt.version = s.apiVersion()
	}
	for i, p := range rt.parts {
		if u, err := url.PathUnescape(p); err == nil {
			rt.parts[i] = u
		}
	}
	auth := s.checkAuth(r)

	// serverInfo answers anonymously on /rest/api/2 for both flavours (and
	// on /rest/api/3 on Cloud); a bad credential still gets 200, flagged by
	// X-Seraph-LoginReason, as Jira does on anonymous-readable resources.
	if len(rt.parts) == 1 && rt.parts[0] == "serverInfo" && (rt.version == "2" || rt.version == s.apiVersion()) && r.Method == http.MethodGet {
		if !s.rateLimit(w, "GET serverInfo") {
			return
		}
		s.identityHeaders(w, auth)
		s.serverInfo(w)
		return
	}
	switch auth {
	case authNone, authBad:
		s.writeUnauthorized(w)
		return
	case authCaptcha:
		s.writeCaptcha(w)
		return
	}
	s.identityHeaders(w, auth)

	if rt.version != s.apiVersion() {
		// Cloud's removed search answers 410 on both versions.
		if s.cloud && rt.version == "2" && len(rt.parts) == 1 && rt.parts[0] == "search" {
			s.searchRemoved(w)
			return
		}
		s.notFoundPage(w, r)
		return
	}
	h, endpoint := s.dispatch(r.Method, rt)
	if h == nil {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
			if h2, _ := s.dispatch(m, rt); h2 != nil {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ","))
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		s.notFoundPage(w, r)
		return
	}
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && !isUpload(rt) && !s.jsonBody(w, r) {
		return
	}
	if !s.rateLimit(w, r.Method+" "+endpoint) {
		return
	}
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && len(rt.parts) >= 2 && rt.parts[0] == "issue" && rt.parts[1] != "createmeta" {
		s.mu.Lock()
		i, ok := s.lookup(rt.parts[1])
		s.mu.Unlock()
		if ok {
			if allowed, wait := s.issueWriteAllowed(i.Key); !allowed {
				secs := int(wait/time.Second) + 1
				s.write429(w, "jira-per-issue-on-write", strconv.Itoa(secs), issueWriteWindows[0].n)
				return
			}
		}
	}
	h(w, r, rt)
}

// jsonBody enforces what Jira's REST layer does with write bodies: form
// and plain-text posts fail the XSRF check (unless X-Atlassian-Token:
// no-check), anything else that is not JSON is 415.
func (s *Server) jsonBody(w http.ResponseWriter, r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		return true
	case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		if r.Header.Get("X-Atlassian-Token") != "no-check" {
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, "XSRF check failed")
			return false
		}
	}
	w.WriteHeader(http.StatusUnsupportedMediaType)
	return false
}

func (s *Server) apiVersion() string {
	if s.cloud {
		return "3"
	}
	return "2"
}

func (s *Server) identityHeaders(w http.ResponseWriter, auth authState) {
	h := w.Header()
	switch {
	case auth == authOK && s.cloud:
		h.Set("X-AAccountId", s.me.AccountID)
	case auth == authOK:
		h.Set("X-AUSERNAME", s.me.Name)
		h.Set("X-Seraph-LoginReason", "OK")
	case auth == authBad:
		h.Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
		if !s.cloud {
			h.Set("X-AUSERNAME", "anonymous")
		}
	case !s.cloud:
		h.Set("X-AUSERNAME", "anonymous")
	}
}

type handlerFunc func(http.ResponseWriter, *http.Request, route)

// dispatch finds the handler for method and path, and a route template used
// as the rate-limit bucket key.
func (s *Server) dispatch(method string, rt route) (handlerFunc, string) {
	p := rt.parts
	n := len(p)
	get, post, put := method == http.MethodGet, method == http.MethodPost, method == http.MethodPut
	switch {
	case n == 1 && p[0] == "myself" && get:
		return s.myself, "myself"
	case n == 1 && p[0] == "user" && get:
		return s.getUser, "user"
	case n == 1 && p[0] == "search" && (get || post):
		if s.cloud {
			return func(w http.ResponseWriter, _ *http.Request, _ route) { s.searchRemoved(w) }, "search"
		}
		return s.searchDC, "search"
	case n == 2 && p[0] == "search" && p[1] == "jql" && (get || post) && s.cloud:
		return s.searchJQL, "search/jql"
	case n == 2 && p[0] == "search" && p[1] == "approximate-count" && post && s.cloud:
		return s.approximateCount, "search/approximate-count"
	case n == 1 && p[0] == "issue" && post:
		return s.createIssue, "issue"
	case n == 4 && p[0] == "issue" && p[1] == "createmeta" && p[3] == "issuetypes" && get:
		return s.createMetaTypes, "issue/createmeta/{p}/issuetypes"
	case n == 5 && p[0] == "issue" && p[1] == "createmeta" && p[3] == "issuetypes" && get:
		return s.createMetaFields, "issue/createmeta/{p}/issuetypes/{id}"
	case n == 2 && p[0] == "issue" && p[1] == "bulkfetch" && post && s.cloud:
		return s.bulkFetch, "issue/bulkfetch"
	case n == 2 && p[0] == "issue" && get:
		return s.getIssue, "issue/{key}"
	case n == 2 && p[0] == "issue" && put:
		return s.editIssue, "issue/{key}"
	case n == 3 && p[0] == "issue" && p[2] == "comment" && get:
		return s.listComments, "issue/{key}/comment"
	case n == 3 && p[0] == "issue" && p[2] == "comment" && post:
		return s.addComment, "issue/{key}/comment"
	case n == 3 && p[0] == "issue" && p[2] == "transitions" && get:
		return s.getTransitions, "issue/{key}/transitions"
	case n == 3 && p[0] == "issue" && p[2] == "transitions" && post:
		return s.doTransition, "issue/{key}/transitions"
	case n == 3 && p[0] == "issue" && p[2] == "assignee" && put:
		return s.assign, "issue/{key}/assignee"
	case n == 3 && p[0] == "issue" && p[2] == "editmeta" && get:
		return s.editMeta, "issue/{key}/editmeta"
	case n == 3 && p[0] == "user" && p[1] == "assignable" && p[2] == "search" && get:
		return s.assignable, "user/assignable/search"
	case n == 2 && p[0] == "project" && p[1] == "search" && get && s.cloud:
		return s.projectSearch, "project/search"
	case n == 1 && p[0] == "project" && get && !s.cloud:
		return s.projectList, "project"
	case n == 2 && p[0] == "filter" && p[1] == "favourite" && get:
		return s.favouriteFilters, "filter/favourite"
	case n == 1 && p[0] == "field" && get:
		return s.fieldList, "field"
	case n == 1 && p[0] == "priority" && get:
		return s.priorityList, "priority"
	case n == 1 && p[0] == "label" && get && s.cloud:
		return s.labelList, "label"
	case n == 3 && p[0] == "jql" && p[1] == "autocompletedata" && p[2] == "suggestions" && get:
		return s.suggestions, "jql/autocompletedata/suggestions"
	}
	return s.dispatchMore(method, rt)
}

// notFoundPage is what Jira answers for a path no resource serves.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	u := s.baseURL() + strings.TrimPrefix(r.URL.Path, s.ctxPath)
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	writeErr(w, http.StatusNotFound, "null for uri: "+u)
}

func (s *Server) searchRemoved(w http.ResponseWriter) {
	writeErr(w, http.StatusGone, "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")
}

func (s *Server) rnd() render {
	return render{cloud: s.cloud, base: s.base, quirks: s.quirks}
}

// userResolver maps a mention's username to what Cloud shows.
func (s *Server) userResolver() adfUserResolver {
	return func(name string) (string, string) {
		for _, u := range s.users {
			if u.Name == name {
				return u.AccountID, u.DisplayName
			}
		}
		return name, name
	}
}

// clockLocked is the server's idea of now: the fixed Options.Now moved on
// by real time, and strictly after every earlier write. s.mu held.
func (s *Server) clockLocked() time.Time {
	return s.now.Add(time.Since(s.started()))
}

func (s *Server) started() time.Time { return s.startedAt }

// touch stamps a write; "updated" changes on every write and never goes
// backwards. s.mu held.
func (s *Server) touch(i *issue) {
	t := s.clockLocked().Truncate(time.Millisecond)
	if !t.After(i.Updated) {
		t = i.Updated.Add(time.Millisecond)
	}
	i.Updated = t
}

// lookup finds an issue by key (case-insensitive) or numeric id. s.mu held.
func (s *Server) lookup(keyOrID string) (*issue, bool) {
	if i, ok := s.byKey[strings.ToUpper(keyOrID)]; ok {
		return i, true
	}
	if n, err := strconv.Atoi(keyOrID); err == nil {
		for _, i := range s.issues {
			if i.ID == n {
				return i, true
			}
		}
	}
	return nil, false
}

func issueMissing(w http.ResponseWriter) {
	writeErr(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
}

// --- serverInfo, myself --------------------------------------------------------

func (s *Server) serverInfo(w http.ResponseWriter) {
	s.mu.Lock()
	base, now := s.base, s.clockLocked()
	s.mu.Unlock()
	if s.cloud {
		writeJSON(w, http.StatusOK, map[string]any{
			"baseUrl": base, "version": "1001.0.0-SNAPSHOT", "versionNumbers": []int{1001, 0, 0},
			"deploymentType": "Cloud", "buildNumber": 100289, "buildDate": "2026-02-27T08:09:31.000+0000",
			"serverTime": fmtTime(now), "scmInfo": "1f51473f5c7b75c1a69a0090f4832cdc5053702a",
			"serverTitle": "Jira", "defaultLocale": map[string]any{"locale": "en_US"}, "serverTimeZone": "Etc/UTC",
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"baseUrl": base, "version": "10.3.13", "versionNumbers": []int{10, 3, 13},
		"deploymentType": "Server", "buildNumber": 10030013, "buildDate": "2025-10-14T00:00:00.000+0000",
		"serverTime": fmtTime(now), "scmInfo": "8c1a9e5bd0c2f6c35c8b2f2f2b0a3a4c1e2d3f4a",
		"serverTitle": "Jira", "defaultLocale": map[string]any{"locale": "en_US"},
	})
}

func (s *Server) myself(w http.ResponseWriter, r *http.Request, _ route) {
	s.mu.Lock()
	rn := s.rnd()
	m := rn.user(s.me).(map[string]any)
	s.mu.Unlock()
	m["locale"] = "en_US"
	m["groups"] = map[string]any{"size": 2, "items": []any{}}
	m["applicationRoles"] = map[string]any{"size": 1, "items": []any{}}
	m["expand"] = "groups,applicationRoles"
	writeJSON(w, http.StatusOK, m)
}

// getUser is GET /user: ?accountId= on Cloud, ?username= or ?key= on
// Data Center. The 404 wording is the fake's own, in Jira's style.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request, _ route) {
	q := r.URL.Query()
	s.mu.Lock()
	rn := s.rnd()
	var found *user
	for _, u := range s.users {
		switch {
		case s.cloud && q.Get("accountId") != "" && u.AccountID == q.Get("accountId"),
			!s.cloud && q.Get("username") != "" && u.Name == q.Get("username"),
			!s.cloud && q.Get("key") != "" && u.Key == q.Get("key"):
			found = u
		}
	}
	var m any
	if found != nil {
		m = rn.user(found)
	}
	s.mu.Unlock()
	switch {
	case found != nil:
		writeJSON(w, http.StatusOK, m)
	case s.cloud:
		writeErr(w, http.StatusNotFound, "Specified user does not exist or you do not have required permissions")
	default:
		writeErr(w, http.StatusNotFound, "The user named '"+q.Get("username")+q.Get("key")+"' does not exist")
	}
}

// --- search ------------------------------------------------------------------------

// searchParams is the union of GET query and POST body parameters.
type searchParams struct {
	JQL           string
	Fields        []string
	FieldsGiven   bool
	Expand        []string
	MaxResults    int
	MaxGiven      bool
	StartAt       int
	NextPageToken string
}

func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

func readSearchParams(r *http.Request) (searchParams, error) {
	var p searchParams
	if r.Method == http.MethodPost {
		var body struct {
			JQL           string          `json:"jql"`
			Fields        []string        `json:"fields"`
			Expand        json.RawMessage `json:"expand"`
			MaxResults    *int            `json:"maxResults"`
			StartAt       int             `json:"startAt"`
			NextPageToken *string         `json:"nextPageToken"`
		}
		if err := decodeBody(r, &body); err != nil {
			return p, err
		}
		p.JQL, p.Fields, p.FieldsGiven, p.StartAt = body.JQL, splitList(body.Fields), body.Fields != nil, body.StartAt
		if body.MaxResults != nil {
			p.MaxResults, p.MaxGiven = *body.MaxResults, true
		}
		if body.NextPageToken != nil {
			p.NextPageToken = *body.NextPageToken
		}
		// expand is a comma string on /search/jql and an array on /search.
		var es string
		var ea []string
		if json.Unmarshal(body.Expand, &es) == nil {
			p.Expand = splitList([]string{es})
		} else if json.Unmarshal(body.Expand, &ea) == nil {
			p.Expand = splitList(ea)
		}
		return p, nil
	}
	q := r.URL.Query()
	p.JQL = q.Get("jql")
	if _, ok := q["fields"]; ok {
		p.Fields, p.FieldsGiven = splitList(q["fields"]), true
	}
	p.Expand = splitList(q["expand"])
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, fmt.Errorf("The value '%s' is not valid for the parameter 'maxResults'.", v)
		}
		p.MaxResults, p.MaxGiven = n, true
	}
	if v := q.Get("startAt"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, fmt.Errorf("The value '%s' is not valid for the parameter 'startAt'.", v)
		}
		p.StartAt = n
	}
	p.NextPageToken = q.Get("nextPageToken")
	return p, nil
}

// errBadJSON is the message Jira gives for an unreadable request body.
var errBadJSON = fmt.Errorf("Invalid request payload. Refer to the REST API documentation and try again.")

func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return errBadJSON
	}
	return nil
}

func hasExpand(list []string, x string) bool {
	for _, e := range list {
		if strings.EqualFold(e, x) {
			return true
		}
	}
	return false
}

// fieldSelection resolves a fields list (*all, *navigable, names, -name)
// against the fields an issue has.
func fieldSelection(rn render, fields []string, def string) (ids []string, idOnly bool) {
	if len(fields) == 0 {
		fields = []string{def}
	}
	all := rn.allFieldIDs()
	set := map[string]bool{}
	var order []string
	add := func(f string) {
		if !set[f] {
			set[f] = true
			order = append(order, f)
		}
	}
	onlyIDKey := true
	for _, f := range fields {
		switch {
		case f == "*all" || f == "*navigable":
			onlyIDKey = false
			for _, a := range all {
				add(a)
			}
		case strings.HasPrefix(f, "-"):
			delete(set, f[1:])
		case f == "id" || f == "key":
		default:
			onlyIDKey = false
			add(f)
		}
	}
	for _, f := range order {
		if set[f] {
			ids = append(ids, f)
		}
	}
	return ids, onlyIDKey
}

// issueJSON renders an issue with the selected fields. s.mu held.
func (s *Server) issueJSON(i *issue, fields []string, expand []string) map[string]any {
	rn := s.rnd()
	users := s.userResolver()
	f := map[string]any{}
	for _, id := range fields {
		if id == "subtasks" {
			subs := []any{}
			for _, c := range s.issues {
				if c.Parent == i && c.Type.Subtask {
					subs = append(subs, rn.issueRef(c))
				}
			}
			f[id] = subs
			continue
		}
		if v, ok := s.fieldValueMore(rn, i, id, users); ok {
			f[id] = v
		}
	}
	m := map[string]any{
		"expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
		"id":     strconv.Itoa(i.ID),
		"self":   rn.api() + "/issue/" + strconv.Itoa(i.ID),
		"key":    i.Key,
		"fields": f,
	}
	if hasExpand(expand, "names") {
		names := map[string]string{}
		all := rn.fieldNames()
		for _, id := range fields {
			if n, ok := all[id]; ok {
				names[id] = n
			}
		}
		m["names"] = names
	}
	if hasExpand(expand, "transitions") {
		m["transitions"] = s.transitionsJSON(i, false)
	}
	return m
}

func (s *Server) searchError(w http.ResponseWriter, err error) {
	writeErr(w, http.StatusBadRequest, err.Error())
}

// searchCommentCap is how many comments Cloud's enhanced search includes
// per issue.
const searchCommentCap = 20

// searchJQL is Cloud's enhanced search: token paging, no total.
func (s *Server) searchJQL(w http.ResponseWriter, r *http.Request, _ route) {
	p, err := readSearchParams(r)
	if err != nil {
		s.searchError(w, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.compileJQL(p.JQL)
	if err != nil {
		s.searchError(w, err)
		return
	}
	if !c.bounded {
		writeErr(w, http.StatusBadRequest, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
		return
	}
	start := 0
	if p.NextPageToken != "" {
		start, err = decodePageToken(p.NextPageToken, p.JQL)
		if err != nil {
			writeErr(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	rn := s.rnd()
	ids, idOnly := fieldSelection(rn, p.Fields, "id")
	max := p.MaxResults
	if !p.MaxGiven || max <= 0 {
		max = 50
	}
	// Fewer per page when more fields are asked for, as documented.
	limit := 5000
	if !idOnly {
		limit = 100
	}
	if max > limit {
		max = limit
	}
	all := s.runJQL(c)
	end := start + max
	if end > len(all) {
		end = len(all)
	}
	if start > len(all) {
		start = len(all)
	}
	issues := make([]any, 0, end-start)
	for _, i := range all[start:end] {
		if !p.FieldsGiven && len(p.Expand) == 0 {
			issues = append(issues, map[string]any{"id": strconv.Itoa(i.ID)})
			continue
		}
		m := s.issueJSON(i, ids, p.Expand)
		m["expand"] = ""
		// Enhanced search returns at most 20 comments per issue; total
		// still counts them all.
		if c, ok := m["fields"].(map[string]any)["comment"].(map[string]any); ok {
			if cs := c["comments"].([]any); len(cs) > searchCommentCap {
				c["comments"], c["maxResults"] = cs[:searchCommentCap], searchCommentCap
			}
		}
		issues = append(issues, m)
	}
	out := map[string]any{"issues": issues, "isLast": end >= len(all)}
	if end < len(all) {
		out["nextPageToken"] = encodePageToken(end, p.JQL)
	}
	if hasExpand(p.Expand, "names") {
		names := map[string]string{}
		fn := rn.fieldNames()
		for _, id := range ids {
			if n, ok := fn[id]; ok {
				names[id] = n
			}
		}
		out["names"] = names
	}
	writeJSON(w, http.StatusOK, out)
}

// Page tokens are opaque to clients; the fake binds them to the query so a
// token reused with another JQL fails like an invalid one.
func encodePageToken(offset int, jql string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("fj1|%d|%08x", offset, fnv32(jql))))
}

func decodePageToken(tok, jql string) (int, error) {
	bad := fmt.Errorf("The provided next page token is invalid or expired.")
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] != "fj1" || parts[2] != fmt.Sprintf("%08x", fnv32(jql)) {
		return 0, bad
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 0 {
		return 0, bad
	}
	return n, nil
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// searchDC is Data Center's offset search with total.
func (s *Server) searchDC(w http.ResponseWriter, r *http.Request, _ route) {
	p, err := readSearchParams(r)
	if err != nil {
		s.searchError(w, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.compileJQL(p.JQL)
	if err != nil {
		s.searchError(w, err)
		return
	}
	if p.StartAt < 0 {
		writeErr(w, http.StatusBadRequest, "The value '"+strconv.Itoa(p.StartAt)+"' is not valid for the parameter 'startAt'.")
		return
	}
	rn := s.rnd()
	ids, _ := fieldSelection(rn, p.Fields, "*navigable")
	max := p.MaxResults
	if !p.MaxGiven || max < 0 {
		max = 50
	}
	// jira.search.views.default.max defaults to 1000.
	if max > s.searchMax {
		max = s.searchMax
	}
	// The search platform (OpenSearch, Jira 11.2+) refuses a page reaching
	// past its result window, whatever the total.
	if win := s.resultWindow; win > 0 && p.StartAt+max > win {
		writeSearchLimit(w, win, p.StartAt+max)
		return
	}
	all := s.runJQL(c)
	start := p.StartAt
	if start > len(all) {
		start = len(all)
	}
	end := start + max
	if end > len(all) {
		end = len(all)
	}
	issues := make([]any, 0, end-start)
	for _, i := range all[start:end] {
		m := s.issueJSON(i, ids, p.Expand)
		m["expand"] = "operations,versionedRepresentations,editmeta,changelog,renderedFields"
		issues = append(issues, m)
	}
	out := map[string]any{"expand": "schema,names", "startAt": p.StartAt, "maxResults": max, "total": len(all), "issues": issues}
	if hasExpand(p.Expand, "names") {
		names := map[string]string{}
		fn := rn.fieldNames()
		for _, id := range ids {
			if n, ok := fn[id]; ok {
				names[id] = n
			}
		}
		out["names"] = names
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) approximateCount(w http.ResponseWriter, r *http.Request, _ route) {
	var body struct {
		JQL string `json:"jql"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.compileJQL(body.JQL)
	if err != nil {
		s.searchError(w, err)
		return
	}
	if !c.bounded {
		writeErr(w, http.StatusBadRequest, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(s.runJQL(c))})
}

// --- issue ----------------------------------------------------------------------------

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request, rt route) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	ids, _ := fieldSelection(s.rnd(), splitList(q["fields"]), "*all")
	writeJSON(w, http.StatusOK, s.issueJSON(i, ids, splitList(q["expand"])))
}

// writeSearchLimit is Data Center's answer to a page past the search
// platform's result window: a 500 carrying the REST layer's status entity,
// worded as Atlassian's KB quotes it
// (https://support.atlassian.com/jira/kb/handling-jql-rest-api-searching-exceeding-max_result_window-in-jira).
func writeSearchLimit(w http.ResponseWriter, window, asked int) {
	w.Header().Set("Content-Type", "application/xml;charset=UTF-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><status><status-code>500</status-code>`+
		`<message>Search limit exceeded. We couldn't complete your search because it requests %s results which exceeded the search platform limit of %s. `+
		`Try refining your query or contact your Jira administrator. Repeating the same search may not work.</message>`+
		`<stack-trace>Please contact your admin passing attached Log's referral number: 91a9a4e4-244c-4d3a-939d-c50b92d49d02</stack-trace></status>`,
		thousands(asked), thousands(window))
}

// thousands writes n with comma separators, as Jira's messages do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// maxBulkFetch is the most issues POST /issue/bulkfetch returns.
const maxBulkFetch = 100

// bulkFetch is Cloud's POST /rest/api/3/issue/bulkfetch: up to 100 issues
// by id or key with the fields asked (default *navigable), by ascending
// id; keys that match no visible issue (deleted, hidden: see DeleteIssue,
// HideIssue) are left out silently, as the spec says ("Issues which aren't
// found or that the user doesn't have permission to view won't be
// returned", and not listed in issueErrors either). issueErrors lists the
// issues Faults.BulkIssueErrors says cannot be given now, by id, with an
// errorMessage (the spec's IssueError; the wording is the fake's own, as
// no real one is captured).
func (s *Server) bulkFetch(w http.ResponseWriter, r *http.Request, _ route) {
	var body struct {
		Keys   []string        `json:"issueIdsOrKeys"`
		Fields []string        `json:"fields"`
		Expand json.RawMessage `json:"expand"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	// Spec: 400 "if no issue IDs/keys were present, or more than 100 issue
	// IDs/keys were requested". The wording of the two is not captured.
	switch {
	case len(body.Keys) == 0:
		writeErr(w, http.StatusBadRequest, "At least one issue ID or key must be provided.")
		return
	case len(body.Keys) > maxBulkFetch:
		writeErr(w, http.StatusBadRequest, fmt.Sprintf("The number of issues requested (%d) exceeds the maximum of %d.", len(body.Keys), maxBulkFetch))
		return
	}
	var expand []string
	_ = json.Unmarshal(body.Expand, &expand)
	s.mu.Lock()
	defer s.mu.Unlock()
	rn := s.rnd()
	ids, _ := fieldSelection(rn, splitList(body.Fields), "*navigable")
	seen := map[*issue]bool{}
	var found, failed []*issue
	for _, k := range body.Keys {
		i, ok := s.lookup(k)
		if !ok || seen[i] {
			continue
		}
		seen[i] = true
		if s.bulkErrs[i.Key] > 0 {
			s.bulkErrs[i.Key]--
			failed = append(failed, i)
			continue
		}
		found = append(found, i)
	}
	sort.Slice(found, func(a, b int) bool { return found[a].ID < found[b].ID })
	sort.Slice(failed, func(a, b int) bool { return failed[a].ID < failed[b].ID })
	issueErrors := make([]any, 0, len(failed))
	for _, i := range failed {
		issueErrors = append(issueErrors, map[string]any{"id": strconv.Itoa(i.ID), "errorMessage": "The issue could not be retrieved at this time. Try again later."})
	}
	issues := make([]any, 0, len(found))
	for _, i := range found {
		m := s.issueJSON(i, ids, expand)
		m["expand"] = ""
		issues = append(issues, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"expand": "schema,names", "issueErrors": issueErrors, "issues": issues})
}
