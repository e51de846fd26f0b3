package jiraclient

// Design note: the field value model.
//
// A Jira field's JSON says little about itself: an option is {"value"},
// a version {"name"}, a user {"accountId"} or {"name"}, a sprint an object
// (Cloud, DC 8+) or a GreenHopper toString (older DC), a textarea an ADF
// document on v3 and a wiki string on v2. Only the field's schema (from
// GET /field, editmeta or createmeta) says which it is, so values are
// decoded by schema into one FieldValue whose Kind names the type and
// whose members hold it typed. The same FieldValue is what a write takes
// (EncodeField), so an editor reads a value, changes it and hands it back
// without knowing Jira's wire forms.
//
// What does not fit a known kind is FieldOther with Text set from the
// value's own words (a string, a number, an object's name/value/title),
// never its raw JSON. Decoding never fails: a value of the wrong shape for
// its schema falls back the same way, so one odd field cannot hide the rest
// of an issue.

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FieldKind is the type of a field's value.
type FieldKind int

// The kinds of field value.
const (
	FieldOther        FieldKind = iota // unknown type: Text holds its words
	FieldString                        // single-line text (Text)
	FieldRichText                      // textarea, description, environment: Text is Markdown
	FieldNumber                        // Number (story points are numbers too)
	FieldDate                          // Time, a calendar day (UTC midnight)
	FieldDateTime                      // Time
	FieldOption                        // one of Options (select, radio buttons)
	FieldOptions                       // Options (multi-select, checkboxes)
	FieldCascade                       // Options[0] is the parent, Options[0].Child the child
	FieldUser                          // Users[0]
	FieldUsers                         // Users
	FieldGroup                         // Refs[0] (Name; ID is Cloud's groupId)
	FieldGroups                        // Refs
	FieldVersion                       // Refs[0]
	FieldVersions                      // Refs (fix versions, affects versions, multi-version pickers)
	FieldComponents                    // Refs
	FieldLabels                        // Labels
	FieldURL                           // Text
	FieldSprint                        // Sprints (an issue may have been in several)
	FieldTeam                          // Refs[0]: a team's id and name
	FieldIssue                         // Issue: parent, or DC's Epic Link (Key only)
	FieldNamed                         // Refs[0]: priority, status, issue type, resolution, project, security level
	FieldTimeTracking                  // Time tracking
)

var fieldKindNames = [...]string{
	FieldOther: "other", FieldString: "string", FieldRichText: "rich text", FieldNumber: "number",
	FieldDate: "date", FieldDateTime: "datetime", FieldOption: "option", FieldOptions: "options",
	FieldCascade: "cascading select", FieldUser: "user", FieldUsers: "users", FieldGroup: "group",
	FieldGroups: "groups", FieldVersion: "version", FieldVersions: "versions", FieldComponents: "components",
	FieldLabels: "labels", FieldURL: "url", FieldSprint: "sprint", FieldTeam: "team", FieldIssue: "issue",
	FieldNamed: "named", FieldTimeTracking: "time tracking",
}

// String names the kind.
func (k FieldKind) String() string {
	if k >= 0 && int(k) < len(fieldKindNames) {
		return fieldKindNames[k]
	}
	return "other"
}

// OptionValue is a custom field option. Child is the second level of a
// cascading select.
type OptionValue struct {
	ID       string
	Value    string
	Disabled bool
	Child    *OptionValue
}

// Ref is a small named thing a field points at: a version, a component, a
// group, a team, a priority. Writes send the ID when set, else the Name.
type Ref struct {
	ID   string
	Name string
}

// SprintRef is a sprint as a sprint field holds it.
type SprintRef struct {
	ID    int
	Name  string
	State string // "active", "closed", "future" (lower case on both flavours)
}

// TimeTracking is an issue's estimates and time spent, in seconds, with
// Jira's own renderings ("3h 20m") when it sent them. Zero seconds with an
// empty text means unset.
type TimeTracking struct {
	OriginalSeconds  int64
	RemainingSeconds int64
	SpentSeconds     int64
	Original         string
	Remaining        string
	Spent            string
}

// FieldValue is one field's value, typed by its schema (see the design
// note above). The zero value is an empty FieldOther.
type FieldValue struct {
	Kind     FieldKind
	Text     string // FieldString, FieldRichText (Markdown), FieldURL, FieldOther
	Number   *float64
	Time     time.Time // FieldDate, FieldDateTime
	Options  []OptionValue
	Users    []User
	Refs     []Ref
	Labels   []string
	Sprints  []SprintRef
	Issue    *IssueRef
	Tracking *TimeTracking
}

// Empty reports whether the field has no value (what a detail view hides).
func (v FieldValue) Empty() bool {
	switch v.Kind {
	case FieldNumber:
		return v.Number == nil
	case FieldDate, FieldDateTime:
		return v.Time.IsZero()
	case FieldOption, FieldOptions, FieldCascade:
		return len(v.Options) == 0
	case FieldUser, FieldUsers:
		return len(v.Users) == 0
	case FieldGroup, FieldGroups, FieldVersion, FieldVersions, FieldComponents, FieldTeam, FieldNamed:
		return len(v.Refs) == 0
	case FieldLabels:
		return len(v.Labels) == 0
	case FieldSprint:
		return len(v.Sprints) == 0
	case FieldIssue:
		return v.Issue == nil
	case FieldTimeTracking:
		t := v.Tracking
		return t == nil || t.OriginalSeconds == 0 && t.RemainingSeconds == 0 && t.SpentSeconds == 0 &&
			t.Original == "" && t.Remaining == "" && t.Spent == ""
	}
	return strings.TrimSpace(v.Text) == ""
}

// Format is the value as a detail view shows it on one line (rich text
// keeps its Markdown lines): options and names joined with ", ", dates as
// 2006-01-02, datetimes in their own zone, numbers without trailing zeros,
// a cascading select as "Parent / Child", sprints active first.
func (v FieldValue) Format() string {
	switch v.Kind {
	case FieldNumber:
		if v.Number == nil {
			return ""
		}
		return strconv.FormatFloat(*v.Number, 'f', -1, 64)
	case FieldDate:
		if v.Time.IsZero() {
			return ""
		}
		return v.Time.Format("2006-01-02")
	case FieldDateTime:
		if v.Time.IsZero() {
			return ""
		}
		return v.Time.Format("2006-01-02 15:04 -0700")
	case FieldOption, FieldOptions:
		parts := make([]string, 0, len(v.Options))
		for _, o := range v.Options {
			parts = append(parts, o.Value)
		}
		return strings.Join(parts, ", ")
	case FieldCascade:
		if len(v.Options) == 0 {
			return ""
		}
		o := v.Options[0]
		if o.Child != nil && o.Child.Value != "" {
			return o.Value + " / " + o.Child.Value
		}
		return o.Value
	case FieldUser, FieldUsers:
		parts := make([]string, 0, len(v.Users))
		for _, u := range v.Users {
			parts = append(parts, firstNonEmpty(u.DisplayName, u.Name, u.AccountID))
		}
		return strings.Join(parts, ", ")
	case FieldGroup, FieldGroups, FieldVersion, FieldVersions, FieldComponents, FieldTeam, FieldNamed:
		parts := make([]string, 0, len(v.Refs))
		for _, r := range v.Refs {
			parts = append(parts, firstNonEmpty(r.Name, r.ID))
		}
		return strings.Join(parts, ", ")
	case FieldLabels:
		return strings.Join(v.Labels, ", ")
	case FieldSprint:
		parts := make([]string, 0, len(v.Sprints))
		for _, s := range v.Sprints {
			if strings.EqualFold(s.State, "active") {
				parts = append([]string{s.Name}, parts...)
			} else {
				parts = append(parts, s.Name)
			}
		}
		return strings.Join(parts, ", ")
	case FieldIssue:
		if v.Issue == nil {
			return ""
		}
		if v.Issue.Summary != "" {
			return v.Issue.Key + " " + v.Issue.Summary
		}
		return v.Issue.Key
	case FieldTimeTracking:
		t := v.Tracking
		if t == nil {
			return ""
		}
		var parts []string
		add := func(label, text string, secs int64) {
			if text == "" && secs > 0 {
				text = FormatDuration(secs)
			}
			if text != "" {
				parts = append(parts, label+" "+text)
			}
		}
		add("original", t.Original, t.OriginalSeconds)
		add("remaining", t.Remaining, t.RemainingSeconds)
		add("spent", t.Spent, t.SpentSeconds)
		return strings.Join(parts, ", ")
	}
	return v.Text
}

// kindOf maps a schema to the kind its values decode to. The custom type
// (the plugin key) decides first, since "string" covers text fields, text
// areas and URLs alike; then the schema type and items.
func kindOf(s FieldSchema) FieldKind {
	const p = "com.atlassian.jira.plugin.system.customfieldtypes:"
	switch s.Custom {
	case p + "textarea":
		return FieldRichText
	case p + "textfield", p + "readonlyfield":
		return FieldString
	case p + "url":
		return FieldURL
	case p + "float", StoryPointsFieldType:
		return FieldNumber
	case p + "datepicker":
		return FieldDate
	case p + "datetime":
		return FieldDateTime
	case p + "select", p + "radiobuttons":
		return FieldOption
	case p + "multiselect", p + "multicheckboxes":
		return FieldOptions
	case p + "cascadingselect":
		return FieldCascade
	case p + "userpicker":
		return FieldUser
	case p + "multiuserpicker":
		return FieldUsers
	case p + "grouppicker":
		return FieldGroup
	case p + "multigrouppicker":
		return FieldGroups
	case p + "version":
		return FieldVersion
	case p + "multiversion":
		return FieldVersions
	case p + "labels":
		return FieldLabels
	case p + "project":
		return FieldNamed
	case SprintFieldType:
		return FieldSprint
	case EpicLinkFieldType:
		return FieldIssue
	case "com.atlassian.teams:rm-teams-custom-field-team", p + "atlassian-team":
		return FieldTeam
	}
	switch s.System {
	case "description", "environment":
		return FieldRichText
	case "parent":
		return FieldIssue
	case "timetracking":
		return FieldTimeTracking
	}
	switch s.Type {
	case "string":
		return FieldString
	case "number":
		return FieldNumber
	case "date":
		return FieldDate
	case "datetime":
		return FieldDateTime
	case "option":
		return FieldOption
	case "option-with-child":
		return FieldCascade
	case "user":
		return FieldUser
	case "group":
		return FieldGroup
	case "version":
		return FieldVersion
	case "team":
		return FieldTeam
	case "issuelink":
		return FieldIssue
	case "timetracking":
		return FieldTimeTracking
	case "priority", "status", "issuetype", "resolution", "project", "securitylevel", "component":
		return FieldNamed
	case "array":
		switch s.Items {
		case "option":
			return FieldOptions
		case "user":
			return FieldUsers
		case "group":
			return FieldGroups
		case "version":
			return FieldVersions
		case "component":
			return FieldComponents
		case "string":
			return FieldLabels
		}
	}
	return FieldOther
}

// FieldKindOf is the kind of value a field with schema s holds.
func FieldKindOf(s FieldSchema) FieldKind { return kindOf(s) }

// wireOption is an option as Jira sends it: {"id","value","child"} (the
// id a string on both flavours, a number in some plugins' payloads).
type wireOption struct {
	ID       flexString  `json:"id"`
	Value    string      `json:"value"`
	Name     string      `json:"name"`
	Disabled bool        `json:"disabled"`
	Child    *wireOption `json:"child"`
}

func (w *wireOption) option() OptionValue {
	o := OptionValue{ID: string(w.ID), Value: firstNonEmpty(w.Value, w.Name), Disabled: w.Disabled}
	if w.Child != nil {
		c := w.Child.option()
		o.Child = &c
	}
	return o
}

// wireRefValue is any small named object: version, component, group,
// team, priority, status ...
type wireRefValue struct {
	ID          flexString `json:"id"`
	GroupID     string     `json:"groupId"`
	Key         string     `json:"key"`
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Value       string     `json:"value"`
	DisplayName string     `json:"displayName"`
}

func (w *wireRefValue) ref() Ref {
	return Ref{ID: firstNonEmpty(string(w.ID), w.GroupID), Name: firstNonEmpty(w.Name, w.Title, w.DisplayName, w.Value, w.Key)}
}

// DecodeFieldValue decodes one field's JSON value by its schema. It never
// fails: null and missing values are empty, and a value of an unexpected
// shape comes back as FieldOther with its text (see the design note).
func DecodeFieldValue(s FieldSchema, raw json.RawMessage) FieldValue {
	raw = bytes.TrimSpace(raw)
	kind := kindOf(s)
	v := FieldValue{Kind: kind}
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return v
	}
	ok := true
	switch kind {
	case FieldString, FieldURL:
		v.Text, ok = jsonString(raw)
	case FieldRichText:
		if raw[0] != '"' && raw[0] != '{' {
			ok = false
			break
		}
		v.Text = rawBody(raw).markdown()
	case FieldNumber:
		var n float64
		if ok = decodeNumber(raw, &n); ok {
			v.Number = &n
		}
	case FieldDate, FieldDateTime:
		var str string
		if str, ok = jsonString(raw); ok {
			v.Time, ok = parseJiraTime(str)
		}
	case FieldOption, FieldCascade:
		var o wireOption
		if ok = raw[0] == '{' && unmarshalLoose(raw, &o) == nil && (o.Value != "" || o.Name != "" || o.ID != ""); ok {
			v.Options = []OptionValue{o.option()}
		}
	case FieldOptions:
		var os []wireOption
		if ok = raw[0] == '[' && unmarshalLoose(raw, &os) == nil; ok {
			for i := range os {
				v.Options = append(v.Options, os[i].option())
			}
		}
	case FieldUser:
		var u User
		if ok = raw[0] == '{' && unmarshalLoose(raw, &u) == nil && userOrNil(&u) != nil; ok {
			v.Users = []User{u}
		}
	case FieldUsers:
		var us []User
		if ok = raw[0] == '[' && unmarshalLoose(raw, &us) == nil; ok {
			v.Users = us
		}
	case FieldGroup, FieldVersion, FieldTeam, FieldNamed:
		var r wireRefValue
		switch raw[0] {
		case '{':
			if ok = unmarshalLoose(raw, &r) == nil; ok {
				if rr := r.ref(); rr != (Ref{}) {
					v.Refs = []Ref{rr}
				}
			}
		case '"':
			// DC's team field and some plugins send the bare id.
			var id string
			if ok = kind == FieldTeam && json.Unmarshal(raw, &id) == nil; ok && id != "" {
				v.Refs = []Ref{{ID: id}}
			}
		default:
			if kind == FieldTeam && decodeNumber(raw, new(float64)) {
				v.Refs = []Ref{{ID: string(raw)}}
			} else {
				ok = false
			}
		}
	case FieldGroups, FieldVersions, FieldComponents:
		var rs []wireRefValue
		if ok = raw[0] == '[' && unmarshalLoose(raw, &rs) == nil; ok {
			for i := range rs {
				v.Refs = append(v.Refs, rs[i].ref())
			}
		}
	case FieldLabels:
		ok = raw[0] == '[' && unmarshalLoose(raw, &v.Labels) == nil
	case FieldSprint:
		v.Sprints, ok = decodeSprints(raw)
	case FieldIssue:
		switch raw[0] {
		case '"': // DC's Epic Link: the epic's key
			var k string
			if ok = json.Unmarshal(raw, &k) == nil; ok && k != "" {
				v.Issue = &IssueRef{Key: k}
			}
		case '{':
			var r wireRef
			if ok = unmarshalLoose(raw, &r) == nil; ok && r.Key != "" {
				ir := r.ref()
				v.Issue = &ir
			}
		default:
			ok = false
		}
	case FieldTimeTracking:
		var t struct {
			Original         string  `json:"originalEstimate"`
			Remaining        string  `json:"remainingEstimate"`
			Spent            string  `json:"timeSpent"`
			OriginalSeconds  flexInt `json:"originalEstimateSeconds"`
			RemainingSeconds flexInt `json:"remainingEstimateSeconds"`
			SpentSeconds     flexInt `json:"timeSpentSeconds"`
		}
		if ok = raw[0] == '{' && unmarshalLoose(raw, &t) == nil; ok {
			v.Tracking = &TimeTracking{OriginalSeconds: int64(t.OriginalSeconds), RemainingSeconds: int64(t.RemainingSeconds),
				SpentSeconds: int64(t.SpentSeconds), Original: t.Original, Remaining: t.Remaining, Spent: t.Spent}
		}
	default:
		ok = false
	}
	if !ok {
		if t, counted := countText(s, raw); counted {
			return FieldValue{Kind: FieldOther, Text: t}
		}
		return FieldValue{Kind: FieldOther, Text: valueText(raw, 0)}
	}
	return v
}

// countText sums up the system fields that are collections shown in
// their own panes (watchers, votes, comments, worklogs, links,
// attachments, sub-tasks) as a count: "2 watchers".
func countText(s FieldSchema, raw []byte) (string, bool) {
	plural := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + one + "s"
	}
	var obj struct {
		WatchCount *flexInt `json:"watchCount"`
		Votes      *flexInt `json:"votes"`
		Total      *flexInt `json:"total"`
	}
	switch {
	case s.Type == "watches" || s.Type == "votes" || s.Type == "comments-page" || s.Items == "worklog" || s.System == "worklog":
		if raw[0] != '{' || unmarshalLoose(raw, &obj) != nil {
			return "", false
		}
		switch {
		case obj.WatchCount != nil:
			return plural(int(*obj.WatchCount), "watcher"), true
		case obj.Votes != nil:
			return plural(int(*obj.Votes), "vote"), true
		case obj.Total != nil && s.Type == "comments-page":
			return plural(int(*obj.Total), "comment"), true
		case obj.Total != nil:
			return plural(int(*obj.Total), "worklog"), true
		}
	case s.Type == "array" && (s.Items == "issuelinks" || s.Items == "attachment"):
		var items []json.RawMessage
		if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			return "", false
		}
		one := map[string]string{"issuelinks": "issue", "attachment": "attachment"}[s.Items]
		if s.System == "issuelinks" {
			one = "link"
		}
		return plural(len(items), one), true
	}
	return "", false
}

// jsonString reads a JSON string. Most values have no escapes, so they
// are sliced out without a pass through encoding/json (a page of custom
// fields holds thousands); anything else takes the full decoder.
func jsonString(raw []byte) (string, bool) {
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' {
		return "", false
	}
	plain := true
	for _, c := range raw[1 : n-1] {
		if c == '\\' || c == '"' || c < 0x20 || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return string(raw[1 : n-1]), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// decodeNumber reads a JSON number, or a number in a string (some DC
// plugins quote them).
func decodeNumber(raw []byte, n *float64) bool {
	s := strings.Trim(string(raw), `"`)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || s == "" {
		return false
	}
	*n = f
	return true
}

// decodeSprints reads a sprint field: objects {id,name,state} (Cloud, DC
// 8+) or GreenHopper strings "...Sprint@1f[id=1,rapidViewId=1,state=ACTIVE,name=Sprint 1,...]"
// (older DC).
func decodeSprints(raw []byte) ([]SprintRef, bool) {
	var items []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	var out []SprintRef
	for _, it := range items {
		var obj struct {
			ID    flexInt `json:"id"`
			Name  string  `json:"name"`
			State string  `json:"state"`
		}
		var s string
		switch {
		case len(it) > 0 && it[0] == '{' && unmarshalLoose(it, &obj) == nil && obj.Name != "":
			out = append(out, SprintRef{ID: int(obj.ID), Name: obj.Name, State: strings.ToLower(obj.State)})
		case json.Unmarshal(it, &s) == nil:
			name := legacySprintAttr(s, "name")
			if name == "" {
				continue
			}
			id, _ := strconv.Atoi(legacySprintAttr(s, "id"))
			out = append(out, SprintRef{ID: id, Name: name, State: strings.ToLower(legacySprintAttr(s, "state"))})
		}
	}
	return out, true
}

// valueText is the words of a value of unknown type: a string as is, a
// number or boolean as written, an object's name (or value, title, key,
// displayName; an ADF document as Markdown), an array's items joined. Raw
// JSON never comes back.
func valueText(raw []byte, depth int) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth > 4 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return ""
		}
		if t, ok := m["type"]; ok && string(t) == `"doc"` {
			return rawBody(raw).markdown()
		}
		for _, k := range []string{"displayName", "name", "value", "title", "key", "label", "text"} {
			if x, ok := m[k]; ok {
				if s := valueText(x, depth+1); s != "" {
					if k == "value" {
						if c, ok := m["child"]; ok {
							if cs := valueText(c, depth+1); cs != "" {
								s += " / " + cs
							}
						}
					}
					return s
				}
			}
		}
		return ""
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return ""
		}
		parts := make([]string, 0, len(items))
		for _, it := range items {
			if s := valueText(it, depth+1); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	case 'n':
		return ""
	case 't', 'f':
		if string(raw) == "true" {
			return "yes"
		}
		return "no"
	default:
		var n float64
		if decodeNumber(raw, &n) {
			return strconv.FormatFloat(n, 'f', -1, 64)
		}
	}
	return ""
}

// DecodeFieldValues decodes an issue's "fields" object by the site's
// schemas (from Fields). Fields the site does not list decode as
// FieldOther; null values are left out.
func DecodeFieldValues(fs *Fields, fields map[string]json.RawMessage) map[string]FieldValue {
	out := make(map[string]FieldValue, len(fields))
	for id, raw := range fields {
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		var s FieldSchema
		if fs != nil {
			s = fs.Schema(id)
		}
		out[id] = DecodeFieldValue(s, raw)
	}
	return out
}

// SortedFieldIDs lists the ids of values in the order a detail view shows
// them: system fields by name, then custom fields by name (names from fs).
func SortedFieldIDs(fs *Fields, values map[string]FieldValue) []string {
	ids := make([]string, 0, len(values))
	for id := range values {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		ci, cj := strings.HasPrefix(ids[i], "customfield_"), strings.HasPrefix(ids[j], "customfield_")
		if ci != cj {
			return !ci
		}
		ni, nj := strings.ToLower(fs.Name(ids[i])), strings.ToLower(fs.Name(ids[j]))
		if ni != nj {
			return ni < nj
		}
		return ids[i] < ids[j]
	})
	return ids
}

// FormatDuration writes seconds the way Jira does, in weeks, days, hours
// and minutes of a default working week (5 days of 8 hours): 5400 ->
// "1h 30m", 28800 -> "1d". Sites configured otherwise send their own text,
// which the types here keep.
func FormatDuration(secs int64) string {
	if secs <= 0 {
		return "0m"
	}
	mins := secs / 60
	units := []struct {
		n    int64
		name string
	}{{5 * 8 * 60, "w"}, {8 * 60, "d"}, {60, "h"}, {1, "m"}}
	var parts []string
	for _, u := range units {
		if mins >= u.n {
			parts = append(parts, strconv.FormatInt(mins/u.n, 10)+u.name)
			mins %= u.n
		}
	}
	if len(parts) == 0 {
		return "0m"
	}
	return strings.Join(parts, " ")
}

// ParseDuration reads a duration as Jira writes it ("1h 30m", "2d", "1w
// 2d 4h", "90m", a bare number of minutes) into seconds, with a 5-day week
// of 8-hour days. ok is false for anything else, so a typo is refused
// before Jira answers with its own error.
func ParseDuration(s string) (int64, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 0 {
		return int64(n * 60), true
	}
	var total float64
	for _, part := range strings.Fields(s) {
		if len(part) < 2 {
			return 0, false
		}
		n, err := strconv.ParseFloat(part[:len(part)-1], 64)
		if err != nil || n < 0 {
			return 0, false
		}
		switch part[len(part)-1] {
		case 'w':
			total += n * 5 * 8 * 3600
		case 'd':
			total += n * 8 * 3600
		case 'h':
			total += n * 3600
		case 'm':
			total += n * 60
		default:
			return 0, false
		}
	}
	if total <= 0 {
		return 0, false
	}
	return int64(total), true
}
