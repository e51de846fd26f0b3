package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestCachedStart runs the real binary twice on one profile: the second
// start draws the list from the issue cache, marked with its age, while
// Jira is still answering (3 s late here), then Jira's answer replaces it.
// --no-cache then starts without it, waiting for Jira; jiffy cache clear
// deletes it.
func TestCachedStart(t *testing.T) {
	srv, url := startJira(t, fakejira.FlavorCloud)
	h := newHome(t)
	env := envCreds(fakejira.FlavorCloud, url)

	tm := h.run(t, env)
	tm.waitFor("Summary", 10*time.Second)
	key := cursorKey(t, tm.screen())
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("first run exited with %s", status)
	}
	db := filepath.Join(h.dir, ".cache", "jiffy", "env.db")
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("no 0600 cache at %s: %v", db, err)
	}

	srv.SetFaults(fakejira.Faults{Latency: 3 * time.Second})
	srv.ResetRequests()
	tm = h.run(t, env)
	tm.waitFor("cached", 10*time.Second)
	for _, r := range srv.Requests() {
		if r.Status != 0 {
			t.Fatalf("Jira answered %s %s before the cached list showed: it waited for Jira", r.Method, r.Path)
		}
	}
	if s := tm.screen(); !strings.Contains(s, key) {
		t.Fatalf("cached list without %s:\n%s", key, s)
	}
	tm.waitGone("cached", 15*time.Second)
	tm.keys("q")
	tm.waitExit(5 * time.Second)

	tm = h.run(t, env, "--no-cache")
	tm.waitFor("loading issues", 5*time.Second)
	if strings.Contains(tm.screen(), "cached") {
		t.Fatal("--no-cache drew the cached list")
	}
	tm.keys("q")
	tm.waitExit(10 * time.Second)

	cmd := exec.Command(binary, "cache", "clear")
	cmd.Env = append(append([]string(nil), h.env...), env...)
	b, err := cmd.CombinedOutput()
	out := string(b)
	if err != nil || !strings.Contains(out, "Deleted the issue cache of env") {
		t.Fatalf("cache clear: %v %q", err, out)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("the cache is still there: %v", err)
	}
}
