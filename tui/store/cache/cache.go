package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DefaultMaxBytes is the default size cap: the issue data (serialised
// issues plus the text they index) kept before the least recently seen
// issues are evicted. About 20,000 issues read in full (far more seen only
// in lists); the file is about 1.5 times this (docs/cache.md).
const DefaultMaxBytes = 128 << 20

// DefaultBusyTimeout is how long a statement waits for another process's
// lock before the cache gives up on it.
const DefaultBusyTimeout = 3 * time.Second

// Options configure Open.
type Options struct {
	// Dir is the folder holding the databases; "" means DefaultDir().
	Dir string
	// Profile names the profile; each has its own database.
	Profile string
	// Identity is whom the data belongs to: the site URL and the user. When
	// it differs from the identity the database was built for, the database
	// is emptied, so one profile pointed at another site or account never
	// shows the old one's issues. "" skips the check.
	Identity string
	// MaxBytes caps the issue data kept (see DefaultMaxBytes); 0 means
	// DefaultMaxBytes, a negative value means no cap.
	MaxBytes int64
	// BusyTimeout is how long to wait on another process's lock; 0 means
	// DefaultBusyTimeout.
	BusyTimeout time.Duration
	// Disabled bypasses the cache (--no-cache): nothing is read or written
	// and no file is touched.
	Disabled bool
	// Now is the clock for seen-marks and eviction order; nil means time.Now.
	Now func() time.Time
	// Background opens the file later, in a goroutine: Open returns at
	// once, the opening starts at Begin (or at the first method that
	// needs the file), and every method except Path, Bypassed and Begin
	// waits until it is over (Bypassed reads false until then). A start
	// opens its cache this way, so the first search is neither queued
	// behind SQLite (opening, schema check: 5-50 ms) nor short of a core
	// while it is sent (the store begins the opening once it is). ctx's
	// values are kept, not its end: the opening is bounded by OpenTimeout.
	Background bool
}

// OpenTimeout bounds an opening in the background (Options.Background).
const OpenTimeout = 5 * time.Second

// DefaultDir is the user's cache folder for jiffy: $XDG_CACHE_HOME/jiffy
// on Linux (~/.cache/jiffy), ~/Library/Caches/jiffy on macOS,
// %LocalAppData%\jiffy on Windows.
func DefaultDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "jiffy"), nil
}

// FileName is the database file name of a profile. Characters outside
// [A-Za-z0-9_.-] are %-escaped, so any profile name makes one safe file name.
func FileName(profile string) string {
	if profile == "" {
		profile = "default"
	}
	var b strings.Builder
	for i := 0; i < len(profile); i++ {
		c := profile[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-',
			c == '.' && i > 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String() + ".db"
}

// DB is one profile's cache. Its methods are safe for concurrent use, and
// so is the file: several processes may use the same profile at once.
// A bypassed DB (Options.Disabled, or after a problem) answers every read
// with a miss and drops every write.
type DB struct {
	path     string
	identity string
	maxBytes int64
	busy     time.Duration
	now      func() time.Time

	off atomic.Bool // bypassed

	mu   sync.Mutex
	sql  *sql.DB
	note error

	// ready is closed when an opening in the background is over; nil
	// when Open opened the file itself. begin starts that opening once.
	ready   chan struct{}
	begin   sync.Once
	opening func()
}

// openHook, when set (tests), runs at the start of an opening in the
// background, so a test can hold the opening.
var openHook func()

// Open opens (creating it if needed) the cache of o.Profile. It never
// fails: a damaged file is moved aside and replaced, and a cache that
// cannot be used is bypassed; Note says what happened.
func Open(ctx context.Context, o Options) *DB {
	db := &DB{identity: o.Identity, maxBytes: o.MaxBytes, busy: o.BusyTimeout, now: o.Now}
	if db.maxBytes == 0 {
		db.maxBytes = DefaultMaxBytes
	}
	if db.busy <= 0 {
		db.busy = DefaultBusyTimeout
	}
	if db.now == nil {
		db.now = time.Now
	}
	if o.Disabled {
		db.off.Store(true)
		return db
	}
	dir := o.Dir
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			db.bypass(&Error{Kind: KindIO, Err: err})
			return db
		}
		dir = d
	}
	db.path = filepath.Join(dir, FileName(o.Profile))
	if o.Background {
		db.ready = make(chan struct{})
		ctx = context.WithoutCancel(ctx)
		db.opening = func() {
			defer close(db.ready)
			ctx, cancel := context.WithTimeout(ctx, OpenTimeout)
			defer cancel()
			if openHook != nil {
				openHook()
			}
			db.openFile(ctx)
		}
		return db
	}
	db.openFile(ctx)
	return db
}

// openFile opens db.path: a damaged file is moved aside and replaced, and
// a file that cannot be used bypasses the cache with a note.
func (db *DB) openFile(ctx context.Context) {
	err := db.open(ctx)
	if err == nil {
		return
	}
	if !isCorrupt(err) {
		db.bypass(db.classify(err))
		return
	}
	moved, merr := moveAside(db.path, db.now())
	if merr != nil {
		db.bypass(&Error{Kind: KindCorrupt, Path: db.path, Err: errors.Join(err, merr)})
		return
	}
	if err2 := db.open(ctx); err2 != nil {
		db.bypass(db.classify(err2))
		return
	}
	db.mu.Lock()
	db.note = &Error{Kind: KindCorrupt, Path: db.path, MovedTo: moved, Err: err}
	db.mu.Unlock()
}

// Begin starts an opening in the background (Options.Background) if it
// has not started yet; it does not wait for it. Otherwise it does nothing.
func (db *DB) Begin() {
	if db.ready != nil {
		db.begin.Do(func() { go db.opening() })
	}
}

// wait returns once the file is open (or the opening failed), beginning
// the opening if need be.
func (db *DB) wait() {
	if db.ready != nil {
		db.Begin()
		<-db.ready
	}
}

// Path is the database file ("" when the cache is disabled).
func (db *DB) Path() string { return db.path }

// Bypassed reports whether the cache is off: disabled by option, or after a
// problem Note describes. It does not wait for an opening in the
// background (false until it is over).
func (db *DB) Bypassed() bool { return db.off.Load() }

// Note is the problem the cache met, as an *Error, or nil. It stays set for
// the life of the DB, for the UI to show once.
func (db *DB) Note() error {
	db.wait()
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.note
}

// Close closes the database. The DB is bypassed afterwards.
func (db *DB) Close() error {
	if db.ready != nil {
		// Never begun: nothing to open only to close it.
		db.begin.Do(func() { close(db.ready) })
		<-db.ready
	}
	db.off.Store(true)
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.sql == nil {
		return nil
	}
	err := db.sql.Close()
	db.sql = nil
	return err
}

// open opens the file, checks it and makes sure the schema is current.
func (db *DB) open(ctx context.Context) error {
	if err := os.MkdirAll(filepath.Dir(db.path), 0o700); err != nil {
		return err
	}
	if err := prepareFiles(db.path); err != nil {
		return err
	}
	q := url.Values{}
	q.Set("_busy_timeout", strconv.FormatInt(db.busy.Milliseconds(), 10))
	q.Set("_auto_vacuum", "INCREMENTAL") // only takes on a new file: lets eviction give pages back
	q.Set("_journal_mode", "WAL")
	// WAL + NORMAL: a power cut may lose the last commits, never the
	// file's consistency; a cache can afford that, and commits skip an fsync.
	q.Set("_synchronous", "NORMAL")
	// Writers take the write lock when they begin, so two writers queue on
	// the busy timeout instead of one failing to upgrade its read lock.
	q.Set("_txlock", "immediate")
	p := filepath.ToSlash(db.path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // file:///C:/... on Windows
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	s, err := sql.Open("sqlite", u.String())
	if err != nil {
		return err
	}
	s.SetMaxOpenConns(4)
	s.SetMaxIdleConns(2)
	if err := ensureSchema(ctx, s, db.identity); err != nil {
		s.Close()
		return err
	}
	// SQLite gives the -wal and -shm files the database file's mode, and
	// the database file was made 0600 before SQLite first opened it.
	db.mu.Lock()
	db.sql = s
	db.mu.Unlock()
	return nil
}

// conn returns the pool, or nil when bypassed.
func (db *DB) conn() *sql.DB {
	db.wait()
	if db.off.Load() {
		return nil
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.sql
}

// bypass turns the cache off with note e.
func (db *DB) bypass(e *Error) {
	db.off.Store(true)
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.note == nil {
		db.note = e
	}
	if db.sql != nil {
		db.sql.Close()
		db.sql = nil
	}
}

// classify wraps a failure at open in an *Error.
func (db *DB) classify(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	switch {
	case isCorrupt(err):
		return &Error{Kind: KindCorrupt, Path: db.path, Err: err}
	case isBusy(err):
		return &Error{Kind: KindLocked, Path: db.path, Err: err}
	}
	return &Error{Kind: KindIO, Path: db.path, Err: err}
}

// fail handles an error met by an operation: damage found in the middle of
// a session bypasses the cache and moves the file aside (so the next start
// builds a new one) and is returned once; a lock held past the busy
// timeout drops this operation only. Other errors (a cancelled context)
// are returned as they are.
func (db *DB) fail(err error) error {
	switch {
	case err == nil:
		return nil
	case db.off.Load() && !isCorrupt(err):
		return nil // closed or bypassed under a call in flight: a miss
	case isCorrupt(err):
		if db.off.Swap(true) {
			return nil // already reported
		}
		db.mu.Lock()
		if db.sql != nil {
			db.sql.Close()
			db.sql = nil
		}
		e := &Error{Kind: KindCorrupt, Path: db.path, Err: err}
		if moved, merr := moveAside(db.path, db.now()); merr == nil {
			e.MovedTo = moved
		}
		if db.note == nil {
			db.note = e
		}
		db.mu.Unlock()
		return e
	case isBusy(err):
		return &Error{Kind: KindLocked, Path: db.path, Err: err, Dropped: true}
	}
	return err
}

// sidecars are the files SQLite keeps next to a database.
var sidecars = []string{"-wal", "-shm", "-journal"}

// prepareFiles creates the database file with mode 0600 before SQLite
// opens it, and tightens the mode of existing files, so the database and
// the -wal/-shm files SQLite creates with the database's mode are readable
// by the user alone.
func prepareFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range append([]string{path}, withSidecars(path)...) {
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if fi.Mode().Perm() != 0o600 {
			if err := os.Chmod(p, 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}

func withSidecars(path string) []string {
	out := make([]string, len(sidecars))
	for i, s := range sidecars {
		out[i] = path + s
	}
	return out
}

// moveAside renames a damaged database and its sidecars out of the way
// (to PATH.corrupt-TIME), keeping them for a bug report; Remove deletes
// them with the rest.
func moveAside(path string, now time.Time) (string, error) {
	dst := path + ".corrupt-" + now.UTC().Format("20060102T150405.000000000")
	if err := os.Rename(path, dst); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	for _, s := range sidecars {
		if err := os.Rename(path+s, dst+s); err != nil && !errors.Is(err, os.ErrNotExist) {
			// A sidecar left behind would be read as part of the new
			// database; delete it instead.
			if rerr := os.Remove(path + s); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
				return "", err
			}
		}
	}
	return dst, nil
}

// Remove deletes a profile's cache: the database, its sidecars and any
// damaged copies moved aside (jiffy logout, jiffy cache clear). A missing
// cache is not an error. dir "" means DefaultDir(). A process that has the
// database open keeps its open file until it exits; nothing of it is left
// under the name.
func Remove(dir, profile string) error {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return err
		}
		dir = d
	}
	path := filepath.Join(dir, FileName(profile))
	aside, err := filepath.Glob(globEscape(path) + ".corrupt-*")
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range append(append([]string{path}, withSidecars(path)...), aside...) {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// globEscape escapes the pattern characters of a literal path.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', '\\':
			if filepath.Separator != '\\' || r != '\\' {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ms is a time as Unix milliseconds, the unit of every time column (Jira's
// timestamps have millisecond precision); the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS reads ms back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

func statSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
