// Package cache is jiffy's persistent issue cache: one embedded SQLite
// database per profile (modernc.org/sqlite, pure Go) under the user's cache
// folder, holding issues as the store knows them, each query's ordered
// result with the time it was fetched, and what the user last saw, with a
// full-text index over every cached issue.
//
// It is the storage under the issue store (tui/store); it imports no Bubble
// Tea, Lip Gloss or view package, and it makes no policy: the store decides
// when to read, write, refresh and mark as seen. docs/cache.md is the design
// note (schema, versioning, concurrency, eviction, what is never stored).
//
// # The record is jiraclient.Issue
//
// The cache stores jiraclient.Issue itself, serialised as JSON, rather than
// a record of its own. The store, the list and the detail all speak
// jiraclient.Issue; a second record would mean a conversion both ways and a
// second place to add every new field, where forgetting one silently drops
// it from cached screens. The risk of storing another package's type is that
// it changes shape under a database written by an older jiffy; the cache
// guards against that by fingerprinting the type (field names and types,
// recursively) and rebuilding the database when the fingerprint differs,
// exactly as it does for a new schema version. Transitions are not kept:
// they are Jira's answer about what this user may do to the issue now, and a
// cached one would offer moves Jira refuses.
//
// # What is never stored
//
// The API takes issue data, JQL text and seen-marks only: there is no way
// to hand it a token, a credential, a header or a draft, and none of them is
// a field of jiraclient.Issue. Drafts live in config's state files.
//
// # Failure is never fatal
//
// Open always returns a usable *DB. A damaged file is moved aside and a new
// one started; a database locked past the busy timeout, or one that cannot
// be created, is bypassed: every read is a miss and every write is dropped.
// Either way DB.Note returns an *Error the UI can show. Damage found later,
// in the middle of a session, is handled the same way.
package cache
