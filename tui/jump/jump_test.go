package jump

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestParseTarget(t *testing.T) {
	for _, c := range []struct {
		arg       string
		key, site string
		ok        bool
	}{
		{"ABC-123", "ABC-123", "", true},
		{"abc-7", "ABC-7", "", true},
		{"A1_B-9", "A1_B-9", "", true},
		{"https://acme.atlassian.net/browse/ABC-123", "ABC-123", "https://acme.atlassian.net", true},
		{"https://acme.atlassian.net/browse/ABC-123?focusedCommentId=1#c", "ABC-123", "https://acme.atlassian.net", true},
		{"https://jira.corp.com/jira/browse/OPS-4/", "OPS-4", "https://jira.corp.com/jira", true},
		{"http://127.0.0.1:8080/browse/KP-1", "KP-1", "http://127.0.0.1:8080", true},
		{"list", "", "", false},
		{"A-1", "", "", false}, // one-letter project keys do not exist
		{"ABC-0", "", "", false},
		{"ABC-", "", "", false},
		{"https://acme.atlassian.net/issues/ABC-1", "", "", false},
		{"https://me:pw@acme.atlassian.net/browse/ABC-1", "", "", false},
		{"ftp://acme/browse/ABC-1", "", "", false},
		{"https://acme.atlassian.net/browse/not-a-key", "", "", false},
	} {
		got, ok := ParseTarget(c.arg)
		if ok != c.ok || got.Key != c.key || got.Site != c.site {
			t.Errorf("ParseTarget(%q) = %+v, %v; want key %q site %q, %v", c.arg, got, ok, c.key, c.site, c.ok)
		}
	}
}

func TestSameSite(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"https://acme.atlassian.net", "https://ACME.atlassian.net/", true},
		{"https://acme.atlassian.net:443", "https://acme.atlassian.net", true},
		{"https://jira.corp/jira", "https://jira.corp/jira/browse/X-1", true},
		{"https://acme.atlassian.net", "https://other.atlassian.net", false},
		{"https://jira.corp/jira", "https://jira.corp", false},
		{"http://acme.atlassian.net", "https://acme.atlassian.net", false},
	} {
		if got := SameSite(c.a, c.b); got != c.same {
			t.Errorf("SameSite(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestFromBranch(t *testing.T) {
	for _, c := range []struct {
		branch, key string
	}{
		{"feature/ABC-123-fix-login", "ABC-123"},
		{"ABC-9", "ABC-9"},
		{"bugfix/OPS_2-77", "OPS_2-77"},
		{"abc-123-fix-login", "ABC-123"},
		{"feature/abc-123", "ABC-123"},
		{"jdoe/KP-4-and-KP-5", "KP-4"},
		{"fix-login-2", ""},
		{"main", ""},
		{"release-2024", ""}, // lower case, at a segment start... see below
		{"XABC-12x", "XABC-12"},
		{"v2ABC-12", ""},
	} {
		got, ok := FromBranch(c.branch)
		if c.branch == "release-2024" {
			// A lower-case segment start reads as a key: documented.
			if !ok || got != "RELEASE-2024" {
				t.Errorf("FromBranch(%q) = %q", c.branch, got)
			}
			continue
		}
		if got != c.key || ok != (c.key != "") {
			t.Errorf("FromBranch(%q) = %q, %v; want %q", c.branch, got, ok, c.key)
		}
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGitBranch(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/feature/ABC-123-fix-login\n")
	sub := filepath.Join(repo, "src", "deep")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if b, err := GitBranch(sub); err != nil || b != "feature/ABC-123-fix-login" {
		t.Errorf("from a sub-directory: %q, %v", b, err)
	}

	// A worktree: .git is a file naming the worktree's git directory.
	wt := filepath.Join(root, "wt")
	write(t, filepath.Join(repo, ".git", "worktrees", "wt", "HEAD"), "ref: refs/heads/KP-7\n")
	write(t, filepath.Join(wt, ".git"), "gitdir: ../repo/.git/worktrees/wt\n")
	if b, err := GitBranch(wt); err != nil || b != "KP-7" {
		t.Errorf("worktree: %q, %v", b, err)
	}

	// Detached HEAD: a commit, no branch.
	det := filepath.Join(root, "detached")
	write(t, filepath.Join(det, ".git", "HEAD"), "0b717e1c0ffee0b717e1c0ffee0b717e1c0ffee0\n")
	if _, err := GitBranch(det); !errors.Is(err, ErrDetached) {
		t.Errorf("detached: %v", err)
	}

	// No repository anywhere up the tree.
	none := filepath.Join(root, "none")
	if err := os.MkdirAll(none, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("/.git"); err == nil {
		t.Skip("/ is a git repository")
	}
	if _, err := GitBranch(none); !errors.Is(err, ErrNoRepository) {
		// t.TempDir may sit inside a repository on some machines.
		if _, statErr := os.Stat(filepath.Join(os.TempDir(), ".git")); statErr != nil {
			t.Errorf("no repository: %v", err)
		}
	}
}
