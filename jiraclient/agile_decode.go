package jiraclient

// Wire types of the Agile REST API. They follow decode.go's rule: a field of
// an unexpected shape is skipped, never fatal; only a body that is not JSON,
// or not the top-level object the endpoint documents, is an error.

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

type wireBoardLocation struct {
	ProjectID      flexString `json:"projectId"`
	ProjectKey     string     `json:"projectKey"`
	ProjectName    string     `json:"projectName"`
	ProjectKeyOrID flexString `json:"projectKeyOrId"` // Cloud configuration
	Key            string     `json:"key"`            // DC configuration
	ID             flexString `json:"id"`
	Name           string     `json:"name"`
	DisplayName    string     `json:"displayName"`
	Type           string     `json:"type"`
}

type wireBoard struct {
	ID       flexInt            `json:"id"`
	Name     string             `json:"name"`
	Type     string             `json:"type"`
	Location *wireBoardLocation `json:"location"`
}

func (w *wireBoard) board() Board {
	b := Board{ID: int(w.ID), Name: w.Name, Type: strings.ToLower(w.Type)}
	if l := w.Location; l != nil {
		b.ProjectKey = firstNonEmpty(l.ProjectKey, l.Key)
		b.ProjectName = firstNonEmpty(l.ProjectName, l.Name)
	}
	return b
}

// decodeBoardPage decodes GET /board.
func decodeBoardPage(data []byte, start, asked int) (BoardPage, error) {
	var p wirePage[wireBoard]
	if err := unmarshalLoose(data, &p); err != nil {
		return BoardPage{}, err
	}
	items := p.items()
	out := BoardPage{Boards: make([]Board, len(items)), Total: -1}
	for i := range items {
		out.Boards[i] = items[i].board()
	}
	if p.Total != nil {
		out.Total = *p.Total
	}
	if s := int(p.StartAt); s > 0 || start == 0 {
		start = s
	}
	out.Last = p.last(start, asked)
	if !out.Last {
		out.Next = start + len(items)
	}
	return out, nil
}

type wireColumn struct {
	Name     string `json:"name"`
	Statuses []struct {
		ID flexString `json:"id"`
	} `json:"statuses"`
	Min flexInt `json:"min"`
	Max flexInt `json:"max"`
}

type wireBoardConfig struct {
	ID       flexInt            `json:"id"`
	Name     string             `json:"name"`
	Type     string             `json:"type"`
	Location *wireBoardLocation `json:"location"`
	Filter   *struct {
		ID flexString `json:"id"`
	} `json:"filter"`
	SubQuery *struct {
		Query string `json:"query"`
	} `json:"subQuery"`
	ColumnConfig struct {
		Columns        []wireColumn `json:"columns"`
		ConstraintType string       `json:"constraintType"`
	} `json:"columnConfig"`
	Estimation *struct {
		Type  string `json:"type"`
		Field *struct {
			FieldID     string `json:"fieldId"`
			DisplayName string `json:"displayName"`
		} `json:"field"`
	} `json:"estimation"`
	Ranking *struct {
		RankCustomFieldID flexInt `json:"rankCustomFieldId"`
	} `json:"ranking"`
}

// decodeBoardConfig decodes GET /board/{id}/configuration.
func decodeBoardConfig(data []byte) (*BoardConfig, error) {
	var w wireBoardConfig
	if err := unmarshalLoose(data, &w); err != nil {
		return nil, err
	}
	cfg := &BoardConfig{ID: int(w.ID), Name: w.Name, Type: strings.ToLower(w.Type), Constraint: w.ColumnConfig.ConstraintType}
	if cfg.Constraint == "" {
		cfg.Constraint = ConstraintNone
	}
	if w.Filter != nil {
		cfg.FilterID = string(w.Filter.ID)
	}
	if w.SubQuery != nil {
		cfg.SubQuery = w.SubQuery.Query
	}
	if l := w.Location; l != nil && (l.Type == "" || l.Type == "project") {
		cfg.ProjectKey = firstNonEmpty(l.Key, l.ProjectKey)
		cfg.ProjectID = firstNonEmpty(string(l.ID), string(l.ProjectID))
		// Cloud names the project by "projectKeyOrId": an id is digits.
		if k := string(l.ProjectKeyOrID); k != "" {
			if _, err := strconv.Atoi(k); err == nil {
				cfg.ProjectID = firstNonEmpty(cfg.ProjectID, k)
			} else {
				cfg.ProjectKey = firstNonEmpty(cfg.ProjectKey, k)
			}
		}
	}
	cfg.Columns = make([]BoardColumn, 0, len(w.ColumnConfig.Columns))
	for _, c := range w.ColumnConfig.Columns {
		col := BoardColumn{Name: c.Name, Min: max(int(c.Min), 0), Max: max(int(c.Max), 0)}
		for _, s := range c.Statuses {
			if s.ID != "" {
				col.StatusIDs = append(col.StatusIDs, string(s.ID))
			}
		}
		cfg.Columns = append(cfg.Columns, col)
	}
	if e := w.Estimation; e != nil {
		cfg.Estimation = e.Type
		if e.Field != nil {
			cfg.EstimationField, cfg.EstimationName = e.Field.FieldID, e.Field.DisplayName
		}
	}
	if w.Ranking != nil && w.Ranking.RankCustomFieldID > 0 {
		cfg.RankField = "customfield_" + strconv.Itoa(int(w.Ranking.RankCustomFieldID))
	}
	return cfg, nil
}

type wireSprint struct {
	ID            flexInt  `json:"id"`
	Name          string   `json:"name"`
	State         string   `json:"state"`
	Goal          string   `json:"goal"`
	StartDate     jiraTime `json:"startDate"`
	EndDate       jiraTime `json:"endDate"`
	CompleteDate  jiraTime `json:"completeDate"`
	OriginBoardID flexInt  `json:"originBoardId"`
}

func (w *wireSprint) sprint() Sprint {
	return Sprint{ID: int(w.ID), Name: w.Name, State: strings.ToLower(w.State), Goal: w.Goal,
		Start: w.StartDate.Time, End: w.EndDate.Time, Complete: w.CompleteDate.Time, OriginBoardID: int(w.OriginBoardID)}
}

// decodeSprintPage decodes GET /board/{id}/sprint.
func decodeSprintPage(data []byte, start, asked int) (SprintPage, error) {
	var p wirePage[wireSprint]
	if err := unmarshalLoose(data, &p); err != nil {
		return SprintPage{}, err
	}
	items := p.items()
	out := SprintPage{Sprints: make([]Sprint, len(items))}
	for i := range items {
		out.Sprints[i] = items[i].sprint()
	}
	if s := int(p.StartAt); s > 0 || start == 0 {
		start = s
	}
	out.Last = p.last(start, asked)
	if !out.Last {
		out.Next = start + len(items)
	}
	return out, nil
}

// wireAgileExtras is what an agile issue carries beyond a search issue:
// the Agile API's own epic object, and the parent's hierarchy level, which
// tells an epic parent (level 1) from a sub-task's story parent.
type wireAgileExtras struct {
	Epic   *wireEpic `json:"epic"`
	Sprint *struct {
		Name string `json:"name"`
	} `json:"sprint"`
	Parent *struct {
		Fields *struct {
			IssueType *struct {
				Name           string   `json:"name"`
				HierarchyLevel *flexInt `json:"hierarchyLevel"`
			} `json:"issuetype"`
		} `json:"fields"`
	} `json:"parent"`
}

type wireEpic struct {
	ID      flexString `json:"id"`
	Key     string     `json:"key"`
	Name    string     `json:"name"`
	Summary string     `json:"summary"`
}

// decodeAgilePage decodes a board, backlog or sprint issue page (startAt,
// maxResults, total, issues). estimateField and epicField are the dynamic
// custom fields to read into Issue.Estimate and Issue.Epic ("" = none).
func decodeAgilePage(data []byte, cur Cursor, estimateField, epicField string) (SearchPage, error) {
	var w struct {
		Issues     []json.RawMessage `json:"issues"`
		StartAt    flexInt           `json:"startAt"`
		MaxResults flexInt           `json:"maxResults"`
		Total      *flexInt          `json:"total"`
	}
	if err := unmarshalLoose(data, &w); err != nil {
		return SearchPage{}, err
	}
	page := SearchPage{Issues: make([]Issue, 0, len(w.Issues)), Total: -1}
	for _, raw := range w.Issues {
		is, err := decodeAgileIssue(raw, estimateField, epicField)
		if err != nil {
			continue // one unreadable issue must not hide the page
		}
		page.Issues = append(page.Issues, is)
	}
	start := int(w.StartAt)
	if start == 0 {
		start = cur.StartAt
	}
	if w.Total != nil {
		page.Total = int(*w.Total)
	}
	next := start + len(w.Issues)
	page.Last = len(w.Issues) == 0 || (page.Total >= 0 && next >= page.Total)
	if !page.Last {
		page.Next = Cursor{StartAt: next}
	}
	return page, nil
}

// decodeAgileIssue decodes one agile issue: the search decoder for the
// common fields, then one narrow pass for the epic and the estimate.
func decodeAgileIssue(raw []byte, estimateField, epicField string) (Issue, error) {
	var wi wireIssue
	if err := unmarshalLoose(raw, &wi); err != nil {
		return Issue{}, err
	}
	is := wi.issue()
	var x struct {
		Fields wireAgileExtras `json:"fields"`
	}
	_ = unmarshalLoose(raw, &x)
	if sp := x.Fields.Sprint; sp != nil && is.Sprint == "" {
		is.Sprint = sp.Name
	}
	if e := x.Fields.Epic; e != nil && e.Key != "" {
		is.Epic = &IssueRef{ID: string(e.ID), Key: e.Key, Summary: firstNonEmpty(e.Name, e.Summary), Type: "Epic"}
	}
	if is.Epic == nil && is.Parent != nil {
		if p := x.Fields.Parent; p != nil && p.Fields != nil && p.Fields.IssueType != nil {
			t := p.Fields.IssueType
			if (t.HierarchyLevel != nil && *t.HierarchyLevel == 1) || (t.HierarchyLevel == nil && strings.EqualFold(t.Name, "Epic")) {
				ref := *is.Parent
				is.Epic = &ref
			}
		}
	}
	if estimateField == "" && (epicField == "" || is.Epic != nil) {
		return is, nil
	}
	var dyn struct {
		Fields map[string]json.RawMessage `json:"fields"`
	}
	if json.Unmarshal(raw, &dyn) != nil {
		return is, nil
	}
	if v, ok := dyn.Fields[estimateField]; ok && estimateField != "" {
		is.Estimate = decodeEstimate(v)
	}
	if v, ok := dyn.Fields[epicField]; ok && epicField != "" && is.Epic == nil {
		var key string
		if json.Unmarshal(v, &key) == nil && key != "" {
			is.Epic = &IssueRef{Key: key}
		}
	}
	return is, nil
}

// decodeEstimate reads a number field (story points): a JSON number, or a
// numeric string; anything else is no estimate.
func decodeEstimate(v json.RawMessage) *float64 {
	b := bytes.Trim(bytes.TrimSpace(v), `"`)
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return nil
	}
	return &f
}

// decodePartial reads a 207 answer of /issue/rank: {"entries": [{issueId,
// issueKey, status, errors}]}. It returns nil when every entry succeeded.
// Issues Jira left out of the answer count as moved.
func decodePartial(data []byte, asked []string) (*PartialError, error) {
	var w struct {
		Entries []struct {
			IssueID  flexString `json:"issueId"`
			IssueKey string     `json:"issueKey"`
			Status   flexInt    `json:"status"`
			Errors   []string   `json:"errors"`
		} `json:"entries"`
	}
	if err := unmarshalLoose(data, &w); err != nil {
		return nil, err
	}
	pe := &PartialError{}
	failed := map[string]bool{}
	for _, e := range w.Entries {
		if (e.Status >= 200 && e.Status < 300) && len(e.Errors) == 0 {
			continue
		}
		f := IssueFailure{Key: e.IssueKey, ID: string(e.IssueID), Status: int(e.Status), Errors: e.Errors}
		if len(f.Errors) == 0 {
			f.Errors = []string{"status " + strconv.Itoa(f.Status)}
		}
		pe.Failed = append(pe.Failed, f)
		failed[strings.ToUpper(f.Key)], failed[f.ID] = true, true
	}
	if len(pe.Failed) == 0 {
		return nil, nil
	}
	for _, k := range asked {
		if !failed[strings.ToUpper(k)] {
			pe.Done = append(pe.Done, k)
		}
	}
	return pe, nil
}

// decodeEpicLinkField finds the Epic Link field in GET /field.
func decodeEpicLinkField(data []byte) (string, error) {
	var fs []struct {
		ID     string      `json:"id"`
		Schema FieldSchema `json:"schema"`
	}
	if err := unmarshalLoose(data, &fs); err != nil {
		return "", err
	}
	for _, f := range fs {
		if f.Schema.Custom == epicLinkSchema {
			return f.ID, nil
		}
	}
	return "", nil
}
