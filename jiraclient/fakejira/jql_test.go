package fakejira

import (
	"net/url"
	"strings"
	"testing"
)

func TestJQLParseErrors(t *testing.T) {
	s := New(Options{Seed: 3, Issues: 40})
	cases := []struct{ q, want string }{
		{"project foo", "Error in the JQL Query: Expecting operator but got 'foo'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)"},
		{"project & JIF", "Error in the JQL Query: Expecting operator but got '&'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)"},
		{"(project = JIF", "Error in the JQL Query: Expecting ')' before the end of the query."},
		{"project =", "Error in the JQL Query: Expecting either a value, list or function before the end of the query."},
		{"project = )", "Error in the JQL Query: Expecting either a value, list or function but got ')'. You must surround ')' in quotation marks to use it as a value. (line 1, character 11)"},
		{"project = JIF foo", "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 15)"},
		{"labels = true", "Error in the JQL Query: 'true' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 10)"},
		{"summary ~ \"open", "Error in the JQL Query: The quoted string 'open' has not been completed. (line 1, character 11)"},
		{"project", "Error in the JQL Query: Expecting operator before the end of the query. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."},
		{"assignee is currentUser()", "Error in the JQL Query: Expecting 'EMPTY', 'NULL' or 'NOT' but got 'currentUser'. (line 1, character 13)"},
		{"order key", "Error in the JQL Query: Expecting 'by' but got 'key'. (line 1, character 7)"},
		{"foo = bar", "Field 'foo' does not exist or you do not have permission to view it."},
		{"project = NOPE", "The value 'NOPE' does not exist for the field 'project'."},
		{"project in (JIF, NOPE)", "The value 'NOPE' does not exist for the field 'project'."},
		{"status = Blocked", "The value 'Blocked' does not exist for the field 'status'."},
		{"type = Incident", "The value 'Incident' does not exist for the field 'type'."},
		{"priority = Urgent", "The value 'Urgent' does not exist for the field 'priority'."},
		{"status ~ Done", "The operator '~' is not supported by the 'status' field."},
		{"summary = x", "The operator '=' is not supported by the 'summary' field."},
		{"project in JIF", "Error in the JQL Query: Expecting a list of values for operator 'IN'. (line 1, character 12)"},
		{"assignee = nobodyhere", "The value 'nobodyhere' does not exist for the field 'assignee'."},
		{"assignee = whoami()", "Unable to find JQL function 'whoami()'."},
		{"key = JIF-99999", "An issue with key 'JIF-99999' does not exist for field 'key'."},
		{"project = JIF ORDER BY foo", "Field 'foo' does not exist or you do not have permission to view it."},
		{"project = JIF ORDER BY text", "Field 'text' does not support sorting."},
		{"updated > yesterday", "Date value 'yesterday' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."},
	}
	for _, tc := range cases {
		s.mu.Lock()
		_, err := s.compileJQL(tc.q)
		s.mu.Unlock()
		if err == nil {
			t.Errorf("%q: no error, want %q", tc.q, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%q:\n got  %s\n want %s", tc.q, err, tc.want)
		}
	}
}

// fixture issues for evaluation tests, added to an empty site.
func jqlSite(t *testing.T, flavor string) *Server {
	t.Helper()
	s := New(Options{Flavor: flavor, Seed: 1, Issues: -1})
	add := func(n NewIssue) {
		if _, err := s.AddIssue(n); err != nil {
			t.Fatal(err)
		}
	}
	add(NewIssue{Project: "JIF", Type: "Bug", Summary: "Crash on login", Status: "In Progress", Priority: "High", Assignee: "ada", Labels: []string{"regression"}, Description: "The *token* refresh races."})
	add(NewIssue{Project: "JIF", Type: "Story", Summary: "Dark mode", Status: "To Do", Priority: "Low", Comments: []string{"users want dark mode"}})
	add(NewIssue{Project: "WEB", Type: "Task", Summary: "Bump deps", Status: "Done", Resolution: "Won't Do", Priority: "Medium", Assignee: "grace", Reporter: "grace"})
	add(NewIssue{Project: "WEB", Type: "Bug", Summary: "Login button misaligned", Status: "In Review", Priority: "Highest", Assignee: "ada", Labels: []string{"ux", "regression"}})
	add(NewIssue{Project: "OPS", Type: "Sub-task", Summary: "Rotate keys", Parent: "JIF-1", Status: "Done", Priority: "Lowest", Assignee: "ada"})
	return s
}

func TestJQLEvaluate(t *testing.T) {
	for _, flavor := range []string{FlavorCloud, FlavorDataCenter} {
		s := jqlSite(t, flavor)
		grace := "grace"
		if flavor == FlavorCloud {
			for _, u := range s.Users() {
				if u.DisplayName == "Grace Hopper" {
					grace = u.AccountID
				}
			}
		}
		cases := []struct{ q, want string }{
			{"project = JIF", "JIF-3 JIF-2 JIF-1"},
			{"project in (WEB, ops)", "WEB-2 WEB-1"}, // default order: newest first
			{"project = JIF ORDER BY key ASC", "JIF-1 JIF-2 JIF-3"},
			{"assignee = currentUser()", "JIF-3 WEB-2 JIF-1"},
			{"assignee = currentUser() AND resolution = Unresolved ORDER BY priority DESC", "WEB-2 JIF-1"},
			{"assignee is EMPTY", "JIF-2"},
			{"assignee = " + grace, "WEB-1"},
			{"reporter = currentUser() AND project = WEB", "WEB-2"},
			{`status = "In Progress"`, "JIF-1"},
			{`status in ("To Do", "In Review") ORDER BY key`, "JIF-2 WEB-2"},
			{"status != Done ORDER BY key", "JIF-1 JIF-2 WEB-2"},
			{"statusCategory != Done ORDER BY key", "JIF-1 JIF-2 WEB-2"},
			{"statusCategory = indeterminate ORDER BY key", "JIF-1 WEB-2"},
			{"resolution is EMPTY ORDER BY key", "JIF-1 JIF-2 WEB-2"},
			{`resolution = "Won't Do"`, "WEB-1"},
			{"type = Bug ORDER BY key", "JIF-1 WEB-2"},
			{"issuetype in subTaskIssueTypes()", "JIF-3"},
			{"priority = High", "JIF-1"},
			{"priority >= High ORDER BY priority DESC", "WEB-2 JIF-1"},
			{"labels = regression ORDER BY key", "JIF-1 WEB-2"},
			{"labels is EMPTY ORDER BY key", "JIF-2 JIF-3 WEB-1"},
			{"labels in (ux) ", "WEB-2"},
			{"key = jif-2", "JIF-2"},
			{"issuekey in (JIF-1, WEB-1) ORDER BY key", "JIF-1 WEB-1"},
			{`text ~ "token"`, "JIF-1"},
			{`text ~ "dark mode"`, "JIF-2"},
			{"comment ~ users", "JIF-2"},
			{"summary ~ login ORDER BY key", "JIF-1 WEB-2"},
			{"summary !~ login AND project = JIF", "JIF-3 JIF-2"},
			{"NOT project in (WEB) AND type = Bug", "JIF-1"},
			{"project = WEB AND (priority = Highest OR resolution is not EMPTY) ORDER BY key", "WEB-1 WEB-2"},
			{"parent = JIF-1", "JIF-3"},
			{"parent = JIF-1 AND type = Sub-task", "JIF-3"},
			{"created >= -1d AND type = Sub-task", "JIF-3"}, {"project = OPS", ""}, {"resolution = Unresolved AND project = WEB", "WEB-2"},
			{"updated < -30d", ""},
			{"project = JIF ORDER BY status DESC, key ASC", "JIF-3 JIF-1 JIF-2"},
			{"project = JIF AND key != JIF-3 ORDER BY priority ASC", "JIF-2 JIF-1"},
		}
		for _, tc := range cases {
			s.mu.Lock()
			c, err := s.compileJQL(tc.q)
			var keys []string
			if err == nil {
				for _, i := range s.runJQL(c) {
					keys = append(keys, i.Key)
				}
			}
			s.mu.Unlock()
			if err != nil {
				t.Errorf("%s %q: %v", flavor, tc.q, err)
				continue
			}
			if got := strings.Join(keys, " "); got != tc.want {
				t.Errorf("%s %q = [%s], want [%s]", flavor, tc.q, got, tc.want)
			}
		}
	}
}

func TestJQLOverHTTP(t *testing.T) {
	both(t, func(t *testing.T, f *fake) {
		path := f.api("/search/jql?jql=")
		if !f.cloud() {
			path = f.api("/search?jql=")
		}
		r := f.must(400, "GET", path+url.QueryEscape("project foo"), "")
		if m := errorMessages(t, r); len(m) != 1 || !strings.Contains(m[0], "(line 1, character 9)") {
			t.Errorf("errorMessages = %v", m)
		}
		r = f.must(400, "GET", path+url.QueryEscape("project = NOPE"), "")
		if m := errorMessages(t, r); len(m) != 1 || m[0] != "The value 'NOPE' does not exist for the field 'project'." {
			t.Errorf("errorMessages = %v", m)
		}
	})
}

func FuzzJQL(f *testing.F) {
	for _, q := range []string{"project = JIF AND (status in (\"To Do\", Done) OR NOT labels is EMPTY) ORDER BY updated DESC, key", "text ~ \"x", "a in (", "updated >= -4w 2d", "((((", "ORDER BY"} {
		f.Add(q)
	}
	s := New(Options{Seed: 1, Issues: 20})
	f.Fuzz(func(t *testing.T, q string) {
		s.mu.Lock()
		defer s.mu.Unlock()
		c, err := s.compileJQL(q)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "Error in the JQL Query:") && !strings.Contains(err.Error(), "'") {
				t.Fatalf("error without Jira's wording: %v", err)
			}
			return
		}
		_ = s.runJQL(c)
	})
}
