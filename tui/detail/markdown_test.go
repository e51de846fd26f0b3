package detail

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/common"
)

func TestTrimPadding(t *testing.T) {
	pad := "\x1b[38;5;252m \x1b[m"
	cases := []struct{ name, in, want string }{
		{"glamour padding", "\x1b[38;5;252mtext\x1b[m" + strings.Repeat(pad, 30), "\x1b[38;5;252mtext\x1b[m"},
		{"plain spaces", "text   ", "text"},
		{"empty pairs", "\x1b[38;5;252mtext\x1b[m\x1b[38;5;252m\x1b[m" + pad, "\x1b[38;5;252mtext\x1b[m"},
		// A heading's bar: the spaces are drawn on a background and stay.
		{"background", "\x1b[38;5;228;48;5;63;1m Heading \x1b[m", "\x1b[38;5;228;48;5;63;1m Heading \x1b[m"},
		{"background run", "x\x1b[48;5;63m   \x1b[m", "x\x1b[48;5;63m   \x1b[m"},
		// Palette index 48 as a foreground is not a background.
		{"fg index 48", "x\x1b[38;5;48m  \x1b[m", "x"},
		{"reverse", "x\x1b[7m \x1b[m", "x\x1b[7m \x1b[m"},
		{"text last", "\x1b[1mbold\x1b[m", "\x1b[1mbold\x1b[m"},
		{"only padding", strings.Repeat(pad, 5), ""},
		{"reset alone", "\x1b[m", "\x1b[m"},
	}
	for _, c := range cases {
		if got := trimPadding(c.in); got != c.want {
			t.Errorf("%s: trimPadding(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestExpandTabs(t *testing.T) {
	cases := map[string]string{
		"\tx":         "    x",
		"ab\tc":       "ab  c",
		"abcd\te":     "abcd    e",
		"a\n\tb":      "a\n    b",
		"no tabs":     "no tabs",
		"é\tx":        "é   x",
		"\t\tdeep":    "        deep",
		"x\ty\n\t\tz": "x   y\n        z",
	}
	for in, want := range cases {
		if got := expandTabs(in); got != want {
			t.Errorf("expandTabs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrepareMentions(t *testing.T) {
	cases := map[string]string{
		"hi [@Ada Lovelace](mention:557058:abc)!":   "hi [@Ada Lovelace](#)!",
		"[@A \\] B](mention:1) and [@C](mention:2)": "[@A \\] B](#) and [@C](#)",
		"[@Odd Id](<mention:a b>)":                  "[@Odd Id](#)",
		"[not a mention](mention:1)":                "[not a mention](mention:1)",
		"[@x](https://example.com)":                 "[@x](https://example.com)",
		"email someone@example.com, no link":        "email someone@example.com, no link",
		"[@Two\nLines](mention:9)":                  "[@Two\nLines](#)",
	}
	for in, want := range cases {
		if got := prepareMarkdown(in); got != want {
			t.Errorf("prepareMarkdown(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRenderFitsWidth renders every construct the converters emit,
// including a code line longer than the page, at many widths.
func TestRenderFitsWidth(t *testing.T) {
	md := richDescription + "\n```\n" + strings.Repeat("x", 300) + "\n```\n\n" +
		"A " + strings.Repeat("longword", 30) + " end.\n\n| a | b | c |\n|---|---|---|\n| " +
		strings.Repeat("cell ", 40) + " | 2 | 3 |\n"
	th := themeOf(testCommon())
	for _, w := range []int{10, 17, 33, 50, 80, 119, 200} {
		lines := renderMarkdown(md, w, th)
		for i, l := range lines {
			if lw := lineWidth(l); lw > w {
				t.Errorf("width %d: line %d is %d wide: %q", w, i, lw, plain(l))
			}
		}
		all := plain(strings.Join(lines, ""))
		if n := strings.Count(all, "x"); n < 300 {
			t.Errorf("width %d: the long code line lost characters (%d x left)", w, n)
		}
		if lines[0] == "" || lines[len(lines)-1] == "" {
			t.Errorf("width %d: blank lines around the body were not trimmed", w)
		}
	}
}

func TestRenderTabsInCode(t *testing.T) {
	lines := renderMarkdown("```\n\tindented\n```\n", 40, themeOf(testCommon()))
	got := plain(strings.Join(lines, "\n"))
	if strings.Contains(got, "\t") || !strings.Contains(got, "    indented") {
		t.Errorf("a tab in code was not expanded: %q", got)
	}
}

func TestRenderCache(t *testing.T) {
	c := newMDCache(3)
	for i := range 4 {
		c.put(mdKey{text: fmt.Sprint(i)}, []string{fmt.Sprint(i)})
	}
	if _, ok := c.get(mdKey{text: "0"}); ok {
		t.Error("the oldest entry survived past the limit")
	}
	c.get(mdKey{text: "1"}) // now the most recent
	c.put(mdKey{text: "4"}, nil)
	if _, ok := c.get(mdKey{text: "1"}); !ok {
		t.Error("a recently read entry was evicted")
	}
	if _, ok := c.get(mdKey{text: "2"}); ok {
		t.Error("the least recently used entry survived")
	}
	c.put(mdKey{text: "4"}, []string{"again"})
	if got, _ := c.get(mdKey{text: "4"}); len(got) != 1 || got[0] != "again" {
		t.Errorf("a replaced entry reads %q", got)
	}
}

func TestRenderIsCachedPerWidthAndTheme(t *testing.T) {
	md := "cache probe " + t.Name()
	dark, light := themeOf(testCommon()), themeOf(&common.Common{Styles: common.NewStyles(false)})
	if dark.id == light.id || !dark.dark || light.dark {
		t.Fatalf("themes not told apart: dark %+v light %+v", dark, light)
	}
	a := renderMarkdown(md, 40, dark)
	if _, ok := renders.get(mdKey{text: md, width: 40, theme: dark.id}); !ok {
		t.Fatal("a render was not cached")
	}
	if _, ok := renders.get(mdKey{text: md, width: 41, theme: dark.id}); ok {
		t.Fatal("a render is cached for a width it was not made for")
	}
	b := renderMarkdown(md, 40, light)
	if strings.Join(a, "") == strings.Join(b, "") {
		t.Error("dark and light renders are identical")
	}
	if themeOf(nil).id != themeOf(&common.Common{}).id || !themeOf(nil).dark {
		t.Error("without styles the theme should be glamour's dark default")
	}
}

// FuzzRenderMarkdown: any text renders without panicking, within width.
func FuzzRenderMarkdown(f *testing.F) {
	f.Add(richDescription, 40)
	f.Add("[@A](mention:1)\t\t`x`\n> q\n\n| a |\n|---|\n| b |", 12)
	f.Add("```\n\x1b[31mred\x1b[m\n```", 20)
	th := themeOf(testCommon())
	f.Fuzz(func(t *testing.T, md string, w int) {
		w = 10 + int(uint(w)%190)
		for i, l := range renderUncached(md, w, th) {
			if lw := lineWidth(l); lw > w {
				t.Fatalf("width %d: line %d is %d wide: %q", w, i, lw, l)
			}
		}
	})
}

// TestHardBreaks: Jira's line breaks (ADF hardBreak, wiki newlines) reach
// the screen as line breaks.
func TestHardBreaks(t *testing.T) {
	th := themeOf(testCommon())
	for md, want := range map[string]string{
		"Street 1\\\nCity":           "Street 1\nCity",
		"> **Info:**\\\n> sadsadsad": "│ Info:\n│ sadsadsad",
	} {
		if got := plain(strings.Join(renderMarkdown(md, 40, th), "\n")); got != want {
			t.Errorf("%q rendered as %q, want %q", md, got, want)
		}
	}
}

// Jira's underline (<u>…</u> in the converter's Markdown) is drawn
// underlined, also where it wraps, and a literal \<u> stays text.
func TestUnderlineShown(t *testing.T) {
	lines := renderUncached("an <u>underlined run of words that wraps</u> then \\<u>literal", 20, theme{dark: true})
	joined := strings.Join(lines, "\n")
	if !strings.Contains(joined, "\x1b[4munderlined") {
		t.Fatalf("no underline: %q", lines)
	}
	if !strings.HasPrefix(lines[1], "\x1b[4m") {
		t.Errorf("the wrapped part of the run is not underlined: %q", lines)
	}
	if plain := ansi.Strip(joined); !strings.Contains(plain, "<u>literal") || strings.Contains(plain, "\u2062") {
		t.Errorf("text = %q", plain)
	}
	// Marks that come from Jira's text underline nothing.
	if got := strings.Join(renderUncached("a\u2062b\u2063c", 20, theme{dark: true}), ""); strings.Contains(got, "\x1b[4m") {
		t.Errorf("text underlined itself: %q", got)
	}
}

// A literal ~ or & (written \~ and \& by the converter) shows without its
// backslash, also in a table; code keeps its backslashes.
func TestEscapesShowPlain(t *testing.T) {
	md := "about \\~3,000 \\& more `a\\~b`\n\n| n |\n| --- |\n| \\~5 |\n\n```\nx \\~ y\n```"
	got := ansi.Strip(strings.Join(renderUncached(md, 40, theme{dark: true}), "\n"))
	for _, want := range []string{"about ~3,000 & more", "a\\~b", " ~5", "x \\~ y"} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered text lacks %q:\n%s", want, got)
		}
	}
}
