package fakejira

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestScriptedFaults(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{})
	key := f.s.Keys()[0]
	f.s.SetFaults(Faults{Script: []Fault{
		{Status: 429, RetryAfter: "7"},
		{Status: 503, RetryAfter: "2"},
		{HTML: true},
		{Status: 500},
		{},
	}})
	r := f.do("GET", f.api("/myself"), "")
	if r.status != 429 || r.header.Get("Retry-After") != "7" || r.header.Get("RateLimit-Reason") != "jira-burst-based" || r.header.Get("X-RateLimit-Remaining") != "0" || r.header.Get("X-RateLimit-Limit") == "" {
		t.Errorf("429: %d %v", r.status, r.header)
	}
	if m := r.obj(t); m["status"] != float64(429) || m["errorMessages"].([]any)[0] != "The request has been rate-limited. Please try again later." {
		t.Errorf("429 body %s", r.body)
	}
	r = f.do("GET", f.api("/myself"), "")
	if r.status != 503 || r.header.Get("Retry-After") != "2" {
		t.Errorf("503: %d %v", r.status, r.header)
	}
	r = f.do("GET", f.api("/myself"), "")
	if r.status != 502 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "<title>502 Bad Gateway</title>") {
		t.Errorf("html: %d %s", r.status, r.body)
	}
	f.must(500, "GET", f.api("/myself"), "")
	f.must(200, "GET", f.api("/myself"), "") // the script's zero Fault
	f.must(200, "GET", f.api("/myself"), "") // script exhausted

	// Drop and AfterHandler: the client sees a broken connection; only the
	// latter performs the write.
	f.s.SetFaults(Faults{Script: []Fault{{Drop: true}, {AfterHandler: true}}})
	noKeepAlive := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	send := func(body string) error {
		req, _ := http.NewRequest("POST", f.url+f.api("/issue/"+key+"/comment"), strings.NewReader(body))
		f.authorize(req)
		req.Header.Set("Content-Type", "application/json")
		res, err := noKeepAlive.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		return err
	}
	before, _ := f.s.Issue(key)
	body := `{"body":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"x"}]}]}}`
	if err := send(body); err == nil {
		t.Error("dropped connection produced a response")
	}
	if mid, _ := f.s.Issue(key); mid.Comments != before.Comments {
		t.Error("Drop ran the handler")
	}
	if err := send(body); err == nil {
		t.Error("AfterHandler produced a response")
	}
	if after, _ := f.s.Issue(key); after.Comments != before.Comments+1 {
		t.Error("AfterHandler did not run the handler")
	}
	reqs := f.s.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 0 || !strings.Contains(last.Body, `"text":"x"`) {
		t.Errorf("dropped request recorded as %+v", last)
	}

	// Captcha as a scripted fault, on DC.
	d := newFake(t, FlavorDataCenter, Options{})
	d.s.SetFaults(Faults{Script: []Fault{{Captcha: true}, {Status: 401}}})
	if r := d.do("GET", d.api("/myself"), ""); r.status != 403 || r.header.Get("X-Seraph-LoginReason") != "AUTHENTICATION_DENIED" {
		t.Errorf("captcha fault: %d %v", r.status, r.header)
	}
	if r := d.do("GET", d.api("/myself"), ""); r.status != 401 || r.header.Get("X-AUSERNAME") != "anonymous" {
		t.Errorf("401 fault: %d %v", r.status, r.header)
	}
	// DC's 429 is the Tomcat page.
	d.s.SetFaults(Faults{Script: []Fault{{Status: 429, RetryAfter: "0"}}})
	if r := d.do("GET", d.api("/myself"), ""); r.status != 429 || !strings.Contains(string(r.body), "Rate limit exceeded.") || r.header.Get("Retry-After") != "0" {
		t.Errorf("dc 429: %d %s", r.status, r.body)
	}
}

func TestRandomFaultsAreSeeded(t *testing.T) {
	run := func(seed int64) string {
		f := newFake(t, FlavorCloud, Options{Seed: seed})
		f.s.SetFaults(Faults{Rate429: 0.3, Rate503: 0.2, HTMLRate: 0.1, RetryAfter: 1500 * time.Millisecond})
		var b strings.Builder
		for i := 0; i < 60; i++ {
			r := f.do("GET", f.api("/myself"), "")
			b.WriteString(strconv.Itoa(r.status) + " ")
			if r.status == 429 && r.header.Get("Retry-After") != "2" {
				t.Errorf("Retry-After %q, want 2 (rounded up)", r.header.Get("Retry-After"))
			}
		}
		return b.String()
	}
	a, b, c := run(11), run(11), run(12)
	if a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
	if a == c {
		t.Error("different seeds gave identical fault sequences")
	}
	for _, code := range []string{"200 ", "429 ", "503 ", "502 "} {
		if !strings.Contains(a, code) {
			t.Errorf("no %s in %s", code, a)
		}
	}
}

func TestDropRate(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{Seed: 5})
	f.s.SetFaults(Faults{DropRate: 0.5})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var dropped, ok int
	for i := 0; i < 40; i++ {
		req, _ := http.NewRequest("GET", f.url+f.api("/myself"), nil)
		f.authorize(req)
		res, err := client.Do(req)
		if err != nil {
			dropped++
			continue
		}
		res.Body.Close()
		ok++
	}
	if dropped == 0 || ok == 0 {
		t.Errorf("dropped %d, ok %d", dropped, ok)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	f := newFake(t, FlavorCloud, Options{})
	f.s.SetFaults(Faults{Latency: 60 * time.Millisecond})
	start := time.Now()
	f.must(200, "GET", f.api("/myself"), "")
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("answered in %v", d)
	}
	// A canceled request stops waiting.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	f.s.SetFaults(Faults{Latency: 5 * time.Second})
	req, _ := http.NewRequestWithContext(ctx, "GET", f.url+f.api("/myself"), nil)
	f.authorize(req)
	start = time.Now()
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("err %v after %v", err, time.Since(start))
	}
}

func TestRateLimitEnforced(t *testing.T) {
	t.Parallel()
	both(t, func(t *testing.T, f *fake) {
		f.s.SetFaults(Faults{RateLimit: 1, RateBurst: 3})
		codes := []int{}
		var last resp
		for i := 0; i < 5; i++ {
			last = f.do("GET", f.api("/myself"), "")
			codes = append(codes, last.status)
		}
		if codes[0] != 200 || codes[2] != 200 || codes[3] != 429 || codes[4] != 429 {
			t.Fatalf("codes = %v", codes)
		}
		if ra, _ := strconv.Atoi(last.header.Get("Retry-After")); ra < 1 {
			t.Errorf("Retry-After = %q", last.header.Get("Retry-After"))
		}
		// Buckets are per endpoint.
		f.must(200, "GET", f.api("/priority"), "")
		time.Sleep(1100 * time.Millisecond) // refills at 1/s
		r := f.must(200, "GET", f.api("/myself"), "")
		if r.header.Get("X-RateLimit-Limit") != "3" {
			t.Errorf("X-RateLimit-Limit = %q", r.header.Get("X-RateLimit-Limit"))
		}
		if !f.cloud() && r.header.Get("X-RateLimit-FillRate") != "1" {
			t.Errorf("dc X-RateLimit-FillRate = %q", r.header.Get("X-RateLimit-FillRate"))
		}
	})
}

func TestRateLimitHeadersWithoutEnforcement(t *testing.T) {
	c := newFake(t, FlavorCloud, Options{})
	r := c.must(200, "GET", c.api("/myself"), "")
	if r.header.Get("X-RateLimit-Limit") == "" || r.header.Get("X-RateLimit-Remaining") == "" || r.header.Get("X-RateLimit-NearLimit") != "" {
		t.Errorf("cloud headers: %v", r.header)
	}
	// Near the limit Cloud says so (under 20% left), and still answers.
	// A refill rate near zero keeps this independent of machine speed.
	c.s.SetFaults(Faults{RateLimit: 0.001, RateBurst: 5})
	var near []string
	for i := 0; i < 5; i++ {
		r = c.must(200, "GET", c.api("/priority"), "")
		near = append(near, r.header.Get("X-RateLimit-Remaining")+"/"+r.header.Get("X-RateLimit-NearLimit"))
	}
	if strings.Join(near, " ") != "4/ 3/ 2/ 1/ 0/true" {
		t.Errorf("remaining/near-limit sequence = %v", near)
	}
	c.must(429, "GET", c.api("/priority"), "")
	d := newFake(t, FlavorDataCenter, Options{})
	if r := d.must(200, "GET", d.api("/myself"), ""); r.header.Get("X-RateLimit-Limit") != "" {
		t.Errorf("dc sends rate-limit headers only when limiting is on: %v", r.header)
	}
}

func TestConcurrentUse(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{Seed: 9})
	keys := f.s.Keys()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				k := keys[(g*10+i)%len(keys)]
				f.do("PUT", f.api("/issue/"+k), `{"update":{"labels":[{"add":"g`+strconv.Itoa(g)+`"}]}}`)
				f.do("GET", f.api("/search/jql?jql=labels%3Dg"+strconv.Itoa(g)+"&fields=summary"), "")
				_, _ = f.s.Issue(k)
			}
		}(g)
	}
	wg.Wait()
	if n := len(f.s.Requests()); n != 160 {
		t.Errorf("recorded %d requests", n)
	}
}

func TestPerIssueWriteLimit(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{})
	keys := f.s.Keys()
	f.s.SetFaults(Faults{PerIssueWrites: true})
	body := `{"update":{"labels":[{"add":"w"}]}}`
	for i := 0; i < 20; i++ {
		f.must(204, "PUT", f.api("/issue/"+keys[0]), body)
	}
	r := f.do("PUT", f.api("/issue/"+strings.ToLower(keys[0])), body)
	if r.status != 429 || r.header.Get("RateLimit-Reason") != "jira-per-issue-on-write" || r.header.Get("Retry-After") == "" {
		t.Fatalf("21st write: %d %v", r.status, r.header)
	}
	// Other issues and reads are not affected.
	f.must(204, "PUT", f.api("/issue/"+keys[1]), body)
	f.must(200, "GET", f.api("/issue/"+keys[0]), "")
	// Data Center has no such limit.
	d := newFake(t, FlavorDataCenter, Options{})
	d.s.SetFaults(Faults{PerIssueWrites: true})
	for i := 0; i < 25; i++ {
		d.must(204, "PUT", d.api("/issue/"+d.s.Keys()[0]), body)
	}
}

// TestAppliedThenFault: AfterHandler with AfterStatus applies the write and
// answers the status; with AfterHang it applies it and never answers; the
// Date header follows the fake's own clock (the one its timestamps use).
func TestAppliedThenFault(t *testing.T) {
	f := newFake(t, FlavorCloud, Options{})
	key := f.s.Keys()[0]
	before, _ := f.s.Issue(key)
	body := `{"body":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"x"}]}]}}`
	f.s.SetFaults(Faults{Script: []Fault{{AfterHandler: true, AfterStatus: 500}, {AfterHandler: true, AfterStatus: 502, HTML: true}}})
	r := f.do("POST", f.api("/issue/"+key+"/comment"), body)
	if r.status != 500 || !strings.Contains(string(r.body), "500 Internal Server Error") {
		t.Errorf("AfterStatus 500: %d %s", r.status, r.body)
	}
	r = f.do("POST", f.api("/issue/"+key+"/comment"), body)
	if r.status != 502 || !strings.Contains(string(r.body), "<title>502 Bad Gateway</title>") {
		t.Errorf("AfterStatus 502 HTML: %d %s", r.status, r.body)
	}
	if after, _ := f.s.Issue(key); after.Comments != before.Comments+2 {
		t.Errorf("comments %d, want %d: the writes were not applied", after.Comments, before.Comments+2)
	}
	if d, err := http.ParseTime(r.header.Get("Date")); err != nil || d.Year() != DefaultNow.Year() || d.Month() != DefaultNow.Month() {
		t.Errorf("Date %q is not the fake's clock (%v)", r.header.Get("Date"), DefaultNow)
	}

	f.s.SetFaults(Faults{Script: []Fault{{AfterHandler: true, AfterHang: true}}})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", f.url+f.api("/issue/"+key+"/comment"), strings.NewReader(body))
	f.authorize(req)
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	// The write lands while the answer hangs; then the client gives up.
	for {
		if is, _ := f.s.Issue(key); is.Comments == before.Comments+3 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("AfterHang answered before the write landed: %v", err)
		default:
		}
		runtime.Gosched()
	}
	select {
	case err := <-done:
		t.Fatalf("AfterHang answered: %v", err)
	default:
	}
	cancel()
	if err := <-done; err == nil {
		t.Error("AfterHang produced a response")
	}
}
