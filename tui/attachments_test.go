package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jiffy-tui/jiffy/jiraclient/fakejira"
	"github.com/jiffy-tui/jiffy/tui/activity"
)

// TestClosingAttachmentsCancelsTheDownload: with the download of an
// attachment delayed a minute, esc closes the attachments dialog, the
// download is cancelled (the store's count and the commands reach zero
// long before the minute), the store is not offline, and neither the
// partial file nor the private folder is left on disk.
func TestClosingAttachmentsCancelsTheDownload(t *testing.T) {
	d, site, _ := triageRoot(t, fakejira.FlavorCloud)
	row := -1
	for i, is := range d.m.list.Issues() {
		if act, ok := site.srv.Activity(is.Key); ok && len(act.Attachments) > 0 {
			row = i
			break
		}
	}
	if row < 0 {
		t.Fatal("no issue in the list has attachments")
	}
	d.cursorTo(row)
	d.send(press("enter"))
	d.send(press("A"))
	if _, ok := d.m.overlay.(*activity.Attachments); !ok {
		t.Fatalf("A opened %T", d.m.overlay)
	}
	// The private folder goes where os.TempDir says: a folder of the
	// test's own, so what is left there is seen.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	left := func() []string {
		files, _ := filepath.Glob(filepath.Join(tmp, "jiffy-attachments-*", "*"))
		dirs, _ := filepath.Glob(filepath.Join(tmp, "jiffy-attachments-*"))
		return append(dirs, files...)
	}
	id := firstAttachment(t, site, d.m.detail.Key())
	site.srv.ResetRequests()
	site.srv.SetFaults(fakejira.Faults{Script: []fakejira.Fault{{Delay: time.Minute}}})
	d.key("enter")
	d.until("the download reached Jira and its file was made", func() bool {
		files, _ := filepath.Glob(filepath.Join(tmp, "jiffy-attachments-*", "*"))
		return count(site.srv.Requests(), "/attachment/content/"+id) == 1 && len(files) == 1
	})
	d.send(press("esc"))
	if d.m.overlay != nil {
		t.Fatalf("esc left %T open", d.m.overlay)
	}
	if l := left(); len(l) != 0 {
		t.Fatalf("left on disk after close: %q", l)
	}
	if d.m.c.Issues.Offline() {
		t.Fatal("the closed dialog's download ran to its end: the store is offline")
	}
	if s := screen(d.m); strings.Contains(s, "downloading") {
		t.Fatalf("a download is still shown:\n%s", s)
	}
}

// firstAttachment is the id of key's first attachment in Jira.
func firstAttachment(t *testing.T, site fakeSite, key string) string {
	t.Helper()
	act, ok := site.srv.Activity(key)
	if !ok || len(act.Attachments) == 0 {
		t.Fatalf("%s has no attachments", key)
	}
	return act.Attachments[0].ID
}
