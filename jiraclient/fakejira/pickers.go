package fakejira

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// The people and group searches behind the field editors' pickers:
// GET /user/search (Cloud query=, Data Center username=) and GET
// /groups/picker (both flavours; Cloud adds groupId). Shapes from the
// Cloud OpenAPI examples (FoundGroups: groups with name, html, groupId;
// header "Showing N of M matching groups"; total). The 400 for a people
// search without a query is the fake's own wording.

func (s *Server) dispatchPickers(method string, rt route) (handlerFunc, string) {
	p := rt.parts
	if method != http.MethodGet {
		return nil, ""
	}
	switch {
	case len(p) == 2 && p[0] == "user" && p[1] == "search":
		return s.userSearch, "user/search"
	case len(p) == 2 && p[0] == "groups" && p[1] == "picker":
		return s.groupsPicker, "groups/picker"
	}
	return nil, ""
}

// userSearch finds active and inactive users by a prefix of a word of the
// display name or the e-mail (Data Center: of the username too).
func (s *Server) userSearch(w http.ResponseWriter, r *http.Request, _ route) {
	q := r.URL.Query()
	query := q.Get("query")
	if !s.cloud {
		query = q.Get("username")
	} else if q.Get("username") != "" {
		writeErr(w, http.StatusBadRequest, "The query parameter 'username' is not supported in GDPR strict mode.")
		return
	}
	if strings.TrimSpace(query) == "" && q.Get("accountId") == "" {
		writeErr(w, http.StatusBadRequest, "One of 'query', 'accountId' or 'property' query parameter must be specified.")
		return
	}
	start, max, msg := paging(r, 50, 1000)
	if msg != "" {
		writeErr(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rn := s.rnd()
	ql := strings.ToLower(strings.TrimSpace(query))
	out := []any{}
	n := 0
	for _, u := range s.users {
		match := q.Get("accountId") != "" && s.cloud && u.AccountID == q.Get("accountId")
		if ql != "" {
			match = match || strings.HasPrefix(strings.ToLower(u.Email), ql) || ql == "."
			for _, w := range strings.Fields(strings.ToLower(u.DisplayName)) {
				match = match || strings.HasPrefix(w, ql)
			}
			if !s.cloud {
				match = match || strings.HasPrefix(strings.ToLower(u.Name), ql)
			}
		}
		if !match {
			continue
		}
		if n >= start && len(out) < max {
			out = append(out, rn.user(u))
		}
		n++
	}
	writeJSON(w, http.StatusOK, out)
}

// groupsPicker finds groups whose name contains query.
func (s *Server) groupsPicker(w http.ResponseWriter, r *http.Request, _ route) {
	q := r.URL.Query()
	ql := strings.ToLower(q.Get("query"))
	max := 20
	if v := q.Get("maxResults"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			max = n
		}
	}
	var names []struct{ Name, ID string }
	for _, g := range groups {
		if ql == "" || strings.Contains(strings.ToLower(g.Name), ql) {
			names = append(names, g)
		}
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Name < names[j].Name })
	total := len(names)
	if len(names) > max {
		names = names[:max]
	}
	out := []any{}
	for _, g := range names {
		html := g.Name
		if i := strings.Index(strings.ToLower(g.Name), ql); ql != "" && i >= 0 {
			html = g.Name[:i] + "<b>" + g.Name[i:i+len(ql)] + "</b>" + g.Name[i+len(ql):]
		}
		m := map[string]any{"name": g.Name, "html": html, "labels": []any{}}
		if s.cloud {
			m["groupId"] = g.ID
		}
		out = append(out, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"header": "Showing " + strconv.Itoa(len(out)) + " of " + strconv.Itoa(total) + " matching groups",
		"total":  total,
		"groups": out,
	})
}
