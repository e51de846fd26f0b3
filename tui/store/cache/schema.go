package cache

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient"
	sqlite3 "modernc.org/sqlite/lib"
)

// schemaVersion is bumped whenever the tables below change meaning. A
// database of any other version, older or newer, is emptied and rebuilt:
// it is a cache, so nothing is migrated.
const schemaVersion = 2

// schema builds an empty database. Times are Unix milliseconds, 0 = never.
var schema = []string{
	// shape: fingerprint of the serialised record; identity: whom the data
	// belongs to (Options.Identity).
	`CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
	// One row per issue. used = when last written or seen, whichever is
	// later: the eviction order. size counts the JSON and the indexed text,
	// for the cap. seen_updated is the issue's "updated" when the user last
	// saw it. The issue is split in two JSON objects: head (what a list row
	// needs, small) and rest (description, comments, links...), so a list
	// reads and decodes a fraction of the bytes. The small columns come
	// first so the eviction scan and seen checks never read overflow pages.
	`CREATE TABLE issues (
		id           INTEGER PRIMARY KEY,
		key          TEXT NOT NULL UNIQUE,
		used         INTEGER NOT NULL,
		size         INTEGER NOT NULL,
		updated      INTEGER NOT NULL,
		fetched      INTEGER NOT NULL,
		detail       INTEGER NOT NULL,
		seen_updated INTEGER NOT NULL DEFAULT 0,
		seen_at      INTEGER NOT NULL DEFAULT 0,
		summary      TEXT NOT NULL,
		head         BLOB NOT NULL,
		rest         BLOB NOT NULL
	)`,
	`CREATE INDEX issues_used ON issues (used, size)`,
	// One row per query: its keys in Jira's order (a JSON array, read in one
	// go), and the keys the user last saw in it (NULL = never looked).
	`CREATE TABLE results (
		jql       TEXT PRIMARY KEY,
		fetched   INTEGER NOT NULL,
		total     INTEGER NOT NULL,
		keys      TEXT NOT NULL,
		seen_at   INTEGER NOT NULL DEFAULT 0,
		seen_keys TEXT
	)`,
	// The full-text index, rowid = issues.id. Contentless: the text is
	// already in issues.head and issues.rest, so it is not stored twice.
	`CREATE VIRTUAL TABLE issue_text USING fts5 (
		key, summary, description, comments,
		content = '', contentless_delete = 1,
		tokenize = 'unicode61 remove_diacritics 2',
		prefix = '1 2 3'
	)`,
}

// ensureSchema makes the database current: when its version, record shape
// or identity differ from this jiffy's, every table is dropped and the
// schema built again, inside one write transaction so two processes
// starting at once do it once.
func ensureSchema(ctx context.Context, s *sql.DB, identity string) error {
	ok, err := schemaCurrent(ctx, s, identity)
	if err != nil || ok {
		return err
	}
	tx, err := s.BeginTx(ctx, nil) // BEGIN IMMEDIATE (_txlock)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if ok, err := schemaCurrent(ctx, tx, identity); err != nil || ok {
		return err // another process built it while this one waited
	}
	if err := dropAll(ctx, tx); err != nil {
		return err
	}
	for _, stmt := range schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("building the cache schema: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES ('shape', ?), ('identity', ?)`,
		recordShape(), identity); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// schemaCurrent reports whether the database was built by this schema
// version, for this record shape and identity.
func schemaCurrent(ctx context.Context, q querier, identity string) (bool, error) {
	var v int
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return false, err
	}
	if v != schemaVersion {
		return false, nil
	}
	var shape, ident sql.NullString
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT value FROM meta WHERE name = 'shape'),
		(SELECT value FROM meta WHERE name = 'identity')`).Scan(&shape, &ident)
	if sqliteCode(err) == sqlite3.SQLITE_ERROR {
		return false, nil // no meta table: not a database this code built
	}
	if err != nil {
		return false, err
	}
	return shape.String == recordShape() && (identity == "" || identity == ident.String), nil
}

// dropAll drops every table, virtual tables first (dropping one drops its
// shadow tables, which cannot be dropped on their own), then views.
func dropAll(ctx context.Context, tx *sql.Tx) error {
	for _, kind := range []string{"virtual", "table", "view"} {
		cond := `type = 'table' AND sql LIKE 'CREATE VIRTUAL%'`
		switch kind {
		case "table":
			cond = `type = 'table'`
		case "view":
			cond = `type = 'view'`
		}
		rows, err := tx.QueryContext(ctx, `SELECT name, type FROM sqlite_schema WHERE `+cond+` AND name NOT LIKE 'sqlite_%'`)
		if err != nil {
			return err
		}
		var names, types []string
		for rows.Next() {
			var n, t string
			if err := rows.Scan(&n, &t); err != nil {
				rows.Close()
				return err
			}
			names, types = append(names, n), append(types, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, n := range names {
			stmt := `DROP TABLE IF EXISTS "` + strings.ReplaceAll(n, `"`, `""`) + `"`
			if types[i] == "view" {
				stmt = `DROP VIEW IF EXISTS "` + strings.ReplaceAll(n, `"`, `""`) + `"`
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("emptying the old cache: %w", err)
			}
		}
	}
	return nil
}

var (
	shapeOnce sync.Once
	shape     string
)

// recordShape fingerprints the serialised record, jiraclient.Issue: its
// field names, JSON tags and types, recursively. A jiffy whose Issue has
// another shape rebuilds the cache instead of reading records that would
// decode wrong.
func recordShape() string {
	shapeOnce.Do(func() {
		var b strings.Builder
		describe(&b, reflect.TypeFor[jiraclient.Issue](), map[reflect.Type]bool{})
		sum := sha256.Sum256([]byte(b.String()))
		shape = hex.EncodeToString(sum[:12])
	})
	return shape
}

func describe(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	if t == reflect.TypeFor[time.Time]() {
		b.WriteString("time")
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		b.WriteString("*")
		describe(b, t.Elem(), seen)
	case reflect.Slice:
		b.WriteString("[]")
		describe(b, t.Elem(), seen)
	case reflect.Map:
		b.WriteString("map[")
		describe(b, t.Key(), seen)
		b.WriteString("]")
		describe(b, t.Elem(), seen)
	case reflect.Struct:
		if seen[t] {
			b.WriteString(t.String())
			return
		}
		seen[t] = true
		b.WriteString("{")
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fmt.Fprintf(b, "%s %q ", f.Name, f.Tag.Get("json"))
			describe(b, f.Type, seen)
			b.WriteString(";")
		}
		b.WriteString("}")
	default:
		b.WriteString(t.Kind().String())
	}
}
