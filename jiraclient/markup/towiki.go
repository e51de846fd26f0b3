package markup

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MarkdownToWiki converts Markdown to Jira wiki markup for Jira Data Center
// (and REST v2 on Cloud). It goes through ADF, so everything MarkdownToADF
// understands (mentions, panels, task lists, tables) has a wiki form:
// mentions become [~ID], panels {info}/{note}/{warning}/{tip}, code blocks
// {code:lang} or {noformat}, task items "[ ]"/"[x]" bullets.
func MarkdownToWiki(md string) string {
	var r wikiRenderer
	return tidyLines(r.blocks(MarkdownToADF(md).Content))
}

type wikiRenderer struct {
	depth int
}

func (r *wikiRenderer) blocks(nodes []*Node) string {
	var parts []string
	for _, n := range nodes {
		if n == nil {
			continue
		}
		if s := r.block(n); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n\n")
}

func (r *wikiRenderer) block(n *Node) string {
	if r.depth > maxDepth {
		return escapeWikiText(PlainText(n), wctxPara)
	}
	r.depth++
	defer func() { r.depth-- }()
	switch n.Type {
	case "paragraph":
		return r.inlines(n.Content, wctxPara)
	case "heading":
		s := r.inlines(n.Content, wctxHeading)
		if s == "" {
			return ""
		}
		return "h" + strconv.Itoa(min(max(n.attrInt("level", 1), 1), 6)) + ". " + s
	case "bulletList", "orderedList", "taskList":
		return strings.Join(r.list(n, ""), "\n")
	case "codeBlock":
		code := textOf(n)
		if lang := n.attrString("language"); lang != "" && !strings.ContainsAny(lang, "{}|") {
			return "{code:" + lang + "}\n" + code + "\n{code}"
		}
		return "{noformat}\n" + code + "\n{noformat}"
	case "blockquote":
		if len(n.Content) == 1 && n.Content[0].Type == "paragraph" && !hasHardBreak(n.Content[0]) {
			if s := r.inlines(n.Content[0].Content, wctxPara); s != "" {
				return "bq. " + s
			}
		}
		body := r.blocks(n.Content)
		return "{quote}\n" + body + "\n{quote}"
	case "panel":
		name := map[string]string{"info": "info", "note": "note", "warning": "warning", "error": "warning", "success": "tip"}[n.attrString("panelType")]
		if name == "" {
			name = "note"
		}
		return "{" + name + "}\n" + r.blocks(n.Content) + "\n{" + name + "}"
	case "rule":
		return "----"
	case "table":
		return r.table(n)
	case "mediaSingle", "mediaGroup", "media", "blockCard", "embedCard":
		return escapeWikiText(inlineAtomText(n), wctxPara)
	case "expand", "nestedExpand":
		body := r.blocks(n.Content)
		if t := n.attrString("title"); t != "" {
			return "*" + escapeWikiText(t, wctxPara) + "*\n\n" + body
		}
		return body
	}
	if len(n.Content) > 0 {
		if allBlocks(n.Content) {
			return r.blocks(n.Content)
		}
		return r.inlines(n.Content, wctxPara)
	}
	return r.inlines([]*Node{n}, wctxPara)
}

// wikiHref percent-encodes the characters that end a wiki link target.
func wikiHref(h string) string {
	return strings.NewReplacer("|", "%7C", "]", "%5D", "[", "%5B").Replace(h)
}

func hasHardBreak(n *Node) bool {
	for _, c := range n.Content {
		if c.Type == "hardBreak" || strings.Contains(c.Text, "\n") {
			return true
		}
	}
	return false
}

// list renders a list as wiki lines; nesting is the marker prefix ("*#").
func (r *wikiRenderer) list(n *Node, prefix string) []string {
	marker := prefix + "*"
	if n.Type == "orderedList" {
		marker = prefix + "#"
	}
	var lines []string
	for _, it := range n.Content {
		if it == nil {
			continue
		}
		switch it.Type {
		case "taskItem":
			box := "[ ] "
			if strings.EqualFold(it.attrString("state"), "DONE") {
				box = "[x] "
			}
			lines = append(lines, marker+" "+escapeWikiText(box, wctxCell)+r.inlines(it.Content, wctxCell))
			continue
		case "taskList", "bulletList", "orderedList":
			if r.depth < maxDepth {
				r.depth++
				lines = append(lines, r.list(it, marker)...)
				r.depth--
			}
			continue
		}
		var text []string
		var nested []string
		for _, c := range it.Content {
			switch c.Type {
			case "bulletList", "orderedList", "taskList":
				if r.depth < maxDepth {
					r.depth++
					nested = append(nested, r.list(c, marker)...)
					r.depth--
				}
			case "paragraph", "heading":
				if s := r.inlines(c.Content, wctxCell); s != "" {
					text = append(text, s)
				}
			default:
				if s := escapeWikiText(PlainText(c), wctxCell); s != "" {
					text = append(text, s)
				}
			}
		}
		lines = append(lines, strings.TrimRight(marker+" "+strings.Join(text, "\\\\"), " "))
		lines = append(lines, nested...)
	}
	return lines
}

func (r *wikiRenderer) table(n *Node) string {
	var rows []string
	for _, row := range n.Content {
		if row == nil || row.Type != "tableRow" {
			continue
		}
		var b strings.Builder
		for _, cell := range row.Content {
			if cell == nil {
				continue
			}
			sep := "|"
			if cell.Type == "tableHeader" {
				sep = "||"
			}
			var parts []string
			for _, c := range cell.Content {
				var s string
				if c.Type == "paragraph" || c.Type == "heading" {
					s = r.inlines(c.Content, wctxCell)
				} else {
					s = escapeWikiText(PlainText(c), wctxCell)
				}
				if s != "" {
					parts = append(parts, s)
				}
			}
			content := strings.Join(parts, "\\\\")
			if content == "" {
				content = " "
			}
			b.WriteString(sep)
			b.WriteString(content)
			if row.Content[len(row.Content)-1] == cell {
				b.WriteString(sep)
			}
		}
		if b.Len() > 0 {
			rows = append(rows, b.String())
		}
	}
	return strings.Join(rows, "\n")
}

type wikiCtx int

const (
	wctxPara    wikiCtx = iota
	wctxHeading         // one line
	wctxCell            // one line, bars escaped, breaks as \\
)

// wikiDelims are the delimiters of the marks wiki markup has, in nesting
// order (outermost first). link and code are handled apart.
var wikiDelims = []struct {
	mark  string
	delim string
}{{"strong", "*"}, {"em", "_"}, {"strike", "-"}, {"underline", "+"}, {"sup", "^"}, {"sub", "~"}}

func (r *wikiRenderer) inlines(nodes []*Node, ctx wikiCtx) string {
	var w wikiWriter
	w.ctx = ctx
	items := flattenInlines(nodes)
	for len(items) > 0 && items[len(items)-1].n.Type == "hardBreak" {
		items = items[:len(items)-1]
	}
	for i, it := range items {
		next := rune(0)
		if i+1 < len(items) && items[i+1].n.Type == "text" {
			next, _ = utf8.DecodeRuneInString(items[i+1].n.Text)
		}
		w.item(it.n, next)
	}
	// Breaks in a row would make blank lines, which in wiki markup end the
	// paragraph; one blank line says the same, more say nothing more.
	out := tidyInline(w.b.String())
	for strings.Contains(out, "\n\n\n") {
		out = strings.ReplaceAll(out, "\n\n\n", "\n\n")
	}
	return out
}

type wikiWriter struct {
	b   strings.Builder
	ctx wikiCtx
}

func (w *wikiWriter) last() rune {
	s := w.b.String()
	r, _ := utf8.DecodeLastRuneInString(s)
	if s == "" {
		return 0
	}
	return r
}

func (w *wikiWriter) item(n *Node, next rune) {
	switch n.Type {
	case "hardBreak":
		switch w.ctx {
		case wctxHeading:
			w.b.WriteByte(' ')
		case wctxCell:
			w.b.WriteString("\\\\")
		default:
			w.b.WriteByte('\n')
		}
	case "text":
		w.text(n, next)
	case "mention":
		id := n.attrString("id")
		if id == "" {
			w.b.WriteString(escapeWikiText(inlineAtomText(n), w.ctx))
			return
		}
		w.b.WriteString("[~" + id + "]")
	case "inlineCard":
		if u := n.attrString("url"); u != "" {
			w.b.WriteString("[" + u + "]")
		}
	case "date", "status":
		if t := inlineAtomText(n); t != "" {
			w.b.WriteString("{{" + t + "}}")
		}
	default:
		w.text(&Node{Type: "text", Text: inlineAtomText(n), Marks: n.Marks}, next)
	}
}

func (w *wikiWriter) text(n *Node, next rune) {
	s := n.Text
	if s == "" {
		return
	}
	lead := s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsSpace))]
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	trail := s[len(strings.TrimRightFunc(s, unicode.IsSpace)):]
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	w.writeEscaped(lead)
	if s == "" {
		w.writeEscaped(trail)
		return
	}
	var open, closeS []string
	link, isLink := markOf(n.Marks, "link")
	href := link.attrString("href")
	if isLink && href != "" {
		open = append(open, "[")
	}
	if m, ok := markOf(n.Marks, "textColor"); ok && m.attrString("color") != "" {
		open = append(open, "{color:"+m.attrString("color")+"}")
		closeS = append([]string{"{color}"}, closeS...)
	}
	// Braced delimiters ({*}) work inside words, where plain ones do not.
	before, after := w.last(), next
	if lead != "" {
		before = ' '
	}
	if trail != "" {
		after = ' '
	}
	// Next to a word, or to another delimiter, only the braced form is read.
	braced := isWordRune(before) || isWordRune(after) ||
		strings.ContainsRune("*_-+^~{}", before) || strings.ContainsRune("*_-+^~{}", after)
	for _, d := range wikiDelims {
		has := hasMark(n.Marks, d.mark)
		if d.mark == "sup" || d.mark == "sub" {
			m, ok := markOf(n.Marks, "subsup")
			has = ok && m.attrString("type") == d.mark
		}
		if !has {
			continue
		}
		delim := d.delim
		if braced {
			delim = "{" + d.delim + "}"
		}
		open = append(open, delim)
		closeS = append([]string{delim}, closeS...)
	}
	for _, o := range open {
		w.b.WriteString(o)
	}
	if hasMark(n.Marks, "code") && !strings.Contains(s, "}}") {
		w.b.WriteString("{{" + s + "}}")
	} else if isLink && href != "" && s == href {
		w.b.WriteString(wikiHref(href))
	} else if isLink && href != "" {
		// Escaped as in a table cell: a bar in link text would end it.
		prev := w.last()
		w.b.WriteString(escapeWikiTextAt(s, wctxCell, prev, w.b.Len() == 0 || prev == '\n'))
	} else {
		w.writeEscaped(s)
	}
	for _, c := range closeS {
		w.b.WriteString(c)
	}
	if isLink && href != "" {
		if s != href {
			w.b.WriteString("|" + wikiHref(href))
		}
		w.b.WriteString("]")
	}
	w.writeEscaped(trail)
}

func (w *wikiWriter) writeEscaped(s string) {
	if s == "" {
		return
	}
	prev := w.last()
	atStart := w.b.Len() == 0 || prev == '\n'
	w.b.WriteString(escapeWikiTextAt(s, w.ctx, prev, atStart))
}

func escapeWikiText(s string, ctx wikiCtx) string {
	return escapeWikiTextAt(s, ctx, 0, true)
}

// escapeWikiTextAt escapes the characters Jira's wiki renderer would read
// as markup at this position: formatting characters at word edges, braces,
// brackets, bars in tables, and list/heading/table syntax at line starts.
func escapeWikiTextAt(s string, ctx wikiCtx, prev rune, atStart bool) string {
	runes := []rune(s)
	var b strings.Builder
	for i, c := range runes {
		if i > 0 {
			prev = runes[i-1]
			atStart = prev == '\n'
		}
		if c == '\n' && ctx != wctxPara {
			if ctx == wctxCell {
				b.WriteString("\\\\")
			} else {
				b.WriteByte(' ')
			}
			continue
		}
		next := rune(0)
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		esc := false
		switch c {
		case '*', '_', '-', '+', '^', '~':
			opener := !isWordRune(prev) && next != 0 && !unicode.IsSpace(next)
			closer := prev != 0 && !unicode.IsSpace(prev) && !isWordRune(next)
			esc = opener || closer
			if atStart && (c == '*' || c == '-') && (next == ' ' || next == c || next == 0) {
				esc = true
			}
		case '?':
			esc = next == '?'
		case '{', '[', ']':
			esc = true
		case '!':
			esc = !isWordRune(prev) && next != 0 && !unicode.IsSpace(next)
		case '|':
			esc = ctx == wctxCell || atStart
		case '#':
			esc = atStart
		case 'h':
			if atStart && i+2 < len(runes) && runes[i+1] >= '1' && runes[i+1] <= '6' && runes[i+2] == '.' {
				b.WriteString("h" + string(runes[i+1]) + "\\")
				runes[i+1] = 0 // written
				continue
			}
		case 'b':
			if atStart && strings.HasPrefix(string(runes[i:]), "bq.") {
				b.WriteString("bq\\")
				runes[i+1] = 0
				continue
			}
		}
		if c == 0 {
			continue
		}
		if esc {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
