package jiraclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// This file is the one place where field values become Jira's JSON for a
// write: edit (PUT issue), create (POST issue) and transition screens
// (POST transitions) all take what EncodeField and EncodeChanges build.
// The forms, per the REST docs' "field input formats" and the captures in
// testdata:
//
//	text, URL                     "text"
//	rich text                     ADF document (Cloud) / wiki string (DC)
//	number                        3.5 (null clears)
//	date / datetime               "2026-03-02" / "2026-03-02T09:30:00.000+0000"
//	option                        {"id":"10021"} or {"value":"S2"}
//	options                       [{"id":..}, ...]
//	cascading select              {"id":"1","child":{"id":"2"}} (or by value)
//	user / users                  {"accountId":..} (Cloud) / {"name":..} (DC)
//	group / groups                {"name":..}
//	version(s), components        {"id":..} or {"name":..}
//	labels                        ["a","b"]
//	sprint                        the sprint id, a number
//	team                          the team id, a string
//	parent                        {"key":"ABC-1"}; DC Epic Link: "ABC-1"
//	priority, resolution, ...     {"id":..} or {"name":..}
//	time tracking                 {"originalEstimate":"1d","remainingEstimate":"4h"}

// FieldChange is one change to a field: Op "set" (the default) replaces the
// value, "add" and "remove" change multi-value fields (labels, options,
// versions, components, users, groups) item by item so concurrent edits by
// others are kept. Schema comes from editmeta, createmeta or GET /field.
type FieldChange struct {
	ID     string
	Schema FieldSchema
	Op     string // "set", "add" or "remove"
	Value  FieldValue
}

// multiKind says whether add/remove apply.
func multiKind(k FieldKind) bool {
	switch k {
	case FieldOptions, FieldUsers, FieldGroups, FieldVersions, FieldComponents, FieldLabels:
		return true
	}
	return false
}

// errEncode is a value jiffy cannot write; it becomes a KindInvalid *Error
// naming the field.
type errEncode struct{ what string }

func (e errEncode) Error() string { return e.what }

// EncodeField turns v into the JSON value (ready for json.Marshal) a set
// of a field with schema s takes on flavour f. An empty v clears the field
// (null; [] for multi-value fields). The field's kind comes from s, not
// from v.Kind, so a value read from one field can be written to another of
// the same type.
func EncodeField(f Flavor, s FieldSchema, v FieldValue) (any, error) {
	k := kindOf(s)
	if k == FieldOther && v.Kind != FieldOther {
		k = v.Kind // a schema jiffy does not know, with a typed value: trust the value
	}
	// Emptiness by the field's kind: callers may leave v.Kind unset.
	typed := v
	typed.Kind = k
	if typed.Empty() && k != FieldOther {
		if multiKind(k) {
			return []any{}, nil
		}
		return nil, nil
	}
	switch k {
	case FieldString, FieldURL:
		return v.Text, nil
	case FieldRichText:
		return encodeBody(f, v.Text), nil
	case FieldNumber:
		if v.Number == nil {
			return nil, nil
		}
		return *v.Number, nil
	case FieldDate:
		return v.Time.Format("2006-01-02"), nil
	case FieldDateTime:
		return v.Time.Format("2006-01-02T15:04:05.000-0700"), nil
	case FieldOption, FieldCascade:
		if len(v.Options) != 1 {
			return nil, errEncode{"a single-choice field takes one option"}
		}
		return encodeOption(v.Options[0], k == FieldCascade)
	case FieldOptions:
		out := make([]any, 0, len(v.Options))
		for _, o := range v.Options {
			e, err := encodeOption(o, false)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	case FieldUser:
		if len(v.Users) != 1 {
			return nil, errEncode{"a single-user field takes one user"}
		}
		return encodeUser(f, v.Users[0])
	case FieldUsers:
		out := make([]any, 0, len(v.Users))
		for _, u := range v.Users {
			e, err := encodeUser(f, u)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	case FieldGroup:
		if len(v.Refs) != 1 {
			return nil, errEncode{"a single-group field takes one group"}
		}
		return encodeGroup(v.Refs[0])
	case FieldGroups:
		out := make([]any, 0, len(v.Refs))
		for _, r := range v.Refs {
			e, err := encodeGroup(r)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	case FieldVersion, FieldNamed:
		if len(v.Refs) != 1 {
			return nil, errEncode{"this field takes one value"}
		}
		return encodeRef(v.Refs[0])
	case FieldVersions, FieldComponents:
		out := make([]any, 0, len(v.Refs))
		for _, r := range v.Refs {
			e, err := encodeRef(r)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	case FieldLabels:
		out := make([]string, 0, len(v.Labels))
		for _, l := range v.Labels {
			if err := checkLabel(l); err != nil {
				return nil, err
			}
			out = append(out, l)
		}
		return out, nil
	case FieldSprint:
		// Jira sets one sprint by id; an issue's earlier sprints are history.
		sp := v.Sprints[len(v.Sprints)-1]
		for _, x := range v.Sprints {
			if x.State == "active" || x.State == "future" {
				sp = x
			}
		}
		if sp.ID <= 0 {
			return nil, errEncode{"the sprint has no id: pick it from the board's sprints"}
		}
		return sp.ID, nil
	case FieldTeam:
		if len(v.Refs) != 1 || v.Refs[0].ID == "" {
			return nil, errEncode{"the team has no id: pick it from the team list"}
		}
		return v.Refs[0].ID, nil
	case FieldIssue:
		key := strings.TrimSpace(v.Issue.Key)
		if key == "" && v.Issue.ID == "" {
			return nil, errEncode{"no issue key given"}
		}
		if s.Custom == EpicLinkFieldType {
			if key == "" {
				return nil, errEncode{"the Epic Link takes the epic's key"}
			}
			return key, nil
		}
		if key != "" {
			return map[string]string{"key": key}, nil
		}
		return map[string]string{"id": v.Issue.ID}, nil
	case FieldTimeTracking:
		t := v.Tracking
		m := map[string]string{}
		if t.Original != "" {
			m["originalEstimate"] = t.Original
		} else if t.OriginalSeconds > 0 {
			m["originalEstimate"] = FormatDuration(t.OriginalSeconds)
		}
		if t.Remaining != "" {
			m["remainingEstimate"] = t.Remaining
		} else if t.RemainingSeconds > 0 {
			m["remainingEstimate"] = FormatDuration(t.RemainingSeconds)
		}
		for _, d := range m {
			if _, ok := ParseDuration(d); !ok {
				return nil, errEncode{fmt.Sprintf("%q is not a duration Jira reads (write it like 1h 30m, 2d or 1w)", d)}
			}
		}
		return m, nil
	}
	if v.Kind == FieldOther && v.Text != "" {
		return v.Text, nil // an unknown type that read as text: send the text back
	}
	return nil, errEncode{"jiffy cannot write fields of type " + schemaName(s)}
}

func schemaName(s FieldSchema) string {
	switch {
	case s.Custom != "":
		return s.Custom
	case s.Items != "":
		return s.Type + " of " + s.Items
	case s.Type != "":
		return s.Type
	}
	return "unknown"
}

func encodeOption(o OptionValue, withChild bool) (any, error) {
	m := map[string]any{}
	switch {
	case o.ID != "":
		m["id"] = o.ID
	case o.Value != "":
		m["value"] = o.Value
	default:
		return nil, errEncode{"the option has neither id nor value"}
	}
	if withChild && o.Child != nil {
		c, err := encodeOption(*o.Child, false)
		if err != nil {
			return nil, err
		}
		m["child"] = c
	}
	return m, nil
}

// encodeUser names a user the way the flavour's writes do: accountId on
// Cloud (usernames are gone there), name (the username) on Data Center.
func encodeUser(f Flavor, u User) (any, error) {
	if f == FlavorCloud {
		if u.AccountID == "" {
			return nil, errEncode{"the user " + firstNonEmpty(u.DisplayName, u.Name) + " has no account id: pick them from the user search"}
		}
		return map[string]string{"accountId": u.AccountID}, nil
	}
	if u.Name == "" {
		return nil, errEncode{"the user " + firstNonEmpty(u.DisplayName, u.AccountID) + " has no username: pick them from the user search"}
	}
	return map[string]string{"name": u.Name}, nil
}

func encodeGroup(r Ref) (any, error) {
	if r.Name != "" {
		return map[string]string{"name": r.Name}, nil
	}
	if r.ID != "" {
		return map[string]string{"groupId": r.ID}, nil
	}
	return nil, errEncode{"the group has no name"}
}

func encodeRef(r Ref) (any, error) {
	if r.ID != "" {
		return map[string]string{"id": r.ID}, nil
	}
	if r.Name != "" {
		return map[string]string{"name": r.Name}, nil
	}
	return nil, errEncode{"the value has neither id nor name"}
}

func checkLabel(l string) error {
	switch {
	case l == "":
		return errEncode{"a label cannot be empty"}
	case strings.ContainsAny(l, " \t\n"):
		return errEncode{fmt.Sprintf("the label %q contains spaces, which Jira refuses", l)}
	case len(l) > 255:
		return errEncode{"a label has at most 255 characters"}
	}
	return nil
}

// encodeItems encodes each item of a multi-value change on its own, for
// "add"/"remove" operations (one operation per item).
func encodeItems(f Flavor, s FieldSchema, v FieldValue) ([]any, error) {
	var out []any
	k := kindOf(s)
	switch k {
	case FieldOptions:
		for _, o := range v.Options {
			e, err := encodeOption(o, false)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	case FieldUsers:
		for _, u := range v.Users {
			e, err := encodeUser(f, u)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	case FieldGroups:
		for _, r := range v.Refs {
			e, err := encodeGroup(r)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	case FieldVersions, FieldComponents:
		for _, r := range v.Refs {
			e, err := encodeRef(r)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	case FieldLabels:
		for _, l := range v.Labels {
			if err := checkLabel(l); err != nil {
				return nil, err
			}
			out = append(out, l)
		}
	}
	return out, nil
}

// EncodeChanges builds the "fields" and "update" members of an edit,
// create or transition body from changes: a "set" goes under fields, an
// "add"/"remove" under update as one operation per item. A field changed
// twice is refused (Jira rejects a field named in both members). The error
// is a KindInvalid *Error naming the field.
func EncodeChanges(f Flavor, changes []FieldChange) (fields map[string]any, update map[string][]any, err error) {
	fields = map[string]any{}
	update = map[string][]any{}
	seen := map[string]bool{}
	for _, ch := range changes {
		id := strings.TrimSpace(ch.ID)
		if id == "" {
			return nil, nil, &Error{Kind: KindInvalid, Err: errors.New("a field change has no field id"), hint: "this is a bug in jiffy; please report it"}
		}
		if seen[id] {
			return nil, nil, &Error{Kind: KindInvalid, FieldErrors: map[string]string{id: "changed twice"}, what: "the field " + id + " was changed twice in one request", hint: "change each field once per save"}
		}
		seen[id] = true
		op := ch.Op
		if op == "" {
			op = "set"
		}
		fail := func(err error) error {
			return &Error{Kind: KindInvalid, FieldErrors: map[string]string{id: err.Error()}, Err: err, what: "cannot write the field " + id + ": " + err.Error(), hint: "correct the value and save again"}
		}
		switch op {
		case "set":
			v, err := EncodeField(f, ch.Schema, ch.Value)
			if err != nil {
				return nil, nil, fail(err)
			}
			fields[id] = v
		case "add", "remove":
			if !multiKind(kindOf(ch.Schema)) {
				return nil, nil, fail(errEncode{"only multi-value fields take " + op})
			}
			items, err := encodeItems(f, ch.Schema, ch.Value)
			if err != nil {
				return nil, nil, fail(err)
			}
			for _, it := range items {
				update[id] = append(update[id], map[string]any{op: it})
			}
		default:
			return nil, nil, fail(errEncode{"unknown operation " + strconv.Quote(op)})
		}
	}
	return fields, update, nil
}

// EditFields applies changes to an issue in one request: sets under
// "fields", adds and removes under "update". Only the changes given are
// sent, so fields others changed meanwhile stay as they are. Jira's
// per-field errors come back in the *Error's Fields (errors.As).
//
// Jira REST: PUT /rest/api/{3|2}/issue/{key}
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
func (c *Client) EditFields(ctx context.Context, key string, changes []FieldChange) error {
	f, err := c.ensureFlavor(ctx)
	if err != nil {
		return err
	}
	path := c.api("issue", key)
	if err := checkKey(http.MethodPut, path, key); err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	fields, update, err := EncodeChanges(f, changes)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Method, e.Path = http.MethodPut, path
		}
		return err
	}
	body := map[string]any{}
	if len(fields) > 0 {
		body["fields"] = fields
	}
	if len(update) > 0 {
		body["update"] = update
	}
	return c.call(ctx, request{Method: http.MethodPut, Path: path, Body: body, IssueKey: key, Idempotent: true}, nil)
}
