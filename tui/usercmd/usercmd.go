// Package usercmd runs the user's own commands ([[commands]] in the
// config) on an issue: it templates the command line with the issue's
// fields, builds the argument list without a shell (or a quoted script for
// sh -c when asked), and runs it in the background or with the terminal.
//
// Design note: template values come from Jira, so they are untrusted.
// Without a shell, each word of the command line is a template of its own
// and its output is one argument, whatever it holds (spaces, quotes, $, ;);
// the program name may not come from the issue, and a value may not turn
// an argument into an option (a summary starting with "-"). With
// shell = true, every value a template action writes is single-quoted for
// sh (the parse tree is rewritten as html/template does), so text from
// Jira is never read as shell syntax. Values are stripped of control and
// bidi characters, and the key must look like an issue key.
package usercmd

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui/jump"
)

// Issue is what a command template sees: {{.Key}}, {{.Summary}},
// {{.URL}}, {{.Status}}, {{.Type}}, {{.Project}}.
type Issue struct {
	Key, Summary, URL, Status, Type, Project string
}

// Command is a [[commands]] entry ready to run.
type Command struct {
	Name        string
	Key         string
	Views       []string // "list", "detail"
	Shell       bool
	Interactive bool
	// Where is "config.toml:12", for messages.
	Where string

	words  []*template.Template // without a shell: one per argument
	starts []bool               // the word's own text starts with "-"
	script *template.Template   // with a shell
}

// funcs are the helpers a template may call.
var funcs = template.FuncMap{
	"slug":  Slug,
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	// quote is added to every action's pipeline in shell mode.
	"jiffyShellQuote": shellQuote,
}

// sample is used to try a template at start, so a mistake such as
// {{.Sumary}} is a warning then rather than a failure on first use.
var sample = Issue{Key: "ABC-1", Summary: "Sample summary", URL: "https://example.atlassian.net/browse/ABC-1", Status: "To Do", Type: "Task", Project: "ABC"}

// Compile checks a config entry and prepares its templates. where is the
// entry's "file:line".
func Compile(c config.Command, where string) (*Command, error) {
	if c.Problem != "" {
		return nil, errors.New(c.Problem)
	}
	cmd := &Command{Name: c.Name, Key: c.Key, Shell: c.Shell, Interactive: c.Interactive, Where: where, Views: config.Views}
	if c.View != "" {
		cmd.Views = []string{c.View}
	}
	if cmd.Name == "" {
		cmd.Name = c.Run
	}
	if c.Shell {
		t, err := template.New("run").Funcs(funcs).Option("missingkey=error").Parse(c.Run)
		if err != nil {
			return nil, templateErr(err)
		}
		quoteActions(t.Tree.Root)
		cmd.script = t
	} else {
		words, err := splitWords(c.Run)
		if err != nil {
			return nil, err
		}
		if len(words) == 0 {
			return nil, errors.New("run is empty")
		}
		if strings.Contains(words[0], "{{") {
			return nil, errors.New("the program to run must be written out, not come from the issue (the first word of run has a {{…}})")
		}
		for i, w := range words {
			t, err := template.New(fmt.Sprintf("word%d", i)).Funcs(funcs).Option("missingkey=error").Parse(w)
			if err != nil {
				return nil, templateErr(err)
			}
			cmd.words = append(cmd.words, t)
			cmd.starts = append(cmd.starts, strings.HasPrefix(w, "-"))
		}
	}
	if _, err := cmd.Argv(sample); err != nil {
		return nil, err
	}
	return cmd, nil
}

func templateErr(err error) error {
	msg := err.Error()
	// "template: word2:1: function "slg" not defined" -> the part after
	// the template's own name.
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "template: ") {
		rest := msg[i+2:]
		if j := strings.Index(rest, ": "); j >= 0 {
			rest = rest[j+2:]
		}
		msg = rest
	}
	return fmt.Errorf("run has a template mistake: %s", msg)
}

// clean makes the issue's values safe to template: no control or bidi
// characters, one line.
func (is Issue) clean() (Issue, error) {
	if !jump.ValidKey(is.Key) {
		return is, fmt.Errorf("%q is not an issue key", safetext.Line(is.Key))
	}
	one := func(s string) string { return strings.Join(strings.Fields(safetext.Line(s)), " ") }
	is.Summary, is.URL, is.Status, is.Type, is.Project = one(is.Summary), one(is.URL), one(is.Status), one(is.Type), one(is.Project)
	return is, nil
}

// Argv is the program and its arguments for an issue: without a shell,
// one argument per word of run; with one, sh -c and the quoted script.
func (c *Command) Argv(is Issue) ([]string, error) {
	is, err := is.clean()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if c.script != nil {
		if err := c.script.Execute(&b, is); err != nil {
			return nil, execErr(err)
		}
		return []string{"sh", "-c", b.String()}, nil
	}
	argv := make([]string, 0, len(c.words))
	for i, t := range c.words {
		b.Reset()
		if err := t.Execute(&b, is); err != nil {
			return nil, execErr(err)
		}
		arg := b.String()
		if i > 0 && !c.starts[i] && strings.HasPrefix(arg, "-") {
			return nil, fmt.Errorf("argument %d would start with \"-\" and be read as an option (the issue's text begins so): not run", i)
		}
		if strings.IndexByte(arg, 0) >= 0 {
			return nil, fmt.Errorf("argument %d holds a NUL byte: not run", i)
		}
		argv = append(argv, arg)
	}
	return argv, nil
}

func execErr(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return fmt.Errorf("run has a template mistake: %s (the fields are .Key .Summary .URL .Status .Type .Project)", msg)
}

// splitWords splits run into words: blanks separate them, '…' and "…"
// group (in "…", a backslash escapes " and \), a backslash outside quotes
// escapes the next character, and a template action {{…}} is never split.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in := false // a word has started (it may be empty: '')
	for i := 0; i < len(s); {
		switch ch := s[i]; {
		case strings.HasPrefix(s[i:], "{{"):
			end := strings.Index(s[i:], "}}")
			if end < 0 {
				return nil, errors.New("run has a {{ without its }}")
			}
			cur.WriteString(s[i : i+end+2])
			i += end + 2
			in = true
		case ch == ' ' || ch == '\t' || ch == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
			i++
		case ch == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("run has a ' without its closing '")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 2
			in = true
		case ch == '"':
			i++
			closed := false
			for i < len(s) {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					cur.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '"' {
					closed = true
					i++
					break
				}
				if strings.HasPrefix(s[i:], "{{") {
					end := strings.Index(s[i:], "}}")
					if end < 0 {
						return nil, errors.New("run has a {{ without its }}")
					}
					cur.WriteString(s[i : i+end+2])
					i += end + 2
					continue
				}
				cur.WriteByte(s[i])
				i++
			}
			if !closed {
				return nil, errors.New(`run has a " without its closing "`)
			}
			in = true
		case ch == '\\' && i+1 < len(s):
			cur.WriteByte(s[i+1])
			i += 2
			in = true
		default:
			cur.WriteByte(ch)
			i++
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// quoteActions appends the shell quoter to every action that writes
// output, at any depth (inside if, range, with).
func quoteActions(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			quoteActions(c)
		}
	case *parse.ActionNode:
		if len(n.Pipe.Decl) == 0 {
			n.Pipe.Cmds = append(n.Pipe.Cmds, &parse.CommandNode{NodeType: parse.NodeCommand,
				Args: []parse.Node{parse.NewIdentifier("jiffyShellQuote")}})
		}
	case *parse.IfNode:
		quoteActions(n.List)
		quoteActions(n.ElseList)
	case *parse.RangeNode:
		quoteActions(n.List)
		quoteActions(n.ElseList)
	case *parse.WithNode:
		quoteActions(n.List)
		quoteActions(n.ElseList)
	}
}

// shellQuote is s as one sh word: single quotes, each ' written '\”.
func shellQuote(v any) string {
	s := fmt.Sprint(v)
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// SlugMax bounds a slug's length, so a branch name stays readable.
const SlugMax = 40

// Slug turns text into a branch-friendly word: lower case, accents
// dropped, ASCII letters and digits joined by single dashes, at most
// SlugMax characters (cut at a dash when one is near), never starting or
// ending with a dash.
func Slug(s string) string {
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		folded = s
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(folded) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > SlugMax {
		out = out[:SlugMax]
		if i := strings.LastIndexByte(out, '-'); i >= SlugMax/2 {
			out = out[:i]
		}
		out = strings.TrimRight(out, "-")
	}
	return out
}

// Bind compiles the config's commands and binds those whose key is free
// in every view they name. builtin lists, per view, the keys jiffy uses
// there. Warnings say, with path:line, what was not bound and why.
func Bind(cmds []config.Command, path string, builtin map[string][]string) ([]*Command, []string) {
	var out []*Command
	var warnings []string
	taken := map[string]map[string]string{} // view -> key -> whose
	for view, ks := range builtin {
		taken[view] = map[string]string{}
		for _, k := range ks {
			taken[view][k] = "a jiffy key"
		}
	}
	for i, c := range cmds {
		if c.Problem != "" {
			continue // config.Load warned already
		}
		where := config.Where(path, c.Line)
		name := c.Name
		if name == "" {
			name = fmt.Sprintf("%d", i+1)
		}
		cmd, err := Compile(c, where)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: command %q: %v; it is not bound", where, name, err))
			continue
		}
		var clash []string
		for _, v := range cmd.Views {
			if who, ok := taken[v][cmd.Key]; ok {
				clash = append(clash, fmt.Sprintf("%s in the %s", who, v))
			}
		}
		if len(clash) > 0 {
			warnings = append(warnings, fmt.Sprintf("%s: command %q: key %q is already %s; it is not bound (choose a free key)", where, name, cmd.Key, strings.Join(clash, " and ")))
			continue
		}
		for _, v := range cmd.Views {
			if taken[v] == nil {
				taken[v] = map[string]string{}
			}
			taken[v][cmd.Key] = fmt.Sprintf("command %q", name)
		}
		out = append(out, cmd)
	}
	return out, warnings
}
