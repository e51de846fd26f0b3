package ansi

import (
	"fmt"
	"io"
	"sync"

	"github.com/alecthomas/chroma/v2"

	"github.com/jiffy-tui/jiffy/tui/internal/highlight"
)

const (
	// The chroma style theme name used for rendering.
	chromaStyleTheme = "charm"

	// The chroma formatter name used for rendering.
	chromaFormatter = "terminal256"
)

// jiffy: glamour registers its "charm" style in chroma's global style
// registry (chroma/v2/styles, whose init jiffy does not pay: see
// tui/internal/highlight) once, so the first config's colours were used
// for every later one (a light theme after a dark one). Styles are kept
// here per chroma config instead.
var (
	mutex        = sync.Mutex{}
	chromaStyles = map[string]*chroma.Style{} // by the entries' text
)

// A CodeBlockElement is used to render code blocks.
type CodeBlockElement struct {
	Code     string
	Language string
}

func chromaStyle(style StylePrimitive) string {
	var s string

	if style.Color != nil {
		s = *style.Color
	}
	if style.BackgroundColor != nil {
		if s != "" {
			s += " "
		}
		s += "bg:" + *style.BackgroundColor
	}
	if style.Italic != nil && *style.Italic {
		if s != "" {
			s += " "
		}
		s += "italic"
	}
	if style.Bold != nil && *style.Bold {
		if s != "" {
			s += " "
		}
		s += "bold"
	}
	if style.Underline != nil && *style.Underline {
		if s != "" {
			s += " "
		}
		s += "underline"
	}

	return s
}

// Render renders a CodeBlockElement.
func (e *CodeBlockElement) Render(w io.Writer, ctx RenderContext) error {
	bs := ctx.blockStack

	var indentation uint
	var margin uint
	formatter := chromaFormatter
	rules := ctx.options.Styles.CodeBlock
	if rules.Indent != nil {
		indentation = *rules.Indent
	}
	if rules.Margin != nil {
		margin = *rules.Margin
	}
	if len(ctx.options.ChromaFormatter) > 0 {
		formatter = ctx.options.ChromaFormatter
	}
	theme := rules.Theme

	var style *chroma.Style
	if rules.Chroma != nil {
		theme = chromaStyleTheme
		entries := chroma.StyleEntries{
			chroma.Text:                chromaStyle(rules.Chroma.Text),
			chroma.Error:               chromaStyle(rules.Chroma.Error),
			chroma.Comment:             chromaStyle(rules.Chroma.Comment),
			chroma.CommentPreproc:      chromaStyle(rules.Chroma.CommentPreproc),
			chroma.Keyword:             chromaStyle(rules.Chroma.Keyword),
			chroma.KeywordReserved:     chromaStyle(rules.Chroma.KeywordReserved),
			chroma.KeywordNamespace:    chromaStyle(rules.Chroma.KeywordNamespace),
			chroma.KeywordType:         chromaStyle(rules.Chroma.KeywordType),
			chroma.Operator:            chromaStyle(rules.Chroma.Operator),
			chroma.Punctuation:         chromaStyle(rules.Chroma.Punctuation),
			chroma.Name:                chromaStyle(rules.Chroma.Name),
			chroma.NameBuiltin:         chromaStyle(rules.Chroma.NameBuiltin),
			chroma.NameTag:             chromaStyle(rules.Chroma.NameTag),
			chroma.NameAttribute:       chromaStyle(rules.Chroma.NameAttribute),
			chroma.NameClass:           chromaStyle(rules.Chroma.NameClass),
			chroma.NameConstant:        chromaStyle(rules.Chroma.NameConstant),
			chroma.NameDecorator:       chromaStyle(rules.Chroma.NameDecorator),
			chroma.NameException:       chromaStyle(rules.Chroma.NameException),
			chroma.NameFunction:        chromaStyle(rules.Chroma.NameFunction),
			chroma.NameOther:           chromaStyle(rules.Chroma.NameOther),
			chroma.Literal:             chromaStyle(rules.Chroma.Literal),
			chroma.LiteralNumber:       chromaStyle(rules.Chroma.LiteralNumber),
			chroma.LiteralDate:         chromaStyle(rules.Chroma.LiteralDate),
			chroma.LiteralString:       chromaStyle(rules.Chroma.LiteralString),
			chroma.LiteralStringEscape: chromaStyle(rules.Chroma.LiteralStringEscape),
			chroma.GenericDeleted:      chromaStyle(rules.Chroma.GenericDeleted),
			chroma.GenericEmph:         chromaStyle(rules.Chroma.GenericEmph),
			chroma.GenericInserted:     chromaStyle(rules.Chroma.GenericInserted),
			chroma.GenericStrong:       chromaStyle(rules.Chroma.GenericStrong),
			chroma.GenericSubheading:   chromaStyle(rules.Chroma.GenericSubheading),
			chroma.Background:          chromaStyle(rules.Chroma.Background),
		}
		key := fmt.Sprint(entries)
		mutex.Lock()
		style = chromaStyles[key]
		if style == nil {
			style = chroma.MustNewStyle(theme, entries)
			chromaStyles[key] = style
		}
		mutex.Unlock()
	}

	iw := NewIndentWriter(w, int(indentation+margin), func(_ io.Writer) {
		_, _ = renderText(w, bs.Current().Style.StylePrimitive, " ")
	})
	defer iw.Close() //nolint:errcheck

	// jiffy: a named chroma theme (rules.Theme without rules.Chroma) would
	// need chroma's style registry; only the config's own colours are
	// drawn, else the code block's plain style.
	if style != nil {
		_, _ = renderText(iw, bs.Current().Style.StylePrimitive, rules.BlockPrefix)

		err := highlight.Highlight(iw, e.Code, e.Language, formatter, style)
		if err != nil {
			return fmt.Errorf("glamour: error highlighting code: %w", err)
		}
		_, _ = renderText(iw, bs.Current().Style.StylePrimitive, rules.BlockSuffix)
		return nil
	}

	// fallback rendering
	el := &BaseElement{
		Token: e.Code,
		Style: rules.StylePrimitive,
	}

	return el.Render(iw, ctx)
}
