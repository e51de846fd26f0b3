package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestReboundKey: [keys] in the config moves the list's down and up to n
// and u. The rebound keys move the cursor and the old ones no longer do;
// help shows the keys in force; a rebinding that clashes is refused at
// start with the file's line and both actions' names.
func TestReboundKey(t *testing.T) {
	_, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 1, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	h := newHome(t)
	h.appendConfig(t, `
[keys]
list.down = ["n"]
list.up = ["u"]
list.refresh = ["t"]
`)
	tm := h.run(t, envCreds(fakejira.FlavorCloud, url))
	tm.waitFor("Summary", 10*time.Second)
	tm.waitFor(`config.toml:8: keys.list.refresh: "t" is already the key of triage.transition`, 5*time.Second)

	// The first two rows, top down.
	var rows []string
	lines := strings.Split(tm.screen(), "\n")
	for i, line := range lines {
		if strings.Contains(line, "Summary") {
			for _, row := range lines[i+1:] {
				if k := keyRe.FindString(row); k != "" && len(rows) < 2 {
					rows = append(rows, k)
				}
			}
			break
		}
	}
	if len(rows) < 2 {
		t.Fatalf("fewer than 2 rows:\n%s", tm.screen())
	}
	if got := cursorKey(t, tm.screen()); got != rows[0] {
		t.Fatalf("cursor on %s, want the first row %s", got, rows[0])
	}
	// n is down now.
	tm.keys("n")
	tm.waitCursor(rows[1], 5*time.Second)
	// j no longer is: j then u ends on the first row (had j moved down,
	// j and u would end on the second).
	tm.keys("j")
	tm.keys("u")
	tm.waitCursor(rows[0], 5*time.Second)

	// Help lists the keys in force, filtered by what is typed.
	tm.keys("?")
	tm.waitFor("Filter:", 5*time.Second)
	tm.typeText("list.down")
	tm.waitMatch(regexp.MustCompile(`(?m)│ n\s+down\s+list\.down`), 5*time.Second)
	// esc clears the filter, then closes help (one at a time: two ESC
	// bytes in one read are alt+esc).
	tm.keys("Escape")
	tm.waitFor("type to filter", 5*time.Second)
	tm.keys("Escape")
	tm.waitGone("Filter:", 5*time.Second)
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exit status %s", status)
	}
}

// waitCursor waits until the highlighted row is key's.
func (tm *term) waitCursor(key string, timeout time.Duration) {
	tm.t.Helper()
	tm.waitMatch(regexp.MustCompile(`▌.*\b`+regexp.QuoteMeta(key)+`\b`), timeout)
}
