package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/tui/jump"
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

func TestParseJump(t *testing.T) {
	for _, c := range []struct {
		args []string
		key  string
		jql  string
		err  string
	}{
		{args: []string{"ABC-123"}, key: "ABC-123"},
		{args: []string{"abc-123", "--jql", "project = ABC"}, key: "ABC-123", jql: "project = ABC"},
		{args: []string{"--profile", "work", "https://acme.atlassian.net/browse/ABC-9"}, key: "ABC-9"},
		{args: []string{"ABC-1", "ABC-2"}, err: `unexpected argument "ABC-2" after ABC-1`},
		{args: []string{"ABC-1", "--output", "json"}, err: "flag --output needs a command"},
		{args: []string{"frobnicate"}, err: `unknown command "frobnicate"`},
		{args: []string{"view", "ABC-1"}},
	} {
		inv, err := Parse(c.args)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Parse(%q) = %v, want an error with %q", c.args, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", c.args, err)
			continue
		}
		got := ""
		if inv.Jump != nil {
			got = inv.Jump.Key
			if inv.Cmd != "" {
				t.Errorf("Parse(%q): command %q with a jump", c.args, inv.Cmd)
			}
		}
		if got != c.key || inv.JQL != c.jql {
			t.Errorf("Parse(%q) = jump %q jql %q, want %q %q", c.args, got, inv.JQL, c.key, c.jql)
		}
	}
}

func TestCheckJumpSite(t *testing.T) {
	cfg := &config.Config{Profiles: map[string]*config.Profile{
		"work":  {URL: "https://acme.atlassian.net"},
		"other": {URL: "https://other.example.com/jira"},
	}}
	target := func(arg string) *jump.Target {
		tg, ok := jump.ParseTarget(arg)
		if !ok {
			t.Fatalf("%q is no target", arg)
		}
		return &tg
	}
	if err := CheckJumpSite(target("https://ACME.atlassian.net/browse/ABC-1"), "https://acme.atlassian.net", cfg, "work", false); err != nil {
		t.Errorf("same site refused: %v", err)
	}
	if err := CheckJumpSite(target("ABC-1"), "https://acme.atlassian.net", cfg, "work", false); err != nil {
		t.Errorf("a bare key refused: %v", err)
	}
	err := CheckJumpSite(target("https://other.example.com/jira/browse/OPS-2"), "https://acme.atlassian.net", cfg, "work", false)
	if err == nil || !IsUsage(err) || !strings.Contains(err.Error(), `the site of profile "other"`) || !strings.Contains(err.Error(), "jiffy --profile other OPS-2") {
		t.Errorf("another profile's issue: %v", err)
	}
	err = CheckJumpSite(target("https://elsewhere.atlassian.net/browse/X9-2"), "https://acme.atlassian.net", cfg, "work", true)
	if err == nil || !strings.Contains(err.Error(), "no profile is for that site") || !strings.Contains(err.Error(), "JIRA_URL names https://acme.atlassian.net") ||
		!strings.Contains(err.Error(), "jiffy login --url https://elsewhere.atlassian.net") {
		t.Errorf("an unknown site: %v", err)
	}
}
