package fakejira

// The Agile REST API (/rest/agile/1.0), the same on both flavours: boards
// (scrum, kanban, and Cloud's team-managed "simple"), their configuration,
// board/backlog/sprint issue pages in rank order, sprints, rank, move to a
// sprint and to the backlog; plus GET /rest/api/{v}/field, where Data Center
// clients find the Epic Link field, and the epic edits (Cloud parent, DC
// Epic Link).
//
// Shapes: the board list, board configuration and sprint list follow real
// captures kept by public clients (go-jira testing/mock-data all_boards.json,
// board_configuration.json, sprints.json; go-atlassian jira/agile/mocks
// get-board-sprints.json); agile issue pages follow go-jira's
// issues_in_sprint.json (search shape, agile self links, the "epic" object).
// The rank 207 body follows the Jira Software REST schema's
// PartialSuccessBean ({"entries":[{issueId, issueKey, status, errors}]}).
// Jira's words: "You must specify a sprint which has not been completed."
// (closed sprint) as reported from real sites in public notes; "The board
// does not support sprints." for a kanban board. The fake's own wording
// (in Jira's style, not seen in a capture): the rank and batch-size errors,
// the parent/epic-link errors, the missing-board and missing-sprint texts.
//
// Not modelled: board permissions, board admins, swimlane and quick-filter
// configuration, the kanban backlog column, sprint create/start/complete,
// membership of closed sprints in an issue's sprint field (the closed
// sprint's issues are listed by its issue page only), flagging.

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const agilePrefix = "/rest/agile/1.0/"

// agileMax is the most issues one rank or move request may carry.
const agileMax = 50

type column struct {
	Name     string
	Statuses []*status
	Min, Max int
}

type board struct {
	ID         int
	Name, Type string
	Project    *project
	FilterID   string
	Where      string // the filter's JQL without ORDER BY
	SubQuery   string // kanban only
	Columns    []*column
	Constraint string
	Estimate   bool // scrum and simple boards estimate in story points
	Sprints    []*sprint
}

// agileState is the Agile part of the model. s.mu guards it.
type agileState struct {
	boards   []*board
	sprints  []*sprint // every sprint but the projects' own active ones
	points   map[*issue]float64
	closedIn map[*issue][]*sprint // closed sprints an issue was in
}

// Estimation and epic fields, which differ per flavour as on real sites.
func (r render) pointsField() (id, name string) {
	if r.cloud {
		return "customfield_10016", "Story point estimate"
	}
	return "customfield_10106", "Story Points"
}

// allSprints is every sprint: the projects' active ones and the agile
// model's closed and future ones. s.mu held.
func (s *Server) allSprints() []*sprint {
	var out []*sprint
	for _, p := range s.projects {
		if p.Sprint != nil {
			out = append(out, p.Sprint)
		}
	}
	return append(out, s.agile.sprints...)
}

// generateAgile adds boards, sprints and estimates. It draws from its own
// generator so the issues generate() made stay exactly as they were.
func generateAgile(s *Server, o Options) {
	r := rand.New(rand.NewSource(o.Seed ^ 0xa91e))
	now := o.Now
	a := &s.agile
	a.points = map[*issue]float64{}
	a.closedIn = map[*issue][]*sprint{}
	st := func(id string) *status {
		for _, x := range s.statuses {
			if x.ID == id {
				return x
			}
		}
		return nil
	}
	todo, prog, review, done := st("10000"), st("3"), st("10002"), st("10001")
	nextSprint := 100
	for n, p := range s.projects {
		b := &board{ID: n + 1, Name: p.Key + " board", Type: "scrum", Project: p, FilterID: strconv.Itoa(10100 + n),
			Where: "project = " + p.Key, Constraint: "issueCount", Estimate: true,
			Columns: []*column{{Name: "To Do", Statuses: []*status{todo}}, {Name: "In Progress", Statuses: []*status{prog}},
				{Name: "In Review", Statuses: []*status{review}, Max: 6}, {Name: "Done", Statuses: []*status{done}}}}
		active := p.Sprint
		active.Goal = "Ship the " + strings.ToLower(p.Name) + " release candidate"
		closed := &sprint{ID: nextSprint, Name: fmt.Sprintf("%s Sprint %d", p.Key, 13+n), State: "closed", BoardID: b.ID,
			Start: now.AddDate(0, 0, -20), End: now.AddDate(0, 0, -6), Complete: now.AddDate(0, 0, -6).Add(2 * time.Hour),
			SequenceOrder: nextSprint, Goal: "Stabilise search paging"}
		future := &sprint{ID: nextSprint + 1, Name: fmt.Sprintf("%s Sprint %d", p.Key, 15+n), State: "future", BoardID: b.ID,
			Start: now.AddDate(0, 0, 8), End: now.AddDate(0, 0, 22), SequenceOrder: nextSprint + 1, Goal: "Offline mode beta"}
		later := &sprint{ID: nextSprint + 2, Name: fmt.Sprintf("%s Sprint %d", p.Key, 16+n), State: "future", BoardID: b.ID, SequenceOrder: nextSprint + 2}
		nextSprint += 3
		b.Sprints = []*sprint{closed, active, future, later}
		a.sprints = append(a.sprints, closed, future, later)
		a.boards = append(a.boards, b)
		// The closed sprint holds done work that is in no sprint now.
		k := 0
		for _, i := range s.issues {
			if i.Project == p && i.Sprint == nil && i.Status == done && !i.Type.Subtask && i.Type.Name != "Epic" && k < 8 {
				a.closedIn[i] = append(a.closedIn[i], closed)
				k++
			}
		}
	}
	if len(s.projects) > 0 {
		p := s.projects[0]
		a.boards = append(a.boards, &board{ID: len(s.projects) + 1, Name: p.Key + " Kanban", Type: "kanban", Project: p,
			FilterID: strconv.Itoa(10100 + len(s.projects)), Where: "project = " + p.Key, SubQuery: "resolution = EMPTY OR resolved >= -14d",
			Constraint: "issueCount",
			Columns: []*column{{Name: "Selected", Statuses: []*status{todo}},
				{Name: "In Progress", Statuses: []*status{prog, review}, Min: 1, Max: 3},
				{Name: "Blocked"},
				{Name: "Done", Statuses: []*status{done}}}})
		if s.cloud {
			q := s.projects[len(s.projects)-1]
			a.boards = append(a.boards, &board{ID: len(s.projects) + 2, Name: q.Key + " team board", Type: "simple", Project: q,
				FilterID: strconv.Itoa(10101 + len(s.projects)), Where: "project = " + q.Key, Constraint: "none", Estimate: true,
				Columns: []*column{{Name: "To Do", Statuses: []*status{todo}}, {Name: "In Progress", Statuses: []*status{prog}}, {Name: "Done", Statuses: []*status{done}}}})
		}
	}
	scale := []float64{1, 2, 3, 5, 8, 13}
	for _, i := range s.issues {
		if i.Type.Subtask || i.Type.Name == "Epic" {
			continue
		}
		if r.Intn(5) > 0 {
			a.points[i] = scale[r.Intn(len(scale))]
		}
	}
}

// --- routing --------------------------------------------------------------------

// handleAgile authenticates and dispatches a request below /rest/agile/1.0/.
func (s *Server) handleAgile(w http.ResponseWriter, r *http.Request, rest string) {
	switch s.checkAuth(r) {
	case authNone, authBad:
		s.writeUnauthorized(w)
		return
	case authCaptcha:
		s.writeCaptcha(w)
		return
	}
	s.identityHeaders(w, authOK)
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	h, endpoint := s.dispatchAgile(r.Method, parts)
	if h == nil {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut} {
			if h2, _ := s.dispatchAgile(m, parts); h2 != nil {
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
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && !s.jsonBody(w, r) {
		return
	}
	if !s.rateLimit(w, r.Method+" agile/"+endpoint) {
		return
	}
	h(w, r, route{version: "agile", parts: parts})
}

func (s *Server) dispatchAgile(method string, p []string) (handlerFunc, string) {
	n := len(p)
	get, post, put := method == http.MethodGet, method == http.MethodPost, method == http.MethodPut
	switch {
	case n == 1 && p[0] == "board" && get:
		return s.agileBoards, "board"
	case n == 2 && p[0] == "board" && get:
		return s.agileBoard, "board/{id}"
	case n == 3 && p[0] == "board" && p[2] == "configuration" && get:
		return s.agileConfig, "board/{id}/configuration"
	case n == 3 && p[0] == "board" && p[2] == "issue" && get:
		return s.agileBoardIssues, "board/{id}/issue"
	case n == 3 && p[0] == "board" && p[2] == "backlog" && get:
		return s.agileBacklog, "board/{id}/backlog"
	case n == 3 && p[0] == "board" && p[2] == "sprint" && get:
		return s.agileBoardSprints, "board/{id}/sprint"
	case n == 5 && p[0] == "board" && p[2] == "sprint" && p[4] == "issue" && get:
		return s.agileSprintIssues, "board/{id}/sprint/{id}/issue"
	case n == 2 && p[0] == "sprint" && get:
		return s.agileSprint, "sprint/{id}"
	case n == 3 && p[0] == "sprint" && p[2] == "issue" && get:
		return s.agileSprintIssues, "sprint/{id}/issue"
	case n == 3 && p[0] == "sprint" && p[2] == "issue" && post:
		return s.agileMoveToSprint, "sprint/{id}/issue"
	case n == 2 && p[0] == "backlog" && p[1] == "issue" && post:
		return s.agileMoveToBacklog, "backlog/issue"
	case n == 2 && p[0] == "issue" && p[1] == "rank" && put:
		return s.agileRank, "issue/rank"
	}
	return nil, ""
}

// --- rendering ---------------------------------------------------------------------

func (s *Server) agileURL(parts ...string) string {
	return s.base + strings.TrimSuffix(agilePrefix, "/") + "/" + strings.Join(parts, "/")
}

func (s *Server) boardJSON(b *board) map[string]any {
	p := b.Project
	m := map[string]any{"id": b.ID, "self": s.agileURL("board", strconv.Itoa(b.ID)), "name": b.Name, "type": b.Type}
	pid, _ := strconv.Atoi(p.ID)
	loc := map[string]any{"projectId": pid, "displayName": p.Name + " (" + p.Key + ")", "projectName": p.Name,
		"projectKey": p.Key, "projectTypeKey": "software", "name": p.Name + " (" + p.Key + ")"}
	if s.cloud {
		loc["avatarURI"] = "/rest/api/2/universal_avatar/view/type/project/avatar/10419?size=small"
	} else {
		loc["avatarURI"] = "/secure/projectavatar?size=small&pid=" + p.ID + "&avatarId=10419"
	}
	m["location"] = loc
	if s.cloud {
		m["isPrivate"] = false
	}
	return m
}

func sprintTime(t time.Time, cloud bool) string {
	if cloud {
		return t.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return t.Format("2006-01-02T15:04:05.000-07:00")
}

func (s *Server) sprintJSON(sp *sprint) map[string]any {
	m := map[string]any{"id": sp.ID, "self": s.agileURL("sprint", strconv.Itoa(sp.ID)), "state": sp.State, "name": sp.Name, "originBoardId": sp.BoardID}
	if !sp.Start.IsZero() {
		m["startDate"] = sprintTime(sp.Start, s.cloud)
		m["endDate"] = sprintTime(sp.End, s.cloud)
	}
	if s.cloud && sp.State != "future" {
		m["activatedDate"] = sprintTime(sp.Start, true)
	}
	if sp.State == "closed" {
		m["completeDate"] = sprintTime(sp.Complete, s.cloud)
	}
	if sp.Goal != "" || s.cloud {
		m["goal"] = sp.Goal
	}
	if s.cloud {
		m["createdDate"] = sprintTime(sp.Start.AddDate(0, 0, -3), true)
	}
	return m
}

func (s *Server) configJSON(b *board) map[string]any {
	rn := s.rnd()
	cols := []any{}
	for _, c := range b.Columns {
		sts := []any{}
		for _, st := range c.Statuses {
			sts = append(sts, map[string]any{"id": st.ID, "self": rn.api() + "/status/" + st.ID})
		}
		m := map[string]any{"name": c.Name, "statuses": sts}
		if c.Min > 0 {
			m["min"] = c.Min
		}
		if c.Max > 0 {
			m["max"] = c.Max
		}
		cols = append(cols, m)
	}
	// Data Center names the project by key, Cloud by "projectKeyOrId".
	loc := map[string]any{"type": "project", "key": b.Project.Key, "id": b.Project.ID, "self": rn.api() + "/project/" + b.Project.ID, "name": b.Project.Name}
	if s.cloud {
		loc = map[string]any{"type": "project", "projectKeyOrId": b.Project.ID}
	}
	rank, _ := strconv.Atoi(strings.TrimPrefix(rn.rankField(), "customfield_"))
	m := map[string]any{
		"id": b.ID, "name": b.Name, "type": b.Type,
		"self":         s.agileURL("board", strconv.Itoa(b.ID), "configuration"),
		"location":     loc,
		"filter":       map[string]any{"id": b.FilterID, "self": rn.api() + "/filter/" + b.FilterID},
		"columnConfig": map[string]any{"columns": cols, "constraintType": b.Constraint},
		"ranking":      map[string]any{"rankCustomFieldId": rank},
	}
	if b.Type == "kanban" {
		m["subQuery"] = map[string]any{"query": b.SubQuery}
	}
	if b.Estimate {
		id, name := rn.pointsField()
		m["estimation"] = map[string]any{"type": "field", "field": map[string]any{"fieldId": id, "displayName": name}}
	}
	return m
}

// agileIssueJSON is an issue as the Agile API sends it: the search shape
// with agile self links and, when asked for (or by default), the Agile
// fields sprint, closedSprints, epic (Data Center; Cloud has moved to
// parent) and flagged, and the estimation field. s.mu held.
func (s *Server) agileIssueJSON(i *issue, ids []string, all bool, want map[string]bool) map[string]any {
	m := s.issueJSON(i, ids, nil)
	m["expand"] = "operations,versionedRepresentations,editmeta,changelog,renderedFields"
	m["self"] = s.agileURL("issue", strconv.Itoa(i.ID))
	f := m["fields"].(map[string]any)
	if all || want["sprint"] {
		var sp any
		if i.Sprint != nil && i.Sprint.State != "closed" {
			sp = s.sprintJSON(i.Sprint)
		}
		f["sprint"] = sp
	}
	if all || want["closedSprints"] {
		cs := []any{}
		for _, sp := range s.agile.closedIn[i] {
			cs = append(cs, s.sprintJSON(sp))
		}
		if len(cs) > 0 || all {
			f["closedSprints"] = cs
		}
	}
	if (all || want["epic"]) && !s.cloud {
		var e any
		if i.Parent != nil && i.Parent.Type.Name == "Epic" && !i.Type.Subtask {
			e = map[string]any{"id": i.Parent.ID, "key": i.Parent.Key, "self": s.agileURL("epic", strconv.Itoa(i.Parent.ID)),
				"name": i.Parent.Summary, "summary": i.Parent.Summary, "color": map[string]any{"key": "color_" + strconv.Itoa(1+i.Parent.ID%9)},
				"done": i.Parent.Status.Cat == catDone}
		}
		f["epic"] = e
	}
	if all || want["flagged"] {
		f["flagged"] = false
	}
	if id, _ := s.rnd().pointsField(); all || want[id] {
		if v, ok := s.storyPoints(i); ok {
			f[id] = v
		} else {
			f[id] = nil
		}
	}
	return m
}

// --- handlers -------------------------------------------------------------------------

func pageParams(q url.Values, def, most int) (start, max int, msg string) {
	max = def
	if v := q.Get("startAt"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, "The value '" + v + "' is not valid for the parameter 'startAt'."
		}
		start = n
	}
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, "The value '" + v + "' is not valid for the parameter 'maxResults'."
		}
		if n > 0 {
			max = n
		}
	}
	if max > most {
		max = most
	}
	return start, max, ""
}

func (s *Server) boardByID(x string) *board {
	n, err := strconv.Atoi(x)
	if err != nil {
		return nil
	}
	for _, b := range s.agile.boards {
		if b.ID == n {
			return b
		}
	}
	return nil
}

func (s *Server) sprintByID(x string) *sprint {
	n, err := strconv.Atoi(x)
	if err != nil {
		return nil
	}
	for _, sp := range s.allSprints() {
		if sp.ID == n {
			return sp
		}
	}
	return nil
}

func boardMissing(w http.ResponseWriter, id string) {
	writeErr(w, http.StatusNotFound, "Board does not exist or you do not have permission to see it.")
}

func sprintMissing(w http.ResponseWriter) {
	writeErr(w, http.StatusNotFound, "We could not find the sprint")
}

func (s *Server) agileBoards(w http.ResponseWriter, r *http.Request, _ route) {
	q := r.URL.Query()
	start, max, msg := pageParams(q, 50, 50)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	types := map[string]bool{}
	for _, t := range splitList(q["type"]) {
		t = strings.ToLower(t)
		if t != "scrum" && t != "kanban" && (t != "simple" || !s.cloud) {
			writeErr(w, http.StatusBadRequest, "The value '"+t+"' is not valid for the parameter 'type'.")
			return
		}
		types[t] = true
	}
	name := strings.ToLower(q.Get("name"))
	proj := q.Get("projectKeyOrId")
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*board
	for _, b := range s.agile.boards {
		if len(types) > 0 && !types[b.Type] {
			continue
		}
		if name != "" && !strings.Contains(strings.ToLower(b.Name), name) {
			continue
		}
		if proj != "" && !strings.EqualFold(proj, b.Project.Key) && proj != b.Project.ID {
			continue
		}
		match = append(match, b)
	}
	start = min(start, len(match))
	end := min(start+max, len(match))
	vals := []any{}
	for _, b := range match[start:end] {
		vals = append(vals, s.boardJSON(b))
	}
	writeJSON(w, http.StatusOK, map[string]any{"maxResults": max, "startAt": start, "total": len(match), "isLast": end >= len(match), "values": vals})
}

func (s *Server) agileBoard(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boardByID(rt.parts[1])
	if b == nil {
		boardMissing(w, rt.parts[1])
		return
	}
	writeJSON(w, http.StatusOK, s.boardJSON(b))
}

func (s *Server) agileConfig(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boardByID(rt.parts[1])
	if b == nil {
		boardMissing(w, rt.parts[1])
		return
	}
	writeJSON(w, http.StatusOK, s.configJSON(b))
}

// boardIssues runs the board's filter (and sub-query), narrowed by jql, in
// rank order. s.mu held.
func (s *Server) boardIssues(b *board, jql string, kanbanSub bool) ([]*issue, error) {
	q := "(" + b.Where + ")"
	if kanbanSub && b.SubQuery != "" {
		q += " AND (" + b.SubQuery + ")"
	}
	if strings.TrimSpace(jql) != "" {
		q += " AND (" + jql + ")"
	}
	c, err := s.compileJQL(q + " ORDER BY Rank ASC")
	if err != nil {
		return nil, err
	}
	return s.runJQL(c), nil
}

// writeIssuePage answers a board, backlog or sprint page. s.mu held.
func (s *Server) writeIssuePage(w http.ResponseWriter, r *http.Request, all []*issue) {
	q := r.URL.Query()
	most := 1000
	if s.cloud {
		most = 100
	}
	start, max, msg := pageParams(q, 50, most)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	fields := splitList(q["fields"])
	rn := s.rnd()
	ids, _ := fieldSelection(rn, fields, "*navigable")
	defaults := len(fields) == 0
	want := map[string]bool{}
	for _, f := range fields {
		if f == "*all" || f == "*navigable" {
			defaults = true
		}
		want[f] = true
	}
	start = min(start, len(all))
	end := min(start+max, len(all))
	issues := make([]any, 0, end-start)
	for _, i := range all[start:end] {
		issues = append(issues, s.agileIssueJSON(i, ids, defaults, want))
	}
	writeJSON(w, http.StatusOK, map[string]any{"expand": "schema,names", "startAt": start, "maxResults": max, "total": len(all), "issues": issues})
}

func (s *Server) agileBoardIssues(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boardByID(rt.parts[1])
	if b == nil {
		boardMissing(w, rt.parts[1])
		return
	}
	all, err := s.boardIssues(b, r.URL.Query().Get("jql"), true)
	if err != nil {
		s.searchError(w, err)
		return
	}
	s.writeIssuePage(w, r, all)
}

// doneStatuses are the statuses of a board's done column: the last column
// with statuses mapped to it.
func (b *board) doneStatuses() []*status {
	for i := len(b.Columns) - 1; i >= 0; i-- {
		if len(b.Columns[i].Statuses) > 0 {
			return b.Columns[i].Statuses
		}
	}
	return nil
}

func (s *Server) agileBacklog(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boardByID(rt.parts[1])
	if b == nil {
		boardMissing(w, rt.parts[1])
		return
	}
	if b.Type != "scrum" {
		writeErr(w, http.StatusBadRequest, "The board does not have a backlog.")
		return
	}
	cands, err := s.boardIssues(b, r.URL.Query().Get("jql"), false)
	if err != nil {
		s.searchError(w, err)
		return
	}
	done := b.doneStatuses()
	var out []*issue
	for _, i := range cands {
		if i.Sprint != nil && i.Sprint.State != "closed" {
			continue
		}
		isDone := false
		for _, st := range done {
			isDone = isDone || i.Status == st
		}
		if !isDone {
			out = append(out, i)
		}
	}
	s.writeIssuePage(w, r, out)
}

func (s *Server) agileBoardSprints(w http.ResponseWriter, r *http.Request, rt route) {
	q := r.URL.Query()
	start, max, msg := pageParams(q, 50, 50)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	states := map[string]bool{}
	for _, st := range splitList(q["state"]) {
		st = strings.ToLower(st)
		if st != "active" && st != "future" && st != "closed" {
			writeErr(w, http.StatusBadRequest, "The value '"+st+"' is not valid for the parameter 'state'.")
			return
		}
		states[st] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boardByID(rt.parts[1])
	if b == nil {
		boardMissing(w, rt.parts[1])
		return
	}
	if b.Type != "scrum" {
		writeErr(w, http.StatusBadRequest, "The board does not support sprints.")
		return
	}
	var match []*sprint
	for _, sp := range b.Sprints {
		if len(states) == 0 || states[sp.State] {
			match = append(match, sp)
		}
	}
	start = min(start, len(match))
	end := min(start+max, len(match))
	vals := []any{}
	for _, sp := range match[start:end] {
		vals = append(vals, s.sprintJSON(sp))
	}
	writeJSON(w, http.StatusOK, map[string]any{"maxResults": max, "startAt": start, "isLast": end >= len(match), "values": vals})
}

func (s *Server) agileSprint(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.sprintByID(rt.parts[1])
	if sp == nil {
		sprintMissing(w)
		return
	}
	writeJSON(w, http.StatusOK, s.sprintJSON(sp))
}

// inSprint reports whether i is (or, for a closed sprint, was) in sp.
func (s *Server) inSprint(i *issue, sp *sprint) bool {
	if i.Sprint == sp {
		return true
	}
	for _, c := range s.agile.closedIn[i] {
		if c == sp {
			return true
		}
	}
	return false
}

func (s *Server) agileSprintIssues(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sid := rt.parts[1]
	var b *board
	if rt.parts[0] == "board" {
		if b = s.boardByID(rt.parts[1]); b == nil {
			boardMissing(w, rt.parts[1])
			return
		}
		sid = rt.parts[3]
	}
	sp := s.sprintByID(sid)
	if sp == nil {
		sprintMissing(w)
		return
	}
	var cands []*issue
	var err error
	if b != nil {
		cands, err = s.boardIssues(b, r.URL.Query().Get("jql"), false)
	} else {
		var c *compiledJQL
		jql := r.URL.Query().Get("jql")
		if strings.TrimSpace(jql) == "" {
			c, err = s.compileJQL("ORDER BY Rank ASC")
		} else {
			c, err = s.compileJQL("(" + jql + ") ORDER BY Rank ASC")
		}
		if err == nil {
			cands = s.runJQL(c)
		}
	}
	if err != nil {
		s.searchError(w, err)
		return
	}
	var out []*issue
	for _, i := range cands {
		if s.inSprint(i, sp) {
			out = append(out, i)
		}
	}
	s.writeIssuePage(w, r, out)
}

// moveBody is the body of the move and rank requests.
type moveBody struct {
	Issues            []string    `json:"issues"`
	RankBeforeIssue   string      `json:"rankBeforeIssue"`
	RankAfterIssue    string      `json:"rankAfterIssue"`
	RankCustomFieldID json.Number `json:"rankCustomFieldId"`
}

// resolveAll finds every issue of a move, or answers 400. s.mu held.
func (s *Server) resolveAll(w http.ResponseWriter, keys []string) ([]*issue, bool) {
	if len(keys) == 0 {
		writeErr(w, http.StatusBadRequest, "At least one issue must be given.")
		return nil, false
	}
	if len(keys) > agileMax {
		writeErr(w, http.StatusBadRequest, fmt.Sprintf("At most %d issues can be moved at once; %d were given.", agileMax, len(keys)))
		return nil, false
	}
	out := make([]*issue, 0, len(keys))
	for _, k := range keys {
		i, ok := s.lookup(k)
		if !ok {
			writeErr(w, http.StatusBadRequest, "Issue '"+k+"' does not exist or you do not have permission to see it.")
			return nil, false
		}
		out = append(out, i)
	}
	return out, true
}

func (s *Server) agileMoveToSprint(w http.ResponseWriter, r *http.Request, rt route) {
	var body moveBody
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.sprintByID(rt.parts[1])
	if sp == nil {
		sprintMissing(w)
		return
	}
	if sp.State == "closed" {
		writeErr(w, http.StatusBadRequest, "You must specify a sprint which has not been completed.")
		return
	}
	issues, ok := s.resolveAll(w, body.Issues)
	if !ok {
		return
	}
	for _, i := range issues {
		if i.Sprint != sp {
			i.Sprint = sp
			s.touch(i)
		}
	}
	if body.RankBeforeIssue != "" || body.RankAfterIssue != "" {
		if ref, ok := s.lookup(firstOf(body.RankBeforeIssue, body.RankAfterIssue)); ok {
			s.rank(issues, ref, body.RankBeforeIssue != "")
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) agileMoveToBacklog(w http.ResponseWriter, r *http.Request, _ route) {
	var body moveBody
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	issues, ok := s.resolveAll(w, body.Issues)
	if !ok {
		return
	}
	for _, i := range issues {
		if i.Sprint != nil && i.Sprint.State != "closed" {
			i.Sprint = nil
			s.touch(i)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// rank moves issues, in the given order, just before (or after) ref in the
// global rank, and renumbers every issue's rank. s.mu held.
func (s *Server) rank(moving []*issue, ref *issue, before bool) {
	ordered := append([]*issue(nil), s.issues...)
	sort.SliceStable(ordered, func(a, b int) bool { return ordered[a].Rank < ordered[b].Rank })
	skip := map[*issue]bool{}
	for _, i := range moving {
		skip[i] = true
	}
	rest := ordered[:0:0]
	for _, i := range ordered {
		if !skip[i] {
			rest = append(rest, i)
		}
	}
	at := len(rest)
	for n, i := range rest {
		if i == ref {
			at = n
			if !before {
				at++
			}
			break
		}
	}
	out := make([]*issue, 0, len(ordered))
	out = append(out, rest[:at]...)
	out = append(out, moving...)
	out = append(out, rest[at:]...)
	for n, i := range out {
		i.Rank = n + 1
	}
	s.nextRank = len(out)
}

func (s *Server) agileRank(w http.ResponseWriter, r *http.Request, _ route) {
	var body moveBody
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	switch {
	case len(body.Issues) == 0:
		writeErr(w, http.StatusBadRequest, "At least one issue must be given.")
		return
	case len(body.Issues) > agileMax:
		writeErr(w, http.StatusBadRequest, fmt.Sprintf("At most %d issues can be ranked at once; %d were given.", agileMax, len(body.Issues)))
		return
	case (body.RankBeforeIssue == "") == (body.RankAfterIssue == ""):
		writeErr(w, http.StatusBadRequest, "Exactly one of 'rankBeforeIssue' and 'rankAfterIssue' must be given.")
		return
	}
	if id := body.RankCustomFieldID.String(); id != "" {
		want := strings.TrimPrefix(s.rnd().rankField(), "customfield_")
		if id != want {
			writeErr(w, http.StatusBadRequest, "The custom field with id "+id+" is not a rank field.")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	refKey := firstOf(body.RankBeforeIssue, body.RankAfterIssue)
	ref, ok := s.lookup(refKey)
	if !ok {
		writeErr(w, http.StatusBadRequest, "Issue '"+refKey+"' does not exist or you do not have permission to see it.")
		return
	}
	var moving []*issue
	entries := make([]any, 0, len(body.Issues))
	failed := false
	for _, k := range body.Issues {
		i, ok := s.lookup(k)
		switch {
		case !ok:
			failed = true
			entries = append(entries, map[string]any{"issueId": 0, "issueKey": k, "status": http.StatusNotFound,
				"errors": []string{"Issue does not exist or you do not have permission to see it."}})
		case i == ref:
			failed = true
			entries = append(entries, map[string]any{"issueId": i.ID, "issueKey": i.Key, "status": http.StatusBadRequest,
				"errors": []string{"An issue cannot be ranked relative to itself."}})
		default:
			moving = append(moving, i)
			entries = append(entries, map[string]any{"issueId": i.ID, "issueKey": i.Key, "status": http.StatusOK})
		}
	}
	if len(moving) > 0 {
		s.rank(moving, ref, body.RankBeforeIssue != "")
		for _, i := range moving {
			s.touch(i)
		}
	}
	if failed {
		writeJSON(w, http.StatusMultiStatus, map[string]any{"entries": entries})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// --- field list and epic edits ------------------------------------------------------

// fieldList is GET /rest/api/{v}/field: the system fields the fake models
// and the Jira Software custom fields (Sprint, Rank, the estimation field
// and, on Data Center, Epic Link), shaped like the real list (see
// testdata/PROVENANCE.md: go-atlassian get-fields.json, jira-ruby
// field.json).
func (s *Server) fieldList(w http.ResponseWriter, _ *http.Request, _ route) {
	s.mu.Lock()
	rn := s.rnd()
	s.mu.Unlock()
	out := []any{}
	for _, id := range rn.allFieldIDs() {
		if strings.HasPrefix(id, "customfield_") {
			continue
		}
		name := rn.fieldNames()[id]
		out = append(out, map[string]any{"id": id, "key": id, "name": name, "custom": false, "orderable": true, "navigable": true,
			"searchable": true, "clauseNames": []string{id}, "schema": systemSchema(id)})
	}
	custom := func(id, name, typ, items, plugin string) {
		n, _ := strconv.Atoi(strings.TrimPrefix(id, "customfield_"))
		schema := map[string]any{"type": typ, "custom": plugin, "customId": n}
		if items != "" {
			schema["items"] = items
		}
		m := map[string]any{"id": id, "key": id, "name": name, "custom": true, "orderable": true, "navigable": true,
			"searchable": true, "clauseNames": []string{"cf[" + strconv.Itoa(n) + "]", name}, "schema": schema}
		if s.cloud {
			m["untranslatedName"] = name
		}
		out = append(out, m)
	}
	custom(rn.sprintField(), "Sprint", "array", "json", "com.pyxis.greenhopper.jira:gh-sprint")
	custom(rn.rankField(), "Rank", "any", "", "com.pyxis.greenhopper.jira:gh-lexo-rank")
	pid, pname := rn.pointsField()
	if s.cloud {
		custom(pid, pname, "number", "", "com.pyxis.greenhopper.jira:jsw-story-points")
	} else {
		custom(pid, pname, "number", "", "com.atlassian.jira.plugin.system.customfieldtypes:float")
		custom(epicLinkField, "Epic Link", "any", "", "com.pyxis.greenhopper.jira:gh-epic-link")
	}
	out = s.customFieldList(rn, out)
	writeJSON(w, http.StatusOK, out)
}

func init() {
	editable["parent"] = true
	editable[epicLinkField] = true
}

// applyEpicOp sets or clears an issue's epic: Cloud's parent field
// ({"key"|"id"}, {} or null clears), Data Center's Epic Link (a key, or
// null). Each flavour refuses the other's field, as the real screens do.
// s.mu held.
func (s *Server) applyEpicOp(i *issue, field string, raw json.RawMessage) string {
	if field == "parent" && !s.cloud || field == epicLinkField && s.cloud {
		return cannotSet(field)
	}
	var ref string
	clear := string(raw) == "null"
	if field == "parent" && !clear {
		var o map[string]any
		if json.Unmarshal(raw, &o) != nil {
			return "Specify a valid value for parent"
		}
		if len(o) == 0 || o["none"] == true {
			clear = true
		} else {
			ref = fmt.Sprint(firstNonNil(o["key"], o["id"]))
		}
	} else if !clear {
		if json.Unmarshal(raw, &ref) != nil {
			return "Epic Link must be an issue key"
		}
		clear = ref == ""
	}
	if clear {
		if i.Type.Subtask {
			return "A sub-task must have a parent."
		}
		i.Parent = nil
		return ""
	}
	p, ok := s.lookup(ref)
	if !ok {
		if field == "parent" {
			return "Could not find issue by id or key."
		}
		return "The issue '" + ref + "' does not exist."
	}
	if i.Type.Subtask {
		if p.Type.Subtask || p.Type.Name == "Epic" {
			return "Given parent work item does not belong to appropriate hierarchy."
		}
		i.Parent = p
		return ""
	}
	if p.Type.Name != "Epic" || p == i {
		if field == "parent" {
			return "Given parent work item does not belong to appropriate hierarchy."
		}
		return "The issue '" + p.Key + "' is not an epic."
	}
	i.Parent = p
	return ""
}

func firstNonNil(a, b any) any {
	if a != nil {
		return a
	}
	return b
}

// --- test accessors -----------------------------------------------------------------

// BoardInfo is a board as a test sees it.
type BoardInfo struct {
	ID      int
	Name    string
	Type    string // "scrum", "kanban" or "simple" (Cloud only)
	Project string // project key
}

// Boards lists the boards: a scrum board per project (id = project index +
// 1), a kanban board on the first project whose "In Progress" column (two
// statuses) has a WIP limit of 3, an empty "Blocked" column, and on Cloud a
// simple (team-managed) board on the last project.
func (s *Server) Boards() []BoardInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]BoardInfo, 0, len(s.agile.boards))
	for _, b := range s.agile.boards {
		out = append(out, BoardInfo{ID: b.ID, Name: b.Name, Type: b.Type, Project: b.Project.Key})
	}
	return out
}

// SprintInfo is a sprint as a test sees it.
type SprintInfo struct {
	ID    int
	Name  string
	State string // "closed", "active" or "future"
}

// Sprints lists a scrum board's sprints in board order: closed, active, then
// two future ones (the first planned with dates and a goal, the second bare).
func (s *Server) Sprints(boardID int) []SprintInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.boardByID(strconv.Itoa(boardID))
	if b == nil {
		return nil
	}
	out := make([]SprintInfo, 0, len(b.Sprints))
	for _, sp := range b.Sprints {
		out = append(out, SprintInfo{ID: sp.ID, Name: sp.Name, State: sp.State})
	}
	return out
}

// IssueSprint is the id of the active or future sprint an issue is in, 0
// when it is in none (the backlog).
func (s *Server) IssueSprint(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(key)
	if !ok || i.Sprint == nil || i.Sprint.State == "closed" {
		return 0
	}
	return i.Sprint.ID
}

// RankOrder returns keys sorted by their current rank (unknown keys last).
func (s *Server) RankOrder(keys []string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]string(nil), keys...)
	rank := func(k string) int {
		if i, ok := s.lookup(k); ok {
			return i.Rank
		}
		return int(^uint(0) >> 1)
	}
	sort.SliceStable(out, func(a, b int) bool { return rank(out[a]) < rank(out[b]) })
	return out
}
