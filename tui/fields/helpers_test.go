package fields

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/internal/overlaytest"
)

func TestMain(m *testing.M) { overlaytest.Main(m) }

var fixedNow = overlaytest.FixedNow

type (
	site   = overlaytest.Site
	runner = overlaytest.Runner
)

func startSite(t *testing.T, flavor string) *site { return overlaytest.StartSite(t, flavor) }

func newRunner(t *testing.T, o common.Overlay, w, h int) *runner {
	t.Helper()
	return overlaytest.NewRunner(t, o, w, h)
}

func press(s string) tea.KeyPressMsg { return overlaytest.Press(s) }

func last[T any](r *runner) (T, bool) { return overlaytest.Last[T](r) }
