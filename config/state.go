package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// State files live in StateDir as JSON, 0600 in a 0700 directory, written
// atomically. They hold no secrets: the site cache is keyed by site URL and
// user, never by token.
const (
	siteCacheFile = "sites.json"
	historyFile   = "history.json"
	boardsFile    = "boards.json"
	draftsFile    = "drafts.json"
	// MaxHistory is how many JQL queries History keeps.
	MaxHistory = 200
	// MaxHistoryEntry is the longest query the history keeps, in bytes
	// (jiraclient.MaxJQL, the longest jiffy sends): a longer one is a
	// paste gone wrong, and would bloat history.json (a hand-edited file
	// too: such entries are dropped on load).
	MaxHistoryEntry = 10_000
)

// StateDir is $JIFFY_STATE_DIR, else $XDG_STATE_HOME/jiffy, else
// ~/.local/state/jiffy. It is not created until something is saved.
func StateDir() (string, error) {
	if d := os.Getenv("JIFFY_STATE_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "jiffy"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory for jiffy's state (%v): set JIFFY_STATE_DIR", err)
	}
	return filepath.Join(home, ".local", "state", "jiffy"), nil
}

// CorruptFileError is returned by the Load functions when a state file
// cannot be read. The Load function still returns a usable, empty value,
// and the unreadable file has been moved aside to MovedTo (so saving the
// new one does not destroy what might be recovered by hand).
type CorruptFileError struct {
	Path    string
	MovedTo string // "" if it could not be moved
	Err     error
}

func (e *CorruptFileError) Error() string {
	if e.MovedTo != "" {
		return fmt.Sprintf("%s could not be read (%v); it was moved to %s and jiffy starts afresh", e.Path, e.Err, e.MovedTo)
	}
	return fmt.Sprintf("%s could not be read (%v); move it away and restart jiffy", e.Path, e.Err)
}

func (e *CorruptFileError) Unwrap() error { return e.Err }

// loadJSON reads path into v. A missing file leaves v alone and is no
// error. A file that does not decode is moved aside and reported.
func loadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		ce := &CorruptFileError{Path: path, Err: err}
		moved := fmt.Sprintf("%s.corrupt-%s", path, time.Now().UTC().Format("20060102T150405Z"))
		if os.Rename(path, moved) == nil {
			ce.MovedTo = moved
		}
		return ce
	}
	return nil
}

func saveJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", filepath.Base(path), err)
	}
	return writeFileAtomic(path, append(data, '\n'), nil)
}

// SiteInfo is what jiffy learned about a site and account, so the next
// start can skip flavour detection and /myself.
type SiteInfo struct {
	Flavor      string    `json:"flavor"` // "cloud" | "datacenter"
	AccountID   string    `json:"account_id,omitempty"`
	Username    string    `json:"username,omitempty"`
	DisplayName string    `json:"display_name,omitempty"`
	CheckedAt   time.Time `json:"checked_at"`
}

// SiteCache maps site URL + user to SiteInfo. Safe for concurrent use.
type SiteCache struct {
	path string
	mu   sync.Mutex
	m    map[string]siteEntry
}

type siteEntry struct {
	URL  string   `json:"url"`
	User string   `json:"user"`
	Info SiteInfo `json:"info"`
}

type siteCacheFileV1 struct {
	Version int         `json:"version"`
	Sites   []siteEntry `json:"sites"`
}

// LoadSiteCache reads dir/sites.json; see CorruptFileError for a bad file.
func LoadSiteCache(dir string) (*SiteCache, error) {
	c := &SiteCache{path: filepath.Join(dir, siteCacheFile), m: map[string]siteEntry{}}
	var f siteCacheFileV1
	err := loadJSON(c.path, &f)
	for _, e := range f.Sites {
		// The display name came from Jira and is shown at every start:
		// clean it as it is read, whoever wrote the file.
		e.Info.DisplayName = safetext.Line(e.Info.DisplayName)
		c.m[siteKey(e.URL, e.User)] = e
	}
	return c, err
}

// siteKey normalises what users type differently for the same site:
// scheme and host case, a trailing slash, the email's case.
func siteKey(siteURL, user string) string {
	s := strings.TrimRight(strings.TrimSpace(siteURL), "/")
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		u.Scheme = strings.ToLower(u.Scheme)
		u.Host = strings.ToLower(u.Host)
		u.User = nil
		s = u.String()
	}
	return s + "\x00" + strings.ToLower(strings.TrimSpace(user))
}

// Get returns the cached info for a site and user.
func (c *SiteCache) Get(siteURL, user string) (SiteInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[siteKey(siteURL, user)]
	return e.Info, ok
}

// Put records info for a site and user (Save writes it).
func (c *SiteCache) Put(siteURL, user string, info SiteInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := siteKey(siteURL, user)
	u, _, _ := strings.Cut(k, "\x00")
	c.m[k] = siteEntry{URL: u, User: strings.TrimSpace(user), Info: info}
}

// Forget drops a site and user (after a logout, or when the cache proved wrong).
func (c *SiteCache) Forget(siteURL, user string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, siteKey(siteURL, user))
}

// Save writes the cache atomically.
func (c *SiteCache) Save() error {
	c.mu.Lock()
	f := siteCacheFileV1{Version: 1, Sites: make([]siteEntry, 0, len(c.m))}
	for _, e := range c.m {
		f.Sites = append(f.Sites, e)
	}
	c.mu.Unlock()
	sort.Slice(f.Sites, func(i, j int) bool {
		if f.Sites[i].URL != f.Sites[j].URL {
			return f.Sites[i].URL < f.Sites[j].URL
		}
		return f.Sites[i].User < f.Sites[j].User
	})
	return saveJSON(c.path, f)
}

// History is the JQL query history: newest first, no duplicates, at most
// MaxHistory entries. Safe for concurrent use.
type History struct {
	path    string
	mu      sync.Mutex
	entries []string
}

type historyFileV1 struct {
	Version int      `json:"version"`
	Queries []string `json:"queries"` // newest first
}

// LoadHistory reads dir/history.json; see CorruptFileError for a bad file.
func LoadHistory(dir string) (*History, error) {
	h := &History{path: filepath.Join(dir, historyFile)}
	var f historyFileV1
	err := loadJSON(h.path, &f)
	// Re-adding oldest first applies the same rules to a hand-edited file.
	for i := len(f.Queries) - 1; i >= 0; i-- {
		h.add(f.Queries[i])
	}
	return h, err
}

// Add puts a query first; an equal earlier entry (ignoring surrounding
// space) moves up rather than repeating. Blank queries are ignored.
func (h *History) Add(jql string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.add(jql)
}

func (h *History) add(jql string) {
	jql = strings.TrimSpace(jql)
	if jql == "" || len(jql) > MaxHistoryEntry {
		return
	}
	out := make([]string, 0, len(h.entries)+1)
	out = append(out, jql)
	for _, e := range h.entries {
		if e != jql {
			out = append(out, e)
		}
	}
	if len(out) > MaxHistory {
		out = out[:MaxHistory]
	}
	h.entries = out
}

// Entries returns the queries, newest first (a copy).
func (h *History) Entries() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.entries...)
}

// Save writes the history atomically.
func (h *History) Save() error {
	return saveJSON(h.path, historyFileV1{Version: 1, Queries: h.Entries()})
}

// Draft is unsent text the user typed (a comment, a new issue, a
// transition screen), kept so a failed send or a crash loses nothing.
type Draft struct {
	Key    string            `json:"key"` // what it is for, e.g. "comment:ABC-1", "create:ABC"
	Text   string            `json:"text"`
	Fields map[string]string `json:"fields,omitempty"` // other inputs of the form
	Error  string            `json:"error,omitempty"`  // why the last send failed
	Saved  time.Time         `json:"saved"`
}

// Drafts holds drafts by key. Safe for concurrent use.
type Drafts struct {
	path string
	mu   sync.Mutex
	m    map[string]Draft
}

type draftsFileV1 struct {
	Version int     `json:"version"`
	Drafts  []Draft `json:"drafts"`
}

// LoadDrafts reads dir/drafts.json; see CorruptFileError for a bad file.
func LoadDrafts(dir string) (*Drafts, error) {
	d := &Drafts{path: filepath.Join(dir, draftsFile), m: map[string]Draft{}}
	var f draftsFileV1
	err := loadJSON(d.path, &f)
	for _, dr := range f.Drafts {
		if dr.Key != "" {
			// The error holds Jira's words and is shown after a restart.
			dr.Error = safetext.Line(dr.Error)
			d.m[dr.Key] = dr
		}
	}
	return d, err
}

// Get returns the draft for key.
func (d *Drafts) Get(key string) (Draft, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dr, ok := d.m[key]
	dr.Fields = copyFields(dr.Fields)
	return dr, ok
}

// copyFields keeps callers from sharing a map with the store, which other
// goroutines read while saving.
func copyFields(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Put stores a draft under its Key, stamping Saved if it is zero. A draft
// with no key is ignored (there would be no way to find it again).
func (d *Drafts) Put(dr Draft) {
	if dr.Key == "" {
		return
	}
	if dr.Saved.IsZero() {
		dr.Saved = time.Now().UTC()
	}
	dr.Fields = copyFields(dr.Fields)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.m[dr.Key] = dr
}

// Delete drops the draft for key (after it was sent).
func (d *Drafts) Delete(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.m, key)
}

// List returns every draft, newest first, for a "recover drafts" view.
func (d *Drafts) List() []Draft {
	d.mu.Lock()
	out := make([]Draft, 0, len(d.m))
	for _, dr := range d.m {
		dr.Fields = copyFields(dr.Fields)
		out = append(out, dr)
	}
	d.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Saved.Equal(out[j].Saved) {
			return out[i].Saved.After(out[j].Saved)
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Save writes the drafts atomically.
func (d *Drafts) Save() error {
	return saveJSON(d.path, draftsFileV1{Version: 1, Drafts: d.List()})
}

// SiteDrafts are one site's drafts in the shared drafts file: issue keys
// repeat across sites (OPS-12 on two Jiras), so each key is stored under
// the site's URL and a draft never shows on another site's issue.
type SiteDrafts struct {
	d      *Drafts
	prefix string
}

// ForSite returns the drafts of the site at url.
func (d *Drafts) ForSite(url string) *SiteDrafts {
	return &SiteDrafts{d: d, prefix: strings.TrimRight(url, "/") + " "}
}

// Get returns the draft for key on this site.
func (s *SiteDrafts) Get(key string) (Draft, bool) {
	dr, ok := s.d.Get(s.prefix + key)
	if ok {
		dr.Key = key
	}
	return dr, ok
}

// Put stores dr under this site.
func (s *SiteDrafts) Put(dr Draft) {
	dr.Key = s.prefix + dr.Key
	s.d.Put(dr)
}

// Delete removes key's draft on this site.
func (s *SiteDrafts) Delete(key string) { s.d.Delete(s.prefix + key) }

// Save writes the drafts file.
func (s *SiteDrafts) Save() error { return s.d.Save() }

// Export writes every draft, readable, to a new file at path (mode 0600;
// an existing file is never overwritten). It is the way out when
// drafts.json cannot be written: the text goes where the user says.
func (d *Drafts) Export(path string) error {
	list := d.List()
	var b strings.Builder
	fmt.Fprintf(&b, "# jiffy drafts, not sent (%d), written %s\n", len(list), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	for _, dr := range list {
		fmt.Fprintf(&b, "\n## %s\n\n", dr.Key)
		if !dr.Saved.IsZero() {
			fmt.Fprintf(&b, "Saved %s.", dr.Saved.UTC().Format("2006-01-02 15:04 UTC"))
		}
		if dr.Error != "" {
			fmt.Fprintf(&b, " The last send failed: %s", dr.Error)
		}
		b.WriteString("\n")
		keys := make([]string, 0, len(dr.Fields))
		for k := range dr.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "\n%s: %s\n", k, dr.Fields[k])
		}
		if dr.Text != "" {
			b.WriteString("\n" + dr.Text + "\n")
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// List returns every draft in the shared file (every site's), newest
// first, under their stored keys.
func (s *SiteDrafts) List() []Draft { return s.d.List() }

// Export writes every draft in the shared file to path (see Drafts.Export).
func (s *SiteDrafts) Export(path string) error { return s.d.Export(path) }

// Boards remembers the last board opened per site and user (a profile), so
// the board picker offers it first and the board opens with its estimate
// field at once. Safe for concurrent use.
type Boards struct {
	path string
	mu   sync.Mutex
	m    map[string]boardEntry
}

type boardEntry struct {
	URL      string `json:"url"`
	User     string `json:"user"`
	ID       int    `json:"id"`
	Name     string `json:"name"`
	Estimate string `json:"estimate,omitempty"` // the board's estimation field id
	Sprint   int    `json:"sprint,omitempty"`   // its active sprint when last opened
}

type boardsFileV1 struct {
	Version int          `json:"version"`
	Boards  []boardEntry `json:"boards"`
}

// LoadBoards reads dir/boards.json; see CorruptFileError for a bad file.
func LoadBoards(dir string) (*Boards, error) {
	b := &Boards{path: filepath.Join(dir, boardsFile), m: map[string]boardEntry{}}
	var f boardsFileV1
	err := loadJSON(b.path, &f)
	for _, e := range f.Boards {
		e.Name = safetext.Line(e.Name)
		b.m[siteKey(e.URL, e.User)] = e
	}
	return b, err
}

// For is the memory of one site and user (what tui/board calls Memory).
func (b *Boards) For(siteURL, user string) *SiteBoard {
	return &SiteBoard{b: b, site: siteURL, user: user}
}

// SiteBoard is the last board of one site and user.
type SiteBoard struct {
	b          *Boards
	site, user string
}

// LastBoard is the board last opened (0 when none), its estimate field
// and its active sprint then.
func (s *SiteBoard) LastBoard() (id int, name, estimate string, sprint int) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	e := s.b.m[siteKey(s.site, s.user)]
	return e.ID, e.Name, e.Estimate, e.Sprint
}

// SetLastBoard records the board opened and writes the file (a failure to
// write only loses the memory).
func (s *SiteBoard) SetLastBoard(id int, name, estimate string, sprint int) {
	s.b.mu.Lock()
	k := siteKey(s.site, s.user)
	u, _, _ := strings.Cut(k, "\x00")
	e := boardEntry{URL: u, User: strings.TrimSpace(s.user), ID: id, Name: name, Estimate: estimate, Sprint: sprint}
	if s.b.m[k] == e {
		s.b.mu.Unlock()
		return
	}
	s.b.m[k] = e
	f := boardsFileV1{Version: 1, Boards: make([]boardEntry, 0, len(s.b.m))}
	for _, e := range s.b.m {
		f.Boards = append(f.Boards, e)
	}
	s.b.mu.Unlock()
	sort.Slice(f.Boards, func(i, j int) bool {
		if f.Boards[i].URL != f.Boards[j].URL {
			return f.Boards[i].URL < f.Boards[j].URL
		}
		return f.Boards[i].User < f.Boards[j].User
	})
	_ = saveJSON(s.b.path, f)
}
