package fakejira

// Rich-text bodies (descriptions and comments) are stored once, as a small
// ADF-shaped tree, and rendered per flavour on the way out: as an Atlassian
// Document on REST v3 and as a wiki-markup string on REST v2. Keeping one
// internal form means a Cloud write and a Data Center read of the same fake
// issue agree, and the converters here stay independent of jiraclient/markup
// so the fake cannot share the client's misunderstandings.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// node is one element of a rich-text tree. Type uses ADF's node names
// (doc, paragraph, heading, text, bulletList, orderedList, listItem,
// codeBlock, blockquote, panel, table, tableRow, tableHeader, tableCell,
// mention, hardBreak, rule).
type node struct {
	Type    string
	Text    string         // text nodes
	Marks   []mark         // text nodes
	Attrs   map[string]any // level, language, panelType, mention id (the user's DC name)
	Content []*node
}

// mark is an ADF text mark: strong, em, code, strike, link (Href).
type mark struct {
	Type string
	Href string
}

// --- ADF out ---------------------------------------------------------------

// adfUserResolver maps a mention's internal id (a username) to the accountId
// and display name Cloud puts in the node.
type adfUserResolver func(name string) (accountID, display string)

func toADF(n *node, users adfUserResolver) map[string]any {
	if n == nil {
		return nil
	}
	m := map[string]any{"type": n.Type}
	if n.Type == "doc" {
		m["version"] = 1
	}
	switch n.Type {
	case "text":
		m["text"] = n.Text
		if len(n.Marks) > 0 {
			ms := make([]any, 0, len(n.Marks))
			for _, mk := range n.Marks {
				mm := map[string]any{"type": mk.Type}
				if mk.Type == "link" {
					mm["attrs"] = map[string]any{"href": mk.Href}
				}
				ms = append(ms, mm)
			}
			m["marks"] = ms
		}
	case "mention":
		name, _ := n.Attrs["id"].(string)
		id, disp := name, name
		if users != nil {
			id, disp = users(name)
		}
		m["attrs"] = map[string]any{"id": id, "text": "@" + disp, "accessLevel": ""}
	default:
		if len(n.Attrs) > 0 {
			a := make(map[string]any, len(n.Attrs))
			for k, v := range n.Attrs {
				a[k] = v
			}
			m["attrs"] = a
		}
	}
	if n.Type != "text" && n.Type != "mention" && n.Type != "hardBreak" && n.Type != "rule" {
		cs := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			cs = append(cs, toADF(c, users))
		}
		m["content"] = cs
	}
	return m
}

// --- ADF in ----------------------------------------------------------------

// errNotADF is what v3 writes answer when a body is not a document.
const errNotADF = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"

// adfUserLookup maps an accountId from an incoming mention to a username.
type adfUserLookup func(accountID string) (name string, ok bool)

// fromADF validates and converts an incoming ADF value. It accepts what
// json.Unmarshal produced; anything that is not {"type":"doc",...} fails.
func fromADF(v any, lookup adfUserLookup) (*node, error) {
	m, ok := v.(map[string]any)
	if !ok || m["type"] != "doc" {
		return nil, fmt.Errorf("%s", errNotADF)
	}
	if ver, ok := m["version"]; ok {
		if f, ok := ver.(float64); !ok || f != 1 {
			return nil, fmt.Errorf("%s", errNotADF)
		}
	}
	return adfNode(m, lookup, 0)
}

func adfNode(m map[string]any, lookup adfUserLookup, depth int) (*node, error) {
	if depth > 64 {
		return nil, fmt.Errorf("%s", errNotADF)
	}
	t, _ := m["type"].(string)
	if t == "" {
		return nil, fmt.Errorf("%s", errNotADF)
	}
	n := &node{Type: t}
	attrs, _ := m["attrs"].(map[string]any)
	switch t {
	case "text":
		s, ok := m["text"].(string)
		if !ok {
			return nil, fmt.Errorf("%s", errNotADF)
		}
		n.Text = s
		marks, _ := m["marks"].([]any)
		for _, x := range marks {
			mm, _ := x.(map[string]any)
			mt, _ := mm["type"].(string)
			if mt == "" {
				continue
			}
			mk := mark{Type: mt}
			if a, ok := mm["attrs"].(map[string]any); ok {
				mk.Href, _ = a["href"].(string)
			}
			n.Marks = append(n.Marks, mk)
		}
		return n, nil
	case "mention":
		id, _ := attrs["id"].(string)
		name := id
		if lookup != nil {
			if nm, ok := lookup(id); ok {
				name = nm
			}
		}
		n.Attrs = map[string]any{"id": name}
		return n, nil
	case "emoji":
		sn, _ := attrs["shortName"].(string)
		return &node{Type: "text", Text: sn}, nil
	case "inlineCard":
		u, _ := attrs["url"].(string)
		return &node{Type: "text", Text: u, Marks: []mark{{Type: "link", Href: u}}}, nil
	}
	if len(attrs) > 0 {
		n.Attrs = map[string]any{}
		for k, v := range attrs {
			// JSON numbers arrive as float64; keep integers integral so
			// they round-trip as 2, not 2.0-looking values.
			if f, ok := v.(float64); ok && f == float64(int(f)) {
				v = int(f)
			}
			n.Attrs[k] = v
		}
	}
	cs, _ := m["content"].([]any)
	for _, c := range cs {
		cm, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s", errNotADF)
		}
		cn, err := adfNode(cm, lookup, depth+1)
		if err != nil {
			return nil, err
		}
		n.Content = append(n.Content, cn)
	}
	return n, nil
}

// --- plain text (search, snapshots) ------------------------------------------

func plainText(n *node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		switch n.Type {
		case "text":
			b.WriteString(n.Text)
		case "mention":
			if s, ok := n.Attrs["id"].(string); ok {
				b.WriteString("@" + s)
			}
		case "hardBreak":
			b.WriteByte('\n')
		}
		for _, c := range n.Content {
			walk(c)
		}
		switch n.Type {
		case "paragraph", "heading", "codeBlock", "tableCell", "tableHeader", "listItem":
			b.WriteByte('\n')
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// --- wiki out ----------------------------------------------------------------

func toWiki(n *node) string {
	if n == nil {
		return ""
	}
	var blocks []string
	for _, c := range n.Content {
		if s := wikiBlock(c, ""); s != "" {
			blocks = append(blocks, s)
		}
	}
	return strings.Join(blocks, "\n\n")
}

func wikiBlock(n *node, listPrefix string) string {
	switch n.Type {
	case "paragraph":
		return wikiInline(n.Content)
	case "heading":
		lvl := attrInt(n.Attrs, "level", 1)
		return fmt.Sprintf("h%d. %s", lvl, wikiInline(n.Content))
	case "bulletList", "orderedList":
		sym := "*"
		if n.Type == "orderedList" {
			sym = "#"
		}
		var lines []string
		for _, item := range n.Content {
			lines = append(lines, wikiListItem(item, listPrefix+sym)...)
		}
		return strings.Join(lines, "\n")
	case "codeBlock":
		lang, _ := n.Attrs["language"].(string)
		open := "{code}"
		if lang != "" {
			open = "{code:" + lang + "}"
		}
		return open + "\n" + rawText(n) + "\n{code}"
	case "blockquote":
		var parts []string
		for _, c := range n.Content {
			parts = append(parts, wikiBlock(c, ""))
		}
		if len(parts) == 1 && !strings.Contains(parts[0], "\n") {
			return "bq. " + parts[0]
		}
		return "{quote}\n" + strings.Join(parts, "\n\n") + "\n{quote}"
	case "panel":
		pt, _ := n.Attrs["panelType"].(string)
		var parts []string
		for _, c := range n.Content {
			parts = append(parts, wikiBlock(c, ""))
		}
		// The macros people type on Data Center; a panel type with no
		// macro of its own is a titled {panel}.
		if m, ok := map[string]string{"info": "info", "note": "note", "warning": "warning", "success": "tip"}[pt]; ok {
			return "{" + m + "}\n" + strings.Join(parts, "\n\n") + "\n{" + m + "}"
		}
		open := "{panel}"
		if pt != "" {
			open = "{panel:title=" + strings.ToUpper(pt[:1]) + pt[1:] + "}"
		}
		return open + "\n" + strings.Join(parts, "\n\n") + "\n{panel}"
	case "table":
		var rows []string
		for _, r := range n.Content {
			var b strings.Builder
			for _, cell := range r.Content {
				sep := "|"
				if cell.Type == "tableHeader" {
					sep = "||"
				}
				var txt []string
				for _, p := range cell.Content {
					txt = append(txt, wikiBlock(p, ""))
				}
				b.WriteString(sep + strings.Join(txt, " "))
				if cell == r.Content[len(r.Content)-1] {
					b.WriteString(sep)
				}
			}
			rows = append(rows, b.String())
		}
		return strings.Join(rows, "\n")
	case "rule":
		return "----"
	}
	return wikiInline(n.Content)
}

func wikiListItem(item *node, prefix string) []string {
	var lines []string
	first := true
	for _, c := range item.Content {
		switch c.Type {
		case "bulletList", "orderedList":
			lines = append(lines, wikiBlock(c, prefix))
		default:
			if first {
				lines = append(lines, prefix+" "+wikiBlock(c, ""))
				first = false
			} else {
				lines = append(lines, wikiBlock(c, ""))
			}
		}
	}
	if first {
		lines = append([]string{prefix + " "}, lines...)
	}
	return lines
}

func rawText(n *node) string {
	var b strings.Builder
	for _, c := range n.Content {
		b.WriteString(c.Text)
	}
	return b.String()
}

func wikiInline(ns []*node) string {
	var b strings.Builder
	for _, n := range ns {
		switch n.Type {
		case "text":
			s := n.Text
			var href string
			for _, m := range n.Marks {
				switch m.Type {
				case "strong":
					s = "*" + s + "*"
				case "em":
					s = "_" + s + "_"
				case "code":
					s = "{{" + s + "}}"
				case "strike":
					s = "-" + s + "-"
				case "link":
					href = m.Href
				}
			}
			if href != "" {
				if s == href {
					s = "[" + href + "]"
				} else {
					s = "[" + s + "|" + href + "]"
				}
			}
			b.WriteString(s)
		case "mention":
			id, _ := n.Attrs["id"].(string)
			b.WriteString("[~" + id + "]")
		case "hardBreak":
			b.WriteString("\\\\\n")
		}
	}
	return b.String()
}

func attrInt(a map[string]any, k string, def int) int {
	switch v := a[k].(type) {
	case int:
		return v
	case float64:
		return int(v)
	case string:
		if i, err := strconv.Atoi(v); err == nil {
			return i
		}
	}
	return def
}

// --- wiki in -----------------------------------------------------------------

var (
	reHeading = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^h([1-6])\.\s*(.*)$`) })
	reList    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([*#-]+)\s+(.*)$`) })
	reCode    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\{(code|noformat)(?::([^}]*))?\}(.*)$`) })
	rePanel   = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\{(panel|info|note|warning|tip)(?::([^}]*))?\}(.*)$`)
	})
)

// fromWiki parses the wiki markup subset Jira's renderer users type most.
// Unknown syntax stays as literal text, which is what Jira shows too.
func fromWiki(s string) *node {
	doc := &node{Type: "doc"}
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	doc.Content = wikiBlocks(lines)
	return doc
}

func wikiBlocks(lines []string) []*node {
	var out []*node
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, &node{Type: "paragraph", Content: parseInline(strings.Join(para, "\n"))})
			para = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trim := strings.TrimSpace(line)
		switch {
		case trim == "":
			flush()
		case reCode().MatchString(trim):
			flush()
			m := reCode().FindStringSubmatch(trim)
			tag := m[1]
			lang := ""
			if tag == "code" && m[2] != "" {
				lang = m[2]
				if k := strings.IndexAny(lang, "|="); k >= 0 {
					lang = ""
				}
			}
			var body []string
			rest := m[3]
			closeTag := "{" + tag + "}"
			if k := strings.Index(rest, closeTag); k >= 0 {
				body = append(body, rest[:k])
			} else {
				if rest != "" {
					body = append(body, rest)
				}
				for i++; i < len(lines); i++ {
					if k := strings.Index(lines[i], closeTag); k >= 0 {
						if k > 0 {
							body = append(body, lines[i][:k])
						}
						break
					}
					body = append(body, lines[i])
				}
			}
			cb := &node{Type: "codeBlock"}
			if code := strings.Join(body, "\n"); code != "" {
				cb.Content = []*node{{Type: "text", Text: code}}
			}
			if lang != "" {
				cb.Attrs = map[string]any{"language": lang}
			}
			out = append(out, cb)
		case rePanel().MatchString(trim) || strings.HasPrefix(trim, "{quote}"):
			flush()
			isPanel := rePanel().MatchString(trim)
			closeTag, rest := "{quote}", strings.TrimPrefix(trim, "{quote}")
			var attrs map[string]any
			if isPanel {
				m := rePanel().FindStringSubmatch(trim)
				closeTag, rest = "{"+m[1]+"}", m[3]
				typ := panelType(m[2])
				if m[1] != "panel" {
					typ = map[string]string{"info": "info", "note": "note", "warning": "warning", "tip": "success"}[m[1]]
				}
				attrs = map[string]any{"panelType": typ}
			}
			var body []string
			if k := strings.Index(rest, closeTag); k >= 0 {
				body = append(body, rest[:k])
			} else {
				if rest != "" {
					body = append(body, rest)
				}
				for i++; i < len(lines); i++ {
					if k := strings.Index(lines[i], closeTag); k >= 0 {
						if k > 0 {
							body = append(body, lines[i][:k])
						}
						break
					}
					body = append(body, lines[i])
				}
			}
			t := "blockquote"
			if isPanel {
				t = "panel"
			}
			out = append(out, &node{Type: t, Attrs: attrs, Content: wikiBlocks(body)})
		case reHeading().MatchString(trim):
			flush()
			m := reHeading().FindStringSubmatch(trim)
			lvl, _ := strconv.Atoi(m[1])
			out = append(out, &node{Type: "heading", Attrs: map[string]any{"level": lvl}, Content: parseInline(m[2])})
		case strings.HasPrefix(trim, "bq. "):
			flush()
			out = append(out, &node{Type: "blockquote", Content: []*node{{Type: "paragraph", Content: parseInline(trim[4:])}}})
		case trim == "----":
			flush()
			out = append(out, &node{Type: "rule"})
		case strings.HasPrefix(trim, "|"):
			flush()
			tbl := &node{Type: "table"}
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				tbl.Content = append(tbl.Content, wikiRow(strings.TrimSpace(lines[i])))
			}
			i--
			out = append(out, tbl)
		case isListLine(trim):
			flush()
			var items []string
			for ; i < len(lines) && isListLine(strings.TrimSpace(lines[i])); i++ {
				items = append(items, strings.TrimSpace(lines[i]))
			}
			i--
			out = append(out, buildList(items, 0))
		default:
			para = append(para, line)
		}
	}
	flush()
	return out
}

func panelType(params string) string {
	p := strings.ToLower(params)
	for _, t := range []string{"info", "note", "warning", "success", "error"} {
		if strings.Contains(p, t) {
			return t
		}
	}
	return "info"
}

func isListLine(s string) bool {
	m := reList().FindStringSubmatch(s)
	if m == nil {
		return false
	}
	// "-" lists only one level deep; "----" is a rule, "*bold* text" is not a list.
	if strings.Contains(m[1], "-") && m[1] != "-" {
		return false
	}
	return true
}

func buildList(items []string, depth int) *node {
	first := reList().FindStringSubmatch(items[0])[1]
	t := "bulletList"
	if first[len(first)-1] == '#' {
		t = "orderedList"
	}
	list := &node{Type: t}
	for i := 0; i < len(items); i++ {
		m := reList().FindStringSubmatch(items[i])
		if len(m[1]) > depth+1 && len(list.Content) > 0 {
			// Deeper items nest under the previous item.
			j := i
			for j < len(items) && len(reList().FindStringSubmatch(items[j])[1]) > depth+1 {
				j++
			}
			last := list.Content[len(list.Content)-1]
			last.Content = append(last.Content, buildList(items[i:j], depth+1))
			i = j - 1
			continue
		}
		list.Content = append(list.Content, &node{Type: "listItem", Content: []*node{{Type: "paragraph", Content: parseInline(m[2])}}})
	}
	return list
}

func wikiRow(line string) *node {
	row := &node{Type: "tableRow"}
	rest := line
	for len(rest) > 0 {
		header := strings.HasPrefix(rest, "||")
		if header {
			rest = rest[2:]
		} else {
			rest = rest[1:]
		}
		if rest == "" {
			break
		}
		k := strings.Index(rest, "|")
		cell := rest
		if k >= 0 {
			cell = rest[:k]
			rest = rest[k:]
		} else {
			rest = ""
		}
		t := "tableCell"
		if header {
			t = "tableHeader"
		}
		row.Content = append(row.Content, &node{Type: t, Content: []*node{{Type: "paragraph", Content: parseInline(strings.TrimSpace(cell))}}})
		if rest == "|" || rest == "||" {
			break
		}
	}
	return row
}

// parseInline reads wiki inline markup: *strong*, _em_, -strike-,
// {{code}}, [text|url], [url], [~user] and \\ line breaks. Emphasis
// markers only count at word edges, as in Jira's renderer.
func parseInline(s string) []*node {
	var out []*node
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, &node{Type: "text", Text: text.String()})
			text.Reset()
		}
	}
	isWord := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case strings.HasPrefix(s[i:], "{{"):
			if k := strings.Index(s[i+2:], "}}"); k > 0 {
				flush()
				out = append(out, &node{Type: "text", Text: s[i+2 : i+2+k], Marks: []mark{{Type: "code"}}})
				i += k + 4
				continue
			}
		case c == '[':
			if k := strings.IndexByte(s[i+1:], ']'); k > 0 {
				inner := s[i+1 : i+1+k]
				flush()
				switch {
				case strings.HasPrefix(inner, "~"):
					out = append(out, &node{Type: "mention", Attrs: map[string]any{"id": inner[1:]}})
				case strings.Contains(inner, "|"):
					label, href, _ := strings.Cut(inner, "|")
					if label == "" {
						label = href // ADF forbids empty text nodes
					}
					out = append(out, &node{Type: "text", Text: label, Marks: []mark{{Type: "link", Href: href}}})
				default:
					out = append(out, &node{Type: "text", Text: inner, Marks: []mark{{Type: "link", Href: inner}}})
				}
				i += k + 2
				continue
			}
		case c == '\\' && i+1 < len(s) && s[i+1] == '\\':
			flush()
			out = append(out, &node{Type: "hardBreak"})
			i += 2
			if i < len(s) && s[i] == '\n' {
				i++
			}
			continue
		case c == '*' || c == '_' || c == '-':
			if (i == 0 || !isWord(s[i-1])) && i+1 < len(s) && s[i+1] != ' ' && s[i+1] != c {
				if k := closing(s, i+1, c, isWord); k > 0 {
					flush()
					mt := map[byte]string{'*': "strong", '_': "em", '-': "strike"}[c]
					for _, n := range parseInline(s[i+1 : k]) {
						if n.Type == "text" {
							n.Marks = append(n.Marks, mark{Type: mt})
						}
						out = append(out, n)
					}
					i = k + 1
					continue
				}
			}
		}
		text.WriteByte(c)
		i++
	}
	flush()
	return out
}

// closing finds the marker c that ends an emphasis opened before from: not
// preceded by a space and not followed by a word character.
func closing(s string, from int, c byte, isWord func(byte) bool) int {
	for k := from + 1; k < len(s); k++ {
		if s[k] == '\n' {
			return -1
		}
		if s[k] == c && s[k-1] != ' ' && (k+1 == len(s) || !isWord(s[k+1])) {
			return k
		}
	}
	return -1
}

// adfJSON renders a node as ADF JSON text (for snapshots).
func adfJSON(n *node, users adfUserResolver) string {
	if n == nil {
		return ""
	}
	b, _ := json.Marshal(toADF(n, users))
	return string(b)
}
