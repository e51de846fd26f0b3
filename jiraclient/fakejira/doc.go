// Package fakejira is an in-memory Jira for tests and `jiffy --demo`. It
// speaks both flavours from one seeded data set:
//
//   - Cloud: REST v3, HTTP Basic email:API-token, Atlassian Document Format
//     bodies, users by accountId, enhanced search (/search/jql with
//     nextPageToken/isLast, no total; the old /search answers 410),
//     approximate-count, project/search and label pages, X-RateLimit-*
//     headers on every response.
//   - Data Center: REST v2, Bearer Personal Access Token (or Basic
//     username:password), wiki-markup bodies, users by name/key, offset
//     search with total, plain project list, createmeta pages as
//     values/isLast, X-AUSERNAME on every response, the CAPTCHA lockout
//     (SetCaptcha), rate-limit headers only while RateLimit is set, and an
//     optional context path (Options.ContextPath, e.g. "/jira").
//
// Each flavour answers only its own API version; the other answers 404 like
// a wrong path (real Cloud also serves v2, but a client that picks the wrong
// version should fail loudly here). serverInfo answers on /rest/api/2 for
// both, anonymously.
//
// Options.Demo words the data as a product team's backlog with a showcase
// issue on top (demo.go); that is what `jiffy --demo` serves.
//
// Payload shapes, headers and error bodies are modelled on real captures
// (copied in testdata/, see PROVENANCE.md) and tests compare the fake's JSON
// structure with them. The package deliberately does not import jiraclient:
// it models Jira from those captures on its own so it cannot share the
// client's misunderstandings.
//
// Modelled: serverInfo, myself, search (both kinds) with a real JQL
// subset parser (fields project, assignee, reporter, creator, status,
// statusCategory, resolution, type, priority, labels, key, parent, "Epic
// Link", component, fixVersion, sprint, text/summary/description/comment ~,
// created/updated/resolved/duedate with dates and periods; AND/OR/NOT,
// parentheses, IN lists, IS EMPTY, currentUser(), openSprints(), ORDER BY),
// issue read with fields/expand=names,transitions, comments, transitions
// with a Done screen that requires a resolution, edit (fields and update
// set/add/remove), assignee, assignable users, user lookup, editmeta, createmeta,
// create, projects, favourite filters, priorities, labels and JQL value
// suggestions, the field list, and the Agile API (agile.go: boards of each
// type, configuration, board/backlog/sprint pages, sprints, rank, move to a
// sprint or the backlog, epics through Cloud's parent or DC's Epic Link),
// custom fields of every type in /field, editmeta, createmeta, issues and
// edits (fields.go; SetRequiredOnCreate makes one required), watchers,
// worklogs and time tracking, link types and links, and attachments
// (activity.go: multipart upload behind the XSRF check with a size limit
// and 413, Cloud's 303 to a media host that refuses a Jira credential,
// DC's /secure/attachment servlet). Faults: latency, 429/503 with Retry-After, dropped
// connections, proxy HTML pages, per-endpoint token-bucket rate limits, a
// deterministic fault script, expired and rotated tokens (also a token
// that expires after n more requests, ExpireTokenAfter), bulkfetch's
// per-issue issueErrors (Faults.BulkIssueErrors), and issues leaving the
// result mid-run (gone.go: DeleteIssue, HideIssue). Quirks turn on
// answer shapes live sites send (transitions without "to", unavailable
// transitions, an empty link end). Every request is
// recorded without its Authorization value.
//
// Hostile (hostile.go) wraps a Server with what a misbehaving Jira or proxy
// sends: EscapePayload in every text field, keys that are not keys, paging
// that never ends, cut or oversized bodies, gzip bombs, redirects away or
// in a loop and raw control characters in a header.
//
// Not modelled: permissions and issue security (Ada sees everything but
// what HideIssue takes out of her sight),
// changelog, votes beyond counts, worklog edit/delete, attachment
// thumbnails, renderedFields, Cloud's points-based quotas, per-issue
// count limits (413 is only the attachment size limit),
// conflicting updates (409), OAuth, JSESSIONID cookies, and Cloud's
// eventual consistency (writes are visible to the next search at once).
// Wording taken from captures or Atlassian's docs: the 401/403/404/410/429
// bodies and headers, "Expecting operator but got ...", "Field 'x' does not
// exist ...", "The value 'X' does not exist for the field 'project'.",
// "Field 'x' cannot be set. It is not on the appropriate screen, or
// unknown.", "You must specify a summary of the issue.", "one of 'fields' or
// 'update' required". The fake's own wording, in Jira's style but not seen
// in a capture: the other JQL syntax errors, the unbounded-query and
// page-token errors, the 503 body, transition and assignee errors, the
// "cannot be set in both fields and update" error and the createmeta and
// assignable-user errors, bulkfetch's 400s and its issueErrors'
// errorMessage (the spec gives the shape, {id, errorMessage}, not a
// text). The default /search/jql issue is {"id": ...} only,
// as the spec says ("returns IDs only"); no live capture was available.
package fakejira
