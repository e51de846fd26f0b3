package e2e

// The real binary against a hostile Jira and a hostile machine: escape
// payloads in every field reach neither `jiffy status` nor the screen,
// HOME unset with JIRA_* set still starts, and a corrupt state file is
// reported, not moved aside in silence.

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

func startHostileJira(t *testing.T, flavor string, f fakejira.HostileFaults) (*fakejira.Server, string) {
	t.Helper()
	srv := fakejira.New(fakejira.Options{Flavor: flavor, Seed: 7})
	h := fakejira.NewHostile(srv)
	h.Set(f)
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	srv.SetBaseURL(hs.URL)
	return srv, hs.URL
}

// TestStatusPrintsNoEscapes: `jiffy status` prints the display name and
// Jira's words; with the payload in every field its stdout holds no
// escape, C1, bidi or zero-width character.
func TestStatusPrintsNoEscapes(t *testing.T) {
	for _, flavor := range []string{fakejira.FlavorCloud, fakejira.FlavorDataCenter} {
		t.Run(flavor, func(t *testing.T) {
			_, url := startHostileJira(t, flavor, fakejira.HostileFaults{Payload: fakejira.EscapePayload})
			h := newHome(t)
			h.env = append(h.env, envCreds(flavor, url)...)
			out, _ := h.command(t, "", "status")
			if !strings.Contains(out, "owned") {
				t.Fatalf("status did not show the poisoned display name:\n%s", out)
			}
			if safetext.Unsafe(out) {
				t.Errorf("status printed unsafe text: %q", out)
			}
		})
	}
}

// TestStartsWithoutHome: HOME unset (no config or state folder to be
// found) with the credentials in JIRA_*: the list shows, and the status
// bar says drafts last only this session.
func TestStartsWithoutHome(t *testing.T) {
	_, url := startJira(t, fakejira.FlavorCloud)
	argv := []string{"env", "-i", "TERM=xterm-256color", "PATH=" + os.Getenv("PATH"), "DBUS_SESSION_BUS_ADDRESS=disabled:"}
	argv = append(argv, envCreds(fakejira.FlavorCloud, url)...)
	argv = append(argv, "/bin/sh", "-c", `"$0" "$@"; s=$?; printf '\njiffy exited with status %d\n' "$s"`, binary)
	tm := startTerm(t, nil, argv...)
	tm.waitFor("Summary", 10*time.Second)
	tm.keys("q")
	if status := tm.waitExit(5 * time.Second); status != "0" {
		t.Fatalf("exit status %s:\n%s", status, tm.screen())
	}
}

// TestCorruptStateFilesAreReported: history.json and sites.json that do
// not read are moved aside and the status bar says where.
func TestCorruptStateFilesAreReported(t *testing.T) {
	_, url := startJira(t, fakejira.FlavorCloud)
	h := newHome(t)
	state := filepath.Join(h.dir, "state")
	if err := os.MkdirAll(state, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"history.json", "sites.json"} {
		if err := os.WriteFile(filepath.Join(state, f), []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tm := h.run(t, envCreds(fakejira.FlavorCloud, url))
	tm.waitFor("Summary", 10*time.Second)
	tm.waitFor("sites.json was unreadable and moved aside", 5*time.Second)
	for _, f := range []string{"history.json", "sites.json"} {
		m, _ := filepath.Glob(filepath.Join(state, f+".corrupt-*"))
		if len(m) != 1 {
			t.Errorf("%s was not moved aside: %v", f, m)
		}
	}
	tm.keys("q")
	tm.waitExit(5 * time.Second)
}

// TestLoginWithTokenPrintsNoEscapes: `jiffy login --with-token` prints the
// display name when Jira accepts the token and Jira's messages when it
// does not; with the payload in both, nothing unsafe is printed.
func TestLoginWithTokenPrintsNoEscapes(t *testing.T) {
	_, url := startHostileJira(t, fakejira.FlavorCloud, fakejira.HostileFaults{Payload: fakejira.EscapePayload})
	for _, tc := range []struct {
		name, token, want string
	}{
		{"accepted", fakejira.Token, "Logged in"},
		{"refused", "wrong-token", "jiffy:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHome(t)
			out, _ := h.command(t, tc.token+"\n", "login", "--with-token", "--url", url, "--email", fakejira.Email)
			if !strings.Contains(out, tc.want) {
				t.Fatalf("login printed:\n%s", out)
			}
			if tc.name != "refused" && !strings.Contains(out, "owned") {
				t.Errorf("Jira's poisoned words were not printed, so this proves nothing:\n%s", out)
			}
			if safetext.Unsafe(out) {
				t.Errorf("login printed unsafe text: %q", out)
			}
		})
	}
}
