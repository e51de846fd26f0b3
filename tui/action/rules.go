package action

import (
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/fields"
)

// The rules below are the overlays' own, exported so the command line
// (tui/cli) validates and encodes exactly as the screens do.

// ParseLabels reads "a +b -c": a and b are added, c removed.
func ParseLabels(s string) (add, remove []string) { return parseLabels(s) }

// NeedsForm reports whether Jira wants values before moving through t: a
// required field with no default (the comment aside).
func NeedsForm(t jiraclient.Transition) bool { return needsForm(t) }

// Choose is the change that sets field id (meta m) to the allowed value
// v, as the forms send it (jiraclient's EncodeChanges writes the JSON).
func Choose(id string, m jiraclient.FieldMeta, v jiraclient.AllowedValue) jiraclient.FieldChange {
	return jiraclient.FieldChange{ID: id, Schema: m.Schema, Op: "set", Value: fields.Chosen(m, v)}
}

// ValueName is what an allowed value is called on screen.
func ValueName(v jiraclient.AllowedValue) string { return valueName(v) }
