package glamour

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	upstream "charm.land/glamour/v2"
	ustyles "charm.land/glamour/v2/styles"

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

// TestSameAsGlamour: this copy renders what glamour v2.0.1 renders, code
// blocks included. glamour registers its code style once per process, so
// a light style rendered after a dark one gets the dark code colours; the
// copy keeps one per style, so light is checked against glamour in a
// process of its own.
func TestSameAsGlamour(t *testing.T) {
	style := os.Getenv("JIFFY_STYLE_CHILD")
	if style == "" {
		for _, name := range []string{"dark", "light"} {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSameAsGlamour$", "-test.count=1")
			cmd.Env = append(os.Environ(), "JIFFY_STYLE_CHILD="+name)
			if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "PASS") {
				t.Errorf("%s: %v:\n%s", name, err, out)
			}
		}
		return
	}
	ours, them := WithStyles(styles.DarkStyleConfig), upstream.WithStyles(ustyles.DarkStyleConfig)
	if style == "light" {
		ours, them = WithStyles(styles.LightStyleConfig), upstream.WithStyles(ustyles.LightStyleConfig)
	}
	r, err := NewTermRenderer(ours, WithWordWrap(60))
	if err != nil {
		t.Fatal(err)
	}
	u, err := upstream.NewTermRenderer(them, upstream.WithWordWrap(60))
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
	// chroma's 256-colour formatter breaks ties between palette colours
	// by map order, so glamour's colours vary from run to run; the copy
	// breaks them by value (tui/internal/highlight/tty.go). Compare the
	// text, and where the escape sequences fall.
	sgr := regexp.MustCompile("\x1b\\[[0-9;]*m")
	got, want = sgr.ReplaceAllString(got, "<SGR>"), sgr.ReplaceAllString(want, "<SGR>")
	if got != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("differs from glamour at byte %d: got %q, want %q", i, got[i:min(len(got), i+80)], want[i:min(len(want), i+80)])
	}
	if !strings.Contains(got, "<SGR>public<SGR>") {
		t.Fatalf("the Java block is not highlighted")
	}
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
