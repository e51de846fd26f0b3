package cache

import (
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

func TestMatchExpr(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"   ":                  "",
		"deploy":               `"deploy"*`,
		"deploy ":              `"deploy"`,
		"deploy pipe":          `"deploy" "pipe"*`,
		"  deploy   pipe  ":    `"deploy" "pipe"`,
		`say "hi`:              `"say" """hi"*`,
		"a*":                   `"a*"*`,
		"NEAR(a b)":            `"NEAR(a" "b)"*`,
		"foo AND bar OR baz":   `"foo" "AND" "bar" "OR" "baz"*`,
		"summary:secret":       `"summary:secret"*`,
		"-foo ^bar":            `"-foo" "^bar"*`,
		"ABC-12":               `"ABC-12"*`,
		"* ( ) - : ^ \"":       "",
		"tab\tsep\x00nul\x1b[": `"tab" "sep" "nul"`,
		"café":                 `"café"*`,
		"日本語":                  `"日本語"*`,
		"x\u3000":              `"x"`,
	} {
		if got := MatchExpr(in); got != want {
			t.Errorf("MatchExpr(%q) = %s; want %s", in, got, want)
		}
	}
}

func searchDB(t *testing.T) *DB {
	t.Helper()
	db := openTest(t, Options{})
	a := issue("OPS-1", "Deploy pipeline times out", 0)
	a.Description = "The nightly deploy fails after 30 minutes."
	b := issue("OPS-2", "Login page is slow", 0)
	b.Description = "Users wait for the login form; the deploy of last week made it worse."
	c := issue("WEB-7", "Dark mode colours", 0)
	c.Comments = []jiraclient.Comment{{ID: "1", Body: "First thought: pipelines are unrelated."}, {ID: "2", Body: "Tried on the café wifi: same."}}
	d := issue("WEB-12", "Résumé upload rejects PDF", 0)
	mustPut(t, db, Detail, a, b, c, d)
	return db
}

func keysOfHits(hs []Hit) string {
	s := ""
	for i, h := range hs {
		if i > 0 {
			s += ","
		}
		s += h.Key
	}
	return s
}

func TestSearchRanksAndPrefixes(t *testing.T) {
	db := searchDB(t)
	for _, c := range []struct{ q, want string }{
		{"deploy", "OPS-1,OPS-2"},   // summary beats description
		{"dep", "OPS-1,OPS-2"},      // prefix as the user types
		{"pipeline", "OPS-1,WEB-7"}, // still typing: "pipelines" too
		{"pipeline ", "OPS-1"},      // a finished word is whole
		{"pipel", "OPS-1,WEB-7"},    // comments are searched
		{"deploy slow", "OPS-2"},    // every word must match
		{"cafe", "WEB-7"},           // diacritics folded
		{"resume", "WEB-12"},        //
		{"WEB-12", "WEB-12"},        // a key
		{"web-1", "WEB-12"},         // a key's prefix
		{"unrelated", "WEB-7"},      // comments
		{"zebra", ""},               //
		{`"deploy"`, "OPS-1,OPS-2"}, // quotes are text
		{"deploy OR login", ""},     // OR is a word, not an operator
		{"summary:deploy", ""},      // no column filters: the phrase "summary deploy"
		{"NEAR(deploy", ""},         // no NEAR: the phrase "near deploy"
		{"* ( ) \" ^ -", ""},        // nothing to search
	} {
		hits, err := db.Search(ctx, c.q, 0)
		if err != nil {
			t.Errorf("Search(%q): %v", c.q, err)
			continue
		}
		if got := keysOfHits(hits); got != c.want {
			t.Errorf("Search(%q) = %s; want %s", c.q, got, c.want)
		}
	}
}

func TestSearchReturnsSummaryAndLimit(t *testing.T) {
	db := searchDB(t)
	hits, err := db.Search(ctx, "deploy", 1)
	if err != nil || len(hits) != 1 || hits[0] != (Hit{Key: "OPS-1", Summary: "Deploy pipeline times out"}) {
		t.Fatalf("hits %+v, %v", hits, err)
	}
}

// Above rankLimit matches, Search lists key or summary matches first, then
// the rest, each most recently changed first.
func TestSearchBroadMatchLists(t *testing.T) {
	old := rankLimit
	rankLimit = 2
	defer func() { rankLimit = old }()
	db := openTest(t, Options{})
	a := issue("A-1", "the printer", 0)
	b := issue("A-2", "scanner", 0)
	b.Description = "the scanner jams"
	c := issue("A-3", "the fax", 0)
	d := issue("A-4", "copier", 0)
	d.Comments = []jiraclient.Comment{{ID: "1", Body: "the copier too"}}
	mustPut(t, db, Detail, a, b, c, d)
	if got := keysOfHits(must(db.Search(ctx, "th", 0))); got != "A-3,A-1,A-4,A-2" {
		t.Fatalf("broad match: %s; want titles A-3,A-1 then A-4,A-2", got)
	}
	// A-1 changes: it moves ahead of A-3.
	a2 := issue("A-1", "the printer, fixed", time.Hour)
	mustPut(t, db, Detail, a2)
	if got := keysOfHits(must(db.Search(ctx, "th", 0))); got != "A-1,A-3,A-4,A-2" {
		t.Fatalf("after A-1 changed: %s", got)
	}
	// An unchanged issue written again keeps its place.
	mustPut(t, db, Detail, c)
	if got := keysOfHits(must(db.Search(ctx, "th", 3))); got != "A-1,A-3,A-4" {
		t.Fatalf("limit 3: %s", got)
	}
	// Two matches: ranked again.
	if got := keysOfHits(must(db.Search(ctx, "the fax", 0))); got != "A-3" {
		t.Fatalf("narrow match: %s", got)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
