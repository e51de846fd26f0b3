package glamour

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	upstream "charm.land/glamour/v2"
	ustyles "charm.land/glamour/v2/styles"
	"charm.land/lipgloss/v2"
	xansi "github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/internal/glamour/ansi"
	"github.com/jiffy-tui/jiffy/tui/internal/glamour/styles"
	"github.com/jiffy-tui/jiffy/tui/internal/highlight"
)

// doc has a code block in each language people often paste into Jira.
const doc = "# Crash on save\n\nSteps, with *emphasis* and a [link](https://example.com):\n\n" +
	"```java\npublic class A { int x = 1; // note\n}\n```\n\n" +
	"```go\npackage main\n\nfunc main() { fmt.Println(`raw`, \"s\", 42) }\n```\n\n" +
	"```python\ndef f(x):\n    return x * 2  # twice\n```\n\n" +
	"```json\n{\"a\": [1, true, null]}\n```\n\n" +
	"```sql\nSELECT id FROM issues WHERE key = 'ABC-1';\n```\n\n" +
	"```bash\nfor f in *.log; do echo \"$f\"; done\n```\n\n" +
	"```yaml\nkey: value\nlist: [1, 2]\n```\n\n" +
	"```dockerfile\nFROM golang:1.26\nRUN go build ./...\n```\n\n" +
	"| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n"

// TestSameAsGlamour: this copy renders what glamour v2.0.1 renders, but
// for the colours of code. Outside code blocks the text and where the
// escape sequences fall are the same; in code blocks the text is the same
// and each token is drawn in the style's own colour for it, written as
// every other span is (glamour quantises code colours to 256 colours, and
// its escape sequences vary between runs: chroma breaks ties between
// palette colours by map order).
func TestSameAsGlamour(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ours  ansi.StyleConfig
		their upstream.TermRendererOption
	}{
		{"dark", styles.DarkStyleConfig, upstream.WithStyles(ustyles.DarkStyleConfig)},
		{"light", styles.LightStyleConfig, upstream.WithStyles(ustyles.LightStyleConfig)},
	} {
		r, err := NewTermRenderer(WithStyles(tc.ours), WithWordWrap(60))
		if err != nil {
			t.Fatal(err)
		}
		u, err := upstream.NewTermRenderer(tc.their, upstream.WithWordWrap(60))
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Render(doc)
		if err != nil {
			t.Fatal(err)
		}
		want, err := u.Render(doc)
		if err != nil {
			t.Fatal(err)
		}
		code := codeLines(doc)
		sgr := regexp.MustCompile("\x1b\\[[0-9;]*m")
		gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
		if len(gl) != len(wl) {
			t.Fatalf("%s: %d lines, glamour %d:\n%s", tc.name, len(gl), len(wl), got)
		}
		ncode, inCode := 0, false
		for i := range gl {
			g, w := sgr.ReplaceAllString(gl[i], "<SGR>"), sgr.ReplaceAllString(wl[i], "<SGR>")
			// A code line, or the blank line after a block (glamour's
			// formatter leaves the last token's colour open over the
			// block's final newline, so that line starts with an empty run).
			text := strings.TrimSpace(sgr.ReplaceAllString(wl[i], ""))
			if inCode = code[text] || inCode && text == ""; inCode {
				ncode++
				g, w = sgr.ReplaceAllString(gl[i], ""), sgr.ReplaceAllString(wl[i], "")
			}
			if g != w {
				t.Errorf("%s: line %d differs from glamour:\n got %q\nwant %q", tc.name, i, g, w)
			}
		}
		if ncode < 10 {
			t.Errorf("%s: only %d code lines found", tc.name, ncode)
		}
		ch := tc.ours.CodeBlock.Chroma
		fg := func(p ansi.StylePrimitive) string {
			return xansi.Style{}.ForegroundColor(lipgloss.Color(*p.Color)).String()
		}
		for _, want := range []string{
			fg(ch.Keyword) + "public",
			fg(ch.LiteralNumber) + "42",
			fg(ch.LiteralString) + "\"s\"",
			fg(ch.Comment) + "# twice",
			fg(ch.NameFunction) + "main",
			fg(ch.KeywordType) + "int",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: code not highlighted in the style's colours: no %q", tc.name, want)
			}
		}
	}
}

// codeLines are the lines of md's fenced code blocks, trimmed.
func codeLines(md string) map[string]bool {
	out := map[string]bool{}
	in := false
	for _, l := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(l, "```"):
			in = !in
		case in && strings.TrimSpace(l) != "":
			out[strings.TrimSpace(l)] = true
		}
	}
	return out
}

// TestCodeBlocksLoadTheLexersOnly: rendering Markdown without a code block
// leaves the highlighter's lexers unread; the first code block reads them.
// It runs in a fresh process, since another test may have rendered one.
func TestCodeBlocksLoadTheLexersOnly(t *testing.T) {
	if os.Getenv("JIFFY_LAZY_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCodeBlocksLoadTheLexersOnly$", "-test.count=1")
		cmd.Env = append(os.Environ(), "JIFFY_LAZY_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "PASS") {
			t.Fatalf("%v:\n%s", err, out)
		}
		return
	}
	r, err := NewTermRenderer(WithStyles(styles.DarkStyleConfig), WithWordWrap(60))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render("# Title\n\nText with `inline code`, a list:\n\n- one\n\n> a quote\n"); err != nil {
		t.Fatal(err)
	}
	if highlight.Loaded() {
		t.Fatal("the lexers were read for Markdown without a code block")
	}
	if _, err := r.Render("```java\nint x = 1;\n```\n"); err != nil {
		t.Fatal(err)
	}
	if !highlight.Loaded() {
		t.Fatal("a code block did not read the lexers")
	}
}
