package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openTest opens a cache in a fresh folder and fails the test on any note.
func openTest(t testing.TB, o Options) *DB {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	if o.Profile == "" {
		o.Profile = "work"
	}
	db := Open(context.Background(), o)
	if err := db.Note(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var base = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// issue makes a small issue for tests that spell out their text.
func issue(key, summary string, updated time.Duration) jiraclient.Issue {
	return jiraclient.Issue{
		Key: key, Summary: summary, Project: strings.Split(key, "-")[0],
		Status:  jiraclient.Status{ID: "1", Name: "To Do", Category: jiraclient.CategoryToDo},
		Type:    jiraclient.IssueType{ID: "10001", Name: "Task"},
		Updated: base.Add(updated),
	}
}

// vocab is a vocabulary for generated issues (made on first use, not in
// the children TestMain runs): the 40 commonest English
// words, a tracker's domain words, and 20,000 made-up words, drawn with a
// Zipf law as real text is (a few words everywhere, most words rare), so
// that searches select as they would in a real tracker.
var vocab = sync.OnceValue(func() []string {
	out := []string{"the", "to", "and", "a", "of", "in", "is", "it", "on", "for", "that", "this", "with", "not",
		"be", "we", "when", "after", "but", "are", "as", "have", "from", "or", "can", "at", "an", "if", "should",
		"user", "error", "page", "fails", "see", "now", "new", "issue", "test", "would", "also"}
	for _, s := range []string{"deploy", "pipeline", "timeout", "login", "cache", "search", "board", "sprint", "release",
		"database", "migration", "latency", "crash", "render", "export", "import", "billing", "invoice",
		"customer", "report", "dashboard", "metric", "alert", "queue", "worker", "session", "mobile",
		"android", "ios", "browser", "firefox", "safari", "chrome", "network", "proxy", "certificate", "upload",
		"download", "attachment", "comment", "notification", "email", "webhook", "schema", "index", "query",
		"filter", "permission", "role", "admin", "audit", "backup", "restore", "cluster", "node", "memory",
		"leak", "thread", "deadlock", "retry", "throttle", "quota", "limit", "payment", "checkout", "cart"} {
		out = append(out, s, s+"s", s+"ing", s+"ed")
	}
	syll := []string{"ka", "lo", "mi", "ne", "ru", "ta", "po", "si", "de", "ga", "bu", "fe", "zo", "vi", "ha", "jo", "pe", "qu", "wa", "xe"}
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for len(out) < 20_300 {
		w := ""
		for range 2 + r.IntN(3) {
			w += syll[r.IntN(len(syll))]
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	// Shuffle the domain words into the first few thousand, so each is
	// fairly common but none is everywhere.
	dom := out[40:304]
	for i := range dom {
		j := 40 + r.IntN(3000)
		out[40+i], out[j] = out[j], out[40+i]
	}
	return out
})

func sentence(r *rand.Rand, n int) string {
	vocab := vocab()
	z := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(vocab[z.Uint64()])
	}
	return b.String()
}

// gen makes issue i of a generated project, the same every run: a list's
// fields, and at Detail depth a description and comments of a size
// typical of a working tracker (about 2 KB of text).
func gen(i int, depth Depth) jiraclient.Issue {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	iss := jiraclient.Issue{
		ID:       fmt.Sprint(10000 + i),
		Key:      fmt.Sprintf("GEN-%d", i+1),
		Summary:  sentence(r, 6+r.IntN(6)),
		Project:  "GEN",
		Type:     jiraclient.IssueType{ID: "10001", Name: "Task"},
		Status:   jiraclient.Status{ID: "3", Name: "In Progress", Category: jiraclient.CategoryInProgress},
		Priority: &jiraclient.Priority{ID: "3", Name: "Medium"},
		Assignee: &jiraclient.User{AccountID: fmt.Sprintf("5b10a2844c20165700ede%03d", i%50), DisplayName: "Dana Example", Active: true},
		Updated:  base.Add(time.Duration(i) * time.Minute),
	}
	if depth == Detail {
		iss.Reporter = iss.Assignee
		iss.Created = base
		iss.Labels = []string{"backend", "customer"}
		iss.Description = sentence(r, 120+r.IntN(120))
		for c := range 3 + r.IntN(4) {
			iss.Comments = append(iss.Comments, jiraclient.Comment{
				ID: fmt.Sprint(c), Author: *iss.Assignee, Body: sentence(r, 20+r.IntN(40)),
				Created: base, Updated: base,
			})
		}
		iss.CommentTotal = len(iss.Comments)
	}
	return iss
}

func genMany(n int, depth Depth) []jiraclient.Issue {
	out := make([]jiraclient.Issue, n)
	for i := range out {
		out[i] = gen(i, depth)
	}
	return out
}

func keysOf(is []jiraclient.Issue) []string {
	out := make([]string, len(is))
	for i, iss := range is {
		out[i] = iss.Key
	}
	return out
}

func reflectType[T any]() reflect.Type { return reflect.TypeFor[T]() }

func nil2() map[reflect.Type]bool { return map[reflect.Type]bool{} }
