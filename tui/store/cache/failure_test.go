package cache

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rawDB opens the file directly, beside the cache, as another program would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	s, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	s.SetMaxOpenConns(1)
	t.Cleanup(func() { s.Close() })
	return s
}

func execSQL(t *testing.T, s *sql.DB, stmt string) {
	t.Helper()
	if _, err := s.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func TestSchemaChangeRebuilds(t *testing.T) {
	for name, spoil := range map[string]string{
		"older version": `PRAGMA user_version = 0`,
		"newer version": fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion+1),
		"record shape":  `UPDATE meta SET value = 'an older Issue' WHERE name = 'shape'`,
		"no meta":       `DROP TABLE meta`,
		"older tables":  `PRAGMA user_version = 0; DROP TABLE issues; CREATE TABLE issues (x); CREATE VIEW v AS SELECT 1`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db := openTest(t, Options{Dir: dir})
			mustPut(t, db, List, issue("A-1", "one", 0))
			db.Close()
			raw := rawDB(t, filepath.Join(dir, "work.db"))
			execSQL(t, raw, spoil)
			raw.Close()

			db = openTest(t, Options{Dir: dir})
			if _, ok, err := db.Issue(ctx, "A-1"); ok || err != nil {
				t.Fatalf("old data survived a rebuild: ok=%v err=%v", ok, err)
			}
			mustPut(t, db, List, issue("A-2", "two", 0))
			mustGet(t, db, "A-2")
			if hits, err := db.Search(ctx, "two", 0); err != nil || len(hits) != 1 {
				t.Fatalf("search after rebuild: %v %v", hits, err)
			}
		})
	}
}

func TestSameSchemaKeepsData(t *testing.T) {
	dir := t.TempDir()
	db := openTest(t, Options{Dir: dir, Identity: "https://acme.atlassian.net dana@acme.com"})
	mustPut(t, db, List, issue("A-1", "one", 0))
	db.Close()
	db = openTest(t, Options{Dir: dir, Identity: "https://acme.atlassian.net dana@acme.com"})
	mustGet(t, db, "A-1")
	db.Close()
	// No identity given: no check.
	db = openTest(t, Options{Dir: dir})
	mustGet(t, db, "A-1")
}

func TestOtherIdentityRebuilds(t *testing.T) {
	dir := t.TempDir()
	db := openTest(t, Options{Dir: dir, Identity: "https://acme.atlassian.net dana@acme.com"})
	mustPut(t, db, List, issue("A-1", "one", 0))
	db.Close()
	db = openTest(t, Options{Dir: dir, Identity: "https://other.atlassian.net dana@acme.com"})
	if _, ok, _ := db.Issue(ctx, "A-1"); ok {
		t.Fatal("another site's issue shown")
	}
}

func TestRecordShapeCoversNestedFields(t *testing.T) {
	var b strings.Builder
	type inner struct{ A string }
	type outer struct {
		In    *inner
		Many  []inner
		When  time.Time
		By    map[string]inner
		Again *outer
		priv  int
	}
	describe(&b, reflectType[outer](), nil2())
	got := b.String()
	for _, want := range []string{`In "" *{A "" string;}`, `Many "" []`, `When "" time`, `By "" map[string]`, `Again "" *`} {
		if !strings.Contains(got, want) {
			t.Errorf("shape %s lacks %s", got, want)
		}
	}
	if strings.Contains(got, "priv") {
		t.Errorf("unexported field in shape: %s", got)
	}
}

func assertNote(t *testing.T, db *DB, kind Kind) *Error {
	t.Helper()
	var e *Error
	if !errors.As(db.Note(), &e) || e.Kind != kind {
		t.Fatalf("note = %v; want a %v *Error", db.Note(), kind)
	}
	if e.Error() == "" || !strings.Contains(e.Error(), db.path) && e.Path != "" {
		t.Fatalf("note text %q", e.Error())
	}
	return e
}

func TestGarbageFileMovedAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "work.db")
	garbage := bytes.Repeat([]byte("not a database, just bytes\n"), 200)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	db := Open(ctx, Options{Dir: dir, Profile: "work"})
	defer db.Close()
	e := assertNote(t, db, KindCorrupt)
	if db.Bypassed() {
		t.Fatal("bypassed; want a new cache in place of the damaged one")
	}
	if kept, err := os.ReadFile(e.MovedTo); err != nil || !bytes.Equal(kept, garbage) {
		t.Fatalf("damaged file not kept at %q: %v", e.MovedTo, err)
	}
	mustPut(t, db, List, issue("A-1", "one", 0))
	mustGet(t, db, "A-1")
}

func TestShortGarbageFileMovedAside(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "work.db"), []byte("SQLite"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := Open(ctx, Options{Dir: dir, Profile: "work"})
	defer db.Close()
	assertNote(t, db, KindCorrupt)
	mustPut(t, db, List, issue("A-1", "one", 0))
}

func TestTruncatedFileMovedAside(t *testing.T) {
	dir := t.TempDir()
	db := openTest(t, Options{Dir: dir})
	if err := db.PutResult(ctx, Result{JQL: "q", Keys: keysOf(genMany(300, Detail))}, Detail, genMany(300, Detail)); err != nil {
		t.Fatal(err)
	}
	db.Close() // the last connection checkpoints and removes the -wal
	path := filepath.Join(dir, "work.db")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("-wal still there after close: %v", err)
	}
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	db = Open(ctx, Options{Dir: dir, Profile: "work"})
	defer db.Close()
	e := assertNote(t, db, KindCorrupt)
	if kept, err := os.Stat(e.MovedTo); err != nil || kept.Size() != fi.Size()/2 {
		t.Fatalf("truncated file not kept: %v", err)
	}
	if _, ok, _ := db.Result(ctx, "q"); ok {
		t.Fatal("new cache answers from the damaged one")
	}
	mustPut(t, db, List, issue("A-1", "one", 0))
}

// Damage Open cannot see (a page in the middle of the issues table) is met
// by a read: the read reports it once, the cache is bypassed for the rest
// of the session, and the next start begins with a new file.
func TestDamageFoundMidSessionBypasses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "work.db")
	db := openTest(t, Options{Dir: dir})
	is := genMany(300, Detail)
	if err := db.PutResult(ctx, Result{JQL: "q", Keys: keysOf(is)}, Detail, is); err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	if err := db.conn().QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'issues'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := db.conn().QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, int(pageSize)), (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()

	db = openTest(t, Options{Dir: dir}) // Open reads only the header and meta: no note yet
	if _, ok, err := db.Result(ctx, "q"); !ok || err != nil {
		t.Fatalf("undamaged result: ok=%v err=%v", ok, err)
	}
	_, err = db.Issues(ctx, keysOf(is[:50]))
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindCorrupt || e.MovedTo == "" {
		t.Fatalf("reading damaged issues: %v; want a KindCorrupt *Error with the file moved aside", err)
	}
	if !db.Bypassed() || db.Note() != err {
		t.Fatalf("bypassed=%v note=%v", db.Bypassed(), db.Note())
	}
	// Later calls are quiet misses.
	if rs, err := db.Issues(ctx, keysOf(is[:50])); rs != nil || err != nil {
		t.Fatalf("after bypass: %v %v", rs, err)
	}
	if err := db.PutIssues(ctx, List, base, issue("A-1", "one", 0)); err != nil {
		t.Fatalf("write after bypass: %v", err)
	}
	if _, err := os.Stat(e.MovedTo); err != nil {
		t.Fatalf("damaged file not kept: %v", err)
	}
	db.Close()
	db = openTest(t, Options{Dir: dir})
	if _, ok, _ := db.Result(ctx, "q"); ok {
		t.Fatal("next start still reads the damaged file")
	}
}

func TestUnusableFolderBypasses(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := Open(ctx, Options{Dir: notADir, Profile: "work"})
	defer db.Close()
	assertNote(t, db, KindIO)
	if !db.Bypassed() {
		t.Fatal("not bypassed")
	}
	if err := db.PutIssues(ctx, List, base, issue("A-1", "one", 0)); err != nil {
		t.Fatal(err)
	}
}

// A database another process holds exclusively is bypassed at Open after
// the busy timeout, with a note; the timeout is the only wait.
func TestLockedAtOpenBypasses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "work.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	holder := rawDB(t, path)
	execSQL(t, holder, `PRAGMA locking_mode = EXCLUSIVE`)
	execSQL(t, holder, `CREATE TABLE x (a)`) // takes the exclusive lock and keeps it
	db := Open(ctx, Options{Dir: dir, Profile: "work", BusyTimeout: 20 * time.Millisecond})
	defer db.Close()
	assertNote(t, db, KindLocked)
	if !db.Bypassed() {
		t.Fatal("not bypassed")
	}
	if _, ok, err := db.Issue(ctx, "A-1"); ok || err != nil {
		t.Fatalf("read from a bypassed cache: %v %v", ok, err)
	}
}

// A write that waits past the busy timeout is dropped with a KindLocked
// error; the cache stays on and the next write, once the lock is gone,
// lands.
func TestLockedWriteDropped(t *testing.T) {
	dir := t.TempDir()
	db := openTest(t, Options{Dir: dir, BusyTimeout: 20 * time.Millisecond})
	mustPut(t, db, List, issue("A-1", "one", 0))
	holder := rawDB(t, filepath.Join(dir, "work.db"))
	tx, err := holder.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO meta (name, value) VALUES ('holding', 'the write lock')`); err != nil {
		t.Fatal(err)
	}
	err = db.PutIssues(ctx, List, base, issue("A-2", "two", 0))
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindLocked || !e.Dropped || !strings.Contains(e.Error(), "not cached") {
		t.Fatalf("write under another's lock: %v; want KindLocked", err)
	}
	if db.Bypassed() {
		t.Fatal("a lock bypassed the whole cache")
	}
	mustGet(t, db, "A-1") // readers are not blocked by a writer in WAL
	tx.Rollback()
	mustPut(t, db, List, issue("A-2", "two", 0))
	mustGet(t, db, "A-2")
}
