package markup

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTypedBackslashKept: a backslash before a character that is not
// Markdown syntax is the user's own and is sent; one before syntax still
// escapes it.
func TestTypedBackslashKept(t *testing.T) {
	in := `say \"hi\" at C:\Users, not \*bold\* nor \~struck\~`
	b, _ := json.Marshal(MarkdownToADF(in))
	var doc struct {
		Content []struct {
			Content []struct{ Text string } `json:"content"`
		} `json:"content"`
	}
	_ = json.Unmarshal(b, &doc)
	var got strings.Builder
	for _, p := range doc.Content {
		for _, n := range p.Content {
			got.WriteString(n.Text)
		}
	}
	if want := `say \"hi\" at C:\Users, not *bold* nor ~struck~`; got.String() != want {
		t.Errorf("ADF text %q, want %q", got.String(), want)
	}
	if w := MarkdownToWiki(`say \"hi\"`); !strings.Contains(w, `\"hi\"`) {
		t.Errorf("wiki %q lost the typed backslashes", w)
	}
}

// TestADFSkipsNonObjectNodes: one element of a content list that is not an
// object (a number, a string, null, a list) is skipped; the rest of the
// description shows.
func TestADFSkipsNonObjectNodes(t *testing.T) {
	raw := `{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"first"},5,"str",[1],null,{"type":"text","text":" second","marks":[7,{"type":"strong"}]}]},true,{"type":"paragraph","content":[{"type":"text","text":"third"}]}]}`
	n, err := ParseADF([]byte(raw))
	if err != nil {
		t.Fatalf("the whole description failed: %v", err)
	}
	md := ADFToMarkdown(n)
	for _, want := range []string{"first", "**second**", "third"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown %q lacks %q", md, want)
		}
	}
}
