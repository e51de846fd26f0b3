// Package safetext makes text that came from Jira safe to print on a
// terminal. Jira text is untrusted: a summary, a display name or a comment
// may carry an escape sequence that moves the cursor, retitles the window
// or writes to the clipboard, a bidi override that reorders what follows,
// or invisible characters that make two different names look the same.
//
// Clean is the one function every command-line output of Jira text goes
// through (the TUI cleans its cells itself). It is a single function so a
// decode-time sanitiser can replace it without touching its callers.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Clean drops from s every C0 control but newline and tab (ESC included,
// so no escape sequence survives), DEL and the C1 controls, the bidi
// embeddings, overrides and isolates, and the zero-width characters;
// invalid UTF-8 becomes U+FFFD. Everything else is kept as it was.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if drop(r) {
			return -1
		}
		return r
	}, s)
}

func drop(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\n' && r != '\t'
	case r >= 0x7f && r < 0xa0: // DEL and C1 (0x9b is a one-byte CSI)
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidi embeddings, overrides, isolates and marks
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff, r == 0x180e:
		return true // zero-width space, (non-)joiner, word joiner, BOM
	}
	return false
}

// isPlain is the fast path: printable ASCII, newline and tab only.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// JSON makes JSON text safe to print without changing what it means: each
// character Clean would drop (raw DEL, C1, bidi and zero-width characters
// may stand unescaped inside JSON strings) is written as a \uXXXX escape,
// and invalid UTF-8 as \ufffd. A script decoding the output gets Jira's
// text exactly; a terminal showing it gets nothing it would obey.
func JSON(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf || b[i] == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			out = append(out, `\ufffd`...)
		case drop(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}
