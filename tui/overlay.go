package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Overlay is a picker or editor drawn over the current view (transitions,
// assignee, comment editor). It has the keys while it is open.
type Overlay interface {
	Update(tea.Msg) (Overlay, tea.Cmd)
	View() string
	SetSize(w, h int)
	KeyMap() help.KeyMap
}

// OpenOverlayMsg opens an overlay; any view may return it from a Cmd.
type OpenOverlayMsg struct{ Overlay Overlay }

// CloseOverlayMsg closes the open overlay; the overlay returns it when done
// or cancelled.
type CloseOverlayMsg struct{}

// OpenOverlay is a Cmd opening o.
func OpenOverlay(o Overlay) tea.Cmd { return func() tea.Msg { return OpenOverlayMsg{Overlay: o} } }

// CloseOverlay is a Cmd closing the overlay.
func CloseOverlay() tea.Msg { return CloseOverlayMsg{} }

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
