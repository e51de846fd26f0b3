package cache

import (
	"context"
	"testing"
)

// FuzzSearch: whatever the user types, Search answers without an error
// (FTS5 syntax in the input is text), and MatchExpr's output is made of
// quoted strings only.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"", "deploy", `"`, `""`, "a*", "*", "NEAR(a b, 2)", "a OR b", "a AND NOT b",
		"summary:x", "{key summary}: x", "-x", "^x", "(x", "x)", "'", "\x00", "\\", "a\"b\"c", "ABC-12 ",
		"\u202e", "x\u3000", "é", "ﬁ", "a + b", "a:b:c", "\"a\"*"} {
		f.Add(s)
	}
	db := Open(context.Background(), Options{Dir: f.TempDir(), Profile: "fuzz"})
	f.Cleanup(func() { db.Close() })
	if err := db.Note(); err != nil {
		f.Fatal(err)
	}
	mustPut(f, db, Detail, issue("A-1", `say "hi" * to NEAR(everyone) OR: summary:x`, 0))
	f.Fuzz(func(t *testing.T, text string) {
		expr := MatchExpr(text)
		// Outside quotes only spaces and a final '*' may appear.
		in := false
		for i, r := range expr {
			switch {
			case r == '"':
				in = !in
			case !in && r != ' ' && !(r == '*' && i == len(expr)-1):
				t.Fatalf("MatchExpr(%q) = %s: %q outside quotes", text, expr, r)
			}
		}
		if in {
			t.Fatalf("MatchExpr(%q) = %s: unbalanced quotes", text, expr)
		}
		if _, err := db.Search(context.Background(), text, 5); err != nil {
			t.Fatalf("Search(%q) [%s]: %v", text, expr, err)
		}
	})
}
