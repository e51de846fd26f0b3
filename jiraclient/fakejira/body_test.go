package fakejira

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

const richWiki = `*Impact:* most users.

h2. Context

Text with _em_, *bold*, -strike-, {{code}}, [a link|https://example.com/x] and [~grace].
Second line\\
after a break.

# one
# two
## two-a

* alpha
** beta

{code:go}
fmt.Println("*not bold*")
{code}

bq. quoted words

{panel:title=Warning}
inside the panel
{panel}

||Env||Result||
|staging|fails|

----`

func TestWikiRoundTrip(t *testing.T) {
	doc := fromWiki(richWiki)
	got := toWiki(doc)
	again := toWiki(fromWiki(got))
	if got != again {
		t.Fatalf("wiki -> tree -> wiki is not stable:\n%s\n---\n%s", got, again)
	}
	for _, want := range []string{"h2. Context", "*bold*", "_em_", "-strike-", "{{code}}", "[a link|https://example.com/x]", "[~grace]",
		"# one", "## two-a", "** beta", "{code:go}\nfmt.Println(\"*not bold*\")\n{code}", "bq. quoted words", "{warning}\ninside the panel\n{warning}", "||Env||Result||", "|staging|fails|", "----"} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered wiki lacks %q:\n%s", want, got)
		}
	}
}

func TestWikiToADFNodes(t *testing.T) {
	doc := fromWiki(richWiki)
	adf := toADF(doc, func(name string) (string, string) { return "acc-" + name, "Grace Hopper" })
	b, _ := json.Marshal(adf)
	s := string(b)
	for _, want := range []string{`"type":"doc"`, `"version":1`, `"type":"heading"`, `"level":2`, `"type":"strong"`, `"type":"em"`, `"type":"code"`,
		`"type":"strike"`, `"href":"https://example.com/x"`, `"type":"mention"`, `"id":"acc-grace"`, `"text":"@Grace Hopper"`,
		`"type":"orderedList"`, `"type":"bulletList"`, `"type":"codeBlock"`, `"language":"go"`, `"type":"blockquote"`,
		`"type":"panel"`, `"panelType":"warning"`, `"type":"table"`, `"type":"tableHeader"`, `"type":"tableCell"`, `"type":"hardBreak"`, `"type":"rule"`} {
		if !strings.Contains(s, want) {
			t.Errorf("ADF lacks %s", want)
		}
	}
	// Back through the ADF reader: the tree survives.
	var v any
	_ = json.Unmarshal(b, &v)
	back, err := fromADF(v, func(acc string) (string, bool) {
		return strings.TrimPrefix(acc, "acc-"), strings.HasPrefix(acc, "acc-")
	})
	if err != nil {
		t.Fatal(err)
	}
	if toWiki(back) != toWiki(doc) {
		t.Errorf("ADF round trip changed the document:\n%s\n---\n%s", toWiki(back), toWiki(doc))
	}
}

func TestFromADFRejectsNonDocuments(t *testing.T) {
	for _, in := range []string{`"plain string"`, `{"type":"paragraph"}`, `{"type":"doc","version":2,"content":[]}`, `{"type":"doc","content":["x"]}`, `42`, `null`} {
		var v any
		_ = json.Unmarshal([]byte(in), &v)
		if _, err := fromADF(v, nil); err == nil || err.Error() != errNotADF {
			t.Errorf("fromADF(%s) = %v, want %q", in, err, errNotADF)
		}
	}
}

func TestInlineEdges(t *testing.T) {
	cases := map[string][]*node{
		"a*b*c":        {{Type: "text", Text: "a*b*c"}},
		"snake_case_x": {{Type: "text", Text: "snake_case_x"}},
		"2 - 3 - 4":    {{Type: "text", Text: "2 - 3 - 4"}},
		"*x*, y":       {{Type: "text", Text: "x", Marks: []mark{{Type: "strong"}}}, {Type: "text", Text: ", y"}},
		"*_both_*":     {{Type: "text", Text: "both", Marks: []mark{{Type: "em"}, {Type: "strong"}}}},
		"[unclosed":    {{Type: "text", Text: "[unclosed"}},
		"[|https://x]": {{Type: "text", Text: "https://x", Marks: []mark{{Type: "link", Href: "https://x"}}}},
	}
	for in, want := range cases {
		if got := parseInline(in); !reflect.DeepEqual(got, want) {
			gb, _ := json.Marshal(got)
			t.Errorf("parseInline(%q) = %s", in, gb)
		}
	}
}

func FuzzWiki(f *testing.F) {
	f.Add(richWiki)
	f.Add("{code}\nunclosed")
	f.Add("||a|\n|")
	f.Add("*a _b* c_")
	f.Fuzz(func(t *testing.T, s string) {
		// Only panics and runaway output matter for arbitrary input.
		doc := fromWiki(s)
		out := toWiki(doc)
		_ = toADF(doc, nil)
		_ = plainText(doc)
		if len(out) > 4*len(s)+64 {
			t.Fatalf("wiki output grew from %d to %d bytes", len(s), len(out))
		}
	})
}

func FuzzADF(f *testing.F) {
	f.Add(`{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"x","marks":[{"type":"link","attrs":{"href":"u"}}]}]}]}`)
	f.Add(`{"type":"doc","content":[{"type":"table","content":[{"type":"tableRow"}]}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		n, err := fromADF(v, nil)
		if err != nil {
			return
		}
		_ = toWiki(n)
		_ = toADF(n, nil)
	})
}

// noEmptyText reports text nodes without text, which ADF rejects.
func noEmptyText(t *testing.T, n *node) {
	t.Helper()
	if n.Type == "text" && n.Text == "" {
		t.Errorf("empty text node in %s", toWiki(&node{Type: "doc", Content: []*node{n}}))
	}
	for _, c := range n.Content {
		noEmptyText(t, c)
	}
}

func TestNoEmptyTextNodes(t *testing.T) {
	for _, in := range []string{"{code}\n{code}", "[|u]", "{{}}", "**", "__ x", "h1. ", "* ", "||||\n||", "{panel}{panel}", "bq. "} {
		noEmptyText(t, fromWiki(in))
	}
}
