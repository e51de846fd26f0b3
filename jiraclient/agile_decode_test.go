package jiraclient

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// Decoders on real (or documented) Agile payloads; see
// testdata/agile/PROVENANCE.md.

func TestDecodeBoardConfigCapture(t *testing.T) {
	cfg, err := decodeBoardConfig(fuzzFixture(t, "agile/go-jira/board_configuration.json"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ID != 35 || cfg.Name != "Test board" || cfg.Type != BoardKanban || cfg.FilterID != "12116" || cfg.ProjectKey != "IT" || cfg.ProjectID != "10002" {
		t.Errorf("header %+v", cfg)
	}
	if cfg.SubQuery != "fixVersion in unreleasedVersions() OR fixVersion is EMPTY" || cfg.Constraint != ConstraintIssueCount || cfg.RankField != "customfield_10002" {
		t.Errorf("subquery %q constraint %q rank %q", cfg.SubQuery, cfg.Constraint, cfg.RankField)
	}
	if len(cfg.Columns) != 6 {
		t.Fatalf("%d columns", len(cfg.Columns))
	}
	if c := cfg.Columns[0]; c.Name != "Backlog" || c.Min != 5 || c.Max != 30 || !slices.Equal(c.StatusIDs, []string{"10005"}) {
		t.Errorf("Backlog %+v", c)
	}
	if c := cfg.Columns[2]; c.Min != 0 || c.Max != 0 {
		t.Errorf("In Progress has no limits: %+v", c)
	}
	if c := cfg.Columns[4]; c.Name != "QA" || len(c.StatusIDs) != 5 || c.Max != 10 {
		t.Errorf("QA %+v", c)
	}
	if cfg.ColumnOf("10801") != 4 || cfg.DoneColumn() != 5 {
		t.Errorf("ColumnOf %d DoneColumn %d", cfg.ColumnOf("10801"), cfg.DoneColumn())
	}
	if over, _ := cfg.OverLimit(4, 11); !over {
		t.Error("11 in QA (max 10) is not over")
	}
	if _, under := cfg.OverLimit(0, 4); !under {
		t.Error("4 in Backlog (min 5) is not under")
	}
}

func TestDecodeBoardPageCapture(t *testing.T) {
	p, err := decodeBoardPage(fuzzFixture(t, "agile/go-jira/all_boards.json"), 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Boards) != 6 || !p.Last || p.Total != 6 {
		t.Fatalf("%d boards, last %v, total %d", len(p.Boards), p.Last, p.Total)
	}
	if b := p.Boards[1]; b.ID != 5 || b.Type != BoardKanban || b.Name != "Test Production Support" || b.ProjectKey != "" {
		t.Errorf("board 5 %+v", b)
	}
	if b := p.Boards[5]; b.ProjectKey != "AP" || b.ProjectName != "aproject" {
		t.Errorf("board with location %+v", b)
	}
}

func TestDecodeSprintPageCapture(t *testing.T) {
	p, err := decodeSprintPage(fuzzFixture(t, "agile/go-jira/sprints.json"), 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sprints) != 6 || !p.Last {
		t.Fatalf("%d sprints, last %v", len(p.Sprints), p.Last)
	}
	closed := p.Sprints[0]
	wantEnd := time.Date(2016, 4, 27, 15, 29, 0, 0, time.UTC)
	if closed.State != SprintClosed || closed.Complete.IsZero() || !closed.End.Equal(wantEnd) || closed.OriginBoardID != 734 {
		t.Errorf("closed %+v", closed)
	}
	active := p.Sprints[3]
	if active.State != SprintActive || active.Start.IsZero() || !active.Complete.IsZero() {
		t.Errorf("active %+v", active)
	}
	if s := p.Sprints[4]; s.State != SprintFuture || !s.Start.IsZero() || s.DaysLeft(time.Now()) != -1 {
		t.Errorf("minimal future %+v", s)
	}
	if s := p.Sprints[5]; s.Goal != "My Goal" {
		t.Errorf("goal %q", s.Goal)
	}
	q, err := decodeSprintPage(fuzzFixture(t, "agile/go-atlassian/get-board-sprints.json"), 0, 50)
	if err != nil || len(q.Sprints) != 1 || q.Sprints[0].Name != "KP Sprint 3" || q.Sprints[0].State != SprintFuture {
		t.Errorf("Cloud capture: %+v, %v", q, err)
	}
}

func TestDecodeAgilePageCapture(t *testing.T) {
	data := fuzzFixture(t, "agile/go-jira/issues_in_sprint.json")
	p, err := decodeAgilePage(data, Cursor{}, "customfield_10105", "customfield_10700")
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 10 || len(p.Issues) != 1 || p.Last || p.Next.StartAt != 1 {
		t.Fatalf("total %d, %d issues, last %v, next %+v", p.Total, len(p.Issues), p.Last, p.Next)
	}
	is := p.Issues[0]
	if is.Key != "AR-86" || is.Status.ID != "10000" || is.Assignee == nil || is.Assignee.Name != "mister.morris" {
		t.Errorf("issue %+v", is)
	}
	if is.Estimate == nil || *is.Estimate != 13 {
		t.Errorf("estimate %v", is.Estimate)
	}
	if is.Epic == nil || is.Epic.Key != "AR-37" || is.Epic.ID != "11900" || is.Epic.Summary != "Moderation: Design" {
		t.Errorf("epic %+v", is.Epic)
	}
	// Without the Agile epic object, the Epic Link field alone names it.
	noEpic := []byte(`{"startAt":0,"maxResults":50,"total":1,"issues":[{"id":"1","key":"AR-1","fields":{"summary":"s","customfield_10700":"AR-37","customfield_10105":"2.5"}}]}`)
	q, err := decodeAgilePage(noEpic, Cursor{}, "customfield_10105", "customfield_10700")
	if err != nil || q.Issues[0].Epic == nil || q.Issues[0].Epic.Key != "AR-37" || *q.Issues[0].Estimate != 2.5 || !q.Last {
		t.Errorf("Epic Link only: %+v, %v", q, err)
	}
	// An estimate id that clashes with a static field, or repeats the
	// epic's, is not read and breaks nothing.
	for _, ids := range [][2]string{{"summary", ""}, {"customfield_10700", "customfield_10700"}, {`x"y`, "parent"}} {
		r, err := decodeAgilePage(data, Cursor{}, ids[0], ids[1])
		if err != nil || r.Issues[0].Status.Name != "Ready" || r.Issues[0].Epic == nil || r.Issues[0].Epic.Key != "AR-37" {
			t.Errorf("ids %q: %+v, %v", ids, r.Issues[0], err)
		}
	}
	// Cloud: an epic parent (hierarchy level 1) is the epic; a sub-task's
	// story parent is not.
	cloud := []byte(`{"startAt":0,"maxResults":50,"total":2,"issues":[
		{"id":"1","key":"A-1","fields":{"parent":{"id":"9","key":"A-9","fields":{"summary":"Epic one","issuetype":{"name":"Epic","hierarchyLevel":1}}}}},
		{"id":"2","key":"A-2","fields":{"parent":{"id":"3","key":"A-3","fields":{"summary":"Story","issuetype":{"name":"Story","hierarchyLevel":0}}}}}]}`)
	c, err := decodeAgilePage(cloud, Cursor{}, "", "")
	if err != nil || c.Issues[0].Epic == nil || c.Issues[0].Epic.Key != "A-9" || c.Issues[0].Epic.Summary != "Epic one" || c.Issues[1].Epic != nil {
		t.Errorf("Cloud parents: %+v %+v, %v", c.Issues[0].Epic, c.Issues[1].Epic, err)
	}
}

func TestDecodeEpicLinkFieldCapture(t *testing.T) {
	id, err := decodeEpicLinkField(fuzzFixture(t, "agile/go-atlassian/get-fields.json"))
	if err != nil || id != "customfield_10014" {
		t.Errorf("Epic Link field %q, %v", id, err)
	}
	id, err = decodeEpicLinkField([]byte(`[{"id":"summary","schema":{"type":"string","system":"summary"}}]`))
	if err != nil || id != "" {
		t.Errorf("no Epic Link: %q, %v", id, err)
	}
}

// TestRankPartialDocumented serves the schema-shaped 207 to RankIssues.
func TestRankPartialDocumented(t *testing.T) {
	body := fuzzFixture(t, "agile/schema/rank-207.json")
	c := fuzzClient(t, FlavorCloud, body)
	err := c.RankIssues(context.Background(), RankInput{Issues: []string{"PR-1", "PR-2", "PR-3"}, After: "PR-9"})
	var e *Error
	var pe *PartialError
	if !errors.As(err, &e) || !errors.As(err, &pe) {
		t.Fatalf("%T %v", err, err)
	}
	if e.Kind != KindForbidden || e.Status != 207 || !slices.Equal(pe.Done, []string{"PR-1", "PR-3"}) || len(pe.Failed) != 1 || pe.Failed[0].ID != "10001" {
		t.Errorf("%+v %+v", e, pe)
	}
	if e.What() != "Jira did not rank 1 of 3 issues: PR-2: You do not have permission to rank issues. (HTTP 207 on PUT /rest/agile/1.0/issue/rank)" {
		t.Errorf("what %q", e.What())
	}
	// Every entry a success: no error.
	ok := fuzzClient(t, FlavorCloud, []byte(`{"entries":[{"issueId":1,"issueKey":"PR-1","status":200}]}`))
	if err := ok.RankIssues(context.Background(), RankInput{Issues: []string{"PR-1"}, After: "PR-9"}); err != nil {
		t.Errorf("all-success 207: %v", err)
	}
}
