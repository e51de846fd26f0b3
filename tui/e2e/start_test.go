package e2e

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
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

// TestStartRunsOnlyCheapInits: a start runs no package init of the
// libraries whose init was the heaviest (GODEBUG=inittrace=1 of
// `jiffy --version`): bluemonday and its CSS packages (~5 ms; raw HTML is
// stripped by the glamour copy's stripHTML) and goldmark's extension
// package (~3 ms of regexps; jiraclient/markup/gfm is a copy that compiles
// them on first use).
func TestStartRunsOnlyCheapInits(t *testing.T) {
	cmd := exec.Command(binary, "--version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(string(out), "init runtime") {
		t.Fatalf("no init trace in:\n%s", out)
	}
	heavy := []string{
		"github.com/microcosm-cc/bluemonday", "github.com/microcosm-cc/bluemonday/css",
		"github.com/gorilla/css/scanner", "github.com/aymerick/douceur/parser",
		"github.com/yuin/goldmark/extension",
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "init" {
			continue
		}
		for _, pkg := range heavy {
			if f[1] == pkg {
				t.Errorf("a start runs %s's init: %s", pkg, line)
			}
		}
	}
}

// TestNoPackageLevelRegexp: no package of jiffy's compiles a regular
// expression in a package-level variable (Go compiles it at every start,
// whether or not it is ever used); sync.OnceValue compiles on first use.
// Tests and testdata aside.
func TestNoPackageLevelRegexp(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || (strings.HasPrefix(n, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			ast.Inspect(g, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false // compiled when the function runs
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "MustCompile") {
						if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "regexp" || id.Name == "regexp2") {
							t.Errorf("%s: a package-level %s.%s runs at every start; compile it on first use (sync.OnceValue)", fset.Position(n.Pos()), id.Name, sel.Sel.Name)
						}
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
