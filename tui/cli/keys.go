package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/usercmd"
)

// Keymap is the keymap in force: the registry's defaults with the config's
// [keys] laid over them. The warnings ("path:line: ...") name what was
// not applied: an unknown action, a key name no terminal sends, a clash
// (with both actions' names).
func Keymap(cfg *config.Config, path string) (*keys.Map, []string) {
	km := keys.Default()
	var rs []keys.Rebinding
	for _, b := range cfg.KeyBindings() {
		rs = append(rs, keys.Rebinding{Action: b.Action, Keys: b.Keys, Where: config.Where(path, b.Line)})
	}
	return km, km.Rebind(rs)
}

// Keymap is the session's keymap in force (see the function Keymap).
func (s *Session) Keymap() (*keys.Map, []string) { return Keymap(s.Cfg, s.CfgPath) }

// Commands are the user's [[commands]] bound against km's keys, with the
// warnings for those not bound.
func (s *Session) Commands(km *keys.Map) ([]*usercmd.Command, []string) {
	return usercmd.Bind(s.Cfg.Commands, s.CfgPath, km.Builtin())
}

// Warnings are every warning about the config file: the file's own, the
// [keys] table's and the [[commands]]' (main shows them in the status bar
// at start, `jiffy status` lists them).
func (s *Session) Warnings() []string {
	km, kw := s.Keymap()
	_, cw := s.Commands(km)
	return append(append(append([]string(nil), s.Cfg.Warnings...), kw...), cw...)
}

// keysCmd is `jiffy keys`: the keymap in force, a section per view (text),
// or every action as JSON (--output json).
func (s *Session) keysCmd() error {
	km, warnings := s.Keymap()
	switch s.Inv.Output {
	case "", FormatTable, FormatPlain:
	case FormatJSON:
		return writeKeysJSON(s.Env.Stdout, km)
	default:
		return usageErr("keys prints text or JSON: use --output table, plain or json")
	}
	for _, w := range warnings {
		fmt.Fprintln(s.Env.Stderr, "jiffy: warning: "+w)
	}
	return writeKeys(s.Env.Stdout, km)
}

// writeKeys prints each view's actions: keys, action name, what it does;
// "*" marks an action the config rebound.
func writeKeys(w io.Writer, km *keys.Map) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, v := range km.Views() {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		with := ""
		if len(v.With) > 0 {
			with = " (with " + strings.Join(v.With, ", ") + ")"
		}
		fmt.Fprintf(tw, "%s: %s%s\n", v.Name, v.Title, with)
		for _, a := range km.Actions(v.Name) {
			mark := ""
			if a.Rebound {
				mark = " *"
			}
			k := strings.Join(a.Keys, " ")
			if k == "" {
				k = "(none)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s%s\n", a.Name, k, a.Help, mark)
		}
	}
	fmt.Fprintln(tw, "\n* rebound in the config file ([keys]).")
	return tw.Flush()
}

func writeKeysJSON(w io.Writer, km *keys.Map) error {
	var all []keys.Bound
	for _, v := range km.Views() {
		for _, a := range km.Actions(v.Name) {
			if a.Keys == nil {
				a.Keys = []string{}
			}
			all = append(all, a)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(all)
}
