package markup

import (
	"encoding/json"
	"strings"
	"testing"
)

// largestDescription returns the biggest description body among the
// fixture documents of the given kind.
func largestDescription(b *testing.B, files []string, adf bool) fixtureDoc {
	b.Helper()
	var best fixtureDoc
	for _, d := range loadFixtureDocs(b, files, adf) {
		if strings.HasSuffix(d.name, "/description") && len(d.raw) > len(best.raw) {
			best = d
		}
	}
	if best.raw == nil {
		b.Fatal("no description in fixtures")
	}
	return best
}

func BenchmarkADFToMarkdown(b *testing.B) {
	d := largestDescription(b, adfFixtures, true)
	doc, err := ParseADF(d.raw)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(d.raw)))
	for b.Loop() {
		_ = ADFToMarkdown(doc)
	}
}

func BenchmarkParseADFAndRender(b *testing.B) {
	d := largestDescription(b, adfFixtures, true)
	b.SetBytes(int64(len(d.raw)))
	for b.Loop() {
		doc, _ := ParseADF(d.raw)
		_ = ADFToMarkdown(doc)
	}
}

func BenchmarkWikiToMarkdown(b *testing.B) {
	d := largestDescription(b, wikiFixtures, false)
	var wiki string
	if err := json.Unmarshal(d.raw, &wiki); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(wiki)))
	for b.Loop() {
		_ = WikiToMarkdown(wiki)
	}
}

func BenchmarkMarkdownToADF(b *testing.B) {
	d := largestDescription(b, adfFixtures, true)
	doc, _ := ParseADF(d.raw)
	md := ADFToMarkdown(doc)
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		_ = MarkdownToADF(md)
	}
}

func BenchmarkMarkdownToWiki(b *testing.B) {
	d := largestDescription(b, adfFixtures, true)
	doc, _ := ParseADF(d.raw)
	md := ADFToMarkdown(doc)
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		_ = MarkdownToWiki(md)
	}
}
