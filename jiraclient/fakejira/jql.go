package fakejira

// A real (small) JQL implementation: a lexer and recursive-descent parser
// for the subset a TUI sends, compiled against the server's data into a
// predicate and a sort order. Error messages copy Jira's wording because
// clients show them to people and some clients parse them.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tString
	tOp
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string
	pos  int // 1-based character offset, as Jira reports it
}

// jqlError is a JQL problem; its text is what goes in errorMessages.
type jqlError struct{ msg string }

func (e *jqlError) Error() string { return e.msg }

func syntaxErr(format string, a ...any) error {
	return &jqlError{"Error in the JQL Query: " + fmt.Sprintf(format, a...)}
}

const validOps = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."

func lexJQL(q string) ([]token, error) {
	var toks []token
	rs := []rune(q)
	for i := 0; i < len(rs); {
		c := rs[i]
		pos := i + 1
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", pos})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", pos})
			i++
		case c == ',':
			toks = append(toks, token{tComma, ",", pos})
			i++
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(rs) && rs[j] != c; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				b.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, syntaxErr("The quoted string '%s' has not been completed. (line 1, character %d)", string(rs[i+1:]), pos)
			}
			toks = append(toks, token{tString, b.String(), pos})
			i = j + 1
		case c == '=' || c == '~':
			toks = append(toks, token{tOp, string(c), pos})
			i++
		case c == '!' || c == '<' || c == '>':
			if i+1 < len(rs) && (rs[i+1] == '=' || (c == '!' && rs[i+1] == '~')) {
				toks = append(toks, token{tOp, string(rs[i : i+2]), pos})
				i += 2
			} else if c == '!' {
				toks = append(toks, token{tWord, "!", pos})
				i++
			} else {
				toks = append(toks, token{tOp, string(c), pos})
				i++
			}
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("()=,~!<>\"'", rs[j]) {
				j++
			}
			if j == i {
				toks = append(toks, token{tWord, string(c), pos})
				i++
				continue
			}
			toks = append(toks, token{tWord, string(rs[i:j]), pos})
			i = j
		}
	}
	toks = append(toks, token{tEOF, "", len(rs) + 1})
	return toks, nil
}

// ast

type jqlExpr interface{}

type jqlAnd struct{ l, r jqlExpr }
type jqlOr struct{ l, r jqlExpr }
type jqlNot struct{ e jqlExpr }

type jqlOperand struct {
	text   string
	quoted bool
	fn     string // function name when a function call
	empty  bool   // EMPTY / NULL
	pos    int
}

type jqlClause struct {
	field  string
	fpos   int
	op     string // "=", "!=", "~", "!~", "<", ">", "<=", ">=", "in", "not in", "is", "is not"
	values []jqlOperand
	list   bool
}

type jqlSort struct {
	field string
	desc  bool
	pos   int
}

type jqlAST struct {
	where jqlExpr // nil when the query has no restriction
	order []jqlSort
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func isKw(t token, kw string) bool { return t.kind == tWord && strings.EqualFold(t.text, kw) }

func parseJQL(q string) (*jqlAST, error) {
	toks, err := lexJQL(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	ast := &jqlAST{}
	if p.peek().kind != tEOF && !isKw(p.peek(), "order") {
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		ast.where = e
	}
	if isKw(p.peek(), "order") {
		p.next()
		if t := p.next(); !isKw(t, "by") {
			if t.kind == tEOF {
				return nil, syntaxErr("Expecting 'by' before the end of the query.")
			}
			return nil, syntaxErr("Expecting 'by' but got '%s'. (line 1, character %d)", t.text, t.pos)
		}
		for {
			t := p.next()
			if t.kind != tWord && t.kind != tString {
				if t.kind == tEOF {
					return nil, syntaxErr("Expecting a field name before the end of the query.")
				}
				return nil, syntaxErr("Expecting a field name but got '%s'. (line 1, character %d)", t.text, t.pos)
			}
			s := jqlSort{field: t.text, pos: t.pos}
			if isKw(p.peek(), "asc") {
				p.next()
			} else if isKw(p.peek(), "desc") {
				p.next()
				s.desc = true
			}
			ast.order = append(ast.order, s)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, syntaxErr("Expecting either 'OR' or 'AND' but got ')'. (line 1, character %d)", t.pos)
		}
		return nil, syntaxErr("Expecting either 'OR' or 'AND' but got '%s'. (line 1, character %d)", t.text, t.pos)
	}
	return ast, nil
}

func (p *parser) parseOr() (jqlExpr, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for isKw(p.peek(), "or") || (p.peek().kind == tWord && p.peek().text == "||") {
		p.next()
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = jqlOr{l, r}
	}
	return l, nil
}

func (p *parser) parseAnd() (jqlExpr, error) {
	l, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for isKw(p.peek(), "and") || (p.peek().kind == tWord && p.peek().text == "&&") {
		p.next()
		r, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		l = jqlAnd{l, r}
	}
	return l, nil
}

func (p *parser) parseNot() (jqlExpr, error) {
	t := p.peek()
	if isKw(t, "not") || (t.kind == tWord && t.text == "!") {
		p.next()
		e, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return jqlNot{e}, nil
	}
	if t.kind == tLParen {
		p.next()
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		c := p.next()
		if c.kind != tRParen {
			if c.kind == tEOF {
				return nil, syntaxErr("Expecting ')' before the end of the query.")
			}
			return nil, syntaxErr("Expecting ')' but got '%s'. (line 1, character %d)", c.text, c.pos)
		}
		return e, nil
	}
	return p.parseClause()
}

var reservedJQL = map[string]bool{"and": true, "or": true, "not": true, "in": true, "is": true, "order": true, "by": true, "true": true, "false": true, "select": true, "from": true, "where": true}

func (p *parser) parseClause() (jqlExpr, error) {
	f := p.next()
	switch {
	case f.kind == tEOF:
		return nil, syntaxErr("Expecting a field name before the end of the query.")
	case f.kind != tWord && f.kind != tString, f.kind == tWord && reservedJQL[strings.ToLower(f.text)]:
		return nil, syntaxErr("Expecting a field name but got '%s'. You must surround '%s' in quotation marks to use it as a field name. (line 1, character %d)", f.text, f.text, f.pos)
	}
	c := &jqlClause{field: f.text, fpos: f.pos}
	op := p.next()
	switch {
	case op.kind == tOp:
		c.op = op.text
	case isKw(op, "in"):
		c.op = "in"
	case isKw(op, "is"):
		c.op = "is"
		if isKw(p.peek(), "not") {
			p.next()
			c.op = "is not"
		}
	case isKw(op, "not") && isKw(p.peek(), "in"):
		p.next()
		c.op = "not in"
	case op.kind == tEOF:
		return nil, syntaxErr("Expecting operator before the end of the query. %s", validOps)
	default:
		return nil, syntaxErr("Expecting operator but got '%s'. %s (line 1, character %d)", op.text, validOps, op.pos)
	}
	if c.op == "is" || c.op == "is not" {
		v := p.next()
		if !isKw(v, "empty") && !isKw(v, "null") {
			if v.kind == tEOF {
				return nil, syntaxErr("Expecting 'EMPTY' before the end of the query.")
			}
			return nil, syntaxErr("Expecting 'EMPTY', 'NULL' or 'NOT' but got '%s'. (line 1, character %d)", v.text, v.pos)
		}
		c.values = []jqlOperand{{empty: true, pos: v.pos}}
		return c, nil
	}
	if p.peek().kind == tLParen && (c.op == "in" || c.op == "not in") {
		p.next()
		c.list = true
		for {
			v, err := p.parseOperand()
			if err != nil {
				return nil, err
			}
			c.values = append(c.values, v)
			t := p.next()
			if t.kind == tRParen {
				break
			}
			if t.kind != tComma {
				if t.kind == tEOF {
					return nil, syntaxErr("Expecting ')' before the end of the query.")
				}
				return nil, syntaxErr("Expecting ',' or ')' but got '%s'. (line 1, character %d)", t.text, t.pos)
			}
		}
		return c, nil
	}
	v, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	c.values = []jqlOperand{v}
	return c, nil
}

func (p *parser) parseOperand() (jqlOperand, error) {
	t := p.next()
	switch {
	case t.kind == tEOF:
		return jqlOperand{}, syntaxErr("Expecting either a value, list or function before the end of the query.")
	case t.kind == tString:
		return jqlOperand{text: t.text, quoted: true, pos: t.pos}, nil
	case t.kind == tWord:
		low := strings.ToLower(t.text)
		if low == "empty" || low == "null" {
			return jqlOperand{empty: true, pos: t.pos}, nil
		}
		if reservedJQL[low] {
			return jqlOperand{}, syntaxErr("'%s' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character %d)", t.text, t.pos)
		}
		if p.peek().kind == tLParen {
			p.next()
			// Functions the fake models take no arguments; skip any given.
			for {
				a := p.next()
				if a.kind == tRParen {
					break
				}
				if a.kind == tEOF {
					return jqlOperand{}, syntaxErr("Expecting ')' before the end of the query.")
				}
			}
			return jqlOperand{fn: t.text, pos: t.pos}, nil
		}
		return jqlOperand{text: t.text, pos: t.pos}, nil
	}
	return jqlOperand{}, syntaxErr("Expecting either a value, list or function but got '%s'. You must surround '%s' in quotation marks to use it as a value. (line 1, character %d)", t.text, t.text, t.pos)
}

// --- compile ---------------------------------------------------------------------

type pred func(*issue) bool

type compiledJQL struct {
	match   pred // nil = every issue
	less    func(a, b *issue) bool
	bounded bool
}

var eqOps = map[string]bool{"=": true, "!=": true, "in": true, "not in": true, "is": true, "is not": true}
var cmpOps = map[string]bool{"=": true, "!=": true, "in": true, "not in": true, "is": true, "is not": true, "<": true, ">": true, "<=": true, ">=": true}
var textOps = map[string]bool{"~": true, "!~": true, "is": true, "is not": true}

func canonicalField(f string) string {
	switch strings.ToLower(f) {
	case "project":
		return "project"
	case "assignee":
		return "assignee"
	case "reporter":
		return "reporter"
	case "creator":
		return "creator"
	case "status":
		return "status"
	case "statuscategory":
		return "statusCategory"
	case "resolution":
		return "resolution"
	case "type", "issuetype":
		return "issuetype"
	case "priority":
		return "priority"
	case "labels", "label":
		return "labels"
	case "key", "issuekey", "id", "issue":
		return "key"
	case "text":
		return "text"
	case "summary":
		return "summary"
	case "description":
		return "description"
	case "comment":
		return "comment"
	case "created", "createddate":
		return "created"
	case "updated", "updateddate":
		return "updated"
	case "resolved", "resolutiondate":
		return "resolved"
	case "due", "duedate":
		return "duedate"
	case "component":
		return "component"
	case "fixversion":
		return "fixVersion"
	case "sprint":
		return "sprint"
	case "parent":
		return "parent"
	case "epic link", "\"epic link\"", "cf[10014]", "cf[10100]":
		return "epicLink"
	case "rank":
		return "rank"
	}
	return ""
}

// compileJQL parses and checks q against the data; s.mu must be held.
func (s *Server) compileJQL(q string) (*compiledJQL, error) {
	ast, err := parseJQL(q)
	if err != nil {
		return nil, err
	}
	out := &compiledJQL{bounded: ast.where != nil}
	if ast.where != nil {
		m, err := s.compileExpr(ast.where)
		if err != nil {
			return nil, err
		}
		out.match = m
	}
	less, err := s.compileOrder(ast.order)
	if err != nil {
		return nil, err
	}
	out.less = less
	return out, nil
}

func (s *Server) compileExpr(e jqlExpr) (pred, error) {
	switch x := e.(type) {
	case jqlAnd:
		l, err := s.compileExpr(x.l)
		if err != nil {
			return nil, err
		}
		r, err := s.compileExpr(x.r)
		if err != nil {
			return nil, err
		}
		return func(i *issue) bool { return l(i) && r(i) }, nil
	case jqlOr:
		l, err := s.compileExpr(x.l)
		if err != nil {
			return nil, err
		}
		r, err := s.compileExpr(x.r)
		if err != nil {
			return nil, err
		}
		return func(i *issue) bool { return l(i) || r(i) }, nil
	case jqlNot:
		inner, err := s.compileExpr(x.e)
		if err != nil {
			return nil, err
		}
		return func(i *issue) bool { return !inner(i) }, nil
	case *jqlClause:
		return s.compileClause(x)
	}
	return nil, syntaxErr("unsupported expression")
}

func fieldMissing(f string) error {
	return &jqlError{fmt.Sprintf("Field '%s' does not exist or you do not have permission to view it.", f)}
}

func opUnsupported(op, f string) error {
	return &jqlError{fmt.Sprintf("The operator '%s' is not supported by the '%s' field.", strings.ToUpper(op), f)}
}

func valueMissing(v, f string) error {
	return &jqlError{fmt.Sprintf("The value '%s' does not exist for the field '%s'.", v, f)}
}

// matcher returns, for a clause operand, the set-membership test for one
// issue value. Each field supplies how to get the issue's values (a list of
// comparable ids) and how to resolve an operand to an id.
type resolver func(op jqlOperand) (ids []string, err error)

func (s *Server) compileClause(c *jqlClause) (pred, error) {
	f := canonicalField(c.field)
	if f == "" {
		return nil, fieldMissing(c.field)
	}
	var allowed map[string]bool
	switch f {
	case "text", "summary", "description", "comment":
		allowed = textOps
	case "created", "updated", "resolved", "duedate", "priority":
		allowed = cmpOps
	case "rank":
		return nil, &jqlError{"Field 'rank' does not support searching, only ordering."}
	default:
		allowed = eqOps
	}
	if !allowed[c.op] {
		return nil, opUnsupported(c.op, c.field)
	}
	if (c.op == "in" || c.op == "not in") && !c.list && c.values[0].fn == "" {
		return nil, syntaxErr("Expecting a list of values for operator '%s'. (line 1, character %d)", strings.ToUpper(c.op), c.values[0].pos)
	}
	switch f {
	case "text", "summary", "description", "comment":
		return s.textClause(f, c)
	case "created", "updated", "resolved", "duedate":
		return s.dateClause(f, c)
	}
	get, resolve, order := s.fieldAccess(f, c.field)
	// IS / IS NOT EMPTY
	if c.op == "is" || c.op == "is not" {
		want := c.op == "is"
		return func(i *issue) bool { return (len(get(i)) == 0) == want }, nil
	}
	var set []string
	hasEmpty := false
	for _, v := range c.values {
		// "Unresolved" is how JQL spells an empty resolution.
		if v.empty || f == "resolution" && v.fn == "" && strings.EqualFold(v.text, "unresolved") {
			hasEmpty = true
			continue
		}
		ids, err := resolve(v)
		if err != nil {
			return nil, err
		}
		set = append(set, ids...)
	}
	in := func(i *issue) bool {
		vals := get(i)
		if hasEmpty && len(vals) == 0 {
			return true
		}
		for _, v := range vals {
			for _, w := range set {
				if v == w {
					return true
				}
			}
		}
		return false
	}
	switch c.op {
	case "=", "in":
		return in, nil
	case "!=", "not in":
		// Jira's != never matches an issue whose field is empty (unless
		// EMPTY is among the values, which in() covered).
		return func(i *issue) bool { return !in(i) && (len(get(i)) > 0 || hasEmpty) }, nil
	}
	// Ordered comparison (priority).
	if order == nil || len(set) != 1 {
		return nil, opUnsupported(c.op, c.field)
	}
	ref := order(set[0])
	return func(i *issue) bool {
		vals := get(i)
		if len(vals) == 0 {
			return false
		}
		x := order(vals[0])
		switch c.op {
		case "<":
			return x < ref
		case ">":
			return x > ref
		case "<=":
			return x <= ref
		}
		return x >= ref
	}, nil
}

// fieldAccess returns the issue's values of field f, a resolver of operands
// to those values, and (for ordered fields) a rank of a value.
func (s *Server) fieldAccess(f, typed string) (func(*issue) []string, resolver, func(string) int) {
	userVals := func(u func(*issue) *user) func(*issue) []string {
		return func(i *issue) []string {
			if x := u(i); x != nil {
				return []string{x.Name}
			}
			return nil
		}
	}
	userRes := func(op jqlOperand) ([]string, error) {
		if op.fn != "" {
			if strings.EqualFold(op.fn, "currentUser") {
				return []string{s.me.Name}, nil
			}
			return nil, unknownFn(op.fn)
		}
		for _, u := range s.users {
			if op.text == u.AccountID || (!s.cloud && (strings.EqualFold(op.text, u.Name) || op.text == u.Key)) || strings.EqualFold(op.text, u.Email) {
				return []string{u.Name}, nil
			}
		}
		return nil, valueMissing(op.text, typed)
	}
	noFn := func(res func(string) ([]string, bool)) resolver {
		return func(op jqlOperand) ([]string, error) {
			if op.fn != "" {
				return nil, unknownFn(op.fn)
			}
			ids, ok := res(op.text)
			if !ok {
				return nil, valueMissing(op.text, typed)
			}
			return ids, nil
		}
	}
	switch f {
	case "assignee":
		return userVals(func(i *issue) *user { return i.Assignee }), userRes, nil
	case "reporter":
		return userVals(func(i *issue) *user { return i.Reporter }), userRes, nil
	case "creator":
		return userVals(func(i *issue) *user { return i.Creator }), userRes, nil
	case "project":
		return func(i *issue) []string { return []string{i.Project.ID} }, noFn(func(v string) ([]string, bool) {
			for _, p := range s.projects {
				if strings.EqualFold(v, p.Key) || strings.EqualFold(v, p.Name) || v == p.ID {
					return []string{p.ID}, true
				}
			}
			return nil, false
		}), nil
	case "status":
		return func(i *issue) []string { return []string{i.Status.ID} }, noFn(func(v string) ([]string, bool) {
			for _, st := range s.statuses {
				if strings.EqualFold(v, st.Name) || v == st.ID {
					return []string{st.ID}, true
				}
			}
			return nil, false
		}), nil
	case "statusCategory":
		return func(i *issue) []string { return []string{strconv.Itoa(i.Status.Cat.ID)} }, noFn(func(v string) ([]string, bool) {
			for _, c := range []*statusCategory{catNew, catProg, catDone} {
				if strings.EqualFold(v, c.Name) || strings.EqualFold(v, c.Key) || v == strconv.Itoa(c.ID) {
					return []string{strconv.Itoa(c.ID)}, true
				}
			}
			return nil, false
		}), nil
	case "resolution":
		return func(i *issue) []string {
				if i.Resolution == nil {
					return nil
				}
				return []string{i.Resolution.ID}
			}, noFn(func(v string) ([]string, bool) {
				for _, r := range s.resols {
					if strings.EqualFold(v, r.Name) || v == r.ID {
						return []string{r.ID}, true
					}
				}
				return nil, false
			}), nil
	case "issuetype":
		return func(i *issue) []string { return []string{i.Type.ID} }, func(op jqlOperand) ([]string, error) {
			if op.fn != "" {
				var ids []string
				switch strings.ToLower(op.fn) {
				case "standardissuetypes":
					for _, t := range s.types {
						if !t.Subtask {
							ids = append(ids, t.ID)
						}
					}
				case "subtaskissuetypes":
					for _, t := range s.types {
						if t.Subtask {
							ids = append(ids, t.ID)
						}
					}
				default:
					return nil, unknownFn(op.fn)
				}
				return ids, nil
			}
			for _, t := range s.types {
				if strings.EqualFold(op.text, t.Name) || op.text == t.ID {
					return []string{t.ID}, nil
				}
			}
			return nil, valueMissing(op.text, typed)
		}, nil
	case "priority":
		rank := func(id string) int {
			// Highest has id 1; "greater" priority means more urgent.
			n, _ := strconv.Atoi(id)
			return -n
		}
		return func(i *issue) []string {
				if i.Priority == nil {
					return nil
				}
				return []string{i.Priority.ID}
			}, noFn(func(v string) ([]string, bool) {
				for _, p := range s.priorities {
					if strings.EqualFold(v, p.Name) || v == p.ID {
						return []string{p.ID}, true
					}
				}
				return nil, false
			}), rank
	case "labels":
		return func(i *issue) []string { return i.Labels }, noFn(func(v string) ([]string, bool) { return []string{v}, true }), nil
	case "key":
		return func(i *issue) []string { return []string{i.Key} }, func(op jqlOperand) ([]string, error) {
			if op.fn != "" {
				return nil, unknownFn(op.fn)
			}
			if i, ok := s.lookup(op.text); ok {
				return []string{i.Key}, nil
			}
			return nil, &jqlError{fmt.Sprintf("An issue with key '%s' does not exist for field '%s'.", op.text, typed)}
		}, nil
	case "parent", "epicLink":
		return func(i *issue) []string {
				if i.Parent == nil {
					return nil
				}
				if f == "epicLink" && i.Parent.Type.Name != "Epic" {
					return nil
				}
				// On Data Center only sub-tasks have a parent; epic
				// children are found through "Epic Link".
				if f == "parent" && !s.cloud && !i.Type.Subtask {
					return nil
				}
				return []string{i.Parent.Key}
			}, func(op jqlOperand) ([]string, error) {
				if op.fn != "" {
					return nil, unknownFn(op.fn)
				}
				if i, ok := s.lookup(op.text); ok {
					return []string{i.Key}, nil
				}
				return nil, &jqlError{fmt.Sprintf("An issue with key '%s' does not exist for field '%s'.", op.text, typed)}
			}, nil
	case "component":
		return func(i *issue) []string {
				var out []string
				for _, c := range i.Components {
					out = append(out, c.ID)
				}
				return out
			}, noFn(func(v string) ([]string, bool) {
				var ids []string
				for _, p := range s.projects {
					for _, c := range p.Components {
						if strings.EqualFold(v, c.Name) || v == c.ID {
							ids = append(ids, c.ID)
						}
					}
				}
				return ids, len(ids) > 0
			}), nil
	case "fixVersion":
		return func(i *issue) []string {
				var out []string
				for _, v := range i.FixVersions {
					out = append(out, v.ID)
				}
				return out
			}, noFn(func(v string) ([]string, bool) {
				var ids []string
				for _, p := range s.projects {
					for _, x := range p.Versions {
						if strings.EqualFold(v, x.Name) || v == x.ID {
							ids = append(ids, x.ID)
						}
					}
				}
				return ids, len(ids) > 0
			}), nil
	case "sprint":
		return func(i *issue) []string {
				if i.Sprint == nil {
					return nil
				}
				return []string{strconv.Itoa(i.Sprint.ID)}
			}, func(op jqlOperand) ([]string, error) {
				var ids []string
				for _, sp := range s.allSprints() {
					switch {
					case op.fn != "" && strings.EqualFold(op.fn, "openSprints"):
						if sp.State == "active" || sp.State == "future" {
							ids = append(ids, strconv.Itoa(sp.ID))
						}
					case op.fn != "" && strings.EqualFold(op.fn, "closedSprints"):
						if sp.State == "closed" {
							ids = append(ids, strconv.Itoa(sp.ID))
						}
					case op.fn != "":
						return nil, unknownFn(op.fn)
					case strings.EqualFold(op.text, sp.Name) || op.text == strconv.Itoa(sp.ID):
						ids = append(ids, strconv.Itoa(sp.ID))
					}
				}
				if op.fn == "" && len(ids) == 0 {
					return nil, valueMissing(op.text, typed)
				}
				return ids, nil
			}, nil
	}
	return func(*issue) []string { return nil }, func(op jqlOperand) ([]string, error) { return nil, fieldMissing(typed) }, nil
}

func unknownFn(name string) error {
	return &jqlError{fmt.Sprintf("Unable to find JQL function '%s()'.", name)}
}

func (s *Server) textClause(f string, c *jqlClause) (pred, error) {
	text := func(i *issue) string {
		switch f {
		case "summary":
			return i.Summary
		case "description":
			return plainText(i.Description)
		case "comment":
			var b strings.Builder
			for _, cm := range i.Comments {
				b.WriteString(plainText(cm.Body))
				b.WriteByte('\n')
			}
			return b.String()
		}
		var b strings.Builder
		b.WriteString(i.Summary + "\n" + plainText(i.Description))
		for _, cm := range i.Comments {
			b.WriteString("\n" + plainText(cm.Body))
		}
		return b.String()
	}
	if c.op == "is" || c.op == "is not" {
		want := c.op == "is"
		return func(i *issue) bool { return (strings.TrimSpace(text(i)) == "") == want }, nil
	}
	v := c.values[0]
	if v.fn != "" || v.empty {
		return nil, &jqlError{fmt.Sprintf("The field '%s' does not support searching for EMPTY values or functions with '%s'.", c.field, c.op)}
	}
	terms := strings.Fields(strings.ToLower(strings.Trim(v.text, "*")))
	if len(terms) == 0 {
		return nil, &jqlError{fmt.Sprintf("The field '%s' does not support searching for an empty string.", c.field)}
	}
	contains := func(i *issue) bool {
		t := strings.ToLower(text(i))
		for _, term := range terms {
			if !strings.Contains(t, strings.Trim(term, "*")) {
				return false
			}
		}
		return true
	}
	if c.op == "!~" {
		return func(i *issue) bool { return !contains(i) }, nil
	}
	return contains, nil
}

func (s *Server) dateClause(f string, c *jqlClause) (pred, error) {
	get := func(i *issue) (time.Time, bool) {
		switch f {
		case "created":
			return i.Created, true
		case "updated":
			return i.Updated, true
		case "resolved":
			return i.ResolvedAt, i.Resolution != nil
		}
		if i.DueDate == "" {
			return time.Time{}, false
		}
		t, err := time.Parse("2006-01-02", i.DueDate)
		return t, err == nil
	}
	if c.op == "is" || c.op == "is not" {
		want := c.op == "is"
		return func(i *issue) bool { _, ok := get(i); return !ok == want }, nil
	}
	now := s.clockLocked()
	var refs []time.Time
	for _, v := range c.values {
		t, err := parseJQLDate(v, now, c.field)
		if err != nil {
			return nil, err
		}
		refs = append(refs, t)
	}
	return func(i *issue) bool {
		t, ok := get(i)
		if !ok {
			return false
		}
		for _, r := range refs {
			var m bool
			switch c.op {
			case "=", "in":
				m = t.Equal(r)
			case "!=", "not in":
				m = !t.Equal(r)
			case "<":
				m = t.Before(r)
			case ">":
				m = t.After(r)
			case "<=":
				m = !t.After(r)
			case ">=":
				m = !t.Before(r)
			}
			if m {
				return true
			}
		}
		return false
	}, nil
}

func parseJQLDate(v jqlOperand, now time.Time, field string) (time.Time, error) {
	if v.fn != "" {
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
		switch strings.ToLower(v.fn) {
		case "now":
			return now, nil
		case "startofday":
			return day, nil
		case "endofday":
			return day.Add(24*time.Hour - time.Millisecond), nil
		case "startofweek":
			return day.AddDate(0, 0, -int(day.Weekday())), nil
		case "startofmonth":
			return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()), nil
		}
		return time.Time{}, unknownFn(v.fn)
	}
	s := strings.TrimSpace(v.text)
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02", "2006/01/02 15:04", "2006/01/02"} {
		if t, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			return t, nil
		}
	}
	if d, ok := relativeDuration(s); ok {
		return now.Add(d), nil
	}
	return time.Time{}, &jqlError{fmt.Sprintf("Date value '%s' for field '%s' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.", s, field)}
}

// relativeDuration reads Jira's period format: "-5d", "4w 2d", "-1h 30m".
func relativeDuration(s string) (time.Duration, bool) {
	sign := time.Duration(1)
	if strings.HasPrefix(s, "-") {
		sign, s = -1, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	parts := strings.Fields(s)
	if len(parts) == 0 {
		return 0, false
	}
	var total time.Duration
	for _, p := range parts {
		if len(p) < 2 {
			return 0, false
		}
		n, err := strconv.Atoi(p[:len(p)-1])
		if err != nil {
			return 0, false
		}
		unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[p[len(p)-1]]
		if unit == 0 {
			return 0, false
		}
		total += time.Duration(n) * unit
	}
	return sign * total, true
}

func (s *Server) compileOrder(order []jqlSort) (func(a, b *issue) bool, error) {
	type keyFn func(a, b *issue) int
	var keys []keyFn
	for _, o := range order {
		var k keyFn
		switch strings.ToLower(o.field) {
		case "updated":
			k = func(a, b *issue) int { return a.Updated.Compare(b.Updated) }
		case "created":
			k = func(a, b *issue) int { return a.Created.Compare(b.Created) }
		case "key", "issuekey", "id":
			k = func(a, b *issue) int {
				if a.Project != b.Project {
					return strings.Compare(a.Project.Key, b.Project.Key)
				}
				return cmpInt(keyNum(a.Key), keyNum(b.Key))
			}
		case "priority":
			// Ascending priority means least urgent first, as in Jira.
			k = func(a, b *issue) int { return cmpInt(-prioNum(a), -prioNum(b)) }
		case "status":
			k = func(a, b *issue) int { return cmpInt(a.Status.Order, b.Status.Order) }
		case "rank":
			k = func(a, b *issue) int { return cmpInt(a.Rank, b.Rank) }
		case "summary":
			k = func(a, b *issue) int { return strings.Compare(strings.ToLower(a.Summary), strings.ToLower(b.Summary)) }
		case "assignee":
			k = func(a, b *issue) int { return strings.Compare(userSort(a.Assignee), userSort(b.Assignee)) }
		case "type", "issuetype":
			k = func(a, b *issue) int { return strings.Compare(a.Type.Name, b.Type.Name) }
		case "project":
			k = func(a, b *issue) int { return strings.Compare(a.Project.Key, b.Project.Key) }
		case "resolved", "resolutiondate":
			k = func(a, b *issue) int { return a.ResolvedAt.Compare(b.ResolvedAt) }
		default:
			if canonicalField(o.field) != "" {
				return nil, &jqlError{fmt.Sprintf("Field '%s' does not support sorting.", o.field)}
			}
			return nil, fieldMissing(o.field)
		}
		if o.desc {
			inner := k
			k = func(a, b *issue) int { return -inner(a, b) }
		}
		keys = append(keys, k)
	}
	return func(a, b *issue) bool {
		for _, k := range keys {
			if c := k(a, b); c != 0 {
				return c < 0
			}
		}
		// Jira's implicit tie-break: newest issue first.
		return a.ID > b.ID
	}, nil
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func keyNum(k string) int {
	_, n, _ := strings.Cut(k, "-")
	i, _ := strconv.Atoi(n)
	return i
}

func prioNum(i *issue) int {
	if i.Priority == nil {
		return 99
	}
	n, _ := strconv.Atoi(i.Priority.ID)
	return n
}

func userSort(u *user) string {
	if u == nil {
		return "\uffff"
	}
	return strings.ToLower(u.DisplayName)
}

// runJQL returns the matching issues in order; s.mu must be held.
func (s *Server) runJQL(c *compiledJQL) []*issue {
	var out []*issue
	for _, i := range s.issues {
		if c.match == nil || c.match(i) {
			out = append(out, i)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return c.less(out[a], out[b]) })
	return out
}
