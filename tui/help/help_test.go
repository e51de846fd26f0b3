package help

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
)

func TestHelpFromKeyMap(t *testing.T) {
	c := &common.Common{Styles: common.NewStyles(true)}
	m := New(c)
	m.Show("Issue list — keys", keys.NewList().WithState(true, false))
	v := ansi.Strip(m.View(120, 30))
	for _, want := range []string{"Issue list — keys", "ctrl+j", "scroll preview down", "copy URL", "? or esc closes this help"} {
		if !strings.Contains(v, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if strings.Contains(v, "clear filter") {
		t.Error("help shows a disabled binding")
	}
	for _, l := range strings.Split(v, "\n") {
		if ansi.StringWidth(l) > 120 {
			t.Fatalf("line wider than the screen: %q", l)
		}
	}
	if got := len(strings.Split(v, "\n")); got != 30 {
		t.Fatalf("%d lines", got)
	}
}
