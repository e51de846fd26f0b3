package cache

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hit is one issue a search found.
type Hit struct {
	Key     string
	Summary string
}

// Search finds cached issues whose key, summary, description or comments
// hold every word of text, best match first (SQLite FTS5's bm25, a match in
// the key or summary counting most), at most limit of them (limit <= 0
// means 50). The last word matches as a prefix unless text ends in a space,
// so results follow the user's typing. text is the user's, taken literally:
// FTS5 query syntax in it (quotes, *, AND, NEAR, column filters) is
// quoted away. Text with no letter or digit finds nothing.
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
	rows, err := s.QueryContext(ctx, `SELECT i.key, i.summary
		FROM issue_text t JOIN issues i ON i.id = t.rowid
		WHERE issue_text MATCH ?
		ORDER BY bm25(issue_text, 20.0, 10.0, 3.0, 1.0), i.updated DESC
		LIMIT ?`, expr, limit)
	if err != nil {
		return nil, db.fail(err)
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.Key, &h.Summary); err != nil {
			return nil, db.fail(err)
		}
		hits = append(hits, h)
	}
	return hits, db.fail(rows.Err())
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
