package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestStartRunsNoHighlighterInit: a start (here `jiffy --version`) runs no
// package init of chroma's registries (its lexers, styles and formatters
// build them at init: tens of ms before main, 4 MB kept). The detail
// view's code blocks read their lexers on first use (tui/internal/highlight).
func TestStartRunsNoHighlighterInit(t *testing.T) {
	cmd := exec.Command(binary, "--version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(string(out), "init runtime") {
		t.Fatalf("no init trace in:\n%s", out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		for _, pkg := range []string{"chroma/v2/lexers", "chroma/v2/styles", "chroma/v2/formatters", "chroma/v2/quick"} {
			if strings.Contains(line, pkg+" ") {
				t.Errorf("a start runs %s's init: %s", pkg, line)
			}
		}
	}
}
