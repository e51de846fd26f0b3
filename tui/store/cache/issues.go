package cache

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

// Depth says which fields an issue was fetched with.
type Depth int

const (
	// List: the list's fields (jiraclient.ListFields), as a search returns them.
	List Depth = iota
	// Detail: the detail's fields too (description, comments, links...).
	Detail
)

// Record is a cached issue.
type Record struct {
	Issue   jiraclient.Issue
	Depth   Depth
	Fetched time.Time // when it was fetched from Jira
	// SeenUpdated is the issue's Updated when the user last saw it (opened
	// it, or first saw it in a list); zero if never.
	SeenUpdated time.Time
}

// UpdatedSinceSeen reports whether Jira changed the issue after the user
// last saw it. An issue never seen is not "updated" (it may be new; see
// DB.Changes).
func (r Record) UpdatedSinceSeen() bool {
	return !r.SeenUpdated.IsZero() && ms(r.Issue.Updated) > ms(r.SeenUpdated)
}

// PutIssues stores issues as fetched from Jira at time fetched, and indexes
// their text. The cache never goes backwards: an issue older (by Updated)
// than the cached one is ignored, and at the same Updated a List-depth issue
// does not replace a Detail one (it only refreshes its fetch time). An issue
// with no key is ignored. When the cache is over its size cap, the least
// recently seen issues are evicted in the same transaction.
func (db *DB) PutIssues(ctx context.Context, depth Depth, fetched time.Time, issues ...jiraclient.Issue) error {
	s := db.conn()
	if s == nil || len(issues) == 0 {
		return nil
	}
	return db.fail(db.write(ctx, s, func(tx *sql.Tx) error {
		return db.putIssues(ctx, tx, depth, fetched, issues)
	}))
}

// write runs fn in a write transaction (BEGIN IMMEDIATE), then applies the
// size cap.
func (db *DB) write(ctx context.Context, s *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := s.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := db.evict(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (db *DB) putIssues(ctx context.Context, tx *sql.Tx, depth Depth, fetched time.Time, issues []jiraclient.Issue) error {
	// A G over 10,000 issues writes 10,000 rows in chunks, while the load
	// goes on: what a row costs here is garbage the load's peak carries.
	// So a batch asks for the stored versions in one statement, writes each
	// row with a statement prepared once per batch, run by Exec (a query
	// costs database/sql a Rows, a context watcher and a dependency map),
	// encodes into buffers reused from row to row, and gives the index its
	// rows as one JSON text. Per list row this took 4.8 KB of Go heap in 80
	// allocations, one statement to look and one to write each;
	// TestPutListRowAllocs holds the figure now.
	now := ms(db.now())
	// An issue can come twice in one batch (in two pages of a search whose
	// order moved under it): the newest, or else the last, is written.
	winner := make(map[string]int, len(issues))
	for i, iss := range issues {
		if iss.Key == "" {
			continue
		}
		if j, ok := winner[iss.Key]; !ok || !iss.Updated.Before(issues[j].Updated) {
			winner[iss.Key] = i
		}
	}
	if len(winner) == 0 {
		return nil
	}
	w := writers.Get().(*writer)
	defer w.done()
	stored, err := w.stored(ctx, tx, issues, winner)
	if err != nil {
		return err
	}
	var (
		ins, same, upd, renumber, touch lazyStmt
		unindex                         []int64
		indexed                         int
	)
	defer func() {
		ins.close()
		same.close()
		upd.close()
		renumber.close()
		touch.close()
	}()
	for i := range issues {
		iss := &issues[i]
		if iss.Key == "" || winner[iss.Key] != i {
			continue
		}
		old, exists := stored[iss.Key]
		updated := ms(iss.Updated)
		if exists {
			if updated < old.updated {
				continue // an older answer arriving late
			}
			if updated == old.updated && depth < old.depth {
				s, err := touch.get(ctx, tx, `UPDATE issues SET fetched = max(fetched, ?), used = max(used, ?) WHERE id = ?`)
				if err == nil {
					_, err = s.ExecContext(ctx, ms(fetched), now, old.id)
				}
				if err != nil {
					return err
				}
				continue
			}
		}
		head, rest, err := w.encode(iss)
		if err != nil {
			return err
		}
		comments := commentText(iss.Comments)
		size := int64(len(head) + len(rest) + len(iss.Summary) + len(iss.Description) + len(comments))
		id := old.id
		switch {
		case !exists:
			id = w.nextID()
			s, err := ins.get(ctx, tx, `INSERT INTO issues (id, key, used, size, updated, fetched, detail, summary, head, rest)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err == nil {
				_, err = s.ExecContext(ctx, id, iss.Key, now, size, updated, ms(fetched), int64(depth), iss.Summary, head, rest)
			}
			if err != nil {
				return err
			}
		case updated == old.updated:
			// The same version again: the row keeps its id. When it is
			// the same text too (a G over a query cached before), only the
			// times move: rewriting its index would cost a delete and an
			// insert in FTS5 for nothing (most of the time of such a write).
			s, err := same.get(ctx, tx, `UPDATE issues SET used = max(used, ?), fetched = ?
				WHERE id = ? AND detail = ? AND head = ? AND rest = ?`)
			var res sql.Result
			if err == nil {
				res, err = s.ExecContext(ctx, now, ms(fetched), id, int64(depth), head, rest)
			}
			var n int64
			if err == nil {
				n, err = res.RowsAffected()
			}
			if err != nil {
				return err
			}
			if n == 1 {
				continue
			}
			unindex = append(unindex, id)
			s, err = upd.get(ctx, tx, `UPDATE issues SET
				used = max(used, ?), size = ?, fetched = ?, detail = ?, summary = ?, head = ?, rest = ?
				WHERE id = ?`)
			if err == nil {
				_, err = s.ExecContext(ctx, now, size, ms(fetched), int64(depth), iss.Summary, head, rest, id)
			}
			if err != nil {
				return err
			}
		default:
			// An issue that changed takes a new id, the highest: rowid
			// order is then the order of change, which Search lists broad
			// matches in for free.
			unindex = append(unindex, id)
			id = w.nextID()
			s, err := renumber.get(ctx, tx, `UPDATE issues SET
				id = ?, used = max(used, ?), size = ?, updated = ?, fetched = ?, detail = ?, summary = ?, head = ?, rest = ?
				WHERE id = ?`)
			if err == nil {
				_, err = s.ExecContext(ctx, id, now, size, updated, ms(fetched), int64(depth), iss.Summary, head, rest, old.id)
			}
			if err != nil {
				return err
			}
		}
		if err := w.index(id, iss, comments); err != nil {
			return err
		}
		indexed++
	}
	// The index is written last, in two statements: FTS5 flushes what it
	// holds in memory at every statement that writes, so one statement per
	// issue would write the index a row at a time and spend its time merging
	// (it did: 85% of the time of a 100-issue write).
	if len(unindex) > 0 {
		list, _ := json.Marshal(unindex)
		if _, err := tx.ExecContext(ctx, `DELETE FROM issue_text WHERE rowid IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
			return err
		}
	}
	if indexed > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO issue_text (rowid, key, summary, description, comments)
			SELECT value ->> 'i', value ->> 'k', value ->> 's', value ->> 'd', value ->> 'c' FROM json_each(?)`, w.indexText()); err != nil {
			return err
		}
	}
	return nil
}

// lazyStmt is a statement prepared in a transaction on its first use: a
// batch of new issues never prepares the updates.
type lazyStmt struct{ s *sql.Stmt }

func (l *lazyStmt) get(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if l.s != nil {
		return l.s, nil
	}
	s, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	l.s = s
	return s, nil
}

func (l *lazyStmt) close() {
	if l.s != nil {
		l.s.Close()
	}
}

// version is what a write needs to know of a stored issue.
type version struct {
	id, updated int64
	depth       Depth
}

// writer is what one batch of putIssues reuses from issue to issue: an
// encoder writing into one buffer for the issues' JSON and another for
// the index's rows, and the values they encode from.
type writer struct {
	buf, text bytes.Buffer
	enc, tenc *json.Encoder
	maxID     int64 // the highest id in the table, as this batch leaves it
	iss       jiraclient.Issue
	rest      rest
	row       textRow
}

// textRow is an issue's row of the full-text index, as putIssues hands it
// to SQLite (an object per issue in one JSON array).
type textRow struct {
	ID          int64  `json:"i"`
	Key         string `json:"k"`
	Summary     string `json:"s"`
	Description string `json:"d"`
	Comments    string `json:"c"`
}

// writers keeps writers, their buffers grown, from batch to batch.
var writers = sync.Pool{New: func() any {
	w := &writer{}
	w.enc, w.tenc = json.NewEncoder(&w.buf), json.NewEncoder(&w.text)
	w.text.WriteByte('[')
	return w
}}

// done gives the writer back to writers. A buffer grown past maxKept (a
// batch of detail issues with long comments) is let go rather than kept.
func (w *writer) done() {
	const maxKept = 256 << 10
	if w.buf.Cap() > maxKept || w.text.Cap() > maxKept {
		return
	}
	w.buf.Reset()
	w.text.Reset()
	w.text.WriteByte('[')
	w.iss, w.row = jiraclient.Issue{}, textRow{}
	writers.Put(w)
}

// stored reads the stored version of each issue of the batch (winner's
// keys) in one statement, and the highest id.
func (w *writer) stored(ctx context.Context, tx *sql.Tx, issues []jiraclient.Issue, winner map[string]int) (map[string]version, error) {
	keys := make([]string, 0, len(winner))
	for i := range issues {
		if k := issues[i].Key; k != "" && winner[k] == i {
			keys = append(keys, k)
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM issues`).Scan(&w.maxID); err != nil {
		return nil, err
	}
	w.buf.Reset()
	if err := w.enc.Encode(keys); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT key, id, updated, detail FROM issues
		WHERE key IN (SELECT value FROM json_each(?))`, w.buf.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]version{}
	for rows.Next() {
		var (
			k string
			v version
		)
		if err := rows.Scan(&k, &v.id, &v.updated, &v.depth); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// nextID is the id of an issue written next: the highest, as SQLite gives
// a new row (max(rowid) + 1), so that ids follow the order of writing (see
// Search) whether a row is new or renumbered.
func (w *writer) nextID() int64 {
	w.maxID++
	return w.maxID
}

// encode splits an issue into its head and rest, as JSON (what
// json.Marshal writes of the issue less its heavy fields, and of rest),
// into the writer's buffer: head and rest are valid until the next call
// (SQLite copies what it is bound). Transitions are dropped: they are what
// the user may do now, never cached.
func (w *writer) encode(iss *jiraclient.Issue) (head, restJSON []byte, err error) {
	w.buf.Reset()
	w.iss = *iss
	w.iss.Description, w.iss.Comments, w.iss.Links, w.iss.Subtasks, w.iss.Attachments, w.iss.Names = "", nil, nil, nil, nil, nil
	w.iss.Transitions = nil
	if err := w.enc.Encode(&w.iss); err != nil {
		return nil, nil, err
	}
	n := w.buf.Len() - 1 // Encode ends each value with a newline
	if iss.Description == "" && len(iss.Comments) == 0 && len(iss.Links) == 0 && len(iss.Subtasks) == 0 &&
		len(iss.Attachments) == 0 && len(iss.Names) == 0 {
		// A list row: every field of rest is empty, and omitted.
		return w.buf.Bytes()[:n], emptyRest, nil
	}
	w.rest = rest{iss.Description, iss.Comments, iss.Links, iss.Subtasks, iss.Attachments, iss.Names}
	err = w.enc.Encode(&w.rest)
	w.rest = rest{}
	if err != nil {
		return nil, nil, err
	}
	b := w.buf.Bytes()
	return b[:n], b[n+1 : len(b)-1], nil
}

// emptyRest is rest's JSON when it holds nothing.
var emptyRest = []byte("{}")

// index adds the issue's row of the full-text index.
func (w *writer) index(id int64, iss *jiraclient.Issue, comments string) error {
	if w.text.Len() > 1 {
		w.text.WriteByte(',')
	}
	w.row = textRow{id, iss.Key, iss.Summary, iss.Description, comments}
	return w.tenc.Encode(&w.row)
}

// indexText is the index's rows as one JSON array.
func (w *writer) indexText() string {
	w.text.WriteByte(']')
	return w.text.String()
}

// commentText is the comments' bodies as one text to index.
func commentText(cs []jiraclient.Comment) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(c.Body)
	}
	return b.String()
}

// evict applies the size cap: when the issue data is over MaxBytes, the
// least recently seen (or written) issues go until it is under nine tenths
// of it, so a cache at its cap does not evict on every write.
func (db *DB) evict(ctx context.Context, tx *sql.Tx) error {
	if db.maxBytes < 0 {
		return nil
	}
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(size), 0) FROM issues`).Scan(&total); err != nil {
		return err
	}
	if total <= db.maxBytes {
		return nil
	}
	target := db.maxBytes - db.maxBytes/10
	rows, err := tx.QueryContext(ctx, `SELECT id, size FROM issues ORDER BY used, id`)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() && total > target {
		var id, size int64
		if err := rows.Scan(&id, &size); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
		total -= size
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	list, _ := json.Marshal(ids)
	if _, err := tx.ExecContext(ctx, `DELETE FROM issue_text WHERE rowid IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM issues WHERE id IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
		return err
	}
	// Give the freed pages back to the file system (auto_vacuum is
	// INCREMENTAL on files this code created; elsewhere a no-op).
	_, err = tx.ExecContext(ctx, `PRAGMA incremental_vacuum`)
	return err
}

// Issue returns the cached issue with this key; ok is false on a miss.
func (db *DB) Issue(ctx context.Context, key string) (r Record, ok bool, err error) {
	rs, err := db.Issues(ctx, []string{key})
	if err != nil || len(rs) == 0 {
		return Record{}, false, err
	}
	return rs[0], true, nil
}

// Issues returns the cached issues with these keys, in the order given;
// keys not cached are left out.
func (db *DB) Issues(ctx context.Context, keys []string) ([]Record, error) {
	return db.read(ctx, keys, true)
}

// Rows is Issues for a list: each Issue holds every field but the heavy
// ones (Description, Comments, Links, Subtasks, Attachments, Names), read
// and decoded in a fraction of the time. Depth still says what the cache
// holds; Issues reads it all.
func (db *DB) Rows(ctx context.Context, keys []string) ([]Record, error) {
	return db.read(ctx, keys, false)
}

func (db *DB) read(ctx context.Context, keys []string, full bool) ([]Record, error) {
	s := db.conn()
	if s == nil || len(keys) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	rest := "NULL"
	if full {
		rest = "rest"
	}
	rows, err := s.QueryContext(ctx, `SELECT key, detail, fetched, seen_updated, head, `+rest+` FROM issues
		WHERE key IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, db.fail(err)
	}
	defer rows.Close()
	byKey := make(map[string]Record, len(keys))
	for rows.Next() {
		var (
			key            string
			r              Record
			fetched, seenU int64
			head, rest     []byte
		)
		if err := rows.Scan(&key, &r.Depth, &fetched, &seenU, &head, &rest); err != nil {
			return nil, db.fail(err)
		}
		if err := decode(head, rest, &r.Issue); err != nil {
			continue // the shape check makes this unreachable; a bad row is a miss
		}
		r.Fetched, r.SeenUpdated = fromMS(fetched), fromMS(seenU)
		byKey[key] = r
	}
	if err := rows.Err(); err != nil {
		return nil, db.fail(err)
	}
	out := make([]Record, 0, len(byKey))
	for _, k := range keys {
		if r, ok := byKey[k]; ok {
			out = append(out, r)
			delete(byKey, k) // a key given twice comes back once
		}
	}
	return out, nil
}

// rest is the heavy part of an issue, kept apart from the head a list needs.
type rest struct {
	Description string                  `json:",omitempty"`
	Comments    []jiraclient.Comment    `json:",omitempty"`
	Links       []jiraclient.IssueLink  `json:",omitempty"`
	Subtasks    []jiraclient.IssueRef   `json:",omitempty"`
	Attachments []jiraclient.Attachment `json:",omitempty"`
	Names       map[string]string       `json:",omitempty"`
}

// decode reads writer.encode's output back; restJSON nil leaves the heavy
// fields empty.
func decode(head, restJSON []byte, iss *jiraclient.Issue) error {
	if err := json.Unmarshal(head, iss); err != nil {
		return err
	}
	if restJSON == nil {
		return nil
	}
	var r rest
	if err := json.Unmarshal(restJSON, &r); err != nil {
		return err
	}
	iss.Description, iss.Comments, iss.Links, iss.Subtasks, iss.Attachments, iss.Names =
		r.Description, r.Comments, r.Links, r.Subtasks, r.Attachments, r.Names
	return nil
}

// Updated returns the cached Updated of each of keys that is cached, and
// the depth it is cached at, reading no issue body: what a refresh compares
// with Jira's keys-and-updated answer to fetch in full only what changed.
func (db *DB) Updated(ctx context.Context, keys []string) (map[string]Version, error) {
	s := db.conn()
	if s == nil || len(keys) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(ctx, `SELECT key, updated, detail FROM issues
		WHERE key IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, db.fail(err)
	}
	defer rows.Close()
	out := make(map[string]Version, len(keys))
	for rows.Next() {
		var (
			k string
			u int64
			v Version
		)
		if err := rows.Scan(&k, &u, &v.Depth); err != nil {
			return nil, db.fail(err)
		}
		v.Updated = fromMS(u)
		out[k] = v
	}
	return out, db.fail(rows.Err())
}

// Version is what Updated says of a cached issue.
type Version struct {
	Updated time.Time
	Depth   Depth
}

// MarkSeen records that the user saw the issue (opened it) as of its
// updated value: it is no longer "updated since you last looked", and it
// moves to the back of the eviction order. A key not cached is ignored.
func (db *DB) MarkSeen(ctx context.Context, key string, updated time.Time) error {
	s := db.conn()
	if s == nil {
		return nil
	}
	now := ms(db.now())
	_, err := s.ExecContext(ctx, `UPDATE issues SET seen_updated = ?, seen_at = ?, used = max(used, ?) WHERE key = ?`,
		ms(updated), now, now, key)
	return db.fail(err)
}

// Stats is what the cache holds.
type Stats struct {
	Issues    int
	Results   int
	DataBytes int64 // the issue data the size cap counts
	FileBytes int64 // the database file and its write-ahead log on disk
}

// Stats counts what the cache holds.
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	s := db.conn()
	if s == nil {
		return st, nil
	}
	err := s.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM issues), (SELECT count(*) FROM results),
		(SELECT coalesce(sum(size), 0) FROM issues)`).Scan(&st.Issues, &st.Results, &st.DataBytes)
	if err != nil {
		return st, db.fail(err)
	}
	for _, p := range []string{db.path, db.path + "-wal"} {
		if fi, err := statSize(p); err == nil {
			st.FileBytes += fi
		}
	}
	return st, nil
}
