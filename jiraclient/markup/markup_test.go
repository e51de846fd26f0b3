package markup

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestADFToMarkdown(t *testing.T) {
	for _, c := range adfToMarkdownCases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := ParseADF([]byte(`{"type":"doc","version":1,"content":[` + c.adf + `]}`))
			if err != nil {
				t.Fatal(err)
			}
			got := ADFToMarkdown(doc)
			if got != c.want {
				t.Fatalf("ADFToMarkdown\n got: %q\nwant: %q", got, c.want)
			}
			checkTidy(t, "markdown", got)
			// And back: the Markdown must parse to a document that renders
			// the same, so an edit that changes nothing changes nothing.
			back := MarkdownToADF(got)
			checkSchema(t, back)
			if again := ADFToMarkdown(back); again != got {
				t.Fatalf("not stable through MarkdownToADF\nfirst:  %q\nsecond: %q", got, again)
			}
		})
	}
}

func TestMarkdownToADF(t *testing.T) {
	for _, c := range markdownToADFCases {
		t.Run(c.md, func(t *testing.T) {
			doc := MarkdownToADF(c.md)
			checkSchema(t, doc)
			got, err := json.Marshal(doc.Content)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Fatalf("MarkdownToADF(%q)\n got: %s\nwant: %s", c.md, got, c.want)
			}
			md1 := ADFToMarkdown(doc)
			if md2 := ADFToMarkdown(MarkdownToADF(md1)); md1 != md2 {
				t.Fatalf("not stable\nfirst:  %q\nsecond: %q", md1, md2)
			}
		})
	}
}

func TestMarkdownToADFEmptyDocIsValid(t *testing.T) {
	for _, md := range []string{"", "   \n\n", "<!-- only a comment -->"} {
		b, err := json.Marshal(MarkdownToADF(md))
		if err != nil {
			t.Fatal(err)
		}
		if md != "<!-- only a comment -->" && string(b) != `{"type":"doc","version":1,"content":[]}` {
			t.Errorf("MarkdownToADF(%q) = %s, want an empty doc with version and content", md, b)
		}
		if !strings.HasPrefix(string(b), `{"type":"doc","version":1,"content":[`) {
			t.Errorf("MarkdownToADF(%q) = %s, not a doc", md, b)
		}
	}
}

func TestWikiToMarkdown(t *testing.T) {
	for _, c := range wikiToMarkdownCases {
		t.Run(c.wiki, func(t *testing.T) {
			got := WikiToMarkdown(c.wiki)
			if got != c.want {
				t.Fatalf("WikiToMarkdown(%q)\n got: %q\nwant: %q", c.wiki, got, c.want)
			}
			checkTidy(t, "markdown", got)
			if again := WikiToMarkdown(MarkdownToWiki(got)); again != got {
				t.Fatalf("not stable through MarkdownToWiki\nwiki:   %q\nfirst:  %q\nsecond: %q", MarkdownToWiki(got), got, again)
			}
		})
	}
}

func TestMarkdownToWiki(t *testing.T) {
	for _, c := range markdownToWikiCases {
		t.Run(c.md, func(t *testing.T) {
			got := MarkdownToWiki(c.md)
			if got != c.want {
				t.Fatalf("MarkdownToWiki(%q)\n got: %q\nwant: %q", c.md, got, c.want)
			}
			checkTidy(t, "wiki", got)
			md1 := WikiToMarkdown(got)
			if md2 := WikiToMarkdown(MarkdownToWiki(md1)); md1 != md2 {
				t.Fatalf("not stable\nfirst:  %q\nsecond: %q", md1, md2)
			}
		})
	}
}

func TestParseADF(t *testing.T) {
	for _, c := range []struct {
		in      string
		wantErr string // substring; "" means success
		want    string // Markdown when it succeeds
	}{
		{in: ``, want: ``},
		{in: `null`, want: ``},
		{in: "  null\n", want: ``},
		{in: `{"type":"doc","version":1,"content":[]}`, want: ``},
		{in: `{"type":"doc","content":[null,{"type":"paragraph","content":[null,{"type":"text","text":"x"}]}]}`, want: `x`},
		{in: `"*wiki* text"`, wantErr: "WikiToMarkdown"},
		{in: `42`, wantErr: "got JSON number"},
		{in: `[]`, wantErr: "got JSON array"},
		{in: `true`, wantErr: "got JSON boolean"},
		{in: `{"type":"paragraph"}`, wantErr: `top-level node has type "paragraph"`},
		{in: `{"type":"doc","content":`, wantErr: "not a valid Atlassian Document Format document"},
		{in: `{"type":"doc","content":"nope"}`, wantErr: "not a valid"},
		{in: `<html>`, wantErr: "not an Atlassian Document Format document"},
	} {
		doc, err := ParseADF([]byte(c.in))
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("ParseADF(%q) error = %v, want one containing %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseADF(%q): %v", c.in, err)
			continue
		}
		if doc.Type != "doc" {
			t.Errorf("ParseADF(%q).Type = %q", c.in, doc.Type)
		}
		if got := ADFToMarkdown(doc); got != c.want {
			t.Errorf("ParseADF(%q) renders %q, want %q", c.in, got, c.want)
		}
	}
}

func TestADFToMarkdownNil(t *testing.T) {
	if got := ADFToMarkdown(nil); got != "" {
		t.Fatalf("ADFToMarkdown(nil) = %q", got)
	}
	// A bare node (not a doc) renders as that block.
	if got := ADFToMarkdown(&Node{Type: "paragraph", Content: []*Node{{Type: "text", Text: "hi"}}}); got != "hi" {
		t.Fatalf("bare paragraph = %q", got)
	}
}

// TestUnknownNodesSurvive: node types this package has never heard of are
// kept, attributes and all, through decode and encode.
func TestUnknownNodesSurvive(t *testing.T) {
	in := `{"type":"doc","version":1,"content":[{"type":"layoutSection","attrs":{"flag":true,"width":50.5},"content":[{"type":"layoutColumn","content":[{"type":"paragraph","content":[{"type":"text","text":"col","marks":[{"type":"fancy","attrs":{"k":"v"}}]}]}]}]}]}`
	doc, err := ParseADF([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(doc)
	if string(out) != in {
		t.Fatalf("decode/encode changed the document\n got: %s\nwant: %s", out, in)
	}
	if md := ADFToMarkdown(doc); md != "col" {
		t.Fatalf("unknown nodes render %q, want their text", md)
	}
}

func TestMention(t *testing.T) {
	for _, c := range []struct{ name, id, want string }{
		{"Ada Lovelace", "5b10a2844c20165700ede21g", "[@Ada Lovelace](mention:5b10a2844c20165700ede21g)"},
		{"@Ada", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "[@Ada](mention:557058:f58131cb-b67d-43c7-b30d-6b58d40bd077)"},
		{"", "ada", "[@ada](mention:ada)"},
		{"Odd [name] *x*", "id with space", `[@Odd \[name\] \*x\*](<mention:id with space>)`},
	} {
		got := Mention(c.name, c.id)
		if got != c.want {
			t.Errorf("Mention(%q, %q) = %q, want %q", c.name, c.id, got, c.want)
			continue
		}
		// The form must read back as a mention with the same id.
		doc := MarkdownToADF(got)
		m := doc.Content[0].Content[0]
		if m.Type != "mention" || m.attrString("id") != c.id {
			t.Errorf("Mention(%q, %q) reads back as %+v", c.name, c.id, m)
		}
	}
}

func TestDisplayMentions(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Hi [@Ada Lovelace](mention:5b10a2844c20165700ede21g)!", "Hi **@Ada Lovelace**!"},
		{"[@a](mention:1) and [@b](mention:2)", "**@a** and **@b**"},
		{`[@Odd \[name\]](<mention:id with space>)`, `**@Odd \[name\]**`},
		{"[not a mention](https://x.io) and [@x](https://x.io)", "[not a mention](https://x.io) and [@x](https://x.io)"},
		{"plain", "plain"},
	} {
		if got := DisplayMentions(c.in); got != c.want {
			t.Errorf("DisplayMentions(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	doc := MarkdownToADF("# Title\n\nHello [@Ada](mention:1), see <https://x.io>\n\n- one\n- two")
	want := "Title\nHello @Ada, see https://x.io\none\ntwo"
	if got := PlainText(doc); got != want {
		t.Fatalf("PlainText = %q, want %q", got, want)
	}
}

// TestJiraRubyNullBodies: a Jira Server search whose issues have no
// description (null) must give empty Markdown, not an error.
func TestJiraRubyNullBodies(t *testing.T) {
	var resp struct {
		Issues []struct {
			Fields struct {
				Description json.RawMessage `json:"description"`
			} `json:"fields"`
		} `json:"issues"`
	}
	data := readFixture(t, "jira-ruby-issue.json")
	if err := json.Unmarshal(data, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Issues) == 0 {
		t.Fatal("no issues in fixture")
	}
	for i, is := range resp.Issues {
		doc, err := ParseADF(is.Fields.Description)
		if err != nil {
			t.Fatalf("issue %d: %v", i, err)
		}
		if md := ADFToMarkdown(doc); md != "" {
			t.Fatalf("issue %d: null description renders %q", i, md)
		}
	}
}

// TestConcurrentUse: the converters share the goldmark parser; the race
// detector must stay quiet when views convert in parallel.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			md := fmt.Sprintf("# T%d\n\n- **a** [@x](mention:%d)\n\n| a | b |\n|---|---|\n| 1 | 2 |", i, i)
			for range 20 {
				_ = MarkdownToWiki(md)
				_ = ADFToMarkdown(MarkdownToADF(md))
			}
		}()
	}
	wg.Wait()
}

// checkSchema enforces the ADF rules Jira validates on write: allowed
// children per container, non-empty text, code only with link, list items
// starting with a paragraph, doc version 1.
func checkSchema(t testing.TB, doc *Node) {
	t.Helper()
	if doc.Type != "doc" || doc.Version != 1 {
		t.Fatalf("not a version 1 doc: %+v", doc)
	}
	var walk func(n *Node, parent string)
	walk = func(n *Node, parent string) {
		if n == nil {
			t.Fatalf("nil node under %s", parent)
		}
		if ok := allowed[parent]; ok != nil && !ok[n.Type] {
			t.Fatalf("%s may not hold %s", parent, n.Type)
		}
		switch n.Type {
		case "text":
			if n.Text == "" {
				t.Fatalf("empty text node under %s", parent)
			}
			if hasMark(n.Marks, "code") {
				for _, m := range n.Marks {
					if m.Type != "code" && m.Type != "link" {
						t.Fatalf("code mark combined with %s", m.Type)
					}
				}
			}
		case "listItem":
			if len(n.Content) == 0 || n.Content[0].Type != "paragraph" && n.Content[0].Type != "codeBlock" && n.Content[0].Type != "mediaSingle" {
				t.Fatalf("listItem must start with a paragraph: %+v", n.Content)
			}
		case "bulletList", "orderedList":
			for _, c := range n.Content {
				if c.Type != "listItem" {
					t.Fatalf("%s holds %s", n.Type, c.Type)
				}
			}
		case "taskList":
			if n.attrString("localId") == "" {
				t.Fatalf("taskList without localId")
			}
		case "taskItem":
			if n.attrString("localId") == "" || n.attrString("state") == "" {
				t.Fatalf("taskItem without localId/state")
			}
		case "mention":
			if n.attrString("id") == "" {
				t.Fatalf("mention without id")
			}
		}
		for _, c := range n.Content {
			walk(c, n.Type)
		}
	}
	for _, c := range doc.Content {
		walk(c, "doc")
	}
}

// TestMarkdownStability holds inputs a fuzzer found where a second pass
// through MarkdownToADF and ADFToMarkdown changed the Markdown.
func TestMarkdownStability(t *testing.T) {
	for _, md := range []string{
		"~~0~",                  // escaped tilde before a ~~ delimiter
		"\n0\n` `",              // blank code span after a break
		"0\\  \n0",              // literal backslash before a break
		"0\\ \n0",               // backslash, space, newline
		"0\\\\\\\n0",            // escaped backslash then a backslash break
		"```\n ",                // code block of blanks
		"!<ada@example.com>",    // bang before an autolink would make an image
		"![@x](mention:1)",      // same before a mention
		"\f#",                   // form feed before a hash at line start
		"a ~~b~~ ~c~ \\~~d\\~~", // tildes all around
		"0**0!**",               // closing ** after punctuation before a letter is not emphasis
		" *!* **0!** 0",         // emphasis of punctuation alone
		"0*\x00*",               // NUL
		"0|00\n|-\n|-",          // lines that look like a table after breaks
	} {
		md1 := ADFToMarkdown(MarkdownToADF(md))
		if md2 := ADFToMarkdown(MarkdownToADF(md1)); md1 != md2 {
			t.Errorf("%q: not stable\nfirst:  %q\nsecond: %q", md, md1, md2)
		}
	}
}

// TestWikiStability holds wiki inputs a fuzzer found where
// wiki -> Markdown -> wiki -> Markdown changed the Markdown.
func TestWikiStability(t *testing.T) {
	for _, wiki := range []string{
		"# ",                // empty list item
		"## 0",              // nested item under an empty one
		"0000_??0??",        // emphasis right after an escaped underscore
		"{code:}\x00{code}", // NUL in code
		"0{*}!{*}",          // braced strong around punctuation
		"*",                 // a lone star is an empty list item, so text "*" must be escaped
	} {
		md1 := WikiToMarkdown(wiki)
		w2 := MarkdownToWiki(md1)
		if md2 := WikiToMarkdown(w2); md1 != md2 {
			t.Errorf("%q: not stable\nfirst:  %q\nwiki:   %q\nsecond: %q", wiki, md1, w2, md2)
		}
	}
}
