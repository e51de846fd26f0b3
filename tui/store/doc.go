// Package store is the one owner of issue data in jiffy's UI: issues by key
// with their freshness, query results, fetches in flight, optimistic writes
// and the requests that failed on an expired login. The root model owns one
// *Store and shares it through common.Common; the list, the detail, the
// preview and the overlays are views over it.
//
// # How it fits Bubble Tea
//
// A Store is touched only on the UI loop: its methods are called from
// Update, and they return tea.Cmds that capture what they need, as every
// command must. A command's answer comes back to the loop as a message of
// this package's (unexported) types; the root hands every message to
// Store.Update first, which applies what the answer means to the store and
// returns the typed messages the views react to:
//
//   - IssueMsg: an issue changed (fetched, read from the cache, patched,
//     confirmed, rolled back), or its fetch failed;
//   - QueryMsg: a query's result (a page from Jira, or the last result read
//     from the cache, with its age);
//   - WriteSettledMsg: an optimistic write was confirmed or rolled back;
//   - LoginNeededMsg: a request met an expired login; it is kept and sent
//     again by Replay once the user has signed in;
//   - NetworkMsg: the store went offline (Jira unreachable) or back online.
//
// Because every request for issue data goes through Do (the one request
// helper: a context with cancellation, an id from one source, one timeout),
// a new kind of request cannot forget to report an expired login.
//
// # Outstanding work
//
// Pending counts the work started and not yet applied: every request, every
// cache read or write and every prefetch debounce. It rises when the command
// is made (on the UI loop) and falls when Update has applied its answer, so
// when it reads zero after an Update every answer has reached the store and
// the views. Tests wait on it (and on what the screen shows) instead of on a
// period of quiet. It is the one field read off the UI loop, hence atomic.
//
// # Freshness
//
// An entry remembers how deep it was fetched (a list row or the detail's
// fields), when, and whether it came from the persistent cache without
// being asked of Jira in this session (Cached). A detail-deep entry fetched
// in this session is fresh until a list row newer by Updated arrives; then
// it drops to the row and the next open fetches it again; a row as new
// confirms it (and confirms a full issue read from the persistent cache, so
// opening it asks Jira nothing). Opening a cached issue draws it at once and
// refreshes it behind unless a row of this session confirmed it. Beside the
// persistent cache only about MaxFull full issues stay in memory; the least
// recently used drop to their rows and come back from the cache.
//
// # Optimistic writes
//
// An entry keeps the issue as Jira last gave it (base) and the patches not
// yet settled, in order; what views see is the base with the patches
// applied. A confirmation drops its patch (and takes Jira's read-back as the
// new base); a rollback drops its patch alone, so a refused write never
// undoes another one that Jira took. An answer fetched while patches are
// pending becomes the base and the patches stay on top until they settle.
package store
