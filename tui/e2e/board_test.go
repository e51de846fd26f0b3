package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
)

// TestBoard opens the demo's scrum board (the demo's data, served by a
// fakejira the test can read) with --board, moves the first To Do card
// right with L, sees it in the In Progress column and in Jira, then moves
// it into the next sprint with m.
func TestBoard(t *testing.T) {
	srv, url, stop, err := fakejira.Start(fakejira.Options{Flavor: fakejira.FlavorCloud, Seed: 1, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	var board fakejira.BoardInfo
	for _, b := range srv.Boards() {
		if b.Type == "scrum" {
			board = b
			break
		}
	}
	var next fakejira.SprintInfo
	for _, s := range srv.Sprints(board.ID) {
		if s.State == "future" {
			next = s
			break
		}
	}
	h := newHome(t)
	tm := h.run(t, envCreds(fakejira.FlavorCloud, url), "--board", board.Name)
	tm.waitFor("In Progress", 10*time.Second)
	tm.waitMatch(keyRe, 10*time.Second)
	// The highlighted card is the first of the first column (To Do).
	key := cardAt(t, tm.screen(), 0)
	if snap, _ := srv.Issue(key); snap.Status != "To Do" {
		t.Fatalf("%s is %q, not To Do", key, snap.Status)
	}
	tm.keys("L")
	poll(t, key+" in In Progress", func() bool { s, _ := srv.Issue(key); return s.Status == "In Progress" })
	tm.waitScreen(key+" drawn in the second column", 5*time.Second, func(s string) bool { return column(s, key) == 1 })
	// Into the next sprint: m, its name, enter.
	tm.keys("m")
	tm.waitFor("Move "+key, 5*time.Second)
	tm.typeText(next.Name)
	tm.keys("Enter")
	poll(t, key+" in "+next.Name, func() bool { return srv.IssueSprint(key) == next.ID })
	tm.waitFor("moved to "+next.Name, 5*time.Second)
	tm.waitScreen(key+" gone from the active sprint's board", 5*time.Second, func(s string) bool { return column(s, key) == -1 })
}

// cardAt is the first issue key in column col of the board's first card row.
func cardAt(t *testing.T, screen string, col int) string {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		parts := strings.Split(line, "│")
		if len(parts) > col {
			if k := keyRe.FindString(parts[col]); k != "" {
				return k
			}
		}
	}
	t.Fatalf("no card in column %d:\n%s", col, screen)
	return ""
}

// column is the board column key is drawn in (-1: nowhere).
func column(screen, key string) int {
	for _, line := range strings.Split(screen, "\n") {
		if !strings.Contains(line, "│") {
			continue // the status bar's notice names it too
		}
		for i, p := range strings.Split(line, "│") {
			if keyRe.FindString(p) == key {
				return i
			}
		}
	}
	return -1
}

// TestBoardDemo is the same walk in jiffy --demo: the scrum board, a card
// moved right (its page, read from the demo's Jira, says In Progress),
// then into the next sprint.
func TestBoardDemo(t *testing.T) {
	h := newHome(t)
	tm := h.run(t, nil, "--demo", "--board", "JIF board")
	tm.waitFor("In Progress", 10*time.Second)
	tm.waitMatch(keyRe, 10*time.Second)
	key := cardAt(t, tm.screen(), 0)
	tm.keys("L")
	tm.waitScreen(key+" drawn in the second column", 5*time.Second, func(s string) bool { return column(s, key) == 1 })
	tm.waitFor(key+" → In Progress", 5*time.Second) // Jira took it
	tm.keys("Enter")
	tm.waitFor("Description", 5*time.Second)
	tm.keys("r") // read it again from the demo's Jira
	tm.waitMatch(regexp.MustCompile(`Status\s+In Progress`), 5*time.Second)
	tm.keys("Escape")
	tm.waitFor("Goal:", 5*time.Second)
	tm.keys("m")
	tm.waitFor("Move "+key, 5*time.Second)
	tm.typeText("Sprint 15")
	tm.keys("Enter")
	tm.waitFor("moved to JIF Sprint 15", 5*time.Second)
}
