package markup

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// ADFToMarkdown renders an ADF document as CommonMark with GFM tables,
// strikethrough and task lists. The result has no trailing newline, no
// trailing spaces and never more than one blank line in a row, so it can be
// compared, stored and shown as is. A nil document gives "".
//
// Text is escaped so that MarkdownToADF(ADFToMarkdown(doc)) gives back the
// same words; constructs Markdown lacks (panels, mentions, cards, dates,
// status lozenges, media, colours, underline) follow the package conventions.
func ADFToMarkdown(doc *Node) string {
	if doc == nil {
		return ""
	}
	nodes := []*Node{doc}
	if doc.Type == "doc" {
		nodes = doc.Content
	}
	var r mdRenderer
	// NUL would be replaced by any CommonMark reader; do it here so the
	// output reads back as written.
	return strings.ReplaceAll(tidyLines(r.blocks(nodes, false)), "\x00", "\uFFFD")
}

type mdRenderer struct {
	depth int // guards against hostile nesting depth
}

// maxDepth bounds recursion: ADF from the wire or a fuzzer may nest without
// limit, and a stack overflow cannot be recovered.
const maxDepth = 64

// blocks renders a sequence of block nodes separated by blank lines. inItem
// keeps a nested list tight against the paragraph before it, the way people
// write nested lists by hand.
func (r *mdRenderer) blocks(nodes []*Node, inItem bool) string {
	var b strings.Builder
	prevType := ""
	alt := false
	for _, n := range nodes {
		if n == nil {
			continue
		}
		// Two lists of the same kind in a row would merge into one in
		// Markdown; switching the bullet character keeps them apart.
		listKind := mdListKind(n.Type)
		if listKind != "" && listKind == mdListKind(prevType) {
			alt = !alt
		} else if listKind != "" {
			alt = false
		}
		s := r.block(n, alt)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			if inItem && listKind != "" && prevType == "paragraph" {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(s)
		prevType = n.Type
	}
	return b.String()
}

func mdListKind(t string) string {
	switch t {
	case "bulletList", "taskList", "decisionList":
		return "bullet"
	case "orderedList":
		return "ordered"
	}
	return ""
}

func (r *mdRenderer) block(n *Node, alt bool) string {
	if r.depth > maxDepth {
		return escapeInline(PlainText(n))
	}
	r.depth++
	defer func() { r.depth-- }()
	switch n.Type {
	case "paragraph":
		return r.inlines(n.Content, ctxPara)
	case "heading":
		level := min(max(n.attrInt("level", 1), 1), 6)
		s := r.inlines(n.Content, ctxHeading)
		if s == "" {
			return ""
		}
		return strings.Repeat("#", level) + " " + s
	case "bulletList", "taskList", "decisionList":
		return r.bulletList(n, alt)
	case "orderedList":
		return r.orderedList(n, alt)
	case "listItem":
		return r.blocks(n.Content, true)
	case "codeBlock":
		return codeFence(n.attrString("language"), textOf(n))
	case "blockquote":
		return quoteLines(r.blocks(n.Content, false))
	case "panel":
		return quoteLines(r.blocks(withLabel(panelLabel(n.attrString("panelType")), n.Content), false))
	case "rule":
		return "---"
	case "table":
		return r.table(n)
	case "mediaSingle", "mediaGroup":
		var parts []string
		for _, c := range n.Content {
			parts = append(parts, escapeInline(inlineAtomText(c)))
		}
		return strings.Join(parts, "\n\n")
	case "media", "mediaInline":
		return escapeInline(inlineAtomText(n))
	case "expand", "nestedExpand":
		title := n.attrString("title")
		body := r.blocks(n.Content, false)
		if title == "" {
			return body
		}
		head := "**" + escapeInline(title) + "**"
		if body == "" {
			return head
		}
		return head + "\n\n" + body
	case "blockCard", "embedCard":
		return autolink(n.attrString("url"))
	case "taskItem", "decisionItem":
		return r.inlines(n.Content, ctxPara)
	case "text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status":
		return r.inlines([]*Node{n}, ctxPara)
	}
	// Unknown node: keep whatever text it carries.
	if len(n.Content) > 0 {
		if allBlocks(n.Content) {
			return r.blocks(n.Content, false)
		}
		return r.inlines(n.Content, ctxPara)
	}
	return escapeInline(inlineAtomText(n))
}

func allBlocks(nodes []*Node) bool {
	for _, c := range nodes {
		if c != nil && !isBlockType(c.Type) {
			return false
		}
	}
	return true
}

// withLabel puts "**Label:** " in front of the first paragraph, which is how
// a panel reads in Markdown and how MarkdownToADF recognises one.
func withLabel(label string, content []*Node) []*Node {
	lead := []*Node{{Type: "text", Text: label + ":", Marks: []Mark{{Type: "strong"}}}}
	out := make([]*Node, 0, len(content)+1)
	if len(content) > 0 && content[0] != nil && content[0].Type == "paragraph" && len(content[0].Content) > 0 {
		first := content[0].Content
		// An empty first line (Jira's editor leaves one) would only push
		// the text away from its label.
		for len(first) > 1 && first[0] != nil && first[0].Type == "hardBreak" {
			first = first[1:]
		}
		p := &Node{Type: "paragraph", Content: append(append(lead, &Node{Type: "text", Text: " "}), first...)}
		return append(append(out, p), content[1:]...)
	}
	return append(append(out, &Node{Type: "paragraph", Content: lead}), content...)
}

// panelTypes maps ADF panelType to the label shown in Markdown, in the
// order labels are tried when parsing back.
var panelTypes = []struct{ typ, label string }{
	{"info", "Info"},
	{"note", "Note"},
	{"warning", "Warning"},
	{"success", "Tip"},
	{"error", "Error"},
}

func panelLabel(typ string) string {
	for _, p := range panelTypes {
		if p.typ == typ {
			return p.label
		}
	}
	return "Note"
}

func quoteLines(body string) string {
	if body == "" {
		return ""
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

func (r *mdRenderer) bulletList(n *Node, alt bool) string {
	bullet := "-"
	if alt {
		bullet = "*"
	}
	var items []string
	for _, it := range n.Content {
		if it == nil {
			continue
		}
		marker := bullet + " "
		var body string
		switch it.Type {
		case "taskItem":
			if strings.EqualFold(it.attrString("state"), "DONE") {
				marker += "[x] "
			} else {
				marker += "[ ] "
			}
			body = r.inlines(it.Content, ctxPara)
		case "taskList", "bulletList", "orderedList":
			// ADF nests task lists directly inside task lists; hang them
			// under the previous item.
			sub := r.block(it, false)
			if len(items) > 0 {
				items[len(items)-1] += "\n" + indent(sub, "  ")
				continue
			}
			body = sub
		case "decisionItem":
			body = r.inlines(it.Content, ctxPara)
		default:
			body = r.blocks(it.Content, true)
		}
		items = append(items, hangIndent(marker, body))
	}
	return strings.Join(items, "\n")
}

func (r *mdRenderer) orderedList(n *Node, alt bool) string {
	delim := "."
	if alt {
		delim = ")"
	}
	num := max(n.attrInt("order", 1), 0)
	var items []string
	for _, it := range n.Content {
		if it == nil {
			continue
		}
		marker := strconv.Itoa(num) + delim + " "
		items = append(items, hangIndent(marker, r.blocks(it.Content, true)))
		num++
	}
	return strings.Join(items, "\n")
}

// hangIndent writes marker before the first line and indents the rest to the
// column where the first line's text starts, which is what CommonMark needs
// to keep them in the item.
func hangIndent(marker, body string) string {
	if body == "" {
		return strings.TrimRight(marker, " ")
	}
	return marker + indent(body, strings.Repeat(" ", utf8.RuneCountInString(marker)))[len(marker):]
}

// indent prefixes every non-empty line.
func indent(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// textOf concatenates the text nodes under n.
func textOf(n *Node) string {
	var b strings.Builder
	var walk func(*Node)
	walk = func(n *Node) {
		if n == nil {
			return
		}
		if n.Type == "hardBreak" {
			b.WriteByte('\n')
		}
		b.WriteString(n.Text)
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func codeFence(lang, code string) string {
	fence := "```"
	longest, run := 0, 0
	for _, c := range code {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	if longest >= 3 {
		fence = strings.Repeat("`", longest+1)
	}
	lang = strings.Map(func(r rune) rune {
		if r == '`' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, lang)
	if strings.TrimSpace(code) == "" {
		return fence + lang + "\n" + fence
	}
	return fence + lang + "\n" + code + "\n" + fence
}

func (r *mdRenderer) table(n *Node) string {
	var rows [][]string
	cols := 0
	for _, row := range n.Content {
		if row == nil || row.Type != "tableRow" {
			continue
		}
		var cells []string
		for _, cell := range row.Content {
			if cell == nil {
				continue
			}
			cells = append(cells, r.cell(cell))
		}
		cols = max(cols, len(cells))
		rows = append(rows, cells)
	}
	if len(rows) == 0 || cols == 0 {
		return ""
	}
	widths := make([]int, cols)
	for i := range widths {
		widths[i] = 3
	}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	line := func(cells []string) string {
		var b strings.Builder
		b.WriteString("|")
		for i := range cols {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			b.WriteString(" ")
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(c)))
			b.WriteString(" |")
		}
		return b.String()
	}
	out := []string{line(rows[0])}
	delim := make([]string, cols)
	for i := range delim {
		delim[i] = strings.Repeat("-", widths[i])
	}
	out = append(out, line(delim))
	for _, row := range rows[1:] {
		out = append(out, line(row))
	}
	return strings.Join(out, "\n")
}

// cell renders a table cell on one line: paragraphs joined by <br>, other
// blocks reduced to their text, since a GFM cell cannot hold blocks.
func (r *mdRenderer) cell(n *Node) string {
	var parts []string
	for _, c := range n.Content {
		if c == nil {
			continue
		}
		var s string
		switch c.Type {
		case "paragraph", "heading":
			s = r.inlines(c.Content, ctxTable)
		default:
			s = strings.ReplaceAll(escapeCell(PlainText(c)), "\n", "<br>")
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "<br>")
}

// inlineAtomText is the text shown for an inline node that has no text of
// its own.
func inlineAtomText(n *Node) string {
	switch n.Type {
	case "mention":
		t := n.attrString("text")
		if t == "" {
			t = "@" + n.attrString("id")
		}
		return t
	case "emoji":
		if t := n.attrString("text"); t != "" {
			return t
		}
		return emojiShortName(n.attrString("shortName"))
	case "inlineCard", "blockCard", "embedCard":
		return n.attrString("url")
	case "date":
		return formatDate(n.attrString("timestamp"))
	case "status":
		return n.attrString("text")
	case "media", "mediaInline":
		name := n.attrString("alt")
		if name == "" {
			name = n.attrString("id")
		}
		if name == "" {
			name = n.attrString("url")
		}
		return "[attachment: " + name + "]"
	case "mediaSingle", "mediaGroup":
		var parts []string
		for _, c := range n.Content {
			if c != nil {
				parts = append(parts, inlineAtomText(c))
			}
		}
		return strings.Join(parts, " ")
	case "placeholder":
		return n.attrString("text")
	}
	for _, k := range []string{"text", "url", "title", "shortName"} {
		if s := n.attrString(k); s != "" {
			return s
		}
	}
	return ""
}

// emojiShortName normalises a short name to :name: form; real Jira data
// carries ":grin" without the closing colon.
func emojiShortName(s string) string {
	s = strings.Trim(s, ":")
	if s == "" {
		return ""
	}
	return ":" + s + ":"
}

// formatDate turns ADF's millisecond timestamp into YYYY-MM-DD in UTC, the
// form Jira itself writes when it converts a date node to wiki markup.
func formatDate(ts string) string {
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ts
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02")
}

// autolink renders a URL as <url> when CommonMark accepts it as an autolink,
// else as [url](url).
func autolink(u string) string {
	if u == "" {
		return ""
	}
	if isAutolinkable(u) {
		return "<" + u + ">"
	}
	return "[" + escapeLinkText(u) + "](" + linkDest(u) + ")"
}

func isAutolinkable(u string) bool {
	for _, c := range u {
		if c <= ' ' || c == '<' || c == '>' || c == 0x7f || c > unicode.MaxASCII {
			return false
		}
	}
	i := strings.IndexByte(u, ':')
	if i < 2 || i > 32 {
		return false
	}
	for j, c := range u[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-')) {
			return false
		}
	}
	// Our own pseudo-schemes must not be read back as cards.
	scheme := strings.ToLower(u[:i])
	return scheme != "mention"
}

// linkDest writes a link destination, in angle brackets when it holds
// characters a bare destination cannot.
func linkDest(u string) string {
	if u == "" {
		return "<>"
	}
	if !strings.ContainsAny(u, " \t\n()<>\\") && !hasControl(u) {
		return u
	}
	var b strings.Builder
	b.WriteByte('<')
	for _, c := range u {
		switch {
		case c == '\n' || c == '\r':
			b.WriteString("%0A")
		case c == '<' || c == '>' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('>')
	return b.String()
}

func hasControl(s string) bool {
	for _, c := range s {
		if unicode.IsControl(c) {
			return true
		}
	}
	return false
}

// Mention builds the Markdown form of a user mention,
// [@Display Name](mention:ID), the form ADFToMarkdown and WikiToMarkdown
// write and MarkdownToADF / MarkdownToWiki read back.
func Mention(displayName, id string) string {
	name := strings.TrimPrefix(strings.TrimSpace(displayName), "@")
	if name == "" {
		name = id
	}
	return "[@" + escapeLinkText(name) + "](" + linkDest("mention:"+id) + ")"
}

// escapeLinkText escapes text placed between [ and ].
func escapeLinkText(s string) string {
	w := inlineWriter{ctx: ctxPara, linkDepth: 1, buf: []byte{'x'}}
	w.writeText(s)
	return string(w.buf[1:])
}

// escapeInline escapes a whole paragraph of plain text.
func escapeInline(s string) string {
	w := inlineWriter{ctx: ctxPara}
	w.writeText(s)
	return strings.TrimRight(string(w.buf), " \t")
}

func escapeCell(s string) string {
	w := inlineWriter{ctx: ctxTable}
	w.writeText(s)
	return strings.TrimSpace(string(w.buf))
}

type inlineCtx int

const (
	ctxPara inlineCtx = iota
	ctxHeading
	ctxTable
)

// emphasis marks in the order they are opened when they start together and
// run equally long.
var markRank = map[string]int{"link": 0, "strong": 1, "em": 2, "strike": 3, "underline": 4}

type openMark struct {
	typ  string
	href string
}

// inlineItem is one inline node reduced to what Markdown can show.
type inlineItem struct {
	n     *Node
	marks []openMark
	code  bool
}

func (r *mdRenderer) inlines(nodes []*Node, ctx inlineCtx) string {
	items := flattenInlines(nodes)
	// Hard breaks at the end of a paragraph cannot be written in Markdown,
	// nor can blanks, which Markdown trims.
	for len(items) > 0 {
		last := items[len(items)-1].n
		if last.Type != "hardBreak" && (last.Type != "text" || strings.TrimSpace(last.Text) != "") {
			break
		}
		items = items[:len(items)-1]
	}
	w := inlineWriter{ctx: ctx}
	for i := range items {
		it := &items[i]
		w.sync(items, i)
		w.item(it)
	}
	w.closeTo(0)
	return tidyInline(string(w.buf))
}

// flattenInlines splits text at newlines, drops empty text and decides
// which marks each piece carries in Markdown.
func flattenInlines(nodes []*Node) []inlineItem {
	var items []inlineItem
	var add func(n *Node, inherited []Mark)
	add = func(n *Node, inherited []Mark) {
		if n == nil {
			return
		}
		switch n.Type {
		case "text":
			parts := strings.Split(strings.ReplaceAll(n.Text, "\r\n", "\n"), "\n")
			for i, p := range parts {
				if i > 0 {
					items = append(items, inlineItem{n: &Node{Type: "hardBreak"}})
				}
				if p == "" {
					continue
				}
				t := &Node{Type: "text", Text: p, Marks: append(append([]Mark(nil), inherited...), n.Marks...)}
				items = append(items, textItem(t))
			}
			return
		case "hardBreak":
			items = append(items, inlineItem{n: n})
			return
		case "mention", "inlineCard":
			items = append(items, inlineItem{n: n})
			return
		case "emoji", "date", "status", "media", "mediaInline", "placeholder":
			items = append(items, inlineItem{n: n, marks: emphasisMarks(append(append([]Mark(nil), inherited...), n.Marks...), false)})
			return
		}
		if len(n.Content) > 0 {
			for _, c := range n.Content {
				add(c, append(append([]Mark(nil), inherited...), n.Marks...))
			}
			if isBlockType(n.Type) {
				items = append(items, inlineItem{n: &Node{Type: "hardBreak"}})
			}
			return
		}
		if t := inlineAtomText(n); t != "" {
			items = append(items, textItem(&Node{Type: "text", Text: t, Marks: n.Marks}))
		}
	}
	for _, n := range nodes {
		add(n, nil)
	}
	return items
}

func textItem(t *Node) inlineItem {
	blank := strings.TrimFunc(t.Text, unicode.IsSpace) == ""
	return inlineItem{n: t, marks: emphasisMarks(t.Marks, blank), code: hasMark(t.Marks, "code") && !blank}
}

// emphasisMarks keeps the marks Markdown has, link first. Blank text gets no
// emphasis: "** **" is not emphasis in Markdown.
func emphasisMarks(marks []Mark, blank bool) []openMark {
	var out []openMark
	if m, ok := markOf(marks, "link"); ok {
		if href := m.attrString("href"); href != "" {
			out = append(out, openMark{typ: "link", href: href})
		}
	}
	if blank {
		return out
	}
	for _, t := range []string{"strong", "em", "strike", "underline"} {
		if hasMark(marks, t) {
			out = append(out, openMark{typ: t})
		}
	}
	return out
}

type inlineWriter struct {
	buf       []byte
	ctx       inlineCtx
	open      []openMark
	linkDepth int
	afterCard bool // an inline card was just written
}

// cardBoundary reports whether what was written so far ends where a card
// can follow with no space: at a blank, a line start or an opening bracket
// or quote.
func cardBoundary(buf []byte) bool {
	r, _ := utf8.DecodeLastRune(buf)
	return unicode.IsSpace(r) || strings.ContainsRune("([{\"'", r)
}

// gapAfterCard reports whether item it, written right after a card, needs
// a space to stay apart from it: words do, closing punctuation does not.
func gapAfterCard(it inlineItem) bool {
	switch it.n.Type {
	case "hardBreak":
		return false
	case "text":
		r, _ := utf8.DecodeRuneInString(it.n.Text)
		return !unicode.IsSpace(r) && !strings.ContainsRune(".,;:!?)]}\"'", r)
	}
	return true
}

func containsMark(ms []openMark, m openMark) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// sync closes the open marks item i does not carry and opens the ones it
// adds. Marks that run on longest are opened first, so they enclose the
// shorter ones and nothing has to be closed and reopened at the same spot.
func (w *inlineWriter) sync(items []inlineItem, i int) {
	want := items[i].marks
	keep := 0
	for keep < len(w.open) && containsMark(want, w.open[keep]) {
		keep++
	}
	w.closeTo(keep)
	if w.afterCard {
		// After the closing delimiters, before the opening ones, so
		// emphasis still flanks its text.
		w.afterCard = false
		if gapAfterCard(items[i]) {
			w.buf = append(w.buf, ' ')
		}
	}
	var add []openMark
	for _, m := range want {
		if !containsMark(w.open, m) {
			add = append(add, m)
		}
	}
	if len(add) == 0 {
		return
	}
	runLen := func(m openMark) int {
		n := 0
		for j := i; j < len(items) && containsMark(items[j].marks, m); j++ {
			n++
		}
		return n
	}
	// CommonMark only takes "*" and "~~" as emphasis where they flank the
	// text properly; where they would not, the mark is dropped from this
	// run rather than left in the text as stray asterisks.
	kept := add[:0]
	for _, m := range add {
		// <u> is HTML: it needs no flanking.
		if m.typ == "link" || m.typ == "underline" || w.canEmphasize(items, i, i+runLen(m)-1) {
			kept = append(kept, m)
			continue
		}
		for j := i; j < i+runLen(m); j++ {
			items[j].marks = removeMark(items[j].marks, m)
		}
	}
	add = kept
	if len(add) == 0 {
		return
	}
	for a := 1; a < len(add); a++ {
		for b := a; b > 0; b-- {
			x, y := add[b-1], add[b]
			rx, ry := runLen(x), runLen(y)
			if ry > rx || (ry == rx && markRank[y.typ] < markRank[x.typ]) {
				add[b-1], add[b] = y, x
			}
		}
	}
	// Whitespace at the start of the text goes before the delimiters.
	if it := items[i]; it.n.Type == "text" && !it.code {
		lead := len(it.n.Text) - len(strings.TrimLeftFunc(it.n.Text, unicode.IsSpace))
		if lead > 0 {
			w.writeText(it.n.Text[:lead])
			items[i].n = &Node{Type: "text", Text: it.n.Text[lead:], Marks: it.n.Marks}
		}
	}
	for _, m := range add {
		w.openMark(m)
	}
}

func removeMark(ms []openMark, m openMark) []openMark {
	out := make([]openMark, 0, len(ms))
	for _, x := range ms {
		if x != m {
			out = append(out, x)
		}
	}
	return out
}

// canEmphasize reports whether delimiters around items[i..j] would be read
// as emphasis: left-flanking where they open, right-flanking where they
// close (CommonMark 6.2). Line ends count as whitespace.
func (w *inlineWriter) canEmphasize(items []inlineItem, i, j int) bool {
	before := ' '
	if t := items[i].n; t.Type == "text" && !items[i].code && strings.TrimLeftFunc(t.Text, unicode.IsSpace) != t.Text {
		before = ' ' // leading blanks are written before the delimiter
	} else if len(w.buf) > 0 {
		before, _ = utf8.DecodeLastRune(w.buf)
	}
	first, _ := edgeRunesPair(items[i])
	_, last := edgeRunesPair(items[j])
	after := ' '
	if t := items[j].n; t.Type == "text" && !items[j].code && strings.TrimRightFunc(t.Text, unicode.IsSpace) != t.Text {
		after = ' ' // trailing blanks are written after the delimiter
	} else if j+1 < len(items) {
		after = rawFirstRune(items[j+1])
	}
	leftFlanking := !isSpaceRune(first) && (!isPunctRune(first) || isSpaceRune(before) || isPunctRune(before))
	rightFlanking := !isSpaceRune(last) && (!isPunctRune(last) || isSpaceRune(after) || isPunctRune(after))
	return leftFlanking && rightFlanking
}

// rawFirstRune returns the first character an item writes, blank or not.
func rawFirstRune(it inlineItem) rune {
	if it.n.Type == "text" && !it.code {
		if r, _ := utf8.DecodeRuneInString(it.n.Text); unicode.IsSpace(r) {
			return r
		}
	}
	f, _ := edgeRunesPair(it)
	return f
}

// edgeRunesPair returns the first and last visible characters an item
// writes (blanks at the edges of text go outside delimiters).
func edgeRunesPair(it inlineItem) (rune, rune) {
	n := it.n
	switch {
	case n.Type == "hardBreak":
		return ' ', ' '
	case n.Type == "mention":
		return '[', ')'
	case n.Type == "inlineCard":
		return '<', '>'
	case it.code || n.Type == "date" || n.Type == "status":
		return '`', '`'
	}
	t := n.Text
	if n.Type != "text" {
		t = inlineAtomText(n)
	}
	t = strings.TrimFunc(t, unicode.IsSpace)
	if t == "" {
		return ' ', ' '
	}
	t = strings.ReplaceAll(t, "\x00", "\uFFFD")
	f, _ := utf8.DecodeRuneInString(t)
	l, _ := utf8.DecodeLastRuneInString(t)
	// Characters the escaper prefixes with a backslash start with "\".
	if strings.ContainsRune("\\`*[~_<&#>+=-|", f) {
		f = '\\'
	}
	return f, l
}

func isSpaceRune(r rune) bool { return unicode.IsSpace(r) }

func isPunctRune(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

func (w *inlineWriter) openMark(m openMark) {
	switch m.typ {
	case "link":
		w.guardBang()
		w.buf = append(w.buf, '[')
		w.linkDepth++
	case "strong":
		w.buf = append(w.buf, "**"...)
	case "em":
		w.buf = append(w.buf, '*')
	case "strike":
		w.tildeTail()
		w.buf = append(w.buf, "~~"...)
	case "underline":
		w.buf = append(w.buf, "<u>"...)
	}
	w.open = append(w.open, m)
}

// closeTo closes open marks down to n, moving trailing whitespace out of
// the delimiters, where CommonMark requires it.
func (w *inlineWriter) closeTo(n int) {
	if len(w.open) <= n {
		return
	}
	trimmed := bytes.TrimRightFunc(w.buf, func(r rune) bool { return r == ' ' || r == '\t' || r == '\u00a0' })
	tail := string(w.buf[len(trimmed):])
	w.buf = trimmed
	for len(w.open) > n {
		m := w.open[len(w.open)-1]
		w.open = w.open[:len(w.open)-1]
		switch m.typ {
		case "link":
			w.buf = append(w.buf, "]("...)
			w.buf = append(w.buf, linkDest(m.href)...)
			w.buf = append(w.buf, ')')
			w.linkDepth--
		case "strong":
			w.buf = append(w.buf, "**"...)
		case "em":
			w.buf = append(w.buf, '*')
		case "strike":
			w.tildeTail()
			w.buf = append(w.buf, "~~"...)
		case "underline":
			w.buf = append(w.buf, "</u>"...)
		}
	}
	w.buf = append(w.buf, tail...)
}

// guardBang escapes a "!" written just before a link, which would
// otherwise turn the link into an image.
func (w *inlineWriter) guardBang() {
	if n := len(w.buf); n > 0 && w.buf[n-1] == '!' && (n < 2 || w.buf[n-2] != '\\') {
		w.buf = append(w.buf[:n-1], '\\', '!')
	}
}

// tildeTail rewrites an escaped tilde right before a ~~ delimiter as an
// entity: GFM refuses a strikethrough delimiter that follows a tilde, even an
// escaped one.
func (w *inlineWriter) tildeTail() {
	if bytes.HasSuffix(w.buf, []byte(`\~`)) && !bytes.HasSuffix(w.buf, []byte(`\\~`)) {
		w.buf = append(w.buf[:len(w.buf)-2], "&#126;"...)
	}
}

func (w *inlineWriter) atLineStart() bool {
	return len(w.buf) == 0 || w.buf[len(w.buf)-1] == '\n'
}

func (w *inlineWriter) item(it *inlineItem) {
	n := it.n
	switch n.Type {
	case "text":
		if it.code {
			// Blanks at the edges of code are written as plain text: Markdown
			// trims them from code spans.
			core := strings.TrimFunc(n.Text, unicode.IsSpace)
			i := strings.Index(n.Text, core)
			w.writeText(n.Text[:i])
			w.codeSpan(core)
			w.writeText(n.Text[i+len(core):])
		} else {
			w.writeText(n.Text)
		}
	case "hardBreak":
		w.closeTo(0)
		switch w.ctx {
		case ctxHeading:
			w.buf = append(w.buf, ' ')
		case ctxTable:
			w.buf = append(w.buf, "<br>"...)
		default:
			if len(w.buf) == 0 {
				// A paragraph cannot start with a hard break; the empty
				// first line is lost, as it would be in Jira's own editor.
				return
			}
			w.buf = bytes.TrimRight(w.buf, " \t")
			w.buf = append(w.buf, "\\\n"...)
		}
	case "mention":
		w.guardBang()
		w.buf = append(w.buf, Mention(inlineAtomText(n), n.attrString("id"))...)
	case "inlineCard":
		w.guardBang()
		// Jira draws a card as a chip apart from the words around it;
		// written against them the URL would read as part of a word.
		if len(w.buf) > 0 && !cardBoundary(w.buf) {
			w.buf = append(w.buf, ' ')
		}
		w.buf = append(w.buf, autolink(n.attrString("url"))...)
		w.afterCard = true
		return
	case "date", "status":
		if t := inlineAtomText(n); t != "" {
			w.codeSpan(t)
		}
	default:
		w.writeText(inlineAtomText(n))
	}
}

func (w *inlineWriter) codeSpan(s string) {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	ticks := strings.Repeat("`", longest+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") ||
		(strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") && strings.Trim(s, " ") != "") {
		pad = " "
	}
	if w.ctx == ctxTable {
		s = strings.ReplaceAll(s, "|", "\\|")
	}
	w.buf = append(w.buf, ticks...)
	w.buf = append(w.buf, pad...)
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, pad...)
	w.buf = append(w.buf, ticks...)
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// writeText writes literal text, escaping whatever Markdown would read as
// syntax at this position.
func (w *inlineWriter) writeText(s string) {
	runes := []rune(s)
	for i := 0; i < len(runes); i++ {
		c := runes[i]
		start := w.atLineStart()
		if start && (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r') {
			continue // leading blanks of a line are not kept by Markdown
		}
		prev := rune(0)
		if i > 0 {
			prev = runes[i-1]
		} else if len(w.buf) > 0 {
			prev, _ = utf8.DecodeLastRune(w.buf)
		}
		next := rune(0)
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		esc := false
		switch c {
		case '\\', '`', '*', '[', '~':
			esc = true
		case '_':
			esc = !(isAlnum(prev) && isAlnum(next))
		case ']':
			esc = w.linkDepth > 0
		case '<':
			esc = unicode.IsLetter(next) || next == '/' || next == '!' || next == '?'
		case '&':
			esc = entityLike(runes[i+1:])
		case '#':
			esc = start || w.ctx == ctxHeading
		case '>', '+', '=', '-':
			esc = start
		case '|':
			esc = start || w.ctx == ctxTable // a line starting with | may be a table row
		case '\n':
			w.buf = append(w.buf, ' ')
			continue
		case 0:
			c = '\uFFFD' // CommonMark replaces NUL; do it here so output is stable
		}
		if start && c >= '0' && c <= '9' {
			j := i
			for j < len(runes) && j-i < 10 && runes[j] >= '0' && runes[j] <= '9' {
				j++
			}
			if j < len(runes) && j-i < 10 && (runes[j] == '.' || runes[j] == ')') {
				w.buf = append(w.buf, string(runes[i:j])...)
				w.buf = append(w.buf, '\\', byte(runes[j]))
				i = j
				continue
			}
		}
		if esc {
			w.buf = append(w.buf, '\\')
		}
		w.buf = utf8.AppendRune(w.buf, c)
	}
}

// entityLike reports whether s starts like an HTML entity reference
// ("amp;", "#32;"), which Markdown would decode.
func entityLike(s []rune) bool {
	for i, c := range s {
		if c == ';' {
			return i > 0
		}
		if !(isAlnum(c) && c < unicode.MaxASCII || c == '#') || i > 32 {
			return false
		}
	}
	return false
}

// tidyInline trims trailing blanks of every line of a paragraph.
func tidyInline(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// tidyLines is the final pass: no trailing blanks on any line and no
// leading or trailing blank lines. blocks never emits two blank lines in a
// row, so blank runs inside code blocks are the author's and stay.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}
