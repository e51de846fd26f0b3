package detail

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// Preview draws is compactly for the list's preview pane: w columns, h
// lines (padded with empty lines), the description scrolled by offset
// lines under a pinned header. It is meant to be called from View: the
// description comes from the render cache, so only the first call for an
// issue at a width pays for glamour (use Prerender to pay it in a
// command instead).
func Preview(c *common.Common, is *jiraclient.Issue, w, h, offset int) string {
	if is == nil || w <= 0 || h <= 0 {
		return ""
	}
	head, body := previewParts(c, is, w)
	if len(head) >= h {
		return strings.Join(head[:h], "\n")
	}
	room := h - len(head)
	offset = min(max(offset, 0), max(len(body)-room, 0))
	end := min(offset+room, len(body))
	out := make([]string, 0, h)
	out = append(out, head...)
	out = append(out, body[offset:end]...)
	for len(out) < h {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// PreviewMaxOffset is the largest offset that still moves Preview's body:
// a scroll position beyond it shows the same last page, so the list can
// clamp its own counter and scrolling back up responds at once.
func PreviewMaxOffset(c *common.Common, is *jiraclient.Issue, w, h int) int {
	if is == nil || w <= 0 || h <= 0 {
		return 0
	}
	head, body := previewParts(c, is, w)
	return max(len(body)-max(h-len(head), 0), 0)
}

// previewParts is the preview's pinned header and its scrolling body.
func previewParts(c *common.Common, is *jiraclient.Issue, w int) (head, body []string) {
	if c == nil {
		c = &common.Common{Styles: common.NewStyles(true)}
	}
	st := c.Styles
	now := nowOf(c)
	// Key and summary, the summary wrapped to at most two lines.
	summary := strings.Join(strings.Fields(is.Summary), " ")
	key := sanitize(is.Key)
	kw := ansi.StringWidth(key) + 1
	sl := wrapPlain(summary, max(w-kw, 1))
	if len(sl) > 2 {
		sl = sl[:2]
		sl[1] = cut(sl[1]+" …", max(w-kw, 1))
	}
	for i, l := range sl {
		lead := st.Title.Render(key) + " "
		if i > 0 {
			lead = strings.Repeat(" ", kw)
		}
		head = append(head, ansi.Truncate(lead+st.Bold.Render(l), w, "…"))
	}
	if len(sl) == 0 {
		head = append(head, ansi.Truncate(st.Title.Render(key), w, "…"))
	}

	sep := st.Muted.Render(" · ")
	var facts []string
	if is.Status.Name != "" {
		facts = append(facts, st.Status(sanitize(is.Status.Name), is.Status.Category))
	}
	if is.Type.Name != "" {
		facts = append(facts, st.Text.Render(sanitize(is.Type.Name)))
	}
	if is.Priority != nil && is.Priority.Name != "" {
		facts = append(facts, st.Text.Render(sanitize(is.Priority.Name)))
	}
	if is.Assignee != nil {
		facts = append(facts, st.Text.Render(userName(is.Assignee)))
	} else {
		facts = append(facts, st.Muted.Render("Unassigned"))
	}
	head = append(head, ansi.Truncate(strings.Join(facts, sep), w, "…"))

	var when []string
	if !is.Updated.IsZero() {
		when = append(when, "updated "+relTime(is.Updated, now))
	}
	if n := max(is.CommentTotal, len(is.Comments)); n > 0 {
		when = append(when, plural(n, "comment"))
	}
	if n := len(is.Subtasks); n > 0 {
		when = append(when, plural(n, "sub-task"))
	}
	if n := len(is.Links); n > 0 {
		when = append(when, plural(n, "link"))
	}
	if len(when) > 0 {
		head = append(head, st.Muted.Render(cut(strings.Join(when, " · "), w)))
	}
	head = append(head, fg(st.Palette.Border).Render(strings.Repeat("─", w)))

	if strings.TrimSpace(is.Description) == "" {
		body = []string{st.Muted.Render(cut("No description.", w))}
	} else {
		body = renderMarkdown(is.Description, w, themeOf(c))
		if w < minMarkdownWidth {
			cutLines := make([]string, len(body))
			for i, l := range body {
				cutLines[i] = ansi.Truncate(l, w, "")
			}
			body = cutLines
		}
	}

	return head, body
}

// RenderedMsg reports that Prerender finished: the issue's Markdown for
// that width is in the cache, and drawing it is now cheap.
type RenderedMsg struct {
	Key   string
	Width int
}

// Prerender renders, off the UI goroutine, the Markdown that Preview at
// width w and a detail view w columns wide will draw for is, into the
// shared cache. The list can call it when the cursor settles on an issue,
// and the root when an issue arrives, so that neither Preview nor
// SetIssue pays for glamour. The values it needs are read now, on the
// caller's goroutine; the command never touches a model or Common.
func Prerender(c *common.Common, is *jiraclient.Issue, w int) tea.Cmd {
	if is == nil || w <= 0 {
		return nil
	}
	th := themeOf(c)
	key := is.Key
	jobs := append([]mdJob{{is.Description, w}}, markdownJobs(is, pageWidth(w))...)
	return func() tea.Msg {
		warm(jobs, th)
		return RenderedMsg{Key: key, Width: w}
	}
}
