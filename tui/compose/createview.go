package compose

import (
	"strings"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/fields"
)

// View draws the dialog for the current step.
func (m *Create) View() string {
	s := m.c.Styles
	head := s.Title.Render("New issue")
	if m.parent != "" {
		head = s.Title.Render("New sub-task of " + m.parent)
	} else if m.project != "" {
		head += " " + s.Muted.Render("in "+m.project)
		if m.typeName != "" && (m.st == createForm || m.st == createSaving) {
			head += s.Muted.Render(" · " + m.typeName)
		}
	}
	body := head + "\n\n"
	room := m.b.h - 2 - len(splitLines(m.footer()))
	switch m.st {
	case createLoading:
		body += s.Muted.Render(m.spin.View() + " " + m.loading)
	case createLoadErr:
		what, hint := failure(m.err)
		body += errorBlock(s, what, hint, m.b.w)
	case createPickProject, createPickType:
		body += m.pick.view(s, m.b.w, room)
	default:
		if m.ed != nil {
			body += strings.Join(m.ed.View(room), "\n")
		} else if m.pick != nil {
			body += m.pick.view(s, m.b.w, room)
		} else {
			body += m.formView()
		}
	}
	return frame(s, m.b, body, m.footer())
}

func (m *Create) formView() string {
	s := m.c.Styles
	var b strings.Builder
	note := func(id string) {
		if e := m.fieldErr[id]; e != "" {
			b.WriteString(fieldNote(s, e, m.b.w) + "\n")
		}
	}
	b.WriteString(formLabel(s, "Summary", m.focus == 0) + m.summary.View() + "\n")
	note("summary")
	for i, f := range m.extras {
		foc := m.focus == i+2
		var v string
		switch {
		case f.set && !f.value.Empty():
			v = s.Text.Render(truncate(fields.Summary(f.value), max(m.b.w-labelW-20, 10)))
			if len(f.value.Users) == 1 && m.c.Me != nil && f.value.Users[0].ID() == m.c.Me.ID() {
				v += s.Text.Render(" (you)")
			}
		case f.optional:
			v = s.Muted.Render("—")
		default:
			v = s.Muted.Render("required")
		}
		if foc {
			v += s.Muted.Render("  enter to edit")
		}
		b.WriteString(formLabel(s, truncate(f.meta.Name, labelW-3), foc) + v + "\n")
		note(f.meta.ID)
	}
	hint := ""
	if m.focus == 1 {
		hint = s.Muted.Render("Markdown · ctrl+e opens $EDITOR")
	}
	b.WriteString(formLabel(s, "Description", m.focus == 1) + hint + "\n")
	b.WriteString(m.desc.View() + "\n")
	note("description")
	return b.String()
}

func (m *Create) footer() string {
	s := m.c.Styles
	var parts []string
	if m.err != nil && m.st != createLoadErr {
		what, hint := errSummary(m.err, m.placed())
		if jiraclient.IsAuth(m.err) {
			hint = "Your form is kept. Sign in again and the issue is created (or press ctrl+s)."
		}
		parts = append(parts, errorBlock(s, what, hint, m.b.w))
	}
	if m.notice != "" {
		parts = append(parts, wrap(s.Warning, m.notice, m.b.w))
	}
	if m.restored != "" {
		parts = append(parts, wrap(s.Success, m.restored, m.b.w))
	}
	if m.drafts.saveErr != nil {
		parts = append(parts, wrap(s.Warning, "The draft could not be written to disk ("+m.drafts.saveErr.Error()+"); it is kept while jiffy runs.", m.b.w))
	}
	if m.st == createSaving {
		parts = append(parts, s.Muted.Render(m.spin.View()+" Creating the issue… (waits out rate limits)"))
	} else {
		parts = append(parts, helpLine(s, m.KeyMap(), m.b.w))
	}
	return strings.Join(parts, "\n")
}
