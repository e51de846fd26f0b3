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
	sgr := map[chroma.TokenType]string{chroma.Keyword: "\x1b[91m"}
	var b strings.Builder
	if err := Highlight(&b, "main = putStrLn \"hi\"\n", "haskell", sgr); err != nil || b.String() != "main = putStrLn \"hi\"\n" {
		t.Fatalf("unknown language: %q, %v", b.String(), err)
	}
	b.Reset()
	if err := Highlight(&b, "public class A {}\n", "java", sgr); err != nil || !strings.Contains(b.String(), "\x1b[91mpublic class \x1b[m") {
		t.Fatalf("java keyword not red: %q, %v", b.String(), err)
	}
}

// TestTokenSGR: each token is drawn in the SGR given for its type, else
// for its subcategory, its category, then Text; "" draws it plain.
func TestTokenSGR(t *testing.T) {
	sgr := map[chroma.TokenType]string{
		chroma.Text:          "<text>",
		chroma.Keyword:       "<kw>",
		chroma.LiteralString: "<str>",
		chroma.Comment:       "<comment>",
		chroma.NameFunction:  "<fn>",
		chroma.Punctuation:   "",
	}
	var b strings.Builder
	code := "func main() { // go\n\treturn \"x\"\n}\n"
	if err := Highlight(&b, code, "go", sgr); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"<kw>func\x1b[m",           // KeywordDeclaration: its subcategory
		"<fn>main\x1b[m()",         // punctuation plain
		"<comment>// go\x1b[m\n",   // CommentSingle: its category
		"<kw>return\x1b[m",         // Keyword itself
		"<str>\"x\"\x1b[m",         // LiteralString itself
		"<text>\t\x1b[m<kw>return", // whitespace is Text
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in %q", want, got)
		}
	}
	if strings.Contains(got, "\x1b[38") {
		t.Errorf("a colour not given was drawn: %q", got)
	}
}

// TestMultilineToken: a token over several lines is styled and reset on
// each line, so every line carries its own colour.
func TestMultilineToken(t *testing.T) {
	var b strings.Builder
	if err := Highlight(&b, "/* one\ntwo */\nx := 1\n", "go", map[chroma.TokenType]string{chroma.Comment: "<c>"}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "<c>/* one\x1b[m\n<c>two */\x1b[m\n") {
		t.Errorf("got %q", got)
	}
}

// TestNoSGR: without any SGR the code comes out as it went in.
func TestNoSGR(t *testing.T) {
	var b strings.Builder
	code := "package main\n\nfunc main() { println(\"hi\", 42) } // c\n"
	if err := Highlight(&b, code, "go", nil); err != nil || b.String() != code {
		t.Errorf("got %q, %v", b.String(), err)
	}
}

// TestRuns: neighbouring tokens in one SGR are one run; a blank between
// two colour-only runs joins the open run, but not where its SGR would
// show on a blank (a background).
func TestRuns(t *testing.T) {
	kw, txt, str := "\x1b[1;38;2;1;2;3m", "\x1b[38;5;14m", "\x1b[92m"
	sgr := map[chroma.TokenType]string{chroma.Keyword: kw, chroma.Text: txt, chroma.LiteralString: str}
	var b strings.Builder
	if err := Highlight(&b, "return \"a\"\nreturn x\n", "go", sgr); err != nil {
		t.Fatal(err)
	}
	want := kw + "return \x1b[m" + str + "\"a\"\x1b[m\n" + kw + "return \x1b[m" + txt + "x\x1b[m\n"
	if got := b.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	sgr[chroma.Text] = "\x1b[48;5;1m"
	b.Reset()
	if err := Highlight(&b, "return x\n", "go", sgr); err != nil {
		t.Fatal(err)
	}
	if want := kw + "return\x1b[m\x1b[48;5;1m x\x1b[m\n"; b.String() != want {
		t.Errorf("a background run took in a blank: got %q, want %q", b.String(), want)
	}
	for s, want := range map[string]bool{kw: true, txt: true, str: true, "\x1b[3;38;5;200m": true, "\x1b[4m": false, "\x1b[7m": false, "\x1b[38;5;1;48;5;2m": false, "\x1b[38;2;1;2;3;48;5;2m": false, "x": false} {
		if got := blankInvisible(s); got != want {
			t.Errorf("blankInvisible(%q) = %v", s, got)
		}
	}
}
