package list

import (
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/jql"
)

// finishFilter runs the filter's search to its end, as the steps its
// commands send back would.
func finishFilter(m Model) Model {
	for m.scanning() {
		m, _ = m.Update(filterStepMsg{Gen: m.f.gen})
	}
	return m
}

func cmdName(c tea.Cmd) string { return runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name() }

// steps are the filter steps cmd would send back: the step commands in it
// (batches opened) are run; every other command (the prefetch's timer, the
// store's loading) is left alone.
func steps(cmd tea.Cmd) []filterStepMsg {
	if cmd == nil {
		return nil
	}
	name := cmdName(cmd)
	switch {
	case strings.Contains(name, ".compactCmds["):
		var out []filterStepMsg
		if b, ok := cmd().(tea.BatchMsg); ok {
			for _, c := range b {
				out = append(out, steps(c)...)
			}
		}
		return out
	case strings.Contains(name, "list.(*Model).nextStep"):
		return []filterStepMsg{cmd().(filterStepMsg)}
	}
	return nil
}

// sendDrain sends msg and then every filter step its commands send back,
// and their steps in turn, as the program would: to the end of the search.
func sendDrain(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	m, cmd := m.Update(msg)
	for q := steps(cmd); len(q) > 0; {
		var c tea.Cmd
		m, c = m.Update(q[0])
		q = append(q[1:], steps(c)...)
	}
	if m.scanning() {
		t.Fatalf("the search stopped with %d issues left to check", m.f.cur.left(len(m.hay)))
	}
	return m
}

func typeDrain(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = sendDrain(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// rowKeys are the keys of the rows shown, in order.
func rowKeys(m Model) []string {
	var out []string
	for i := 0; i < m.rowCount(); i++ {
		out = append(out, m.rowAt(i).Key)
	}
	return out
}

// want is every loaded issue whose "KEY summary" contains each word of q
// (ignoring case), in the list's order: the filter's result, by brute force.
func want(m Model, q string) []string {
	var out []string
	for _, r := range m.issues {
		hay := strings.ToLower(r.Key + " " + r.Summary())
		ok := true
		for _, w := range strings.Fields(strings.ToLower(q)) {
			ok = ok && strings.Contains(hay, w)
		}
		if ok {
			out = append(out, r.Key)
		}
	}
	return out
}

// filtered is a list of the given issues (the whole result) at w x h.
// The issues are updated a minute apart (mkIssues' spacing grows with the
// square of the number, past any real date at 50,000).
func filtered(t *testing.T, w, h int, issues []jiraclient.Issue) Model {
	t.Helper()
	for i := range issues {
		issues[i].Updated = now.Add(-time.Duration(i+1) * time.Minute)
	}
	m := New(newCommon(w, h), Options{})
	m.SetSize(w, h)
	return send(t, m, PageMsg{Gen: m.gen, JQL: m.query, Page: jiraclient.SearchPage{Issues: issues, Last: true, Total: len(issues)}})
}

// TestGoldenFilterPartialThenComplete: over 50,000 issues a query that
// matches few of them shows, in the frame after the key, what the first
// step found and how much it searched; the steps after it complete the
// result below it, the rows already shown staying where they were.
func TestGoldenFilterPartialThenComplete(t *testing.T) {
	m := filtered(t, 80, 24, mkIssues(1, 50_000))
	m = send(t, m, key("/"))
	m, cmd := m.Update(tea.PasteMsg{Content: "(4999"})
	if len(steps(cmd)) != 1 {
		t.Fatalf("the key's Update left %d of 50,000 to check but sent no step", m.f.cur.left(len(m.hay)))
	}
	if m.f.checked > keyBudget {
		t.Fatalf("the key's Update checked %d issues, budget %d", m.f.checked, keyBudget)
	}
	early := view(m)
	golden.RequireEqual(t, early)
	t.Run("complete", func(t *testing.T) {
		for q := steps(cmd); len(q) > 0; {
			var c tea.Cmd
			m, c = m.Update(q[0])
			q = append(q[1:], steps(c)...)
		}
		if got, w := rowKeys(m), want(m, "(4999"); !slices.Equal(got, w) {
			t.Fatalf("rows %v, want %v", got, w)
		}
		golden.RequireEqual(t, view(m))
	})
}

// TestFilterStaleStepsDropped: keys typed faster than the search walks
// leave steps of older queries on their way; each is dropped when it
// comes (no work, no further step), and the list ends with the last
// query's result alone.
func TestFilterStaleStepsDropped(t *testing.T) {
	m := filtered(t, 80, 24, mkIssues(1, 50_000))
	m = send(t, m, key("/"))
	var pending []filterStepMsg
	for _, r := range "net crash" {
		var cmd tea.Cmd
		m, cmd = m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		pending = append(pending, steps(cmd)...)
	}
	if len(pending) < 2 {
		t.Fatalf("only %d steps pending after 9 keys over 50,000 issues", len(pending))
	}
	last := pending[len(pending)-1]
	for _, st := range pending[:len(pending)-1] {
		before := m.searched()
		var cmd tea.Cmd
		m, cmd = m.Update(st)
		if cmd != nil || m.searched() != before {
			t.Fatalf("a stale step (gen %d, now %d) did work: searched %d -> %d", st.Gen, m.f.gen, before, m.searched())
		}
	}
	m = sendDrain(t, m, last)
	got, w := rowKeys(m), want(m, "net crash")
	if len(w) == 0 || !slices.Equal(got, w) {
		t.Fatalf("%d rows, want the %d of \"net crash\"", len(got), len(w))
	}
	if c := m.countText(); c != thousands(len(w))+" / 50,000 loaded" {
		t.Fatalf("count %q", c)
	}
}

// TestFilterWordsInJiraOrder: an issue matches when its key and summary
// contain every word typed, in any order and case; the rows keep Jira's
// order whatever matches better.
func TestFilterWordsInJiraOrder(t *testing.T) {
	is := mkIssues(1, 6)
	is[0].Summary = "Nightly export: crash in the network layer"
	is[1].Summary = "crash"
	is[2].Summary = "Network CRASH on start"
	is[3].Summary = "cache reset after shutdown" // c…r…a…s…h as a subsequence only
	is[4].Summary = "networked printers"
	is[5].Summary = "Crash reporter: network retries"
	m := filtered(t, 80, 24, is)
	m = send(t, m, key("/"))
	m = typeDrain(t, m, "crash net")
	if got, w := rowKeys(m), []string{"ABC-1", "ABC-3", "ABC-6"}; !slices.Equal(got, w) {
		t.Fatalf("rows %v, want %v", got, w)
	}
	m = sendDrain(t, m, key("esc"))
	m = send(t, m, key("/"))
	m = typeDrain(t, m, "crash")
	if got, w := rowKeys(m), []string{"ABC-1", "ABC-2", "ABC-3", "ABC-6"}; !slices.Equal(got, w) {
		t.Fatalf("rows %v, want %v", got, w)
	}
}

// TestFilterCursorStaysOnItsIssue: the cursor's issue, far down a 50,000
// issue list (past the first step), keeps the cursor through typing,
// backspace and esc while it matches.
func TestFilterCursorStaysOnItsIssue(t *testing.T) {
	m := filtered(t, 80, 24, mkIssues(1, 50_000))
	m.moveTo(m.index["ABC-30004"]) // "Crash when the network drops mid-sync (30004)"
	m = send(t, m, key("/"))
	on := func(step string) {
		t.Helper()
		if c := m.Current(); c == nil || c.Key != "ABC-30004" {
			t.Fatalf("after %s the cursor is on %v, want ABC-30004", step, c)
		}
	}
	for _, k := range []string{"c", "r", "a", "s", "h", "backspace", "backspace", "backspace", "backspace", "backspace"} {
		m = sendDrain(t, m, key(k))
		on(k)
	}
	m = typeDrain(t, m, "dark")
	if c := m.Current(); c == nil || c.Key != "ABC-3" || m.rowCount() != 10_000 {
		t.Fatalf("after \"dark\" (not its issue) the cursor is on %v of %d rows, want the first row", c, m.rowCount())
	}
	m = sendDrain(t, m, key("esc"))
	if m.rowCount() != 50_000 || m.matches != nil {
		t.Fatalf("esc left %d rows", m.rowCount())
	}
}

// TestFilterKeyPutsCursorOnIt: a query that is a loaded issue's key puts
// the cursor on that issue, wherever the others it matches are.
func TestFilterKeyPutsCursorOnIt(t *testing.T) {
	is := mkIssues(1, 400)
	slices.Reverse(is) // ABC-270..279 and ABC-27 in that order
	m := filtered(t, 80, 24, is)
	m = send(t, m, key("/"))
	m = typeDrain(t, m, "abc-27")
	if m.rowCount() != 11 || m.Current() == nil || m.Current().Key != "ABC-27" {
		t.Fatalf("%d rows, cursor on %v", m.rowCount(), m.Current())
	}
	if rowKeys(m)[0] != "ABC-279" {
		t.Fatalf("rows not in the list's order: %v", rowKeys(m))
	}
}

// TestFilterKeystrokeFlat: the work of a keystroke's Update (and the
// frame after it) does not grow with the issues loaded: it checks at most
// a step's budget, and allocates no more with 100,000 issues than with
// 1,000.
func TestFilterKeystrokeFlat(t *testing.T) {
	allocs := func(n int) float64 {
		m := filtered(t, 200, 60, mkIssues(1, n))
		m = send(t, m, key("/"))
		i := 0
		return testing.AllocsPerRun(20, func() {
			m, _ = m.Update(filterKeys[i%len(filterKeys)])
			if m.f.checked > keyBudget {
				t.Fatalf("one key checked %d issues", m.f.checked)
			}
			_ = m.View()
			m = finishFilter(m)
			i++
		})
	}
	small, big := allocs(1_000), allocs(100_000)
	if big > small*1.1+5 {
		t.Fatalf("a filter keystroke allocates %v with 1k issues, %v with 100k", small, big)
	}
}

// TestFilterFollowsEdits: an issue that changes (a fetch, a write) joins
// or leaves the filtered rows at its place, the cursor staying on its
// issue.
func TestFilterFollowsEdits(t *testing.T) {
	m := filtered(t, 80, 24, mkIssues(1, 30))
	m = send(t, m, key("/"))
	m = typeDrain(t, m, "crash")
	m = send(t, m, key("enter"), key("j")) // on ABC-9
	if w := []string{"ABC-4", "ABC-9", "ABC-14", "ABC-19", "ABC-24", "ABC-29"}; !slices.Equal(rowKeys(m), w) {
		t.Fatalf("rows %v", rowKeys(m))
	}
	is, _ := m.Issue("ABC-7")
	is.Summary = "Crash on resume"
	m.setRow(m.index["ABC-7"], is)
	is, _ = m.Issue("ABC-4")
	is.Summary = "Fixed: network drops mid-sync"
	m.setRow(m.index["ABC-4"], is)
	if w := []string{"ABC-7", "ABC-9", "ABC-14", "ABC-19", "ABC-24", "ABC-29"}; !slices.Equal(rowKeys(m), w) {
		t.Fatalf("after the edits rows %v, want %v", rowKeys(m), w)
	}
	if c := m.Current(); c == nil || c.Key != "ABC-9" {
		t.Fatalf("cursor on %v, want ABC-9", c)
	}
}

// TestFilterOverNewQuery: a filter applies to a new query's rows when its
// first page comes (the JQL prompt), whatever rows it matched before.
func TestFilterOverNewQuery(t *testing.T) {
	m := filtered(t, 80, 24, mkIssues(1, 300))
	m = send(t, m, key("/"))
	m = typeDrain(t, m, "(29")
	m = send(t, m, key("enter"))
	if m.rowCount() != 11 || m.Current().Key != "ABC-29" {
		t.Fatalf("%d rows, on %v", m.rowCount(), m.Current())
	}
	m = send(t, m, key(":"), jql.SubmitMsg{JQL: "project = NEW"})
	m = sendDrain(t, m, PageMsg{Gen: m.gen, JQL: "project = NEW", Page: page(1, 10, true, 10)})
	if m.rowCount() != 0 || !strings.Contains(view(m), "No loaded issue matches the filter") {
		t.Fatalf("%d rows over the new query:\n%s", m.rowCount(), view(m))
	}
	m = sendDrain(t, m, PageMsg{Gen: m.gen, JQL: "project = NEW", Page: page(20, 15, true, 15)})
	if got := rowKeys(m); !slices.Equal(got, []string{"ABC-29"}) {
		t.Fatalf("rows %v, want ABC-29", got)
	}
}

// TestFilterSearchesChunksAsTheyLoad: while the rest of the query loads
// behind the filter, each chunk is searched by carrying on, and the count
// says how much was searched of the query.
func TestFilterSearchesChunksAsTheyLoad(t *testing.T) {
	m := loaded(t, 80, 24, 50, 200, Options{})
	m = send(t, m, key("/"))
	m = typeDrain(t, m, "crash")
	if m.rowCount() != 10 || m.countText() != "10 / searched 50 of 200" {
		t.Fatalf("%d rows, count %q", m.rowCount(), m.countText())
	}
	m = sendDrain(t, m, PageMsg{Gen: m.gen, JQL: m.query, Cursor: jiraclient.Cursor{StartAt: m.pos}, Page: page(51, 150, true, 200)})
	if got, w := rowKeys(m), want(m, "crash"); len(got) != 40 || !slices.Equal(got, w) {
		t.Fatalf("%d rows after the rest loaded, want %d", len(got), len(w))
	}
	if c := m.countText(); c != "40 / 200 loaded" {
		t.Fatalf("count %q", c)
	}
}

// TestFilterHostileSummaries: summaries carrying escape sequences, C1
// controls and bidi overrides are matched like any text and drawn
// cleaned.
func TestFilterHostileSummaries(t *testing.T) {
	is := mkIssues(1, 3)
	is[0].Summary = "crash \x1b]52;c;Y3VybCBldmlsfHNo\x07 \x9b31m here"
	is[1].Summary = "\u202ecrash\u202c reversed \xff\xfe"
	m := filtered(t, 80, 24, is)
	m = send(t, m, key("/"))
	m = typeDrain(t, m, "crash")
	if m.rowCount() != 2 {
		t.Fatalf("%d rows", m.rowCount())
	}
	v := m.View()
	for _, bad := range []string{"\x1b]52", "\x9b", "\u202e", "\xff"} {
		if strings.Contains(v, bad) {
			t.Fatalf("the filtered list drew %q", bad)
		}
	}
	m = typeDrain(t, m, " ÿ")
	if m.rowCount() != 0 {
		t.Fatalf("%d rows match \"crash ÿ\"", m.rowCount())
	}
}

// FuzzContainsFold: the filter's matcher agrees with lower-casing both
// sides, for any haystack and any query word.
func FuzzContainsFold(f *testing.F) {
	for _, s := range [][2]string{{"ABC-12 Crash when", "crash"}, {"xxCRaSh", "crash"}, {"\x1b[31mred", "red"},
		{"日本語のテキスト", "テキ"}, {"Straße", "STRASSE"}, {"İSTANBUL İstanbul", "i̇st"}, {"ÜBER über", "über"}, {"\xff\xfeab", "ab"}, {"ab", "abc"}, {"", "a"}, {"a-b c", "-b c"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, h, q string) {
		q = strings.ToLower(q)
		got := containsFold(h, q)
		var w bool
		if isASCII(q) {
			w = strings.Contains(asciiLower(h), q)
		} else {
			w = strings.Contains(strings.ToLower(h), q)
		}
		if got != w {
			t.Fatalf("containsFold(%q, %q) = %v, want %v", h, q, got, w)
		}
		// The highlight marks a word exactly where the filter finds it.
		if q == "" {
			return
		}
		spans := matchSpans(h, []string{q})
		if (len(spans) > 0) != got {
			t.Fatalf("matchSpans(%q, %q) = %v, but containsFold says %v", h, q, spans, got)
		}
		for _, sp := range spans {
			if !containsFold(h[sp[0]:sp[1]], q) || utf8.ValidString(h) && !utf8.RuneStart(h[sp[0]]) {
				t.Fatalf("matchSpans(%q, %q): %q is no match", h, q, h[sp[0]:sp[1]])
			}
		}
	})
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestFilterHighlightsNonASCIIWords: a word outside ASCII is marked where
// it is found, whatever the case of either side (FuzzContainsFold checks
// the marks against the filter's match, "İ" and its longer lower case too).
func TestFilterHighlightsNonASCIIWords(t *testing.T) {
	is := mkIssues(1, 3)
	is[0].Summary = "über zählerstraße" // first: the cursor's, drawn in its own style
	is[1].Summary = "ÜBER-Fehler im Zähler: Straße"
	m := filtered(t, 140, 24, is)
	m = send(t, m, key("/"))
	m = typeDrain(t, m, "über ZÄHL straß")
	row := ""
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(ansi.Strip(l), "Fehler") {
			row = l
		}
	}
	p := m.paint
	if w := p.match.on("ÜBER") + p.txt.on("-Fehler im ") + p.match.on("Zähl") + p.txt.on("er: ") + p.match.on("Straß"); !strings.Contains(row, w) {
		t.Errorf("the row lacks %q:\n%q", w, row)
	}
	if m.Current().Key == "ABC-2" {
		t.Fatal("the test needs ABC-2 off the cursor")
	}
}

// TestFilterInterleaved: keys and the steps of their searches arrive in
// any interleaving (as in the program, where a key can come between two
// steps); whatever the order, the list ends with the last query's result.
func TestFilterInterleaved(t *testing.T) {
	m := filtered(t, 80, 24, mkIssues(1, 120_000))
	m = send(t, m, key("/"))
	seq := []string{"c", "r", "backspace", "r", "a", "s", "h", "backspace", "backspace", "backspace", "backspace", "backspace", "l", "o", "g", "backspace", "backspace", "backspace", "n", "e", "t", " ", "c", "r", "backspace",
		"backspace", "backspace", "backspace", "backspace", "backspace"}
	var pending []filterStepMsg
	for round := range 4 {
		ks := seq
		if round == 3 {
			ks = []string{"n", "e", "t", " ", "c"}
		}
		for i, k := range ks {
			var cmd tea.Cmd
			m, cmd = m.Update(key(k))
			pending = append(pending, steps(cmd)...)
			// Deliver some of what is pending, oldest first, as the
			// program would between keys.
			for j := 0; j < (i+round)%3 && len(pending) > 0; j++ {
				m, cmd = m.Update(pending[0])
				pending = append(pending[1:], steps(cmd)...)
			}
		}
	}
	for len(pending) > 0 {
		var cmd tea.Cmd
		m, cmd = m.Update(pending[0])
		pending = append(pending[1:], steps(cmd)...)
	}
	if m.filterIn.Value() != "net c" {
		t.Fatalf("the filter reads %q", m.filterIn.Value())
	}
	if got, w := rowKeys(m), want(m, "net c"); len(w) == 0 || !slices.Equal(got, w) {
		t.Fatalf("%d rows, want the %d of %q", len(got), len(w), m.filterIn.Value())
	}
}

// TestFilterHighlightsWords: in the rows the filter shows (the cursor's
// excepted, drawn plain in the selection), the words typed are drawn in
// the match style wherever they occur in the key and the summary, in any
// case; the text is what it was.
func TestFilterHighlightsWords(t *testing.T) {
	is := mkIssues(1, 3)
	is[0].Summary = "crash in the net code"
	is[1].Summary = "Network CRASH, then a crash of the network again"
	m := filtered(t, 140, 24, is)
	m = send(t, m, key("/"))
	plain := view(m)
	m = typeDrain(t, m, "crash net abc")
	v := m.View()
	row := ""
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(ansi.Strip(l), "Network") {
			row = l
		}
	}
	p := m.paint
	for _, w := range []string{
		p.match.on("ABC") + p.key.on("-2"),
		p.match.on("Net") + p.txt.on("work ") + p.match.on("CRASH") + p.txt.on(", then a ") + p.match.on("crash") + p.txt.on(" of the ") + p.match.on("net"),
	} {
		if !strings.Contains(row, w) {
			t.Errorf("the row lacks %q:\n%q", w, row)
			break
		}
	}
	if got := ansi.Strip(row); !strings.Contains(plain, strings.TrimPrefix(got, "  ")) {
		t.Errorf("the marks changed the text: %q", got)
	}
	if m.Current().Key == "ABC-2" {
		t.Fatal("the test needs ABC-2 off the cursor")
	}
}
