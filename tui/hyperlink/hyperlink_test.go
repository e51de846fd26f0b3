package hyperlink

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestClean(t *testing.T) {
	for _, c := range []struct {
		in, out string
		ok      bool
	}{
		{"https://example.com/a?b=c#d", "https://example.com/a?b=c#d", true},
		{"http://127.0.0.1:8080/browse/KP-1", "http://127.0.0.1:8080/browse/KP-1", true},
		{"https://example.com/a b", "https://example.com/a%20b", true},
		{"https://example.com/\x1b]8;;\x07evil", "https://example.com/%1B]8;;%07evil", true},
		{"https://example.com/\x1b\\x", "https://example.com/%1B\\x", true},
		{"https://example.com/\u009b31m\u202e", "https://example.com/%C2%9B31m%E2%80%AE", true},
		{"https://exämple.com/", "https://ex%C3%A4mple.com/", true},
		{"javascript:alert(1)", "", false},
		{"file:///etc/passwd", "", false},
		{"/browse/KP-1", "", false},
		{"mailto:a@b.c", "", false},
		{"https://user:pw@example.com/", "", false},
		{"https:///nohost", "", false},
		{"https://example.com/" + strings.Repeat("a", MaxURL), "", false},
	} {
		got, ok := Clean(c.in)
		if ok != c.ok || (ok && got != c.out) {
			t.Errorf("Clean(%q) = %q, %v; want %q, %v", c.in, got, ok, c.out, c.ok)
		}
		if ok {
			for _, r := range got {
				if r <= 0x20 || r >= 0x7f {
					t.Errorf("Clean(%q) kept %U", c.in, r)
				}
			}
		}
	}
}

// TestLine: glamour's links are written again only when they are web
// links, with the clean target; keys link to the site; other OSCs go.
func TestLine(t *testing.T) {
	on := Linker{On: true, Site: "https://acme.atlassian.net"}
	glamourLink := func(url, text string) string {
		return "\x1b]8;id=1;" + url + "\x07\x1b[1m" + text + "\x1b[m\x1b]8;;\x07"
	}
	for _, c := range []struct {
		name, in string
		l        Linker
		want     string
	}{
		{"web link kept", "see " + glamourLink("https://example.com/a", "docs"), on,
			"see " + Open("https://example.com/a") + "\x1b[1mdocs\x1b[m" + Close()},
		{"javascript dropped", "x " + glamourLink("javascript:alert(1)", "evil"), on, "x \x1b[1mevil\x1b[m"},
		{"relative dropped", glamourLink("/browse/X-1", "rel"), on, "\x1b[1mrel\x1b[m"},
		{"off drops all", "see " + glamourLink("https://example.com/a", "docs") + " ABC-1", Linker{Site: on.Site}, "see \x1b[1mdocs\x1b[m ABC-1"},
		{"keys", "\x1b[38;5;252mfixed by ABC-12, see KP_2-7.\x1b[m", on,
			"\x1b[38;5;252mfixed by " + Open("https://acme.atlassian.net/browse/ABC-12") + "ABC-12" + Close() + ", see " +
				Open("https://acme.atlassian.net/browse/KP_2-7") + "KP_2-7" + Close() + ".\x1b[m"},
		{"no key inside a link", glamourLink("https://acme.atlassian.net/browse/ABC-1", "https://acme.atlassian.net/browse/ABC-1"), on,
			Open("https://acme.atlassian.net/browse/ABC-1") + "\x1b[1mhttps://acme.atlassian.net/browse/ABC-1\x1b[m" + Close()},
		{"not keys", "abc-1 A-1 ABC-0 XABC-12x v2ABC-3", on, "abc-1 A-1 ABC-0 XABC-12x v2ABC-3"},
		{"title OSC dropped", "a\x1b]0;pwned\x07b", on, "ab"},
		{"open link closed at the end", "\x1b]8;;https://example.com/long\x07https://example.com/lo", on,
			Open("https://example.com/long") + "https://example.com/lo" + Close()},
		{"dirty target cleaned", "\x1b]8;;https://example.com/a b\x07t\x1b]8;;\x07", on, Open("https://example.com/a%20b") + "t" + Close()},
	} {
		got := c.l.Line(c.in)
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		if err := Verify(got); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if ansi.Strip(got) != ansi.Strip(c.in) {
			t.Errorf("%s: the text changed: %q", c.name, ansi.Strip(got))
		}
	}
}

func TestVerify(t *testing.T) {
	for _, bad := range []string{
		"\x1b]0;title\x07",
		"\x1b]52;c;ZXZpbA==\x07",
		"\x1b]8;;javascript:alert(1)\x07x\x1b]8;;\x07",
		"\x1b]8;;https://example.com/a b\x07x\x1b]8;;\x07",
		"\x1b]8;;https://example.com/\x07x",
		"\x1b]8;;https://example.com/",
		"\x1b]8;evil=1;https://example.com/\x07x\x1b]8;;\x07",
	} {
		if Verify(bad) == nil {
			t.Errorf("Verify(%q) passed", bad)
		}
	}
	if err := Verify("a " + Open("https://example.com/") + "x" + Close() + "\nplain"); err != nil {
		t.Errorf("jiffy's own link refused: %v", err)
	}
}

// TestKeyAcrossStyles: glamour ends a style run inside a key (at "_");
// the key still links whole, with the styles kept.
func TestKeyAcrossStyles(t *testing.T) {
	in := "\x1b[38;5;252m• \x1b[m\x1b[38;5;252mblocks KP_\x1b[m\x1b[38;5;252m2-7\x1b[m"
	got := Linker{On: true, Site: "https://acme.atlassian.net/"}.Line(in)
	want := "\x1b[38;5;252m• \x1b[m\x1b[38;5;252mblocks " + Open("https://acme.atlassian.net/browse/KP_2-7") + "KP_\x1b[m\x1b[38;5;252m2-7" + Close() + "\x1b[m"
	if got != want {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
}
