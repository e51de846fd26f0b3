package detail

// The field section: every field Jira returned that the page does not draw
// elsewhere, named as the site names it (GET /field, through Issue.Names)
// and formatted by its type (jiraclient.FieldValue.Format). Single-line
// values form a table under "Fields"; rich-text fields (text areas) get a
// section of their own each, rendered like the description. The profile's
// hide_fields (Common.HideFields) leaves fields out by id or by name.

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// drawnElsewhere are the fields the page shows in rows or sections of its
// own (the header, the description, sub-tasks, links, attachments,
// comments), and the bookkeeping fields no reader asks for (when the issue
// was last viewed, when its status category changed).
var drawnElsewhere = map[string]bool{
	"summary": true, "issuetype": true, "status": true, "priority": true, "resolution": true,
	"assignee": true, "reporter": true, "created": true, "updated": true, "labels": true,
	"components": true, "fixVersions": true, "parent": true, "description": true,
	"comment": true, "issuelinks": true, "subtasks": true, "attachment": true,
	"lastViewed": true, "statuscategorychangedate": true, "thumbnail": true,
}

// fieldRow is one field the section shows.
type fieldRow struct {
	id, name string
	value    jiraclient.FieldValue
}

// shownFields lists the fields of is the section draws, in
// jiraclient.SortedFieldIDs order (system fields, then custom fields, each
// by name): non-empty, not drawn elsewhere, not hidden by the profile.
func shownFields(c *common.Common, is *jiraclient.Issue) []fieldRow {
	if len(is.Values) == 0 {
		return nil
	}
	hidden := map[string]bool{}
	if c != nil {
		for _, h := range c.HideFields {
			hidden[strings.ToLower(strings.TrimSpace(h))] = true
		}
	}
	ids := make([]string, 0, len(is.Values))
	for id := range is.Values {
		ids = append(ids, id)
	}
	// SortedFieldIDs takes names from a field list; the issue carries them
	// in Names, so the order is made here the same way.
	sortFieldIDs(ids, is.Names)
	rows := make([]fieldRow, 0, len(ids))
	for _, id := range ids {
		v := is.Values[id]
		name := is.Names[id]
		if name == "" {
			name = id
		}
		switch {
		case drawnElsewhere[id], v.Empty(), zeroCount(v),
			hidden[strings.ToLower(id)], hidden[strings.ToLower(name)]:
			continue
		case v.Kind == jiraclient.FieldSprint && is.Sprint != "":
			continue // the header's Sprint row shows it
		case v.Kind == jiraclient.FieldOther && strings.EqualFold(name, "Rank"):
			continue // Jira's lexical rank ("0|i00121:") orders boards; it says nothing to a reader
		}
		rows = append(rows, fieldRow{id: id, name: name, value: v})
	}
	return rows
}

// sortFieldIDs orders system fields before custom ones, each by name.
func sortFieldIDs(ids []string, names map[string]string) {
	name := func(id string) string {
		if n := names[id]; n != "" {
			return strings.ToLower(n)
		}
		return strings.ToLower(id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		ca, cb := strings.HasPrefix(a, "customfield_"), strings.HasPrefix(b, "customfield_")
		switch {
		case ca != cb && !ca:
			return -1
		case ca != cb:
			return 1
		}
		if c := strings.Compare(name(a), name(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}

// zeroCount is a collection field the client summarises as a count ("0
// watchers", "0 votes") when the count is zero: nothing to show.
func zeroCount(v jiraclient.FieldValue) bool {
	if v.Kind != jiraclient.FieldOther {
		return false
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(v.Text), "0 ")
	return ok && rest != "" && !strings.ContainsAny(rest, " \t\n")
}

// richFieldJobs are the rich-text fields' Markdown bodies, for warm.
func richFieldJobs(is *jiraclient.Issue, w int) []mdJob {
	var jobs []mdJob
	for _, v := range is.Values {
		if v.Kind == jiraclient.FieldRichText && !v.Empty() {
			jobs = append(jobs, mdJob{v.Text, w})
		}
	}
	return jobs
}

// fieldTable appends the "Fields" section: one row per single-line field,
// names in a column as wide as the longest (up to a third of the page),
// values wrapped under themselves.
func (b *builder) fieldTable(rows []fieldRow) {
	var line []fieldRow
	for _, r := range rows {
		if r.value.Kind != jiraclient.FieldRichText {
			line = append(line, r)
		}
	}
	if len(line) == 0 {
		return
	}
	b.section("Fields")
	nameW := 0
	for _, r := range line {
		nameW = max(nameW, ansi.StringWidth(safetext.Line(r.name)))
	}
	nameW = min(nameW, max(b.width/3, 8))
	vw := max(b.width-nameW-2, 8)
	for _, r := range line {
		name := cut(r.name, nameW)
		cell := b.st.Label.Render(name) + strings.Repeat(" ", nameW-ansi.StringWidth(name)+2)
		val := safetext.Line(r.value.Format())
		for i, l := range wrapPlain(val, vw) {
			if i > 0 {
				cell = strings.Repeat(" ", nameW+2)
			}
			b.add(ansi.Truncate(cell+b.st.Text.Render(l), b.width, ""))
		}
	}
}

// richFields appends a section per rich-text field, like the description.
func (b *builder) richFields(rows []fieldRow) {
	for _, r := range rows {
		if r.value.Kind != jiraclient.FieldRichText {
			continue
		}
		b.section(cut(r.name, max(b.width-2, 1)))
		b.markdown(r.value.Text, 0, "")
	}
}
