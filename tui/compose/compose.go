// Package compose is jiffy's writing: the comment editor, the field editor
// and the create-issue form, each an overlay (common.Overlay) the root opens
// over the list or the detail.
//
// Design note: no lost work. Every text the user types lives in the
// overlay until Jira confirms it. Each change is put into the draft store
// at once (memory) and written to disk after a short pause (a debounce
// Cmd), so a killed terminal loses at most the last moment of typing; a
// failed send, esc and SaveDraft (the root calls it on quit) write it
// straight away. The next open of the same action for the same issue (or
// project) restores it and says so. A draft is deleted only when Jira has
// accepted the text.
//
// A send reads c.Client when its Cmd is built, never at construction: after
// an expired token the root signs in again and swaps the client in Common,
// and the editor, still open with the text and the error, sends again with
// the new one.
//
// Every slow thing runs in a tea.Cmd that captures what it needs and
// answers with a message carrying a request id from one counter for the
// whole package; an answer whose id is no longer awaited is dropped.
package compose

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// DraftStore keeps unsent text; *config.Drafts satisfies it.
type DraftStore interface {
	Get(key string) (config.Draft, bool)
	Put(config.Draft)
	Delete(key string)
	Save() error
}

// Deps are what the editors need besides Common.
type Deps struct {
	// Drafts keeps unsent text across failures and restarts; nil keeps
	// drafts in memory only (for this overlay's life).
	Drafts DraftStore
	// Editor is the $VISUAL / $EDITOR command line; "" looks them up when
	// ctrl+e is pressed.
	Editor string
	// Now stamps drafts; nil is time.Now.
	Now func() time.Time
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// Drafter is implemented by every overlay of this package: SaveDraft puts
// the current text into the draft store and writes it to disk now. The
// root calls it (through SaveDraft) before quitting with an overlay open.
type Drafter interface {
	SaveDraft() error
}

// SaveDraft writes the draft of o if o is one of this package's editors;
// other overlays are left alone and nil is returned.
func SaveDraft(o common.Overlay) error {
	if d, ok := o.(Drafter); ok {
		return d.SaveDraft()
	}
	return nil
}

// Draft keys, one per action and issue (or project).
func commentKey(issue string) string     { return "comment:" + issue }
func descriptionKey(issue string) string { return "description:" + issue }
func createKey(project string) string    { return "create:" + project }

// memDrafts is the store used when Deps.Drafts is nil.
type memDrafts struct {
	mu sync.Mutex
	m  map[string]config.Draft
}

func (s *memDrafts) Get(k string) (config.Draft, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.m[k]
	return d, ok
}

func (s *memDrafts) Put(d config.Draft) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]config.Draft{}
	}
	s.m[d.Key] = d
}

func (s *memDrafts) Delete(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, k)
}

func (s *memDrafts) Save() error { return nil }

// MemoryDrafts is a draft store kept in memory only (the demo's, one per
// demo profile): it outlives the editors, not the program.
func MemoryDrafts() DraftStore { return &memDrafts{} }

func (d Deps) store() DraftStore {
	if d.Drafts == nil {
		return &memDrafts{}
	}
	return d.Drafts
}

// nextID is the one id source (store.NextID): request ids and
// optimistic-update tokens, so an answer meant for a closed overlay never
// matches a new one.
func nextID() uint64 { return store.NextID() }

// Timings. A request's deadline is the store's (store.RequestTimeout),
// covering the client's retries and 429 backoffs.
const (
	debounceDelay = 200 * time.Millisecond // completion lookups
	draftDelay    = 400 * time.Millisecond // draft file writes
)

// Messages shared by the editors.
type (
	// draftTickMsg ends a draft-write debounce; gen is the change count it
	// was scheduled for (a later change reschedules).
	draftTickMsg struct {
		id  uint64
		gen int
	}
	// draftSavedMsg answers a draft file write.
	draftSavedMsg struct {
		id  uint64
		err error
	}
)

// draftKeeper holds one overlay's draft bookkeeping.
type draftKeeper struct {
	id       uint64
	store    DraftStore
	now      func() time.Time
	gen      int
	saveErr  error // the last disk write failed: said in the footer
	restored bool  // a draft was found when the overlay opened
	delay    time.Duration
}

func newDraftKeeper(d Deps) draftKeeper {
	return draftKeeper{id: nextID(), store: d.store(), now: d.now, delay: draftDelay}
}

// put stores dr in memory (empty drafts are deleted) and schedules a disk
// write after the debounce.
func (k *draftKeeper) put(dr config.Draft) tea.Cmd {
	if isEmptyDraft(dr) {
		k.store.Delete(dr.Key)
	} else {
		dr.Saved = k.now().UTC()
		k.store.Put(dr)
	}
	k.gen++
	id, gen := k.id, k.gen
	return tea.Tick(k.delay, func(time.Time) tea.Msg { return draftTickMsg{id: id, gen: gen} })
}

// putNow stores dr and writes the file in a Cmd at once.
func (k *draftKeeper) putNow(dr config.Draft) tea.Cmd {
	if isEmptyDraft(dr) {
		k.store.Delete(dr.Key)
	} else {
		dr.Saved = k.now().UTC()
		k.store.Put(dr)
	}
	k.gen++
	return k.saveCmd()
}

// drop deletes the draft (Jira accepted it, or the user discarded it).
func (k *draftKeeper) drop(key string) tea.Cmd {
	k.store.Delete(key)
	k.gen++
	return k.saveCmd()
}

func (k *draftKeeper) saveCmd() tea.Cmd {
	id, st := k.id, k.store
	return func() tea.Msg { return draftSavedMsg{id: id, err: st.Save()} }
}

// update handles the keeper's own messages; ok says msg was one.
func (k *draftKeeper) update(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case draftTickMsg:
		if msg.id != k.id {
			return nil, true
		}
		if msg.gen != k.gen {
			return nil, true
		}
		return k.saveCmd(), true
	case draftSavedMsg:
		if msg.id == k.id {
			k.saveErr = msg.err
		}
		return nil, true
	}
	return nil, false
}

func isEmptyDraft(dr config.Draft) bool {
	if strings.TrimSpace(dr.Text) != "" {
		return false
	}
	for _, v := range dr.Fields {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// failure splits an error into what went wrong and what to do, with
// Jira's own words, for the footer.
func failure(err error) (what, hint string) {
	var la *common.LostAnswerError
	if errors.As(err, &la) {
		what, _ = failure(la.Err)
		return what, la.Hint()
	}
	var je *jiraclient.Error
	if errors.As(err, &je) {
		return je.What(), store.Hint(err)
	}
	return err.Error(), ""
}

// fieldErrors returns Jira's per-field errors in err, if any.
func fieldErrors(err error) map[string]string {
	var je *jiraclient.Error
	if errors.As(err, &je) {
		return je.FieldErrors
	}
	return nil
}

// errSummary is the footer line for err when the per-field errors in
// placed are shown beside their fields: only what they do not say.
func errSummary(err error, placed map[string]bool) (what, hint string) {
	var je *jiraclient.Error
	if errors.As(err, &je) && len(je.FieldErrors) > 0 && len(je.Messages) == 0 {
		all := true
		for k := range je.FieldErrors {
			all = all && placed[k]
		}
		if all {
			return "Jira rejected the values marked above", store.Hint(err)
		}
	}
	return failure(err)
}

// lostNote ends a success line for a write whose answer was lost and
// which the read-back found in Jira.
const lostNote = " (Jira's answer was lost; checked: it is in Jira)"

// fetchIssue re-reads an issue after a write, for IssueConfirmedMsg. A
// failure here is not the write's failure: the change is in Jira.
func fetchIssue(ctx context.Context, cl *jiraclient.Client, key string) *jiraclient.Issue {
	is, err := common.ReadBack(ctx, cl, key)
	if err != nil {
		return nil
	}
	return is
}

func tokenFor(kind, key string, id uint64) string {
	return kind + ":" + key + ":" + itoa(id)
}

func itoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// noClient is the error when Common has no client (signed out).
var errNoClient = errors.New("not signed in to Jira: sign in and send again")

// Failed lets the root find expired logins in the answers that have no
// IssueRollbackMsg of their own (loads, the conflict check, create), and
// open the login over the editor.
func (m editLoadedMsg) Failed() error      { return m.err }
func (m conflictCheckedMsg) Failed() error { return m.err }
func (m projectsMsg) Failed() error        { return m.err }
func (m typesMsg) Failed() error           { return m.err }
func (m createFieldsMsg) Failed() error    { return m.err }
func (m createdMsg) Failed() error         { return m.err }
