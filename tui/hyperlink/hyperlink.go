// Package hyperlink turns issue keys and web addresses in rendered text into
// OSC 8 hyperlinks, and is the one place jiffy writes OSC 8 from.
//
// Design note: link targets come from Jira, so they are untrusted. Only
// http and https URLs with a host (and no user name) are linked; every byte
// outside printable ASCII (ESC, BEL, other C0 and C1 controls, spaces,
// non-ASCII) is percent-encoded, so a target can never end the sequence
// early or smuggle another one in. Issue keys link to the site's
// /browse/KEY. Glamour writes OSC 8 for Markdown links itself, with the URL
// as it came; Line drops every OSC it finds and writes back only the links
// that pass Clean, or none when links are off. Each line comes back
// self-contained (a link still open at its end is closed), so a view that
// shows a slice of lines, cuts or pads them never leaves a link open.
package hyperlink

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
)

// MaxURL bounds a link's target; terminals drop longer ones (or worse).
const MaxURL = 2048

// Clean returns raw made safe to put inside OSC 8, and whether it may be
// linked at all: an http or https URL with a host, no user information,
// at most MaxURL bytes once encoded.
func Clean(raw string) (string, bool) {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c > 0x20 && c < 0x7f {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	s := b.String()
	if len(s) > MaxURL {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	return s, true
}

// Open is the OSC 8 sequence that starts a link to target, which must
// come from Clean. The id ties the pieces of a wrapped link together.
func Open(target string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(target))
	return ansi.SetHyperlink(target, "id="+strconv.FormatUint(uint64(h.Sum32()), 10))
}

// Close ends a link.
func Close() string { return ansi.ResetHyperlink() }

// Linker links what a rendered line holds.
type Linker struct {
	// On says the terminal gets links at all.
	On bool
	// Site is the Jira site's URL; issue keys link to Site/browse/KEY.
	// "" links no keys.
	Site string
}

// ID is what the links of a rendering depend on, for caches.
func (l Linker) ID() string {
	if !l.On {
		return "nolinks"
	}
	return "links:" + l.Site
}

// keyRE is an issue key in running text.
var keyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b[A-Z][A-Z0-9_]+-[1-9][0-9]{0,9}\b`) })

// Line rewrites one rendered line: other OSC sequences are dropped, links
// whose target passes Clean are written again with the clean target (when
// On), and issue keys outside links link to the site, also when styles
// change inside the key (glamour splits "KP_2" at the underscore).
func (l Linker) Line(s string) string {
	if !strings.Contains(s, "\x1b]") && (!l.On || l.Site == "" || !strings.Contains(s, "-")) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 64)
	inLink, open := false, false // a link began (any target); we wrote one
	var region []string          // text and styles outside links, not yet written
	flush := func() {
		if l.On && l.Site != "" {
			l.keys(&b, region)
		} else {
			for _, t := range region {
				b.WriteString(t)
			}
		}
		region = region[:0]
	}
	for len(s) > 0 {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			i = len(s)
		}
		var tok string
		switch {
		case i > 0:
			tok, s = s[:i], s[i:]
		case !strings.HasPrefix(s, "\x1b]"):
			// CSI (styles) and the rest: jiffy's own, copied through.
			n := seqLen(s)
			tok, s = s[:n], s[n:]
		}
		if tok != "" {
			if inLink {
				b.WriteString(tok)
			} else {
				region = append(region, tok)
			}
			continue
		}
		body, n := osc(s)
		s = s[n:]
		rest, ok := strings.CutPrefix(body, "8;")
		if !ok {
			continue // not a link: dropped
		}
		_, target, _ := strings.Cut(rest, ";")
		flush()
		if open {
			b.WriteString(Close())
			open = false
		}
		inLink = target != ""
		if inLink && l.On {
			if t, ok := Clean(target); ok {
				b.WriteString(Open(t))
				open = true
			}
		}
	}
	flush()
	if open {
		b.WriteString(Close())
	}
	return b.String()
}

// keys writes a region of text and escape sequences with its issue keys
// linked: the keys are found in the region's visible text, and the link
// opens before a key's first character and closes after its last, with
// any styles between left as they were.
func (l Linker) keys(b *strings.Builder, region []string) {
	var text strings.Builder
	for _, t := range region {
		if t[0] != 0x1b {
			text.WriteString(t)
		}
	}
	locs := keyRE().FindAllStringIndex(text.String(), -1)
	if locs == nil {
		for _, t := range region {
			b.WriteString(t)
		}
		return
	}
	vis := text.String()
	off, next, open := 0, 0, false // visible offset; next match; a key link is open
	for _, t := range region {
		if t[0] == 0x1b {
			b.WriteString(t)
			continue
		}
		for i := 0; i < len(t); i++ {
			pos := off + i
			if !open && next < len(locs) && pos == locs[next][0] {
				if target, ok := Clean(strings.TrimRight(l.Site, "/") + "/browse/" + vis[locs[next][0]:locs[next][1]]); ok {
					b.WriteString(Open(target))
					open = true
				} else {
					next++
				}
			}
			b.WriteByte(t[i])
			if open && pos+1 == locs[next][1] {
				b.WriteString(Close())
				open = false
				next++
			}
		}
		off += len(t)
	}
}

// osc returns an OSC sequence's body and its length: up to BEL or ST, or
// to the end of s when it is not terminated.
func osc(s string) (body string, n int) {
	for i := 2; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return s[2:i], i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return s[2:i], i + 2
		}
	}
	return s[2:], len(s)
}

// seqLen is the length of the escape sequence at the start of s (CSI up
// to its final byte; ESC and one more byte otherwise).
func seqLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	if s[1] == '[' {
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	}
	return 2
}

// Verify reports the first OSC sequence in s that jiffy would not write: an
// OSC other than 8, a link whose target Clean would change or refuse, a
// link left open at the end of a line, an unterminated sequence. Security
// tests use it to tell jiffy's own links from anything Jira slipped in.
func Verify(s string) error {
	for ln, line := range strings.Split(s, "\n") {
		open := false
		for {
			i := strings.Index(line, "\x1b]")
			if i < 0 {
				break
			}
			line = line[i:]
			body, n := osc(line)
			if n == len(line) && !strings.HasSuffix(line, "\x07") && !strings.HasSuffix(line, "\x1b\\") {
				return lineErr(ln, "an unterminated OSC %q", line)
			}
			line = line[n:]
			rest, ok := strings.CutPrefix(body, "8;")
			if !ok {
				return lineErr(ln, "an OSC that is not a link: %q", body)
			}
			params, target, ok := strings.Cut(rest, ";")
			if !ok {
				return lineErr(ln, "a malformed link %q", body)
			}
			if target == "" {
				open = false
				continue
			}
			if t, ok := Clean(target); !ok || t != target {
				return lineErr(ln, "a link to %q, which jiffy does not write", target)
			}
			if id, ok := strings.CutPrefix(params, "id="); params != "" && (!ok || strings.Trim(id, "0123456789") != "") {
				return lineErr(ln, "link parameters %q", params)
			}
			open = true
		}
		if open {
			return lineErr(ln, "a link left open at the end of the line")
		}
	}
	return nil
}

func lineErr(ln int, format string, args ...any) error {
	return fmt.Errorf("line %d: "+format, append([]any{ln + 1}, args...)...)
}
