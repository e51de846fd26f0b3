package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/charmbracelet/x/term"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
	"github.com/jiffy-tui/jiffy/tui"
	"github.com/jiffy-tui/jiffy/tui/action"
	"github.com/jiffy-tui/jiffy/tui/list"
)

// searchPageSize is the most issues Jira returns per search page with
// fields (Cloud caps /search/jql at 100 then; Data Center's default
// maximum is 1000), so a long list takes the fewest requests.
const searchPageSize = 100

// maxTextInput bounds a comment or description read from standard input.
const maxTextInput = 1 << 20

// script runs list, view and the write commands.
func (s *Session) script(ctx context.Context) (int, error) {
	var run func(context.Context, *jiraclient.Client) error
	switch s.Inv.Cmd {
	case "list":
		run = s.list
	case "view":
		run = s.view
	case "transition":
		run = s.transition
	case "assign":
		run = s.assign
	case "comment":
		run = s.comment
	case "create":
		run = s.create
	case "label":
		run = s.label
	default:
		return 0, usageErr("unknown command %s", quoteArg(s.Inv.Cmd))
	}
	if err := s.checkInput(); err != nil {
		return 0, err
	}
	cl, closer, err := s.client(ctx)
	if err != nil {
		return 0, err
	}
	defer closer()
	return ExitOK, run(ctx, cl)
}

// checkInput refuses, before any request, what the command line gets wrong.
func (s *Session) checkInput() error {
	inv := s.Inv
	if inv.Set("output") && !slices.Contains(formats, inv.Output) {
		return usageErr("unknown output format %s: use %s", quoteArg(inv.Output), strings.Join(formats, ", "))
	}
	switch inv.Cmd {
	case "list":
		if inv.Raw && inv.Output != FormatJSON && inv.Output != FormatNDJSON {
			return usageErr("--raw prints JSON: add --output json or --output ndjson")
		}
		if inv.Set("jql") && inv.Set("query") {
			return usageErr("give --jql or --query, not both")
		}
		if inv.Limit < 0 {
			return usageErr("--limit must be 0 (all) or more")
		}
		if _, err := parseColumns(inv.Columns); err != nil {
			return err
		}
	case "view":
		if inv.Output == FormatCSV {
			return usageErr("view prints Markdown or JSON: use --output table, plain, json or ndjson")
		}
		if inv.Raw && inv.Output != FormatJSON && inv.Output != FormatNDJSON {
			return usageErr("--raw prints JSON: add --output json")
		}
	case "create":
		for _, f := range []struct{ name, val string }{{"project", inv.Project}, {"type", inv.Type}, {"summary", inv.Summary}} {
			if strings.TrimSpace(f.val) == "" {
				return usageErr("create needs --%s", f.name)
			}
		}
	case "label":
		add, remove := action.ParseLabels(strings.Join(inv.Args[1:], " "))
		for _, a := range inv.Args[1:] {
			if strings.ContainsAny(strings.TrimSpace(a), " \t") {
				return usageErr("a label cannot contain spaces: use - or _ instead (%s)", quoteArg(a))
			}
		}
		if len(add)+len(remove) == 0 {
			return usageErr("label needs +name to add or -name to remove")
		}
	case "comment":
		if s.Inv.Set("body") && strings.TrimSpace(s.Inv.Body) == "" {
			return usageErr("the comment is empty")
		}
	}
	return nil
}

// client builds the client for the command's credentials, with the
// profile's limits, what the site cache knows and, when stderr is a
// terminal, the waits shown there.
func (s *Session) client(ctx context.Context) (*jiraclient.Client, func(), error) {
	creds, err := s.Credentials(ctx)
	if err != nil {
		return nil, func() {}, err
	}
	opts, closer, err := ClientOptions(s.Cfg, creds.Profile, s.Inv.DebugLog)
	if err != nil {
		return nil, closer, err
	}
	if s.Env.Limits != nil {
		opts = append(opts, jiraclient.WithLimits(*s.Env.Limits))
	}
	if s.Env.Retry != nil {
		opts = append(opts, jiraclient.WithRetry(*s.Env.Retry))
	}
	if creds.Flavor == "" {
		// What an earlier start learnt saves the detection request.
		dir := s.Env.StateDir
		if dir == "" {
			dir, _ = config.StateDir()
		}
		if dir != "" {
			if cache, err := config.LoadSiteCache(dir); err == nil {
				if si, ok := cache.Get(creds.URL, creds.User); ok {
					creds.Flavor = si.Flavor
				}
			}
		}
	}
	if s.Env.isTerminal(s.Env.Stderr) {
		var mu sync.Mutex
		opts = append(opts, jiraclient.WithObserver(func(ev jiraclient.Event) {
			if text, _ := tui.EventText(ev); text != "" {
				mu.Lock()
				fmt.Fprintf(s.Env.Stderr, "jiffy: %s\n", text)
				mu.Unlock()
			}
		}))
	}
	cl, err := account.NewClient(creds, s.Env.HTTPClient, opts...)
	return cl, closer, err
}

// format is --output, else table on a terminal and plain in a pipe.
func (s *Session) format() string {
	if s.Inv.Output != "" {
		return s.Inv.Output
	}
	if s.Env.isTerminal(s.Env.Stdout) {
		return FormatTable
	}
	return FormatPlain
}

func (s *Session) termWidth() int {
	if f, ok := s.Env.Stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil {
			return w
		}
	}
	return 0
}

// jql is --jql, the saved query --query, the profile's default_jql, or
// the issue list's default.
func (s *Session) jql() (string, error) {
	if s.Inv.Set("jql") {
		if strings.TrimSpace(s.Inv.JQL) == "" {
			return "", usageErr("--jql is empty")
		}
		return s.Inv.JQL, nil
	}
	_, p, err := s.Cfg.Profile(s.Inv.Profile)
	if s.Inv.Query != "" {
		if err != nil {
			return "", err
		}
		var names []string
		for _, q := range p.Queries {
			if strings.EqualFold(q.Name, s.Inv.Query) {
				return q.JQL, nil
			}
			names = append(names, q.Name)
		}
		if len(names) == 0 {
			return "", usageErr("no saved query %s: the profile has none", quoteArg(s.Inv.Query))
		}
		return "", usageErr("no saved query %s; the profile has: %s", quoteArg(s.Inv.Query), strings.Join(names, ", "))
	}
	if err == nil && p.DefaultJQL != "" && !s.envSet() {
		return p.DefaultJQL, nil
	}
	return list.DefaultJQL, nil
}

// list is `jiffy list`: every page (cursor on Cloud, startAt on Data
// Center), each printed and flushed before the next is asked for.
func (s *Session) list(ctx context.Context, cl *jiraclient.Client) error {
	jql, err := s.jql()
	if err != nil {
		return err
	}
	format := s.format()
	cols, _ := parseColumns(s.Inv.Columns)
	fields := jsonFields
	if format != FormatJSON && format != FormatNDJSON {
		fields = nil
		for _, c := range cols {
			for _, f := range c.fields {
				if !slices.Contains(fields, f) {
					fields = append(fields, f)
				}
			}
		}
		if len(fields) == 0 {
			fields = []string{"summary"} // key alone: ask for the least
		}
	}
	size := searchPageSize
	if s.Inv.Limit > 0 && s.Inv.Limit < size {
		size = s.Inv.Limit
	}
	w := &issueWriter{o: newOut(s.Env.Stdout), format: format, raw: s.Inv.Raw, cols: cols, browse: cl.BrowseURL, width: s.termWidth()}
	if err := w.begin(); err != nil {
		return err
	}
	p := cl.Pages(jiraclient.SearchQuery{JQL: jql, Fields: fields, PageSize: size, Raw: s.Inv.Raw})
	left := s.Inv.Limit
	for p.More() {
		page, err := p.Next(ctx)
		if err != nil {
			_ = w.o.Flush() // what was printed stays printed
			return err
		}
		issues := page.Issues
		if s.Inv.Limit > 0 {
			issues = issues[:min(len(issues), left)]
			left -= len(issues)
		}
		if err := w.page(issues); err != nil {
			return err
		}
		if s.Inv.Limit > 0 && left == 0 {
			break
		}
	}
	return w.end()
}

// view is `jiffy view KEY`: Markdown, or JSON with every comment.
func (s *Session) view(ctx context.Context, cl *jiraclient.Client) error {
	key := strings.ToUpper(s.Inv.Args[0])
	is, err := cl.GetIssue(ctx, key, jiraclient.GetIssueOptions{Raw: s.Inv.Raw})
	if err != nil {
		return err
	}
	// The issue carries the first page of comments; fetch the rest.
	for len(is.Comments) < is.CommentTotal && !s.Inv.Raw {
		more, total, err := cl.Comments(ctx, is.Key, len(is.Comments), 0)
		if err != nil {
			return err
		}
		if len(more) == 0 {
			break
		}
		is.Comments, is.CommentTotal = append(is.Comments, more...), total
	}
	o := newOut(s.Env.Stdout)
	switch s.format() {
	case FormatJSON, FormatNDJSON:
		indent := s.format() == FormatJSON
		var b []byte
		if s.Inv.Raw {
			b, err = reformat(is.Raw, indent)
		} else {
			b, err = marshal(toDetailJSON(is, cl.BrowseURL), indent)
		}
		if err != nil {
			return err
		}
		_, _ = o.Write(safetext.JSON(append(b, '\n')))
	default:
		writeMarkdown(o, is, cl.BrowseURL(is.Key))
	}
	return o.Flush()
}

// marshal is JSON without HTML escaping (scripts read it, not browsers),
// in the struct's order, indented for a person or compact for a pipe.
func marshal(v any, indent bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// reformat indents or compacts Jira's own JSON, keeping its order.
func reformat(raw []byte, indent bool) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if indent {
		err = json.Indent(&buf, raw, "", "  ")
	} else {
		err = json.Compact(&buf, raw)
	}
	return buf.Bytes(), err
}

// writeMarkdown prints an issue as a Markdown document; every piece of
// Jira text is cleaned.
func writeMarkdown(w io.Writer, is *jiraclient.Issue, url string) {
	c := Clean
	fmt.Fprintf(w, "# %s: %s\n\n", is.Key, oneLine(is.Summary))
	facts := [][2]string{{"Status", is.Status.Name}, {"Type", is.Type.Name}}
	if is.Priority != nil {
		facts = append(facts, [2]string{"Priority", is.Priority.Name})
	}
	facts = append(facts, [2]string{"Assignee", or(userCell(is.Assignee), "Unassigned")}, [2]string{"Reporter", userCell(is.Reporter)})
	if is.Resolution != "" {
		facts = append(facts, [2]string{"Resolution", is.Resolution})
	}
	if len(is.Labels) > 0 {
		facts = append(facts, [2]string{"Labels", strings.Join(is.Labels, ", ")})
	}
	if len(is.Components) > 0 {
		facts = append(facts, [2]string{"Components", strings.Join(is.Components, ", ")})
	}
	if is.Parent != nil {
		facts = append(facts, [2]string{"Parent", is.Parent.Key + " " + is.Parent.Summary})
	}
	if is.Sprint != "" {
		facts = append(facts, [2]string{"Sprint", is.Sprint})
	}
	facts = append(facts, [2]string{"Created", timeCell(is.Created, false)}, [2]string{"Updated", timeCell(is.Updated, false)}, [2]string{"URL", url})
	for _, f := range facts {
		if f[1] != "" {
			fmt.Fprintf(w, "- %s: %s\n", f[0], oneLine(f[1]))
		}
	}
	fmt.Fprint(w, "\n## Description\n\n")
	if strings.TrimSpace(is.Description) == "" {
		fmt.Fprint(w, "No description.\n")
	} else {
		fmt.Fprintf(w, "%s\n", strings.TrimRight(c(is.Description), "\n"))
	}
	if len(is.Links) > 0 {
		fmt.Fprint(w, "\n## Links\n\n")
		for _, l := range is.Links {
			fmt.Fprintf(w, "- %s %s: %s (%s)\n", oneLine(l.Relation), l.Issue.Key, oneLine(l.Issue.Summary), oneLine(l.Issue.Status.Name))
		}
	}
	if len(is.Comments) > 0 {
		fmt.Fprintf(w, "\n## Comments (%d)\n", len(is.Comments))
		for _, cm := range is.Comments {
			a := cm.Author
			fmt.Fprintf(w, "\n### %s, %s\n\n%s\n", oneLine(or(userCell(&a), "Anonymous")), timeCell(cm.Created, false), strings.TrimRight(c(cm.Body), "\n"))
		}
	}
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// readText is a --body/--comment/--description value; "-" (or, for
// comment, no flag) reads standard input, which must not be a terminal:
// nothing is prompted.
func (s *Session) readText(val, what string) (string, error) {
	if val != "-" {
		return val, nil
	}
	if s.Env.isTerminal(s.Env.Stdin) {
		return "", usageErr("%s: standard input is a terminal; pipe the text in (< file) or give it as an argument", what)
	}
	if s.Env.Stdin == nil {
		return "", usageErr("%s: nothing on standard input", what)
	}
	b, err := io.ReadAll(io.LimitReader(s.Env.Stdin, maxTextInput+1))
	if err != nil {
		return "", fmt.Errorf("reading %s from standard input: %w", what, err)
	}
	if len(b) > maxTextInput {
		return "", usageErr("%s on standard input is over 1 MiB", what)
	}
	return string(b), nil
}

// done prints the key a write changed or made: the one line on stdout a
// script reads.
func (s *Session) done(key string) error {
	o := newOut(s.Env.Stdout)
	fmt.Fprintln(o, key)
	return o.Flush()
}

// transition is `jiffy transition KEY STATUS`: STATUS names the
// transition or the status it leads to, as the transition picker shows.
func (s *Session) transition(ctx context.Context, cl *jiraclient.Client) error {
	key, want := strings.ToUpper(s.Inv.Args[0]), strings.TrimSpace(s.Inv.Args[1])
	comment, err := s.readText(s.Inv.Comment, "the comment")
	if err != nil {
		return err
	}
	ts, err := cl.Transitions(ctx, key)
	if err != nil {
		return err
	}
	var t *jiraclient.Transition
	for i := range ts { // the status first, then the transition's name
		if strings.EqualFold(ts[i].To.Name, want) {
			t = &ts[i]
			break
		}
	}
	for i := range ts {
		if t == nil && strings.EqualFold(ts[i].Name, want) {
			t = &ts[i]
		}
	}
	if t == nil {
		var names []string
		for _, x := range ts {
			n := x.To.Name
			if n == "" {
				n = x.Name
			}
			if !slices.Contains(names, n) {
				names = append(names, Clean(n))
			}
		}
		if len(names) == 0 {
			return fmt.Errorf("%s cannot move anywhere now (Jira offers no transition to you)", key)
		}
		return usageErr("%s cannot move to %s now; it can move to: %s", key, quoteArg(want), strings.Join(names, ", "))
	}
	var values []jiraclient.FieldChange
	given := map[string]bool{}
	if s.Inv.Resolution != "" {
		meta, ok := t.Fields["resolution"]
		if !ok {
			return usageErr("moving %s to %s sets no resolution: leave out --resolution", key, quoteArg(Clean(t.To.Name)))
		}
		var names []string
		for _, v := range meta.AllowedValues {
			if strings.EqualFold(action.ValueName(v), s.Inv.Resolution) && !given["resolution"] {
				values = append(values, action.Choose("resolution", meta, v))
				given["resolution"] = true
			}
			names = append(names, Clean(action.ValueName(v)))
		}
		if !given["resolution"] {
			return usageErr("no resolution %s: use one of %s", quoteArg(s.Inv.Resolution), strings.Join(names, ", "))
		}
	}
	if action.NeedsForm(*t) {
		for id, f := range t.Fields {
			if !f.Required || f.HasDefault || id == "comment" || given[id] {
				continue
			}
			if id == "resolution" {
				var names []string
				for _, v := range f.AllowedValues {
					names = append(names, Clean(action.ValueName(v)))
				}
				return usageErr("moving %s to %s needs a resolution: add --resolution NAME (%s)", key, quoteArg(Clean(t.To.Name)), strings.Join(names, ", "))
			}
			return fmt.Errorf("moving %s to %s needs the field %s, which jiffy transition cannot fill: use the issue list (t) or Jira in the browser", key, quoteArg(Clean(t.To.Name)), quoteArg(Clean(or(f.Name, id))))
		}
	}
	in := jiraclient.TransitionInput{ID: t.ID, Values: values}
	_, screenComment := t.Fields["comment"]
	if screenComment {
		in.Comment = comment
	}
	if err := cl.DoTransition(ctx, key, in); err != nil {
		return err
	}
	if !screenComment && strings.TrimSpace(comment) != "" {
		// The transition has no screen for a comment: add it after.
		if _, err := cl.AddComment(ctx, key, comment); err != nil {
			return fmt.Errorf("%s moved to %s, but the comment was not added: %w", key, Clean(t.To.Name), err)
		}
	}
	return s.done(key)
}

// assign is `jiffy assign KEY USER|me|none`; USER is searched among the
// issue's assignable users by name or e-mail, as the assign picker does.
func (s *Session) assign(ctx context.Context, cl *jiraclient.Client) error {
	key, who := strings.ToUpper(s.Inv.Args[0]), strings.TrimSpace(s.Inv.Args[1])
	var u *jiraclient.User
	switch strings.ToLower(who) {
	case "none":
	case "me":
		me, err := cl.Myself(ctx)
		if err != nil {
			return err
		}
		u = me
	default:
		users, err := cl.AssignableUsers(ctx, key, who)
		if err != nil {
			return err
		}
		if first, _, space := strings.Cut(who, " "); len(users) == 0 && space {
			// Jira may match a query word by word ("Grace" finds Grace
			// Hopper, "Grace Hopper" finds nobody): ask by the first word
			// and keep whose name starts with the whole.
			more, err := cl.AssignableUsers(ctx, key, first)
			if err != nil {
				return err
			}
			for _, x := range more {
				if strings.HasPrefix(strings.ToLower(x.DisplayName), strings.ToLower(who)) {
					users = append(users, x)
				}
			}
		}
		var exact []jiraclient.User
		for _, x := range users {
			if strings.EqualFold(x.DisplayName, who) || strings.EqualFold(x.Email, who) || strings.EqualFold(x.Name, who) || x.AccountID == who {
				exact = append(exact, x)
			}
		}
		switch {
		case len(exact) == 1:
			u = &exact[0]
		case len(exact) == 0 && len(users) == 1:
			u = &users[0]
		case len(users) == 0:
			return usageErr("nobody who can be assigned %s matches %s", key, quoteArg(who))
		default:
			var names []string
			for _, x := range users {
				n := x.DisplayName
				if x.Email != "" {
					n += " <" + x.Email + ">"
				}
				names = append(names, Clean(n))
			}
			return usageErr("%s matches several people: %s; give the full name or the e-mail", quoteArg(who), strings.Join(names, ", "))
		}
	}
	if err := cl.Assign(ctx, key, u); err != nil {
		return err
	}
	return s.done(key)
}

// comment is `jiffy comment KEY`: Markdown from --body or standard input,
// converted to ADF (Cloud) or wiki markup (Data Center) by the client.
func (s *Session) comment(ctx context.Context, cl *jiraclient.Client) error {
	key := strings.ToUpper(s.Inv.Args[0])
	body := s.Inv.Body
	if !s.Inv.Set("body") {
		var err error
		if body, err = s.readText("-", "the comment"); err != nil {
			return err
		}
	}
	if strings.TrimSpace(body) == "" {
		return usageErr("the comment is empty")
	}
	if _, err := cl.AddComment(ctx, key, body); err != nil {
		return err
	}
	return s.done(key)
}

// create is `jiffy create`: the type is found by name in the project's
// create screen, and a required field jiffy cannot fill is said before
// anything is created.
func (s *Session) create(ctx context.Context, cl *jiraclient.Client) error {
	project := strings.ToUpper(strings.TrimSpace(s.Inv.Project))
	desc, err := s.readText(s.Inv.Description, "the description")
	if err != nil {
		return err
	}
	types, err := cl.CreateMetaIssueTypes(ctx, project)
	if err != nil {
		return err
	}
	var typ *jiraclient.IssueType
	var names []string
	for i := range types {
		if strings.EqualFold(types[i].Name, strings.TrimSpace(s.Inv.Type)) {
			typ = &types[i]
		}
		names = append(names, Clean(types[i].Name))
	}
	if typ == nil {
		return usageErr("project %s has no issue type %s; it has: %s", project, quoteArg(s.Inv.Type), strings.Join(names, ", "))
	}
	metas, err := cl.CreateMetaFields(ctx, project, typ.ID)
	if err != nil {
		return err
	}
	// Required fields without a default: a person is the user, as the
	// create form prefills it; anything else cannot come from the flags.
	fields := map[string]any{}
	var me *jiraclient.User
	for _, m := range metas {
		switch m.ID {
		case "project", "issuetype", "summary", "description":
			continue
		}
		if !m.Required || m.HasDefault {
			continue
		}
		isUser := m.Schema.Type == "user" || (m.Schema.Type == "array" && m.Schema.Items == "user")
		if !isUser {
			return fmt.Errorf("%s in %s needs the field %s, which jiffy create cannot fill: use the issue list (C) or Jira in the browser", Clean(typ.Name), project, quoteArg(Clean(or(m.Name, m.ID))))
		}
		if me == nil {
			if me, err = cl.Myself(ctx); err != nil {
				return err
			}
		}
		ref := map[string]string{"name": me.Name}
		if cl.Flavor() == jiraclient.FlavorCloud {
			ref = map[string]string{"accountId": me.AccountID}
		}
		if m.Schema.Type == "array" {
			fields[m.ID] = []map[string]string{ref}
		} else {
			fields[m.ID] = ref
		}
	}
	ref, err := cl.CreateIssue(ctx, jiraclient.IssueCreate{Project: project, IssueTypeID: typ.ID, Summary: s.Inv.Summary, Description: desc, Fields: fields})
	if err != nil {
		return err
	}
	return s.done(ref.Key)
}

// label is `jiffy label KEY +add -remove`: add/remove operations, so
// labels someone else set meanwhile stay.
func (s *Session) label(ctx context.Context, cl *jiraclient.Client) error {
	key := strings.ToUpper(s.Inv.Args[0])
	add, remove := action.ParseLabels(strings.Join(s.Inv.Args[1:], " "))
	if err := cl.EditIssue(ctx, key, jiraclient.IssueEdit{AddLabels: add, RemoveLabels: remove}); err != nil {
		return err
	}
	return s.done(key)
}
