package jiraclient

// Bad input from the server: every response type the client decodes is
// fuzzed through the public method that reads it, with the body served as a
// 200 by an in-memory transport (no sockets, so a fuzz worker runs tens of
// thousands of bodies a second). Whatever the body, a method returns a
// value or a *Error with a message and a next step, and never panics. The
// seeds are the real captures in testdata/.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzTransport answers every request with status and body.
type fuzzTransport struct {
	status int
	body   []byte
}

func (f fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: f.status,
		Header:     http.Header{"Content-Type": {"application/json;charset=UTF-8"}},
		Body:       io.NopCloser(bytes.NewReader(f.body)),
		Request:    r,
	}, nil
}

// fuzzClient is a client of flavour f whose every request gets body as a
// 200; no throttle, no retries, so one call is one decode.
func fuzzClient(t testing.TB, f Flavor, body []byte) *Client {
	t.Helper()
	inf := math.Inf(1)
	c, err := New("https://jira.example.com", Credential{Kind: AuthBearer, Token: "fuzz-secret-token"},
		WithFlavor(f),
		WithHTTPClient(&http.Client{Transport: fuzzTransport{status: http.StatusOK, body: body}}),
		WithLimits(Limits{ReadRPS: inf, WriteRPS: inf, MaxInFlight: 1000, IssueWritesPer2s: 1 << 20, IssueWritesPer30s: 1 << 20}),
		WithRetry(RetryPolicy{}),
		WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkDecoded fails unless err is nil or a *Error that says what is wrong
// and what to do, without the token.
func checkDecoded(t testing.TB, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: error %T %q is not a *jiraclient.Error", what, err, err)
	}
	if e.What() == "" || e.Hint() == "" {
		t.Fatalf("%s: error without a message or a next step: what=%q hint=%q", what, e.What(), e.Hint())
	}
	if strings.Contains(e.Error(), "fuzz-secret-token") {
		t.Fatalf("%s: the token is in the error: %q", what, e.Error())
	}
}

// decoders are the client methods, one per response type, each run against
// a client that answers with body. Grouped by target so each fuzz target
// spends its time on one shape.
var decoders = map[string][]struct {
	name      string
	cloudOnly bool // Data Center has no such endpoint
	run       func(ctx context.Context, c *Client) error
}{
	"search": {
		{"Search", false, func(ctx context.Context, c *Client) error {
			_, err := c.Search(ctx, SearchQuery{JQL: "project = A", Fields: DetailFields}, Cursor{})
			return err
		}},
		{"ApproximateCount", true, func(ctx context.Context, c *Client) error {
			_, err := c.ApproximateCount(ctx, "project = A")
			return err
		}},
	},
	"issue": {
		{"GetIssue", false, func(ctx context.Context, c *Client) error {
			_, err := c.GetIssue(ctx, "AB-1", GetIssueOptions{Names: true, Transitions: true})
			return err
		}},
		{"CreateIssue", false, func(ctx context.Context, c *Client) error {
			_, err := c.CreateIssue(ctx, IssueCreate{Project: "A", IssueTypeID: "1", Summary: "s"})
			return err
		}},
	},
	"comments": {
		{"Comments", false, func(ctx context.Context, c *Client) error {
			_, _, err := c.Comments(ctx, "AB-1", 0, 50)
			return err
		}},
		{"AddComment", false, func(ctx context.Context, c *Client) error {
			_, err := c.AddComment(ctx, "AB-1", "hello *there*")
			return err
		}},
	},
	"transitions": {
		{"Transitions", false, func(ctx context.Context, c *Client) error {
			_, err := c.Transitions(ctx, "AB-1")
			return err
		}},
	},
	"meta": {
		{"EditMeta", false, func(ctx context.Context, c *Client) error {
			_, err := c.EditMeta(ctx, "AB-1")
			return err
		}},
		{"CreateMetaIssueTypes", false, func(ctx context.Context, c *Client) error {
			_, err := c.CreateMetaIssueTypes(ctx, "A")
			return err
		}},
		{"CreateMetaFields", false, func(ctx context.Context, c *Client) error {
			_, err := c.CreateMetaFields(ctx, "A", "1")
			return err
		}},
	},
	"users": {
		{"AssignableUsers", false, func(ctx context.Context, c *Client) error {
			_, err := c.AssignableUsers(ctx, "AB-1", "ad")
			return err
		}},
		{"Myself", false, func(ctx context.Context, c *Client) error {
			_, err := c.Myself(ctx)
			return err
		}},
	},
	"site": {
		{"ServerInfo", false, func(ctx context.Context, c *Client) error {
			_, err := c.ServerInfo(ctx)
			return err
		}},
		{"Projects", false, func(ctx context.Context, c *Client) error {
			_, err := c.Projects(ctx, "a")
			return err
		}},
		{"FavouriteFilters", false, func(ctx context.Context, c *Client) error {
			_, err := c.FavouriteFilters(ctx)
			return err
		}},
		{"Priorities", false, func(ctx context.Context, c *Client) error {
			_, err := c.Priorities(ctx)
			return err
		}},
		{"Labels", false, func(ctx context.Context, c *Client) error {
			_, err := c.Labels(ctx, "")
			return err
		}},
		{"LabelsPrefix", false, func(ctx context.Context, c *Client) error {
			_, err := c.Labels(ctx, "ba")
			return err
		}},
	},
}

// runDecoders serves body to each decoder of group, on both flavours.
func runDecoders(t testing.TB, group string, body []byte) {
	ctx := context.Background()
	for _, f := range []Flavor{FlavorCloud, FlavorDataCenter} {
		c := fuzzClient(t, f, body)
		for _, d := range decoders[group] {
			if d.cloudOnly && f != FlavorCloud {
				continue
			}
			checkDecoded(t, f.String()+" "+d.name, d.run(ctx, c))
		}
	}
}

// fuzzSeeds adds the named fixtures, plus each cut in half (a dropped
// connection mid-body) and a few hand-made oddities.
func fuzzSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		b := fuzzFixture(f, name)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	for _, s := range []string{"", "null", "[]", "{}", `"x"`, "0", `{"issues":null}`, `<html><title>Log in</title></html>`, "\x00\xff"} {
		f.Add([]byte(s))
	}
}

func fuzzFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}

func FuzzDecodeSearchResponse(f *testing.F) {
	fuzzSeeds(f, "go-atlassian/search-issues.json", "go-atlassian/issue-search-v2.json", "jira-ruby/empty_issues.json",
		"spec-examples/search-approximate-count.POST.200.json")
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "search", b) })
}

func FuzzDecodeIssueResponse(f *testing.F) {
	fuzzSeeds(f, "go-atlassian/get-issue.json", "go-atlassian/get-issue-v2.json", "jira-ruby/issue/10002.json", "jira-ruby/issue.post.json")
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "issue", b) })
}

func FuzzDecodeCommentsResponse(f *testing.F) {
	fuzzSeeds(f, "go-atlassian/get-issue-comments.json", "go-atlassian/get-issue-comments-v2.json",
		"go-atlassian/get-issue-comment-by-id.json", "jira-ruby/issue/10002/comment.json", "spec-examples/issue-comment.POST.201.json")
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "comments", b) })
}

func FuzzDecodeTransitionsResponse(f *testing.F) {
	fuzzSeeds(f, "go-atlassian/get-transitions.json", "go-jira/transitions.json", "jira-ruby/issue/10002/transitions.json")
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "transitions", b) })
}

func FuzzDecodeMetaResponse(f *testing.F) {
	fuzzSeeds(f, "spec-examples/issue-editmeta.GET.200.json", "go-atlassian/get-issue-metadata.json",
		"spec-examples/createmeta-issuetypes.GET.200.json", "spec-examples/createmeta-issuetype-fields.GET.200.json")
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "meta", b) })
}

func FuzzDecodeUsersResponse(f *testing.F) {
	fuzzSeeds(f, "core/spec-myself.GET.200.json", "core/go-atlassian-get-myselft.json")
	f.Add([]byte(`[{"accountId":"5b10a2844c20165700ede21g","displayName":"Mia Krystof","active":true}]`))
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "users", b) })
}

func FuzzDecodeSiteResponse(f *testing.F) {
	fuzzSeeds(f, "core/spec-serverInfo.GET.200.json", "core/dc-serverinfo-observed.json", "go-atlassian/search-projects.json",
		"spec-examples/project-search.GET.200.json", "go-jira/project.json", "go-atlassian/get_favorites_filters.json",
		"spec-examples/filter-favourite.GET.200.json", "go-jira/favourite_filters.json", "go-atlassian/get_priorities.json",
		"go-jira/all_priorities.json", "spec-examples/label.GET.200.json")
	f.Fuzz(func(t *testing.T, b []byte) { runDecoders(t, "site", b) })
}

// fixtureJSON lists every JSON capture under testdata that is a success
// body (the errors/ folder holds error bodies, tested by the classifier).
func fixtureJSON(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "errors" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") && !strings.Contains(p, ".request.") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 30 {
		t.Fatalf("only %d fixtures found under testdata: the walk is wrong", len(out))
	}
	return out
}

// TestTruncatedFixturesGiveClearErrors serves every success capture cut
// short (a connection dropped mid-body, a proxy's size limit) to every
// decoder: each must fail with a *Error of kind "not Jira" or "server"
// that says the answer could not be read and what to check, never with a
// half-decoded value.
func TestTruncatedFixturesGiveClearErrors(t *testing.T) {
	ctx := context.Background()
	for _, p := range fixtureJSON(t) {
		full, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		full = bytes.TrimSpace(full)
		for _, cut := range []int{1, len(full) / 3, len(full) / 2, len(full) - 1} {
			body := full[:cut]
			for group, ds := range decoders {
				for _, f := range []Flavor{FlavorCloud, FlavorDataCenter} {
					c := fuzzClient(t, f, body)
					for _, d := range ds {
						if d.cloudOnly && f != FlavorCloud {
							continue
						}
						err := d.run(ctx, c)
						name := p + "[:" + strconv.Itoa(cut) + "] " + group + "/" + d.name + " " + f.String()
						if err == nil {
							t.Errorf("%s: a truncated body decoded without error", name)
							continue
						}
						checkDecoded(t, name, err)
						if k := KindOf(err); k != KindNotJira && k != KindServer {
							t.Errorf("%s: kind %v, want not-jira or server (%v)", name, k, err)
						}
					}
				}
			}
		}
	}
}

// TestTruncatedErrorBodiesStillClassified cuts the captured error bodies
// short: the status still decides the kind, and the message stays one
// readable line.
func TestTruncatedErrorBodiesStillClassified(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		file   string
		status int
		kind   ErrorKind
	}{
		{"errors/400-bad-jql.json", 400, KindBadRequest},
		{"errors/401-authenticated-failed.json", 401, KindAuth},
		{"errors/404-issue-not-visible.json", 404, KindNotFound},
		{"errors/cloud-410-search-removed.json", 410, KindGone},
		{"errors/cloud-429-rate-limited.json", 429, KindRateLimited},
	} {
		full := bytes.TrimSpace(fuzzFixture(t, tc.file))
		for _, cut := range []int{0, 1, len(full) / 2, len(full) - 1} {
			c, err := New("https://jira.example.com", Credential{Kind: AuthBearer, Token: "fuzz-secret-token"},
				WithFlavor(FlavorCloud), WithRetry(RetryPolicy{}),
				WithHTTPClient(&http.Client{Transport: fuzzTransport{status: tc.status, body: full[:cut]}}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetIssue(ctx, "AB-1", GetIssueOptions{})
			checkDecoded(t, tc.file, err)
			if KindOf(err) != tc.kind {
				t.Errorf("%s[:%d]: kind %v, want %v (%v)", tc.file, cut, KindOf(err), tc.kind, err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("%s[:%d]: message spans lines: %q", tc.file, cut, err.Error())
			}
		}
	}
}
