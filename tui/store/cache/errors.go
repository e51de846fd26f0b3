package cache

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Kind says what went wrong with the cache.
type Kind int

const (
	// KindIO: the cache folder or file could not be created or opened
	// (permissions, a full disk, a read-only home). The cache is bypassed.
	KindIO Kind = iota + 1
	// KindCorrupt: the file is not a database or is damaged. It was moved
	// aside (Error.MovedTo) and, when found at Open, a new one started;
	// found in the middle of a session, the cache is bypassed until the next
	// start.
	KindCorrupt
	// KindLocked: another process held the database past the busy timeout.
	// At Open the cache is bypassed for this run; on a write, that write is
	// dropped.
	KindLocked
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindIO:
		return "io"
	case KindCorrupt:
		return "corrupt"
	case KindLocked:
		return "locked"
	}
	return "unknown"
}

// Error is a cache problem. None is fatal: the cache is bypassed or rebuilt
// and the error is kept as a note for the UI (DB.Note).
type Error struct {
	Kind    Kind
	Path    string // the database file
	MovedTo string // KindCorrupt: where the damaged file now is ("" if it could not be moved)
	Err     error  // underlying
	// Dropped: only the operation that met the problem was given up; the
	// cache stays on (a lock held past the busy timeout on a write).
	Dropped bool
}

// Error describes the problem and what the cache did about it.
func (e *Error) Error() string {
	switch e.Kind {
	case KindCorrupt:
		if e.MovedTo != "" {
			return fmt.Sprintf("cache %s was damaged (%v); moved it to %s and started an empty one", e.Path, e.Err, e.MovedTo)
		}
		return fmt.Sprintf("cache %s is damaged (%v); running without the cache", e.Path, e.Err)
	case KindLocked:
		if e.Dropped {
			return fmt.Sprintf("cache %s is busy in another jiffy (%v); this write was not cached", e.Path, e.Err)
		}
		return fmt.Sprintf("cache %s is locked by another jiffy (%v); running without the cache", e.Path, e.Err)
	}
	return fmt.Sprintf("cache %s unavailable (%v); running without the cache", e.Path, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// sqliteCode is the primary SQLite result code of err, 0 when err is not
// from SQLite.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isCorrupt reports whether err says the file is damaged or not a database.
func isCorrupt(err error) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}

// isBusy reports whether err says another connection held a lock past the
// busy timeout.
func isBusy(err error) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}
