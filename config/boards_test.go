package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestBoards: the last board is kept per site and user, written 0600,
// read back by the next start; a corrupt file is moved aside.
func TestBoards(t *testing.T) {
	dir := t.TempDir()
	b, err := LoadBoards(dir)
	if err != nil {
		t.Fatal(err)
	}
	ada := b.For("https://ACME.atlassian.net/", "ada@acme.com")
	if id, _, _, _ := ada.LastBoard(); id != 0 {
		t.Fatalf("a new file has board %d", id)
	}
	ada.SetLastBoard(7, "OPS board", "customfield_10016", 42)
	b.For("https://acme.atlassian.net", "grace@acme.com").SetLastBoard(9, "WEB Kanban", "", 0)
	checkMode(t, filepath.Join(dir, "boards.json"), 0o600)

	again, err := LoadBoards(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The same site typed otherwise, the email in another case.
	id, name, est, sp := again.For("https://acme.atlassian.net", "ADA@acme.com").LastBoard()
	if id != 7 || name != "OPS board" || est != "customfield_10016" || sp != 42 {
		t.Fatalf("ada's board: %d %q %q %d", id, name, est, sp)
	}
	if id, _, _, _ := again.For("https://acme.atlassian.net", "grace@acme.com").LastBoard(); id != 9 {
		t.Fatalf("grace's board: %d", id)
	}
	if id, _, _, _ := again.For("https://other.atlassian.net", "ada@acme.com").LastBoard(); id != 0 {
		t.Fatalf("another site has board %d", id)
	}

	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "boards.json"), []byte("not json"), 0o600)
	got, err := LoadBoards(bad)
	var ce *CorruptFileError
	if !errors.As(err, &ce) || ce.MovedTo == "" || got == nil {
		t.Fatalf("corrupt file: %v", err)
	}
}
