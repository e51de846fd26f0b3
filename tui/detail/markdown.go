package detail

import (
	"container/list"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/hyperlink"
	"github.com/jiffy-tui/jiffy/tui/internal/glamour"
	gansi "github.com/jiffy-tui/jiffy/tui/internal/glamour/ansi"
	"github.com/jiffy-tui/jiffy/tui/internal/glamour/styles"
)

// Design note: glamour is the slow part of this view (a few milliseconds
// for a long description, far more for fifty comments), so every Markdown
// body is rendered once per (text, width, theme) and kept in a small LRU
// shared by the detail view and the list's preview. Sharing is the point:
// the description the preview just drew is already there when the issue
// is opened. The cache holds only finished strings behind a mutex, so a
// render running inside a tea.Cmd and a View on the UI goroutine can both
// use it; glamour renderers themselves are not safe for concurrent use and
// are built per call (cheap next to the render).

// mdCacheSize bounds the cache. An entry is one rendered body, typically a
// few KB, so this stays well under a few MB.
const mdCacheSize = 512

type mdKey struct {
	text  string
	width int
	theme string
}

type mdEntry struct {
	key   mdKey
	lines []string
}

type mdCache struct {
	mu    sync.Mutex
	ll    *list.List
	items map[mdKey]*list.Element
	max   int
}

func newMDCache(n int) *mdCache {
	return &mdCache{ll: list.New(), items: make(map[mdKey]*list.Element), max: n}
}

func (c *mdCache) get(k mdKey) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*mdEntry).lines, true
}

func (c *mdCache) put(k mdKey, lines []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*mdEntry).lines = lines
		c.ll.MoveToFront(e)
		return
	}
	c.items[k] = c.ll.PushFront(&mdEntry{key: k, lines: lines})
	for c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*mdEntry).key)
	}
}

// renders is the process-wide cache of rendered Markdown bodies. It is a
// cache, not state: dropping any entry only costs a re-render.
var renders = newMDCache(mdCacheSize)

// theme is what a glamour rendering depends on besides text and width.
type theme struct {
	dark bool
	// colors are the palette's colours as glamour takes them ("" for
	// none); the zero value renders without colour.
	colors mdColors
	id     string // cache key part
	// links makes issue keys and web links OSC 8 hyperlinks (or drops
	// glamour's own when off); see tui/hyperlink.
	links hyperlink.Linker
}

// mdColors are the palette colours Markdown is drawn in.
type mdColors struct {
	fg, muted, subtle, border, selection, selectionFg, heading, code, link string
	// error, warning and success colour code tokens (codeColors).
	errorC, warning, success string
}

// themeOf reads the theme from the shared palette (common.Palette). Zero
// styles (no palette yet) mean the default dark palette.
func themeOf(c *common.Common) theme {
	var p common.Palette
	if c != nil && c.Styles.Palette.Fg != nil {
		p = c.Styles.Palette
	} else {
		p = common.NewStyles(true).Palette
	}
	spec := common.ColorSpec
	cs := mdColors{
		fg: spec(p.Fg), muted: spec(p.Muted), subtle: spec(p.Subtle), border: spec(p.Border),
		selection: spec(p.Selection), selectionFg: spec(p.SelectionFg),
		heading: spec(p.Heading), code: spec(p.Code), link: spec(p.Link),
		errorC: spec(p.Error), warning: spec(p.Warning), success: spec(p.Success),
	}
	id := "light"
	if p.Dark {
		id = "dark"
	}
	id += strings.Join([]string{cs.fg, cs.muted, cs.subtle, cs.border, cs.selection, cs.selectionFg, cs.heading, cs.code, cs.link, cs.errorC, cs.warning, cs.success}, ",")
	var links hyperlink.Linker
	if c != nil && c.Hyperlinks {
		links.On = true
		if c.Client != nil {
			links.Site = c.Client.BaseURL()
		}
	}
	return theme{dark: p.Dark, colors: cs, id: id + links.ID(), links: links}
}

// styleConfig is glamour's dark or light layout without the document
// margin and blank lines around it (the view lays out its own sections),
// with every colour taken from the palette: glamour's own colours are
// cleared first, so none of them reaches the screen. Code blocks are
// highlighted in palette colours too (codeColors).
func (t theme) styleConfig() gansi.StyleConfig {
	st := styles.DarkStyleConfig
	if !t.dark {
		st = styles.LightStyleConfig
	}
	clearColors(reflect.ValueOf(&st).Elem())
	var zero uint
	st.Document.Margin = &zero
	st.Document.BlockPrefix = ""
	st.Document.BlockSuffix = ""

	c := t.colors
	paint := func(p *gansi.StylePrimitive, fg, bg string) {
		p.Color, p.BackgroundColor = colorPtr(fg), colorPtr(bg)
	}
	paint(&st.Document.StylePrimitive, c.fg, "")
	paint(&st.BlockQuote.StylePrimitive, c.muted, "")
	paint(&st.Heading.StylePrimitive, c.heading, "")
	// The top heading is a banner in the selection's colours, or in
	// reverse video when there are none.
	if c.selection != "" {
		paint(&st.H1.StylePrimitive, c.selectionFg, c.selection)
	} else {
		st.H1.Inverse = boolPtr(true)
	}
	paint(&st.Code.StylePrimitive, c.code, c.subtle)
	paint(&st.CodeBlock.StylePrimitive, c.code, "")
	st.CodeBlock.Chroma = c.codeColors()
	paint(&st.Link, c.link, "")
	paint(&st.LinkText, c.link, "")
	paint(&st.Image, c.link, "")
	paint(&st.ImageText, c.link, "")
	paint(&st.HorizontalRule, c.border, "")
	paint(&st.HTMLBlock.StylePrimitive, c.muted, "")
	paint(&st.HTMLSpan.StylePrimitive, c.muted, "")
	return st
}

// codeColors highlights code in the palette's colours, by what a token
// means rather than by a colour of its own:
//
//   - text, operators and punctuation in the code colour, as inline code
//     and an unhighlighted block are, so a code block still reads as code;
//   - keywords and preprocessor lines in the heading colour: the structure
//     of the code, as headings are the structure of the text;
//   - functions, classes, tags and builtins in the link colour (what the
//     code names and calls);
//   - strings in the success colour, numbers, constants, escapes and
//     dates in the warning colour, comments muted (the palettes keep muted
//     text legible but quieter than text);
//   - errors, exceptions and a diff's deleted lines in the error colour,
//     inserted lines in the success colour.
//
// Every preset has these roles in distinct hues of its own (in the
// GitHub-based presets heading and link are one blue, so keywords and
// names share it), each chosen for contrast against its background, so
// the mapping is the same for all of them. A role with no colour (the
// ansi preset's default foreground, NO_COLOR) falls back to the text's
// colour; under NO_COLOR keywords are bold and code is otherwise plain.
func (c mdColors) codeColors() *gansi.Chroma {
	fg := func(s string) gansi.StylePrimitive { return gansi.StylePrimitive{Color: colorPtr(s)} }
	keyword := fg(c.heading)
	if c.heading == "" {
		keyword.Bold = boolPtr(true)
	}
	return &gansi.Chroma{
		Text:                fg(c.code),
		Background:          fg(c.code),
		Error:               fg(c.errorC),
		Comment:             fg(c.muted),
		CommentPreproc:      keyword,
		Keyword:             keyword,
		KeywordReserved:     keyword,
		KeywordNamespace:    keyword,
		KeywordType:         keyword,
		Operator:            fg(c.code),
		Punctuation:         fg(c.code),
		Name:                fg(c.code),
		NameOther:           fg(c.code),
		NameAttribute:       fg(c.code),
		NameBuiltin:         fg(c.link),
		NameTag:             fg(c.link),
		NameClass:           fg(c.link),
		NameDecorator:       fg(c.link),
		NameFunction:        fg(c.link),
		NameConstant:        fg(c.warning),
		NameException:       fg(c.errorC),
		Literal:             fg(c.warning),
		LiteralNumber:       fg(c.warning),
		LiteralDate:         fg(c.warning),
		LiteralStringEscape: fg(c.warning),
		LiteralString:       fg(c.success),
		GenericDeleted:      fg(c.errorC),
		GenericInserted:     fg(c.success),
		GenericSubheading:   fg(c.heading),
		GenericEmph:         gansi.StylePrimitive{Italic: boolPtr(true)},
		GenericStrong:       gansi.StylePrimitive{Bold: boolPtr(true)},
	}
}

// clearColors sets every colour of a glamour style to none. It walks the
// style's own struct values only (never through a pointer), so the shared
// glamour presets it was copied from are not touched.
func clearColors(v reflect.Value) {
	if v.Type() == reflect.TypeFor[gansi.StylePrimitive]() {
		p := v.Addr().Interface().(*gansi.StylePrimitive)
		p.Color, p.BackgroundColor = nil, nil
		return
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := range v.NumField() {
		clearColors(v.Field(i))
	}
}

func colorPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func boolPtr(b bool) *bool { return &b }

// minMarkdownWidth is the narrowest glamour is asked to wrap to; below it
// lists and quotes have no room for text.
const minMarkdownWidth = 10

// renderMarkdown returns md rendered for a terminal width wide, as lines no
// wider than width. It is cached; the returned slice must not be modified.
func renderMarkdown(md string, width int, t theme) []string {
	width = max(width, minMarkdownWidth)
	k := mdKey{text: md, width: width, theme: t.id}
	if lines, ok := renders.get(k); ok {
		return lines
	}
	lines := renderUncached(md, width, t)
	renders.put(k, lines)
	return lines
}

// mdJob is one body to render at one width.
type mdJob struct {
	md    string
	width int
}

// warm renders the jobs that are not cached yet, on every core: a long
// issue's fifty comments are independent documents, and the first layout
// of that issue is the one slow moment of this view.
func warm(jobs []mdJob, t theme) {
	var todo []mdJob
	for _, j := range jobs {
		if strings.TrimSpace(j.md) == "" {
			continue
		}
		if _, ok := renders.get(mdKey{text: j.md, width: max(j.width, minMarkdownWidth), theme: t.id}); !ok {
			todo = append(todo, j)
		}
	}
	if len(todo) < 2 {
		for _, j := range todo {
			renderMarkdown(j.md, j.width, t)
		}
		return
	}
	next := make(chan mdJob)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for j := range next {
				renderMarkdown(j.md, j.width, t)
			}
		})
	}
	for _, j := range todo {
		next <- j
	}
	close(next)
	wg.Wait()
}

func renderUncached(md string, width int, t theme) []string {
	src := prepareMarkdown(md)
	r, err := glamour.NewTermRenderer(
		glamour.WithStyles(t.styleConfig()),
		glamour.WithWordWrap(width),
		glamour.WithInlineTableLinks(true),
		// glamour drops hard line breaks ("a\\\nb") unless told to keep
		// newlines. Jira's line breaks are meaningful (ADF hardBreak; in
		// wiki markup every newline is one), and the converters write
		// paragraphs on one line, so keeping newlines loses nothing.
		glamour.WithPreservedNewLines(),
	)
	var out string
	if err == nil {
		out, err = r.Render(src)
	}
	if err != nil {
		// glamour only fails on a broken style or writer; the text itself
		// is still worth reading, so show it as it came.
		return fitLines(strings.Split(ansi.Wrap(expandTabs(sanitize(stripUnderline(md))), width, ""), "\n"), width)
	}
	lines := underline(fitLines(strings.Split(out, "\n"), width))
	for i, l := range lines {
		// Glamour links every Markdown link with the URL as written;
		// only jiffy's own, clean links reach the screen.
		lines[i] = t.links.Line(l)
	}
	return lines
}

// Underline: Markdown has none, so the converter writes Jira's underline
// as <u>…</u>, and glamour drops inline HTML. Before rendering, the tags
// become two invisible format characters (no width, no line break), which
// glamour wraps like any letter; after, they become SGR 4 and 24. Glamour
// resets the style after every span and at each line end, so underline is
// set again after each reset inside the run and at the start of each
// wrapped line.
const (
	uOpen  = "\u2062" // INVISIBLE TIMES
	uClose = "\u2063" // INVISIBLE SEPARATOR
)

// uTagRE matches <u> and </u>, and an escaped \<u> (literal text, kept).
var uTagRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)(\\?)<(/?)u>`) })

// markUnderline turns the converter's <u> tags into the marks underline
// reads; marks already in the text (from Jira) are dropped first so text
// cannot underline itself.
func markUnderline(md string) string {
	md = stripUnderline(md)
	if !strings.Contains(md, "<") {
		return md
	}
	return uTagRE().ReplaceAllStringFunc(md, func(m string) string {
		if m[0] == '\\' {
			return m
		}
		if m[1] == '/' {
			return uClose
		}
		return uOpen
	})
}

// stripUnderline drops underline marks from text.
func stripUnderline(s string) string {
	if !strings.Contains(s, uOpen) && !strings.Contains(s, uClose) {
		return s
	}
	return strings.NewReplacer(uOpen, "", uClose, "").Replace(s)
}

// underline replaces the marks in rendered lines with SGR underline.
func underline(lines []string) []string {
	on := false
	for i, l := range lines {
		if !on && !strings.Contains(l, uOpen) && !strings.Contains(l, uClose) {
			continue
		}
		var b strings.Builder
		if on {
			b.WriteString("\x1b[4m")
		}
		for j := 0; j < len(l); {
			switch rest := l[j:]; {
			case strings.HasPrefix(rest, uOpen):
				b.WriteString("\x1b[4m")
				on = true
				j += len(uOpen)
			case strings.HasPrefix(rest, uClose):
				b.WriteString("\x1b[24m")
				on = false
				j += len(uClose)
			case strings.HasPrefix(rest, "\x1b[m"), strings.HasPrefix(rest, "\x1b[0m"):
				n := strings.IndexByte(rest, 'm') + 1
				b.WriteString(rest[:n])
				if on {
					b.WriteString("\x1b[4m")
				}
				j += n
			default:
				b.WriteByte(l[j])
				j++
			}
		}
		if on {
			b.WriteString("\x1b[24m")
		}
		lines[i] = b.String()
	}
	return lines
}

// mentionRE matches the converter's mention links (markup.Mention):
// [@Name](mention:ID), or with the destination in angle brackets when the
// id needs it; the name may carry escaped brackets.
var mentionRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\[(@(?:\\.|[^\]\\])*)\]\((?:mention:[^)\s]*|<mention:(?:\\.|[^>\\])*>)\)`)
})

// prepareMarkdown turns mentions into links to "#", which glamour draws as
// link text (the accent colour, bold) with no URL after it: a styled @Name
// rather than "@Name mention:5b10a2844c20165700ede21g". Tabs become spaces
// because glamour counts a tab as zero columns when it wraps.
func prepareMarkdown(md string) string {
	md = mentionRE().ReplaceAllString(sanitize(md), "[$1](#)")
	return expandTabs(markUnderline(glamourEscapes(md)))
}

// glamourEscapes rewrites the two backslash escapes glamour prints as they
// are (\~ and \&, which the converter writes for a literal ~ and &) as
// the entities it does resolve. Code, where a backslash is literal, is left
// alone.
func glamourEscapes(md string) string {
	if !strings.Contains(md, `\~`) && !strings.Contains(md, `\&`) {
		return md
	}
	var b strings.Builder
	fence := ""
	for i, line := range strings.Split(md, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		t := strings.TrimLeft(line, " >")
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			b.WriteString(line)
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			b.WriteString(line)
			continue
		}
		for j := 0; j < len(line); j++ {
			switch c := line[j]; {
			case c == '`':
				n := 1
				for j+n < len(line) && line[j+n] == '`' {
					n++
				}
				ticks := line[j : j+n]
				end := strings.Index(line[j+n:], ticks)
				if end < 0 {
					b.WriteString(ticks)
					j += n - 1
					continue
				}
				b.WriteString(line[j : j+n+end+n])
				j += n + end + n - 1
			case c == '\\' && j+1 < len(line) && line[j+1] == '~':
				b.WriteString("&#126;")
				j++
			case c == '\\' && j+1 < len(line) && line[j+1] == '&':
				b.WriteString("&amp;")
				j++
			case c == '\\' && j+1 < len(line):
				b.WriteString(line[j : j+2])
				j++
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// expandTabs replaces tabs with spaces up to the next multiple of four
// columns, which is also how CommonMark reads indentation.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

// fitLines trims glamour's padding and the blank lines around the body and
// makes sure no line is wider than width (code blocks are not wrapped by
// glamour; they are broken here rather than cut, so nothing is lost).
func fitLines(lines []string, width int) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		l = trimPadding(l)
		if ansi.StringWidth(l) > width {
			out = append(out, strings.Split(ansi.Hardwrap(l, width, true), "\n")...)
			continue
		}
		out = append(out, l)
	}
	// glamour leaves two blank lines after some lists; one is enough.
	out = slices.CompactFunc(out, func(a, b string) bool { return a == "" && b == "" })
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// trimPadding drops the trailing run of styled spaces glamour pads every
// line with ("\x1b[38;5;252m \x1b[m" per column). Lines are ten times
// shorter without it, which is what keeps View cheap. Spaces drawn on a
// background (a heading's bar) are kept: they are visible.
func trimPadding(l string) string {
	for {
		if strings.HasSuffix(l, " ") {
			l = strings.TrimRight(l, " ")
			continue
		}
		if !strings.HasSuffix(l, "\x1b[m") && !strings.HasSuffix(l, "\x1b[0m") {
			return l
		}
		// l ends in a reset; look at the SGR run it closes.
		end := strings.LastIndex(l, "\x1b[")
		start := strings.LastIndex(l[:end], "\x1b[")
		if start < 0 {
			return l
		}
		run := l[start:end]
		mEnd := strings.IndexByte(run, 'm')
		if mEnd < 0 {
			return l
		}
		params, body := run[2:mEnd], run[mEnd+1:]
		if strings.Trim(params, "0123456789;") != "" || strings.Trim(body, " ") != "" || paintsBackground(params) {
			// Not an SGR run, or one with text or a background: visible.
			return l
		}
		l = l[:start]
	}
}

// paintsBackground reports whether SGR parameters set a background colour
// or reverse video, which make spaces visible.
func paintsBackground(params string) bool {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		switch p := ps[i]; {
		case p == "7", p == "48":
			return true
		case p == "38" || p == "58":
			// An extended colour: skip its arguments (5;n or 2;r;g;b) so a
			// palette index such as 48 is not read as a background.
			if i+1 < len(ps) && ps[i+1] == "5" {
				i += 2
			} else if i+1 < len(ps) && ps[i+1] == "2" {
				i += 4
			}
		case len(p) == 2 && p[0] == '4' && p[1] >= '0' && p[1] <= '7':
			return true
		case len(p) == 3 && p[0] == '1' && p[1] == '0' && p[2] >= '0' && p[2] <= '7':
			return true
		}
	}
	return false
}
