package fakejira

// Custom fields of every type, their values on issues, their metadata
// (GET /field, editmeta, createmeta) and their writes.
//
// Provenance. The field types, schemas (type/items/custom/customId),
// operations and value shapes follow a real Cloud site's editmeta and
// search captured by go-atlassian (testdata/fields/cloud-editmeta.json and
// testdata/fields/cloud-issue-values.json, see testdata/PROVENANCE.md):
// options {"self","value","id"} with "children" for a cascading select and
// "child" in its value, groups {"name","self"}, users as everywhere else,
// the Team field as the Advanced Roadmaps type "any"
// (com.atlassian.teams:rm-teams-custom-field-team), the multi-user and user
// pickers' autoCompleteUrl (/rest/api/1.0/users/picker?fieldName=...), the
// labels field's /rest/api/1.0/labels/{id}/suggest URL. Data Center uses
// the same plugin keys with v2 self links, "disabled": false on options (as
// DC 8+ sends), wiki-markup text areas and its own field ids (10200+).
// The Team value's shape on Data Center ({"id": n, "title": ...}) and the
// set-by-id forms for Team ("id" string) are the fake's own reading of
// Atlassian's docs, not a capture.

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// cfKind is the fake's own name for a custom field's type.
type cfKind string

const (
	cfText      cfKind = "textfield"
	cfTextarea  cfKind = "textarea"
	cfURL       cfKind = "url"
	cfNumber    cfKind = "float"
	cfDate      cfKind = "datepicker"
	cfDateTime  cfKind = "datetime"
	cfSelect    cfKind = "select"
	cfMulti     cfKind = "multiselect"
	cfCascade   cfKind = "cascadingselect"
	cfUser      cfKind = "userpicker"
	cfUsers     cfKind = "multiuserpicker"
	cfGroup     cfKind = "grouppicker"
	cfVersions  cfKind = "multiversion"
	cfLabels    cfKind = "labels"
	cfTeam      cfKind = "team"
	cfChecklist cfKind = "checklist" // a third-party type the client does not know
	cfPoints    cfKind = "points"    // the estimation field (agile.go names it)
)

type cfOption struct {
	ID, Value string
	Children  []*cfOption
}

// customField is one custom field of the catalogue. Slot is its
// flavour-neutral name, under which issues keep its value.
type customField struct {
	Slot    string
	Name    string
	Kind    cfKind
	Cloud   int // customfield_N on Cloud
	DC      int // customfield_N on Data Center
	Options []*cfOption
}

func (f *customField) id(cloud bool) string {
	if cloud {
		return "customfield_" + strconv.Itoa(f.Cloud)
	}
	return "customfield_" + strconv.Itoa(f.DC)
}

func (f *customField) num(cloud bool) int {
	if cloud {
		return f.Cloud
	}
	return f.DC
}

const cfPrefix = "com.atlassian.jira.plugin.system.customfieldtypes:"

// schema is the field's schema as GET /field and the metadata send it.
func (f *customField) schema(cloud bool) map[string]any {
	m := map[string]any{"customId": f.num(cloud)}
	switch f.Kind {
	case cfText, cfTextarea, cfURL:
		m["type"] = "string"
	case cfNumber:
		m["type"] = "number"
	case cfDate:
		m["type"] = "date"
	case cfDateTime:
		m["type"] = "datetime"
	case cfSelect:
		m["type"] = "option"
	case cfMulti:
		m["type"], m["items"] = "array", "option"
	case cfCascade:
		m["type"] = "option-with-child"
	case cfUser:
		m["type"] = "user"
	case cfUsers:
		m["type"], m["items"] = "array", "user"
	case cfGroup:
		m["type"] = "group"
	case cfVersions:
		m["type"], m["items"] = "array", "version"
	case cfLabels:
		m["type"], m["items"] = "array", "string"
	case cfTeam, cfChecklist:
		m["type"] = "any"
	}
	switch f.Kind {
	case cfTeam:
		m["custom"] = "com.atlassian.teams:rm-teams-custom-field-team"
	case cfChecklist:
		m["custom"] = "com.okapya.jira.checklist:checklist-items"
	default:
		m["custom"] = cfPrefix + string(f.Kind)
	}
	return m
}

func (f *customField) multi() bool {
	return f.Kind == cfMulti || f.Kind == cfUsers || f.Kind == cfVersions || f.Kind == cfLabels
}

// team is an Advanced Roadmaps team.
type team struct {
	ID    string // Cloud: a UUID; Data Center: a number
	Title string
}

func opts(base int, vals ...string) []*cfOption {
	out := make([]*cfOption, len(vals))
	for i, v := range vals {
		out[i] = &cfOption{ID: strconv.Itoa(base + i), Value: v}
	}
	return out
}

// customCatalogue is the custom fields every fake site has (besides
// Sprint, Rank, the estimation field and DC's Epic Link, which agile.go
// serves). Ids on Cloud follow the capture's numbering.
func customCatalogue() []*customField {
	region := []*cfOption{
		{ID: "10054", Value: "Americas", Children: opts(10056, "Costa Rica", "Canada", "Brazil")},
		{ID: "10055", Value: "Europe", Children: opts(10060, "Berlin", "Lisbon", "Tallinn")},
		{ID: "10064", Value: "Asia Pacific", Children: opts(10065, "Sydney", "Singapore")},
	}
	return []*customField{
		{Slot: "team", Name: "Team", Kind: cfTeam, Cloud: 10001, DC: 10300},
		{Slot: "start", Name: "Target start", Kind: cfDate, Cloud: 10040, DC: 10200},
		{Slot: "deployed", Name: "Deployed at", Kind: cfDateTime, Cloud: 10041, DC: 10201},
		{Slot: "tags", Name: "Tags", Kind: cfLabels, Cloud: 10042, DC: 10202},
		{Slot: "impact", Name: "Customer impact", Kind: cfNumber, Cloud: 10043, DC: 10203},
		{Slot: "region", Name: "Region", Kind: cfCascade, Cloud: 10045, DC: 10204, Options: region},
		{Slot: "platforms", Name: "Platforms", Kind: cfMulti, Cloud: 10046, DC: 10205, Options: opts(10044, "Linux", "macOS", "Windows", "iOS", "Android")},
		{Slot: "severity", Name: "Severity", Kind: cfSelect, Cloud: 10047, DC: 10206, Options: opts(10049, "S1 - Critical", "S2 - Major", "S3 - Minor", "S4 - Trivial")},
		{Slot: "criteria", Name: "Acceptance criteria", Kind: cfTextarea, Cloud: 10048, DC: 10207},
		{Slot: "customer", Name: "Customer", Kind: cfText, Cloud: 10049, DC: 10208},
		{Slot: "design", Name: "Design doc", Kind: cfURL, Cloud: 10050, DC: 10209},
		{Slot: "reviewer", Name: "Reviewer", Kind: cfUser, Cloud: 10051, DC: 10210},
		{Slot: "group", Name: "Owning group", Kind: cfGroup, Cloud: 10053, DC: 10211},
		{Slot: "approvers", Name: "Approvers", Kind: cfUsers, Cloud: 10055, DC: 10212},
		{Slot: "found", Name: "Found in", Kind: cfVersions, Cloud: 10056, DC: 10213},
		{Slot: "checklist", Name: "Checklist", Kind: cfChecklist, Cloud: 10057, DC: 10214},
	}
}

var catalogue = customCatalogue()

// groups are the site's groups (group pickers).
var groups = []struct{ Name, ID string }{
	{"jira-software-users", "a3c9a5c4-6e2b-4c44-8b1b-3f1a1e0c0a01"},
	{"platform-team", "a3c9a5c4-6e2b-4c44-8b1b-3f1a1e0c0a02"},
	{"mobile-team", "a3c9a5c4-6e2b-4c44-8b1b-3f1a1e0c0a03"},
}

func (s *Server) teams() []*team {
	if s.cloud {
		return []*team{{"36885b3c-1bf0-4f85-a357-c5b858c31de4", "Platform"}, {"8c2b9d1e-4d0a-4b5e-9f3c-2a7e6b1c0d55", "Mobile"}, {"f0e1d2c3-b4a5-4968-8776-655443322110", "Search"}}
	}
	return []*team{{"1", "Platform"}, {"2", "Mobile"}, {"3", "Search"}}
}

// cascade is a cascading select's value.
type cascade struct{ Parent, Child *cfOption }

// issueMore is what an issue has beyond model.go's fields: custom values
// by slot, watchers, worklogs, estimates and attachments.
type issueMore struct {
	values      map[string]any
	watchers    []*user
	worklogs    []*worklog
	original    int64 // seconds; 0 = unset
	remaining   int64
	hasEstimate bool
	attachments []*attachment
}

// clone copies what an edit may change, so a refused edit (applied to a
// copy of the issue first) changes nothing.
func (m *issueMore) clone() *issueMore {
	if m == nil {
		return nil
	}
	c := *m
	c.values = make(map[string]any, len(m.values))
	for k, v := range m.values {
		c.values[k] = v
	}
	return &c
}

func (i *issue) extra() *issueMore {
	if i.more == nil {
		i.more = &issueMore{values: map[string]any{}}
	}
	return i.more
}

// moreState is server-wide state of this file and activity.go.
type moreState struct {
	nextWorklog    int
	nextAttachment int
	attachLimit    int64
	mediaURL       string
	required       map[string]map[string]bool // issue type name -> slots required on create
	doneScreen     map[string]bool            // slot -> required, on the Done transition's screen
}

// generateFields gives demo issues custom values, watchers, worklogs,
// estimates and attachments, from its own dice so the data generate and
// generateAgile made is unchanged.
func generateFields(s *Server, o Options) {
	r := rand.New(rand.NewSource(o.Seed ^ 0xf1e1d))
	s.more.nextWorklog = 10000
	s.more.nextAttachment = 10000
	s.more.attachLimit = defaultAttachLimit
	// No custom field is required on create until a test says so
	// (SetRequiredOnCreate): the create form does not offer custom fields
	// yet, and the demo must still create every type.
	s.more.required = map[string]map[string]bool{}
	// The estimate lives with the other values; agile.go reads it back
	// through storyPoints.
	for i, v := range s.agile.points {
		i.extra().values["points"] = v
	}
	s.agile.points = nil
	teams := s.teams()
	perProject := map[*project]int{}
	for _, i := range s.issues {
		n := perProject[i.Project]
		perProject[i.Project]++
		full := n < 2 // the first two issues of each project carry every field
		pick := func(p float64) bool { return full || r.Float64() < p }
		x := i.extra()
		if pick(0.35) {
			x.values["severity"] = catalogueField("severity").Options[r.Intn(4)]
		}
		if pick(0.3) {
			ps := catalogueField("platforms").Options
			var sel []*cfOption
			for _, op := range ps {
				if r.Intn(3) == 0 || (full && len(sel) == 0) {
					sel = append(sel, op)
				}
			}
			if len(sel) > 0 {
				x.values["platforms"] = sel
			}
		}
		if pick(0.2) {
			reg := catalogueField("region").Options[r.Intn(3)]
			x.values["region"] = &cascade{Parent: reg, Child: reg.Children[r.Intn(len(reg.Children))]}
		}
		if pick(0.3) {
			x.values["reviewer"] = s.users[r.Intn(len(s.users))]
		}
		if pick(0.15) {
			a, b := s.users[r.Intn(len(s.users))], s.users[r.Intn(len(s.users))]
			us := []*user{a}
			if b != a {
				us = append(us, b)
			}
			x.values["approvers"] = us
		}
		if pick(0.2) {
			x.values["design"] = "https://docs.example.com/design/" + strings.ToLower(i.Key)
		}
		if pick(0.4) {
			x.values["team"] = teams[r.Intn(len(teams))]
		}
		if pick(0.2) {
			x.values["criteria"] = fromWiki("* The " + strings.ToLower(i.Type.Name) + " is reproducible from the steps\n* *Given* a fresh profile, the list loads in under a second")
		}
		if pick(0.15) {
			x.values["customer"] = []string{"Acme Corp", "Globex", "Initech", "Umbrella"}[r.Intn(4)]
		}
		if pick(0.2) {
			x.values["impact"] = float64(r.Intn(40)) / 4
		}
		if pick(0.2) {
			x.values["start"] = o.Now.AddDate(0, 0, r.Intn(30)-5).Format("2006-01-02")
		}
		if pick(0.1) {
			x.values["deployed"] = o.Now.Add(-time.Duration(r.Intn(500)) * time.Hour).Truncate(time.Minute)
		}
		if pick(0.1) {
			x.values["group"] = groups[r.Intn(len(groups))].Name
		}
		if pick(0.2) {
			x.values["tags"] = []string{[]string{"customer-reported", "regression", "perf"}[r.Intn(3)]}
		}
		if pick(0.1) && len(i.Project.Versions) > 0 {
			x.values["found"] = []*version{i.Project.Versions[r.Intn(len(i.Project.Versions))]}
		}
		if full {
			x.values["checklist"] = []any{map[string]any{"name": "Write tests", "checked": true}, map[string]any{"name": "Update docs", "checked": false}}
		}
		// Watchers: the reporter, and the assignee when there is one.
		if i.Reporter != nil {
			x.watchers = append(x.watchers, i.Reporter)
		}
		if i.Assignee != nil && i.Assignee != i.Reporter {
			x.watchers = append(x.watchers, i.Assignee)
		}
		// Estimates and worklogs on some issues.
		if pick(0.3) {
			x.original = int64(1+r.Intn(16)) * 3600
			x.remaining = x.original
			x.hasEstimate = true
		}
		if pick(0.25) {
			for k := 0; k < 1+r.Intn(3); k++ {
				spent := int64(1+r.Intn(8)) * 1800
				au := s.users[r.Intn(len(s.users))]
				started := i.Created.Add(time.Duration(1+r.Intn(72)) * time.Hour).Truncate(time.Minute)
				s.more.nextWorklog++
				x.worklogs = append(x.worklogs, &worklog{ID: s.more.nextWorklog, Author: au, Started: started, Created: started.Add(time.Hour), Updated: started.Add(time.Hour),
					Spent: spent, Comment: fromWiki([]string{"Reproduced the problem", "Paired on the fix", "Reviewed and tested"}[r.Intn(3)])})
				if x.hasEstimate {
					x.remaining = max(0, x.remaining-spent)
				}
			}
		}
		if full && n == 0 {
			s.more.nextAttachment++
			x.attachments = append(x.attachments, &attachment{ID: s.more.nextAttachment, Filename: "trace.log", Mime: "text/plain", Author: i.Reporter, Created: i.Created.Add(time.Hour),
				Data: []byte("2026-03-01T09:12:44Z ERROR search: page token expired\n2026-03-01T09:12:45Z INFO retrying from the first page\n")})
			s.more.nextAttachment++
			x.attachments = append(x.attachments, &attachment{ID: s.more.nextAttachment, Filename: "screenshot.png", Mime: "image/png", Author: i.Reporter, Created: i.Created.Add(2 * time.Hour),
				Data: tinyPNG})
		}
	}
}

// tinyPNG is a 1x1 transparent PNG.
var tinyPNG = []byte{0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82}

func catalogueField(slot string) *customField {
	for _, f := range catalogue {
		if f.Slot == slot {
			return f
		}
	}
	return nil
}

// customByID finds the catalogue field with this flavour's id.
func (r render) customByID(id string) *customField {
	for _, f := range catalogue {
		if f.id(r.cloud) == id {
			return f
		}
	}
	return nil
}

// moreFieldNames adds the catalogue's names (and the estimation field's)
// to the expand=names map.
func (r render) moreFieldNames(m map[string]string) {
	for _, f := range catalogue {
		m[f.id(r.cloud)] = f.Name
	}
	id, name := r.pointsField()
	m[id] = name
}

// storyPoints is the issue's estimate (the board's estimation field).
func (s *Server) storyPoints(i *issue) (float64, bool) {
	if i.more == nil {
		return 0, false
	}
	v, ok := i.more.values["points"].(float64)
	return v, ok
}

// optionJSON is an option as values and allowedValues carry it.
func (r render) optionJSON(o *cfOption, withChildren bool) map[string]any {
	m := map[string]any{"self": r.api() + "/customFieldOption/" + o.ID, "value": o.Value, "id": o.ID}
	if !r.cloud {
		m["disabled"] = false
	}
	if withChildren && len(o.Children) > 0 {
		var cs []any
		for _, c := range o.Children {
			cs = append(cs, r.optionJSON(c, false))
		}
		m["children"] = cs
	}
	return m
}

func (r render) groupJSON(name string) map[string]any {
	m := map[string]any{"name": name, "self": r.api() + "/group?groupname=" + name}
	if r.cloud {
		for _, g := range groups {
			if g.Name == name {
				m["groupId"] = g.ID
			}
		}
	}
	return m
}

func (r render) teamJSON(t *team) any {
	if r.cloud {
		return map[string]any{"id": t.ID, "name": t.Title, "title": t.Title, "avatarUrl": "", "isVisible": true, "isVerified": false, "isShared": true}
	}
	n, _ := strconv.Atoi(t.ID)
	return map[string]any{"id": n, "title": t.Title, "shareable": true}
}

func (r render) versionJSON(v *version) map[string]any {
	m := map[string]any{"self": r.api() + "/version/" + v.ID, "id": v.ID, "name": v.Name, "archived": false, "released": v.Released, "description": ""}
	if v.ReleaseDate != "" {
		m["releaseDate"] = v.ReleaseDate
	}
	return m
}

// customValue renders a catalogue field's value on an issue (nil when
// unset, as Jira sends null for an empty custom field).
func (s *Server) customValue(i *issue, f *customField, users adfUserResolver) any {
	rn := s.rnd()
	if i.more == nil {
		if f.multi() {
			return nil
		}
		return nil
	}
	v, ok := i.more.values[f.Slot]
	if !ok {
		return nil
	}
	switch x := v.(type) {
	case string:
		if f.Kind == cfGroup {
			return rn.groupJSON(x)
		}
		return x
	case float64:
		return x
	case time.Time:
		return fmtTime(x)
	case *node:
		if rn.cloud {
			return toADF(x, users)
		}
		return toWiki(x)
	case *cfOption:
		return rn.optionJSON(x, false)
	case []*cfOption:
		out := []any{}
		for _, o := range x {
			out = append(out, rn.optionJSON(o, false))
		}
		return out
	case *cascade:
		m := rn.optionJSON(x.Parent, false)
		if x.Child != nil {
			m["child"] = rn.optionJSON(x.Child, false)
		}
		return m
	case *user:
		return rn.user(x)
	case []*user:
		out := []any{}
		for _, u := range x {
			out = append(out, rn.user(u))
		}
		return out
	case []*version:
		out := []any{}
		for _, ver := range x {
			out = append(out, rn.versionJSON(ver))
		}
		return out
	case []string:
		return append([]string{}, x...)
	case *team:
		return rn.teamJSON(x)
	case []any:
		return x
	}
	return nil
}

// fieldValueMore renders fields this file and activity.go own (custom
// fields, the estimate, watches, worklog, time tracking, attachments),
// then falls back to model.go's fieldValue. s.mu held.
func (s *Server) fieldValueMore(rn render, i *issue, id string, users adfUserResolver) (any, bool) {
	if f := rn.customByID(id); f != nil {
		return s.customValue(i, f, users), true
	}
	if pid, _ := rn.pointsField(); id == pid {
		if v, ok := s.storyPoints(i); ok {
			return v, true
		}
		return nil, true
	}
	switch id {
	case "watches":
		return s.watchesJSON(i), true
	case "worklog":
		return s.worklogPageJSON(i, 0, 20), true
	case "timetracking":
		return s.timeTrackingJSON(i), true
	case "attachment":
		out := []any{}
		if i.more != nil {
			for _, a := range i.more.attachments {
				out = append(out, s.attachmentJSON(a, false))
			}
		}
		return out, true
	}
	return rn.fieldValue(i, id, users)
}

// systemSchema is a system field's schema as GET /field sends it (from the
// captures: go-atlassian get-fields.json, jira-ruby field.json).
func systemSchema(id string) map[string]any {
	t := map[string]string{
		"summary": "string", "description": "string", "environment": "string", "issuetype": "issuetype", "project": "project",
		"status": "status", "priority": "priority", "assignee": "user", "reporter": "user", "creator": "user",
		"resolution": "resolution", "resolutiondate": "datetime", "created": "datetime", "updated": "datetime",
		"lastViewed": "datetime", "statuscategorychangedate": "datetime", "duedate": "date", "parent": "issuelink",
		"security": "securitylevel", "timetracking": "timetracking", "watches": "watches", "votes": "votes",
		"comment": "comments-page", "worklog": "array",
	}
	arr := map[string]string{"labels": "string", "components": "component", "fixVersions": "version", "versions": "version",
		"issuelinks": "issuelinks", "subtasks": "issuelinks", "attachment": "attachment", "worklog": "worklog"}
	if it, ok := arr[id]; ok {
		return map[string]any{"type": "array", "items": it, "system": id}
	}
	if typ, ok := t[id]; ok {
		return map[string]any{"type": typ, "system": id}
	}
	return map[string]any{"type": "string", "system": id}
}

// customFieldList appends the catalogue to GET /field's answer.
func (s *Server) customFieldList(rn render, out []any) []any {
	for _, f := range catalogue {
		n := f.num(rn.cloud)
		m := map[string]any{"id": f.id(rn.cloud), "key": f.id(rn.cloud), "name": f.Name, "custom": true, "orderable": true, "navigable": true,
			"searchable": true, "clauseNames": []string{"cf[" + strconv.Itoa(n) + "]", f.Name}, "schema": f.schema(rn.cloud)}
		if rn.cloud {
			m["untranslatedName"] = f.Name
		}
		out = append(out, m)
	}
	return out
}

// customMeta is a catalogue field's FieldMetadata entry. s.mu held.
func (s *Server) customMeta(f *customField, required bool, p *project, issueKey string) map[string]any {
	rn := s.rnd()
	ops := []string{"set"}
	if f.multi() {
		ops = []string{"add", "set", "remove"}
	}
	m := map[string]any{"required": required, "schema": f.schema(rn.cloud), "name": f.Name, "key": f.id(rn.cloud), "operations": ops, "hasDefaultValue": false}
	switch f.Kind {
	case cfSelect, cfMulti, cfCascade:
		var vals []any
		for _, o := range f.Options {
			vals = append(vals, rn.optionJSON(o, f.Kind == cfCascade))
		}
		m["allowedValues"] = vals
		if f.Slot == "platforms" {
			// A default, as an admin sets one in the field configuration;
			// Severity has none, so a Bug created without it is refused.
			m["hasDefaultValue"] = true
			m["defaultValue"] = []any{rn.optionJSON(f.Options[0], false)}
		}
	case cfVersions:
		var vals []any
		for _, v := range p.Versions {
			vals = append(vals, rn.versionJSON(v))
		}
		m["allowedValues"] = vals
	case cfUser, cfUsers:
		u := rn.base + "/rest/api/1.0/users/picker?fieldName=" + f.id(rn.cloud) + "&showAvatar=true&query="
		m["autoCompleteUrl"] = u
	case cfLabels:
		m["autoCompleteUrl"] = rn.base + "/rest/api/1.0/labels/suggest?customFieldId=" + strconv.Itoa(f.num(rn.cloud)) + "&query="
	case cfChecklist:
		m["operations"] = []string{}
	}
	return m
}

// moreEditMeta adds the catalogue, the estimate and time tracking to an
// editmeta answer. s.mu held.
func (s *Server) moreEditMeta(fields map[string]any, i *issue) {
	for _, f := range catalogue {
		fields[f.id(s.cloud)] = s.customMeta(f, false, i.Project, i.Key)
	}
	pid, pname := s.rnd().pointsField()
	fields[pid] = map[string]any{"required": false, "schema": map[string]any{"type": "number", "custom": pointsPlugin(s.cloud), "customId": mustNum(pid)},
		"name": pname, "key": pid, "operations": []string{"set"}, "hasDefaultValue": false}
	fields[s.rnd().sprintField()] = map[string]any{"required": false, "schema": map[string]any{"type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint", "customId": mustNum(s.rnd().sprintField())},
		"name": "Sprint", "key": s.rnd().sprintField(), "operations": []string{"set"}, "hasDefaultValue": false}
	fields["timetracking"] = map[string]any{"required": false, "schema": map[string]any{"type": "timetracking", "system": "timetracking"},
		"name": "Time tracking", "key": "timetracking", "operations": []string{"set", "edit"}, "hasDefaultValue": false}
}

// moreCreateMeta adds the catalogue to a createmeta page for issue type
// it, required where SetRequiredOnCreate said so. s.mu held.
func (s *Server) moreCreateMeta(items []any, it *issueType, p *project) []any {
	req := s.more.required[it.Name]
	for _, f := range catalogue {
		m := s.customMeta(f, req[f.Slot], p, "")
		m["fieldId"] = f.id(s.cloud)
		items = append(items, m)
	}
	return items
}

func pointsPlugin(cloud bool) string {
	if cloud {
		return "com.pyxis.greenhopper.jira:jsw-story-points"
	}
	return cfPrefix + "float"
}

func mustNum(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "customfield_"))
	return n
}

// isMoreField says whether id is a field this file lets edit and create
// set (catalogue fields, the estimate, the sprint, time tracking).
func (s *Server) isMoreField(id string) bool {
	rn := s.rnd()
	if rn.customByID(id) != nil {
		return rn.customByID(id).Kind != cfChecklist
	}
	pid, _ := rn.pointsField()
	return id == pid || id == rn.sprintField() || id == "timetracking"
}

// applyMoreOp applies set/add/remove to a field this file owns; handled is
// false for other fields. The message is Jira's words for a refused value.
// s.mu held.
func (s *Server) applyMoreOp(i *issue, field, verb string, raw json.RawMessage) (msg string, handled bool) {
	rn := s.rnd()
	null := string(raw) == "null"
	if pid, _ := rn.pointsField(); field == pid {
		if verb != "set" {
			return opRefused(field, verb, false), true
		}
		if null {
			delete(i.extra().values, "points")
			return "", true
		}
		var n float64
		if json.Unmarshal(raw, &n) != nil {
			return "Operation value must be a number", true
		}
		i.extra().values["points"] = n
		return "", true
	}
	if field == rn.sprintField() {
		return s.applySprintOp(i, verb, raw), true
	}
	if field == "timetracking" {
		return s.applyTimeTracking(i, verb, raw), true
	}
	f := rn.customByID(field)
	if f == nil {
		return "", false
	}
	if verb != "set" && (!f.multi() || verb != "add" && verb != "remove") {
		return opRefused(field, verb, f.multi()), true
	}
	x := i.extra()
	if null || string(raw) == "[]" {
		if verb == "set" {
			delete(x.values, f.Slot)
			return "", true
		}
	}
	switch f.Kind {
	case cfText, cfURL:
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return "Operation value must be a string", true
		}
		if f.Kind == cfURL && v != "" && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
			return "Not a valid URL", true
		}
		if len([]rune(v)) > 255 {
			return "The entered text is too long. It exceeds the allowed limit of 255 characters.", true
		}
		x.values[f.Slot] = v
	case cfTextarea:
		n, m := s.parseBody(raw)
		if m != "" {
			return m, true
		}
		x.values[f.Slot] = n
	case cfNumber:
		var n float64
		if json.Unmarshal(raw, &n) != nil {
			return "Operation value must be a number", true
		}
		x.values[f.Slot] = n
	case cfDate:
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return "Operation value must be a string", true
		}
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return "Error parsing date string: " + v, true
		}
		x.values[f.Slot] = v
	case cfDateTime:
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return "Operation value must be a string", true
		}
		t, err := time.Parse(jiraTime, v)
		if err != nil {
			return "Error parsing time: " + v, true
		}
		x.values[f.Slot] = t
	case cfSelect:
		o, m := findOption(f.Options, raw, f.Name)
		if m != "" {
			return m, true
		}
		x.values[f.Slot] = o
	case cfCascade:
		o, m := findOption(f.Options, raw, f.Name)
		if m != "" {
			return m, true
		}
		c := &cascade{Parent: o}
		var w struct {
			Child json.RawMessage `json:"child"`
		}
		_ = json.Unmarshal(raw, &w)
		if len(w.Child) > 0 && string(w.Child) != "null" {
			ch, m := findOption(o.Children, w.Child, f.Name)
			if m != "" {
				return "Option value '" + strings.Trim(string(w.Child), "{}") + "' is not valid for parent option '" + o.Value + "'", true
			}
			c.Child = ch
		}
		x.values[f.Slot] = c
	case cfMulti:
		cur, _ := x.values[f.Slot].([]*cfOption)
		items, m := splitItems(raw, verb)
		if m != "" {
			return m, true
		}
		var picked []*cfOption
		for _, it := range items {
			o, m := findOption(f.Options, it, f.Name)
			if m != "" {
				return m, true
			}
			picked = append(picked, o)
		}
		x.values[f.Slot] = mergeList(cur, picked, verb, func(a, b *cfOption) bool { return a == b })
	case cfUser:
		id, ok := s.userRef(raw)
		if !ok {
			return "Specify a valid value for " + f.Name, true
		}
		u := s.findUser(id)
		if u == nil {
			return "User '" + id + "' does not exist.", true
		}
		x.values[f.Slot] = u
	case cfUsers:
		cur, _ := x.values[f.Slot].([]*user)
		items, m := splitItems(raw, verb)
		if m != "" {
			return m, true
		}
		var picked []*user
		for _, it := range items {
			id, ok := s.userRef(it)
			if !ok {
				return "Specify a valid value for " + f.Name, true
			}
			u := s.findUser(id)
			if u == nil {
				return "User '" + id + "' does not exist.", true
			}
			picked = append(picked, u)
		}
		x.values[f.Slot] = mergeList(cur, picked, verb, func(a, b *user) bool { return a == b })
	case cfGroup:
		var g struct {
			Name    string `json:"name"`
			GroupID string `json:"groupId"`
		}
		if json.Unmarshal(raw, &g) != nil {
			return "Specify a valid value for " + f.Name, true
		}
		found := ""
		for _, gg := range groups {
			if gg.Name == g.Name || (g.GroupID != "" && gg.ID == g.GroupID) {
				found = gg.Name
			}
		}
		if found == "" {
			return "Group '" + g.Name + "' does not exist.", true
		}
		x.values[f.Slot] = found
	case cfVersions:
		cur, _ := x.values[f.Slot].([]*version)
		items, m := splitItems(raw, verb)
		if m != "" {
			return m, true
		}
		var picked []*version
		for _, it := range items {
			ref, m := s.parseNamed(it, f.Name)
			if m != "" {
				return m, true
			}
			var hit *version
			for _, v := range i.Project.Versions {
				if v.ID == ref || strings.EqualFold(v.Name, ref) {
					hit = v
				}
			}
			if hit == nil {
				return "Version name '" + ref + "' is not valid", true
			}
			picked = append(picked, hit)
		}
		x.values[f.Slot] = mergeList(cur, picked, verb, func(a, b *version) bool { return a == b })
	case cfLabels:
		vals, m := labelArgs(raw, verb)
		if m != "" {
			return m, true
		}
		cur, _ := x.values[f.Slot].([]string)
		x.values[f.Slot] = mergeList(cur, vals, verb, func(a, b string) bool { return a == b })
	case cfTeam:
		var id string
		if json.Unmarshal(raw, &id) != nil {
			var n json.Number
			if json.Unmarshal(raw, &n) != nil {
				return "Team id must be a string", true
			}
			id = n.String()
		}
		for _, t := range s.teams() {
			if t.ID == id {
				x.values[f.Slot] = t
				return "", true
			}
		}
		return "Team with id '" + id + "' does not exist.", true
	}
	if l, ok := x.values[f.Slot].([]*cfOption); ok && len(l) == 0 {
		delete(x.values, f.Slot)
	}
	return "", true
}

func opRefused(field, verb string, multi bool) string {
	if multi {
		return "Field '" + field + "' does not support operation '" + verb + "' Supported operation(s) are: 'add,set,remove'"
	}
	return "Field '" + field + "' does not support operation '" + verb + "' Supported operation(s) are: 'set'"
}

// splitItems reads a set's array, or an add/remove's single item.
func splitItems(raw json.RawMessage, verb string) ([]json.RawMessage, string) {
	if verb != "set" {
		return []json.RawMessage{raw}, ""
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, "Operation value must be an array"
	}
	return items, ""
}

func mergeList[T any](cur, picked []T, verb string, eq func(a, b T) bool) []T {
	has := func(l []T, x T) bool {
		for _, e := range l {
			if eq(e, x) {
				return true
			}
		}
		return false
	}
	switch verb {
	case "set":
		var out []T
		for _, p := range picked {
			if !has(out, p) {
				out = append(out, p)
			}
		}
		return out
	case "add":
		out := append([]T(nil), cur...)
		for _, p := range picked {
			if !has(out, p) {
				out = append(out, p)
			}
		}
		return out
	}
	var out []T
	for _, c := range cur {
		if !has(picked, c) {
			out = append(out, c)
		}
	}
	return out
}

// findOption resolves {"id"} or {"value"} against options, with Jira's
// words for a value that is not one of them.
func findOption(options []*cfOption, raw json.RawMessage, name string) (*cfOption, string) {
	var o struct {
		ID    json.RawMessage `json:"id"`
		Value *string         `json:"value"`
	}
	if json.Unmarshal(raw, &o) != nil || (len(o.ID) == 0 && o.Value == nil) {
		return nil, "Could not find valid 'id' or 'value' in the Parent Option object."
	}
	if len(o.ID) > 0 {
		id := strings.Trim(string(o.ID), `"`)
		for _, op := range options {
			if op.ID == id {
				return op, ""
			}
		}
		return nil, "Option id '" + id + "' is not valid"
	}
	for _, op := range options {
		if op.Value == *o.Value {
			return op, ""
		}
	}
	return nil, "Option value '" + *o.Value + "' is not valid"
}

// applySprintOp sets the sprint field: a sprint id (number), null clears.
// s.mu held.
func (s *Server) applySprintOp(i *issue, verb string, raw json.RawMessage) string {
	if verb != "set" {
		return opRefused(s.rnd().sprintField(), verb, false)
	}
	if string(raw) == "null" {
		i.Sprint = nil
		return ""
	}
	var id int
	if json.Unmarshal(raw, &id) != nil {
		return "Number value expected as the Sprint id."
	}
	sp := s.sprintByID(strconv.Itoa(id))
	if sp == nil {
		return "Sprint with id " + strconv.Itoa(id) + " does not exist."
	}
	if sp.State == "closed" {
		return "Issue can be assigned only active or future sprints."
	}
	i.Sprint = sp
	return ""
}

// requiredMissing adds Jira's "is required" error for each required custom
// field a create left out. s.mu held.
func (s *Server) requiredMissing(it *issueType, fields map[string]json.RawMessage, errs map[string]string) {
	if it == nil {
		return
	}
	for slot := range s.more.required[it.Name] {
		f := catalogueField(slot)
		id := f.id(s.cloud)
		raw, ok := fields[id]
		if !ok || string(raw) == "null" {
			errs[id] = f.Name + " is required."
		}
	}
}

// --- test accessors ---------------------------------------------------------------------

// FieldIDs maps the catalogue's field names to this flavour's ids
// ("Severity" -> "customfield_10047"), plus "Story points" (the
// estimation field) and "Sprint".
func (s *Server) FieldIDs() map[string]string {
	rn := s.rnd()
	m := map[string]string{}
	for _, f := range catalogue {
		m[f.Name] = f.id(rn.cloud)
	}
	pid, _ := rn.pointsField()
	m["Story points"] = pid
	m["Sprint"] = rn.sprintField()
	return m
}

// CustomValues returns an issue's custom field values as plain text by
// field name, flavour-neutral: options by value ("S2 - Major"), a
// cascading select as "Parent / Child", users by username, groups, teams
// and versions by name, dates as 2006-01-02, datetimes in RFC 3339,
// numbers as written, rich text as plain text; lists joined with ", ".
// "Story points" and "Sprint" are included when set.
func (s *Server) CustomValues(key string) (map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.lookup(key)
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	if v, ok := s.storyPoints(i); ok {
		out["Story points"] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	if i.Sprint != nil {
		out["Sprint"] = i.Sprint.Name
	}
	if i.more == nil {
		return out, true
	}
	for _, f := range catalogue {
		v, ok := i.more.values[f.Slot]
		if !ok {
			continue
		}
		out[f.Name] = plainValue(v)
	}
	return out, true
}

func plainValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.Format(time.RFC3339)
	case *node:
		return plainText(x)
	case *cfOption:
		return x.Value
	case []*cfOption:
		var p []string
		for _, o := range x {
			p = append(p, o.Value)
		}
		return strings.Join(p, ", ")
	case *cascade:
		if x.Child != nil {
			return x.Parent.Value + " / " + x.Child.Value
		}
		return x.Parent.Value
	case *user:
		return x.Name
	case []*user:
		var p []string
		for _, u := range x {
			p = append(p, u.Name)
		}
		return strings.Join(p, ", ")
	case []*version:
		var p []string
		for _, ver := range x {
			p = append(p, ver.Name)
		}
		return strings.Join(p, ", ")
	case []string:
		c := append([]string{}, x...)
		sort.Strings(c)
		return strings.Join(c, ", ")
	case *team:
		return x.Title
	}
	return fmt.Sprint(v)
}

// Teams lists the site's teams as id -> name.
func (s *Server) Teams() map[string]string {
	m := map[string]string{}
	for _, t := range s.teams() {
		m[t.ID] = t.Title
	}
	return m
}

// SetRequiredOnCreate makes the catalogue field named name required on the
// create screen of issue type typeName, or not (none is, at first).
func (s *Server) SetRequiredOnCreate(typeName, name string, required bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range catalogue {
		if f.Name == name {
			if s.more.required[typeName] == nil {
				s.more.required[typeName] = map[string]bool{}
			}
			if required {
				s.more.required[typeName][f.Slot] = true
			} else {
				delete(s.more.required[typeName], f.Slot)
			}
			return nil
		}
	}
	return fmt.Errorf("fakejira: no custom field named %q", name)
}

// SetOnDoneScreen puts the catalogue field named name on the Done
// transition's screen, required or not, as an admin adds a field to a
// transition screen; remove takes it off. None is there at first.
func (s *Server) SetOnDoneScreen(name string, required, remove bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range catalogue {
		if f.Name == name {
			if s.more.doneScreen == nil {
				s.more.doneScreen = map[string]bool{}
			}
			if remove {
				delete(s.more.doneScreen, f.Slot)
			} else {
				s.more.doneScreen[f.Slot] = required
			}
			return nil
		}
	}
	return fmt.Errorf("fakejira: no custom field named %q", name)
}

// doneScreenFields adds the catalogue fields SetOnDoneScreen put on the
// Done screen to its field metadata. s.mu held.
func (s *Server) doneScreenFields(fields map[string]any, i *issue) {
	for _, f := range catalogue {
		if req, ok := s.more.doneScreen[f.Slot]; ok {
			fields[f.id(s.cloud)] = s.customMeta(f, req, i.Project, i.Key)
		}
	}
}

// doneScreenField says whether id is a catalogue field on the Done
// screen, and whether it is required there. s.mu held.
func (s *Server) doneScreenField(id string) (on, required bool) {
	f := s.rnd().customByID(id)
	if f == nil {
		return false, false
	}
	required, on = s.more.doneScreen[f.Slot]
	return on, required
}

var _ = http.StatusOK
