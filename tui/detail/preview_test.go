package detail

import (
	"strings"
	"testing"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

func TestPreviewScrollsUnderPinnedHeader(t *testing.T) {
	c := testCommon()
	is := richIssue()
	w, h := 60, 20
	top := strings.Split(plain(Preview(c, is, w, h, 0)), "\n")
	checkFrame(t, Preview(c, is, w, h, 0), w, h)
	head := 0
	for i, l := range top {
		if strings.HasPrefix(l, "───") {
			head = i + 1
			break
		}
	}
	if head == 0 {
		t.Fatalf("no header rule in the preview:\n%s", strings.Join(top, "\n"))
	}
	body := renderMarkdown(is.Description, w, themeOf(c))

	down := strings.Split(plain(Preview(c, is, w, h, 4)), "\n")
	if strings.Join(down[:head], "\n") != strings.Join(top[:head], "\n") {
		t.Error("scrolling moved the header")
	}
	if down[head] != plain(body[4]) {
		t.Errorf("offset 4 shows %q first, want %q", down[head], plain(body[4]))
	}

	// Past the end: the last page of the body, not blank space.
	far := strings.Split(plain(Preview(c, is, w, h, 10_000)), "\n")
	if got, want := far[h-1], plain(body[len(body)-1]); got != want {
		t.Errorf("a huge offset ends with %q, want the body's last line %q", got, want)
	}
	if neg := Preview(c, is, w, h, -5); neg != Preview(c, is, w, h, 0) {
		t.Error("a negative offset is not the top")
	}

	mx := PreviewMaxOffset(c, is, w, h)
	if mx <= 0 || Preview(c, is, w, h, mx) != Preview(c, is, w, h, mx+7) || Preview(c, is, w, h, mx) == Preview(c, is, w, h, mx-1) {
		t.Errorf("PreviewMaxOffset = %d is not the last offset that moves the body", mx)
	}
	if PreviewMaxOffset(c, is, w, 200) != 0 || PreviewMaxOffset(c, nil, w, h) != 0 {
		t.Error("a body that fits, or no issue, can still scroll")
	}
}

func TestPreviewEdges(t *testing.T) {
	c := testCommon()
	if Preview(c, nil, 80, 24, 0) != "" || Preview(c, richIssue(), 0, 24, 0) != "" || Preview(c, richIssue(), 80, 0, 0) != "" {
		t.Error("a preview of nothing, or into no room, drew something")
	}
	// Shorter than the header: the header's top, exactly h lines.
	checkFrame(t, Preview(c, richIssue(), 30, 2, 0), 30, 2)
	for _, w := range []int{1, 4, 9} {
		checkFrame(t, Preview(c, richIssue(), w, 12, 0), w, 12)
	}
	bare := &jiraclient.Issue{Key: "KP-3"}
	v := plain(Preview(nil, bare, 40, 8, 0))
	for _, want := range []string{"KP-3", "Unassigned", "No description."} {
		if !strings.Contains(v, want) {
			t.Errorf("bare preview lacks %q:\n%s", want, v)
		}
	}
	long := richIssue()
	long.Summary = strings.Repeat("word ", 40)
	checkFrame(t, Preview(c, long, 40, 12, 0), 40, 12)
	if n := strings.Count(plain(Preview(c, long, 40, 12, 0)), "word"); n > 14 {
		t.Errorf("a long summary takes more than two lines of the preview (%d words shown)", n)
	}
}

func TestPrerender(t *testing.T) {
	c := &common.Common{Styles: common.NewStyles(false), Now: testCommon().Now}
	is := longIssue(3)
	is.Description = "prerender probe " + t.Name()
	th := themeOf(c)
	for _, w := range []int{70, 160} {
		cmd := Prerender(c, is, w)
		if cmd == nil {
			t.Fatal("no command")
		}
		msg, ok := cmd().(RenderedMsg)
		if !ok || msg.Key != is.Key || msg.Width != w {
			t.Fatalf("Prerender sent %#v", msg)
		}
		pw := pageWidth(w)
		for _, k := range []mdKey{
			{is.Description, w, th.id},  // the preview
			{is.Description, pw, th.id}, // the detail page
			{is.Comments[2].Body, pw - commentIndent, th.id},
		} {
			if _, ok := renders.get(k); !ok {
				t.Errorf("width %d: %q at %d is not cached after Prerender", w, k.text[:16], k.width)
			}
		}
	}
	if Prerender(c, nil, 80) != nil || Prerender(c, is, 0) != nil {
		t.Error("Prerender of nothing returned a command")
	}
}

// TestPrerenderConcurrentWithView: Prerender's command runs on another
// goroutine while the UI keeps drawing from the same cache (run with -race).
func TestPrerenderConcurrentWithView(t *testing.T) {
	c := testCommon()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 4 {
			is := longIssue(4)
			is.Description = "concurrent " + string(rune('a'+i))
			if cmd := Prerender(c, is, 50+i); cmd != nil {
				cmd()
			}
		}
	}()
	m := ready(t, longIssue(4), 60, 20)
	for range 20 {
		_ = Preview(c, richIssue(), 55, 20, 1)
		m, _ = send(t, m, press("j"))
		_ = m.View()
	}
	<-done
}
