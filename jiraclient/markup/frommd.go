package markup

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/jiffy-tui/jiffy/jiraclient/markup/gfm"
)

// mdParser is built once: goldmark parsers keep no state between Parse calls.
var mdParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(goldmark.WithExtensions(gfm.Table, gfm.Strikethrough, gfm.TaskList)).Parser()
})

// MarkdownToADF parses Markdown (CommonMark with GFM tables, strikethrough
// and task lists) into an ADF document Jira Cloud accepts. The result is
// always {"type":"doc","version":1,"content":[...]} and follows the ADF
// schema's nesting rules: where Markdown allows something ADF does not (a
// heading in a list, a table in a quote), the content is kept in a shape ADF
// allows rather than dropped.
//
// A line break inside a paragraph becomes a hard break, because someone
// typing a comment in a terminal means the newline they typed; a Markdown
// renderer would join the lines.
func MarkdownToADF(md string) *Node {
	// JSON cannot carry invalid UTF-8; replace it here so the document
	// encodes to exactly what it holds.
	// NUL is replaced as CommonMark requires.
	src := []byte(strings.ReplaceAll(strings.ToValidUTF8(md, "\uFFFD"), "\x00", "\uFFFD"))
	root := mdParser().Parse(text.NewReader(src))
	c := mdConv{src: src}
	doc := emptyDoc()
	if blocks := c.blocks(root, "doc", 0); len(blocks) > 0 {
		doc.Content = blocks
	}
	return doc
}

type mdConv struct {
	src    []byte
	tasks  int  // counter for deterministic task localIds
	inTask bool // the checkbox is the taskItem's state, not text
}

func (c *mdConv) blocks(parent ast.Node, ctx string, depth int) []*Node {
	var out []*Node
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		out = append(out, c.block(n, depth)...)
	}
	return fitContent(ctx, out)
}

func (c *mdConv) block(n ast.Node, depth int) []*Node {
	if depth > maxDepth {
		if t := c.plain(n); t != "" {
			return []*Node{para(textNode(t, nil))}
		}
		return nil
	}
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		inl := c.inlines(n)
		if len(inl) == 0 {
			return nil
		}
		return []*Node{{Type: "paragraph", Content: inl}}
	case *ast.Heading:
		return []*Node{{Type: "heading", Attrs: map[string]any{"level": float64(min(max(n.Level, 1), 6))}, Content: c.inlines(n)}}
	case *ast.ThematicBreak:
		return []*Node{{Type: "rule"}}
	case *ast.FencedCodeBlock:
		return []*Node{codeBlockNode(string(n.Language(c.src)), c.lines(n))}
	case *ast.CodeBlock:
		return []*Node{codeBlockNode("", c.lines(n))}
	case *ast.HTMLBlock:
		code := c.lines(n)
		if n.HasClosure() {
			code += string(n.ClosureLine.Value(c.src))
		}
		code = strings.TrimRight(code, "\n")
		if code == "" {
			return nil
		}
		return []*Node{{Type: "paragraph", Content: breakLines(code, nil)}}
	case *ast.Blockquote:
		return []*Node{asPanel(&Node{Type: "blockquote", Content: c.blocks(n, "blockquote", depth+1)})}
	case *ast.List:
		return c.list(n, depth)
	case *east.Table:
		return []*Node{c.table(n)}
	}
	if n.Type() == ast.TypeBlock && n.HasChildren() {
		return c.blocks(n, "doc", depth+1)
	}
	if t := c.plain(n); t != "" {
		return []*Node{para(textNode(t, nil))}
	}
	return nil
}

func para(content ...*Node) *Node { return &Node{Type: "paragraph", Content: content} }

func textNode(s string, marks []Mark) *Node {
	return &Node{Type: "text", Text: s, Marks: cloneMarks(marks)}
}

// lines returns the raw text of a block's lines.
func (c *mdConv) lines(n ast.Node) string {
	var b strings.Builder
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		b.WriteString(strings.Repeat(" ", seg.Padding))
		b.Write(seg.Value(c.src))
	}
	return b.String()
}

func codeBlockNode(lang, code string) *Node {
	code = strings.TrimSuffix(code, "\n")
	n := &Node{Type: "codeBlock"}
	if lang != "" {
		n.Attrs = map[string]any{"language": lang}
	}
	if code != "" {
		n.Content = []*Node{{Type: "text", Text: code}}
	}
	return n
}

// plain is the text of any goldmark node, for the fallbacks.
func (c *mdConv) plain(n ast.Node) string {
	if n.Type() == ast.TypeBlock && n.Lines() != nil && n.Lines().Len() > 0 && !n.HasChildren() {
		return strings.TrimSpace(c.lines(n))
	}
	var b strings.Builder
	_ = ast.Walk(n, func(x ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := x.(type) {
		case *ast.Text:
			b.WriteString(unescapeMD(x.Segment.Value(c.src)))
		case *ast.String:
			b.Write(x.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// asPanel turns a blockquote that starts with a bold panel label
// ("> **Note:** ...", as ADFToMarkdown writes panels) back into a panel.
func asPanel(q *Node) *Node {
	if len(q.Content) == 0 || q.Content[0].Type != "paragraph" || len(q.Content[0].Content) == 0 {
		return q
	}
	first := q.Content[0].Content[0]
	if first.Type != "text" || len(first.Marks) != 1 || first.Marks[0].Type != "strong" {
		return q
	}
	label := strings.TrimSuffix(strings.TrimSpace(first.Text), ":")
	if label == strings.TrimSpace(first.Text) {
		return q
	}
	typ := ""
	for _, p := range panelTypes {
		if strings.EqualFold(label, p.label) {
			typ = p.typ
		}
	}
	if strings.EqualFold(label, "Success") {
		typ = "success"
	}
	if typ == "" {
		return q
	}
	rest := q.Content[0].Content[1:]
	if len(rest) > 0 && rest[0].Type == "text" && len(rest[0].Marks) == 0 {
		t := strings.TrimLeft(rest[0].Text, " \t")
		if t == "" {
			rest = rest[1:]
		} else {
			rest = append([]*Node{textNode(t, nil)}, rest[1:]...)
		}
	}
	content := append([]*Node(nil), q.Content[1:]...)
	if len(rest) > 0 {
		content = append([]*Node{{Type: "paragraph", Content: rest}}, content...)
	}
	return &Node{Type: "panel", Attrs: map[string]any{"panelType": typ}, Content: fitContent("panel", content)}
}

func (c *mdConv) list(l *ast.List, depth int) []*Node {
	if !l.IsOrdered() && c.isTaskList(l) {
		return []*Node{c.taskList(l, depth)}
	}
	out := &Node{Type: "bulletList"}
	if l.IsOrdered() {
		out.Type = "orderedList"
		if l.Start != 1 {
			out.Attrs = map[string]any{"order": float64(max(l.Start, 0))}
		}
	}
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		content := c.blocks(it, "listItem", depth+1)
		if len(content) == 0 {
			content = []*Node{{Type: "paragraph"}}
		}
		out.Content = append(out.Content, &Node{Type: "listItem", Content: content})
	}
	return []*Node{out}
}

// isTaskList: every item starts with a checkbox and holds only its text and
// nested task lists, which is all an ADF taskItem can hold.
func (c *mdConv) isTaskList(l *ast.List) bool {
	if !l.HasChildren() {
		return false
	}
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := it.FirstChild()
		if first == nil || first.FirstChild() == nil {
			return false
		}
		if _, ok := first.FirstChild().(*east.TaskCheckBox); !ok {
			return false
		}
		for b := first.NextSibling(); b != nil; b = b.NextSibling() {
			sub, ok := b.(*ast.List)
			if !ok || sub.IsOrdered() || !c.isTaskList(sub) {
				return false
			}
		}
	}
	return true
}

func (c *mdConv) taskList(l *ast.List, depth int) *Node {
	c.tasks++
	out := &Node{Type: "taskList", Attrs: map[string]any{"localId": "tasklist-" + strconv.Itoa(c.tasks)}}
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := it.FirstChild()
		state := "TODO"
		if cb, ok := first.FirstChild().(*east.TaskCheckBox); ok && cb.IsChecked {
			state = "DONE"
		}
		c.tasks++
		item := &Node{Type: "taskItem", Attrs: map[string]any{"localId": "task-" + strconv.Itoa(c.tasks), "state": state}}
		c.inTask = true
		item.Content = trimLeadingSpace(c.inlines(first))
		c.inTask = false
		out.Content = append(out.Content, item)
		for b := first.NextSibling(); b != nil; b = b.NextSibling() {
			if sub, ok := b.(*ast.List); ok && depth < maxDepth {
				out.Content = append(out.Content, c.taskList(sub, depth+1))
			}
		}
	}
	return out
}

func trimLeadingSpace(nodes []*Node) []*Node {
	if len(nodes) > 0 && nodes[0].Type == "text" {
		t := strings.TrimLeft(nodes[0].Text, " \t")
		if t == "" {
			return nodes[1:]
		}
		nodes[0].Text = t
	}
	return nodes
}

func (c *mdConv) table(t *east.Table) *Node {
	out := &Node{Type: "table", Attrs: map[string]any{"isNumberColumnEnabled": false, "layout": "default"}}
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		cellType := "tableCell"
		if _, ok := r.(*east.TableHeader); ok {
			cellType = "tableHeader"
		}
		row := &Node{Type: "tableRow"}
		for cell := r.FirstChild(); cell != nil; cell = cell.NextSibling() {
			p := &Node{Type: "paragraph", Content: c.inlines(cell)}
			row.Content = append(row.Content, &Node{Type: cellType, Content: []*Node{p}})
		}
		if len(row.Content) > 0 {
			out.Content = append(out.Content, row)
		}
	}
	return out
}

// inlines converts the inline children of a block.
func (c *mdConv) inlines(n ast.Node) []*Node {
	var b inlineBuilder
	c.inline(n, nil, &b, 0)
	b.flush()
	out := b.out
	for len(out) > 0 && out[len(out)-1].Type == "hardBreak" {
		out = out[:len(out)-1]
	}
	for len(out) > 0 && out[0].Type == "hardBreak" {
		out = out[1:]
	}
	return out
}

// inlineBuilder collects inline nodes, joining runs of text with the same
// marks; goldmark hands text over in many small pieces.
type inlineBuilder struct {
	out     []*Node
	pending strings.Builder
	marks   []Mark
}

func (b *inlineBuilder) text(s string, marks []Mark) {
	if s == "" {
		return
	}
	if b.pending.Len() > 0 && !sameMarks(b.marks, marks) {
		b.flush()
	}
	if b.pending.Len() == 0 {
		b.marks = marks
	}
	b.pending.WriteString(s)
}

func (b *inlineBuilder) flush() {
	if b.pending.Len() > 0 {
		b.out = append(b.out, textNode(b.pending.String(), b.marks))
		b.pending.Reset()
	}
}

func (b *inlineBuilder) node(n *Node) {
	b.flush()
	b.out = append(b.out, n)
}

var brTag = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^<br\s*/?>$`) })

// uTag matches the <u> and </u> tags ADFToMarkdown writes for underline
// (Markdown has no underline of its own).
var uTag = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^<(/?)u>$`) })

func (c *mdConv) inline(parent ast.Node, outer []Mark, b *inlineBuilder, depth int) {
	// <u> ... </u> are siblings around the underlined nodes: marks is
	// outer, plus underline between them.
	marks := outer
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		if depth > maxDepth {
			b.text(c.plain(n), marks)
			continue
		}
		switch n := n.(type) {
		case *ast.Text:
			raw := n.Segment.Value(c.src)
			if n.HardLineBreak() || n.SoftLineBreak() {
				// goldmark leaves the backslash of a "\<newline>" break in
				// the text: an odd run of backslashes right before the
				// newline ends in it.
				k := len(raw) - len(bytes.TrimRight(raw, "\\"))
				stop := n.Segment.Stop
				if k%2 == 1 && stop < len(c.src) && (c.src[stop] == '\n' || c.src[stop] == '\r') {
					raw = raw[:len(raw)-1]
				}
			}
			b.text(unescapeMD(raw), marks)
			if n.HardLineBreak() || n.SoftLineBreak() {
				b.node(&Node{Type: "hardBreak"})
			}
		case *ast.String:
			b.text(string(n.Value), marks)
		case *ast.CodeSpan:
			var s strings.Builder
			for t := n.FirstChild(); t != nil; t = t.NextSibling() {
				switch t := t.(type) {
				case *ast.Text:
					s.Write(t.Segment.Value(c.src))
				case *ast.String:
					s.Write(t.Value)
				}
			}
			// Only link may accompany code in ADF.
			b.text(s.String(), withMark(onlyLink(marks), Mark{Type: "code"}))
		case *ast.Emphasis:
			m := Mark{Type: "em"}
			if n.Level >= 2 {
				m = Mark{Type: "strong"}
			}
			c.inline(n, withMark(marks, m), b, depth+1)
		case *east.Strikethrough:
			c.inline(n, withMark(marks, Mark{Type: "strike"}), b, depth+1)
		case *ast.Link:
			dest := unescapeMD(n.Destination)
			if id, ok := strings.CutPrefix(dest, "mention:"); ok && id != "" {
				name := strings.TrimSpace(c.plain(n))
				b.node(&Node{Type: "mention", Attrs: map[string]any{"id": id, "text": "@" + strings.TrimPrefix(name, "@")}})
				continue
			}
			if dest == "" {
				c.inline(n, marks, b, depth+1)
				continue
			}
			c.inline(n, withMark(marks, Mark{Type: "link", Attrs: map[string]any{"href": dest}}), b, depth+1)
		case *ast.AutoLink:
			u := string(n.URL(c.src))
			if n.AutoLinkType == ast.AutoLinkEmail {
				b.text(u, withMark(marks, Mark{Type: "link", Attrs: map[string]any{"href": "mailto:" + u}}))
				continue
			}
			b.node(&Node{Type: "inlineCard", Attrs: map[string]any{"url": u}})
		case *ast.Image:
			dest := unescapeMD(n.Destination)
			alt := c.plain(n)
			if alt == "" {
				alt = dest
			}
			if dest == "" {
				b.text(alt, marks)
				continue
			}
			b.text(alt, withMark(marks, Mark{Type: "link", Attrs: map[string]any{"href": dest}}))
		case *ast.RawHTML:
			var s strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				s.Write(seg.Value(c.src))
			}
			if brTag().MatchString(strings.TrimSpace(s.String())) {
				b.node(&Node{Type: "hardBreak"})
				continue
			}
			if m := uTag().FindStringSubmatch(strings.TrimSpace(s.String())); m != nil {
				if m[1] == "" && !hasMark(outer, "underline") {
					marks = withMark(outer, Mark{Type: "underline"})
				} else {
					marks = outer
				}
				continue
			}
			for i, part := range strings.Split(s.String(), "\n") {
				if i > 0 {
					b.node(&Node{Type: "hardBreak"})
				}
				b.text(part, marks)
			}
		case *east.TaskCheckBox:
			if c.inTask {
				continue
			}
			// A checkbox in a list that cannot be an ADF task list.
			if n.IsChecked {
				b.text("[x] ", marks)
			} else {
				b.text("[ ] ", marks)
			}
		default:
			c.inline(n, marks, b, depth+1)
		}
	}
}

// unescapeMD resolves backslash escapes and entity references in one pass,
// as a Markdown renderer does for text and link destinations. A backslash
// is an escape only before a character that is Markdown syntax (mdSyntax);
// before any other (a typed \" or \:) it is the user's own backslash and
// is kept, where CommonMark would drop it.
func unescapeMD(src []byte) string {
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\\' && i+1 < len(src) && util.IsPunct(src[i+1]) && strings.IndexByte(mdSyntax, src[i+1]) >= 0 {
			b.WriteByte(src[i+1])
			i++
			continue
		}
		if c == '&' {
			if j := entityEnd(src[i:]); j > 0 {
				ref := src[i : i+j+1]
				res := util.ResolveNumericReferences(util.ResolveEntityNames(append([]byte(nil), ref...)))
				b.Write(res)
				i += j
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// mdSyntax are the characters a backslash escapes: those that open or close
// Markdown syntax (emphasis, code, links, images, headings, quotes, lists,
// tables, strike-through, HTML, entities, hard breaks), which ADFToMarkdown
// and WikiToMarkdown escape in text.
const mdSyntax = "\\`*_[]()~<>&#+-=|!.{}"

// entityEnd returns the index of the ";" ending an entity reference at the
// start of s, or -1.
func entityEnd(s []byte) int {
	for i := 1; i < len(s) && i < 40; i++ {
		c := s[i]
		if c == ';' {
			if i > 1 {
				return i
			}
			return -1
		}
		if !(c == '#' && i == 1 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return -1
		}
	}
	return -1
}

// breakLines turns text with newlines into text and hardBreak nodes.
func breakLines(s string, marks []Mark) []*Node {
	var out []*Node
	for i, part := range strings.Split(s, "\n") {
		if i > 0 {
			out = append(out, &Node{Type: "hardBreak"})
		}
		if part != "" {
			out = append(out, textNode(part, marks))
		}
	}
	return out
}

// allowed lists, per container, the block types the ADF schema lets it hold.
var allowed = map[string]map[string]bool{
	"doc": {"paragraph": true, "heading": true, "bulletList": true, "orderedList": true, "codeBlock": true,
		"blockquote": true, "panel": true, "rule": true, "table": true, "taskList": true, "mediaSingle": true,
		"mediaGroup": true, "expand": true, "decisionList": true, "blockCard": true},
	"blockquote": {"paragraph": true, "bulletList": true, "orderedList": true, "codeBlock": true, "mediaSingle": true, "mediaGroup": true},
	"panel": {"paragraph": true, "heading": true, "bulletList": true, "orderedList": true, "codeBlock": true,
		"rule": true, "taskList": true, "mediaSingle": true, "mediaGroup": true, "decisionList": true, "blockCard": true},
	"listItem": {"paragraph": true, "bulletList": true, "orderedList": true, "codeBlock": true, "mediaSingle": true},
}

// fitContent reshapes blocks the container may not hold: a heading becomes a
// bold paragraph, a quote or panel gives up its content, a table becomes a
// paragraph per row, a rule is dropped and a task list becomes a bullet list
// with [ ] / [x] text. A list item must start with a paragraph.
func fitContent(ctx string, nodes []*Node) []*Node {
	ok := allowed[ctx]
	if ok == nil {
		return nodes
	}
	var out []*Node
	for _, n := range nodes {
		if ok[n.Type] {
			out = append(out, n)
			continue
		}
		switch n.Type {
		case "heading":
			var content []*Node
			for _, x := range n.Content {
				cp := *x
				if cp.Type == "text" && !hasMark(cp.Marks, "code") {
					cp.Marks = withMark(cp.Marks, Mark{Type: "strong"})
				}
				content = append(content, &cp)
			}
			out = append(out, &Node{Type: "paragraph", Content: content})
		case "blockquote", "panel":
			out = append(out, fitContent(ctx, n.Content)...)
		case "table":
			for _, row := range n.Content {
				var content []*Node
				for i, cell := range row.Content {
					if i > 0 {
						content = append(content, textNode(" | ", nil))
					}
					for _, p := range cell.Content {
						content = append(content, p.Content...)
					}
				}
				if len(content) > 0 {
					out = append(out, &Node{Type: "paragraph", Content: content})
				}
			}
		case "rule":
		case "taskList":
			out = append(out, fitContent(ctx, []*Node{taskListAsBullets(n)})...)
		default:
			out = append(out, fitContent(ctx, n.Content)...)
		}
	}
	if ctx == "listItem" && (len(out) == 0 || out[0].Type != "paragraph" && out[0].Type != "codeBlock" && out[0].Type != "mediaSingle") {
		out = append([]*Node{{Type: "paragraph"}}, out...)
	}
	return out
}

func taskListAsBullets(n *Node) *Node {
	out := &Node{Type: "bulletList"}
	for _, it := range n.Content {
		switch it.Type {
		case "taskItem":
			box := "[ ] "
			if strings.EqualFold(it.attrString("state"), "DONE") {
				box = "[x] "
			}
			p := &Node{Type: "paragraph", Content: append([]*Node{textNode(box, nil)}, it.Content...)}
			out.Content = append(out.Content, &Node{Type: "listItem", Content: []*Node{p}})
		case "taskList":
			sub := taskListAsBullets(it)
			if len(out.Content) == 0 {
				out.Content = append(out.Content, &Node{Type: "listItem", Content: []*Node{{Type: "paragraph"}}})
			}
			last := out.Content[len(out.Content)-1]
			last.Content = append(last.Content, sub)
		}
	}
	return out
}
