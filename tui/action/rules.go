package action

import "github.com/jiffy-tui/jiffy/jiraclient"

// The rules below are the overlays' own, exported so the command line
// (tui/cli) validates and encodes exactly as the screens do.

// ParseLabels reads "a +b -c": a and b are added, c removed.
func ParseLabels(s string) (add, remove []string) { return parseLabels(s) }

// NeedsForm reports whether Jira wants values before moving through t: a
// required field with no default (the comment aside).
func NeedsForm(t jiraclient.Transition) bool { return needsForm(t) }

// EncodeValue is how Jira wants an allowed value of field m sent.
func EncodeValue(m jiraclient.FieldMeta, v jiraclient.AllowedValue) any { return encodeValue(m, v) }

// ValueName is what an allowed value is called on screen.
func ValueName(v jiraclient.AllowedValue) string { return valueName(v) }
