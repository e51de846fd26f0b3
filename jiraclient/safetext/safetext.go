// Package safetext makes text from Jira safe to show in a terminal. It is
// the one sanitiser every path from Jira to the screen goes through:
// jiraclient cleans every string of every JSON answer with it before
// decoding (CleanJSON), and the few texts that reach the screen some other
// way (the site cache, saved drafts, HTTP headers, an HTML page's title)
// are cleaned with Text or Line where they are read.
//
// What goes, and why:
//
//   - ESC and every other C0 control but newline and tab: ESC starts CSI,
//     OSC (title, clipboard, hyperlinks), DCS (a query the terminal answers
//     into jiffy's input) and APC sequences. A lone CR would let a line
//     overwrite the one before, so CR LF becomes LF and a lone CR becomes LF.
//   - DEL and the C1 controls U+0080–U+009F: U+009B is CSI on its own on
//     terminals that read 8-bit controls.
//   - Bidi embeddings, overrides, isolates and marks (U+202A–U+202E,
//     U+2066–U+2069, U+200E, U+200F, U+061C): they reorder what follows as
//     the terminal draws it, so a key or a command can read as another.
//   - Zero-width and invisible characters (U+200B, U+200C, U+2060–U+2064,
//     U+FEFF, U+180E, the interlinear annotation controls U+FFF9–U+FFFB and
//     the tag characters U+E0000–U+E007F): they hide text and break widths.
//     U+200D (zero-width joiner) is kept only between two pictographs, where
//     it joins an emoji sequence (👩‍💻); anywhere else it goes.
//   - U+2028 and U+2029 (line and paragraph separators) become a newline.
//   - Invalid UTF-8 becomes U+FFFD.
//
// Styling is jiffy's own: its views add SGR sequences after cleaning, so no
// escape that reaches the terminal came from Jira.
package safetext

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text cleans multi-line text (a description, a comment): newlines and tabs
// stay, everything listed in the package doc goes.
func Text(s string) string {
	if isPlain(s) {
		return s
	}
	return clean(s, false)
}

// Line cleans single-line text (a summary, a name, an error message): as
// Text, and every newline or tab becomes a space.
func Line(s string) string {
	if isPlain(s) && !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return clean(s, true)
}

// Unsafe reports whether s holds anything Text would remove or change: an
// escape, a control, a bidi or zero-width character, invalid UTF-8. Tests use
// it to assert on what reached a terminal.
func Unsafe(s string) bool { return Text(s) != s }

// isPlain is the fast path: printable ASCII plus newline and tab, which
// need no change.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == 0x7f || (c < 0x20 && c != '\n' && c != '\t') {
			return false
		}
	}
	return true
}

func clean(s string, oneLine bool) string {
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(-1) // the last rune written
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			r = utf8.RuneError // invalid byte: shown as U+FFFD
		}
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // CR LF: the LF follows
			}
			r = '\n'
		case r == '\u2028' || r == '\u2029':
			r = '\n'
		case r == '\u200d':
			next, _ := utf8.DecodeRuneInString(s[i:])
			if !(pictograph(prev) && pictograph(next)) {
				continue
			}
		case Dropped(r):
			continue
		}
		if oneLine && (r == '\n' || r == '\t') {
			r = ' '
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// Dropped reports whether r is always removed (see the package doc); the
// joiner U+200D is decided by its neighbours and is not listed here.
func Dropped(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\n' && r != '\t'
	case r < 0x7f:
		return false
	case r <= 0x9f: // DEL and C1
		return true
	case r == 0x061c, r == 0x180e:
		return true
	case r >= 0x200b && r <= 0x200f: // ZWSP, ZWNJ, (ZWJ handled apart), LRM, RLM
		return r != 0x200d
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0xfeff, r >= 0xfff9 && r <= 0xfffb:
		return true
	case r >= 0xe0000 && r <= 0xe007f:
		return true
	}
	return false
}

// pictograph reports whether r is an emoji or a part of one that a joiner
// may follow or precede: the pictographic planes, the misc symbols and
// dingbats, the variation selector-16 and the skin-tone modifiers.
func pictograph(r rune) bool {
	switch {
	case r >= 0x1f000 && r <= 0x1faff:
		return true
	case r >= 0x2600 && r <= 0x27bf:
		return true
	case r == 0xfe0f:
		return true
	case r == 0x2640 || r == 0x2642 || r == 0x2695 || r == 0x2696 || r == 0x2708 || r == 0x2764:
		return true
	}
	return false
}

// CleanJSON returns data with every JSON string in it (values and object
// keys) passed through Text, leaving the rest byte for byte: a decoder
// then never sees an escape, a control or a bidi character, whatever type
// the string lands in. A string that is not well-formed is left alone (the
// decoder reports it). data is returned as is when nothing needs cleaning.
func CleanJSON(data []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(data); i++ {
		if data[i] != '"' {
			continue
		}
		j, needs := i+1, false
		for j < len(data) && data[j] != '"' {
			c := data[j]
			switch {
			case c == '\\':
				if j+1 < len(data) {
					switch data[j+1] {
					case 'u', 'r', 'b', 'f':
						needs = true
					}
				}
				j += 2
				continue
			case c < 0x20 || c == 0x7f: // a raw control or DEL
				needs = true
			case c >= 0x80:
				size := 1
				if !needs {
					needs, size = rawNeedsCleaning(data[j:])
				}
				j += size
				continue
			}
			j++
		}
		if j >= len(data) {
			break // unterminated: not JSON, nothing more to clean
		}
		if needs {
			var s string
			if json.Unmarshal(data[i:j+1], &s) == nil {
				if c := Text(s); c != s {
					enc, _ := json.Marshal(c)
					out = append(out, data[last:i]...)
					out = append(out, enc...)
					last = j + 1
				}
			}
		}
		i = j
	}
	if out == nil {
		return data
	}
	return append(out, data[last:]...)
}

// rawNeedsCleaning reports whether the UTF-8 sequence at the start of b is
// invalid or a rune Text may remove or change, and its length.
func rawNeedsCleaning(b []byte) (bool, int) {
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size <= 1 {
		return true, 1
	}
	return r == '\u200d' || r == '\u2028' || r == '\u2029' || Dropped(r), size
}

// JSON makes JSON output safe to print without changing what it means:
// each character Text would drop (raw DEL, C1, bidi and zero-width
// characters may stand unescaped inside JSON strings) is written as a
// \uXXXX escape, and invalid UTF-8 as \ufffd. A script decoding the output
// gets the text exactly; a terminal showing it gets nothing it would obey.
// The command line's json, ndjson and --raw outputs go through it.
func JSON(b []byte) []byte {
	plain := true
	for i := 0; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf || b[i] == 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			out = append(out, `\ufffd`...)
		case Dropped(r) || r == '\u200d' || r == '\u2028' || r == '\u2029':
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}
