package ansi

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/microcosm-cc/bluemonday"
)

// stripCases are fragments where bluemonday's StrictPolicy has rules of its
// own: skipped element content (nested, unbalanced, closed before opened),
// the most-recent-element rule for script and style, raw text elements,
// entities, carriage returns, comments, doctype, odd tag names.
var stripCases = []string{
	"", " ", "\n\t ", "plain text", "a < b && c > d", "<b>bold</b> text", "<p>one</p><p>two</p>",
	"<script>alert(1)</script>after", "<script>x<b>y</b></script>z", "<style>p{}</style>kept",
	"<style>a<b>c", "<script>never closed", "<SCRIPT>upper</SCRIPT>after", "<ScRiPt>x</sCrIpT>y",
	"<script>a</script><script>b</script>c", "<script><b>x</b>still dropped</script>",
	"<b><script>x</script>y</b>z", "<script>x</b>y", "<script>x<style>y</style>z",
	"<title>t</title>body", "<title><b>t</b></title>after", "<iframe>i</iframe>after",
	"<object><object>o</object>still</object>after", "</title>before<title>x</title>after",
	"<noscript>n</noscript>s", "<noembed>n</noembed>e", "<noframes>f</noframes>g", "<nostyle>s</nostyle>t",
	"<frameset>x</frameset>y", "<frame>x</frame>y", "<textarea>&amp; <b>t</b></textarea>after",
	"<xmp>&amp; <b>raw</b></xmp>after", "<plaintext>&amp; <b>to the end", "<pre>a\n  b</pre>",
	"&amp; &lt; &gt; &quot; &#39; &#x41; &nbsp; &copy &notin; &#0; &#x80; &bogus;",
	"line\r\nbreak\r", "\rleading", "trailing\r", "  &#13;padded&#13;  ", "&#32;x&#32;",
	"<!-- comment -->text", "<!-- unclosed comment", "<!DOCTYPE html>doc", "<?xml version='1.0'?>x",
	"<![CDATA[cdata]]>after", "<a href=\"javascript:alert(1)\">link</a>", "<img src=x onerror=alert(1)>",
	"<br/>self<br />closing", "<script/>x", "<style/>y", "<title/>z", "<a b='>'>q</a>",
	"<\u00e9l\u00e9ment>accent</\u00e9l\u00e9ment>", "<scr\u0131pt>dotless</scr\u0131pt>after",
	"< b>not a tag", "<>empty", "</>", "<b", "a</", "<!", "<!-", "<!--->x", "x<", "\x00null\x00",
	"\x1b[31mred\x1b[0m", "text\u202eoverride", "<div>\n\n</div>", "<b>  spaced  </b>",
	"<math><mi>x</mi></math>", "<svg><title>t</title>s</svg>", "<table><tr><td>c</td></tr></table>",
}

// TestStripSameAsBluemonday: stripHTML returns what
// bluemonday.StrictPolicy().Sanitize returns, on fragments chosen for its
// rules and on many generated from pieces of them.
func TestStripSameAsBluemonday(t *testing.T) {
	p := bluemonday.StrictPolicy()
	check := func(in string) {
		t.Helper()
		if got, want := stripHTML(in), p.Sanitize(in); got != want {
			t.Errorf("stripHTML(%q)\n = %q\nbluemonday: %q", in, got, want)
		}
	}
	for _, in := range stripCases {
		check(in)
	}
	pieces := []string{
		"<script>", "</script>", "<style>", "</style>", "<title>", "</title>", "<iframe>", "</iframe>",
		"<object>", "</object>", "<noscript>", "</noscript>", "<b>", "</b>", "<p class=\"x\">", "</p>",
		"<br/>", "<textarea>", "</textarea>", "<xmp>", "</xmp>", "<!--", "-->", "<!DOCTYPE x>", "<", ">",
		"&amp;", "&lt;", "&#13;", "&nbsp;", "&", "\r", "\n", " ", "\t", "text", "é", "'", "\"", "</", "/>",
		"<SCRIPT>", "</Script>", "<TITLE>", "<a href='<b>'>", "=",
	}
	rng := rand.New(rand.NewPCG(13, 1))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for i := 0; i < n; i++ {
		var b strings.Builder
		for k := rng.IntN(12); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(b.String())
	}
}

// FuzzStripSameAsBluemonday: the same comparison on any input (make test
// replays the seeds).
func FuzzStripSameAsBluemonday(f *testing.F) {
	for _, in := range stripCases {
		f.Add(in)
	}
	p := bluemonday.StrictPolicy()
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := stripHTML(in), p.Sanitize(in); got != want {
			t.Errorf("stripHTML(%q)\n = %q\nbluemonday: %q", in, got, want)
		}
	})
}
