package detail

import (
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/tui/activity"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/fields"
)

// openActivity opens the overlay of act on the issue shown: the watchers
// (w), the worklogs with the log-work form (L), the links (K), the attachments (A); E asks the root for the full form of the summary and
// description. The overlay does its own
// I/O; the root draws it (common.OpenOverlay).
func (m Model) openActivity(act action) tea.Cmd {
	if m.issue == nil || m.c.Client == nil {
		return nil
	}
	is := *m.issue
	var o interface {
		common.Overlay
		Init() tea.Cmd
	}
	switch act {
	case actWatchers:
		o = activity.NewWatchers(m.c, is)
	case actLogWork:
		o = activity.NewLogWork(m.c, is)
	case actLinks:
		o = activity.NewLinks(m.c, is)
	case actAttachments:
		o = activity.NewAttachments(m.c, is)
	case actEditField:
		// E: the full form of the summary and description (the root opens
		// tui/compose's editor); e, a root key, picks any one field.
		return func() tea.Msg { return fields.FullEditMsg{Issue: is} }
	case actSubtask:
		// S: the create form of a sub-task of this issue (the root opens
		// tui/compose's form, which keeps drafts).
		return func() tea.Msg { return common.CreateSubtaskMsg{Parent: is} }
	default:
		return nil
	}
	return tea.Sequence(common.OpenOverlay(o), o.Init())
}
