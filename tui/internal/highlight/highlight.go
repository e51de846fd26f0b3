// Package highlight colours the code blocks of a Markdown body for the
// terminal, with chroma, and costs nothing until the first code block.
//
// Design note: chroma's lexers and styles packages build their registries
// (some 240 lexers, 70 styles, parsed from embedded XML) in package init,
// which Go runs at every start of any binary that links them: about 40 and
// 20 ms before main, for `jiffy --version` and every scripting command as
// much as for the UI, and 4 MB of heap kept for ever. glamour links them
// for its code blocks. jiffy renders Markdown with its own copy of glamour
// (tui/internal/glamour) whose code blocks come here instead: chroma's core
// package only (no registry at init), a lexer set of the languages people
// paste into Jira (chroma's own definitions, embedded as data), read the
// first time a code block is rendered. A language outside the set is
// shown in the code block's colours without highlighting.
package highlight

import (
	"embed"
	"io"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/alecthomas/chroma/v2"
)

// The XML lexer definitions are chroma v2.14.0's (lexers/embedded, MIT,
// see LICENSE and lexers/README.md).
//
//go:embed lexers/*.xml
var defs embed.FS

var (
	once     sync.Once
	loaded   atomic.Bool
	registry *chroma.LexerRegistry
	fallback chroma.Lexer
)

// Loaded reports whether the lexers have been read (a code block was
// rendered); tests use it to check that nothing else pays for them.
func Loaded() bool { return loaded.Load() }

func load() {
	once.Do(func() {
		defer loaded.Store(true)
		registry = chroma.NewLexerRegistry()
		paths, _ := fs.Glob(defs, "lexers/*.xml")
		for _, p := range paths {
			if strings.HasSuffix(p, "/go_template.xml") {
				continue // registered under its two names below
			}
			registry.Register(chroma.MustNewXMLLexer(defs, p))
		}
		goText := registry.Register(chroma.MustNewXMLLexer(defs, "lexers/go_template.xml").SetConfig(
			&chroma.Config{Name: "Go Text Template", Aliases: []string{"go-text-template"}}))
		registry.Register(goLexer(goText))
		fallback = chroma.MustNewLexer(&chroma.Config{Name: "fallback", Filenames: []string{"*"}, Priority: -1},
			func() chroma.Rules {
				return chroma.Rules{"root": {{Pattern: `.+`, Type: chroma.Text}, {Pattern: `\n`, Type: chroma.Text}}}
			})
	})
}

// Has reports whether lang (a name, alias or file extension, as chroma
// reads them) has a lexer here.
func Has(lang string) bool {
	load()
	return lang != "" && registry.Get(lang) != nil
}

// Highlight writes code tokenised as lang in style for a 256-colour
// terminal (chroma's "terminal256", the formatter glamour names; other
// names get it too). An empty or unknown lang is guessed from the code,
// then plain text.
func Highlight(w io.Writer, code, lang, _ string, style *chroma.Style) error {
	load()
	l := registry.Get(lang)
	if l == nil {
		l = registry.Analyse(code)
	}
	if l == nil {
		l = fallback
	}
	l = chroma.Coalesce(l)
	it, err := l.Tokenise(nil, code)
	if err != nil {
		return err
	}
	f := indexedTTYFormatter{table: table256()}
	return f.Format(w, style, it)
}
