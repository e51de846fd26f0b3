package jiraclient

// Wire types of the Agile REST API. They follow decode.go's rule: a field of
// an unexpected shape is skipped, never fatal; only a body that is not JSON,
// or not the top-level object the endpoint documents, is an error.

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
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

// agileFields is an agile issue's fields: the search issue's (wireFields)
// plus what the Agile API adds: its epic object, the issue's open sprint,
// and a parent whose issue type tells an epic (hierarchy level 1) from a
// sub-task's story. Its parent shadows wireFields' own.
type agileFields struct {
	wireFields
	Parent *wireAgileParent `json:"parent"`
	Epic   *wireEpic        `json:"epic"`
	Sprint *struct {
		Name string `json:"name"`
	} `json:"sprint"`
}

type wireAgileParent struct {
	ID     flexString `json:"id"`
	Key    string     `json:"key"`
	Fields *struct {
		Summary   string      `json:"summary"`
		Status    *wireStatus `json:"status"`
		IssueType *struct {
			Name           string   `json:"name"`
			HierarchyLevel *flexInt `json:"hierarchyLevel"`
		} `json:"issuetype"`
	} `json:"fields"`
}

type wireEpic struct {
	ID      flexString `json:"id"`
	Key     string     `json:"key"`
	Name    string     `json:"name"`
	Summary string     `json:"summary"`
}

// Design note. The estimate and Epic Link fields have site-specific ids
// (customfield_10016 here, customfield_10106 there), so no static struct
// tag can name them, and decoding each issue a second time into a map to
// find them tripled the cost of a 500-issue page. Instead the page type is
// built once per pair of ids with reflect.StructOf: agileFields embedded,
// plus one json.RawMessage per dynamic id, so a page is decoded in one
// pass. The types are cached; a site has one or two pairs.

// agilePageType is the reflect type of a page for one pair of dynamic ids;
// its issues' fields hold agileFields (field 0) then the dynamic fields
// in the order given.
type agilePageType struct {
	page    reflect.Type
	dynamic []string
}

var agilePageTypes sync.Map // [2]string -> *agilePageType

// staticAgileField are the JSON names agileFields decodes itself.
var staticAgileField = func() map[string]bool {
	m := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			m[name] = true
		}
	}
	walk(reflect.TypeFor[agileFields]())
	return m
}()

func agilePageTypeFor(estimateField, epicField string) *agilePageType {
	k := [2]string{estimateField, epicField}
	if t, ok := agilePageTypes.Load(k); ok {
		return t.(*agilePageType)
	}
	fields := []reflect.StructField{{Name: "Static", Type: reflect.TypeFor[agileFields](), Anonymous: true}}
	var dynamic []string
	for i, id := range []string{estimateField, epicField} {
		// An id that would clash with a static field, repeat the other,
		// or break out of the tag is not read.
		if id == "" || strings.ContainsAny(id, "\\\"`,") || staticAgileField[id] || i == 1 && id == estimateField {
			continue
		}
		fields = append(fields, reflect.StructField{Name: "D" + strconv.Itoa(i), Type: reflect.TypeFor[json.RawMessage](), Tag: reflect.StructTag(`json:"` + id + `"`)})
		dynamic = append(dynamic, id)
	}
	issue := reflect.StructOf([]reflect.StructField{
		{Name: "ID", Type: reflect.TypeFor[flexString](), Tag: `json:"id"`},
		{Name: "Key", Type: reflect.TypeFor[string](), Tag: `json:"key"`},
		{Name: "Fields", Type: reflect.StructOf(fields), Tag: `json:"fields"`},
	})
	page := reflect.StructOf([]reflect.StructField{
		{Name: "Issues", Type: reflect.SliceOf(issue), Tag: `json:"issues"`},
		{Name: "StartAt", Type: reflect.TypeFor[flexInt](), Tag: `json:"startAt"`},
		{Name: "Total", Type: reflect.TypeFor[*flexInt](), Tag: `json:"total"`},
	})
	t, _ := agilePageTypes.LoadOrStore(k, &agilePageType{page: page, dynamic: dynamic})
	return t.(*agilePageType)
}

// decodeAgilePage decodes a board, backlog or sprint issue page (startAt,
// maxResults, total, issues). estimateField and epicField are the dynamic
// custom fields to read into Issue.Estimate and Issue.Epic ("" = none).
func decodeAgilePage(data []byte, cur Cursor, estimateField, epicField string) (SearchPage, error) {
	pt := agilePageTypeFor(estimateField, epicField)
	pv := reflect.New(pt.page)
	if err := unmarshalLoose(data, pv.Interface()); err != nil {
		return SearchPage{}, err
	}
	pe := pv.Elem()
	list := pe.Field(0)
	page := SearchPage{Issues: make([]Issue, list.Len()), Total: -1}
	for n := range list.Len() {
		iv := list.Index(n)
		fv := iv.Field(2)
		af := fv.Field(0).Addr().Interface().(*agileFields)
		is := agileIssue(string(iv.Field(0).Interface().(flexString)), iv.Field(1).String(), af)
		for d, id := range pt.dynamic {
			raw := fv.Field(1 + d).Bytes()
			if len(raw) == 0 {
				continue
			}
			switch id {
			case estimateField:
				is.Estimate = decodeEstimate(raw)
			case epicField:
				var key string
				if is.Epic == nil && json.Unmarshal(raw, &key) == nil && key != "" {
					is.Epic = &IssueRef{Key: key}
				}
			}
		}
		page.Issues[n] = is
	}
	start := int(pe.Field(1).Interface().(flexInt))
	if start == 0 {
		start = cur.StartAt
	}
	if t := pe.Field(2).Interface().(*flexInt); t != nil {
		page.Total = int(*t)
	}
	next := start + len(page.Issues)
	page.Last = len(page.Issues) == 0 || (page.Total >= 0 && next >= page.Total)
	if !page.Last {
		page.Next = Cursor{StartAt: next}
	}
	return page, nil
}

// agileIssue converts one decoded agile issue.
func agileIssue(id, key string, af *agileFields) Issue {
	wi := wireIssue{ID: flexString(id), Key: key, Fields: af.wireFields}
	is := wi.issue()
	if sp := af.Sprint; sp != nil && is.Sprint == "" {
		is.Sprint = sp.Name
	}
	if p := af.Parent; p != nil && p.Key != "" {
		ref := IssueRef{ID: string(p.ID), Key: p.Key}
		epic := false
		if p.Fields != nil {
			ref.Summary, ref.Status = p.Fields.Summary, p.Fields.Status.status()
			if t := p.Fields.IssueType; t != nil {
				ref.Type = t.Name
				epic = t.HierarchyLevel != nil && *t.HierarchyLevel == 1 || t.HierarchyLevel == nil && strings.EqualFold(t.Name, "Epic")
			}
		}
		is.Parent = &ref
		if epic {
			e := ref
			is.Epic = &e
		}
	}
	if e := af.Epic; e != nil && e.Key != "" {
		is.Epic = &IssueRef{ID: string(e.ID), Key: e.Key, Summary: firstNonEmpty(e.Name, e.Summary), Type: "Epic"}
	}
	return is
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
