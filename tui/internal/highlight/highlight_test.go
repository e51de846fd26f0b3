package highlight

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
)

// TestLanguages: the embedded set answers to the names Jira code blocks
// use; an unknown language still shows its code, uncoloured.
func TestLanguages(t *testing.T) {
	for _, lang := range []string{"java", "go", "golang", "python", "js", "typescript", "json", "yaml", "xml", "sql", "bash", "sh", "c", "cpp", "csharp", "kotlin", "ruby", "php", "rust", "css", "diff", "groovy", "scala", "dockerfile", "ini", "toml", "powershell", "swift"} {
		if !Has(lang) {
			t.Errorf("no lexer for %q", lang)
		}
	}
	if Has("haskell") {
		t.Error("haskell is not in the embedded set")
	}
	style := chroma.MustNewStyle("t", chroma.StyleEntries{chroma.Keyword: "#ff0000", chroma.Text: "#cccccc"})
	var b strings.Builder
	if err := Highlight(&b, "main = putStrLn \"hi\"\n", "haskell", "terminal256", style); err != nil || !strings.Contains(b.String(), "putStrLn") {
		t.Fatalf("unknown language: %q, %v", b.String(), err)
	}
	b.Reset()
	if err := Highlight(&b, "public class A {}\n", "java", "terminal256", style); err != nil || !strings.Contains(b.String(), "\x1b[38;5;196mpublic\x1b[0m") {
		t.Fatalf("java keyword not red: %q, %v", b.String(), err)
	}
}

// TestClosestColourTie: of two palette colours at the same distance the
// lower one wins, every time (chroma's own choice followed map order).
func TestClosestColourTie(t *testing.T) {
	table := &ttyTable{foreground: map[chroma.Colour]string{}}
	lo, hi := chroma.MustParseColour("#000000"), chroma.MustParseColour("#000002")
	table.foreground[hi], table.foreground[lo] = "hi", "lo"
	seek := chroma.MustParseColour("#000001")
	if lo.Distance(seek) != hi.Distance(seek) {
		t.Skip("no tie between these colours")
	}
	for range 50 {
		if got := findClosest(table, seek); got != lo {
			t.Fatalf("closest to %v is %v, want %v", seek, got, lo)
		}
	}
}
