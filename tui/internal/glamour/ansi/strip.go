package ansi

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Design note: upstream glamour strips raw HTML with bluemonday's
// StrictPolicy. Linking bluemonday costs every start of jiffy about 5 ms of
// package init (its CSS property tables, gorilla/css's scanner, douceur),
// though a policy that allows no element uses none of it. stripHTML is that
// policy's Sanitize written out for the one case, on the same tokenizer
// (golang.org/x/net/html), so its output is bluemonday's byte for byte
// (TestStripSameAsBluemonday and FuzzStripSameAsBluemonday compare them):
//
//   - every tag, comment and doctype is dropped;
//   - text is kept, HTML-escaped as bluemonday writes it;
//   - the text of frame, frameset, iframe, noembed, noframes, noscript,
//     nostyle, object and title is dropped until as many of those elements
//     have closed as were opened;
//   - text while the most recently opened element is script or style is
//     dropped (bluemonday's rule: the element is the last start tag seen,
//     cleared by its own end tag).

// skipContent are the elements whose text bluemonday's StrictPolicy drops
// (its default "skip element content" set, script and style aside: those
// are dropped by the most-recent-element rule).
var skipContent = map[string]bool{
	"frame": true, "frameset": true, "iframe": true, "noembed": true, "noframes": true,
	"noscript": true, "nostyle": true, "object": true, "title": true,
}

// stripHTML returns the text of the HTML fragment s, HTML-escaped, without
// any element: what bluemonday.StrictPolicy().Sanitize(s) returns.
func stripHTML(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	var b strings.Builder
	var (
		skipping int  // skipContent elements open
		skip     bool // their text is being dropped
		recent   string
	)
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// io.EOF: the end. The tokenizer reports no other error
			// without a buffer limit; bluemonday returns "" for one.
			return b.String()
		}
		t := z.Token()
		switch tt {
		case html.StartTagToken:
			recent = elementName(t.Data)
			if recent == "script" || recent == "style" {
				continue
			}
			if skipContent[t.Data] {
				skip = true
				skipping++
			}
		case html.EndTagToken:
			name := elementName(t.Data)
			if recent == name {
				recent = ""
			}
			if name == "script" || name == "style" {
				continue
			}
			if skipContent[t.Data] {
				skipping--
				if skipping == 0 {
					skip = false
				}
			}
		case html.TextToken:
			if !skip && recent != "script" && recent != "style" {
				b.WriteString(t.String())
			}
		}
	}
}

// elementName is bluemonday's normaliseElementName: the tag name lower
// cased, with anything outside printable ASCII quoted (so a name with
// other characters never equals "script").
func elementName(s string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(strconv.QuoteToASCII(s)), `"`), `"`)
}
