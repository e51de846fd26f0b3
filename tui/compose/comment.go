package compose

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// commentSentMsg answers the comment send: the comment Jira created and
// the issue re-read after it (nil if that read failed), or the error.
type commentSentMsg struct {
	id      uint64
	comment *jiraclient.Comment
	issue   *jiraclient.Issue
	err     error
	found   bool // the answer was lost and the read-back found the comment
}

// Comment is the comment editor (`c`): a Markdown text area with @mention
// completion and $EDITOR, sent with ctrl+s.
type Comment struct {
	c     *common.Common
	d     Deps
	issue jiraclient.Issue
	keys  KeyMap
	id    uint64

	ta      textarea.Model
	men     mentionBox
	drafts  draftKeeper
	spin    spinner.Model
	b       box
	w, h    int
	sending uint64 // the send awaited; 0 when editing
	token   string

	err        error  // the last send's failure, shown until the next send
	notice     string // a problem not from Jira (no editor, empty text)
	restored   string // "draft restored …", until the first change
	confirming bool   // ctrl+x asked: discard the draft?
	// unsureSince is when a send began whose outcome stayed unknown after
	// its read-back (common.Unsettled); the next send looks for the
	// comment first. Zero when there is none.
	unsureSince time.Time
	exec        *editorRun
}

// NewComment opens the comment editor for issue, with its draft if one
// was kept.
func NewComment(c *common.Common, d Deps, issue jiraclient.Issue) common.Overlay {
	m := &Comment{c: c, d: d, issue: issue, keys: newKeyMap(c.Keys), id: nextID()}
	m.ta = newTextarea(c, "Write a comment in Markdown. @name mentions someone.")
	m.men = newMentionBox(m.id)
	m.drafts = newDraftKeeper(d)
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	if dr, ok := m.drafts.store.Get(commentKey(issue.Key)); ok && strings.TrimSpace(dr.Text) != "" {
		m.ta.SetValue(m.men.display(dr.Text))
		m.restored = restoredNote(dr)
	}
	m.SetSize(c.Width, c.Height)
	return m
}

// Init has nothing to load: the editor is ready at once. It is here so
// all three editors open the same way.
func (m *Comment) Init() tea.Cmd { return nil }

func restoredNote(dr config.Draft) string {
	n := "Draft restored"
	if !dr.Saved.IsZero() {
		n += " (saved " + dr.Saved.Local().Format("2006-01-02 15:04") + ")"
	}
	if dr.Error != "" {
		n += "; the last send failed: " + dr.Error
	}
	return n
}

// SetSize sets the screen area the dialog is drawn in.
func (m *Comment) SetSize(w, h int) {
	m.w, m.h = w, h
	m.b = dialogBox(m.c.Styles, w, h)
	m.ta.SetWidth(m.b.w)
	m.layout()
}

// layout gives the text area what the other parts leave (the mention list
// is drawn over it).
func (m *Comment) layout() {
	used := 2 + len(splitLines(m.footer()))
	m.ta.SetHeight(max(m.b.h-used, 3))
}

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Comment) KeyView() string { return "editor" }

// KeyMap is the help for the current state.
func (m *Comment) KeyMap() help.KeyMap {
	k := m.keys
	k.disableAll()
	switch {
	case m.sending != 0:
	case m.confirming:
		k.Discard.SetEnabled(true)
		k.Discard.SetHelp(k.Discard.Help().Key+"/"+k.Yes.Help().Key, "discard for good")
	case m.men.open() && len(m.men.users) > 0:
		k.Choose.SetEnabled(true)
		k.Up.SetEnabled(true)
		k.Down.SetEnabled(true)
		k.Back.SetEnabled(true)
		k.Back.SetHelp(k.Back.Help().Key, "no mention")
	default:
		k.Send.SetEnabled(true)
		k.Editor.SetEnabled(true)
		k.Close.SetEnabled(true)
		k.Discard.SetEnabled(strings.TrimSpace(m.ta.Value()) != "")
	}
	return k
}

// SaveDraft keeps the text in the draft store and writes it now.
func (m *Comment) SaveDraft() error {
	m.drafts.store.Put(m.draft(""))
	if isEmptyDraft(m.draft("")) {
		m.drafts.store.Delete(commentKey(m.issue.Key))
	}
	return m.drafts.store.Save()
}

func (m *Comment) draft(errText string) config.Draft {
	return config.Draft{Key: commentKey(m.issue.Key), Text: m.men.markdown(m.ta.Value()), Error: errText, Saved: m.d.now().UTC()}
}

// Update handles keys, paste, and the answers of its commands.
func (m *Comment) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	cmd := m.update(msg)
	m.layout()
	return m, cmd
}

func (m *Comment) update(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.drafts.update(msg); ok {
		return cmd
	}
	if cmd, ok := m.men.update(msg, m.c, m.issue.Key); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if m.sending == 0 {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case editorDoneMsg:
		if msg.id != m.id {
			return nil
		}
		m.exec = nil
		if msg.err != nil {
			m.notice = msg.err.Error()
			return nil
		}
		m.notice = ""
		m.ta.SetValue(msg.text)
		return m.changed()
	case commentSentMsg:
		if msg.id != m.sending {
			return nil
		}
		return m.sent(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.sending != 0 {
			return nil
		}
		return m.edit(msg)
	}
	return nil
}

func (m *Comment) onKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.sending != 0 {
		return nil // the text is on its way; the result decides what next
	}
	if m.confirming {
		m.confirming = false
		if key.Matches(msg, m.keys.Discard) || key.Matches(msg, m.keys.Yes) {
			return tea.Batch(m.drafts.drop(commentKey(m.issue.Key)), common.CloseOverlay,
				common.Notice(common.NoticeInfo, "Comment draft for "+m.issue.Key+" discarded"))
		}
		return nil // any other key keeps the draft
	}
	if m.men.open() && m.men.key(msg, m.keys, &m.ta) {
		return m.changed()
	}
	switch {
	case key.Matches(msg, m.keys.Send):
		return m.send()
	case key.Matches(msg, m.keys.Editor):
		return m.openEditor()
	case key.Matches(msg, m.keys.Close):
		return m.close()
	case key.Matches(msg, m.keys.Discard):
		if strings.TrimSpace(m.ta.Value()) == "" {
			return tea.Batch(m.drafts.drop(commentKey(m.issue.Key)), common.CloseOverlay)
		}
		m.confirming = true
		return nil
	}
	return m.edit(msg)
}

// edit gives msg to the text area and follows a change.
func (m *Comment) edit(msg tea.Msg) tea.Cmd {
	if ok, note := admit(&m.ta, msg); !ok {
		m.notice = note
		return nil
	}
	before := m.ta.Value()
	var cmd tea.Cmd
	m.ta, cmd = m.ta.Update(msg)
	if m.ta.Value() == before {
		return tea.Batch(cmd, m.men.sync(&m.ta))
	}
	return tea.Batch(cmd, m.changed())
}

// changed follows a change of the text: the draft, mentions, notes.
func (m *Comment) changed() tea.Cmd {
	m.restored = ""
	m.notice = ""
	return tea.Batch(m.drafts.put(m.draft(errText(m.err))), m.men.sync(&m.ta))
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// close leaves, keeping a non-empty draft on disk.
func (m *Comment) close() tea.Cmd {
	cmds := []tea.Cmd{m.drafts.putNow(m.draft(errText(m.err))), common.CloseOverlay}
	if strings.TrimSpace(m.ta.Value()) != "" {
		cmds = append(cmds, common.Notice(common.NoticeInfo, "Comment draft for "+m.issue.Key+" kept: press c on the issue to finish it"))
	}
	return tea.Batch(cmds...)
}

func (m *Comment) openEditor() tea.Cmd {
	run, err := prepareEditor(editorCommand(m.d.Editor), m.ta.Value(), m.id, "comment")
	if err != nil {
		m.notice = err.Error()
		return nil
	}
	m.exec = run
	return run.execCmd()
}

// send posts the comment with the client in Common now (it may have been
// replaced by a new sign-in since the editor opened).
func (m *Comment) send() tea.Cmd {
	text := m.men.markdown(strings.TrimRight(m.ta.Value(), " \n\t"))
	if strings.TrimSpace(text) == "" {
		m.notice = "The comment is empty: write something first."
		return nil
	}
	if m.c.Client == nil {
		m.err = errNoClient
		return nil
	}
	m.notice, m.restored, m.err = "", "", nil
	m.sending = nextID()
	m.token = tokenFor("comment", m.issue.Key, m.sending)
	id, key := m.sending, m.issue.Key
	me := jiraclient.User{DisplayName: "you"}
	if m.c.Me != nil {
		me = *m.c.Me
	}
	now := m.c.Clock()
	patch := common.IssuePatchMsg{Token: m.token, Key: key, Apply: func(is jiraclient.Issue) jiraclient.Issue {
		is.Comments = append(append([]jiraclient.Comment(nil), is.Comments...), jiraclient.Comment{Author: me, Body: text, Created: now, Updated: now})
		is.CommentTotal++
		return is
	}}
	var author *jiraclient.User
	if m.c.Me != nil {
		a := *m.c.Me
		author = &a
	}
	unsure := m.unsureSince
	sentAt := time.Now()
	if unsure.IsZero() {
		m.unsureSince = sentAt
	} else {
		m.unsureSince = unsure
	}
	// Through the store's request helper: the client of the moment, and
	// an expired login held and sent again after the sign-in. The error
	// returned beside the message is the last request's, for the store.
	send := m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return commentSentMsg{id: id, err: errNoClient}, nil
		}
		if !unsure.IsZero() {
			// The last send's fate is unknown: it may be there already.
			found, ferr := cl.FindComment(ctx, key, text, author, time.Since(unsure))
			if ferr != nil {
				return commentSentMsg{id: id, err: &common.LostAnswerError{Err: ferr, Key: key, Noun: "the comment"}}, ferr
			}
			if found != nil {
				return commentSentMsg{id: id, comment: found, issue: fetchIssue(ctx, cl, key), found: true}, nil
			}
		}
		cm, err := cl.AddComment(ctx, key, text)
		seen := err
		if err != nil && jiraclient.OutcomeUnknown(err) {
			// Jira may have stored it before the answer was lost: look for
			// the same text by the same author since the send, with a
			// deadline of its own (the write's may be spent).
			rctx, rcancel := store.Again(ctx)
			defer rcancel()
			found, ferr := cl.FindComment(rctx, key, text, author, time.Since(sentAt))
			if ferr == nil && found != nil {
				return commentSentMsg{id: id, comment: found, issue: fetchIssue(rctx, cl, key), found: true}, nil
			}
			seen = ferr
			err = &common.LostAnswerError{Err: err, Key: key, Noun: "the comment", Checked: ferr == nil}
		}
		if err != nil {
			return commentSentMsg{id: id, err: err}, seen
		}
		return commentSentMsg{id: id, comment: cm, issue: fetchIssue(ctx, cl, key)}, nil
	}, func(err error) tea.Msg { return commentSentMsg{id: id, err: err} })
	// In order: the patch is on record before the write can settle it.
	return tea.Batch(tea.Sequence(func() tea.Msg { return patch }, send), m.spin.Tick)
}

func (m *Comment) sent(msg commentSentMsg) tea.Cmd {
	m.sending = 0
	token, key := m.token, m.issue.Key
	if !common.Unsettled(msg.err) {
		m.unsureSince = time.Time{}
	}
	if msg.err != nil {
		m.err = msg.err
		// The text stays here and goes to disk with why it failed.
		return tea.Batch(m.drafts.putNow(m.draft(errText(msg.err))),
			func() tea.Msg { return common.IssueRollbackMsg{Token: token, Key: key, Err: msg.err} })
	}
	note := "Comment added to " + key
	if msg.found {
		note += lostNote
	}
	confirmed := common.IssueConfirmedMsg{Token: token, Key: key, Issue: msg.issue, Note: note}
	return tea.Batch(m.drafts.drop(commentKey(key)),
		func() tea.Msg { return confirmed }, common.CloseOverlay)
}

// footer is everything under the text: completion, notes, errors, help.
func (m *Comment) footer() string {
	s := m.c.Styles
	var parts []string
	if m.err != nil {
		what, hint := failure(m.err)
		if fe := fieldErrors(m.err)["comment"]; fe != "" && len(fieldErrors(m.err)) == 1 {
			what = "Jira refused the comment: " + fe
		}
		if jiraclient.IsAuth(m.err) {
			hint = "Your text is kept. Sign in again and it is sent (or press ctrl+s)."
		} else if hint != "" {
			hint += ". Your text is kept as a draft."
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
	case m.sending != 0:
		parts = append(parts, s.Muted.Render(m.spin.View()+" Sending to Jira… (waits out rate limits)"))
	case m.confirming:
		parts = append(parts, s.Warning.Render("Discard this comment? ctrl+x or y discards it; any other key keeps it."))
	default:
		parts = append(parts, helpLine(s, m.KeyMap(), m.b.w))
	}
	return strings.Join(parts, "\n")
}

// View draws the dialog.
func (m *Comment) View() string {
	s := m.c.Styles
	title := s.Title.Render("Comment on "+m.issue.Key) + " " + s.Muted.Render(m.issue.Summary)
	body := title + "\n\n" + m.men.overlay(s, m.ta, m.b.w)
	return frame(s, m.b, body, m.footer())
}
