package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/jiffy-tui/jiffy/tui/jump"
)

// Invocation is a parsed command line: the command ("" is the terminal
// UI), its arguments and every flag, whatever order they came in.
type Invocation struct {
	Cmd  string   // "" = the terminal UI
	Args []string // the command's arguments
	// Help asks for the usage of Cmd (or of jiffy), Version for the version.
	Help, Version bool

	Profile, Config, DebugLog string

	// The terminal UI.
	Demo       bool
	DemoFlavor string
	JQL        string
	Board      string // a board (name or id) to start on
	NoCache    bool   // run without the persistent issue cache
	// Jump is the issue to open at start (jiffy ABC-123, or a browse
	// URL); nil opens the list.
	Jump *jump.Target

	// login.
	URL, Email string
	WithToken  bool

	// Scripting commands.
	Query       string
	Limit       int
	Columns     string
	Output      string
	Raw         bool
	Resolution  string
	Comment     string
	Body        string
	Project     string
	Type        string
	Summary     string
	Description string

	set map[string]bool
}

// Set reports whether the flag was given on the command line.
func (inv *Invocation) Set(name string) bool { return inv.set[name] }

// UsageError is a command line jiffy cannot run: exit status 2, one line.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usageErr(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// command describes one subcommand for parsing and help.
type command struct {
	name     string
	args     string // synopsis of the arguments
	min, max int    // how many arguments; max -1 = any
	flags    []string
	summary  string
	help     string // more lines for `jiffy CMD --help`
}

// globalFlags are accepted by every command, before or after it.
var globalFlags = []string{"profile", "config", "debug-log", "help", "h", "version"}

var commands = []command{
	{name: "", flags: []string{"demo", "demo-flavor", "jql", "board", "no-cache"}, summary: "the issue list (the login view on first run)"},
	{name: "login", flags: []string{"url", "email", "with-token"}, summary: "sign in (the view; or non-interactive: --with-token reads the token from standard input)",
		help: "With --with-token the token is read from standard input (never from an argument):\n  jiffy login --url https://acme.atlassian.net --email you@acme.com --with-token < token.txt\nOn a terminal the token is read without echo."},
	{name: "logout", summary: "remove the stored token of a profile, and its issue cache"},
	{name: "cache", args: "clear", min: 1, max: 1, summary: "cache clear: delete the profile's issue cache (it is rebuilt as you browse)",
		help: "The cache keeps the issues and lists you have seen, so jiffy starts and opens them at once and\nworks offline. It holds no token and no draft. --no-cache runs the UI without it."},
	{name: "status", summary: "site, flavour, user, where the token is kept, whether it works; config warnings"},
	{name: "keys", flags: []string{"output"}, summary: "the keymap in force: every action of every view, its keys, what it does",
		help: "[keys] in the config file rebinds an action by its name: list.down = [\"j\", \"down\"].\n--output json prints every action as a JSON array."},
	{name: "version", summary: "print the version"},
	{name: "help", args: "[COMMAND]", max: 1, summary: "this help, or a command's"},
	{name: "list", flags: []string{"jql", "query", "limit", "columns", "output", "raw"}, summary: "issues matching JQL (default: the profile's query), streamed page by page",
		help: "Columns: " + strings.Join(columnNames(), ",") + " (default " + strings.Join(defaultColumns, ",") + ").\nFormats: table (a terminal's default), plain (a pipe's default: tab-separated), json, ndjson, csv.\n--raw prints Jira's own issue objects (json: an array; ndjson: one per line)."},
	{name: "view", args: "KEY", min: 1, max: 1, flags: []string{"output", "raw"}, summary: "one issue with its description and comments as Markdown (or JSON)"},
	{name: "transition", args: "KEY STATUS", min: 2, max: 2, flags: []string{"resolution", "comment"}, summary: "move an issue to STATUS (a status or transition name)",
		help: "--comment - reads the comment (Markdown) from standard input."},
	{name: "assign", args: "KEY USER|me|none", min: 2, max: 2, summary: "assign an issue (a name or e-mail to search, me, or none)"},
	{name: "comment", args: "KEY", min: 1, max: 1, flags: []string{"body"}, summary: "add a comment (Markdown) from --body or standard input"},
	{name: "create", flags: []string{"project", "type", "summary", "description"}, summary: "create an issue; prints its key",
		help: "--description - reads the description (Markdown) from standard input."},
	{name: "label", args: "KEY +ADD -REMOVE...", min: 2, max: -1, summary: "add (+name) and remove (-name) labels"},
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func (inv *Invocation) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("jiffy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&inv.Help, "help", false, "show help and exit")
	fs.BoolVar(&inv.Help, "h", false, "show help and exit")
	fs.BoolVar(&inv.Version, "version", false, "print the version and exit")
	fs.StringVar(&inv.Profile, "profile", "", "the profile to use (default: the config's default)")
	fs.StringVar(&inv.Config, "config", "", "config file (default: $JIFFY_CONFIG or the OS config dir)")
	fs.StringVar(&inv.DebugLog, "debug-log", "", "append a log of every request to this file (never the token)")
	fs.BoolVar(&inv.Demo, "demo", false, "run on an embedded fake Jira: no account, no network, no keyring")
	fs.StringVar(&inv.DemoFlavor, "demo-flavor", "cloud", "the demo's Jira: cloud or datacenter")
	fs.StringVar(&inv.JQL, "jql", "", "the JQL to run instead of the profile's")
	fs.StringVar(&inv.Board, "board", "", "start on this agile board (its name or id)")
	fs.BoolVar(&inv.NoCache, "no-cache", false, "run without the issue cache: nothing read from or written to it")
	fs.StringVar(&inv.URL, "url", "", "the site URL")
	fs.StringVar(&inv.Email, "email", "", "your Atlassian account email (Jira Cloud)")
	fs.BoolVar(&inv.WithToken, "with-token", false, "read the API token or PAT from standard input")
	fs.StringVar(&inv.Query, "query", "", "run the profile's saved query of this name")
	fs.IntVar(&inv.Limit, "limit", 0, "print at most this many issues (0: all)")
	fs.StringVar(&inv.Columns, "columns", "", "comma-separated columns for table, plain and csv")
	fs.StringVar(&inv.Output, "output", "", "table, plain, json, ndjson or csv")
	fs.BoolVar(&inv.Raw, "raw", false, "print Jira's own JSON instead of jiffy's")
	fs.StringVar(&inv.Resolution, "resolution", "", "the resolution to set (a name)")
	fs.StringVar(&inv.Comment, "comment", "", "a comment (Markdown) to add with the transition; - reads standard input")
	fs.StringVar(&inv.Body, "body", "", "the comment (Markdown); without it, standard input")
	fs.StringVar(&inv.Project, "project", "", "project key")
	fs.StringVar(&inv.Type, "type", "", "issue type name")
	fs.StringVar(&inv.Summary, "summary", "", "summary")
	fs.StringVar(&inv.Description, "description", "", "description (Markdown); - reads standard input")
	return fs
}

// Parse reads a command line (without the program name). Flags may come
// before or after the command and its arguments; "--" ends the flags.
// Everything it cannot use is a *UsageError naming it.
func Parse(args []string) (*Invocation, error) {
	inv := &Invocation{set: map[string]bool{}}
	fs := inv.flagSet()
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			// `jiffy label KEY -old` removes a label: after the key, an
			// unknown -word is an argument there.
			if len(pos) >= 2 && pos[0] == "label" && !strings.HasPrefix(a, "--") {
				pos = append(pos, a)
				continue
			}
			// Only the name: a value after = may be a pasted secret.
			return nil, usageErr("unknown flag %s", quoteArg(strings.SplitN(a, "=", 2)[0]))
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			if !hasVal {
				val = "true"
			}
		} else if !hasVal {
			if i+1 >= len(args) {
				return nil, usageErr("flag --%s needs a value", name)
			}
			i++
			val = args[i]
		}
		if err := fs.Set(name, val); err != nil {
			return nil, usageErr("invalid value %s for --%s", quoteArg(val), name)
		}
		inv.set[canonical(name)] = true
	}
	if len(pos) > 0 {
		inv.Cmd, pos = pos[0], pos[1:]
		if _, known := lookup(inv.Cmd); !known {
			// jiffy ABC-123 (or a browse URL): the terminal UI on that issue.
			if tg, ok := jump.ParseTarget(inv.Cmd); ok {
				inv.Cmd, inv.Jump = "", &tg
			}
		}
	}
	inv.Args = pos
	cmd, ok := lookup(inv.Cmd)
	if !ok {
		return nil, usageErr("unknown command %s", quoteArg(inv.Cmd))
	}
	if inv.Cmd == "" && len(pos) > 0 {
		if inv.Jump != nil {
			return nil, usageErr("unexpected argument %s after %s: jiffy opens one issue", quoteArg(pos[0]), inv.Jump.Key)
		}
		return nil, usageErr("unknown command %s", quoteArg(inv.Cmd))
	}
	if inv.Help || inv.Version {
		return inv, nil // help and version ignore the rest
	}
	for name := range inv.set {
		if !contains(globalFlags, name) && !contains(cmd.flags, name) {
			if cmd.name == "" {
				return nil, usageErr("flag --%s needs a command (see jiffy --help)", name)
			}
			return nil, usageErr("flag --%s is not used by %s", name, cmd.name)
		}
	}
	if len(pos) < cmd.min {
		return nil, usageErr("%s needs %s", cmd.name, cmd.args)
	}
	if cmd.max >= 0 && len(pos) > cmd.max {
		extra := pos[cmd.max:]
		return nil, usageErr("unexpected argument %s after %s", quoteArg(extra[0]), strings.TrimSpace(cmd.name+" "+strings.Join(pos[:cmd.max], " ")))
	}
	if inv.Cmd == "help" {
		inv.Help = true
		if len(pos) == 1 {
			if _, ok := lookup(pos[0]); !ok || pos[0] == "" {
				return nil, usageErr("unknown command %s", quoteArg(pos[0]))
			}
			inv.Cmd = pos[0]
		} else {
			inv.Cmd = ""
		}
		inv.Args = nil
	}
	return inv, nil
}

func canonical(name string) string {
	if name == "h" {
		return "help"
	}
	return name
}

func quoteArg(s string) string { return fmt.Sprintf("%q", Clean(s)) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var metavar = map[string]string{
	"profile": "NAME", "config": "FILE", "debug-log": "FILE", "demo-flavor": "FLAVOR", "jql": "JQL", "board": "NAME|ID",
	"url": "URL", "email": "EMAIL", "query": "NAME", "limit": "N", "columns": "LIST", "output": "FORMAT",
	"resolution": "NAME", "comment": "TEXT|-", "body": "TEXT", "project": "KEY", "type": "NAME",
	"summary": "TEXT", "description": "TEXT|-",
}

// Usage writes the help for cmd ("" is jiffy's own).
func Usage(w io.Writer, cmd string) {
	inv := &Invocation{}
	fs := inv.flagSet()
	flagLines := func(names []string) {
		sort.Strings(names)
		for _, n := range names {
			if n == "h" {
				continue
			}
			f := fs.Lookup(n)
			arg := ""
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
				arg = " " + metavar[n]
			}
			def := ""
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				def = " (default " + f.DefValue + ")"
			}
			fmt.Fprintf(w, "  --%-20s %s%s\n", n+arg, f.Usage, def)
		}
	}
	if cmd == "" {
		fmt.Fprint(w, "jiffy — a terminal UI for Jira, and its commands for scripts\n\nUsage:\n")
		fmt.Fprintf(w, "  jiffy %-25s %s\n", "[flags]", commands[0].summary)
		fmt.Fprintf(w, "  jiffy %-25s %s\n", "[flags] KEY|URL", "open that issue (ABC-123, or a browse URL on the profile's site); back goes to the list")
		for _, c := range commands[1:] {
			fmt.Fprintf(w, "  jiffy %-25s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
		}
		fmt.Fprint(w, "\nFlags of the issue list:\n")
		flagLines(append([]string(nil), commands[0].flags...))
		fmt.Fprint(w, "\nFlags of every command (before or after it):\n")
		flagLines([]string{"profile", "config", "debug-log", "help", "version"})
		fmt.Fprint(w, "\nCredentials come from the profile's keyring entry, or JIRA_URL, JIRA_API_TOKEN and\nJIRA_EMAIL (Cloud). Exit status: 0 ok, 1 Jira refused or failed, 2 usage, 3 login needed.\nRun jiffy help COMMAND for a command's flags.\n")
		return
	}
	c, _ := lookup(cmd)
	fmt.Fprintf(w, "Usage: jiffy %s [flags]\n\n%s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", c.help)
	}
	if len(c.flags) > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		flagLines(append([]string(nil), c.flags...))
	}
	fmt.Fprint(w, "\nFlags of every command: --profile NAME, --config FILE, --debug-log FILE, --help\n")
}

// IsUsage reports whether err is a command-line mistake (exit status 2).
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}
