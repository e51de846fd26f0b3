package soak

// Design note: the fault soak.
//
// A scripted triage session runs for a bounded time against fakejira, once
// per flavour, while the server misbehaves from a seeded script: 429 with
// and without Retry-After (1 s), 503, 0-100 ms of added latency on every
// answer, dropped connections and a proxy's HTML error page. The session
// is the real root model in a real Bubble Tea program: keys go in through
// Program.Send (list moves, page down past the first page, open, n/p,
// back, refresh) and every frame is timed by a probe around the model.
// Writes (comments and transitions) go through the client in the same
// loop, each kept in a config.Drafts until Jira confirms it, which is what
// the editors do; the root does not wire them yet.
//
// What must hold: no panic; every write either confirmed by the server's
// own snapshot or still held as a draft with its error; the rate the
// server saw per endpoint never above the client's limit plus burst; frames
// keep coming while keys are sent (no gap over 250 ms) and one Update plus
// its View stays small.
//
// The rate is measured where Jira measures it, at the server, over every
// sliding 1 s window. A token bucket of rate R and burst B admits at most
// B + R·W requests in any window W, but arrival trails admission by a
// scheduling delay that varies (the client's goroutine, the loopback, the
// server's accept loop, all under -race on a shared 2-core machine). A
// window of arrivals therefore spans admissions over W + J, where J is
// that variation; the check allows J = 100 ms (2 requests at 20/s) and
// prints the raw maximum next to the limit.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui"
)

// soakLimits are lower than the defaults so the soak's own load reaches
// them and the rate check means something.
var soakLimits = jiraclient.Limits{
	ReadRPS: 8, Burst: 3,
	WriteRPS: 4, WriteBurst: 2,
	MaxInFlight: 6, IssueWritesPer2s: 10, IssueWritesPer30s: 50,
}

// Responsiveness limits for the program users run; scaled under -race.
const (
	maxFrameGap   = 250 * time.Millisecond * raceSlowdown
	maxUpdateView = 50 * time.Millisecond * raceSlowdown
)

// arrivalJitter is the allowance for arrival-time jitter (see the note).
const arrivalJitter = 100 * time.Millisecond

// soakDuration is the whole soak's length: JIFFY_SOAK if set, 5 s with
// -short, else 45 s. Each flavour gets half.
func soakDuration(t *testing.T) time.Duration {
	if v := os.Getenv("JIFFY_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("JIFFY_SOAK=%q: want a duration such as 5s", v)
		}
		return d
	}
	if testing.Short() {
		return 5 * time.Second
	}
	return 45 * time.Second
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
// a backoff without it starts at 250 ms.
var soakRetry = jiraclient.RetryPolicy{MaxRetries: 4, Initial: 250 * time.Millisecond, Max: 2 * time.Second}

// write is one comment or transition the session sent.
type write struct {
	kind     string // "comment" or "transition"
	key      string // issue key
	draftKey string
	text     string // the comment's text, or the target status
	err      error
}

// writer sends writes through the client, holding each in drafts until
// Jira confirms it, as the editors do.
type writer struct {
	c      *jiraclient.Client
	drafts *config.Drafts
	dir    string // where drafts.json lives
	saveMu sync.Mutex
	wg     sync.WaitGroup
	mu     sync.Mutex
	writes []*write
}

func (w *writer) save(t *testing.T) {
	w.saveMu.Lock()
	defer w.saveMu.Unlock()
	if err := w.drafts.Save(); err != nil {
		t.Errorf("saving drafts: %v", err)
	}
}

// send starts one write in the background.
func (w *writer) send(t *testing.T, kind, key string, n int) {
	wr := &write{kind: kind, key: key, draftKey: kind + ":" + key}
	if kind == "comment" {
		wr.text = fmt.Sprintf("soak comment %d on %s", n, key)
	}
	w.mu.Lock()
	w.writes = append(w.writes, wr)
	w.mu.Unlock()
	// The editor keeps what was typed before sending.
	w.drafts.Put(config.Draft{Key: wr.draftKey, Text: wr.text})
	w.save(t)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var err error
		switch kind {
		case "comment":
			_, err = w.c.AddComment(ctx, key, wr.text)
		default:
			var ts []jiraclient.Transition
			ts, err = w.c.Transitions(ctx, key)
			if err == nil {
				var pick *jiraclient.Transition
				for i := range ts {
					if !ts[i].HasScreen && len(ts[i].Fields) == 0 {
						pick = &ts[i]
						break
					}
				}
				if pick == nil {
					err = fmt.Errorf("no transition without a screen for %s", key)
				} else {
					wr.text = pick.To.Name
					err = w.c.DoTransition(ctx, key, jiraclient.TransitionInput{ID: pick.ID})
				}
			}
		}
		w.mu.Lock()
		wr.err = err
		w.mu.Unlock()
		if err != nil {
			w.drafts.Put(config.Draft{Key: wr.draftKey, Text: wr.text, Error: err.Error()})
		} else {
			w.drafts.Delete(wr.draftKey)
		}
		w.save(t)
	}()
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
	writes, confirmed, held     int
	maxGap, maxUpdate, maxView  time.Duration
	maxUpdateView               time.Duration
	listLoaded, detailShown     bool
}

func TestSoak(t *testing.T) {
	total := soakDuration(t)
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
	var b strings.Builder
	fmt.Fprintf(&b, "soak figures (limits: read %v/s burst %d, write %v/s burst %d, lim = R*(1s+%v)+B; retries %d, backoff from %v; race slowdown x%d):\n",
		soakLimits.ReadRPS, soakLimits.Burst, soakLimits.WriteRPS, soakLimits.WriteBurst, arrivalJitter, soakRetry.MaxRetries, soakRetry.Initial, raceSlowdown)
	fmt.Fprintf(&b, "%-10s %6s %5s %6s %5s %5s %5s %5s %7s %8s %-28s %6s %6s %5s %7s %8s %8s\n",
		"flavour", "time", "keys", "frames", "reqs", "429", "503", "drops", "retries", "max/lim", "busiest endpoint", "writes", "confirm", "held", "maxgap", "maxupd", "maxview")
	for _, f := range all {
		fmt.Fprintf(&b, "%-10s %6s %5d %6d %5d %5d %5d %5d %7d %4d/%-3d %-28s %6d %6d %5d %7s %8s %8s\n",
			f.flavor, f.duration.Round(100*time.Millisecond), f.keys, f.frames, f.requests, f.served429, f.served503, f.drops,
			f.stats.Retries, f.maxRate, f.limit, f.maxRateEndpoint, f.writes, f.confirmed, f.held,
			f.maxGap.Round(time.Millisecond), f.maxUpdate.Round(10*time.Microsecond), f.maxView.Round(10*time.Microsecond))
		fmt.Fprintf(&b, "%-10s client: %d requests, %d retries, %d 429s, %d throttle waits (%v); %d HTML pages; max Update+View %v\n",
			"", f.stats.Requests, f.stats.Retries, f.stats.RateLimited, f.stats.ThrottleWaits, f.stats.ThrottleWait.Round(time.Millisecond), f.html, f.maxUpdateView.Round(10*time.Microsecond))
	}
	t.Log(b.String())
}

// soakOne runs the session against one flavour for d.
func soakOne(t *testing.T, flavor string, seed uint64, d time.Duration) figures {
	s := startSite(t, flavor, fakejira.Options{Seed: int64(seed), Issues: 600})
	first := firstKeys(t, s, 1)[0]
	script, kinds := faultScript(seed, 50000)
	s.srv.SetFaults(fakejira.Faults{Script: script})

	events := make(chan jiraclient.Event, 16)
	c := s.client(t, jiraclient.WithLimits(soakLimits), jiraclient.WithRetry(soakRetry),
		jiraclient.WithTimeout(20*time.Second), jiraclient.WithObserver(tui.EventSink(events)))
	dir := t.TempDir()
	drafts, err := config.LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := &writer{c: c, drafts: drafts, dir: dir}

	fig := figures{flavor: flavor, duration: d}
	var seenMu sync.Mutex
	watch := func(screen string) {
		// What the session reached, for the assertions below.
		if strings.Contains(screen, first) {
			seenMu.Lock()
			fig.listLoaded = true
			seenMu.Unlock()
		}
		if strings.Contains(screen, "Description") || strings.Contains(screen, "Comments") {
			seenMu.Lock()
			fig.detailShown = true
			seenMu.Unlock()
		}
	}
	pr := run(t, tui.New(s.options(c, events)), nil, watch)

	// The session: a seeded walk through triage keys, a key every 20-60 ms,
	// a write every ~600 ms.
	r := rand.New(rand.NewPCG(seed, 0x7e1a))
	script1 := []string{"j", "j", "pgdown", "pgdown", "pgdown", "enter", "n", "n", "p", "esc", "r", "j", "enter", "n", "esc", "pgup", "k"}
	issueKeys := s.srv.Keys()
	start := time.Now()
	end := start.Add(d)
	nextWrite := start.Add(300 * time.Millisecond)
	writes := 0
	for i := 0; time.Now().Before(end); i++ {
		k := script1[i%len(script1)]
		if i%len(script1) == 0 && r.IntN(3) == 0 {
			k = "G" // the bottom, which pages the rest in
		}
		pr.key(k)
		fig.keys++
		if now := time.Now(); now.After(nextWrite) {
			kind := "comment"
			if writes%2 == 1 {
				kind = "transition"
			}
			// Distinct issues, so each write's effect can be checked alone.
			w.send(t, kind, issueKeys[(writes*7)%len(issueKeys)], writes)
			writes++
			nextWrite = now.Add(time.Duration(400+r.IntN(400)) * time.Millisecond)
		}
		time.Sleep(time.Duration(20+r.IntN(41)) * time.Millisecond)
	}
	keysEnd := time.Now()
	fig.maxGap = pr.f.maxGap(start, keysEnd)

	// Let the writes finish (each is bounded by the client's deadline).
	waited := make(chan struct{})
	go func() { w.wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(40 * time.Second):
		t.Fatal("writes still running 40 s after the session ended")
	}
	pr.stop()

	pr.f.mu.Lock()
	fig.frames = len(pr.f.times)
	fig.maxUpdate, fig.maxView, fig.maxUpdateView = pr.f.maxUpdate, pr.f.maxView, pr.f.maxBoth
	pr.f.mu.Unlock()
	fig.stats = c.Stats()

	// What the server saw. Each request took the next fault from the
	// script, in arrival order.
	reqs := s.srv.Requests()
	fig.requests = len(reqs)
	if len(reqs) >= len(kinds) {
		t.Fatalf("%d requests used up the %d-fault script: make it longer", len(reqs), len(kinds))
	}
	for _, k := range kinds[:len(reqs)] {
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
	fig.maxRate, fig.maxRateEndpoint, fig.limit = maxRate(reqs, time.Second)

	// Every write is confirmed by the server or held as a draft with its error.
	for _, wr := range w.writes {
		fig.writes++
		confirmed := false
		snap, ok := s.srv.Issue(wr.key)
		if !ok {
			t.Errorf("%s: the issue is gone", wr.key)
			continue
		}
		switch wr.kind {
		case "comment":
			for _, body := range snap.CommentBodies {
				if strings.Contains(body, wr.text) {
					confirmed = true
				}
			}
		default:
			confirmed = wr.err == nil && wr.text != "" && snap.Status == wr.text
		}
		dr, held := drafts.Get(wr.draftKey)
		switch {
		case wr.err == nil && !confirmed:
			t.Errorf("%s %s: the client said it worked but the server does not have it (status %q, %d comments)", wr.kind, wr.key, snap.Status, snap.Comments)
		case wr.err == nil && held:
			t.Errorf("%s %s: confirmed but its draft is still held", wr.kind, wr.key)
		case wr.err != nil && (!held || dr.Error == "" || dr.Text != wr.text):
			t.Errorf("%s %s failed (%v) but no draft with its error is held: %+v (held %v)", wr.kind, wr.key, wr.err, dr, held)
		}
		if wr.err != nil {
			fig.held++
			if jiraclient.KindOf(wr.err) == jiraclient.KindUnknown {
				t.Errorf("%s %s: error %v is not a *jiraclient.Error", wr.kind, wr.key, wr.err)
			}
		}
		if confirmed {
			fig.confirmed++
		}
	}
	// The drafts file agrees with memory.
	onDisk, err := config.LoadDrafts(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(onDisk.List()), fig.held; got != want {
		t.Errorf("drafts.json holds %d drafts, want %d", got, want)
	}

	// Assertions on the session as a whole.
	if fig.writes < 2 {
		t.Errorf("only %d writes were sent", fig.writes)
	}
	if !fig.listLoaded {
		t.Errorf("the list never showed %s", first)
	}
	if !fig.detailShown {
		t.Error("no issue detail was ever shown")
	}
	if fig.stats.Retries == 0 {
		t.Error("no retries: the faults did not reach the client")
	}
	if fig.maxRate > fig.limit {
		t.Errorf("the server saw %d requests within 1 s on %s; the client's limit with %v of arrival jitter is %d",
			fig.maxRate, fig.maxRateEndpoint, arrivalJitter, fig.limit)
	}
	if fig.maxGap > maxFrameGap {
		t.Errorf("the UI stalled: %v between two frames while keys were sent (limit %v)", fig.maxGap, maxFrameGap)
	}
	if fig.maxUpdateView > maxUpdateView {
		t.Errorf("one Update plus its View took %v (limit %v)", fig.maxUpdateView, maxUpdateView)
	}
	if fig.frames < fig.keys {
		t.Errorf("%d frames for %d keys", fig.frames, fig.keys)
	}
	return fig
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
