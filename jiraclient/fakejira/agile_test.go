package fakejira

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

const agileRoot = "/rest/agile/1.0"

// The fake's Agile payloads against captures (testdata/agile).
func TestShapeAgile(t *testing.T) {
	c := newFake(t, FlavorCloud, Options{Seed: 1})
	d := newFake(t, FlavorDataCenter, Options{Seed: 1})
	kanbanID := func(f *fake) string {
		for _, b := range f.s.Boards() {
			if b.Type == "kanban" {
				return strconv.Itoa(b.ID)
			}
		}
		t.Fatal("no kanban board")
		return ""
	}
	// Optional keys: a column's min/max appear only when set (the capture's
	// own columns show both ways).
	limits := []string{"$.columnConfig.columns[].min", "$.columnConfig.columns[].max"}
	closed := strconv.Itoa(c.s.Sprints(1)[0].ID)
	cases := []struct {
		f       *fake
		path    string
		fixture string
		skip    func(string) bool
	}{
		{c, "/board", "agile/go-jira/all_boards.json", nil},
		{d, "/board", "agile/go-jira/all_boards.json", nil},
		{d, "/board/" + kanbanID(d) + "/configuration", "agile/go-jira/board_configuration.json", skipper(limits...)},
		// Cloud names the location by projectKeyOrId (Atlassian's Cloud
		// schema), not by key/id/self/name as the Server capture does.
		{c, "/board/" + kanbanID(c) + "/configuration", "agile/go-jira/board_configuration.json", skipper(append(limits, "$.location.*")...)},
		{c, "/board/1/sprint", "agile/go-jira/sprints.json", nil},
		{d, "/board/1/sprint", "agile/go-jira/sprints.json", nil},
		{c, "/board/1/sprint?state=future", "agile/go-atlassian/get-board-sprints.json", nil},
		{d, "/sprint/" + closed + "/issue", "agile/go-jira/issues_in_sprint.json", skipper("$.issues[].fields.customfield_*", "$.issues[].fields.aggregate*",
			"$.issues[].fields.timespent", "$.issues[].fields.timeestimate", "$.issues[].fields.timeoriginalestimate", "$.issues[].fields.workratio")},
	}
	for _, tc := range cases {
		t.Run(tc.f.s.Flavor()+" "+tc.path, func(t *testing.T) {
			got := tc.f.must(200, "GET", agileRoot+tc.path, "").json(t)
			assertShape(t, tc.fixture, got, tc.skip)
		})
	}
	// The field list, item by item like the Cloud capture's.
	for _, f := range []*fake{c, d} {
		list := f.must(200, "GET", f.api("/field"), "").json(t).([]any)
		var custom any
		for _, x := range list {
			if x.(map[string]any)["custom"] == true {
				custom = x
				break
			}
		}
		fx := loadFixture(t, "agile/go-atlassian/get-fields.json").([]any)
		var diffs []string
		skip := skipper("$.untranslatedName", "$.schema.items")
		if !f.cloud() {
			skip = skipper("$.untranslatedName", "$.schema.items", "$.schema.*")
		}
		for _, want := range fx {
			if want.(map[string]any)["custom"] == true {
				shapeDiff("$", want, custom, skip, &diffs)
				break
			}
		}
		if len(diffs) > 0 {
			t.Errorf("%s field list differs: %v", f.s.Flavor(), diffs)
		}
	}
}

// TestDemoBoards is the demo's agile data: a scrum board with a closed, an
// active and a future sprint, and a kanban board whose WIP limit is broken.
func TestDemoBoards(t *testing.T) {
	for _, flavor := range []string{FlavorCloud, FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			// The demo's options (main.go) but a fixed now.
			f := newFake(t, flavor, Options{Seed: 1, Issues: 300})
			var states []string
			for _, sp := range f.s.Sprints(1) {
				states = append(states, sp.State)
			}
			if strings.Join(states, ",") != "closed,active,future,future" {
				t.Fatalf("scrum board sprints %v", states)
			}
			active := f.must(200, "GET", agileRoot+"/board/1/sprint?state=active", "").obj(t)["values"].([]any)[0].(map[string]any)
			if active["goal"] == "" || active["startDate"] == nil || active["endDate"] == nil {
				t.Errorf("active sprint %v", active)
			}
			var kanban BoardInfo
			for _, b := range f.s.Boards() {
				if b.Type == "kanban" {
					kanban = b
				}
			}
			cfg := f.must(200, "GET", agileRoot+"/board/"+strconv.Itoa(kanban.ID)+"/configuration", "").obj(t)
			cols := cfg["columnConfig"].(map[string]any)["columns"].([]any)
			inProgress := cols[1].(map[string]any)
			max := int(inProgress["max"].(float64))
			mapped := map[string]bool{}
			for _, s := range inProgress["statuses"].([]any) {
				mapped[s.(map[string]any)["id"].(string)] = true
			}
			page := f.must(200, "GET", agileRoot+"/board/"+strconv.Itoa(kanban.ID)+"/issue?maxResults=1000&fields=status", "").obj(t)
			n := 0
			for _, is := range page["issues"].([]any) {
				st := is.(map[string]any)["fields"].(map[string]any)["status"].(map[string]any)
				if mapped[st["id"].(string)] {
					n++
				}
			}
			if n <= max {
				t.Errorf("the kanban board's In Progress has %d cards for a WIP max of %d: not exceeded", n, max)
			}
			if len(cols[2].(map[string]any)["statuses"].([]any)) != 0 {
				t.Error("the Blocked column should map no status (an empty column)")
			}
		})
	}
}

func TestAgileErrors(t *testing.T) {
	for _, flavor := range []string{FlavorCloud, FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			f := newFake(t, flavor, Options{Seed: 1, Issues: 80})
			sp := f.s.Sprints(1)
			closed, future := sp[0].ID, sp[2].ID
			key := f.s.Keys()[3]
			r := f.must(400, "POST", agileRoot+"/sprint/"+strconv.Itoa(closed)+"/issue", `{"issues":["`+key+`"]}`)
			if got := string(r.body); got != `{"errorMessages":["You must specify a sprint which has not been completed."],"errors":{}}` {
				t.Errorf("closed sprint body %s", got)
			}
			many := make([]string, 51)
			for i := range many {
				many[i] = `"` + f.s.Keys()[i] + `"`
			}
			f.must(400, "POST", agileRoot+"/sprint/"+strconv.Itoa(future)+"/issue", `{"issues":[`+strings.Join(many, ",")+`]}`)
			f.must(400, "POST", agileRoot+"/backlog/issue", `{"issues":[`+strings.Join(many, ",")+`]}`)
			f.must(404, "POST", agileRoot+"/sprint/99999/issue", `{"issues":["`+key+`"]}`)
			f.must(404, "GET", agileRoot+"/board/99999/configuration", "")
			f.must(400, "PUT", agileRoot+"/issue/rank", `{"issues":["`+key+`"]}`)
			f.must(400, "GET", agileRoot+"/board?type=nope", "")
			// 207: one issue unknown, one ranked.
			other := f.s.Keys()[4]
			r = f.must(207, "PUT", agileRoot+"/issue/rank", `{"issues":["`+other+`","NOPE-9"],"rankBeforeIssue":"`+key+`"}`)
			assertShape(t, "agile/schema/rank-207.json", r.json(t), nil)
			if got := f.s.RankOrder([]string{key, other}); got[0] != other {
				t.Errorf("the known issue was not ranked: %v", got)
			}
			// Unauthenticated requests are refused as on the REST API.
			if r := f.doAuth("GET", agileRoot+"/board", "", nil); r.status != 401 {
				t.Errorf("anonymous board list: %d", r.status)
			}
			if r := f.do("GET", agileRoot+"/nope", ""); r.status != 404 {
				t.Errorf("unknown agile path: %d", r.status)
			}
			if r := f.do("DELETE", agileRoot+"/board", ""); r.status != 405 {
				t.Errorf("DELETE /board: %d", r.status)
			}
		})
	}
}

// TestAgileSprintJQL: sprints the Agile model adds are known to JQL.
func TestAgileSprintJQL(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{Seed: 1})
	future := f.s.Sprints(1)[2]
	key := f.s.Keys()[0]
	f.must(204, "POST", agileRoot+"/sprint/"+strconv.Itoa(future.ID)+"/issue", `{"issues":["`+key+`"]}`)
	q := url.QueryEscape(fmt.Sprintf("sprint = %d", future.ID))
	got := f.must(200, "GET", f.api("/search/jql?jql="+q+"&fields=summary"), "").obj(t)["issues"].([]any)
	if len(got) != 1 || got[0].(map[string]any)["key"] != key {
		t.Errorf("sprint = %d found %v", future.ID, got)
	}
	open := f.must(200, "GET", f.api("/search/jql?jql="+url.QueryEscape("sprint in openSprints() AND key = "+key)+"&fields=summary"), "").obj(t)["issues"].([]any)
	if len(open) != 1 {
		t.Errorf("a future sprint's issue is not in openSprints(): %v", open)
	}
}
