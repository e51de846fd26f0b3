package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Result is a query's ordered answer as last fetched. The profile is the
// database; the JQL is the text the store sent, compared exactly.
type Result struct {
	JQL     string
	Keys    []string  // in Jira's order
	Total   int       // Jira's count of matches; -1 when Jira gave none
	Fetched time.Time // when Jira answered
	// SeenAt is when the user last looked at this result (MarkResultSeen);
	// zero if never.
	SeenAt time.Time
}

// PutResult stores a query's result, replacing the previous one, together
// with its issues (at depth, fetched at r.Fetched; see PutIssues), in one
// transaction: a reader in another process sees the old result or the new
// one with its issues, never keys without issues. What the user last saw of
// the query is kept.
func (db *DB) PutResult(ctx context.Context, r Result, depth Depth, issues []jiraclient.Issue) error {
	s := db.conn()
	if s == nil {
		return nil
	}
	keys, err := json.Marshal(nonNil(r.Keys))
	if err != nil {
		return err
	}
	return db.fail(db.write(ctx, s, func(tx *sql.Tx) error {
		if err := db.putIssues(ctx, tx, depth, r.Fetched, issues); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO results (jql, fetched, total, keys) VALUES (?, ?, ?, ?)
			ON CONFLICT (jql) DO UPDATE SET fetched = excluded.fetched, total = excluded.total, keys = excluded.keys`,
			r.JQL, ms(r.Fetched), r.Total, string(keys))
		return err
	}))
}

// Result returns the cached result of jql; ok is false on a miss. Read the
// issues with Issues(ctx, r.Keys[:n]) for the first n rows.
func (db *DB) Result(ctx context.Context, jql string) (r Result, ok bool, err error) {
	s := db.conn()
	if s == nil {
		return Result{}, false, nil
	}
	var fetched, seenAt int64
	var keys string
	err = s.QueryRowContext(ctx, `SELECT fetched, total, keys, seen_at FROM results WHERE jql = ?`, jql).
		Scan(&fetched, &r.Total, &keys, &seenAt)
	if err == sql.ErrNoRows {
		return Result{}, false, nil
	}
	if err != nil {
		return Result{}, false, db.fail(err)
	}
	if err := json.Unmarshal([]byte(keys), &r.Keys); err != nil {
		return Result{}, false, nil // unreachable for rows this code wrote; a miss
	}
	r.JQL, r.Fetched, r.SeenAt = jql, fromMS(fetched), fromMS(seenAt)
	return r, true, nil
}

// Change is how an issue of a result changed since the user last looked.
type Change int

const (
	Unchanged Change = iota
	// New: in the result, but not when the user last looked at it.
	New
	// Updated: Jira changed the issue after the user last saw it.
	Updated
)

// String names the change.
func (c Change) String() string {
	switch c {
	case New:
		return "new"
	case Updated:
		return "updated"
	}
	return "unchanged"
}

// Changes says which of keys (a fresh result of jql, its issues already
// put) are new or updated since the user last looked; keys unchanged are
// left out of the map. "New" needs an earlier look at the query: the first
// time a query is seen, nothing in it is new. "Updated" compares each
// issue's cached Updated with the one the user last saw (MarkSeen, or the
// first sight in MarkResultSeen). New wins over Updated.
func (db *DB) Changes(ctx context.Context, jql string, keys []string) (map[string]Change, error) {
	s := db.conn()
	if s == nil || len(keys) == 0 {
		return nil, nil
	}
	out := map[string]Change{}
	var seenKeys sql.NullString
	err := s.QueryRowContext(ctx, `SELECT seen_keys FROM results WHERE jql = ?`, jql).Scan(&seenKeys)
	if err != nil && err != sql.ErrNoRows {
		return nil, db.fail(err)
	}
	if seenKeys.Valid {
		var seen []string
		if err := json.Unmarshal([]byte(seenKeys.String), &seen); err == nil {
			was := make(map[string]bool, len(seen))
			for _, k := range seen {
				was[k] = true
			}
			for _, k := range keys {
				if !was[k] {
					out[k] = New
				}
			}
		}
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(ctx, `SELECT key FROM issues
		WHERE key IN (SELECT value FROM json_each(?)) AND seen_updated <> 0 AND updated > seen_updated`, string(list))
	if err != nil {
		return nil, db.fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, db.fail(err)
		}
		if _, isNew := out[k]; !isNew {
			out[k] = Updated
		}
	}
	return out, db.fail(rows.Err())
}

// MarkResultSeen records that the user looked at jql's result and saw
// keys: the next Changes calls issues outside keys new. Each issue seen here
// for the first time takes its current Updated as the one the user saw;
// issues seen before keep theirs (opening an issue, MarkSeen, is what clears
// "updated"). All of them move to the back of the eviction order. A query
// with no stored result is ignored (PutResult first).
func (db *DB) MarkResultSeen(ctx context.Context, jql string, keys []string) error {
	s := db.conn()
	if s == nil {
		return nil
	}
	list, err := json.Marshal(nonNil(keys))
	if err != nil {
		return err
	}
	now := ms(db.now())
	return db.fail(db.write(ctx, s, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE results SET seen_keys = ?, seen_at = ? WHERE jql = ?`,
			string(list), now, jql); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE issues SET
				seen_updated = CASE WHEN seen_updated = 0 THEN updated ELSE seen_updated END,
				seen_at = ?, used = max(used, ?)
			WHERE key IN (SELECT value FROM json_each(?))`, now, now, string(list))
		return err
	}))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
