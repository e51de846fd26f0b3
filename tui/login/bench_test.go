package login

import (
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// BenchmarkView is the cost of drawing the Cloud form with a diagnosed
// failure, the busiest login screen.
func BenchmarkView(b *testing.B) {
	w := newWorld(b)
	d := newDriver(b, w, nil)
	d.typeText(cloudHost)
	d.press("tab")
	d.typeText(fakejira.Email)
	d.press("tab")
	d.paste(wrongToken)
	d.press("enter")
	if d.m.err == nil {
		b.Fatal("no failure on screen")
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = d.m.View()
	}
}

// BenchmarkKeystroke is one typed character in the token field (Update
// plus the redraw that follows it), then its deletion.
func BenchmarkKeystroke(b *testing.B) {
	w := newWorld(b)
	d := newDriver(b, w, nil)
	d.typeText(cloudHost)
	d.press("tab")
	d.press("tab")
	k, bs := keyMsg("x"), keyMsg("backspace")
	b.ReportAllocs()
	for b.Loop() {
		d.m, _ = d.m.Update(k)
		_ = d.m.View()
		d.m, _ = d.m.Update(bs)
	}
}
