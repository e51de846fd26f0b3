package cli

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// Formats of list and view.
const (
	FormatTable  = "table"
	FormatPlain  = "plain"
	FormatJSON   = "json"
	FormatNDJSON = "ndjson"
	FormatCSV    = "csv"
)

var formats = []string{FormatTable, FormatPlain, FormatJSON, FormatNDJSON, FormatCSV}

// column is one column of table, plain and csv output.
type column struct {
	name   string
	fields []string // the Jira fields it needs
	width  int      // the table's widest cell (0: the rest of the line)
	value  func(is *jiraclient.Issue, table bool) string
}

var defaultColumns = []string{"key", "status", "type", "priority", "assignee", "updated", "summary"}

func userCell(u *jiraclient.User) string {
	if u == nil {
		return ""
	}
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.ID()
}

func timeCell(t time.Time, table bool) string {
	if t.IsZero() {
		return ""
	}
	if table {
		return t.Local().Format("2006-01-02")
	}
	return t.UTC().Format(time.RFC3339)
}

var allColumns = []column{
	{name: "key", width: 12, value: func(is *jiraclient.Issue, _ bool) string { return is.Key }},
	{name: "summary", fields: []string{"summary"}, value: func(is *jiraclient.Issue, _ bool) string { return is.Summary }},
	{name: "status", fields: []string{"status"}, width: 16, value: func(is *jiraclient.Issue, _ bool) string { return is.Status.Name }},
	{name: "type", fields: []string{"issuetype"}, width: 10, value: func(is *jiraclient.Issue, _ bool) string { return is.Type.Name }},
	{name: "priority", fields: []string{"priority"}, width: 8, value: func(is *jiraclient.Issue, _ bool) string {
		if is.Priority == nil {
			return ""
		}
		return is.Priority.Name
	}},
	{name: "assignee", fields: []string{"assignee"}, width: 18, value: func(is *jiraclient.Issue, _ bool) string { return userCell(is.Assignee) }},
	{name: "reporter", fields: []string{"reporter"}, width: 18, value: func(is *jiraclient.Issue, _ bool) string { return userCell(is.Reporter) }},
	{name: "resolution", fields: []string{"resolution"}, width: 12, value: func(is *jiraclient.Issue, _ bool) string { return is.Resolution }},
	{name: "labels", fields: []string{"labels"}, width: 24, value: func(is *jiraclient.Issue, _ bool) string { return strings.Join(is.Labels, ",") }},
	{name: "project", fields: []string{"project"}, width: 8, value: func(is *jiraclient.Issue, _ bool) string { return is.Project }},
	{name: "created", fields: []string{"created"}, width: 10, value: func(is *jiraclient.Issue, t bool) string { return timeCell(is.Created, t) }},
	{name: "updated", fields: []string{"updated"}, width: 10, value: func(is *jiraclient.Issue, t bool) string { return timeCell(is.Updated, t) }},
}

func columnNames() []string {
	names := make([]string, len(allColumns))
	for i, c := range allColumns {
		names[i] = c.name
	}
	return names
}

// parseColumns reads --columns ("" = the default).
func parseColumns(s string) ([]column, error) {
	names := defaultColumns
	if strings.TrimSpace(s) != "" {
		names = strings.Split(s, ",")
	}
	var cols []column
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		found := false
		for _, c := range allColumns {
			if c.name == n {
				cols, found = append(cols, c), true
			}
		}
		if !found {
			return nil, usageErr("unknown column %s: use %s", quoteArg(n), strings.Join(columnNames(), ","))
		}
	}
	return cols, nil
}

// jsonFields are what jiffy's JSON of a listed issue holds.
var jsonFields = []string{"summary", "issuetype", "status", "priority", "assignee", "reporter", "resolution", "labels", "project", "created", "updated"}

// Person is a user in jiffy's JSON: Cloud names people by accountId, Data
// Center by name (the username); the other is left out.
type Person struct {
	DisplayName string `json:"displayName"`
	AccountID   string `json:"accountId,omitempty"`
	Name        string `json:"name,omitempty"`
	Email       string `json:"email,omitempty"`
}

// IssueJSON is jiffy's own JSON of an issue (docs/json.md): the same keys
// on both flavours, every key always present, names instead of ids.
type IssueJSON struct {
	Key            string   `json:"key"`
	ID             string   `json:"id"`
	URL            string   `json:"url"`
	Project        string   `json:"project"`
	Type           string   `json:"type"`
	Summary        string   `json:"summary"`
	Status         string   `json:"status"`
	StatusCategory string   `json:"statusCategory"`
	Priority       *string  `json:"priority"`
	Assignee       *Person  `json:"assignee"`
	Reporter       *Person  `json:"reporter"`
	Resolution     *string  `json:"resolution"`
	Labels         []string `json:"labels"`
	Created        string   `json:"created"`
	Updated        string   `json:"updated"`
}

// IssueDetailJSON is `jiffy view --output json`: the list's keys and the
// issue's text.
type IssueDetailJSON struct {
	IssueJSON
	Components   []string      `json:"components"`
	FixVersions  []string      `json:"fixVersions"`
	Parent       *string       `json:"parent"`
	Sprint       *string       `json:"sprint"`
	Description  string        `json:"description"`
	Links        []LinkJSON    `json:"links"`
	Subtasks     []string      `json:"subtasks"`
	Comments     []CommentJSON `json:"comments"`
	CommentTotal int           `json:"commentTotal"`
}

// LinkJSON is one issue link: "blocks ABC-2".
type LinkJSON struct {
	Relation string `json:"relation"`
	Key      string `json:"key"`
	Summary  string `json:"summary"`
	Status   string `json:"status"`
}

// CommentJSON is one comment; Body is Markdown.
type CommentJSON struct {
	ID      string  `json:"id"`
	Author  *Person `json:"author"`
	Created string  `json:"created"`
	Updated string  `json:"updated"`
	Body    string  `json:"body"`
}

func person(u *jiraclient.User) *Person {
	if u == nil || (u.DisplayName == "" && u.ID() == "") {
		return nil
	}
	return &Person{DisplayName: u.DisplayName, AccountID: u.AccountID, Name: u.Name, Email: u.Email}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// category names Jira's status categories for scripts.
func category(c string) string {
	switch c {
	case jiraclient.CategoryToDo:
		return "todo"
	case jiraclient.CategoryInProgress:
		return "in_progress"
	case jiraclient.CategoryDone:
		return "done"
	}
	return "unknown"
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func toJSON(is *jiraclient.Issue, browse func(string) string) IssueJSON {
	j := IssueJSON{
		Key: is.Key, ID: is.ID, URL: browse(is.Key), Project: is.Project, Type: is.Type.Name,
		Summary: is.Summary, Status: is.Status.Name, StatusCategory: category(is.Status.Category),
		Assignee: person(is.Assignee), Reporter: person(is.Reporter), Resolution: optional(is.Resolution),
		Labels: nonNil(is.Labels), Created: jsonTime(is.Created), Updated: jsonTime(is.Updated),
	}
	if j.Project == "" {
		if k, _, ok := strings.Cut(is.Key, "-"); ok {
			j.Project = k
		}
	}
	if is.Priority != nil {
		j.Priority = optional(is.Priority.Name)
	}
	return j
}

func toDetailJSON(is *jiraclient.Issue, browse func(string) string) IssueDetailJSON {
	d := IssueDetailJSON{IssueJSON: toJSON(is, browse), Components: nonNil(is.Components), FixVersions: nonNil(is.FixVersions),
		Sprint: optional(is.Sprint), Description: is.Description, Links: []LinkJSON{}, Subtasks: []string{}, Comments: []CommentJSON{},
		CommentTotal: is.CommentTotal}
	if is.Parent != nil {
		d.Parent = optional(is.Parent.Key)
	}
	for _, l := range is.Links {
		d.Links = append(d.Links, LinkJSON{Relation: l.Relation, Key: l.Issue.Key, Summary: l.Issue.Summary, Status: l.Issue.Status.Name})
	}
	for _, s := range is.Subtasks {
		d.Subtasks = append(d.Subtasks, s.Key)
	}
	for _, c := range is.Comments {
		a := c.Author
		d.Comments = append(d.Comments, CommentJSON{ID: c.ID, Author: person(&a), Created: jsonTime(c.Created), Updated: jsonTime(c.Updated), Body: c.Body})
	}
	if d.CommentTotal < len(d.Comments) {
		d.CommentTotal = len(d.Comments)
	}
	return d
}

// out is stdout behind a buffer: a write error (EPIPE after `| head`) is
// kept and every later write is skipped, so a command stops at the next
// check instead of printing into a closed pipe.
type out struct {
	w   *bufio.Writer
	err error
}

func newOut(w io.Writer) *out { return &out{w: bufio.NewWriterSize(w, 32<<10)} }

func (o *out) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	o.err = err
	return n, err
}

// Flush sends what is buffered: after each page, so output streams.
func (o *out) Flush() error {
	if o.err == nil {
		o.err = o.w.Flush()
	}
	return o.err
}

// issueWriter prints issues in one format, page by page.
type issueWriter struct {
	o      *out
	format string
	raw    bool
	cols   []column
	browse func(string) string
	width  int // terminal width for table; 0 = unlimited

	n       int
	csv     *csv.Writer
	started bool
}

func (w *issueWriter) begin() error {
	switch w.format {
	case FormatJSON:
		_, err := io.WriteString(w.o, "[")
		return err
	case FormatCSV:
		w.csv = csv.NewWriter(w.o)
		head := make([]string, len(w.cols))
		for i, c := range w.cols {
			head[i] = c.name
		}
		return w.csv.Write(head)
	case FormatTable:
		head := make([]string, len(w.cols))
		for i, c := range w.cols {
			head[i] = strings.ToUpper(c.name)
		}
		_, err := io.WriteString(w.o, w.tableLine(head)+"\n")
		return err
	}
	return nil
}

// page writes issues and flushes them, so the first page is out before
// the second is asked for.
func (w *issueWriter) page(issues []jiraclient.Issue) error {
	for i := range issues {
		if err := w.issue(&issues[i]); err != nil {
			return err
		}
	}
	if w.csv != nil {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	}
	return w.o.Flush()
}

func (w *issueWriter) issue(is *jiraclient.Issue) error {
	w.n++
	switch w.format {
	case FormatJSON, FormatNDJSON:
		b, err := w.json(is)
		if err != nil {
			return err
		}
		if w.format == FormatJSON {
			sep := ",\n"
			if w.n == 1 {
				sep = "\n"
			}
			b = append([]byte(sep), b...)
		} else {
			b = append(b, '\n')
		}
		_, err = w.o.Write(b)
		return err
	case FormatCSV:
		rec := make([]string, len(w.cols))
		for i, c := range w.cols {
			rec[i] = Clean(c.value(is, false))
		}
		return w.csv.Write(rec)
	case FormatPlain:
		rec := make([]string, len(w.cols))
		for i, c := range w.cols {
			rec[i] = oneLine(c.value(is, false))
		}
		_, err := io.WriteString(w.o, strings.Join(rec, "\t")+"\n")
		return err
	}
	rec := make([]string, len(w.cols))
	for i, c := range w.cols {
		rec[i] = c.value(is, true)
	}
	_, err := io.WriteString(w.o, w.tableLine(rec)+"\n")
	return err
}

func (w *issueWriter) json(is *jiraclient.Issue) ([]byte, error) {
	var b []byte
	var err error
	if w.raw {
		b, err = reformat(is.Raw, false)
	} else {
		b, err = marshal(toJSON(is, w.browse), false)
	}
	return safetext.JSON(b), err
}

func (w *issueWriter) end() error {
	switch w.format {
	case FormatJSON:
		end := "]\n"
		if w.n > 0 {
			end = "\n]\n"
		}
		if _, err := io.WriteString(w.o, end); err != nil {
			return err
		}
	case FormatCSV:
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	}
	return w.o.Flush()
}

// tableLine pads cells to their column's width (the last one takes what
// the terminal has left) and cuts what does not fit with "…".
func (w *issueWriter) tableLine(cells []string) string {
	var b strings.Builder
	used := 0
	for i, c := range cells {
		c = oneLine(c)
		col := w.cols[i]
		last := i == len(cells)-1
		width := col.width
		if last {
			width = 0
			if w.width > 0 {
				width = max(10, w.width-used)
			}
		}
		if width > 0 && ansi.StringWidth(c) > width {
			c = ansi.Truncate(c, width, "…")
		}
		b.WriteString(c)
		if !last {
			b.WriteString(strings.Repeat(" ", width-ansi.StringWidth(c)+2))
			used += width + 2
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// oneLine is Jira text for a one-line cell: cleaned, whitespace runs
// (newlines and tabs included) made one space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(Clean(s)), " ")
}
