package soak

// Design note: the fault soak.
//
// A scripted triage session runs for a bounded time against fakejira, once
// per flavour, while the server misbehaves from a seeded script: 429 with
// and without Retry-After (1 s), 503, 0-100 ms of added latency on every
// answer, dropped connections and a proxy's HTML error page. The session
// is the real root model in a real Bubble Tea program, and everything it
// does goes in as keys through Program.Send, as a user types them: list
// moves, page down past the first page, open, n/p, back, refresh, and
// every 300-700 ms a write on the highlighted row, the three kinds in a
// seeded order: t and a transition's number (through its screen when it
// has one, taking the first value offered), i, or c, a line of text and
// ctrl+s. Each write is made once per issue, so each can be checked alone.
//
// The writes meet faults of their own (writeFaults): at the site's rate a
// session's few writes would often meet none. About one write request in
// three is refused with an HTML page, a dropped connection or a 429 whose
// Retry-After is longer than the client sits out, and the second one
// always is. About one in four is made by Jira and its answer then lost
// (a 500, a proxy's 502, no answer until the client's deadline, a cut
// connection; the first four writes meet each kind): jiffy reads the issue
// back, and confirms the write or offers it again as checked. The session
// then does what a user does: it waits for the
// refusal on screen (the editor or picker still open with the error, or
// the row put back and the reason in the status bar) and either tries
// again (ctrl+s, the same number, i; enter when the picker waits out a
// rate limit, or nothing: it sends again by itself) or gives up (esc,
// which keeps a comment's draft; a refused i is simply left), then goes on.
//
// It never assumes a timing. Each step waits for the frame that shows it,
// drawn after every key sent (program.expect, waitScreen), or for the root
// to get the write's outcome (program.awaitOutcome), with generous limits.
// What a key starts through a message of its own is waited for too, as a
// user looks before the next key: enter in the list opens the issue and
// esc in the detail goes back a moment after the key, and a refresh lands
// whenever Jira answers and puts the cursor back at the top, so a write
// waits for the list to be idle before it picks its row.
//
// What must hold, per write: Jira has it (the server's own snapshot shows
// the status, the assignee, or the comment's text exactly once) when the UI
// said so; after giving up, Jira does not have it, a transition's or
// assignee's row shows what it showed before, and a comment's text is in
// the draft store with the error (and in drafts.json); no other draft is
// left. Only when the answer was lost and the read-back failed too may a
// given-up write be in Jira, once, with a comment's text still kept. At
// least one lost answer is confirmed by reading back. For the session: no panic; the rate the server saw per endpoint
// never above the client's limit plus burst; every key answered by a frame
// within 250 ms (the session pauses to read, so the time between frames
// says nothing while it does) and one Update plus its View small (at the
// 99th percentile: see the check).
//
// The rate is measured where Jira measures it, at the server (both
// fakejiras behind writeFaults), over every sliding 1 s window. A token
// bucket of rate R and burst B admits at most B + R·W requests in any
// window W, but arrival trails admission by a scheduling delay that varies
// (the client's goroutine, the loopback, the server's accept loop, all
// under -race on a shared 2-core machine). A window of arrivals therefore
// spans admissions over W + J, where J is that variation; the check allows
// J = 100 ms (2 requests at 20/s) and prints the raw maximum next to the
// limit.

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// soakLimits are lower than the defaults so the soak's own load reaches
// them and the rate check means something.
var soakLimits = jiraclient.Limits{
	ReadRPS: 8, Burst: 3,
	WriteRPS: 4, WriteBurst: 2,
	MaxInFlight: 6, IssueWritesPer2s: 10, IssueWritesPer30s: 50,
}

// Responsiveness limits for the program users run; scaled under -race.
// They are checked by BenchmarkSoak (make bench), never by a test: a
// timing verdict depends on the machine, and the same commit must get the
// same test verdict.
const (
	maxKeyLag     = 250 * time.Millisecond * raceSlowdown
	maxUpdateView = 50 * time.Millisecond * raceSlowdown
)

// arrivalJitter is the allowance for arrival-time jitter (see the note).
const arrivalJitter = 100 * time.Millisecond

// soakDuration is the whole soak's length: JIFFY_SOAK if set, else def
// (TestSoak, in make test: the short form, 5 s; BenchmarkSoak, in make
// bench: 45 s). Each flavour gets half.
func soakDuration(t testing.TB, def time.Duration) time.Duration {
	if v := os.Getenv("JIFFY_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("JIFFY_SOAK=%q: want a duration such as 5s", v)
		}
		return d
	}
	return def
}

// faultKind names what the script did to one request.
type faultKind int

const (
	faultNone faultKind = iota
	fault429RetryAfter
	fault429
	fault503
	faultDrop
	faultHTML
)

// faultScript is n seeded faults, one per request in arrival order, each
// with 0-100 ms of latency. About one request in seven misbehaves.
func faultScript(seed uint64, n int) ([]fakejira.Fault, []faultKind) {
	r := rand.New(rand.NewPCG(seed, 0x50a4))
	fs := make([]fakejira.Fault, n)
	kinds := make([]faultKind, n)
	for i := range fs {
		f := fakejira.Fault{Delay: time.Duration(r.IntN(101)) * time.Millisecond}
		k := faultNone
		switch x := r.Float64(); {
		case x < 0.03:
			f.Status, f.RetryAfter, k = 429, "1", fault429RetryAfter
		case x < 0.06:
			f.Status, k = 429, fault429
		case x < 0.09:
			f.Status, k = 503, fault503
			if r.IntN(2) == 0 {
				f.RetryAfter = "1"
			}
		case x < 0.115:
			f.Drop, k = true, faultDrop
		case x < 0.14:
			f.HTML, k = true, faultHTML
		}
		fs[i], kinds[i] = f, k
	}
	return fs, kinds
}

// soakRetry keeps the tail short: Retry-After (1 s) is still honoured, and
// a backoff without it starts at 250 ms. A Retry-After over Max (2 s) is
// handed to the UI, which is how writeFaults' 429s reach the user.
var soakRetry = jiraclient.RetryPolicy{MaxRetries: 4, Initial: 250 * time.Millisecond, Max: 2 * time.Second}

// writeFaultScript is the writes' own script (see writeFaults): about one
// in three refused, and the second always, with an HTML page, which no
// client retries, so even a 5 s session meets a refusal. About one in
// five is made by Jira and then its answer lost: a 500, a proxy's 502, a
// cut connection, or (the fourth write, and now and then after) no answer
// until the client's deadline.
func writeFaultScript(seed uint64, n int) []fakejira.Fault {
	r := rand.New(rand.NewPCG(seed, 0xc0de))
	fs := make([]fakejira.Fault, n)
	for i := range fs {
		switch x := r.Float64(); {
		case i == 1 || x < 0.12:
			fs[i].HTML = true
		case i == 2 || x < 0.18:
			fs[i] = fakejira.Fault{AfterHandler: true, AfterStatus: 500}
		case x < 0.22:
			fs[i] = fakejira.Fault{AfterHandler: true, AfterStatus: 502, HTML: true}
		case i == 3 || x < 0.25:
			fs[i] = fakejira.Fault{AfterHandler: true, AfterHang: true}
		case i == 0 || x < 0.29:
			fs[i] = fakejira.Fault{AfterHandler: true}
		case x < 0.38:
			fs[i].Drop = true
		case x < 0.48:
			fs[i].Status, fs[i].RetryAfter = 429, "3"
		}
	}
	return fs
}

// soakDeadline is the client's per-call deadline in the soak: short, so a
// write Jira made and never answered ends inside the session's waits.
const soakDeadline = 4 * time.Second

// Write kinds, as the session makes them.
const (
	writeComment    = "comment"
	writeTransition = "transition"
	writeAssign     = "assign"
)

// uiWrite is one write the session made through the UI, and what came of
// it.
type uiWrite struct {
	kind       string
	key        string
	want       string // the comment's text, the target status, or Ada's id in Jira
	before     string // the row's status or assignee before
	form       bool   // the transition went through its screen
	attempts   int    // sends, the user's and the overlay's own after a rate-limit wait
	errs       []error
	confirmed  bool // the root got Jira's confirmation
	gaveUp     bool // the user left it after a refusal
	rolledBack bool // after giving up, the row showed what it showed before
}

// session drives one program as a user would.
// soakSecrets are the forms of the credential no frame may show: the
// token, and the Basic header's base64 of email:token.
var soakSecrets = []string{fakejira.Token, base64.StdEncoding.EncodeToString([]byte(fakejira.Email + ":" + fakejira.Token))}

type session struct {
	leak   atomic.Pointer[string] // the first frame that showed a credential
	t      testing.TB
	pr     *program
	r      *rand.Rand
	drafts *config.Drafts
	tag    string // in each comment, with a counter, so each text is unique
	me     string // Ada as the server names an assignee
	meName string // Ada as the list shows her
	writes []*uiWrite
	used   map[string]bool // kind+key: one write of a kind per issue, so each can be checked alone

	keys, comments, userRetries, loadFailures int

	log []string // what the session did, printed when it fails

	notesMu sync.Mutex
	notes   []string    // the status bar's lines, each one drawn after the one before
	detail  atomic.Bool // an issue's detail was drawn
}

var (
	// rowKey is a list row's key; the first character is the cursor mark.
	rowKey = regexp.MustCompile(`^[▌ ] ([A-Z][A-Z0-9]*-\d+) `)
	// position is the list's "cursor/loaded of total", "cursor/loaded+"
	// or, all loaded, "cursor/loaded" at the end of the tab line (the
	// cursor at the bottom of a list loaded whole must read as such, or
	// a walk down from there waits for a move that cannot come).
	position = regexp.MustCompile(`(\d+)/(\d+)(?: of ~?\d+|\+)?\s*$`)
	// pickItem is one numbered transition in the picker; a trailing …
	// marks one with a screen.
	pickItem = regexp.MustCompile(`[▸ ] (\d) (.+?) +→ (.+?)( …)? *│`)
	// detailPane is a section rule only the detail draws.
	detailPane = regexp.MustCompile(`(?m)^(Description|Comments \(\d+\)) ─`)
)

// row is a list row as drawn.
type row struct{ key, status, assignee string }

// listScreen is the list as a screen shows it; ok is false when the
// screen is not the list with its rows, or an overlay covers it.
type listScreen struct {
	cur          row
	rows         map[string]row
	pos, loaded  int
	ok           bool
	errorShowing bool
}

func parseList(sc string) listScreen {
	ls := listScreen{rows: map[string]row{}, errorShowing: strings.Contains(sc, "Could not load issues")}
	if strings.Contains(sc, "╭") {
		return ls
	}
	lines := strings.Split(sc, "\n")
	if m := position.FindStringSubmatch(lines[0]); m != nil {
		ls.pos, _ = strconv.Atoi(m[1])
		ls.loaded, _ = strconv.Atoi(m[2])
	}
	var st, as, sum int
	h := slices.IndexFunc(lines, func(l string) bool {
		st, as, sum = strings.Index(l, " Status "), strings.Index(l, " Assignee "), strings.Index(l, " Summary ")
		return strings.HasPrefix(l, "  Key ") && st > 0 && as > st && sum > as
	})
	if h < 0 {
		return ls
	}
	for _, l := range lines[h+1:] {
		m := rowKey.FindStringSubmatch(l)
		rs := []rune(l)
		if m == nil || len(rs) <= sum {
			continue
		}
		r := row{key: m[1], status: strings.TrimSpace(string(rs[st:as])), assignee: strings.TrimSpace(string(rs[as:sum]))}
		ls.rows[r.key] = r
		if rs[0] == '▌' {
			ls.cur, ls.ok = r, true
		}
	}
	return ls
}

// key sends one key.
func (ss *session) key(k string) {
	ss.pr.key(k)
	ss.keys++
	ss.logf("key %s", k)
}

// logf notes a step of the session; the last ones are printed if the test
// fails.
func (ss *session) logf(format string, args ...any) {
	ss.log = append(ss.log, time.Now().Format("15:04:05.000")+" "+fmt.Sprintf(format, args...))
}

// typeText types s, a key per character.
func (ss *session) typeText(s string) {
	for _, r := range s {
		if r == ' ' {
			ss.key("space")
			continue
		}
		ss.key(string(r))
	}
}

// watch is the session's look at every frame: status-bar lines and
// whether a detail was drawn.
func (ss *session) watch(sc string) {
	for _, secret := range soakSecrets {
		if strings.Contains(sc, secret) {
			ss.leak.CompareAndSwap(nil, &sc)
		}
	}
	if detailPane.MatchString(sc) {
		ss.detail.Store(true)
	}
	last := strings.TrimSpace(statusLine(sc))
	ss.notesMu.Lock()
	if n := len(ss.notes); n == 0 || ss.notes[n-1] != last {
		ss.notes = append(ss.notes, last)
	}
	ss.notesMu.Unlock()
}

// noteMark is where waitNote starts looking: a note drawn before the key
// that should cause it is not its answer.
func (ss *session) noteMark() int {
	ss.notesMu.Lock()
	defer ss.notesMu.Unlock()
	return len(ss.notes)
}

// statusLine is a screen's last line, the status bar.
func statusLine(sc string) string { return sc[strings.LastIndexByte(sc, '\n')+1:] }

// noted reports whether a status-bar line with s was drawn from mark on.
func (ss *session) noted(s string, mark int) bool {
	ss.notesMu.Lock()
	defer ss.notesMu.Unlock()
	for _, l := range ss.notes[mark:] {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// waitScreen waits until the latest frame, drawn after every key sent,
// satisfies ok (a state that stays) and returns it.
func (ss *session) waitScreen(what string, ok func(string) bool) string {
	ss.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		synced := ss.pr.f.synced()
		sc := ss.pr.f.screen()
		if synced && ok(sc) {
			return sc
		}
		if time.Now().After(deadline) {
			ss.t.Fatalf("waited %v for %s; the screen is:\n%s", waitLimit, what, sc)
		}
		select {
		case <-ss.pr.done:
			ss.t.Fatalf("the program ended while waiting for %s: %v", what, ss.pr.err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// waitNote waits until a status-bar line with s was drawn from mark on.
func (ss *session) waitNote(s string, mark int) {
	ss.t.Helper()
	ss.waitScreen("the status bar to say "+s, func(string) bool { return ss.noted(s, mark) })
}

// listBusy matches the status bar while the list loads (a refresh puts
// the cursor back at the top when it lands) or two tasks run ("(+1)").
var listBusy = regexp.MustCompile(`loading issues|loading more issues|loading [\d,]+ of|filter searched|\(\+\d+\)`)

// toList gets back to the list, as a user does: esc out of the detail, r
// when the list failed to load; and waits for a load in progress to land,
// as a user waits for the rows to settle before acting on one. An overlay
// left open is a failure.
func (ss *session) toList() listScreen {
	ss.t.Helper()
	for tries := 0; ; tries++ {
		sc := ss.waitScreen("the keys sent to be drawn", func(string) bool { return true })
		ls := parseList(sc)
		switch {
		case ls.ok && listBusy.MatchString(statusLine(sc)):
			ss.waitScreen("the list to load", func(s string) bool { return !listBusy.MatchString(statusLine(s)) })
			continue
		case ls.ok:
			return ls
		case tries == 20:
			ss.t.Fatalf("could not get back to the list; the screen is:\n%s", sc)
		case strings.Contains(sc, "╭"):
			ss.t.Fatalf("an overlay is still open:\n%s", sc)
		}
		if strings.Contains(sc, "Loading issues") {
			// The first page is on its way: nothing to press yet.
			ss.waitScreen("the list", func(s string) bool {
				l := parseList(s)
				return l.ok || l.errorShowing
			})
			continue
		}
		k := "esc"
		if ls.errorShowing {
			k = "r"
		}
		ss.pr.expect("the list", waitLimit, func() { ss.key(k) }, func(s string) bool {
			l := parseList(s)
			return l.ok || l.errorShowing
		})
	}
}

// listShown reports whether a screen is the list's, in any state, with no
// overlay over it.
func listShown(sc string) bool {
	ls := parseList(sc)
	return !strings.Contains(sc, "╭") && (ls.ok || ls.errorShowing || strings.Contains(sc, "Loading issues"))
}

// navigate sends one key of the walk. Opening an issue (enter in the list)
// and going back (esc in the detail) land as messages of their own after
// the key, so the session waits for them to show, as a user looks before
// the next key; enter in the detail would follow a link, so it scrolls
// instead.
func (ss *session) navigate(k string) {
	sc := ss.waitScreen("the keys sent to be drawn", func(string) bool { return true })
	list := listShown(sc)
	switch {
	case k == "enter" && parseList(sc).ok:
		ss.pr.expect("the detail", waitLimit, func() { ss.key(k) }, func(s string) bool { return !listShown(s) })
		return
	case k == "enter" && !list:
		k = "j"
	case k == "esc" && !list && !strings.Contains(sc, "╭"):
		ss.pr.expect("the list", waitLimit, func() { ss.key(k) }, listShown)
		return
	}
	ss.key(k)
}

// fits reports whether the session may write kind on r.
func (ss *session) fits(kind string, r row) bool {
	if ss.used[kind+r.key] {
		return false
	}
	switch kind {
	case writeAssign:
		return r.assignee != ss.meName
	case writeComment:
		_, held := ss.drafts.Get("comment:" + r.key)
		return !held
	}
	return true
}

// pickRow moves the cursor to a row kind may be written on, down the list
// (up from its end); ok is false when none is near.
func (ss *session) pickRow(kind string) (row, bool) {
	dir := "j"
	for range 15 {
		ls := ss.toList()
		if ss.fits(kind, ls.cur) {
			return ls.cur, true
		}
		switch {
		case ls.loaded > 1 && ls.pos >= ls.loaded:
			dir = "k"
		case ls.pos <= 1:
			dir = "j"
		}
		from := ls.cur.key
		ss.pr.expect("the cursor to move", waitLimit, func() { ss.key(dir) }, func(s string) bool {
			l := parseList(s)
			return !l.ok || l.cur.key != from
		})
	}
	return row{}, false
}

// write adds w to the session's writes.
func (ss *session) write(w *uiWrite) {
	ss.used[w.kind+w.key] = true
	ss.writes = append(ss.writes, w)
}

// closeOverlay presses esc and waits for the overlay named title to go.
func (ss *session) closeOverlay(title string) {
	ss.pr.expect(title+" to close", waitLimit, func() { ss.key("esc") }, func(s string) bool {
		return !strings.Contains(s, title)
	})
}

// closePicker leaves the transition overlay named title as a user does:
// esc backs out of a transition's screen to the transitions, and esc
// there closes it.
func (ss *session) closePicker(title string) {
	ss.t.Helper()
	for range 3 {
		sc := ss.waitScreen("the keys sent to be drawn", func(string) bool { return true })
		switch {
		case !strings.Contains(sc, title):
			return
		case strings.Contains(sc, "esc close"):
			ss.closeOverlay(title)
			return
		}
		ss.pr.expect("the transitions again", waitLimit, func() { ss.key("esc") }, func(s string) bool {
			return !strings.Contains(s, title) || strings.Contains(s, "esc close")
		})
	}
	ss.t.Fatalf("esc does not close %s:\n%s", title, ss.pr.f.screen())
}

// rowShows reports whether key's row, back in the list, passes ok.
func (ss *session) rowShows(key string, ok func(row) bool) bool {
	r, found := ss.toList().rows[key]
	return found && ok(r)
}

// giveUp is the user's choice after the n-th refusal of one write: try
// again up to three times, more often than not.
func (ss *session) giveUp(n int) bool {
	if n >= 3 || ss.r.IntN(3) == 0 {
		return true
	}
	ss.userRetries++
	return false
}

// comment is c on a row, a line of text, ctrl+s.
func (ss *session) comment() {
	cur, ok := ss.pickRow(writeComment)
	if !ok {
		return
	}
	key := cur.key
	title := "Comment on " + key
	ss.comments++
	text := fmt.Sprintf("soak %s note %d", ss.tag, ss.comments)
	sc := ss.pr.expect("the comment editor on "+key, waitLimit, func() { ss.key("c") }, func(s string) bool {
		return strings.Contains(s, title)
	})
	if strings.Contains(sc, "Draft restored") {
		ss.t.Errorf("the editor on %s restored a draft the session never left:\n%s", key, sc)
	}
	ss.logf("comment %q on %s", text, key)
	w := &uiWrite{kind: writeComment, key: key, want: text}
	ss.write(w)
	ss.typeText(text)
	ss.waitScreen("the typed comment", func(s string) bool { return strings.Contains(s, title) && strings.Contains(s, text) })
	prefix := "comment:" + key + ":"
	for {
		mark, notes := ss.pr.f.settled(), ss.noteMark()
		w.attempts++
		ss.key("ctrl+s")
		o, _ := ss.pr.awaitOutcome("the comment on "+key, prefix, mark, waitLimit)
		ss.logf("outcome %s ok=%v err=%v", o.token, o.ok, o.err)
		if o.ok {
			w.confirmed = true
			ss.waitScreen("the editor to close", func(s string) bool { return !strings.Contains(s, title) })
			ss.waitNote("Comment added to "+key, notes)
			return
		}
		w.errs = append(w.errs, o.err)
		// The editor stays with the text and the error, and the draft
		// store has both.
		ss.waitScreen("the refused comment", func(s string) bool {
			return strings.Contains(s, title) && strings.Contains(s, text) && !strings.Contains(s, "Sending to Jira")
		})
		if dr, held := ss.drafts.Get("comment:" + key); !held || dr.Text != text || dr.Error == "" {
			ss.t.Errorf("comment on %s refused (%v): the draft store has %+v (held %v)", key, o.err, dr, held)
		}
		if ss.giveUp(len(w.errs)) {
			w.gaveUp = true
			notes := ss.noteMark()
			ss.closeOverlay(title)
			ss.waitNote("Comment draft for "+key+" kept", notes)
			return
		}
	}
}

// transition is t on a row and a transition's number; through its screen
// when it has one.
func (ss *session) transition() {
	cur, ok := ss.pickRow(writeTransition)
	if !ok {
		return
	}
	key := cur.key
	title := "Move " + key
	failedLoad := "could not load the transitions"
	loaded := func(s string) bool {
		return strings.Contains(s, title) && (pickItem.MatchString(s) || strings.Contains(s, failedLoad))
	}
	sc := ss.pr.expect("the transitions of "+key, waitLimit, func() { ss.key("t") }, loaded)
	for n := 1; strings.Contains(sc, failedLoad); n++ {
		ss.logf("the transitions of %s failed to load", key)
		ss.loadFailures++
		if ss.giveUp(n) {
			ss.closePicker(title)
			return
		}
		reloading := false
		sc = ss.pr.expect("the transitions of "+key+" again", waitLimit, func() { ss.key("r") }, func(s string) bool {
			reloading = reloading || !strings.Contains(s, failedLoad)
			return reloading && loaded(s)
		})
	}
	// Any transition, one with a screen now and then.
	items := pickItem.FindAllStringSubmatch(sc, -1)
	var plain, screens [][]string
	for _, it := range items {
		if it[4] != "" {
			screens = append(screens, it)
		} else {
			plain = append(plain, it)
		}
	}
	pick := plain
	if len(plain) == 0 || (len(screens) > 0 && ss.r.IntN(4) == 0) {
		pick = screens
	}
	it := pick[ss.r.IntN(len(pick))]
	digit := it[1]
	w := &uiWrite{kind: writeTransition, key: key, want: strings.TrimSpace(it[3]), before: cur.status, form: it[4] != ""}
	ss.write(w)
	ss.logf("transition %s → %s (screen %v)", key, w.want, w.form)
	prefix := "action:transition:" + key + ":"
	mark, notes := ss.pr.f.settled(), ss.noteMark()
	send := func() { ss.key(digit) }
	if w.form {
		ss.fillForm(title, digit)
		send = func() { ss.key("ctrl+s") }
	}
	send()
	for {
		w.attempts++
		o, next := ss.pr.awaitOutcome("the move of "+key, prefix, mark, waitLimit)
		ss.logf("outcome %s ok=%v err=%v", o.token, o.ok, o.err)
		mark = next
		if o.ok {
			w.confirmed = true
			ss.waitScreen("the picker to close", func(s string) bool { return !strings.Contains(s, title) })
			ss.waitNote(key+" → "+w.want, notes)
			return
		}
		w.errs = append(w.errs, o.err)
		sc := ss.waitScreen("the refused move", func(s string) bool {
			return strings.Contains(s, title) && !strings.Contains(s, "moving "+key)
		})
		if strings.Contains(sc, "sending again in") {
			// Jira asked for a wait the client does not sit out: the
			// picker waits it out and sends again by itself, or at once
			// on enter.
			if ss.r.IntN(2) == 0 {
				ss.key("enter")
			}
			continue
		}
		if ss.giveUp(len(w.errs)) {
			w.gaveUp = true
			ss.closePicker(title)
			w.rolledBack = ss.rowShows(key, func(r row) bool { return r.status == w.before })
			return
		}
		send()
	}
}

// fillForm opens a transition's screen with its number and fills it: the
// first value of each list it opens on. The caller sends it.
func (ss *session) fillForm(title, digit string) {
	formShown := func(s string) bool {
		return strings.Contains(s, title) && (strings.Contains(s, "enter choose") || strings.Contains(s, "ctrl+s move"))
	}
	sc := ss.pr.expect("the transition's screen", waitLimit, func() { ss.key(digit) }, formShown)
	for n := 0; strings.Contains(sc, "enter choose"); n++ {
		if n == 5 {
			ss.t.Fatalf("the transition's screen keeps asking:\n%s", sc)
		}
		sc = ss.pr.expect("the field's value", waitLimit, func() { ss.key("enter") }, formShown)
	}
}

// assign is i on a row assigned to someone else.
func (ss *session) assign() {
	cur, ok := ss.pickRow(writeAssign)
	if !ok {
		return
	}
	key := cur.key
	ss.logf("assign %s (was %s)", key, cur.assignee)
	w := &uiWrite{kind: writeAssign, key: key, want: ss.me, before: cur.assignee}
	ss.write(w)
	for {
		mark, notes := ss.pr.f.settled(), ss.noteMark()
		w.attempts++
		ss.key("i")
		o, _ := ss.pr.awaitOutcome("the assignment of "+key, "action:assign:", mark, waitLimit)
		ss.logf("outcome %s ok=%v err=%v", o.token, o.ok, o.err)
		if o.key != key {
			ss.t.Fatalf("i on the row of %s assigned %s", key, o.key)
		}
		if o.ok {
			w.confirmed = true
			ss.waitNote(key+" assigned to you", notes)
			return
		}
		w.errs = append(w.errs, o.err)
		// The reason is in the status bar, and the row shows the old
		// assignee again.
		ss.waitNote(key+": ", notes)
		if r, shown := ss.toList().rows[key]; !shown || r.assignee != w.before {
			ss.t.Errorf("i on %s refused (%v): the row shows %+v (shown %v), want the assignee %q back", key, o.err, r, shown, w.before)
		}
		if ss.giveUp(len(w.errs)) {
			w.gaveUp, w.rolledBack = true, true
			return
		}
	}
}

// figures are one flavour's soak results.
type figures struct {
	flavor                      string
	duration                    time.Duration
	keys, frames, requests      int
	served429, served503, drops int
	html                        int
	stats                       jiraclient.Stats
	maxRate                     int
	maxRateEndpoint             string
	limit                       int
	writes, sends, refused      int
	confirmed, gaveUp, held     int
	lost, lostFound             int // lost answers shown as refusals; writes confirmed by reading back
	userRetries, loadFailures   int
	writeArrivals, writeFaults  int
	kinds                       map[string]int
	keyLag, maxUpdate, maxView  time.Duration
	maxUpdateView, p99UpdView   time.Duration
}

// TestSoak is the short soak (5 s unless JIFFY_SOAK): every check on what
// the session did, none on how fast (see BenchmarkSoak).
func TestSoak(t *testing.T) {
	total := soakDuration(t, 5*time.Second)
	var mu sync.Mutex
	var all []figures
	for i, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(fl, func(t *testing.T) {
			f := soakOne(t, fl, uint64(i+1), total/2)
			mu.Lock()
			all = append(all, f)
			mu.Unlock()
		})
	}
	t.Log(soakReport(total, all))
}

// BenchmarkSoak is the full soak (45 s unless JIFFY_SOAK), in make bench,
// with the responsiveness limits: the longest a key waited for its frame,
// and one Update plus its View at the 99th percentile. Both are reported
// as metrics (ms-keylag, ms-p99-frame) and fail the benchmark past their
// limits. One session per flavour whatever b.N.
func BenchmarkSoak(b *testing.B) {
	total := soakDuration(b, 45*time.Second)
	for i, fl := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		b.Run(fl, func(b *testing.B) {
			var f figures
			for range b.N {
				f = soakOne(b, fl, uint64(i+1), total/2)
			}
			b.ReportMetric(float64(f.keyLag.Microseconds())/1e3, "ms-keylag")
			b.ReportMetric(float64(f.p99UpdView.Microseconds())/1e3, "ms-p99-frame")
			b.Log(soakReport(total/2, []figures{f}))
			if f.keyLag > maxKeyLag {
				b.Errorf("the UI stalled: a key waited %v for its frame (limit %v)", f.keyLag, maxKeyLag)
			}
			// The 99th percentile, not the maximum: on a shared machine
			// under -race one frame now and then is preempted for
			// hundreds of ms (seen: 350-870 ms), which says nothing of the
			// code. A stall a user would notice still fails the key lag.
			if f.p99UpdView > maxUpdateView {
				b.Errorf("one Update plus its View took %v at the 99th percentile (limit %v; max %v)", f.p99UpdView, maxUpdateView, f.maxUpdateView)
			}
		})
	}
}

// soakReport is the figures of a soak as a table.
func soakReport(total time.Duration, all []figures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "soak figures, %v in all (limits: read %v/s burst %d, write %v/s burst %d, lim = R*(1s+%v)+B; client retries %d, backoff from %v, Retry-After over %v handed to the UI; race slowdown x%d):\n",
		total, soakLimits.ReadRPS, soakLimits.Burst, soakLimits.WriteRPS, soakLimits.WriteBurst, arrivalJitter, soakRetry.MaxRetries, soakRetry.Initial, soakRetry.Max, raceSlowdown)
	fmt.Fprintf(&b, "%-10s %6s %5s %6s %5s %5s %5s %5s %5s %7s %8s %-28s %7s %8s %8s\n",
		"flavour", "time", "keys", "frames", "reqs", "429", "503", "drops", "html", "retries", "max/lim", "busiest endpoint", "keylag", "maxupd", "maxview")
	for _, f := range all {
		fmt.Fprintf(&b, "%-10s %6s %5d %6d %5d %5d %5d %5d %5d %7d %4d/%-3d %-28s %7s %8s %8s\n",
			f.flavor, f.duration.Round(100*time.Millisecond), f.keys, f.frames, f.requests, f.served429, f.served503, f.drops, f.html,
			f.stats.Retries, f.maxRate, f.limit, f.maxRateEndpoint,
			f.keyLag.Round(time.Millisecond), f.maxUpdate.Round(10*time.Microsecond), f.maxView.Round(10*time.Microsecond))
		fmt.Fprintf(&b, "%-10s client: %d requests, %d retries, %d 429s seen, %d throttle waits (%v); Update+View p99 %v, max %v\n",
			"", f.stats.Requests, f.stats.Retries, f.stats.RateLimited, f.stats.ThrottleWaits, f.stats.ThrottleWait.Round(time.Millisecond),
			f.p99UpdView.Round(10*time.Microsecond), f.maxUpdateView.Round(10*time.Microsecond))
		fmt.Fprintf(&b, "%-10s writes: %d (%d comments, %d transitions, %d assigns) in %d sends; %d of %d write requests faulted; %d refusals on screen, %d tried again by the user, %d transition lists reloaded\n",
			"", f.writes, f.kinds[writeComment], f.kinds[writeTransition], f.kinds[writeAssign], f.sends, f.writeFaults, f.writeArrivals, f.refused, f.userRetries, f.loadFailures)
		fmt.Fprintf(&b, "%-10s         %d confirmed in Jira, %d given up (%d comments held as drafts with their error, the rest rolled back)\n",
			"", f.confirmed, f.gaveUp, f.held)
		fmt.Fprintf(&b, "%-10s         answers lost after the write was sent (5xx, no answer, cut), each read back: %d writes confirmed from the read-back, %d refusals shown (offered again as checked, or unknown)\n",
			"", f.lostFound, f.lost)
	}
	return b.String()
}

// soakOne runs the session against one flavour for d.
func soakOne(t testing.TB, flavor string, seed uint64, d time.Duration) figures {
	s, wf := startWriteFaultSite(t, flavor, fakejira.Options{Seed: int64(seed), Issues: 600}, writeFaultScript(seed, 1000))
	first := firstKeys(t, s, 1)[0]
	script, kinds := faultScript(seed, 50000)
	s.srv.SetFaults(fakejira.Faults{Script: script})

	events := make(chan jiraclient.Event, 16)
	c := s.client(t, jiraclient.WithLimits(soakLimits), jiraclient.WithRetry(soakRetry),
		jiraclient.WithTimeout(soakDeadline), jiraclient.WithObserver(tui.EventSink(events)))
	dir := t.TempDir()
	drafts, err := config.LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := s.options(c, events)
	o.Drafts = drafts
	pr := run(t, tui.New(o), nil, nil)
	ss := &session{t: t, pr: pr, r: rand.New(rand.NewPCG(seed, 0x7e1a)), drafts: drafts, tag: flavor,
		me: userID(s, fakejira.Username), meName: s.srv.Me().DisplayName, used: map[string]bool{}}
	pr.f.mu.Lock()
	pr.f.seen = ss.watch
	pr.f.mu.Unlock()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the session's last steps:\n%s", strings.Join(ss.log[max(0, len(ss.log)-80):], "\n"))
		}
	})
	fig := figures{flavor: flavor, duration: d, kinds: map[string]int{}}
	ss.waitScreen("the list", func(s string) bool { return showsKey(first)(s) || parseList(s).errorShowing })
	ss.toList()

	// The session: a seeded walk through triage keys, a key every 20-60
	// ms, and every 300-700 ms a write, in a seeded order; at least one of
	// each however short the soak.
	script1 := []string{"j", "j", "pgdown", "pgdown", "pgdown", "enter", "n", "n", "p", "esc", "r", "j", "enter", "n", "esc", "pgup", "k"}
	start := time.Now()
	end := start.Add(d)
	nextWrite := start.Add(300 * time.Millisecond)
	var order []int
	flows := 0
	// However short the soak (TestSoak's 5 s, slower still under -race),
	// it goes on until each write was made and an issue's detail was
	// shown, within waitLimit past its end.
	covered := func() bool { return flows >= 3 && ss.detail.Load() }
	for i := 0; time.Now().Before(end) || !covered() && time.Now().Before(end.Add(waitLimit)); i++ {
		k := script1[i%len(script1)]
		if i%len(script1) == 0 && ss.r.IntN(3) == 0 {
			k = "G" // the bottom, which pages the rest in
		}
		ss.navigate(k)
		if time.Now().After(nextWrite) {
			if len(order) == 0 {
				order = ss.r.Perm(3)
			}
			switch order[0] {
			case 0:
				ss.comment()
			case 1:
				ss.transition()
			default:
				ss.assign()
			}
			order = order[1:]
			flows++
			nextWrite = time.Now().Add(time.Duration(300+ss.r.IntN(400)) * time.Millisecond)
		}
		time.Sleep(time.Duration(20+ss.r.IntN(41)) * time.Millisecond)
	}
	keysEnd := time.Now()
	// No overlay is left open, and drafts.json has caught up with the
	// store (the editors write it from a Cmd).
	ss.toList()
	deadline := time.Now().Add(waitLimit)
	for !sameDrafts(t, dir, drafts) {
		if time.Now().After(deadline) {
			t.Fatalf("drafts.json never matched the draft store: %v", draftKeys(drafts.List()))
		}
		time.Sleep(10 * time.Millisecond)
	}
	pr.stop()
	if sc := ss.leak.Load(); sc != nil {
		t.Fatalf("a frame showed the credential:\n%s", *sc)
	}

	fig.keys = ss.keys
	fig.keyLag = pr.f.keyLag(start, keysEnd)
	fig.p99UpdView = pr.f.bothQuantile(0.99)
	pr.f.mu.Lock()
	fig.frames = len(pr.f.times)
	fig.maxUpdate, fig.maxView, fig.maxUpdateView = pr.f.maxUpdate, pr.f.maxView, pr.f.maxBoth
	pr.f.mu.Unlock()
	fig.stats = c.Stats()
	fig.userRetries, fig.loadFailures = ss.userRetries, ss.loadFailures
	fig.writeArrivals, fig.writeFaults = wf.counts()

	// What the servers saw. Each request to the site took the next fault
	// from its script, in arrival order.
	siteReqs := s.srv.Requests()
	if len(siteReqs) >= len(kinds) {
		t.Fatalf("%d requests used up the %d-fault script: make it longer", len(siteReqs), len(kinds))
	}
	for _, k := range kinds[:len(siteReqs)] {
		switch k {
		case fault429, fault429RetryAfter:
			fig.served429++
		case fault503:
			fig.served503++
		case faultDrop:
			fig.drops++
		case faultHTML:
			fig.html++
		}
	}
	reqs := wf.requests()
	fig.requests = len(reqs)
	fig.maxRate, fig.maxRateEndpoint, fig.limit = maxRate(reqs, time.Second)

	// Each write: in Jira when the UI said so, and not when the user gave
	// up, which left a comment's text as a draft with its error and put a
	// row back as it was.
	keep := map[string]bool{}
	for _, w := range ss.writes {
		fig.writes++
		fig.kinds[w.kind]++
		fig.sends += w.attempts
		fig.refused += len(w.errs)
		if w.confirmed {
			fig.confirmed++
		}
		if w.gaveUp {
			fig.gaveUp++
		}
		for _, err := range w.errs {
			if jiraclient.KindOf(err) == jiraclient.KindUnknown {
				t.Errorf("%s on %s: error %v is not a *jiraclient.Error", w.kind, w.key, err)
			}
		}
		if w.confirmed == w.gaveUp {
			t.Errorf("%s on %s: confirmed %v, given up %v", w.kind, w.key, w.confirmed, w.gaveUp)
		}
		// unsettled: the last refusal was an answer lost whose read-back
		// failed too, so nobody could say whether Jira had the write.
		unsettled := len(w.errs) > 0 && common.Unsettled(w.errs[len(w.errs)-1])
		for _, err := range w.errs {
			if jiraclient.OutcomeUnknown(err) {
				fig.lost++
			}
		}
		snap, ok := s.srv.Issue(w.key)
		if !ok {
			t.Errorf("%s: the issue is gone", w.key)
			continue
		}
		switch w.kind {
		case writeComment:
			n := 0
			for _, body := range snap.CommentBodies {
				n += strings.Count(body, w.want)
			}
			dr, held := drafts.Get("comment:" + w.key)
			kept := held && dr.Text == w.want && dr.Error != ""
			switch {
			case n == 0 && !kept:
				t.Errorf("comment %q on %s is neither in Jira nor held as a draft with its error (draft %+v, held %v)", w.want, w.key, dr, held)
			case w.confirmed && (n != 1 || held):
				t.Errorf("comment %q on %s: confirmed, Jira has it %d times, draft held %v", w.want, w.key, n, held)
			case w.gaveUp && unsettled && (n > 1 || !kept):
				// Given up while nobody knew (the answer lost and the
				// read-back failed): Jira may have it, once, and the text
				// is kept.
				t.Errorf("comment %q on %s: given up unsettled, Jira has it %d times, draft %+v (held %v)", w.want, w.key, n, dr, held)
			case w.gaveUp && !unsettled && (n != 0 || !kept):
				t.Errorf("comment %q on %s: given up, Jira has it %d times, draft %+v (held %v)", w.want, w.key, n, dr, held)
			}
			if kept {
				fig.held++
				keep["comment:"+w.key] = true
			}
		case writeTransition:
			in := snap.Status == w.want
			switch {
			case w.confirmed && !in:
				t.Errorf("%s → %s confirmed, but Jira has it %q", w.key, w.want, snap.Status)
			case w.confirmed && w.form && snap.Resolution == "":
				t.Errorf("%s → %s through its screen, but Jira has no resolution", w.key, w.want)
			case w.gaveUp && ((in && !unsettled) || !w.rolledBack):
				t.Errorf("%s → %s given up: Jira has %q, the row was put back: %v", w.key, w.want, snap.Status, w.rolledBack)
			}
		case writeAssign:
			in := snap.Assignee == w.want
			switch {
			case w.confirmed && !in:
				t.Errorf("%s assigned to Ada, confirmed, but Jira has %q", w.key, snap.Assignee)
			case w.gaveUp && ((in && !unsettled) || !w.rolledBack):
				t.Errorf("%s assigned to Ada, given up: Jira has %q, the row was put back: %v", w.key, snap.Assignee, w.rolledBack)
			}
		}
	}
	// No other draft: nothing typed went astray into another editor.
	for _, dr := range drafts.List() {
		if !keep[dr.Key] {
			t.Errorf("draft %q (%q) is held but belongs to no given-up comment", dr.Key, dr.Text)
		}
	}

	for _, o := range pr.f.outcomes {
		if o.ok && strings.Contains(o.note, "checked") {
			fig.lostFound++
		}
	}
	if fig.lostFound == 0 {
		t.Errorf("no write whose answer was lost was confirmed by reading it back (%d lost answers shown as refusals)", fig.lost)
	}

	// Assertions on the session as a whole.
	for _, k := range []string{writeComment, writeTransition, writeAssign} {
		if fig.kinds[k] == 0 {
			t.Errorf("no %s was written", k)
		}
	}
	if fig.refused == 0 {
		t.Errorf("no write was refused (%d of %d write requests faulted): the session never had to recover", fig.writeFaults, fig.writeArrivals)
	}
	if !ss.detail.Load() {
		t.Error("no issue detail was ever shown")
	}
	if fig.stats.Retries == 0 {
		t.Error("no retries: the faults did not reach the client")
	}
	if fig.maxRate > fig.limit {
		t.Errorf("the server saw %d requests within 1 s on %s; the client's limit with %v of arrival jitter is %d",
			fig.maxRate, fig.maxRateEndpoint, arrivalJitter, fig.limit)
	}
	if fig.frames < fig.keys {
		t.Errorf("%d frames for %d keys", fig.frames, fig.keys)
	}
	return fig
}

// sameDrafts reports whether drafts.json in dir holds what the store does.
func sameDrafts(t testing.TB, dir string, d *config.Drafts) bool {
	onDisk, err := config.LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := onDisk.List(), d.List()
	if len(a) != len(b) {
		return false
	}
	for _, dr := range b {
		if got, ok := onDisk.Get(dr.Key); !ok || got.Text != dr.Text || got.Error != dr.Error {
			return false
		}
	}
	return true
}

func draftKeys(ds []config.Draft) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Key
	}
	return out
}

// limitWithJitter is R·(1 s + arrivalJitter) + B, rounded up.
func limitWithJitter(rps float64, burst int) int {
	n := rps*(1+arrivalJitter.Seconds()) + float64(burst)
	return int(n + 0.999)
}

// maxRate is, over endpoints (method and path with ids and keys collapsed,
// as the client's throttle keys them), the most requests in any window of
// length w, retries included, for the endpoint closest to its limit; lim
// is that endpoint's limit (limitFor).
func maxRate(reqs []fakejira.Request, w time.Duration) (n int, endpoint string, lim int) {
	by := map[string][]time.Time{}
	for _, r := range reqs {
		k := endpointOf(r.Method, r.Path)
		by[k] = append(by[k], r.Time)
	}
	names := make([]string, 0, len(by))
	for k := range by {
		names = append(names, k)
	}
	sort.Strings(names)
	worst := -1.0
	for _, k := range names {
		ts := by[k]
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
		most, lo := 0, 0
		for hi := range ts {
			for ts[hi].Sub(ts[lo]) >= w {
				lo++
			}
			most = max(most, hi-lo+1)
		}
		l := limitFor(k)
		if r := float64(most) / float64(l); r > worst {
			worst, n, endpoint, lim = r, most, k, l
		}
	}
	return n, endpoint, lim
}

// limitFor is the allowed count in 1 s for an endpoint key: the write
// limit for PUT, PATCH and DELETE, the read limit otherwise (POST is how
// Jira searches, and the throttle counts it as a read).
func limitFor(endpoint string) int {
	m, _, _ := strings.Cut(endpoint, " ")
	switch m {
	case "PUT", "PATCH", "DELETE":
		return limitWithJitter(soakLimits.WriteRPS, soakLimits.WriteBurst)
	}
	return limitWithJitter(soakLimits.ReadRPS, soakLimits.Burst)
}

// endpointOf collapses ids, keys and account ids in a path to {}: a segment
// with a digit or without lower-case letters, except the API version.
func endpointOf(method, path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if s == "" || (i > 0 && (segs[i-1] == "api" || segs[i-1] == "agile")) {
			continue
		}
		id := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0 ||
			strings.IndexFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' }) < 0
		if id {
			segs[i] = "{}"
		}
	}
	return method + " " + strings.Join(segs, "/")
}
