package fakejira

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// --- transitions ------------------------------------------------------------------

// doneScreen reports whether moving to st shows the resolution screen.
func doneScreen(st *status) bool { return st.Cat == catDone }

// transitionsJSON lists the transitions from the issue's status: the fake
// workflow lets every status move to every other one, like Jira's
// simplified workflow. s.mu held.
func (s *Server) transitionsJSON(i *issue, withFields bool) []any {
	rn := s.rnd()
	out := []any{}
	for _, st := range s.statuses {
		if st == i.Status {
			continue
		}
		t := map[string]any{"id": st.TransitionID, "name": st.Name}
		if !s.quirks.TransitionsWithoutTo {
			t["to"] = rn.status(st)
		}
		if s.cloud {
			t["hasScreen"] = doneScreen(st)
			t["isGlobal"] = true
			t["isInitial"] = false
			t["isAvailable"] = true
			t["isConditional"] = false
			t["isLooped"] = false
		}
		if withFields {
			f := map[string]any{}
			if doneScreen(st) {
				f = s.screenFields()
				s.doneScreenFields(f, i)
			}
			t["fields"] = f
		}
		out = append(out, t)
	}
	if s.quirks.UnavailableTransition && s.cloud && i.Status != s.statuses[0] {
		t := map[string]any{"id": "51", "name": "Reopen", "hasScreen": false, "isGlobal": false, "isInitial": false,
			"isAvailable": false, "isConditional": true, "isLooped": false}
		if !s.quirks.TransitionsWithoutTo {
			t["to"] = rn.status(s.statuses[0])
		}
		if withFields {
			t["fields"] = map[string]any{}
		}
		out = append(out, t)
	}
	return out
}

// screenFields is the "Done" transition screen: a required resolution and
// an optional comment.
func (s *Server) screenFields() map[string]any {
	rn := s.rnd()
	res := []any{}
	for _, r := range s.resols {
		res = append(res, rn.resolution(r))
	}
	return map[string]any{
		"resolution": map[string]any{"required": true, "schema": map[string]any{"type": "resolution", "system": "resolution"}, "name": "Resolution", "key": "resolution", "hasDefaultValue": false, "operations": []string{"set"}, "allowedValues": res},
		"comment":    map[string]any{"required": false, "schema": map[string]any{"type": "comment", "system": "comment"}, "name": "Comment", "key": "comment", "hasDefaultValue": false, "operations": []string{"add", "edit", "remove"}},
	}
}

func (s *Server) getTransitions(w http.ResponseWriter, r *http.Request, rt route) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	withFields := hasExpand(splitList(q["expand"]), "transitions.fields")
	ts := s.transitionsJSON(i, withFields)
	if id := q.Get("transitionId"); id != "" {
		var only []any
		for _, t := range ts {
			if t.(map[string]any)["id"] == id {
				only = append(only, t)
			}
		}
		ts = append([]any{}, only...)
	}
	writeJSON(w, http.StatusOK, map[string]any{"expand": "transitions", "transitions": ts})
}

func (s *Server) doTransition(w http.ResponseWriter, r *http.Request, rt route) {
	var body struct {
		Transition *struct {
			ID json.RawMessage `json:"id"`
		} `json:"transition"`
		Fields map[string]json.RawMessage   `json:"fields"`
		Update map[string][]json.RawMessage `json:"update"`
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
	if body.Transition == nil || len(body.Transition.ID) == 0 {
		writeErr(w, http.StatusBadRequest, "Missing 'transition' identifier")
		return
	}
	id := strings.Trim(string(body.Transition.ID), `"`)
	var to *status
	for _, st := range s.statuses {
		if st.TransitionID == id && st != i.Status {
			to = st
		}
	}
	if to == nil {
		writeErr(w, http.StatusBadRequest, "Transition id '"+id+"' is not valid for this issue.")
		return
	}
	errs := map[string]string{}
	for k := range body.Fields {
		if _, dup := body.Update[k]; dup {
			errs[k] = "Field '" + k + "' cannot be set in both fields and update."
		}
	}
	var res *resolution
	var cmt *comment
	onScreen := map[string]bool{}
	if doneScreen(to) {
		onScreen = map[string]bool{"resolution": true, "comment": true}
	}
	// Screen custom fields are applied to a copy, kept only if all is well.
	more := i.more.clone()
	cp := *i
	cp.more = more
	custom := map[string]bool{}
	for k, raw := range body.Fields {
		if errs[k] != "" {
			continue
		}
		if on, _ := s.doneScreenField(k); on && doneScreen(to) {
			custom[k] = true
			if msg, _ := s.applyMoreOp(&cp, k, "set", raw); msg != "" {
				errs[k] = msg
			}
			continue
		}
		if !onScreen[k] || k == "comment" {
			errs[k] = cannotSet(k)
			continue
		}
		x, msg := s.parseNamed(raw, "resolution")
		if msg != "" {
			errs[k] = msg
			continue
		}
		for _, rr := range s.resols {
			if rr.ID == x || strings.EqualFold(rr.Name, x) {
				res = rr
			}
		}
		if res == nil {
			errs[k] = "Could not find resolution '" + x + "'."
		}
	}
	for k, ops := range body.Update {
		if errs[k] != "" {
			continue
		}
		if k != "comment" {
			errs[k] = cannotSet(k)
			continue
		}
		for _, op := range ops {
			var o struct {
				Add *struct {
					Body json.RawMessage `json:"body"`
				} `json:"add"`
			}
			if json.Unmarshal(op, &o) != nil || o.Add == nil {
				errs["comment"] = "Operation is not supported: only 'add' is allowed for comments here."
				continue
			}
			b, msg := s.parseBody(o.Add.Body)
			if msg != "" {
				errs["comment"] = msg
				continue
			}
			cmt = &comment{Author: s.me, Body: b}
		}
	}
	if doneScreen(to) && res == nil && errs["resolution"] == "" {
		errs["resolution"] = "Resolution is required."
	}
	if doneScreen(to) {
		for _, f := range catalogue {
			id := f.id(s.cloud)
			if req, ok := s.more.doneScreen[f.Slot]; ok && req && !custom[id] && errs[id] == "" {
				errs[id] = f.Name + " is required."
			}
		}
	}
	if len(errs) > 0 {
		writeFieldErr(w, http.StatusBadRequest, errs)
		return
	}
	i.more = cp.more
	s.touch(i)
	i.Status = to
	i.StatusSince = i.Updated
	if doneScreen(to) {
		i.Resolution, i.ResolvedAt = res, i.Updated
	} else {
		// Reopening clears the resolution, as the default workflow's
		// post-functions do.
		i.Resolution = nil
	}
	if cmt != nil {
		s.nextCmt++
		cmt.ID, cmt.Created, cmt.Updated = s.nextCmt, i.Updated, i.Updated
		i.Comments = append(i.Comments, cmt)
	}
	w.WriteHeader(http.StatusNoContent)
}

func cannotSet(k string) string {
	return "Field '" + k + "' cannot be set. It is not on the appropriate screen, or unknown."
}

// parseNamed reads {"id":..} or {"name":..} (or a bare string) and returns
// the id or name given. s.mu held.
func (s *Server) parseNamed(raw json.RawMessage, field string) (string, string) {
	var str string
	if json.Unmarshal(raw, &str) == nil && str != "" {
		return str, ""
	}
	var o struct {
		ID   json.RawMessage `json:"id"`
		Name string          `json:"name"`
		Key  string          `json:"key"`
	}
	if json.Unmarshal(raw, &o) != nil {
		return "", "Could not find valid 'id' or 'name' in " + field + " object."
	}
	if len(o.ID) > 0 {
		return strings.Trim(string(o.ID), `"`), ""
	}
	if o.Name != "" {
		return o.Name, ""
	}
	if o.Key != "" {
		return o.Key, ""
	}
	return "", "Could not find valid 'id' or 'name' in " + field + " object."
}

// parseBody reads a rich-text body in the flavour's format: an ADF document
// on v3, a string on v2. It returns the node or an error message.
func (s *Server) parseBody(raw json.RawMessage) (*node, string) {
	if s.cloud {
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return nil, errNotADF
		}
		n, err := fromADF(v, func(acc string) (string, bool) {
			for _, u := range s.users {
				if u.AccountID == acc {
					return u.Name, true
				}
			}
			return "", false
		})
		if err != nil {
			return nil, err.Error()
		}
		return n, ""
	}
	var str string
	if json.Unmarshal(raw, &str) != nil {
		return nil, "Operation value must be a string"
	}
	return fromWiki(str), ""
}

func emptyBody(n *node) bool {
	return n == nil || strings.TrimSpace(plainText(n)) == "" && !hasNonText(n)
}

func hasNonText(n *node) bool {
	for _, c := range n.Content {
		if c.Type == "mention" || c.Type == "rule" || hasNonText(c) {
			return true
		}
	}
	return false
}

// --- comments ---------------------------------------------------------------------------

func (s *Server) listComments(w http.ResponseWriter, r *http.Request, rt route) {
	q := r.URL.Query()
	startAt, _ := strconv.Atoi(q.Get("startAt"))
	max := 100
	if !s.cloud {
		max = 5000
	}
	if v := q.Get("maxResults"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			max = n
		}
	}
	orderBy := q.Get("orderBy")
	switch orderBy {
	case "", "created", "+created", "-created":
	default:
		writeErr(w, http.StatusBadRequest, "Invalid orderBy parameter: '"+orderBy+"'. Only 'created', '+created' and '-created' are supported.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(rt.parts[1])
	if !ok {
		issueMissing(w)
		return
	}
	cs := append([]*comment(nil), i.Comments...)
	if orderBy == "-created" {
		sort.SliceStable(cs, func(a, b int) bool { return cs[a].Created.After(cs[b].Created) })
	}
	if startAt < 0 {
		startAt = 0
	}
	if startAt > len(cs) {
		startAt = len(cs)
	}
	end := startAt + max
	if end > len(cs) {
		end = len(cs)
	}
	rn, users := s.rnd(), s.userResolver()
	out := []any{}
	for _, c := range cs[startAt:end] {
		out = append(out, rn.comment(i.ID, c, users))
	}
	if !s.cloud && q.Get("maxResults") == "" {
		max = len(cs)
	}
	writeJSON(w, http.StatusOK, map[string]any{"startAt": startAt, "maxResults": max, "total": len(cs), "comments": out})
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request, rt route) {
	var body struct {
		Body json.RawMessage `json:"body"`
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
	if len(body.Body) == 0 || string(body.Body) == "null" || string(body.Body) == `""` {
		writeFieldErr(w, http.StatusBadRequest, map[string]string{"comment": "Comment body can not be empty!"})
		return
	}
	n, msg := s.parseBody(body.Body)
	if msg != "" {
		writeFieldErr(w, http.StatusBadRequest, map[string]string{"comment": msg})
		return
	}
	if emptyBody(n) {
		writeFieldErr(w, http.StatusBadRequest, map[string]string{"comment": "Comment body can not be empty!"})
		return
	}
	s.touch(i)
	s.nextCmt++
	c := &comment{ID: s.nextCmt, Author: s.me, Body: n, Created: i.Updated, Updated: i.Updated}
	i.Comments = append(i.Comments, c)
	writeJSON(w, http.StatusCreated, s.rnd().comment(i.ID, c, s.userResolver()))
}

// --- edit -----------------------------------------------------------------------------------

// editable lists the fields on the fake's edit screen.
var editable = map[string]bool{"summary": true, "description": true, "priority": true, "labels": true, "assignee": true, "reporter": true, "components": true, "fixVersions": true, "duedate": true}

func (s *Server) editIssue(w http.ResponseWriter, r *http.Request, rt route) {
	var body struct {
		Fields map[string]json.RawMessage   `json:"fields"`
		Update map[string][]json.RawMessage `json:"update"`
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
	if body.Fields == nil && body.Update == nil {
		writeErr(w, http.StatusBadRequest, "one of 'fields' or 'update' required")
		return
	}
	// Apply to a copy so a request with any error changes nothing.
	cp := *i
	cp.Labels = append([]string(nil), i.Labels...)
	cp.Components = append([]*component(nil), i.Components...)
	cp.FixVersions = append([]*version(nil), i.FixVersions...)
	cp.more = i.more.clone()
	errs := map[string]string{}
	for k := range body.Fields {
		if _, dup := body.Update[k]; dup {
			errs[k] = "Field '" + k + "' cannot be set in both fields and update."
		}
	}
	for k, raw := range body.Fields {
		if errs[k] != "" {
			continue
		}
		if !editable[k] && !s.isMoreField(k) {
			errs[k] = cannotSet(k)
			continue
		}
		if msg := s.applyOp(&cp, k, "set", raw); msg != "" {
			errs[k] = msg
		}
	}
	for k, ops := range body.Update {
		if errs[k] != "" {
			continue
		}
		if !editable[k] && !s.isMoreField(k) {
			errs[k] = cannotSet(k)
			continue
		}
		for _, op := range ops {
			var m map[string]json.RawMessage
			if json.Unmarshal(op, &m) != nil || len(m) != 1 {
				errs[k] = "Field '" + k + "': an update operation must have exactly one of set, add, remove."
				break
			}
			for verb, arg := range m {
				if msg := s.applyOp(&cp, k, verb, arg); msg != "" {
					errs[k] = msg
				}
			}
		}
	}
	if len(errs) > 0 {
		writeFieldErr(w, http.StatusBadRequest, errs)
		return
	}
	*i = cp
	s.touch(i)
	if r.URL.Query().Get("returnIssue") == "true" {
		ids, _ := fieldSelection(s.rnd(), nil, "*all")
		writeJSON(w, http.StatusOK, s.issueJSON(i, ids, splitList(r.URL.Query()["expand"])))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// applyOp applies one set/add/remove to a field of i and returns an error
// message in Jira's words, or "". s.mu held.
func (s *Server) applyOp(i *issue, field, verb string, raw json.RawMessage) string {
	if msg, ok := s.applyMoreOp(i, field, verb, raw); ok {
		return msg
	}
	multi := field == "labels" || field == "components" || field == "fixVersions"
	switch verb {
	case "set":
	case "add", "remove":
		if !multi {
			return "Field '" + field + "' does not support operation '" + verb + "' Supported operation(s) are: 'set'"
		}
	default:
		if multi {
			return "Field '" + field + "' does not support operation '" + verb + "' Supported operation(s) are: 'add,set,remove'"
		}
		return "Field '" + field + "' does not support operation '" + verb + "' Supported operation(s) are: 'set'"
	}
	null := string(raw) == "null"
	switch field {
	case "parent", epicLinkField:
		return s.applyEpicOp(i, field, raw)
	case "summary":
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return "Operation value must be a string"
		}
		if strings.TrimSpace(v) == "" {
			return "You must specify a summary of the issue."
		}
		if len([]rune(v)) > 255 {
			return "Summary must be less than 255 characters."
		}
		i.Summary = v
	case "description":
		if null {
			i.Description = nil
			return ""
		}
		n, msg := s.parseBody(raw)
		if msg != "" {
			return msg
		}
		i.Description = n
	case "duedate":
		if null {
			i.DueDate = ""
			return ""
		}
		var v string
		if json.Unmarshal(raw, &v) != nil || len(v) != 10 || v[4] != '-' || v[7] != '-' {
			return "Error parsing date string: " + strings.Trim(string(raw), `"`)
		}
		i.DueDate = v
	case "priority":
		x, msg := s.parseNamed(raw, "priority")
		if msg != "" {
			return msg
		}
		for _, p := range s.priorities {
			if p.ID == x || strings.EqualFold(p.Name, x) {
				i.Priority = p
				return ""
			}
		}
		return "The priority selected is invalid."
	case "assignee", "reporter":
		var u *user
		if !null {
			id, ok := s.userRef(raw)
			if !ok {
				return "Specify a valid value for " + field
			}
			if id == "-1" && field == "assignee" {
				u = i.Project.Lead
			} else if u = s.findUser(id); u == nil {
				return "User '" + id + "' does not exist."
			}
		}
		if field == "assignee" {
			i.Assignee = u
		} else {
			if u == nil {
				return "Reporter is required."
			}
			i.Reporter = u
		}
	case "labels":
		vals, msg := labelArgs(raw, verb)
		if msg != "" {
			return msg
		}
		switch verb {
		case "set":
			i.Labels = nil
			for _, l := range vals {
				if !contains(i.Labels, l) {
					i.Labels = append(i.Labels, l)
				}
			}
		case "add":
			for _, l := range vals {
				if !contains(i.Labels, l) {
					i.Labels = append(i.Labels, l)
				}
			}
		case "remove":
			var keep []string
			for _, l := range i.Labels {
				if !contains(vals, l) {
					keep = append(keep, l)
				}
			}
			i.Labels = keep
		}
	case "components", "fixVersions":
		var refs []json.RawMessage
		if verb == "set" {
			if !null && json.Unmarshal(raw, &refs) != nil {
				return "Operation value must be an array"
			}
		} else {
			refs = []json.RawMessage{raw}
		}
		type named struct{ id, name string }
		var pool []named
		if field == "components" {
			for _, c := range i.Project.Components {
				pool = append(pool, named{c.ID, c.Name})
			}
		} else {
			for _, v := range i.Project.Versions {
				pool = append(pool, named{v.ID, v.Name})
			}
		}
		var ids []string
		for _, ref := range refs {
			x, msg := s.parseNamed(ref, field)
			if msg != "" {
				return msg
			}
			found := ""
			for _, p := range pool {
				if p.id == x || strings.EqualFold(p.name, x) {
					found = p.id
				}
			}
			if found == "" {
				kind := "Component"
				if field == "fixVersions" {
					kind = "Version"
				}
				return fmt.Sprintf("%s name '%s' is not valid", kind, x)
			}
			ids = append(ids, found)
		}
		if field == "components" {
			i.Components = mergeRefs(i.Components, i.Project.Components, ids, verb, func(c *component) string { return c.ID })
		} else {
			i.FixVersions = mergeRefs(i.FixVersions, i.Project.Versions, ids, verb, func(v *version) string { return v.ID })
		}
	}
	return ""
}

func mergeRefs[T any](cur, pool []T, ids []string, verb string, id func(T) string) []T {
	has := func(list []T, x string) bool {
		for _, e := range list {
			if id(e) == x {
				return true
			}
		}
		return false
	}
	switch verb {
	case "set":
		cur = nil
		fallthrough
	case "add":
		for _, p := range pool {
			if contains(ids, id(p)) && !has(cur, id(p)) {
				cur = append(cur, p)
			}
		}
	case "remove":
		var keep []T
		for _, e := range cur {
			if !contains(ids, id(e)) {
				keep = append(keep, e)
			}
		}
		cur = keep
	}
	return cur
}

func labelArgs(raw json.RawMessage, verb string) ([]string, string) {
	var vals []string
	if verb == "set" {
		if string(raw) != "null" && json.Unmarshal(raw, &vals) != nil {
			return nil, "Operation value must be an array of strings"
		}
	} else {
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return nil, "Operation value must be a string"
		}
		vals = []string{v}
	}
	for _, l := range vals {
		if strings.ContainsAny(l, " \t") {
			return nil, "The label '" + l + "' contains spaces which is invalid."
		}
		if l == "" {
			return nil, "The label can't be empty."
		}
		if len(l) > 255 {
			return nil, "The label '" + l + "' exceeds the 255 character limit."
		}
	}
	return vals, ""
}

// userRef reads a user reference in the flavour's form: {"accountId":..} on
// Cloud, {"name":..} on Data Center (or a bare string). s.mu held.
func (s *Server) userRef(raw json.RawMessage) (string, bool) {
	var o map[string]any
	if json.Unmarshal(raw, &o) == nil {
		k := "name"
		if s.cloud {
			k = "accountId"
		}
		if v, ok := o[k].(string); ok && v != "" {
			return v, true
		}
		return "", false
	}
	var str string
	if json.Unmarshal(raw, &str) == nil && str != "" {
		return str, true
	}
	return "", false
}

// findUser resolves an accountId (Cloud) or username/key (Data Center). s.mu held.
func (s *Server) findUser(id string) *user {
	for _, u := range s.users {
		if s.cloud && u.AccountID == id || !s.cloud && (strings.EqualFold(u.Name, id) || u.Key == id) {
			return u
		}
	}
	return nil
}

// --- assignee -------------------------------------------------------------------------------

func (s *Server) assign(w http.ResponseWriter, r *http.Request, rt route) {
	var body map[string]json.RawMessage
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
	key := "name"
	if s.cloud {
		key = "accountId"
	}
	raw, present := body[key]
	if !present {
		if s.cloud {
			writeErr(w, http.StatusBadRequest, "accountId must be provided to assign an issue.")
		} else {
			writeErr(w, http.StatusBadRequest, "name must be provided to assign an issue.")
		}
		return
	}
	var u *user
	if string(raw) != "null" {
		var id string
		if json.Unmarshal(raw, &id) != nil {
			writeFieldErr(w, http.StatusBadRequest, map[string]string{"assignee": "Specify a valid value for assignee"})
			return
		}
		switch {
		case id == "-1":
			u = i.Project.Lead
		default:
			u = s.findUser(id)
			if u == nil {
				writeFieldErr(w, http.StatusBadRequest, map[string]string{"assignee": "User '" + id + "' does not exist."})
				return
			}
			if !u.Active {
				writeFieldErr(w, http.StatusBadRequest, map[string]string{"assignee": "User '" + u.DisplayName + "' cannot be assigned issues."})
				return
			}
		}
	}
	i.Assignee = u
	s.touch(i)
	w.WriteHeader(http.StatusNoContent)
}

// --- create -------------------------------------------------------------------------------

// creatable lists the fields on the fake's create screen.
var creatable = map[string]bool{"project": true, "issuetype": true, "summary": true, "description": true, "priority": true, "labels": true, "assignee": true, "reporter": true, "components": true, "fixVersions": true, "duedate": true, "parent": true}

func (s *Server) createIssue(w http.ResponseWriter, r *http.Request, _ route) {
	var body struct {
		Fields map[string]json.RawMessage   `json:"fields"`
		Update map[string][]json.RawMessage `json:"update"`
	}
	if err := decodeBody(r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	errs := map[string]string{}
	f := body.Fields
	var p *project
	if raw, ok := f["project"]; ok {
		x, _ := s.parseNamed(raw, "project")
		for _, pp := range s.projects {
			if pp.ID == x || strings.EqualFold(pp.Key, x) {
				p = pp
			}
		}
	}
	if p == nil {
		errs["project"] = "Specify a valid project ID or key"
	}
	var it *issueType
	if raw, ok := f["issuetype"]; ok {
		x, _ := s.parseNamed(raw, "issuetype")
		for _, t := range s.types {
			if t.ID == x || strings.EqualFold(t.Name, x) {
				it = t
			}
		}
		if it == nil {
			errs["issuetype"] = "The issue type selected is invalid."
		}
	} else {
		errs["issuetype"] = "Specify an issue type"
	}
	if raw, ok := f["summary"]; !ok || string(raw) == `""` || string(raw) == "null" {
		errs["summary"] = "You must specify a summary of the issue."
	}
	var parent *issue
	if raw, ok := f["parent"]; ok {
		x, _ := s.parseNamed(raw, "parent")
		if parent, ok = s.lookup(x); !ok {
			errs["parent"] = "Could not find issue by id or key."
		}
	} else if it != nil && it.Subtask {
		errs["parent"] = "Sub-task issues must have a parent."
	}
	if len(errs) > 0 {
		writeFieldErr(w, http.StatusBadRequest, errs)
		return
	}
	now := s.clockLocked().Truncate(1e6)
	i := &issue{Project: p, Type: it, Parent: parent, Reporter: s.me, Creator: s.me, Status: s.statuses[0], Priority: s.priorities[2], Created: now, Updated: now, StatusSince: now}
	if parent != nil {
		i.Project = parent.Project
	}
	for k, raw := range f {
		if k == "project" || k == "issuetype" || k == "parent" {
			continue
		}
		if !creatable[k] && !s.isMoreField(k) {
			errs[k] = cannotSet(k)
			continue
		}
		if msg := s.applyOp(i, k, "set", raw); msg != "" {
			errs[k] = msg
		}
	}
	for k, ops := range body.Update {
		if !creatable[k] && !s.isMoreField(k) {
			errs[k] = cannotSet(k)
			continue
		}
		for _, op := range ops {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(op, &m)
			for verb, arg := range m {
				if msg := s.applyOp(i, k, verb, arg); msg != "" {
					errs[k] = msg
				}
			}
		}
	}
	s.requiredMissing(it, f, errs)
	if len(errs) > 0 {
		writeFieldErr(w, http.StatusBadRequest, errs)
		return
	}
	s.insert(i)
	writeJSON(w, http.StatusCreated, map[string]any{"id": strconv.Itoa(i.ID), "key": i.Key, "self": s.rnd().api() + "/issue/" + strconv.Itoa(i.ID)})
}
