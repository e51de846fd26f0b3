package markup

import (
	"regexp"
	"strings"
	"sync"
)

// mentionLink matches the Markdown mention form written by Mention: link
// text starting with @ (escaped brackets allowed) and a mention: destination,
// bare or in angle brackets.
var mentionLink = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\[@((?:\\.|[^\]\\])*)\]\((?:mention:[^)\s]*|<mention:(?:\\.|[^>\\])*>)\)`)
})

// DisplayMentions rewrites mentions for display, "[@Ada Lovelace](mention:ID)"
// becoming "**@Ada Lovelace**": the mention: link is how Markdown carries a
// mention through an edit, but a reader wants the name, not a link to an id.
func DisplayMentions(md string) string {
	return mentionLink().ReplaceAllStringFunc(md, func(m string) string {
		sub := mentionLink().FindStringSubmatch(m)
		return "**@" + strings.TrimSpace(sub[1]) + "**"
	})
}

// mentionParts is mentionLink with the id captured: bare (group 2) or in
// angle brackets with escapes (group 3).
var mentionParts = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\[@((?:\\.|[^\]\\])*)\]\((?:mention:([^)\s]*)|<mention:((?:\\.|[^>\\])*)>)\)`)
})

func mentionID(sub []string) string {
	if sub[2] != "" {
		return sub[2]
	}
	return unescapeAngle(sub[3])
}

// unescapeAngle undoes linkDest's escapes inside <...>.
func unescapeAngle(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// MentionIDs lists the user ids the mentions in md name, in order of first
// appearance.
func MentionIDs(md string) []string {
	if !strings.Contains(md, "mention:") {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, sub := range mentionParts().FindAllStringSubmatch(md, -1) {
		if id := mentionID(sub); id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// NameMentions sets the shown name of each mention in md to name(id),
// keeping the id: wiki markup carries only the user name ([~ada]), and
// Jira shows the person's display name. A mention for which name gives ""
// keeps its text.
func NameMentions(md string, name func(id string) string) string {
	return ReplaceMentions(md, func(shown, id string) string {
		if n := name(id); n != "" {
			return Mention(n, id)
		}
		return Mention(shown, id)
	})
}

// ReplaceMentions puts f(name, id) in place of each mention in md; name is
// the shown name without its @, escapes resolved.
func ReplaceMentions(md string, f func(name, id string) string) string {
	if !strings.Contains(md, "mention:") {
		return md
	}
	return mentionParts().ReplaceAllStringFunc(md, func(m string) string {
		sub := mentionParts().FindStringSubmatch(m)
		return f(unescapeAngle(strings.TrimSpace(sub[1])), mentionID(sub))
	})
}
