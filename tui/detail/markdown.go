package detail

import (
	"container/list"
	"fmt"
	"image/color"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/common"
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
	dark   bool
	accent string // hex, for links and mentions
	id     string // cache key part
}

// themeOf reads the theme from the shared styles. Common carries no
// "dark" flag, so it is inferred from the foreground colour: a light text
// colour means a dark background. Zero styles mean dark, glamour's default.
func themeOf(c *common.Common) theme {
	dark := true
	var accent string
	if c != nil {
		if fg := c.Styles.Palette.Fg; fg != nil {
			dark = luminance(fg) > 0.5
		}
		if a := c.Styles.Palette.Accent; a != nil {
			accent = hexColor(a)
		}
	}
	id := "light"
	if dark {
		id = "dark"
	}
	return theme{dark: dark, accent: accent, id: id + accent}
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 0xffff
}

func hexColor(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// styleConfig is glamour's dark or light style without the document margin
// and blank lines around it (the view lays out its own sections), with
// links and mentions in the accent colour.
func (t theme) styleConfig() gansi.StyleConfig {
	st := styles.DarkStyleConfig
	if !t.dark {
		st = styles.LightStyleConfig
	}
	var zero uint
	st.Document.Margin = &zero
	st.Document.BlockPrefix = ""
	st.Document.BlockSuffix = ""
	if t.accent != "" {
		accent := t.accent
		st.LinkText.Color = &accent
	}
	return st
}

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
		return fitLines(strings.Split(ansi.Wrap(expandTabs(sanitize(md)), width, ""), "\n"), width)
	}
	return fitLines(strings.Split(out, "\n"), width)
}

// mentionRE matches the converter's mention links (markup.Mention):
// [@Name](mention:ID), or with the destination in angle brackets when the
// id needs it; the name may carry escaped brackets.
var mentionRE = regexp.MustCompile(`\[(@(?:\\.|[^\]\\])*)\]\((?:mention:[^)\s]*|<mention:(?:\\.|[^>\\])*>)\)`)

// prepareMarkdown turns mentions into links to "#", which glamour draws as
// link text (the accent colour, bold) with no URL after it: a styled @Name
// rather than "@Name mention:5b10a2844c20165700ede21g". Tabs become spaces
// because glamour counts a tab as zero columns when it wraps.
func prepareMarkdown(md string) string {
	md = mentionRE.ReplaceAllString(sanitize(md), "[$1](#)")
	return expandTabs(md)
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
