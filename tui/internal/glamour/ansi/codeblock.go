package ansi

import (
	"fmt"
	"io"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/internal/highlight"
)

// A CodeBlockElement is used to render code blocks.
type CodeBlockElement struct {
	Code     string
	Language string
}

// jiffy: chromaSGR is the escape sequence for a token style, written as
// renderText writes every other span (its colour strings through
// lipgloss.Color and ansi.Style): a "#rrggbb" colour as true colour, an
// ANSI number as the 16- or 256-colour SGR. glamour built a chroma style
// (hex colours only) and quantised it to the 256-colour cube, so code was
// drawn in other colours than the text around it. A style background
// (Background's, which upstream's formatter clears too) is not drawn.
func chromaSGR(p StylePrimitive, background bool) string {
	style := ansi.Style{}
	if p.Color != nil && *p.Color != "" {
		style = style.ForegroundColor(lipgloss.Color(*p.Color))
	}
	if background && p.BackgroundColor != nil && *p.BackgroundColor != "" {
		style = style.BackgroundColor(lipgloss.Color(*p.BackgroundColor))
	}
	if p.Italic != nil && *p.Italic {
		style = style.Italic(true)
	}
	if p.Bold != nil && *p.Bold {
		style = style.Bold()
	}
	if p.Underline != nil && *p.Underline {
		style = style.Underline(true)
	}
	if len(style) == 0 {
		return ""
	}
	return style.String()
}

// chromaSGRs are the escape sequences of a chroma config by token type;
// a token type whose style is empty is left out, so it takes its
// category's (as an empty entry inherits in a chroma style).
func chromaSGRs(c *Chroma) map[chroma.TokenType]string {
	out := make(map[chroma.TokenType]string, len(chromaEntries))
	for _, e := range chromaEntries {
		if s := chromaSGR(e.style(c), e.t != chroma.Background); s != "" {
			out[e.t] = s
		}
	}
	return out
}

// chromaEntries are the token types a Chroma config styles.
var chromaEntries = []struct {
	t     chroma.TokenType
	style func(*Chroma) StylePrimitive
}{
	{chroma.Text, func(c *Chroma) StylePrimitive { return c.Text }},
	{chroma.Error, func(c *Chroma) StylePrimitive { return c.Error }},
	{chroma.Comment, func(c *Chroma) StylePrimitive { return c.Comment }},
	{chroma.CommentPreproc, func(c *Chroma) StylePrimitive { return c.CommentPreproc }},
	{chroma.Keyword, func(c *Chroma) StylePrimitive { return c.Keyword }},
	{chroma.KeywordReserved, func(c *Chroma) StylePrimitive { return c.KeywordReserved }},
	{chroma.KeywordNamespace, func(c *Chroma) StylePrimitive { return c.KeywordNamespace }},
	{chroma.KeywordType, func(c *Chroma) StylePrimitive { return c.KeywordType }},
	{chroma.Operator, func(c *Chroma) StylePrimitive { return c.Operator }},
	{chroma.Punctuation, func(c *Chroma) StylePrimitive { return c.Punctuation }},
	{chroma.Name, func(c *Chroma) StylePrimitive { return c.Name }},
	{chroma.NameBuiltin, func(c *Chroma) StylePrimitive { return c.NameBuiltin }},
	{chroma.NameTag, func(c *Chroma) StylePrimitive { return c.NameTag }},
	{chroma.NameAttribute, func(c *Chroma) StylePrimitive { return c.NameAttribute }},
	{chroma.NameClass, func(c *Chroma) StylePrimitive { return c.NameClass }},
	{chroma.NameConstant, func(c *Chroma) StylePrimitive { return c.NameConstant }},
	{chroma.NameDecorator, func(c *Chroma) StylePrimitive { return c.NameDecorator }},
	{chroma.NameException, func(c *Chroma) StylePrimitive { return c.NameException }},
	{chroma.NameFunction, func(c *Chroma) StylePrimitive { return c.NameFunction }},
	{chroma.NameOther, func(c *Chroma) StylePrimitive { return c.NameOther }},
	{chroma.Literal, func(c *Chroma) StylePrimitive { return c.Literal }},
	{chroma.LiteralNumber, func(c *Chroma) StylePrimitive { return c.LiteralNumber }},
	{chroma.LiteralDate, func(c *Chroma) StylePrimitive { return c.LiteralDate }},
	{chroma.LiteralString, func(c *Chroma) StylePrimitive { return c.LiteralString }},
	{chroma.LiteralStringEscape, func(c *Chroma) StylePrimitive { return c.LiteralStringEscape }},
	{chroma.GenericDeleted, func(c *Chroma) StylePrimitive { return c.GenericDeleted }},
	{chroma.GenericEmph, func(c *Chroma) StylePrimitive { return c.GenericEmph }},
	{chroma.GenericInserted, func(c *Chroma) StylePrimitive { return c.GenericInserted }},
	{chroma.GenericStrong, func(c *Chroma) StylePrimitive { return c.GenericStrong }},
	{chroma.GenericSubheading, func(c *Chroma) StylePrimitive { return c.GenericSubheading }},
	{chroma.Background, func(c *Chroma) StylePrimitive { return c.Background }},
}

// Render renders a CodeBlockElement.
func (e *CodeBlockElement) Render(w io.Writer, ctx RenderContext) error {
	bs := ctx.blockStack

	var indentation uint
	var margin uint
	rules := ctx.options.Styles.CodeBlock
	if rules.Indent != nil {
		indentation = *rules.Indent
	}
	if rules.Margin != nil {
		margin = *rules.Margin
	}
	iw := NewIndentWriter(w, int(indentation+margin), func(_ io.Writer) {
		_, _ = renderText(w, bs.Current().Style.StylePrimitive, " ")
	})
	defer iw.Close() //nolint:errcheck

	// jiffy: a named chroma theme (rules.Theme without rules.Chroma) would
	// need chroma's style registry; only the config's own colours are
	// drawn, else the code block's plain style. ctx.options.ChromaFormatter
	// is not read: the tokens are drawn in the config's colours as given.
	if rules.Chroma != nil {
		_, _ = renderText(iw, bs.Current().Style.StylePrimitive, rules.BlockPrefix)

		err := highlight.Highlight(iw, e.Code, e.Language, chromaSGRs(rules.Chroma))
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
