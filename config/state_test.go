package config

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStateDir(t *testing.T) {
	t.Setenv("JIFFY_STATE_DIR", "/s/jiffy")
	if d, err := StateDir(); err != nil || d != "/s/jiffy" {
		t.Errorf("JIFFY_STATE_DIR: %q %v", d, err)
	}
	t.Setenv("JIFFY_STATE_DIR", "")
	t.Setenv("XDG_STATE_HOME", "/xdg/state")
	if d, err := StateDir(); err != nil || d != filepath.Join("/xdg/state", "jiffy") {
		t.Errorf("XDG_STATE_HOME: %q %v", d, err)
	}
	// A relative XDG path is invalid per the spec and ignored.
	t.Setenv("XDG_STATE_HOME", "relative")
	t.Setenv("HOME", "/home/ada")
	if d, err := StateDir(); err != nil || d != filepath.Join("/home/ada", ".local", "state", "jiffy") {
		t.Errorf("home: %q %v", d, err)
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != want {
		t.Errorf("%s mode %o, want %o", path, st.Mode().Perm(), want)
	}
}

func TestSiteCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	c, err := LoadSiteCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("https://acme.atlassian.net", "ada@acme.test"); ok {
		t.Fatal("empty cache has an entry")
	}
	checked := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	info := SiteInfo{Flavor: FlavorCloud, AccountID: "5b10a2844c20165700ede21g", DisplayName: "Ada", CheckedAt: checked}
	c.Put("https://ACME.atlassian.net/", "Ada@acme.test", info)
	c.Put("https://acme.atlassian.net", "bob@acme.test", SiteInfo{Flavor: FlavorCloud, CheckedAt: checked})
	c.Put("https://jira.corp.com/jira", "ada", SiteInfo{Flavor: FlavorDataCenter, Username: "ada", CheckedAt: checked})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	checkMode(t, dir, 0o700)
	checkMode(t, filepath.Join(dir, "sites.json"), 0o600)

	c2, err := LoadSiteCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := c2.Get("https://acme.atlassian.net", "ada@acme.test")
	if !ok || !reflect.DeepEqual(got, info) {
		t.Errorf("Get = %+v %v", got, ok)
	}
	if got, ok := c2.Get("https://jira.corp.com/jira/", "ada"); !ok || got.Flavor != FlavorDataCenter {
		t.Errorf("DC entry: %+v %v", got, ok)
	}
	// Keyed by user too: another account on the same site is separate.
	if got, _ := c2.Get("https://acme.atlassian.net", "bob@acme.test"); got.AccountID != "" {
		t.Errorf("users mixed: %+v", got)
	}
	if _, ok := c2.Get("https://acme.atlassian.net", "carol@acme.test"); ok {
		t.Error("unknown user found")
	}
	c2.Forget("https://acme.atlassian.net", "ada@acme.test")
	if _, ok := c2.Get("https://acme.atlassian.net", "ada@acme.test"); ok {
		t.Error("Forget did not forget")
	}
}

func TestHistory(t *testing.T) {
	dir := t.TempDir()
	h, err := LoadHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	h.Add("project = A")
	h.Add("  ")
	h.Add("project = B")
	h.Add(" project = A ")
	if got, want := h.Entries(), []string{"project = A", "project = B"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Entries = %q, want %q", got, want)
	}
	for i := 0; i < MaxHistory+20; i++ {
		h.Add(fmt.Sprintf("key = X-%d", i))
	}
	e := h.Entries()
	if len(e) != MaxHistory || e[0] != fmt.Sprintf("key = X-%d", MaxHistory+19) {
		t.Fatalf("len %d first %q", len(e), e[0])
	}
	e[0] = "mutated"
	if h.Entries()[0] == "mutated" {
		t.Error("Entries returned the internal slice")
	}
	if err := h.Save(); err != nil {
		t.Fatal(err)
	}
	checkMode(t, filepath.Join(dir, "history.json"), 0o600)
	h2, err := LoadHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h2.Entries(), h.Entries()) {
		t.Error("history changed across save/load")
	}
	// A hand-edited file with duplicates and too many entries is cleaned
	// up on load, keeping the newest.
	body := `{"version":1,"queries":["a","b","a"," ","c"]}`
	if err := os.WriteFile(filepath.Join(dir, "history.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	h3, err := LoadHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h3.Entries(), []string{"a", "b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hand-edited: %q, want %q", got, want)
	}
}

func TestDrafts(t *testing.T) {
	dir := t.TempDir()
	d, err := LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fields := map[string]string{"summary": "Crash on save"}
	d.Put(Draft{Key: "comment:ABC-1", Text: "first *draft*", Error: "409 Conflict", Saved: t1})
	d.Put(Draft{Key: "create:ABC", Text: "body", Fields: fields, Saved: t1.Add(time.Hour)})
	d.Put(Draft{Text: "no key"})
	fields["summary"] = "changed by the caller"
	before := time.Now().UTC()
	d.Put(Draft{Key: "transition:ABC-2", Text: "t"})
	got, ok := d.Get("transition:ABC-2")
	if !ok || got.Saved.Before(before) {
		t.Errorf("Saved not stamped: %+v", got)
	}
	if err := d.Save(); err != nil {
		t.Fatal(err)
	}
	checkMode(t, filepath.Join(dir, "drafts.json"), 0o600)

	d2, err := LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, ok = d2.Get("create:ABC")
	if !ok || got.Text != "body" || got.Fields["summary"] != "Crash on save" {
		t.Errorf("create draft: %+v %v", got, ok)
	}
	got, _ = d2.Get("comment:ABC-1")
	if got.Error != "409 Conflict" || !got.Saved.Equal(t1) {
		t.Errorf("comment draft: %+v", got)
	}
	var keys []string
	for _, dr := range d2.List() {
		keys = append(keys, dr.Key)
	}
	if want := []string{"transition:ABC-2", "create:ABC", "comment:ABC-1"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("List order %q, want %q", keys, want)
	}
	d2.Delete("comment:ABC-1")
	if _, ok := d2.Get("comment:ABC-1"); ok {
		t.Error("Delete did not delete")
	}
}

func TestCorruptStateFileIsMovedAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "drafts.json")
	if err := os.WriteFile(path, []byte(`{"drafts": [ {"key": "comment:X-1", "text": "half`), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := LoadDrafts(dir)
	var ce *CorruptFileError
	if !errors.As(err, &ce) || ce.MovedTo == "" {
		t.Fatalf("err = %v, want *CorruptFileError with MovedTo", err)
	}
	if d == nil {
		t.Fatal("no usable Drafts returned")
	}
	if data, err := os.ReadFile(ce.MovedTo); err != nil || !strings.Contains(string(data), "half") {
		t.Fatalf("moved copy: %q %v", data, err)
	}
	if !strings.Contains(err.Error(), ce.MovedTo) {
		t.Errorf("message does not say where: %v", err)
	}
	// Saving afresh does not touch the moved copy.
	d.Put(Draft{Key: "k", Text: "new"})
	if err := d.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ce.MovedTo); err != nil {
		t.Errorf("moved copy gone: %v", err)
	}
	for _, load := range []func(string) error{
		func(dir string) error { _, err := LoadHistory(dir); return err },
		func(dir string) error { _, err := LoadSiteCache(dir); return err },
	} {
		d := t.TempDir()
		for _, n := range []string{"history.json", "sites.json"} {
			os.WriteFile(filepath.Join(d, n), []byte("not json"), 0o600)
		}
		if err := load(d); !errors.As(err, &ce) {
			t.Errorf("err = %v, want *CorruptFileError", err)
		}
	}
}

func TestStateConcurrentUse(t *testing.T) {
	dir := t.TempDir()
	h, _ := LoadHistory(dir)
	d, _ := LoadDrafts(dir)
	c, _ := LoadSiteCache(dir)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				h.Add(fmt.Sprintf("q%d-%d", i, j))
				d.Put(Draft{Key: fmt.Sprintf("k%d", i), Text: "x", Fields: map[string]string{"a": "b"}})
				c.Put("https://s.test", fmt.Sprintf("u%d", i), SiteInfo{Flavor: FlavorCloud})
				if j%5 == 0 {
					if err := h.Save(); err != nil {
						t.Error(err)
					}
					if err := d.Save(); err != nil {
						t.Error(err)
					}
					if err := c.Save(); err != nil {
						t.Error(err)
					}
				}
				_ = d.List()
				_, _ = c.Get("https://s.test", "u1")
			}
		}(i)
	}
	wg.Wait()
	if n := len(h.Entries()); n != 160 {
		t.Errorf("history has %d entries, want 160", n)
	}
	if names := listDir(t, dir); len(names) != 3 {
		t.Errorf("state dir holds %v; temp files left?", names)
	}
}

// The token must never reach the config file or the state files, whatever
// the user does: log in, use the env override, search, write drafts.
func TestTokenNeverWrittenToFiles(t *testing.T) {
	const token = "ATATT3xFfGF0-NEVER-ON-DISK-7f3a9c"
	ctx := context.Background()
	base := t.TempDir()
	cfgPath := filepath.Join(base, "config", "config.toml")
	stateDir := filepath.Join(base, "state")
	krDir := filepath.Join(base, "keyring")

	store, err := OpenKeyring(ctx, KeyringOptions{Backend: "file", FileDir: krDir, Passphrase: fixedPass("pp")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Keyring: KeyringSettings{Backend: "file", FileDir: krDir}}
	name := ProfileName("https://acme.atlassian.net", "")
	p := &Profile{URL: "https://acme.atlassian.net", Flavor: FlavorCloud, Email: "ada@acme.test"}
	if err := StoreToken(ctx, store, name, p, token, time.Now()); err != nil {
		t.Fatal(err)
	}
	cfg.SetProfile(name, p, true)
	if err := cfg.Save(cfgPath); err != nil {
		t.Fatal(err)
	}

	creds, err := Resolve(ctx, cfg, "", nil, store)
	if err != nil || creds.Token != token {
		t.Fatalf("Resolve: %v", err)
	}
	envCreds, _, err := FromEnv(envMap(map[string]string{EnvURL: "https://acme.atlassian.net", EnvToken: token, EnvEmail: "ada@acme.test"}))
	if err != nil {
		t.Fatal(err)
	}

	sites, _ := LoadSiteCache(stateDir)
	sites.Put(creds.URL, creds.User, SiteInfo{Flavor: creds.Flavor, AccountID: "acc", CheckedAt: time.Now()})
	sites.Put(envCreds.URL, envCreds.User, SiteInfo{Flavor: envCreds.Flavor})
	hist, _ := LoadHistory(stateDir)
	hist.Add("project = ACME")
	drafts, _ := LoadDrafts(stateDir)
	drafts.Put(Draft{Key: "comment:ACME-1", Text: "logged in with " + creds.String(), Error: fmt.Sprint(creds)})
	for _, save := range []func() error{sites.Save, hist.Save, drafts.Save} {
		if err := save(); err != nil {
			t.Fatal(err)
		}
	}

	var checked int
	filepath.WalkDir(base, func(path string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if strings.Contains(string(data), token) || strings.Contains(string(data), "NEVER-ON-DISK") {
			t.Errorf("token found in %s", path)
		}
		return nil
	})
	if checked < 5 {
		t.Fatalf("only %d files checked; expected config, 3 state files and a keyring item", checked)
	}
}

// TestSiteDraftsKeepSitesApart: the same issue key on two sites has two
// drafts, and both survive a reload.
func TestSiteDraftsKeepSitesApart(t *testing.T) {
	dir := t.TempDir()
	d, err := LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := d.ForSite("https://a.atlassian.net/"), d.ForSite("https://jira.b.example/jira")
	a.Put(Draft{Key: "comment:OPS-12", Text: "on a"})
	if _, ok := b.Get("comment:OPS-12"); ok {
		t.Fatal("a's draft shows on b")
	}
	b.Put(Draft{Key: "comment:OPS-12", Text: "on b"})
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	again, err := LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	for site, want := range map[string]string{"https://a.atlassian.net": "on a", "https://jira.b.example/jira": "on b"} {
		dr, ok := again.ForSite(site).Get("comment:OPS-12")
		if !ok || dr.Text != want || dr.Key != "comment:OPS-12" {
			t.Fatalf("%s: %+v %v", site, dr, ok)
		}
	}
	again.ForSite("https://a.atlassian.net").Delete("comment:OPS-12")
	if _, ok := again.ForSite("https://jira.b.example/jira").Get("comment:OPS-12"); !ok {
		t.Fatal("deleting a's draft removed b's")
	}
}

// TestHistoryKeepsNoHugeQuery: a query over MaxHistoryEntry is not kept,
// nor read back from a file that has one.
func TestHistoryKeepsNoHugeQuery(t *testing.T) {
	dir := t.TempDir()
	h, _ := LoadHistory(dir)
	h.Add("project = A")
	h.Add(strings.Repeat("x", 900_000))
	if e := h.Entries(); len(e) != 1 || e[0] != "project = A" {
		t.Fatalf("entries %d, first %.20q", len(e), e[0])
	}
	if err := saveJSON(filepath.Join(dir, historyFile), historyFileV1{Version: 1, Queries: []string{strings.Repeat("y", MaxHistoryEntry+1), "project = B"}}); err != nil {
		t.Fatal(err)
	}
	h, _ = LoadHistory(dir)
	if e := h.Entries(); len(e) != 1 || e[0] != "project = B" {
		t.Fatalf("loaded %d entries", len(e))
	}
}

// TestStateFilesCleanJiraTextOnRead: a display name in sites.json and a
// send error in drafts.json (Jira's words, written by an older jiffy or by
// hand) reach the screen at every start, so they are cleaned as read.
func TestStateFilesCleanJiraTextOnRead(t *testing.T) {
	dir := t.TempDir()
	evil := "Ada\x1b]52;c;Y3VybA==\x07 \u202eLovelace\u009b2J\x1b[2J"
	sites := `{"version":1,"sites":[{"url":"https://x.atlassian.net","user":"ada@example.com","info":{"flavor":"cloud","account_id":"1","display_name":` + jsonQuote(evil) + `}}]}`
	drafts := `{"version":1,"drafts":[{"key":"comment:AB-1","text":"hi","error":` + jsonQuote("Jira rejected\x1bP+q\x1b\\ it\n") + `}]}`
	if err := os.WriteFile(filepath.Join(dir, "sites.json"), []byte(sites), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "drafts.json"), []byte(drafts), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadSiteCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	si, ok := c.Get("https://x.atlassian.net", "ada@example.com")
	if !ok || si.DisplayName != "Ada]52;c;Y3VybA== Lovelace2J[2J" {
		t.Errorf("display name %q", si.DisplayName)
	}
	d, err := LoadDrafts(dir)
	if err != nil {
		t.Fatal(err)
	}
	dr, _ := d.Get("comment:AB-1")
	if dr.Error != "Jira rejectedP+q\\ it " {
		t.Errorf("draft error %q", dr.Error)
	}
}

func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
