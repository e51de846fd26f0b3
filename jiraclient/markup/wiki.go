package markup

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// WikiToMarkdown converts Jira wiki markup (the body format of Jira Data
// Center and of REST v2 on Cloud) to Markdown. It parses the wiki text into
// ADF and renders that, so both Jira flavours end up in the same Markdown.
// Text that is not valid markup is kept as text; nothing is dropped except
// formatting Markdown cannot show (colours, underline, sub/superscript).
func WikiToMarkdown(wiki string) string {
	return ADFToMarkdown(parseWiki(wiki))
}

// parseWiki builds an ADF document from wiki markup. The parser is
// line-oriented for blocks (headings, lists, tables, macros) and a small
// recursive scanner for inline formatting, following the rules of Jira's
// renderer: a formatting character opens only after a non-word character and
// before a non-blank one, and closes before a non-word character.
func parseWiki(wiki string) *Node {
	wiki = strings.ReplaceAll(strings.ToValidUTF8(wiki, "\uFFFD"), "\x00", "\uFFFD")
	wiki = strings.ReplaceAll(wiki, "\r\n", "\n")
	wiki = strings.ReplaceAll(wiki, "\r", "\n")
	p := wikiParser{lines: strings.Split(wiki, "\n")}
	doc := emptyDoc()
	doc.Content = p.blocks(0)
	if doc.Content == nil {
		doc.Content = []*Node{}
	}
	return doc
}

type wikiParser struct {
	lines []string
	pos   int
}

var (
	wikiHeading = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^h([1-6])\.\s*(.*)$`) })
	// A line of markers alone is an empty item, which is how an empty
	// Markdown list item comes out.
	wikiList  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:([*#]+|-)\s+(.*)|([*#]+))$`) })
	wikiMacro = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\{(code|noformat|quote|panel|info|note|warning|tip)(?::([^}]*))?\}`)
	})
)

func (p *wikiParser) blocks(depth int) []*Node {
	var out []*Node
	for p.pos < len(p.lines) {
		line := strings.TrimLeft(p.lines[p.pos], " \t")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			p.pos++
		case wikiHeading().MatchString(trimmed):
			m := wikiHeading().FindStringSubmatch(trimmed)
			p.pos++
			out = append(out, &Node{Type: "heading", Attrs: map[string]any{"level": float64(m[1][0] - '0')}, Content: parseWikiInline(m[2], depth)})
		case strings.HasPrefix(trimmed, "bq. ") || trimmed == "bq.":
			p.pos++
			para := &Node{Type: "paragraph", Content: parseWikiInline(strings.TrimPrefix(strings.TrimPrefix(trimmed, "bq."), " "), depth)}
			out = append(out, &Node{Type: "blockquote", Content: []*Node{para}})
		case trimmed == "----":
			p.pos++
			out = append(out, &Node{Type: "rule"})
		case strings.HasPrefix(line, "|"):
			out = append(out, p.table(depth))
		case wikiList().MatchString(line):
			out = append(out, p.list(depth)...)
		default:
			if n := p.macro(line, depth); n != nil {
				out = append(out, n)
				continue
			}
			out = append(out, p.paragraph(depth))
		}
	}
	return out
}

// startsBlock reports whether a line begins a block construct, which ends a
// paragraph or a list item's continuation lines.
func startsBlock(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || wikiHeading().MatchString(t) || strings.HasPrefix(t, "bq. ") || t == "----" ||
		strings.HasPrefix(strings.TrimLeft(line, " \t"), "|") || wikiList().MatchString(strings.TrimLeft(line, " \t")) ||
		wikiMacro().MatchString(strings.TrimLeft(line, " \t"))
}

// paragraph gathers lines up to the next blank line or block. A newline
// inside a wiki paragraph is a line break in Jira, so lines are joined with
// hard breaks (parseWikiInline turns "\n" into hardBreak).
func (p *wikiParser) paragraph(depth int) *Node {
	var lines []string
	for p.pos < len(p.lines) {
		l := p.lines[p.pos]
		if len(lines) > 0 && startsBlock(l) {
			break
		}
		lines = append(lines, strings.TrimSpace(l))
		p.pos++
	}
	return &Node{Type: "paragraph", Content: parseWikiInline(strings.Join(lines, "\n"), depth)}
}

// macro parses {code}, {noformat}, {quote} and the panel family starting at
// the current line. It returns nil when the line does not open one or the
// closing tag is missing, so the text is kept as a paragraph instead.
func (p *wikiParser) macro(line string, depth int) *Node {
	m := wikiMacro().FindStringSubmatch(line)
	if m == nil {
		return nil
	}
	name, params := m[1], m[2]
	closeTag := "{" + name + "}"
	rest := line[len(m[0]):]
	// Find the closing tag, possibly on a later line.
	var inner strings.Builder
	for i := p.pos; i < len(p.lines); i++ {
		seg := rest
		if i > p.pos {
			seg = p.lines[i]
			inner.WriteByte('\n')
		}
		if j := strings.Index(seg, closeTag); j >= 0 {
			inner.WriteString(seg[:j])
			after := seg[j+len(closeTag):]
			if strings.TrimSpace(after) == "" {
				p.pos = i + 1
			} else {
				p.lines[i] = after
				p.pos = i
			}
			return buildMacro(name, params, inner.String(), depth)
		}
		inner.WriteString(seg)
	}
	return nil
}

func buildMacro(name, params, inner string, depth int) *Node {
	positional, kv := macroParams(params)
	switch name {
	case "code", "noformat":
		code := strings.TrimPrefix(inner, "\n")
		code = strings.TrimSuffix(code, "\n")
		n := &Node{Type: "codeBlock"}
		if name == "code" {
			lang := positional
			if l := kv["language"]; l != "" {
				lang = l
			}
			if lang != "" {
				n.Attrs = map[string]any{"language": strings.ToLower(lang)}
			}
		}
		if code != "" {
			n.Content = []*Node{{Type: "text", Text: code}}
		}
		return n
	}
	var content []*Node
	if depth < maxDepth {
		sub := wikiParser{lines: strings.Split(inner, "\n")}
		content = sub.blocks(depth + 1)
	} else {
		content = []*Node{{Type: "paragraph", Content: []*Node{{Type: "text", Text: inner}}}}
	}
	if name == "quote" {
		return &Node{Type: "blockquote", Content: content}
	}
	typ := map[string]string{"info": "info", "note": "note", "warning": "warning", "tip": "success"}[name]
	if name == "panel" {
		typ = panelTypeForColor(kv["bgColor"])
	}
	if title := kv["title"]; title != "" {
		head := &Node{Type: "paragraph", Content: []*Node{{Type: "text", Text: title, Marks: []Mark{{Type: "strong"}}}}}
		content = append([]*Node{head}, content...)
	}
	return &Node{Type: "panel", Attrs: map[string]any{"panelType": typ}, Content: content}
}

// panelTypeForColor recognises the background colours Jira Cloud writes when
// it turns an ADF panel into wiki markup (captured: #deebff for info,
// #eae6ff for note); any other {panel} reads as a note.
func panelTypeForColor(c string) string {
	switch strings.ToLower(strings.TrimSpace(c)) {
	case "#deebff":
		return "info"
	case "#e3fcef":
		return "success"
	case "#fffae6":
		return "warning"
	case "#ffebe6":
		return "error"
	}
	return "note"
}

// macroParams splits "java|title=Foo|borderStyle=solid" into the first
// positional value and the key=value pairs.
func macroParams(s string) (string, map[string]string) {
	kv := map[string]string{}
	positional := ""
	for i, part := range strings.Split(s, "|") {
		if k, v, ok := strings.Cut(part, "="); ok {
			kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
		} else if i == 0 {
			positional = strings.TrimSpace(part)
		}
	}
	return positional, kv
}

type wikiItem struct {
	markers string
	text    string
}

func (p *wikiParser) list(depth int) []*Node {
	var items []wikiItem
	for p.pos < len(p.lines) {
		l := strings.TrimLeft(p.lines[p.pos], " \t")
		if m := wikiList().FindStringSubmatch(l); m != nil {
			markers := m[1]
			if markers == "" {
				markers = m[3]
			}
			if markers == "-" {
				markers = "*"
			}
			items = append(items, wikiItem{markers: markers, text: strings.TrimSpace(m[2])})
			p.pos++
			continue
		}
		if startsBlock(l) {
			break
		}
		// A plain line after an item continues it on a new line.
		items[len(items)-1].text += "\n" + strings.TrimSpace(l)
		p.pos++
	}
	var out []*Node
	for len(items) > 0 {
		var n *Node
		n, items = buildWikiList(items, 0, depth)
		out = append(out, n)
	}
	return out
}

// buildWikiList builds one list at nesting level lvl from the front of items
// and returns the items it did not use: the list ends where an item of this
// level switches between * and #.
func buildWikiList(items []wikiItem, lvl, depth int) (*Node, []wikiItem) {
	kind := items[0].markers[min(lvl, len(items[0].markers)-1)]
	list := &Node{Type: "bulletList"}
	if kind == '#' {
		list.Type = "orderedList"
	}
	for len(items) > 0 {
		it := items[0]
		if len(it.markers) <= lvl {
			break
		}
		if len(it.markers) == lvl+1 {
			if it.markers[lvl] != kind {
				break
			}
			para := &Node{Type: "paragraph", Content: parseWikiInline(it.text, depth)}
			list.Content = append(list.Content, &Node{Type: "listItem", Content: []*Node{para}})
			items = items[1:]
			continue
		}
		// Deeper item: nest under the last item (or an empty one).
		if len(list.Content) == 0 {
			list.Content = append(list.Content, &Node{Type: "listItem", Content: []*Node{{Type: "paragraph"}}})
		}
		var sub *Node
		if lvl >= maxDepth {
			it.markers = it.markers[:lvl+1]
			items[0] = it
			continue
		}
		sub, items = buildWikiList(items, lvl+1, depth)
		last := list.Content[len(list.Content)-1]
		last.Content = append(last.Content, sub)
	}
	return list, items
}

func (p *wikiParser) table(depth int) *Node {
	t := &Node{Type: "table", Attrs: map[string]any{"isNumberColumnEnabled": false, "layout": "default"}}
	for p.pos < len(p.lines) {
		l := strings.TrimSpace(p.lines[p.pos])
		if !strings.HasPrefix(l, "|") {
			break
		}
		p.pos++
		row := &Node{Type: "tableRow"}
		for _, c := range splitWikiRow(l) {
			typ := "tableCell"
			if c.header {
				typ = "tableHeader"
			}
			cell := &Node{Type: typ, Content: []*Node{{Type: "paragraph", Content: parseWikiInline(strings.TrimSpace(c.text), depth)}}}
			row.Content = append(row.Content, cell)
		}
		if len(row.Content) > 0 {
			t.Content = append(t.Content, row)
		}
	}
	return t
}

type wikiCell struct {
	header bool
	text   string
}

// splitWikiRow splits "||h1||h2||" or "|a|[x|y]|" into cells, leaving the
// bars inside links, {{monospace}} and escapes alone.
func splitWikiRow(l string) []wikiCell {
	var cells []wikiCell
	var cur *wikiCell
	var b strings.Builder
	flush := func() {
		if cur != nil {
			cur.text = b.String()
			cells = append(cells, *cur)
		}
		b.Reset()
	}
	for i := 0; i < len(l); {
		switch {
		case l[i] == '|':
			flush()
			header := i+1 < len(l) && l[i+1] == '|'
			cur = &wikiCell{header: header}
			if header {
				i += 2
			} else {
				i++
			}
			continue
		case l[i] == '\\' && i+1 < len(l):
			b.WriteString(l[i : i+2])
			i += 2
			continue
		case l[i] == '[':
			if j := strings.IndexByte(l[i:], ']'); j > 0 {
				b.WriteString(l[i : i+j+1])
				i += j + 1
				continue
			}
		case strings.HasPrefix(l[i:], "{{"):
			if j := strings.Index(l[i+2:], "}}"); j >= 0 {
				b.WriteString(l[i : i+2+j+2])
				i += 2 + j + 2
				continue
			}
		}
		b.WriteByte(l[i])
		i++
	}
	// The text after the last bar is a cell only if it is not blank.
	if cur != nil && strings.TrimSpace(b.String()) != "" {
		flush()
	}
	return cells
}

// wikiMarks maps wiki formatting characters to ADF marks.
var wikiMarks = map[rune]Mark{
	'*': {Type: "strong"},
	'_': {Type: "em"},
	'-': {Type: "strike"},
	'+': {Type: "underline"},
	'^': {Type: "subsup", Attrs: map[string]any{"type": "sup"}},
	'~': {Type: "subsup", Attrs: map[string]any{"type": "sub"}},
}

// parseWikiInline parses inline wiki markup into ADF inline nodes.
func parseWikiInline(s string, depth int) []*Node {
	ip := inlineParser{s: []rune(s)}
	ip.parse(0, len(ip.s), nil, depth)
	ip.flush(nil)
	return ip.out
}

// inlineParser scans one paragraph. Every search for a closing delimiter
// goes through tables of next occurrences built once per paragraph, so a
// hostile paragraph full of openers costs linear time, not quadratic.
type inlineParser struct {
	s       []rune
	out     []*Node
	text    strings.Builder
	next    map[string][]int // next[p][i]: first j >= i where p starts, or -1
	closers map[rune][]int   // first valid closer of a mark character at or after i
}

// nextOf returns the first index >= i where p occurs in the paragraph, or -1.
func (ip *inlineParser) nextOf(p string, i int) int {
	if ip.next == nil {
		ip.next = map[string][]int{}
	}
	tbl, ok := ip.next[p]
	if !ok {
		n := len(ip.s)
		pr := []rune(p)
		tbl = make([]int, n+1)
		tbl[n] = -1
		for k := n - 1; k >= 0; k-- {
			if runesHavePrefix(ip.s[k:], pr) {
				tbl[k] = k
			} else {
				tbl[k] = tbl[k+1]
			}
		}
		ip.next[p] = tbl
	}
	if i >= len(tbl) {
		return -1
	}
	return tbl[i]
}

// closer finds the formatting character c that closes the one at open:
// after a non-blank character, before a non-word one, on the same line and
// before hi.
func (ip *inlineParser) closer(open, hi int, c rune) int {
	if ip.closers == nil {
		ip.closers = map[rune][]int{}
	}
	tbl, ok := ip.closers[c]
	if !ok {
		s := ip.s
		n := len(s)
		tbl = make([]int, n+1)
		tbl[n] = -1
		for j := n - 1; j >= 0; j-- {
			tbl[j] = tbl[j+1]
			if s[j] == c && j > 0 && !unicode.IsSpace(s[j-1]) && s[j-1] != '\\' &&
				(j+1 == n || !isWordRune(s[j+1]) && s[j+1] != c) {
				tbl[j] = j
			}
		}
		ip.closers[c] = tbl
	}
	if open+2 > len(tbl)-1 {
		return -1
	}
	j := tbl[open+2]
	if j < 0 || j >= hi {
		return -1
	}
	if nl := ip.nextOf("\n", open); nl >= 0 && nl < j {
		return -1
	}
	return j
}

func (ip *inlineParser) flush(marks []Mark) {
	if ip.text.Len() == 0 {
		return
	}
	ip.emit(&Node{Type: "text", Text: ip.text.String(), Marks: cloneMarks(marks)})
	ip.text.Reset()
}

func cloneMarks(m []Mark) []Mark {
	if len(m) == 0 {
		return nil
	}
	return append([]Mark(nil), m...)
}

// emit appends a node, merging text with the text before it when the marks
// are the same.
func (ip *inlineParser) emit(n *Node) {
	if n.Type == "text" && len(ip.out) > 0 {
		last := ip.out[len(ip.out)-1]
		if last.Type == "text" && sameMarks(last.Marks, n.Marks) {
			last.Text += n.Text
			return
		}
	}
	ip.out = append(ip.out, n)
}

func sameMarks(a, b []Mark) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type != b[i].Type || anyString(a[i].Attrs["href"]) != anyString(b[i].Attrs["href"]) ||
			anyString(a[i].Attrs["type"]) != anyString(b[i].Attrs["type"]) ||
			anyString(a[i].Attrs["color"]) != anyString(b[i].Attrs["color"]) {
			return false
		}
	}
	return true
}

func withMark(marks []Mark, m Mark) []Mark {
	for _, x := range marks {
		if x.Type == m.Type {
			return marks
		}
	}
	return append(append([]Mark(nil), marks...), m)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isASCIIPunct(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsPunct(r) || unicode.IsSymbol(r))
}

// nested parses s[lo:hi] with one more mark.
func (ip *inlineParser) nested(lo, hi int, marks []Mark, m Mark, depth int) {
	ip.flush(marks)
	inner := withMark(marks, m)
	ip.parse(lo, hi, inner, depth+1)
	ip.flush(inner)
}

func (ip *inlineParser) parse(lo, hi int, marks []Mark, depth int) {
	s := ip.s
	for i := lo; i < hi; i++ {
		c := s[i]
		prev := rune(0)
		if i > lo {
			prev = s[i-1]
		}
		nextc := rune(0)
		if i+1 < hi {
			nextc = s[i+1]
		}
		switch {
		case c == '\\' && nextc == '\\':
			ip.flush(marks)
			ip.emit(&Node{Type: "hardBreak"})
			i++
			continue
		case c == '\\' && isASCIIPunct(nextc):
			// A backslash escapes punctuation only; "C:\Users" stays as is.
			ip.text.WriteRune(nextc)
			i++
			continue
		case c == '\n':
			ip.flush(marks)
			ip.emit(&Node{Type: "hardBreak"})
			continue
		case c == '{' && nextc == '{':
			if j := ip.nextOf("}}", i+2); j > i+2 && j+2 <= hi {
				ip.flush(marks)
				ip.emit(&Node{Type: "text", Text: string(s[i+2 : j]), Marks: withMark(cloneMarks(onlyLink(marks)), Mark{Type: "code"})})
				i = j + 1
				continue
			}
		case c == '{' && i+2 < hi && s[i+2] == '}' && depth < maxDepth:
			// Braced delimiters, {*}bold{*}, format inside words.
			if m, ok := wikiMarks[nextc]; ok {
				tag := string([]rune{'{', nextc, '}'})
				if j := ip.nextOf(tag, i+3); j > i+3 && j+3 <= hi {
					ip.nested(i+3, j, marks, m, depth)
					i = j + 2
					continue
				}
			}
		case c == '{' && hasPrefixRunes(s[i:hi], "{color"):
			if end := ip.color(i, hi, marks, depth); end > 0 {
				i = end - 1
				continue
			}
		case c == '[':
			if end := ip.link(i, hi, marks, depth); end > 0 {
				i = end - 1
				continue
			}
		case c == '!' && !isWordRune(prev) && nextc != 0 && !unicode.IsSpace(nextc):
			if j := ip.nextOf("!", i+1); j > i+1 && j < hi {
				if nl := ip.nextOf("\n", i); nl < 0 || nl > j {
					name, _, _ := strings.Cut(string(s[i+1:j]), "|")
					if name != "" && !strings.ContainsAny(name, " \t") {
						ip.text.WriteString("[attachment: " + name + "]")
						i = j
						continue
					}
				}
			}
		case c == '?' && nextc == '?' && !isWordRune(prev) && depth < maxDepth && i+2 < hi && !unicode.IsSpace(s[i+2]):
			if j := ip.nextOf("??", i+2); j > i+2 && j+2 <= hi && !unicode.IsSpace(s[j-1]) {
				if nl := ip.nextOf("\n", i); nl < 0 || nl > j {
					ip.nested(i+2, j, marks, Mark{Type: "em"}, depth)
					i = j + 1
					continue
				}
			}
		}
		if m, ok := wikiMarks[c]; ok && depth < maxDepth && !isWordRune(prev) && prev != c && nextc != 0 && !unicode.IsSpace(nextc) && nextc != c {
			if j := ip.closer(i, hi, c); j > 0 {
				ip.nested(i+1, j, marks, m, depth)
				i = j
				continue
			}
		}
		ip.text.WriteRune(c)
	}
	ip.flush(marks)
}

func onlyLink(marks []Mark) []Mark {
	var out []Mark
	for _, m := range marks {
		if m.Type == "link" {
			out = append(out, m)
		}
	}
	return out
}

// color handles {color:#hex}text{color}; it returns the index after the
// closing tag, or 0 when s[i:] is not a colour span.
func (ip *inlineParser) color(i, hi int, marks []Mark, depth int) int {
	end := ip.nextOf("}", i)
	if end < 0 || end >= hi {
		return 0
	}
	col, ok := strings.CutPrefix(string(ip.s[i+1:end]), "color:")
	if !ok {
		return 0
	}
	start := end + 1
	j := ip.nextOf("{color}", start)
	if j < 0 || j+len("{color}") > hi {
		return 0
	}
	if depth < maxDepth {
		ip.nested(start, j, marks, Mark{Type: "textColor", Attrs: map[string]any{"color": strings.TrimSpace(col)}}, depth)
	} else {
		ip.parse(start, j, marks, depth+1)
	}
	return j + len("{color}")
}

// link handles [text|url], [url], [~user], [^attachment] and [#anchor]; it
// returns the index after "]", or 0 when the brackets are just text.
func (ip *inlineParser) link(i, hi int, marks []Mark, depth int) int {
	s := ip.s
	j := -1
	for k := i + 1; k < hi; k++ {
		if s[k] == '\n' || s[k] == '[' {
			break
		}
		if s[k] == '\\' {
			k++
			continue
		}
		if s[k] == ']' {
			j = k
			break
		}
	}
	if j < 0 {
		return 0
	}
	body := string(s[i+1 : j])
	// The text ends at the first bar that is not escaped.
	text, target, hasText := body, body, false
	for k := 0; k < len(body); k++ {
		if body[k] == '\\' {
			k++
			continue
		}
		if body[k] == '|' {
			text, target, hasText = body[:k], body[k+1:], true
			break
		}
	}
	target, _, _ = strings.Cut(target, "|") // [text|url|tooltip]
	target = strings.TrimSpace(target)
	switch {
	case strings.HasPrefix(target, "~"):
		id := strings.TrimPrefix(target, "~")
		if id == "" {
			return 0
		}
		// Jira shows the user's own name whatever text [text|~user]
		// gives, so the id is the name here too.
		ip.flush(marks)
		ip.emit(&Node{Type: "mention", Attrs: map[string]any{"id": id, "text": "@" + id}})
	case strings.HasPrefix(target, "^"):
		ip.text.WriteString("[attachment: " + strings.TrimPrefix(target, "^") + "]")
	case target == "" || !hasText && !looksLikeURL(target):
		return 0
	case strings.HasPrefix(target, "#"):
		if !hasText || strings.TrimSpace(text) == "" {
			text = target
		}
		ip.text.WriteString(text)
	default:
		m := Mark{Type: "link", Attrs: map[string]any{"href": target}}
		if !hasText || strings.TrimSpace(text) == "" {
			ip.flush(marks)
			ip.text.WriteString(target)
			ip.flush(withMark(marks, m))
			return j + 1
		}
		// The text is parsed in place: its runes are s[i+1 : i+1+len(text)].
		tl := len([]rune(text))
		if depth < maxDepth {
			ip.nested(i+1, i+1+tl, marks, m, depth)
		} else {
			ip.flush(marks)
			ip.text.WriteString(text)
			ip.flush(withMark(marks, m))
		}
	}
	return j + 1
}

func looksLikeURL(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "://") || strings.HasPrefix(l, "mailto:") || strings.HasPrefix(l, "www.") ||
		strings.HasPrefix(l, "/") || strings.HasPrefix(l, "#")
}

func hasPrefixRunes(s []rune, p string) bool { return runesHavePrefix(s, []rune(p)) }

func runesHavePrefix(s, pr []rune) bool {
	if len(s) < len(pr) {
		return false
	}
	for i := range pr {
		if s[i] != pr[i] {
			return false
		}
	}
	return true
}
