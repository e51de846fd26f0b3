package markup

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Seeds come from the real fixtures and from the table tests, so the fuzzer
// starts from documents Jira actually produces.

func seedMarkdown(f *testing.F) {
	for _, c := range markdownToADFCases {
		f.Add(c.md)
	}
	for _, c := range markdownToWikiCases {
		f.Add(c.md)
	}
	for _, c := range adfToMarkdownCases {
		f.Add(c.want)
	}
	for _, d := range loadFixtureDocs(f, adfFixtures, true) {
		doc, err := ParseADF(d.raw)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ADFToMarkdown(doc))
	}
}

func seedWiki(f *testing.F) {
	for _, c := range wikiToMarkdownCases {
		f.Add(c.wiki)
	}
	for _, c := range markdownToWikiCases {
		f.Add(c.want)
	}
	for _, d := range loadFixtureDocs(f, wikiFixtures, false) {
		var s string
		if err := json.Unmarshal(d.raw, &s); err != nil {
			f.Fatal(err)
		}
		f.Add(s)
	}
}

func FuzzParseADF(f *testing.F) {
	for _, d := range loadFixtureDocs(f, adfFixtures, true) {
		f.Add([]byte(d.raw))
	}
	for _, c := range adfToMarkdownCases {
		f.Add([]byte(`{"type":"doc","version":1,"content":[` + c.adf + `]}`))
	}
	f.Add([]byte(`null`))
	f.Add([]byte(`"wiki"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseADF(data)
		if err != nil {
			return
		}
		md := ADFToMarkdown(doc)
		checkTidy(t, "markdown", md)
		_ = PlainText(doc)
		_ = DisplayMentions(md)
		// A valid document survives encode/decode unchanged.
		enc1, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("cannot encode a parsed document: %v", err)
		}
		doc2, err := ParseADF(enc1)
		if err != nil {
			t.Fatalf("encoded document does not parse: %v\n%s", err, enc1)
		}
		enc2, _ := json.Marshal(doc2)
		if !bytes.Equal(enc1, enc2) {
			t.Fatalf("encode/decode not stable\n%s\n%s", enc1, enc2)
		}
		if got := ADFToMarkdown(doc2); got != md {
			t.Fatalf("re-decoded document renders differently\n%q\n%q", md, got)
		}
		// Its Markdown is a document MarkdownToADF reads back as valid ADF.
		back := MarkdownToADF(md)
		checkSchema(t, back)
	})
}

func FuzzMarkdownToADF(f *testing.F) {
	seedMarkdown(f)
	f.Fuzz(func(t *testing.T, md string) {
		doc := MarkdownToADF(md)
		checkSchema(t, doc)
		raw, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("output does not marshal: %v", err)
		}
		doc2, err := ParseADF(raw)
		if err != nil {
			t.Fatalf("output does not parse back: %v\n%s", err, raw)
		}
		raw2, _ := json.Marshal(doc2)
		if !bytes.Equal(raw, raw2) {
			t.Fatalf("output changes through ParseADF\n%s\n%s", raw, raw2)
		}
		out := ADFToMarkdown(doc)
		checkTidy(t, "markdown", out)
		if utf8.ValidString(md) && !utf8.ValidString(out) {
			t.Fatalf("valid UTF-8 in, invalid out: %q", out)
		}
	})
}

func FuzzWikiToMarkdown(f *testing.F) {
	seedWiki(f)
	f.Fuzz(func(t *testing.T, wiki string) {
		md := WikiToMarkdown(wiki)
		checkTidy(t, "markdown", md)
	})
}

func FuzzMarkdownToWiki(f *testing.F) {
	seedMarkdown(f)
	f.Fuzz(func(t *testing.T, md string) {
		wiki := MarkdownToWiki(md)
		checkTidy(t, "wiki", wiki)
		if strings.Contains(md, "\x00") {
			return
		}
		_ = WikiToMarkdown(wiki)
	})
}
