package markup

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden Markdown files in testdata/golden")

// words is the text of a document as a word list, so conversions may move
// whitespace and line breaks but not lose or invent words.
func words(s string) []string { return strings.Fields(s) }

// checkTidy enforces the output contract: no trailing blanks, no runs of
// blank lines, no leading or trailing blank line.
func checkTidy(t *testing.T, name, md string) {
	t.Helper()
	for i, l := range strings.Split(md, "\n") {
		if strings.TrimRight(l, " \t") != l {
			t.Errorf("%s: line %d has trailing blanks: %q", name, i+1, l)
		}
	}
	// Blank lines inside code are the author's; elsewhere never two in a row.
	hasCode := strings.Contains(md, "```") || strings.Contains(md, "{noformat}") || strings.Contains(md, "{code")
	if !hasCode && strings.Contains(md, "\n\n\n") {
		t.Errorf("%s: more than one blank line in a row:\n%s", name, md)
	}
	if md != strings.Trim(md, "\n") {
		t.Errorf("%s: leading or trailing newline: %q", name, md)
	}
}

func TestADFFixturesRoundTrip(t *testing.T) {
	docs := loadFixtureDocs(t, adfFixtures, true)
	if len(docs) < 20 {
		t.Fatalf("found %d ADF documents in the fixtures, want at least 20", len(docs))
	}
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			doc, err := ParseADF(d.raw)
			if err != nil {
				t.Fatal(err)
			}
			md1 := ADFToMarkdown(doc)
			checkTidy(t, "md1", md1)
			doc2 := MarkdownToADF(md1)
			md2 := ADFToMarkdown(doc2)
			if md1 != md2 {
				t.Fatalf("ADF -> Markdown -> ADF -> Markdown is not stable\nfirst:\n%s\nsecond:\n%s", md1, md2)
			}
			if w1, w2 := words(PlainText(doc)), words(PlainText(doc2)); !reflect.DeepEqual(w1, w2) {
				t.Fatalf("text changed\nbefore: %q\nafter:  %q", w1, w2)
			}
			raw2, err := json.Marshal(doc2)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseADF(raw2); err != nil {
				t.Fatalf("MarkdownToADF output does not parse back: %v", err)
			}
		})
	}
}

// TestADFFixturesSurviveDecodeEncode: a document decoded and re-encoded keeps
// every node, mark and attribute, which is what lets an edit send back the
// parts of a description jiffy does not understand.
func TestADFFixturesSurviveDecodeEncode(t *testing.T) {
	for _, d := range loadFixtureDocs(t, adfFixtures, true) {
		doc, err := ParseADF(d.raw)
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		var want, got any
		_ = json.Unmarshal(d.raw, &want)
		_ = json.Unmarshal(out, &got)
		// encoding/json omits empty attrs/content ("attrs":{}), which carry
		// nothing; compare without them.
		if !reflect.DeepEqual(dropEmpty(want), dropEmpty(got)) {
			t.Errorf("%s: decode/encode changed the document\nwant %s\ngot  %s", d.name, d.raw, out)
		}
	}
}

func dropEmpty(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			x = dropEmpty(x)
			if m, ok := x.(map[string]any); ok && len(m) == 0 {
				continue
			}
			if a, ok := x.([]any); ok && len(a) == 0 {
				continue
			}
			out[k] = x
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = dropEmpty(x)
		}
		return out
	}
	return v
}

func TestWikiFixturesRoundTrip(t *testing.T) {
	docs := loadFixtureDocs(t, wikiFixtures, false)
	if len(docs) < 15 {
		t.Fatalf("found %d wiki strings in the fixtures, want at least 15", len(docs))
	}
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			var wiki string
			if err := json.Unmarshal(d.raw, &wiki); err != nil {
				t.Fatal(err)
			}
			md1 := WikiToMarkdown(wiki)
			checkTidy(t, "md1", md1)
			wiki2 := MarkdownToWiki(md1)
			checkTidy(t, "wiki2", wiki2)
			md2 := WikiToMarkdown(wiki2)
			if md1 != md2 {
				t.Fatalf("wiki -> Markdown -> wiki -> Markdown is not stable\nwiki2:\n%s\nfirst:\n%s\nsecond:\n%s", wiki2, md1, md2)
			}
			if w1, w2 := words(PlainText(parseWiki(wiki))), words(PlainText(parseWiki(wiki2))); !reflect.DeepEqual(w1, w2) {
				t.Fatalf("text changed\nbefore: %q\nafter:  %q", w1, w2)
			}
		})
	}
}

// TestSameIssueBothFlavours: go-atlassian captured the same issues from
// REST v3 (ADF) and REST v2 (wiki markup). Both must give the same Markdown,
// which is the point of converting both to one form.
func TestSameIssueBothFlavours(t *testing.T) {
	pairs := [][2]string{
		{"search-issues.json", "issue-search-v2.json"},
		{"get-issue.json", "get-issue-v2.json"},
	}
	compared := 0
	for _, p := range pairs {
		adf := map[string]json.RawMessage{}
		for _, d := range loadFixtureDocs(t, []string{p[0]}, true) {
			adf[strings.TrimPrefix(d.name, p[0]+":")] = d.raw
		}
		for _, d := range loadFixtureDocs(t, []string{p[1]}, false) {
			path := strings.TrimPrefix(d.name, p[1]+":")
			raw, ok := adf[path]
			if !ok {
				continue
			}
			var wiki string
			_ = json.Unmarshal(d.raw, &wiki)
			doc, err := ParseADF(raw)
			if err != nil {
				t.Fatal(err)
			}
			compared++
			if a, w := ADFToMarkdown(doc), WikiToMarkdown(wiki); a != w {
				t.Errorf("%s %s: ADF and wiki give different Markdown\nADF:\n%s\nwiki:\n%s", p[0], path, a, w)
			}
		}
	}
	if compared < 8 {
		t.Fatalf("compared only %d ADF/wiki pairs", compared)
	}
}

// TestGolden writes the Markdown of every fixture document to
// testdata/golden/<fixture>.md for reviewers, and checks it has not changed.
func TestGolden(t *testing.T) {
	files := append(append([]string(nil), adfFixtures...), wikiFixtures...)
	for _, f := range files {
		isADF := strings.HasPrefix(f, "get-issue.") || strings.HasPrefix(f, "get-issue-comments.") || strings.HasPrefix(f, "search-issues")
		var b bytes.Buffer
		for _, d := range loadFixtureDocs(t, []string{f}, isADF) {
			var md string
			if isADF {
				doc, err := ParseADF(d.raw)
				if err != nil {
					t.Fatal(err)
				}
				md = ADFToMarkdown(doc)
			} else {
				var wiki string
				_ = json.Unmarshal(d.raw, &wiki)
				md = WikiToMarkdown(wiki)
			}
			b.WriteString("<!-- " + strings.TrimPrefix(d.name, f+":") + " -->\n\n" + md + "\n\n")
		}
		path := filepath.Join("testdata", "golden", strings.TrimSuffix(f, ".json")+".md")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(want, b.Bytes()) {
			t.Errorf("%s differs from the current output (go test -update to accept):\n%s", path, b.String())
		}
	}
}
