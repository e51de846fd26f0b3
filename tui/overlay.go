package tui

import (
	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// Overlay is a picker or editor drawn over the current view; overlays live
// in their own packages (tui/action, tui/compose) and speak to the root
// through tui/common's messages.
type Overlay = common.Overlay

// drawOver composes box centred over base (w x h) with lipgloss layers, so
// the view under it stays visible around the box.
func drawOver(base, box string, w, h int) string {
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	x, y := max(0, (w-bw)/2), max(0, (h-bh)/2)
	return lipgloss.NewCompositor(
		lipgloss.NewLayer(base),
		lipgloss.NewLayer(box).X(x).Y(y).Z(1),
	).Render()
}
