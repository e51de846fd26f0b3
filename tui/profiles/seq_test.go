package profiles

import (
	"reflect"

	tea "charm.land/bubbletea/v2"
)

var cmdsType = reflect.TypeOf([]tea.Cmd(nil))

func asCmds(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || !v.Type().ConvertibleTo(cmdsType) {
		return nil, false
	}
	return v.Convert(cmdsType).Interface().([]tea.Cmd), true
}
