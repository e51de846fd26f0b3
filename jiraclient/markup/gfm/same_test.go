package gfm

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	upstream "github.com/yuin/goldmark/extension"
)

// TestSameAsUpstream: Markdown with every construct these extensions
// parse renders to the same HTML through the copy as through goldmark's
// own extension package.
func TestSameAsUpstream(t *testing.T) {
	docs := []string{
		"| a | b |  c |\n|:--|--:|:-:|\n| 1 | 2 \\| x | 3 |\n| `|` | **b** |\n\nafter",
		"|x|\n|-|\n|y|\n\n| not | a table\n|--|x|",
		"~~struck~~ and ~one~ and ~~~three~~~ and ~~ open",
		"- [ ] todo\n- [x] done\n- [X] Done\n- [y] not a task\n  - [ ] nested",
		"see https://example.com/a_b?q=1&r=(2) and www.example.org/x. and ftp://host.example/f, " +
			"mail me@example.com or http://x.y:8080/p#f) and not_a_link.",
		"<https://explicit.example> and [text](https://link.example) and http://localhost",
		"Term\n: definition one\n: definition two\n\nOther term\n\n: loose definition",
		"# Heading\n\n> quote with https://q.example and ~~x~~\n\n1. [ ] one\n2. [x] two",
	}
	for _, ext := range []struct {
		name      string
		copy, ups []goldmark.Extender
	}{
		{"gfm+dl", []goldmark.Extender{GFM, DefinitionList}, []goldmark.Extender{upstream.GFM, upstream.DefinitionList}},
		{"markup", []goldmark.Extender{Table, Strikethrough, TaskList}, []goldmark.Extender{upstream.Table, upstream.Strikethrough, upstream.TaskList}},
	} {
		mine, theirs := goldmark.New(goldmark.WithExtensions(ext.copy...)), goldmark.New(goldmark.WithExtensions(ext.ups...))
		for _, doc := range docs {
			var a, b bytes.Buffer
			if err := mine.Convert([]byte(doc), &a); err != nil {
				t.Fatal(err)
			}
			if err := theirs.Convert([]byte(doc), &b); err != nil {
				t.Fatal(err)
			}
			if a.String() != b.String() {
				t.Errorf("%s: %q\ncopy:     %q\nupstream: %q", ext.name, doc, a.String(), b.String())
			}
		}
	}
}
