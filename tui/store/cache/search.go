package cache

import (
	"context"
	"database/sql"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hit is one issue a search found.
type Hit struct {
	Key     string
	Summary string
}

// rankLimit is the most matches Search ranks by relevance. bm25 costs
// about 4 µs of CPU per matching issue here; above this many matches the
// words typed are too common (or too short) for a relevance order to mean
// much, and Search lists instead (see there). A variable for the tests.
var rankLimit = 1000

// Search finds cached issues whose key, summary, description or comments
// hold every word of text, at most limit of them (limit <= 0 means 50).
// The last word matches as a prefix unless text ends in a space, so results
// follow the user's typing. text is the user's, taken literally: FTS5 query
// syntax in it (quotes, *, AND, NEAR, column filters) is quoted away. Text
// with no letter or digit finds nothing.
//
// Order: when at most rankLimit issues match, best match first (FTS5's
// bm25, a match in the key or summary counting most, then the most recently
// updated). A broader match (a letter or two typed, or only common words)
// lists the issues whose key or summary match, then the others, each most
// recently changed first: ranking thousands of matches would cost tens of
// milliseconds a keystroke and tell the user nothing.
func (db *DB) Search(ctx context.Context, text string, limit int) ([]Hit, error) {
	s := db.conn()
	if s == nil {
		return nil, nil
	}
	expr := MatchExpr(text)
	if expr == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	var n int
	if err := s.QueryRowContext(ctx, `SELECT count(*) FROM issue_text WHERE issue_text MATCH ?`, expr).Scan(&n); err != nil {
		return nil, db.fail(err)
	}
	if n == 0 {
		return nil, nil
	}
	if n <= rankLimit {
		return db.hits(ctx, s, nil, limit, `SELECT i.key, i.summary
			FROM issue_text t JOIN issues i ON i.id = t.rowid
			WHERE issue_text MATCH ?
			ORDER BY bm25(issue_text, 20.0, 10.0, 3.0, 1.0), i.updated DESC
			LIMIT ?`, expr, limit)
	}
	// Issue ids grow each time an issue changes (see putIssues), so rowid
	// order is the order of change, and FTS5 walks it without sorting.
	hits, err := db.hits(ctx, s, nil, limit, `SELECT i.key, i.summary
		FROM issue_text t JOIN issues i ON i.id = t.rowid
		WHERE issue_text MATCH '{key summary} : (' || ? || ')'
		ORDER BY t.rowid DESC
		LIMIT ?`, expr, limit)
	if err != nil || len(hits) == limit {
		return hits, err
	}
	return db.hits(ctx, s, hits, limit, `SELECT i.key, i.summary
		FROM issue_text t JOIN issues i ON i.id = t.rowid
		WHERE issue_text MATCH ?
		ORDER BY t.rowid DESC
		LIMIT ?`, expr, limit+len(hits))
}

// hits appends to have the rows of query not already in it, until it holds
// limit.
func (db *DB) hits(ctx context.Context, s *sql.DB, have []Hit, limit int, query string, args ...any) ([]Hit, error) {
	seen := make(map[string]bool, len(have))
	for _, h := range have {
		seen[h.Key] = true
	}
	rows, err := s.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, db.fail(err)
	}
	defer rows.Close()
	for rows.Next() && len(have) < limit {
		var h Hit
		if err := rows.Scan(&h.Key, &h.Summary); err != nil {
			return nil, db.fail(err)
		}
		if !seen[h.Key] {
			have = append(have, h)
		}
	}
	return have, db.fail(rows.Err())
}

// MatchExpr turns what the user typed into an FTS5 query: each
// space-separated word becomes a quoted string (a phrase of its tokens, so
// "ABC-12" matches the key ABC-12 and `"` or `*` or `OR` are just text), the
// words are ANDed, and the last is a prefix unless text ends in a space.
// Words with no letter or digit are dropped (they hold no token), as are
// control characters. "" means there is nothing to search for.
func MatchExpr(text string) string {
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, text)
	words := strings.Fields(text)
	last, _ := utf8.DecodeLastRuneInString(text)
	prefix := !unicode.IsSpace(last)
	var b strings.Builder
	for i, w := range words {
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(w, `"`, `""`))
		b.WriteByte('"')
		if i == len(words)-1 && prefix {
			b.WriteByte('*')
		}
	}
	return b.String()
}
