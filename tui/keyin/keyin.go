// Package keyin is the terminal input jiffy hands to Bubble Tea: the
// terminal itself, except that the Escape key is told apart from an escape
// sequence at once instead of after a wait.
//
// Design note: a legacy terminal sends the Escape key as a lone ESC byte,
// which is also how every escape sequence (arrows, Alt+key, mouse) begins.
// Bubble Tea's reader (ultraviolet's TerminalReader) keeps a lone ESC
// buffered for 50 ms (DefaultEscTimeout, not configurable through Bubble
// Tea) in case the rest of a sequence follows, so Escape acted 50 ms after
// every other key. Terminals that speak the kitty keyboard protocol, which
// Bubble Tea asks for at start (flag 1, disambiguate), send Escape as
// CSI 27 u and never pay this wait; tmux 3.3 and many others do not.
//
// A terminal writes a key's bytes in one write, so a read that returns the
// single byte ESC is the Escape key, not the start of a sequence whose rest
// is late (crossterm decides the same way). Reader rewrites exactly that
// read as CSI 27 u, the kitty encoding of Escape, which the reader decodes
// as Escape at once. Every other read passes through unchanged, so an
// Alt+key (ESC x), an arrow or a paste are read as before.
//
// Because the program's input is then not an *os.File, a process run with
// tea.ExecProcess must be given the terminal as its stdin explicitly
// (cmd.Stdin = os.Stdin): exec would otherwise pump this reader through a
// pipe whose copy never ends.
package keyin

import (
	"io"
	"os"
)

// escapeKey is the kitty keyboard protocol's encoding of the Escape key.
const escapeKey = "\x1b[27u"

// Reader is a terminal's input (a *os.File, so Bubble Tea still puts it in
// raw mode and can cancel a read) with a lone ESC read as the Escape key.
type Reader struct {
	*os.File
}

// New wraps the terminal input f (normally os.Stdin).
func New(f *os.File) Reader { return Reader{File: f} }

// Read reads from the terminal; a read of the lone byte ESC comes back as
// CSI 27 u when p has room for it.
func (r Reader) Read(p []byte) (int, error) {
	return translate(r.File, p)
}

func translate(r io.Reader, p []byte) (int, error) {
	n, err := r.Read(p)
	if n == 1 && p[0] == 0x1b && len(p) >= len(escapeKey) {
		return copy(p, escapeKey), err
	}
	return n, err
}
