package cli

import (
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		cmd     string
		pos     []string
		profile string
		err     string
	}{
		{args: []string{"--profile", "w", "list", "--jql", "x"}, cmd: "list", profile: "w"},
		{args: []string{"list", "--profile=w", "--limit", "3"}, cmd: "list", profile: "w"},
		{args: []string{"label", "A-1", "+a", "-b", "-c"}, cmd: "label", pos: []string{"A-1", "+a", "-b", "-c"}},
		{args: []string{"label", "A-1", "--", "-h"}, cmd: "label", pos: []string{"A-1", "-h"}},
		{args: []string{"comment", "A-1", "--body", "-x is fine"}, cmd: "comment", pos: []string{"A-1"}},
		{args: []string{"transition", "A-1", "Done", "--comment", "-"}, cmd: "transition", pos: []string{"A-1", "Done"}},
		{args: []string{"--token=ATATT-secret"}, err: `unknown flag "--token"`},
		{args: []string{"list", "--limit", "many"}, err: `invalid value "many" for --limit`},
		{args: []string{"view", "A-1", "--jql", "x"}, err: "flag --jql is not used by view"},
		{args: []string{"--jql", "x", "status"}, err: "flag --jql is not used by status"},
		{args: []string{"--url", "x"}, err: "flag --url needs a command"},
	} {
		inv, err := Parse(tc.args)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "secret") {
				t.Errorf("%v: err %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", tc.args, err)
			continue
		}
		if inv.Cmd != tc.cmd || (tc.pos != nil && !slices.Equal(inv.Args, tc.pos)) || inv.Profile != tc.profile {
			t.Errorf("%v: cmd %q args %q profile %q", tc.args, inv.Cmd, inv.Args, inv.Profile)
		}
	}
}
