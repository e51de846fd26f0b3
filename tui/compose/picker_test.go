package compose

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// The picker's filter is a text input: its own command (ctrl+v reads the
// clipboard) reaches the caller instead of being dropped.
func TestPickerKeepsTheInputsCommand(t *testing.T) {
	c := &common.Common{Styles: common.NewStyles(true)}
	p := newPicker(c, "Priority", []pickItem{{id: "1", label: "High"}}, "")
	if _, _, cmd := p.key(tea.KeyPressMsg{Code: 'v', Mod: tea.ModCtrl}); cmd == nil {
		t.Fatal("ctrl+v in the filter: the input's paste command was dropped")
	}
}
