package markup

import (
	"regexp"
	"strings"
)

// mentionLink matches the Markdown mention form written by Mention: link
// text starting with @ (escaped brackets allowed) and a mention: destination,
// bare or in angle brackets.
var mentionLink = regexp.MustCompile(`\[@((?:\\.|[^\]\\])*)\]\((?:mention:[^)\s]*|<mention:(?:\\.|[^>\\])*>)\)`)

// DisplayMentions rewrites mentions for display, "[@Ada Lovelace](mention:ID)"
// becoming "**@Ada Lovelace**": the mention: link is how Markdown carries a
// mention through an edit, but a reader wants the name, not a link to an id.
func DisplayMentions(md string) string {
	return mentionLink.ReplaceAllStringFunc(md, func(m string) string {
		sub := mentionLink.FindStringSubmatch(m)
		return "**@" + strings.TrimSpace(sub[1]) + "**"
	})
}
