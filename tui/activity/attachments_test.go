package activity

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/tui/common"
)

// TestAttachmentUploadDownload: a 200 KiB file uploaded from a path
// arrives in Jira byte for byte, the issue read back lists it, and saving
// it to a path brings the same bytes back in a 0600 file; saving over an
// existing file is refused.
func TestAttachmentUploadDownload(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			dir := t.TempDir()
			data := make([]byte, 200<<10)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range data {
				data[i] = byte(rng.IntN(256))
			}
			src := filepath.Join(dir, "trace.bin")
			if err := os.WriteFile(src, data, 0o600); err != nil {
				t.Fatal(err)
			}
			r := newRunner(t, NewAttachments(s.C, s.Issue(t, "JIF-1")), 80, 24)
			if v := r.View(); !strings.Contains(v, "trace.log") || !strings.Contains(v, "109 B · Barbara Liskov") {
				t.Fatalf("list:\n%s", v)
			}
			r.Keys("u")
			r.TypeText(src)
			r.Keys("enter")
			act, _ := s.Srv.Activity("JIF-1")
			if len(act.Attachments) != 3 || !bytes.Equal(act.Attachments[2].Data, data) || act.Attachments[2].Filename != "trace.bin" {
				t.Fatalf("in Jira: %d attachments\n%s", len(act.Attachments), r.View())
			}
			c, ok := last[common.IssueConfirmedMsg](r)
			if !ok || c.Issue == nil || len(c.Issue.Attachments) != 3 {
				t.Fatalf("no read-back with the new attachment: %+v", c)
			}
			if v := r.View(); !strings.Contains(v, "trace.bin") || !strings.Contains(v, "200.0 KiB") {
				t.Errorf("the list lacks the upload:\n%s", v)
			}
			// Save it back.
			r.Keys("j", "j", "s")
			out := filepath.Join(dir, "back.bin")
			r.TypeText(out)
			r.Keys("enter")
			got, err := os.ReadFile(out)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("saved %d bytes (%v), want %d\n%s", len(got), err, len(data), r.View())
			}
			if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
				t.Errorf("saved file mode %v", fi.Mode().Perm())
			}
			r.Keys("s")
			r.TypeText(out)
			r.Keys("enter")
			if v := r.View(); !strings.Contains(v, "exists") || !strings.Contains(v, "does not overwrite") {
				t.Errorf("overwrite not refused:\n%s", v)
			}
		})
	}
}

// TestAttachmentOpen: enter downloads to a private 0600 file, hands it to
// the viewer, and closing the dialog removes it.
func TestAttachmentOpen(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			var opened string
			var mode os.FileMode
			var content []byte
			prev := openFile
			openFile = func(p string) error {
				opened = p
				fi, err := os.Stat(p)
				if err != nil {
					return err
				}
				mode = fi.Mode().Perm()
				content, _ = os.ReadFile(p)
				return nil
			}
			t.Cleanup(func() { openFile = prev })
			r := newRunner(t, NewAttachments(s.C, s.Issue(t, "JIF-1")), 80, 24)
			r.Keys("enter")
			act, _ := s.Srv.Activity("JIF-1")
			if opened == "" || !bytes.Equal(content, act.Attachments[0].Data) || mode != 0o600 {
				t.Fatalf("opened %q mode %v, %d bytes\n%s", opened, mode, len(content), r.View())
			}
			dir := r.O.(*Attachments).TempDir()
			if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("private folder %q: %v", dir, err)
			}
			r.Keys("esc")
			if _, err := os.Stat(opened); !os.IsNotExist(err) {
				t.Errorf("the temporary file stays after close: %v", err)
			}
		})
	}
}

// TestAttachmentTooLarge: Jira's 413 is explained beside the path, with
// the file's name and what to do, and nothing is attached.
func TestAttachmentTooLarge(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			s.Srv.SetAttachmentLimit(1000)
			src := filepath.Join(t.TempDir(), "big.log")
			if err := os.WriteFile(src, bytes.Repeat([]byte("x"), 5000), 0o600); err != nil {
				t.Fatal(err)
			}
			r := newRunner(t, NewAttachments(s.C, s.Issue(t, "JIF-1")), 100, 30)
			r.Keys("u")
			r.TypeText(src)
			r.Keys("enter")
			v := r.View()
			if !strings.Contains(v, "big.log") || !strings.Contains(v, "✗") || !strings.Contains(v, "1000") {
				t.Errorf("413 not explained:\n%s", v)
			}
			if act, _ := s.Srv.Activity("JIF-1"); len(act.Attachments) != 2 {
				t.Errorf("%d attachments", len(act.Attachments))
			}
			if !r.O.(*Attachments).InputFocused() || !strings.Contains(v, src[len(src)-20:]) {
				t.Errorf("the path is lost:\n%s", v)
			}
		})
	}
}

// TestAttachmentDelete: d asks, a key other than d keeps the attachment
// (no request), d d deletes the one under the cursor from Jira and the
// list shows what Jira has after.
func TestAttachmentDelete(t *testing.T) {
	for _, fl := range flavors {
		t.Run(fl, func(t *testing.T) {
			s := startSite(t, fl)
			before, _ := s.Srv.Activity("JIF-1")
			if len(before.Attachments) < 2 {
				t.Fatalf("the demo issue has %d attachments", len(before.Attachments))
			}
			r := newRunner(t, NewAttachments(s.C, s.Issue(t, "JIF-1")), 80, 24)
			r.Keys("down", "d")
			if v := r.View(); !strings.Contains(v, "Delete "+before.Attachments[1].Filename) {
				t.Fatalf("no confirmation:\n%s", v)
			}
			r.Keys("up") // not d: kept
			if s.Count("DELETE", "/attachment/"+before.Attachments[1].ID) != 0 || strings.Contains(r.View(), "d again") {
				t.Fatalf("deleted or still asking after another key:\n%s", r.View())
			}
			r.Keys("down", "d", "d")
			after, _ := s.Srv.Activity("JIF-1")
			if len(after.Attachments) != len(before.Attachments)-1 || after.Attachments[0].ID != before.Attachments[0].ID {
				t.Fatalf("Jira has %d attachments, want %d without %s\n%s", len(after.Attachments), len(before.Attachments)-1, before.Attachments[1].Filename, r.View())
			}
			if v := r.View(); strings.Count(v, before.Attachments[1].Filename) != 1 || !strings.Contains(v, "deleted "+before.Attachments[1].Filename) {
				t.Errorf("the list still shows it, or no note:\n%s", v)
			}
			if c, ok := last[common.IssueConfirmedMsg](r); !ok || c.Issue == nil || len(c.Issue.Attachments) != len(after.Attachments) {
				t.Errorf("the issue read back was not handed on")
			}
		})
	}
}
