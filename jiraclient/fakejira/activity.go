package fakejira

// Watchers, worklogs and time tracking, issue links and link types,
// attachments (upload, metadata, download, delete).
//
// Provenance (testdata/PROVENANCE.md): the watcher list, worklog page,
// link type list, attachment and attachment/meta shapes are the Cloud
// OpenAPI spec's examples (testdata/fields/spec-*.json) and, for Data
// Center, jira-ruby's watchers.json and go-jira's issuelinktypes capture.
// Uploads: multipart/form-data with the file in "file", refused with 403
// "XSRF check failed" (text/plain) without X-Atlassian-Token: no-check, as
// Jira's XSRF filter does; a file over the limit answers 413 with
// {"errorMessages":["The field file exceeds its maximum permitted size of N
// bytes."]}, the wording a Jira Server user reported
// (github.com/bobcarroll/jira-client issue 119). Cloud's content resource
// answers 303 to the media service (another origin, a signed URL; served
// here by MediaHandler), Data Center serves /secure/attachment/{id}/{name}
// itself. The fake's own wording: watcher, worklog and link errors.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// defaultAttachLimit is the fake's attachment size limit: Jira Data
// Center's default (10 MiB), and what ServeHTTP reads of a body anyway.
const defaultAttachLimit = 10 << 20

type worklog struct {
	ID      int
	Author  *user
	Started time.Time
	Created time.Time
	Updated time.Time
	Spent   int64 // seconds
	Comment *node
}

type attachment struct {
	ID       int
	Filename string
	Mime     string
	Author   *user
	Created  time.Time
	Data     []byte
}

var (
	linkCloners   = &linkType{"10001", "Cloners", "is cloned by", "clones"}
	linkDuplicate = &linkType{"10002", "Duplicate", "is duplicated by", "duplicates"}
)

func allLinkTypes() []*linkType {
	return []*linkType{linkBlocks, linkCloners, linkDuplicate, linkRelates}
}

// dispatchMore routes this file's endpoints (called by dispatch for paths
// it does not know).
func (s *Server) dispatchMore(method string, rt route) (handlerFunc, string) {
	p := rt.parts
	n := len(p)
	get, post, del := method == http.MethodGet, method == http.MethodPost, method == http.MethodDelete
	switch {
	case n == 3 && p[0] == "issue" && p[2] == "watchers" && get:
		return s.getWatchers, "issue/{key}/watchers"
	case n == 3 && p[0] == "issue" && p[2] == "watchers" && post:
		return s.addWatcher, "issue/{key}/watchers"
	case n == 3 && p[0] == "issue" && p[2] == "watchers" && del:
		return s.removeWatcher, "issue/{key}/watchers"
	case n == 3 && p[0] == "issue" && p[2] == "worklog" && get:
		return s.getWorklogs, "issue/{key}/worklog"
	case n == 3 && p[0] == "issue" && p[2] == "worklog" && post:
		return s.addWorklog, "issue/{key}/worklog"
	case n == 1 && p[0] == "issueLinkType" && get:
		return s.linkTypes, "issueLinkType"
	case n == 1 && p[0] == "issueLink" && post:
		return s.createLink, "issueLink"
	case n == 2 && p[0] == "issueLink" && del:
		return s.deleteLink, "issueLink/{id}"
	case n == 3 && p[0] == "issue" && p[2] == "attachments" && post:
		return s.uploadAttachment, "issue/{key}/attachments"
	case n == 2 && p[0] == "attachment" && p[1] == "meta" && get:
		return s.attachmentMeta, "attachment/meta"
	case n == 2 && p[0] == "attachment" && get:
		return s.getAttachment, "attachment/{id}"
	case n == 2 && p[0] == "attachment" && del:
		return s.deleteAttachment, "attachment/{id}"
	case n == 3 && p[0] == "attachment" && p[1] == "content" && get && s.cloud:
		return s.attachmentContent, "attachment/content/{id}"
	}
	return s.dispatchPickers(method, rt)
}

// isUpload says whether a write is an attachment upload, whose multipart
// body handle must not refuse as it refuses non-JSON bodies elsewhere.
func isUpload(rt route) bool {
	return len(rt.parts) == 3 && rt.parts[0] == "issue" && rt.parts[2] == "attachments"
}

// --- watchers -------------------------------------------------------------------------------

func (s *Server) watchesJSON(i *issue) map[string]any {
	n, watching := 0, false
	if i.more != nil {
		n = len(i.more.watchers)
		for _, u := range i.more.watchers {
			if u == s.me {
				watching = true
			}
		}
	}
	return map[string]any{"self": s.rnd().api() + "/issue/" + i.Key + "/watchers", "watchCount": n, "isWatching": watching}
}

func (s *Server) getWatchers(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	m := s.watchesJSON(i)
	delete(m, "watchCount")
	m["watchCount"] = 0
	list := []any{}
	if i.more != nil {
		m["watchCount"] = len(i.more.watchers)
		for _, u := range i.more.watchers {
			list = append(list, s.rnd().user(u))
		}
	}
	m["watchers"] = list
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) addWatcher(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	body, _ := io.ReadAll(r.Body)
	u := s.me
	if len(bytes.TrimSpace(body)) > 0 {
		var id string
		if json.Unmarshal(body, &id) != nil {
			writeErr(w, http.StatusBadRequest, "The watcher must be given as a JSON string.")
			return
		}
		if u = s.findUser(id); u == nil {
			writeErr(w, http.StatusNotFound, "The user \""+id+"\" does not exist.")
			return
		}
	}
	x := i.extra()
	for _, e := range x.watchers {
		if e == u {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	x.watchers = append(x.watchers, u)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) removeWatcher(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	q := r.URL.Query()
	param := "username"
	if s.cloud {
		param = "accountId"
	}
	id := q.Get(param)
	if id == "" {
		writeErr(w, http.StatusBadRequest, "Missing required parameter '"+param+"'.")
		return
	}
	u := s.findUser(id)
	if u == nil {
		writeErr(w, http.StatusNotFound, "The user \""+id+"\" does not exist.")
		return
	}
	x := i.extra()
	var keep []*user
	for _, e := range x.watchers {
		if e != u {
			keep = append(keep, e)
		}
	}
	x.watchers = keep
	w.WriteHeader(http.StatusNoContent)
}

// --- worklogs and time tracking --------------------------------------------------------------

// jiraDuration writes seconds as Jira does (5-day weeks of 8 hours).
func jiraDuration(secs int64) string {
	if secs <= 0 {
		return "0m"
	}
	mins := secs / 60
	var parts []string
	for _, u := range []struct {
		n    int64
		name string
	}{{2400, "w"}, {480, "d"}, {60, "h"}, {1, "m"}} {
		if mins >= u.n {
			parts = append(parts, strconv.FormatInt(mins/u.n, 10)+u.name)
			mins %= u.n
		}
	}
	return strings.Join(parts, " ")
}

// parseJiraDuration reads "1h 30m", "2d", "1w", "90m" or a bare number of
// minutes; ok is false for anything else.
func parseJiraDuration(s string) (int64, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 0 {
		return int64(n * 60), true
	}
	var total float64
	for _, p := range strings.Fields(s) {
		if len(p) < 2 {
			return 0, false
		}
		n, err := strconv.ParseFloat(p[:len(p)-1], 64)
		if err != nil || n < 0 {
			return 0, false
		}
		mult := map[byte]float64{'w': 144000, 'd': 28800, 'h': 3600, 'm': 60}[p[len(p)-1]]
		if mult == 0 {
			return 0, false
		}
		total += n * mult
	}
	return int64(total), total > 0
}

func (s *Server) spent(i *issue) int64 {
	var n int64
	if i.more != nil {
		for _, wl := range i.more.worklogs {
			n += wl.Spent
		}
	}
	return n
}

func (s *Server) timeTrackingJSON(i *issue) map[string]any {
	m := map[string]any{}
	if i.more == nil {
		return m
	}
	if i.more.hasEstimate {
		m["originalEstimate"], m["originalEstimateSeconds"] = jiraDuration(i.more.original), i.more.original
		m["remainingEstimate"], m["remainingEstimateSeconds"] = jiraDuration(i.more.remaining), i.more.remaining
	}
	if sp := s.spent(i); sp > 0 {
		m["timeSpent"], m["timeSpentSeconds"] = jiraDuration(sp), sp
	}
	return m
}

func (s *Server) worklogJSON(i *issue, wl *worklog) map[string]any {
	rn := s.rnd()
	m := map[string]any{
		"self":             rn.api() + "/issue/" + strconv.Itoa(i.ID) + "/worklog/" + strconv.Itoa(wl.ID),
		"author":           rn.user(wl.Author),
		"updateAuthor":     rn.user(wl.Author),
		"created":          fmtTime(wl.Created),
		"updated":          fmtTime(wl.Updated),
		"started":          fmtTime(wl.Started),
		"timeSpent":        jiraDuration(wl.Spent),
		"timeSpentSeconds": wl.Spent,
		"id":               strconv.Itoa(wl.ID),
		"issueId":          strconv.Itoa(i.ID),
	}
	if wl.Comment != nil {
		if rn.cloud {
			m["comment"] = toADF(wl.Comment, s.userResolver())
		} else {
			m["comment"] = toWiki(wl.Comment)
		}
	} else if !rn.cloud {
		m["comment"] = ""
	}
	return m
}

func (s *Server) worklogPageJSON(i *issue, start, max int) map[string]any {
	var all []*worklog
	if i.more != nil {
		all = i.more.worklogs
	}
	a, b := window(len(all), start, max)
	list := []any{}
	for _, wl := range all[a:b] {
		list = append(list, s.worklogJSON(i, wl))
	}
	return map[string]any{"startAt": start, "maxResults": max, "total": len(all), "worklogs": list}
}

func (s *Server) getWorklogs(w http.ResponseWriter, r *http.Request, rt route) {
	start, max, msg := pageParams(r.URL.Query(), 5000, 5000)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	writeJSON(w, http.StatusOK, s.worklogPageJSON(i, start, max))
}

func (s *Server) addWorklog(w http.ResponseWriter, r *http.Request, rt route) {
	var body struct {
		TimeSpent        *string         `json:"timeSpent"`
		TimeSpentSeconds *int64          `json:"timeSpentSeconds"`
		Started          *string         `json:"started"`
		Comment          json.RawMessage `json:"comment"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	errs := map[string]string{}
	var spent int64
	switch {
	case body.TimeSpentSeconds != nil && *body.TimeSpentSeconds > 0:
		spent = *body.TimeSpentSeconds
	case body.TimeSpent != nil:
		n, ok := parseJiraDuration(*body.TimeSpent)
		if !ok {
			errs["timeLogged"] = "Invalid time duration entered."
		}
		spent = n
	default:
		errs["timeLogged"] = "You must indicate the time spent working."
	}
	now := s.clockLocked().Truncate(time.Millisecond)
	started := now
	if body.Started != nil {
		t, err := time.Parse(jiraTime, *body.Started)
		if err != nil {
			errs["started"] = "Invalid start date/time entered: " + *body.Started
		}
		started = t
	}
	var comment *node
	if len(body.Comment) > 0 && string(body.Comment) != "null" {
		n, msg := s.parseBody(body.Comment)
		if msg != "" {
			errs["comment"] = msg
		}
		comment = n
	}
	q := r.URL.Query()
	x := i.extra()
	remaining := x.remaining
	switch q.Get("adjustEstimate") {
	case "", "auto":
		remaining = max(0, remaining-spent)
	case "leave":
	case "new":
		n, ok := parseJiraDuration(q.Get("newEstimate"))
		if !ok {
			errs["newEstimate"] = "You must supply a valid new estimate."
		}
		remaining = n
	case "manual":
		n, ok := parseJiraDuration(q.Get("reduceBy"))
		if !ok {
			errs["reduceBy"] = "You must supply a valid amount to reduce the estimate by."
		}
		remaining = max(0, remaining-n)
	default:
		errs["adjustEstimate"] = "Invalid value for adjustEstimate: " + q.Get("adjustEstimate")
	}
	if len(errs) > 0 {
		writeFieldErr(w, http.StatusBadRequest, errs)
		return
	}
	if x.hasEstimate || q.Get("adjustEstimate") == "new" {
		x.remaining, x.hasEstimate = remaining, true
	}
	s.more.nextWorklog++
	wl := &worklog{ID: s.more.nextWorklog, Author: s.me, Started: started, Created: now, Updated: now, Spent: spent, Comment: comment}
	x.worklogs = append(x.worklogs, wl)
	s.touch(i)
	writeJSON(w, http.StatusCreated, s.worklogJSON(i, wl))
}

// applyTimeTracking sets estimates from {"originalEstimate","remainingEstimate"}.
// s.mu held.
func (s *Server) applyTimeTracking(i *issue, verb string, raw json.RawMessage) string {
	if verb != "set" && verb != "edit" {
		return opRefused("timetracking", verb, false)
	}
	var t struct {
		Original  *string `json:"originalEstimate"`
		Remaining *string `json:"remainingEstimate"`
	}
	if json.Unmarshal(raw, &t) != nil {
		return "Operation value must be an object"
	}
	x := i.extra()
	if t.Original != nil {
		n, ok := parseJiraDuration(*t.Original)
		if !ok {
			return "The original estimate specified is not valid."
		}
		x.original, x.hasEstimate = n, true
		if t.Remaining == nil && x.remaining == 0 {
			x.remaining = n
		}
	}
	if t.Remaining != nil {
		n, ok := parseJiraDuration(*t.Remaining)
		if !ok {
			return "The remaining estimate specified is not valid."
		}
		x.remaining, x.hasEstimate = n, true
	}
	return ""
}

// --- links ---------------------------------------------------------------------------------------

func (s *Server) linkTypeJSON(t *linkType) map[string]any {
	return map[string]any{"id": t.ID, "name": t.Name, "inward": t.Inward, "outward": t.Outward, "self": s.rnd().api() + "/issueLinkType/" + t.ID}
}

func (s *Server) linkTypes(w http.ResponseWriter, _ *http.Request, _ route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for _, t := range allLinkTypes() {
		list = append(list, s.linkTypeJSON(t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"issueLinkTypes": list})
}

// createLink is POST /issueLink: the inward issue is the link's source,
// so "inwardIssue A, outwardIssue B, type Blocks" makes A block B.
func (s *Server) createLink(w http.ResponseWriter, r *http.Request, _ route) {
	var body struct {
		Type         map[string]string `json:"type"`
		InwardIssue  map[string]string `json:"inwardIssue"`
		OutwardIssue map[string]string `json:"outwardIssue"`
		Comment      json.RawMessage   `json:"comment"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var lt *linkType
	for _, t := range allLinkTypes() {
		if body.Type["id"] == t.ID || body.Type["name"] != "" && strings.EqualFold(body.Type["name"], t.Name) {
			lt = t
		}
	}
	if lt == nil {
		writeErr(w, http.StatusNotFound, "No issue link type with name '"+body.Type["name"]+"' found.")
		return
	}
	ref := func(m map[string]string) (*issue, bool) {
		return s.lookup(firstSet(m["key"], m["id"]))
	}
	a, okA := ref(body.InwardIssue)
	b, okB := ref(body.OutwardIssue)
	if !okA || !okB {
		writeErr(w, http.StatusNotFound, "Issue Does Not Exist")
		return
	}
	if a == b {
		writeErr(w, http.StatusBadRequest, "You cannot link an issue to itself.")
		return
	}
	s.link(a, b, lt)
	s.touch(a)
	s.touch(b)
	w.WriteHeader(http.StatusCreated)
}

func firstSet(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func (s *Server) deleteLink(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := rt.parts[1]
	found := false
	for _, i := range s.issues {
		var keep []*issueLink
		for _, l := range i.Links {
			if l.ID == id {
				found = true
				continue
			}
			keep = append(keep, l)
		}
		if len(keep) != len(i.Links) {
			i.Links = keep
			s.touch(i)
		}
	}
	if !found {
		writeErr(w, http.StatusNotFound, "No issue link with id '"+id+"' exists.")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// --- attachments -----------------------------------------------------------------------------

func (s *Server) findAttachment(id string) (*issue, *attachment) {
	n, err := strconv.Atoi(id)
	if err != nil {
		return nil, nil
	}
	for _, i := range s.issues {
		if i.more == nil {
			continue
		}
		for _, a := range i.more.attachments {
			if a.ID == n {
				return i, a
			}
		}
	}
	return nil, nil
}

// attachmentJSON is an attachment as the issue field and GET
// /attachment/{id} send it; the latter has a numeric id on Cloud.
func (s *Server) attachmentJSON(a *attachment, numericID bool) map[string]any {
	rn := s.rnd()
	id := strconv.Itoa(a.ID)
	m := map[string]any{
		"self":     rn.api() + "/attachment/" + id,
		"id":       id,
		"filename": a.Filename,
		"author":   rn.user(a.Author),
		"created":  fmtTime(a.Created),
		"size":     len(a.Data),
		"mimeType": a.Mime,
	}
	if numericID && rn.cloud {
		m["id"] = a.ID
	}
	if rn.cloud {
		m["content"] = rn.api() + "/attachment/content/" + id
		if strings.HasPrefix(a.Mime, "image/") {
			m["thumbnail"] = rn.api() + "/attachment/thumbnail/" + id
		}
	} else {
		m["content"] = rn.base + "/secure/attachment/" + id + "/" + url.PathEscape(a.Filename)
		if strings.HasPrefix(a.Mime, "image/") {
			m["thumbnail"] = rn.base + "/secure/thumbnail/" + id + "/_thumb_" + id + ".png"
		}
	}
	return m
}

func (s *Server) attachmentMeta(w http.ResponseWriter, _ *http.Request, _ route) {
	s.mu.Lock()
	limit := s.more.attachLimit
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"enabled": true, "uploadLimit": limit})
}

func (s *Server) getAttachment(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, a := s.findAttachment(rt.parts[1])
	if a == nil {
		writeErr(w, http.StatusNotFound, "The attachment with id '"+rt.parts[1]+"' does not exist")
		return
	}
	writeJSON(w, http.StatusOK, s.attachmentJSON(a, true))
}

func (s *Server) deleteAttachment(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, a := s.findAttachment(rt.parts[1])
	if a == nil {
		writeErr(w, http.StatusNotFound, "The attachment with id '"+rt.parts[1]+"' does not exist")
		return
	}
	var keep []*attachment
	for _, x := range i.more.attachments {
		if x != a {
			keep = append(keep, x)
		}
	}
	i.more.attachments = keep
	s.touch(i)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) uploadAttachment(w http.ResponseWriter, r *http.Request, rt route) {
	if r.Header.Get("X-Atlassian-Token") != "no-check" {
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "XSRF check failed")
		return
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" || params["boundary"] == "" {
		w.WriteHeader(http.StatusUnsupportedMediaType)
		return
	}
	s.mu.Lock()
	limit := s.more.attachLimit
	s.mu.Unlock()
	tooLarge := func() {
		writeJSON(w, http.StatusRequestEntityTooLarge, errBody([]string{fmt.Sprintf("The field file exceeds its maximum permitted size of %d bytes.", limit)}, nil))
	}
	if r.ContentLength > limit+64<<10 {
		tooLarge()
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	type upload struct {
		name, mime string
		data       []byte
	}
	var ups []upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeErr(w, http.StatusBadRequest, "Unable to read the multipart request: "+err.Error())
			return
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		if err != nil {
			writeErr(w, http.StatusBadRequest, "Unable to read the multipart request: "+err.Error())
			return
		}
		if int64(len(data)) > limit {
			tooLarge()
			return
		}
		name := path.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
		mt := part.Header.Get("Content-Type")
		if mt == "" || mt == "application/octet-stream" {
			if byExt := mime.TypeByExtension(path.Ext(name)); byExt != "" {
				mt, _, _ = strings.Cut(byExt, ";")
			} else {
				mt = http.DetectContentType(data)
				mt, _, _ = strings.Cut(mt, ";")
			}
		}
		ups = append(ups, upload{name, mt, data})
	}
	if len(ups) == 0 {
		writeErr(w, http.StatusBadRequest, "No attachment was provided in the request; the file must be sent in a part named 'file'.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	x := i.extra()
	out := []any{}
	now := s.clockLocked().Truncate(time.Millisecond)
	for _, u := range ups {
		s.more.nextAttachment++
		a := &attachment{ID: s.more.nextAttachment, Filename: u.name, Mime: u.mime, Author: s.me, Created: now, Data: u.data}
		x.attachments = append(x.attachments, a)
		out = append(out, s.attachmentJSON(a, false))
	}
	s.touch(i)
	writeJSON(w, http.StatusOK, out)
}

// attachmentContent is Cloud's GET /attachment/content/{id}: 303 to the
// media service, or the bytes with redirect=false.
func (s *Server) attachmentContent(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	_, a := s.findAttachment(rt.parts[2])
	media := s.more.mediaURL
	base := s.base
	s.mu.Unlock()
	if a == nil {
		writeErr(w, http.StatusNotFound, "The attachment with id '"+rt.parts[2]+"' does not exist")
		return
	}
	if r.URL.Query().Get("redirect") == "false" {
		serveBytes(w, a)
		return
	}
	if media == "" {
		media = base + mediaPrefix
	}
	w.Header().Set("Location", media+"/file/"+mediaFileID(a.ID)+"/binary?token="+mediaToken(a.ID)+"&client=fakejira&dl=true&name="+url.QueryEscape(a.Filename))
	w.WriteHeader(http.StatusSeeOther)
}

const mediaPrefix = "/_media"

func mediaFileID(id int) string { return fmt.Sprintf("4e1b9c6a-0000-4000-8000-%012d", id) }
func mediaToken(id int) string  { return fmt.Sprintf("tok%08x", fnv32("media:"+strconv.Itoa(id))) }

func serveBytes(w http.ResponseWriter, a *attachment) {
	w.Header().Set("Content-Type", a.Mime)
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.Header().Set("Content-Disposition", "attachment; filename=\""+strings.ReplaceAll(a.Filename, `"`, "")+"\"")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(a.Data)
}

// handleOutsideAPI serves what lives outside /rest: Data Center's
// attachment servlet (authenticated like the API) and, when no other
// media host is set, the Cloud media service's download path. ok is false
// for other paths.
func (s *Server) handleOutsideAPI(w http.ResponseWriter, r *http.Request, path string) bool {
	switch {
	case strings.HasPrefix(path, "/secure/attachment/") && !s.cloud && r.Method == http.MethodGet:
		switch s.checkAuth(r) {
		case authNone, authBad:
			s.writeUnauthorized(w)
			return true
		case authCaptcha:
			s.writeCaptcha(w)
			return true
		}
		parts := strings.Split(strings.TrimPrefix(path, "/secure/attachment/"), "/")
		s.mu.Lock()
		_, a := s.findAttachment(parts[0])
		s.mu.Unlock()
		if a == nil {
			w.WriteHeader(http.StatusNotFound)
			return true
		}
		serveBytes(w, a)
		return true
	case strings.HasPrefix(path, mediaPrefix+"/") && s.cloud:
		// The site's own stand-in for the media host is on the site's
		// origin, where a client rightly sends its credential: only the
		// separate host (MediaHandler) refuses one.
		s.serveMedia(w, r, strings.TrimPrefix(path, mediaPrefix), false)
		return true
	}
	return false
}

// serveMedia answers GET /file/{fileId}/binary?token=... as the media
// service does for a signed link: no Jira credential is needed, and on a
// separate host (strict) one sent is refused, so a client that leaks its
// Jira token across origins fails loudly here.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request, p string, strict bool) {
	if strict && r.Header.Get("Authorization") != "" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]any{"code": "Unauthorized", "title": "Unauthorized", "href": "https://dt-api.dev.atl-paas.net"}})
		return
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) != 3 || parts[0] != "file" || parts[2] != "binary" {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	s.mu.Lock()
	var hit *attachment
	for _, i := range s.issues {
		if i.more == nil {
			continue
		}
		for _, a := range i.more.attachments {
			if mediaFileID(a.ID) == parts[1] {
				hit = a
			}
		}
	}
	s.mu.Unlock()
	if hit == nil || r.URL.Query().Get("token") != mediaToken(hit.ID) {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	serveBytes(w, hit)
}

// MediaHandler serves the Cloud media service's download links on another
// host: mount it on a second server and pass its URL to SetMediaURL, and
// the content resource redirects there. Requests are recorded (without
// Authorization values) like the site's own.
func (s *Server) MediaHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &recorder{ResponseWriter: w}
		s.mu.Lock()
		idx := s.recordLocked(Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Time: time.Now(), HasAuth: r.Header.Get("Authorization") != ""})
		s.mu.Unlock()
		s.serveMedia(rw, r, r.URL.Path, true)
		s.mu.Lock()
		s.setStatusLocked(idx, rw.status)
		s.mu.Unlock()
	})
}

// SetMediaURL makes Cloud's content resource redirect to u (a server
// running MediaHandler) instead of the site's own /_media path.
func (s *Server) SetMediaURL(u string) {
	s.mu.Lock()
	s.more.mediaURL = strings.TrimRight(u, "/")
	s.mu.Unlock()
}

// SetAttachmentLimit sets the largest file an upload may carry (default
// 10 MiB, Data Center's default); larger ones answer 413.
func (s *Server) SetAttachmentLimit(n int64) {
	s.mu.Lock()
	s.more.attachLimit = n
	s.mu.Unlock()
}

// --- test accessors ---------------------------------------------------------------------

// ActivitySnapshot is an issue's watchers, worklogs, estimates, links and
// attachments for test assertions. Users are usernames whatever the
// flavour.
type ActivitySnapshot struct {
	Watchers         []string
	Worklogs         []WorklogSnapshot
	OriginalSeconds  int64 // 0 when no estimate is set
	RemainingSeconds int64
	SpentSeconds     int64
	Links            []LinkSnapshot
	Attachments      []AttachmentSnapshot
}

// WorklogSnapshot is one worklog.
type WorklogSnapshot struct {
	ID          string
	Author      string
	Started     time.Time
	Seconds     int64
	CommentText string
}

// LinkSnapshot is one link as seen from the issue: "blocks OTHER-1".
type LinkSnapshot struct {
	ID       string
	Type     string // link type name
	Relation string // this issue's side: "blocks", "is blocked by"
	Other    string // the other issue's key
}

// AttachmentSnapshot is one attachment with its bytes.
type AttachmentSnapshot struct {
	ID       string
	Filename string
	MimeType string
	Author   string
	Data     []byte
}

// Activity returns an issue's activity snapshot.
func (s *Server) Activity(key string) (ActivitySnapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(key)
	if !ok {
		return ActivitySnapshot{}, false
	}
	var snap ActivitySnapshot
	for _, l := range i.Links {
		rel := l.Type.Inward
		if l.Outward {
			rel = l.Type.Outward
		}
		snap.Links = append(snap.Links, LinkSnapshot{ID: l.ID, Type: l.Type.Name, Relation: rel, Other: l.Other.Key})
	}
	snap.SpentSeconds = s.spent(i)
	if i.more == nil {
		return snap, true
	}
	for _, u := range i.more.watchers {
		snap.Watchers = append(snap.Watchers, u.Name)
	}
	sort.Strings(snap.Watchers)
	for _, wl := range i.more.worklogs {
		snap.Worklogs = append(snap.Worklogs, WorklogSnapshot{ID: strconv.Itoa(wl.ID), Author: wl.Author.Name, Started: wl.Started, Seconds: wl.Spent, CommentText: plainText(wl.Comment)})
	}
	if i.more.hasEstimate {
		snap.OriginalSeconds, snap.RemainingSeconds = i.more.original, i.more.remaining
	}
	for _, a := range i.more.attachments {
		au := ""
		if a.Author != nil {
			au = a.Author.Name
		}
		snap.Attachments = append(snap.Attachments, AttachmentSnapshot{ID: strconv.Itoa(a.ID), Filename: a.Filename, MimeType: a.Mime, Author: au, Data: append([]byte(nil), a.Data...)})
	}
	return snap, true
}
