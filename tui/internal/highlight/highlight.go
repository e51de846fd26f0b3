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
// shown in the code block's colours without highlighting. Tokens are drawn
// in escape sequences the caller gives per token type (the Markdown
// renderer gives its palette's), so no chroma style or formatter, with
// their hex-only colours, is involved.
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

// Highlight writes code tokenised as lang, each token in the SGR that sgr
// gives its token type (or, failing that, its subcategory, its category,
// Text, then Background; "" draws it plain). An empty or unknown lang is
// guessed from the code, then plain text.
//
// The caller chooses the escape sequences, so a code block is drawn in
// exactly the colours the rest of the screen uses (a true-colour, 256 or
// 16-colour SGR as its palette gives it), not in chroma's hex colours
// quantised to the 256-colour cube. Neighbouring tokens in the same SGR
// are one run, and a run is closed with a reset at the end of each line,
// so a multi-line comment or string keeps its colour on every line however
// the lines are later cut or indented.
func Highlight(w io.Writer, code, lang string, sgr map[chroma.TokenType]string) error {
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
	var b strings.Builder
	b.Grow(len(code) * 2)
	quiet := map[string]bool{"": true} // SGRs that draw nothing on a blank
	open := ""                         // the SGR of the run being written
	for tok := it(); tok != chroma.EOF; tok = it() {
		s := sgrOf(sgr, tok.Type)
		if _, ok := quiet[s]; !ok {
			quiet[s] = blankInvisible(s)
		}
		for rest, more := tok.Value, true; more; {
			var line string
			line, rest, more = strings.Cut(rest, "\n")
			if line != "" && s != open && !(quiet[s] && quiet[open] && isBlank(line)) {
				if open != "" {
					b.WriteString(reset)
				}
				b.WriteString(s)
				open = s
			}
			b.WriteString(line)
			if more {
				if open != "" {
					b.WriteString(reset)
					open = ""
				}
				b.WriteByte('\n')
			}
		}
	}
	if open != "" {
		b.WriteString(reset)
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// isBlank reports whether s is only spaces and tabs.
func isBlank(s string) bool { return strings.Trim(s, " \t") == "" }

// blankInvisible reports whether an SGR draws nothing on a blank: it sets
// only a foreground colour, bold, faint or italic. Blanks between two such
// runs join either run (a token's colour on a space cannot be seen), so a
// line is not cut into a run per token and the space between.
func blankInvisible(sgr string) bool {
	if !strings.HasPrefix(sgr, "\x1b[") || !strings.HasSuffix(sgr, "m") {
		return false
	}
	ps := strings.Split(sgr[2:len(sgr)-1], ";")
	for i := 0; i < len(ps); i++ {
		switch p := ps[i]; {
		case p == "1", p == "2", p == "3", p == "22", p == "23", p == "39":
		case len(p) == 2 && (p[0] == '3' || p[0] == '9') && '0' <= p[1] && p[1] <= '7':
		case p == "38" && i+2 < len(ps) && ps[i+1] == "5":
			i += 2
		case p == "38" && i+4 < len(ps) && ps[i+1] == "2":
			i += 4
		default:
			return false
		}
	}
	return true
}

// reset ends a token's style, as glamour ends every span.
const reset = "\x1b[m"

// sgrOf is the SGR for a token type, by the fallback chroma's own
// formatters use.
func sgrOf(sgr map[chroma.TokenType]string, t chroma.TokenType) string {
	for _, k := range []chroma.TokenType{t, t.SubCategory(), t.Category(), chroma.Text, chroma.Background} {
		if s, ok := sgr[k]; ok {
			return s
		}
	}
	return ""
}
