package keyin

import (
	"os"
	"testing"

	uv "github.com/charmbracelet/ultraviolet"
)

// TestLoneEscapeIsTheEscapeKey: a read of the lone byte ESC becomes a
// sequence Bubble Tea's decoder reads as Escape with no more input; other
// reads that begin with ESC (Alt+x, an arrow) are left as they are.
func TestLoneEscapeIsTheEscapeKey(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	r := New(pr)
	var dec uv.EventDecoder
	for _, tc := range []struct {
		in, want string
		key      rune
		mod      uv.KeyMod
	}{
		{"\x1b", escapeKey, uv.KeyEscape, 0},
		{"\x1bx", "\x1bx", 'x', uv.ModAlt},
		{"\x1b[A", "\x1b[A", uv.KeyUp, 0},
		{"q", "q", 'q', 0},
	} {
		if _, err := pw.Write([]byte(tc.in)); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4096)
		n, err := r.Read(buf)
		if err != nil || string(buf[:n]) != tc.want {
			t.Fatalf("read %q: got %q, %v; want %q", tc.in, buf[:n], err, tc.want)
		}
		m, ev := dec.Decode(buf[:n])
		k, ok := ev.(uv.KeyPressEvent)
		if m != n || !ok || k.Code != tc.key || k.Mod != tc.mod {
			t.Fatalf("%q decodes as %#v (%d of %d bytes), want key %q mod %v", tc.in, ev, m, n, tc.key, tc.mod)
		}
	}
	// A buffer too small for the sequence gets the byte as read.
	if _, err := pw.Write([]byte("\x1b")); err != nil {
		t.Fatal(err)
	}
	small := make([]byte, 2)
	if n, _ := r.Read(small); n != 1 || small[0] != 0x1b {
		t.Fatalf("small buffer: %q", small[:n])
	}
}
