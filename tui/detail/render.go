package detail

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// target is a line that opens another issue: the parent, a sub-task, the
// far end of a link. Both renderings are made up front so moving the
// selection only swaps a line.
type target struct {
	key      string
	line     int
	plain    string
	selected string
}

// document is an issue laid out for one width: the scrolling lines, the
// selectable targets among them and the title bar's left part. It is
// built when the issue or the width changes, never in View.
type document struct {
	width   int
	theme   string // themeOf(...).id it was built with
	title   string
	lines   []string
	targets []target
}

// labelWidth is the header's label column: "Fix versions" and a gap.
const labelWidth = 14

// maxPage caps the page's width. Prose wider than this is hard to read and
// a status pushed 200 columns away from its key is hard to pair, so on a
// wide terminal the page keeps to the left and the title bar alone spans
// the pane.
const maxPage = 120

// pageWidth is the width the page is laid out at for a pane w wide.
func pageWidth(w int) int { return min(max(w, 20), maxPage) }

// markdownJobs are the Markdown bodies a page of width w renders, at the
// widths it renders them: the description across the page, comments
// indented by two.
func markdownJobs(is *jiraclient.Issue, w int) []mdJob {
	jobs := []mdJob{{is.Description, w}}
	for _, cm := range is.Comments {
		jobs = append(jobs, mdJob{cm.Body, w - commentIndent})
	}
	return append(jobs, richFieldJobs(is, w)...)
}

// commentIndent sets comment bodies off from their author line.
const commentIndent = 2

// builder accumulates a document.
type builder struct {
	st    common.Styles
	th    theme
	width int
	now   time.Time
	doc   document
}

func (b *builder) add(lines ...string) { b.doc.lines = append(b.doc.lines, lines...) }

func (b *builder) blank() {
	if n := len(b.doc.lines); n > 0 && b.doc.lines[n-1] != "" {
		b.add("")
	}
}

// addTarget appends a selectable line: prefix (a label cell or an indent)
// then the issue reference, its status pushed to the right edge.
func (b *builder) addTarget(prefix string, ref jiraclient.IssueRef, keyW int) {
	st := b.st
	pw := ansi.StringWidth(prefix)
	avail := b.width - pw
	k := ref.Key
	if k == "" {
		k = ref.ID
	}
	shown := sanitize(k)
	keyCell := shown + strings.Repeat(" ", max(keyW-ansi.StringWidth(shown), 0))
	status := sanitize(ref.Status.Name)
	sumW := avail - 2 - ansi.StringWidth(keyCell) - 2 - ansi.StringWidth(status) - 2
	if status == "" || sumW < 8 {
		status = ""
		sumW = avail - 2 - ansi.StringWidth(keyCell) - 2
	}
	summary := cut(ref.Summary, sumW)
	used := 2 + ansi.StringWidth(keyCell) + 2 + ansi.StringWidth(summary)
	gap := max(avail-used-ansi.StringWidth(status), 1)
	if status == "" {
		gap = 0
	}
	plain := prefix + "  " + st.Key.Render(keyCell) + "  " + st.Text.Render(summary) +
		strings.Repeat(" ", gap) + st.Status(status, ref.Status.Category)
	sel := "▸ " + keyCell + "  " + summary + strings.Repeat(" ", gap) + status
	sel += strings.Repeat(" ", max(avail-ansi.StringWidth(sel), 0))
	selected := prefix + st.Selected.Render(ansi.Truncate(sel, max(avail, 0), ""))
	plain = ansi.Truncate(plain, b.width, "")
	if k != "" { // nothing to open without a key or an id
		b.doc.targets = append(b.doc.targets, target{key: k, line: len(b.doc.lines), plain: plain, selected: selected})
	}
	b.add(plain)
}

// field appends a "Label  value" row, the value wrapped under itself.
func (b *builder) field(label string, value string, style lipgloss.Style) {
	if strings.TrimSpace(value) == "" {
		return
	}
	vw := max(b.width-labelWidth, 8)
	for i, l := range wrapPlain(value, vw) {
		cell := strings.Repeat(" ", labelWidth)
		if i == 0 {
			cell = b.labelCell(label)
		}
		b.add(ansi.Truncate(cell+style.Render(l), b.width, ""))
	}
}

func (b *builder) labelCell(label string) string {
	return b.st.Label.Render(label) + strings.Repeat(" ", max(labelWidth-ansi.StringWidth(label), 1))
}

// section starts "Title ──────" across the width, after a blank line.
func (b *builder) section(title string) {
	b.blank()
	t := b.st.Header.Render(title)
	rule := max(b.width-ansi.StringWidth(title)-1, 0)
	b.add(t + " " + fg(b.st.Palette.Border).Render(strings.Repeat("─", rule)))
}

// markdown appends a rendered Markdown body, indented by indent columns.
// An empty body shows the muted empty text instead.
func (b *builder) markdown(md string, indent int, empty string) {
	if strings.TrimSpace(md) == "" {
		b.add(strings.Repeat(" ", indent) + b.st.Muted.Render(empty))
		return
	}
	pad := strings.Repeat(" ", indent)
	for _, l := range renderMarkdown(md, b.width-indent, b.th) {
		if l == "" {
			b.add("")
			continue
		}
		b.add(pad + l)
	}
}

// build lays an issue out for a width. Markdown comes from the render
// cache, so a rebuild after a selection change or a re-fetch of an issue
// whose text did not change costs no glamour work.
func build(c *common.Common, is *jiraclient.Issue, width int) document {
	return buildPage(c, is, width, nil)
}

// buildPage is build with an epic's child issues (nil: none to show).
func buildPage(c *common.Common, is *jiraclient.Issue, width int, children *Children) document {
	b := &builder{st: c.Styles, th: themeOf(c), width: pageWidth(width), now: nowOf(c)}
	b.doc.width, b.doc.theme = width, b.th.id
	st := b.st
	warm(markdownJobs(is, b.width), b.th)

	// The title bar keeps the key and as much summary as fits; when the
	// summary is cut there, it is shown whole at the top of the page.
	key := sanitize(is.Key)
	keyText := st.Title.Render(key)
	sumW := max(width, 20) - ansi.StringWidth(key) - 2 - 6 // room for " 100%"
	summary := strings.Join(strings.Fields(is.Summary), " ")
	short := cut(summary, sumW)
	b.doc.title = keyText + "  " + st.Bold.Render(short)
	if short != summary {
		for _, l := range wrapPlain(summary, b.width) {
			b.add(st.Bold.Render(l))
		}
		b.blank()
	}

	b.header(is)
	rows := shownFields(c, is)
	b.fieldTable(rows)
	b.description(is)
	b.richFields(rows)
	b.subtasks(is)
	b.children(children)
	b.links(is)
	b.attachments(is)
	b.comments(is)
	return b.doc
}

func (b *builder) header(is *jiraclient.Issue) {
	st := b.st
	typ := is.Type.Name
	if is.Type.Subtask && typ != "" && !strings.Contains(strings.ToLower(typ), "sub") {
		typ += " (sub-task)"
	}
	b.field("Type", typ, st.Text)
	if is.Status.Name != "" {
		b.add(b.labelCell("Status") + st.Status(cut(is.Status.Name, b.width-labelWidth), is.Status.Category))
	}
	if is.Priority != nil {
		b.field("Priority", is.Priority.Name, st.Text)
	}
	b.field("Resolution", is.Resolution, st.Text)
	if is.Assignee != nil {
		b.field("Assignee", userName(is.Assignee), st.Text)
	} else {
		b.field("Assignee", "Unassigned", st.Muted)
	}
	if is.Reporter != nil {
		b.field("Reporter", userName(is.Reporter), st.Text)
	}
	b.field("Created", whenText(is.Created, b.now), st.Text)
	b.field("Updated", whenText(is.Updated, b.now), st.Text)
	b.field("Labels", strings.Join(is.Labels, ", "), st.Text)
	b.field("Components", strings.Join(is.Components, ", "), st.Text)
	b.field("Fix versions", strings.Join(is.FixVersions, ", "), st.Text)
	b.field("Sprint", is.Sprint, st.Text)
	if p := is.Parent; p != nil && (p.Key != "" || p.ID != "") {
		// The target's own two-column marker ("▸ ") completes the label cell.
		b.addTarget(b.st.Label.Render("Parent")+strings.Repeat(" ", labelWidth-2-len("Parent")), *p, 0)
	}
}

// userName is how a person is shown: display name, else username, else id.
func userName(u *jiraclient.User) string {
	switch {
	case u.DisplayName != "":
		return sanitize(u.DisplayName)
	case u.Name != "":
		return sanitize(u.Name)
	}
	return sanitize(u.AccountID)
}

func (b *builder) description(is *jiraclient.Issue) {
	b.section("Description")
	b.markdown(is.Description, 0, "No description.")
}

func keyWidth(refs []jiraclient.IssueRef) int {
	w := 0
	for _, r := range refs {
		w = max(w, ansi.StringWidth(sanitize(r.Key)))
	}
	return w
}

func (b *builder) subtasks(is *jiraclient.Issue) {
	if len(is.Subtasks) == 0 {
		return
	}
	b.section("Sub-tasks (" + strconv.Itoa(len(is.Subtasks)) + ")")
	kw := keyWidth(is.Subtasks)
	for _, s := range is.Subtasks {
		b.addTarget("", s, kw)
	}
}

// links groups links by relation in the order Jira listed them, so
// "blocks" and "is blocked by" each read as one list.
func (b *builder) links(is *jiraclient.Issue) {
	if len(is.Links) == 0 {
		return
	}
	b.section("Links (" + strconv.Itoa(len(is.Links)) + ")")
	var order []string
	groups := map[string][]jiraclient.IssueRef{}
	for _, l := range is.Links {
		rel := strings.TrimSpace(l.Relation)
		if rel == "" {
			rel = "links to"
		}
		if _, ok := groups[rel]; !ok {
			order = append(order, rel)
		}
		groups[rel] = append(groups[rel], l.Issue)
	}
	all := make([]jiraclient.IssueRef, 0, len(is.Links))
	for _, l := range is.Links {
		all = append(all, l.Issue)
	}
	kw := keyWidth(all)
	for _, rel := range order {
		b.add(b.st.Muted.Render(cut(rel, b.width)))
		for _, r := range groups[rel] {
			b.addTarget("  ", r, kw)
		}
	}
}

// attachments are a small table: name, then size, author and age in a
// column after the longest name that fits.
func (b *builder) attachments(is *jiraclient.Issue) {
	if len(is.Attachments) == 0 {
		return
	}
	st := b.st
	b.section("Attachments (" + strconv.Itoa(len(is.Attachments)) + ")")
	metas := make([]string, len(is.Attachments))
	metaW, nameW := 0, 0
	for i, a := range is.Attachments {
		parts := []string{humanSize(a.Size)}
		if a.Author != "" {
			parts = append(parts, a.Author)
		}
		if !a.Created.IsZero() {
			parts = append(parts, relTime(a.Created, b.now))
		}
		metas[i] = strings.Join(parts, " · ")
		metaW = max(metaW, ansi.StringWidth(metas[i]))
		nameW = max(nameW, ansi.StringWidth(cut(a.Filename, b.width)))
	}
	nameW = min(nameW, max(b.width-2-2-metaW, 12))
	for i, a := range is.Attachments {
		name := cut(a.Filename, nameW)
		pad := strings.Repeat(" ", nameW-ansi.StringWidth(name))
		b.add(ansi.Truncate("  "+st.Text.Render(name)+pad+"  "+st.Muted.Render(metas[i]), b.width, "…"))
	}
}

// comments come oldest first, newest last, like a conversation.
func (b *builder) comments(is *jiraclient.Issue) {
	total := max(is.CommentTotal, len(is.Comments))
	if total == 0 {
		return
	}
	st := b.st
	b.section("Comments (" + strconv.Itoa(total) + ")")
	if len(is.Comments) < total {
		b.add(st.Muted.Render(cut("Showing "+strconv.Itoa(len(is.Comments))+" of "+strconv.Itoa(total)+" comments.", b.width)))
		b.blank()
	}
	cs := slices.Clone(is.Comments)
	slices.SortStableFunc(cs, func(x, y jiraclient.Comment) int { return x.Created.Compare(y.Created) })
	for i, cm := range cs {
		if i > 0 {
			b.blank()
		}
		author := userName(&cm.Author)
		if author == "" {
			author = "Someone"
		}
		var meta []string
		if !cm.Created.IsZero() {
			meta = append(meta, whenText(cm.Created, b.now))
		}
		if !cm.Updated.IsZero() && cm.Updated.Sub(cm.Created) > time.Minute {
			meta = append(meta, "edited")
		}
		author = cut(author, b.width)
		line := st.Bold.Render(author)
		if len(meta) > 0 {
			if rest := cut(strings.Join(meta, " · "), b.width-ansi.StringWidth(author)-3); rest != "" {
				line += st.Muted.Render(" · " + rest)
			}
		}
		b.add(line)
		b.markdown(cm.Body, commentIndent, "(empty comment)")
	}
}
