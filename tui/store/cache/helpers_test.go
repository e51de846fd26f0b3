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

// words is a vocabulary for generated issues; gen draws from it with a
// skew, so a few words are common and most are rare, as in real text.
var words = func() []string {
	stems := []string{"deploy", "pipeline", "timeout", "login", "cache", "search", "board", "sprint", "release",
		"database", "migration", "latency", "crash", "render", "export", "import", "billing", "invoice",
		"customer", "report", "dashboard", "metric", "alert", "queue", "worker", "token", "session", "mobile",
		"android", "ios", "browser", "firefox", "safari", "chrome", "network", "proxy", "certificate", "upload",
		"download", "attachment", "comment", "notification", "email", "webhook", "schema", "index", "query",
		"filter", "permission", "role", "admin", "audit", "backup", "restore", "cluster", "node", "memory",
		"leak", "thread", "deadlock", "retry", "throttle", "quota", "limit", "payment", "checkout", "cart"}
	suffixes := []string{"", "s", "ing", "ed", "er", "ion", "able", "ment"}
	var out []string
	for _, s := range stems {
		for _, x := range suffixes {
			out = append(out, s+x)
		}
	}
	common := []string{"the", "a", "is", "when", "on", "in", "and", "to", "of", "fails", "after", "with", "not", "user", "page", "error"}
	return append(common, out...)
}()

func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		// Skewed pick: squares favour the front of the list.
		f := r.Float64()
		b.WriteString(words[int(f*f*float64(len(words)))])
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
