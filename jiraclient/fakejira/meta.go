package fakejira

import (
	"html"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// --- edit and create metadata ------------------------------------------------------------

// fieldMeta builds one FieldMetadata entry. s.mu held.
func (s *Server) fieldMeta(id string, required bool, p *project) map[string]any {
	rn := s.rnd()
	sys := func(t string) map[string]any { return map[string]any{"type": t, "system": id} }
	arr := func(items string) map[string]any {
		return map[string]any{"type": "array", "items": items, "system": id}
	}
	m := map[string]any{"required": required, "key": id, "hasDefaultValue": false, "name": rn.fieldNames()[id]}
	switch id {
	case "summary":
		m["schema"], m["operations"] = sys("string"), []string{"set"}
	case "description":
		m["schema"], m["operations"] = sys("string"), []string{"set"}
	case "duedate":
		m["schema"], m["operations"] = sys("date"), []string{"set"}
	case "priority":
		var vals []any
		for _, x := range s.priorities {
			vals = append(vals, rn.priority(x))
		}
		m["schema"], m["operations"], m["allowedValues"] = sys("priority"), []string{"set"}, vals
		m["hasDefaultValue"], m["defaultValue"] = true, rn.priority(s.priorities[2])
	case "labels":
		m["schema"], m["operations"] = arr("string"), []string{"add", "set", "remove"}
		m["autoCompleteUrl"] = rn.api() + "/label/suggest?query="
		if !s.cloud {
			m["autoCompleteUrl"] = rn.base + "/rest/api/1.0/labels/suggest?query="
		}
	case "assignee", "reporter":
		m["schema"], m["operations"] = sys("user"), []string{"set"}
		if s.cloud {
			m["autoCompleteUrl"] = rn.api() + "/user/assignable/search?project=" + p.Key + "&query="
		} else {
			m["autoCompleteUrl"] = rn.api() + "/user/assignable/search?project=" + p.Key + "&username="
		}
	case "components":
		var vals []any
		for _, c := range p.Components {
			vals = append(vals, map[string]any{"self": rn.api() + "/component/" + c.ID, "id": c.ID, "name": c.Name})
		}
		m["schema"], m["operations"], m["allowedValues"] = arr("component"), []string{"add", "set", "remove"}, vals
	case "fixVersions":
		var vals []any
		for _, v := range p.Versions {
			pid, _ := strconv.Atoi(p.ID)
			rel, _ := time.Parse("2006-01-02", v.ReleaseDate)
			start := rel.AddDate(0, 0, -21)
			vals = append(vals, map[string]any{"self": rn.api() + "/version/" + v.ID, "id": v.ID, "name": v.Name, "description": "", "archived": false, "released": v.Released,
				"startDate": start.Format("2006-01-02"), "releaseDate": v.ReleaseDate, "overdue": !v.Released && rel.Before(s.now),
				"userStartDate": start.Format("2/Jan/06"), "userReleaseDate": rel.Format("2/Jan/06"), "projectId": pid})
		}
		m["schema"], m["operations"], m["allowedValues"] = arr("version"), []string{"set", "add", "remove"}, vals
	case "comment":
		m["schema"], m["operations"] = sys("comment"), []string{"add", "edit", "remove"}
	case "issuetype":
		var vals []any
		for _, t := range s.types {
			vals = append(vals, rn.issueType(t))
		}
		m["schema"], m["operations"], m["allowedValues"] = sys("issuetype"), []string{}, vals
	case "project":
		m["schema"], m["operations"], m["allowedValues"] = sys("project"), []string{"set"}, []any{rn.projectRef(p)}
	case "parent":
		m["schema"], m["operations"] = map[string]any{"type": "issuelink", "system": "parent"}, []string{"set"}
	}
	return m
}

func (s *Server) editMeta(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	f := map[string]any{}
	for _, id := range []string{"summary", "description", "priority", "labels", "assignee", "reporter", "components", "fixVersions", "duedate", "comment", "issuetype"} {
		f[id] = s.fieldMeta(id, id == "summary" || id == "issuetype" || id == "reporter", i.Project)
	}
	s.moreEditMeta(f, i)
	writeJSON(w, http.StatusOK, map[string]any{"fields": f})
}

func (s *Server) projectByKeyOrID(x string) *project {
	for _, p := range s.projects {
		if strings.EqualFold(p.Key, x) || p.ID == x {
			return p
		}
	}
	return nil
}

// paging reads startAt/maxResults with a default and a cap; cap errors
// use the spec's message.
func paging(r *http.Request, def, limit int) (start, max int, errMsg string) {
	q := r.URL.Query()
	start, _ = strconv.Atoi(q.Get("startAt"))
	if start < 0 {
		start = 0
	}
	max = def
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, "The value '" + v + "' is not valid for the parameter 'maxResults'."
		}
		max = n
	}
	if max > limit {
		return 0, 0, "Parameter 'maxResults' must not exceed the limit '" + strconv.Itoa(limit) + "'"
	}
	return start, max, ""
}

func window(n, start, max int) (int, int) {
	if start > n {
		start = n
	}
	end := start + max
	if end > n {
		end = n
	}
	return start, end
}

// createMetaPage wraps a page the way the flavour does: Cloud names the list
// after its content (issueTypes / fields), Data Center 9+ uses values + isLast.
func (s *Server) createMetaPage(key string, items []any, start, max int) map[string]any {
	a, b := window(len(items), start, max)
	out := map[string]any{"maxResults": max, "startAt": start, "total": len(items)}
	if s.cloud {
		out[key] = items[a:b]
	} else {
		out["values"] = items[a:b]
		out["isLast"] = b >= len(items)
	}
	return out
}

func (s *Server) createMetaTypes(w http.ResponseWriter, r *http.Request, rt route) {
	start, max, msg := paging(r, 50, 200)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projectByKeyOrID(rt.parts[2])
	if p == nil {
		writeErr(w, http.StatusNotFound, "No project could be found with key '"+rt.parts[2]+"'.")
		return
	}
	rn := s.rnd()
	var items []any
	for _, t := range s.types {
		items = append(items, rn.issueType(t))
	}
	writeJSON(w, http.StatusOK, s.createMetaPage("issueTypes", items, start, max))
}

func (s *Server) createMetaFields(w http.ResponseWriter, r *http.Request, rt route) {
	start, max, msg := paging(r, 50, 200)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projectByKeyOrID(rt.parts[2])
	if p == nil {
		writeErr(w, http.StatusNotFound, "No project could be found with key '"+rt.parts[2]+"'.")
		return
	}
	var it *issueType
	for _, t := range s.types {
		if t.ID == rt.parts[4] {
			it = t
		}
	}
	if it == nil {
		writeErr(w, http.StatusNotFound, "Issue type with id '"+rt.parts[4]+"' does not exist or is not valid for project '"+p.Key+"'.")
		return
	}
	ids := []string{"summary", "issuetype", "project", "description", "priority", "labels", "assignee", "reporter", "components", "fixVersions", "duedate"}
	if it.Subtask || s.cloud {
		ids = append(ids, "parent")
	}
	var items []any
	for _, id := range ids {
		req := id == "summary" || id == "issuetype" || id == "project" || id == "reporter" || (id == "parent" && it.Subtask)
		m := s.fieldMeta(id, req, p)
		m["fieldId"] = id
		items = append(items, m)
	}
	items = s.moreCreateMeta(items, it, p)
	writeJSON(w, http.StatusOK, s.createMetaPage("fields", items, start, max))
}

// --- users, projects, filters, priorities, labels ------------------------------------------

func (s *Server) assignable(w http.ResponseWriter, r *http.Request, _ route) {
	q := r.URL.Query()
	query := q.Get("query")
	if !s.cloud {
		query = q.Get("username")
	} else if q.Get("username") != "" {
		writeErr(w, http.StatusBadRequest, "The query parameter 'username' is not supported in GDPR strict mode.")
		return
	}
	_, max, msg := paging(r, 50, 1000)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case q.Get("issueKey") != "" || q.Get("issueId") != "":
		k := q.Get("issueKey")
		if k == "" {
			k = q.Get("issueId")
		}
		if _, ok := s.lookup(k); !ok {
			issueMissing(w)
			return
		}
	case q.Get("project") != "":
		if s.projectByKeyOrID(q.Get("project")) == nil {
			writeErr(w, http.StatusNotFound, "No project could be found with key '"+q.Get("project")+"'.")
			return
		}
	default:
		writeErr(w, http.StatusBadRequest, "One of the following parameters must be provided: issueKey, issueId or project.")
		return
	}
	rn := s.rnd()
	out := []any{}
	ql := strings.ToLower(query)
	for _, u := range s.users {
		if !u.Active {
			continue
		}
		match := ql == "" || strings.HasPrefix(strings.ToLower(u.Email), ql)
		for _, w := range strings.Fields(strings.ToLower(u.DisplayName)) {
			match = match || strings.HasPrefix(w, ql)
		}
		if !s.cloud {
			match = match || strings.HasPrefix(strings.ToLower(u.Name), ql)
		}
		if match && len(out) < max {
			out = append(out, rn.user(u))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) projectJSON(p *project) map[string]any {
	rn := s.rnd()
	m := rn.project(p)
	m["lead"] = rn.user(p.Lead)
	return m
}

func (s *Server) projectSearch(w http.ResponseWriter, r *http.Request, _ route) {
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("startAt"))
	if start < 0 {
		start = 0
	}
	max := 50
	if v, err := strconv.Atoi(q.Get("maxResults")); err == nil && v >= 0 {
		max = v
	}
	if max > 100 {
		max = 100 // the spec: larger values default to 100
	}
	query := strings.ToLower(q.Get("query"))
	keys := splitList(q["keys"])
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*project
	for _, p := range s.projects {
		if query != "" && !strings.Contains(strings.ToLower(p.Key), query) && !strings.Contains(strings.ToLower(p.Name), query) {
			continue
		}
		if len(keys) > 0 {
			found := false
			for _, k := range keys {
				found = found || strings.EqualFold(k, p.Key)
			}
			if !found {
				continue
			}
		}
		match = append(match, p)
	}
	a, b := window(len(match), start, max)
	vals := []any{}
	for _, p := range match[a:b] {
		vals = append(vals, s.projectJSON(p))
	}
	self := s.rnd().api() + "/project/search?startAt=" + strconv.Itoa(start) + "&maxResults=" + strconv.Itoa(max)
	out := map[string]any{"self": self, "maxResults": max, "startAt": start, "total": len(match), "isLast": b >= len(match), "values": vals}
	if b < len(match) {
		out["nextPage"] = s.rnd().api() + "/project/search?startAt=" + strconv.Itoa(b) + "&maxResults=" + strconv.Itoa(max)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request, _ route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, p := range s.projects {
		m := s.rnd().project(p)
		m["expand"] = "description,lead,url,projectKeys"
		out = append(out, m)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) favouriteFilters(w http.ResponseWriter, r *http.Request, _ route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rn := s.rnd()
	out := []any{}
	searchPath := "/search"
	if s.cloud {
		searchPath = "/search/jql"
	}
	for _, f := range s.filters {
		out = append(out, map[string]any{
			"self": rn.api() + "/filter/" + f.ID, "id": f.ID, "name": f.Name, "description": f.Description,
			"owner": rn.user(s.me), "jql": f.JQL,
			"viewUrl":   rn.base + "/issues/?filter=" + f.ID,
			"searchUrl": rn.api() + searchPath + "?jql=" + url.QueryEscape(f.JQL),
			"favourite": true, "favouritedCount": 1, "sharePermissions": []any{},
			"subscriptions": map[string]any{"size": 0, "items": []any{}, "max-results": 0, "start-index": 0, "end-index": 0},
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) priorityList(w http.ResponseWriter, r *http.Request, _ route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, p := range s.priorities {
		out = append(out, s.rnd().priorityFull(p))
	}
	writeJSON(w, http.StatusOK, out)
}

// allLabels lists every label in use, sorted. s.mu held.
func (s *Server) allLabels() []string {
	set := map[string]bool{}
	for _, i := range s.issues {
		for _, l := range i.Labels {
			set[l] = true
		}
	}
	out := make([]string, 0, len(set))
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

func (s *Server) labelList(w http.ResponseWriter, r *http.Request, _ route) {
	start, max, msg := paging(r, 1000, 1000)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.allLabels()
	a, b := window(len(all), start, max)
	writeJSON(w, http.StatusOK, map[string]any{"maxResults": max, "startAt": start, "total": len(all), "isLast": b >= len(all), "values": all[a:b]})
}

// suggestions is JQL autocomplete for one field's values; the matched
// prefix comes back bolded in displayName as Jira renders it.
func (s *Server) suggestions(w http.ResponseWriter, r *http.Request, _ route) {
	q := r.URL.Query()
	field, value := strings.ToLower(q.Get("fieldName")), q.Get("fieldValue")
	s.mu.Lock()
	defer s.mu.Unlock()
	var cands [][2]string // value, display
	switch field {
	case "labels":
		for _, l := range s.allLabels() {
			cands = append(cands, [2]string{l, l})
		}
	case "project":
		for _, p := range s.projects {
			cands = append(cands, [2]string{p.Key, p.Name + " (" + p.Key + ")"})
		}
	case "status":
		for _, st := range s.statuses {
			cands = append(cands, [2]string{st.Name, st.Name})
		}
	case "priority":
		for _, p := range s.priorities {
			cands = append(cands, [2]string{p.Name, p.Name})
		}
	case "type", "issuetype":
		for _, t := range s.types {
			cands = append(cands, [2]string{t.Name, t.Name})
		}
	case "component":
		seen := map[string]bool{}
		for _, p := range s.projects {
			for _, c := range p.Components {
				if !seen[c.Name] {
					seen[c.Name] = true
					cands = append(cands, [2]string{c.Name, c.Name})
				}
			}
		}
	}
	out := []any{}
	vl := strings.ToLower(value)
	for _, c := range cands {
		low := strings.ToLower(c[1])
		k := strings.Index(low, vl)
		if vl != "" && k < 0 {
			continue
		}
		disp := html.EscapeString(c[1])
		if vl != "" && len(low) == len(c[1]) {
			disp = html.EscapeString(c[1][:k]) + "<b>" + html.EscapeString(c[1][k:k+len(vl)]) + "</b>" + html.EscapeString(c[1][k+len(vl):])
		}
		out = append(out, map[string]any{"value": c[0], "displayName": disp})
		if len(out) == 15 {
			break
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}
