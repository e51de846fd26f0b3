package compose

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
)

// label draws a form label, highlighted when its field has the focus.
func formLabel(s common.Styles, text string, focused bool) string {
	st, mark := s.Label, "  "
	if focused {
		st, mark = s.Title, "› "
	}
	t := mark + text
	if n := lipgloss.Width(t); n < labelW {
		t += strings.Repeat(" ", labelW-n)
	}
	return st.Render(t)
}

// fieldNote is a per-field error under its field, in the input column.
func fieldNote(s common.Styles, text string, width int) string {
	lines := strings.Split(lipgloss.Wrap("✗ "+text, max(width-labelW, 10), " "), "\n")
	for i, l := range lines {
		lines[i] = strings.Repeat(" ", labelW) + s.FieldError.Render(strings.TrimRight(l, " "))
	}
	return strings.Join(lines, "\n")
}

func (m *Edit) title() string {
	s := m.c.Styles
	sum := m.shown.Summary
	if m.base.Key != "" {
		sum = m.base.Summary
	}
	return s.Title.Render("Edit "+m.key) + " " + s.Muted.Render(sum)
}

// View draws the dialog for the current state.
func (m *Edit) View() string {
	s := m.c.Styles
	body := m.title() + "\n\n"
	switch m.st {
	case editLoading:
		body += s.Muted.Render(m.spin.View() + " Asking Jira which fields you may edit…")
	case editLoadErr:
		what, hint := failure(m.err)
		body += errorBlock(s, "Cannot open the editor: "+what, hint, m.b.w)
	case editConflict:
		body += m.conflictView()
	default:
		if m.prioPick != nil {
			body += m.prioPick.view(s, m.b.w, m.b.h-4-len(splitLines(m.footer())))
		} else {
			body += m.formView()
		}
	}
	return frame(s, m.b, body, m.footer())
}

func (m *Edit) formView() string {
	s := m.c.Styles
	if len(m.fields) == 0 {
		return wrap(s.Warning, "Jira lets you edit none of summary, description, priority or labels on "+m.key+" (the edit screen or your permissions leave them out).", m.b.w)
	}
	var b strings.Builder
	for i, f := range m.fields {
		foc := i == m.focus
		switch f {
		case fieldSummary:
			b.WriteString(formLabel(s, "Summary", foc) + m.summary.View() + "\n")
		case fieldDescription:
			hint := ""
			if foc {
				hint = s.Muted.Render("Markdown · ctrl+e opens $EDITOR")
			}
			b.WriteString(formLabel(s, "Description", foc) + hint + "\n")
			if foc {
				b.WriteString(m.men.overlay(s, m.desc, m.b.w) + "\n")
			} else {
				b.WriteString(m.desc.View() + "\n")
			}
		case fieldPriority:
			v := s.Text.Render(m.prioName(m.prio))
			if foc {
				v += s.Muted.Render("  enter to change")
			}
			b.WriteString(formLabel(s, "Priority", foc) + v + "\n")
		case fieldLabels:
			var chips []string
			for _, l := range m.labels {
				chips = append(chips, s.Key.Render("["+l+"]"))
			}
			line := strings.Join(chips, " ")
			if line != "" {
				line += " "
			}
			b.WriteString(formLabel(s, "Labels", foc) + line + m.labelIn.View() + "\n")
			if sv := m.suggView(); sv != "" {
				b.WriteString(sv + "\n")
			}
		}
		if e := m.fieldErr[f]; e != "" {
			b.WriteString(fieldNote(s, e, m.b.w) + "\n")
		}
	}
	return b.String()
}

// suggView lists label completions under the labels field.
func (m *Edit) suggView() string {
	if m.focused() != fieldLabels || len(m.sugg) == 0 {
		return ""
	}
	s := m.c.Styles
	var rows []string
	for i, l := range m.sugg {
		if i == m.suggCur {
			rows = append(rows, strings.Repeat(" ", labelW)+s.Selected.Render("› "+l))
		} else {
			rows = append(rows, strings.Repeat(" ", labelW+2)+s.Muted.Render(l))
		}
	}
	return strings.Join(rows, "\n")
}

// conflictView says what changed in Jira since the editor opened.
func (m *Edit) conflictView() string {
	s := m.c.Styles
	r := m.remote
	var b strings.Builder
	when := func(is jiraclient.Issue) string { return is.Updated.Local().Format("15:04:05") }
	b.WriteString(wrap(s.Warning, "Someone changed "+m.key+" since you opened the editor (updated "+when(m.base)+" → "+when(*r)+").", m.b.w) + "\n")
	same := true
	if r.Summary != m.base.Summary {
		same = false
		b.WriteString("\n" + s.Bold.Render("Summary") + "\n")
		b.WriteString(s.Error.Render(truncate("- "+m.base.Summary, m.b.w)) + "\n")
		b.WriteString(s.Success.Render(truncate("+ "+r.Summary, m.b.w)) + "\n")
	}
	if r.Description != m.base.Description {
		same = false
		b.WriteString("\n" + s.Bold.Render("Description") + "\n")
		d := lineDiff(strings.Split(m.base.Description, "\n"), strings.Split(r.Description, "\n"))
		const maxLines = 8
		for i, l := range d {
			if i == maxLines {
				b.WriteString(s.Muted.Render("  … and more") + "\n")
				break
			}
			st := s.Success
			if strings.HasPrefix(l, "-") {
				st = s.Error
			}
			b.WriteString(st.Render(truncate(l, m.b.w)) + "\n")
		}
	}
	if same {
		b.WriteString("\n" + wrap(s.Muted, "The summary and description are as you found them; something else changed (a comment, the status, another field).", m.b.w) + "\n")
	}
	b.WriteString("\n" + wrap(s.Text, "ctrl+s saves your version over it; ctrl+r loads Jira's summary and description instead of yours; esc goes back to editing.", m.b.w))
	return b.String()
}

func (m *Edit) footer() string {
	s := m.c.Styles
	var parts []string
	if m.err != nil && m.st != editLoadErr {
		placed := map[string]bool{}
		for _, f := range m.fields {
			placed[f] = true
		}
		what, hint := errSummary(m.err, placed)
		if jiraclient.IsAuth(m.err) {
			hint = "Your edits are kept. Sign in again and they are saved (or press ctrl+s)."
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
	switch {
	case m.st == editChecking:
		parts = append(parts, s.Muted.Render(m.spin.View()+" Checking that nobody changed the issue meanwhile…"))
	case m.st == editSaving:
		parts = append(parts, s.Muted.Render(m.spin.View()+" Saving to Jira… (waits out rate limits)"))
	case m.confirming:
		parts = append(parts, s.Warning.Render("Discard your edits? ctrl+x or y discards them; any other key keeps them."))
	default:
		parts = append(parts, helpLine(s, m.KeyMap(), m.b.w))
	}
	return strings.Join(parts, "\n")
}
