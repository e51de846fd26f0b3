package tui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// rawPrint is a write that would bypass the views: text from Jira reaches
// the terminal only through View (after jiraclient cleaned it as it was
// decoded), never printed on the side.
var rawPrint = regexp.MustCompile(`\bfmt\.Print|\bos\.Std(out|err)\b|\bprintln\(|\bprint\(|\blog\.Print|\blog\.Fatal`)

// TestNoRawPrints greps the UI and the client for writes to the terminal
// outside Bubble Tea's renderer. A new view cannot print Jira's text raw.
func TestNoRawPrints(t *testing.T) {
	for _, root := range []string{".", "../jiraclient"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(src), "\n") {
				code, _, _ := strings.Cut(line, "//")
				if rawPrint.MatchString(code) {
					t.Errorf("%s:%d prints to the terminal directly: %s", path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
