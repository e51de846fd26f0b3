package activity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/pkg/browser"

	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/common"
	"github.com/jiffy-tui/jiffy/tui/keys"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// openFile hands a downloaded file to the system's viewer (xdg-open,
// open, start); tests replace it.
var openFile = func(path string) error {
	quietViewer.Do(func() {
		browser.Stdout = io.Discard
		browser.Stderr = io.Discard
	})
	return browser.OpenFile(path)
}

var quietViewer sync.Once

// AttachmentsKeys are the attachments overlay's keys.
type AttachmentsKeys struct {
	Up, Down, Open, Save, Upload, Delete, Submit, Back key.Binding
	typing                                             bool
}

// ShortHelp is the footer.
func (k AttachmentsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Save, k.Upload, k.Delete, k.Submit, k.Back}
}

// FullHelp is the help screen.
func (k AttachmentsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Open, k.Save, k.Upload, k.Delete, k.Submit, k.Back}}
}

// attachStep is what the attachments overlay is doing.
type attachStep int

const (
	attachList   attachStep = iota
	attachSaveTo            // typing where to save the attachment under the cursor
	attachUpload            // typing the path of a file to upload
)

// Attachments is the overlay listing an issue's attachments with size and
// author (key A in the detail). enter or o opens one: it is downloaded to
// a private temporary file (0600, in a 0700 folder of its own) and handed
// to the system viewer; the folder is removed when the overlay closes. s
// saves one to a path (never over an existing file); u uploads a file
// from a path, with its progress; Jira's size limit (413) is explained; d
// asks, and d again deletes the one under the cursor from Jira.
//
// Every transfer goes through the store's request helper: a download
// (open, save) is a load of the overlay's owner, so closing the overlay
// cancels it and its partial file is removed; an upload or a deletion is
// a write, which goes on after a close and, meeting an expired login, is
// held and sent again after the sign-in.
type Attachments struct {
	c     *common.Common
	owner string // of its downloads in the store; Close cancels them
	issue jiraclient.Issue
	km    AttachmentsKeys
	w, h  int

	step  attachStep
	cur   int
	input textinput.Model

	busy     bool
	what     string // the transfer under way: "downloading trace.log"
	progress *transfer
	seq      int
	err      error
	note     string
	tmpDir   string // the private folder opened files are in
	confirm  string // the attachment id a first d asked to delete
}

// transfer is a transfer's progress, written by the Cmd and read by View.
type transfer struct{ done, total atomic.Int64 }

type attachDoneMsg struct {
	seq   int
	issue *jiraclient.Issue
	note  string
	err   error
}

// progressTickMsg redraws the progress while a transfer runs.
type progressTickMsg struct{ seq int }

// NewAttachments returns the attachments overlay for is.
func NewAttachments(c *common.Common, is jiraclient.Issue) *Attachments {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 4096
	ts := c.Styles.TextInput()
	ts.Cursor.Blink = false
	ti.SetStyles(ts)
	return &Attachments{c: c, owner: common.Owner("attachments"), issue: is, input: ti, km: AttachmentsKeys{
		Up:     c.Keys.Binding("attachments.up"),
		Down:   c.Keys.Binding("attachments.down"),
		Open:   c.Keys.Binding("attachments.open"),
		Save:   c.Keys.Binding("attachments.save"),
		Upload: c.Keys.Binding("attachments.upload"),
		Delete: c.Keys.Binding("attachments.delete"),
		Submit: c.Keys.Binding("attachments.submit"),
		Back:   c.Keys.Binding("attachments.close"),
	}}
}

// Init loads nothing: the list is the issue's.
func (m *Attachments) Init() tea.Cmd { return nil }

// SetSize sets the screen size.
func (m *Attachments) SetSize(w, h int) {
	m.w, m.h = w, h
	m.input.SetWidth(max(innerWidth(m.c.Styles, w)-labelW-1, 8))
}

// InputFocused: while a path is typed.
func (m *Attachments) InputFocused() bool { return m.step != attachList }

// Busy says whether a transfer is under way.
func (m *Attachments) Busy() bool { return m.busy }

// KeyView is the keymap registry view help lists (tui/keys).
func (m *Attachments) KeyView() string { return "attachments" }

// KeyMap is the keys that work now.
func (m *Attachments) KeyMap() help.KeyMap {
	k := m.km
	has := len(m.issue.Attachments) > 0 && !m.busy
	switch m.step {
	case attachList:
		k.Submit.SetEnabled(false)
		k.Open.SetEnabled(has)
		k.Save.SetEnabled(has)
		k.Upload.SetEnabled(!m.busy)
		k.Delete.SetEnabled(has)
		if m.confirm != "" {
			k.Delete.SetHelp("d", "delete: press again")
		}
	default:
		k.typing = true
		k.Open.SetEnabled(false)
		k.Save.SetEnabled(false)
		k.Upload.SetEnabled(false)
		k.Delete.SetEnabled(false)
		for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Submit, &k.Back} {
			*b = keys.ForInput(*b, false)
		}
		if m.step == attachUpload {
			k.Submit.SetHelp(k.Submit.Help().Key, "upload")
		}
		k.Submit.SetEnabled(!m.busy)
		k.Back.SetHelp(k.Back.Help().Key, "back")
	}
	return k
}

// Update handles keys and answers.
func (m *Attachments) Update(msg tea.Msg) (common.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case progressTickMsg:
		if msg.seq == m.seq && m.busy {
			return m, m.tick()
		}
		return m, nil
	case attachDoneMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.busy, m.progress, m.err, m.confirm = false, nil, msg.err, ""
		if msg.err != nil {
			return m, nil
		}
		m.note = msg.note
		m.step = attachList
		m.input.Blur()
		m.input.SetValue("")
		if msg.issue != nil {
			m.issue = *msg.issue
			m.cur = min(m.cur, max(len(m.issue.Attachments)-1, 0))
			confirmed := common.IssueConfirmedMsg{Key: m.issue.Key, Issue: msg.issue, Note: msg.note}
			return m, func() tea.Msg { return confirmed }
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	if m.step != attachList {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Attachments) key(msg tea.KeyPressMsg) (common.Overlay, tea.Cmd) {
	k := m.KeyMap().(AttachmentsKeys)
	if m.step == attachList {
		asked := m.confirm
		m.confirm = "" // any other key keeps the attachment
		switch {
		case key.Matches(msg, k.Back):
			m.cleanup()
			return m, common.CloseOverlay
		case m.busy:
		case key.Matches(msg, k.Up):
			m.cur = max(m.cur-1, 0)
		case key.Matches(msg, k.Down):
			m.cur = min(m.cur+1, max(len(m.issue.Attachments)-1, 0))
		case key.Matches(msg, k.Open):
			return m, m.open()
		case key.Matches(msg, k.Save):
			m.step, m.err, m.note = attachSaveTo, nil, ""
			m.input.Placeholder = "where to save it, like ~/Downloads/" + m.issue.Attachments[m.cur].Filename
			return m, m.input.Focus()
		case key.Matches(msg, k.Delete):
			a := m.issue.Attachments[m.cur]
			if asked != a.ID {
				m.confirm, m.err, m.note = a.ID, nil, ""
				return m, nil
			}
			return m, m.remove(a)
		case key.Matches(msg, k.Upload):
			m.step, m.err, m.note = attachUpload, nil, ""
			m.input.Placeholder = "the file to upload, like ~/screenshot.png"
			return m, m.input.Focus()
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Back):
		if !m.busy {
			m.step, m.err = attachList, nil
			m.input.Blur()
		}
		return m, nil
	case key.Matches(msg, k.Submit):
		if m.step == attachSaveTo {
			return m, m.save()
		}
		return m, m.upload()
	}
	if m.busy {
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// Close cancels the downloads still out (common.Closer), whose partial
// files their commands remove, and removes the folder of opened files; an
// upload or a deletion goes on.
func (m *Attachments) Close() {
	m.c.Cancel(m.owner)
	m.cleanup()
}

// cleanup removes the folder of files opened in the viewer.
func (m *Attachments) cleanup() {
	if m.tmpDir != "" {
		_ = os.RemoveAll(m.tmpDir)
		m.tmpDir = ""
	}
}

// TempDir is the private folder opened attachments are in ("" when none
// was opened, or after the overlay closed).
func (m *Attachments) TempDir() string { return m.tmpDir }

func (m *Attachments) tick() tea.Cmd {
	seq := m.seq
	return tea.Tick(150*time.Millisecond, func(time.Time) tea.Msg { return progressTickMsg{seq: seq} })
}

// start marks a transfer under way and returns its progress.
func (m *Attachments) start(what string) (*transfer, int) {
	m.seq++
	m.busy, m.err, m.note, m.what = true, nil, "", what
	m.progress = &transfer{}
	return m.progress, m.seq
}

func (p *transfer) fn() jiraclient.ProgressFunc {
	return func(done, total int64) {
		p.done.Store(done)
		p.total.Store(total)
	}
}

// open downloads the attachment under the cursor to a private temporary
// file and hands it to the viewer. The private folder is made here, not
// in the command, so the overlay knows it from the start and its close
// removes it whatever the download is doing.
func (m *Attachments) open() tea.Cmd {
	if m.cur >= len(m.issue.Attachments) {
		return nil
	}
	a := m.issue.Attachments[m.cur]
	if m.tmpDir == "" {
		d, err := os.MkdirTemp("", "jiffy-attachments-")
		if err != nil {
			m.err = fmt.Errorf("could not make a private folder for the file: %w", err)
			return nil
		}
		m.tmpDir = d
	}
	prog, seq := m.start("downloading " + line(a.Filename))
	path := filepath.Join(m.tmpDir, a.ID+"-"+safeName(a.Filename))
	return tea.Batch(m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return attachDoneMsg{seq: seq, err: errNoClient}, nil
		}
		if err, sent := download(ctx, cl, a, path, prog); err != nil {
			if ctx.Err() != nil {
				// Closed meanwhile: the folder may have been removed
				// before the file was made; an empty one is not left.
				_ = os.Remove(filepath.Dir(path))
			}
			return attachDoneMsg{seq: seq, err: err}, sent
		}
		if err := openFile(path); err != nil {
			return attachDoneMsg{seq: seq, err: fmt.Errorf("downloaded to %s, but no viewer could open it: %w", path, err)}, nil
		}
		return attachDoneMsg{seq: seq, note: "opened " + line(a.Filename) + " (a private copy, removed when this closes)"}, nil
	}), m.tick())
}

// save downloads the attachment under the cursor to the path typed.
func (m *Attachments) save() tea.Cmd {
	path, err := expandPath(m.input.Value())
	if err != nil {
		m.err = err
		return nil
	}
	a := m.issue.Attachments[m.cur]
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, safeName(a.Filename))
	}
	prog, seq := m.start("downloading " + line(a.Filename))
	return tea.Batch(m.c.Do(m.owner, func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return attachDoneMsg{seq: seq, err: errNoClient}, nil
		}
		if err, sent := download(ctx, cl, a, path, prog); err != nil {
			return attachDoneMsg{seq: seq, err: err}, sent
		}
		return attachDoneMsg{seq: seq, note: "saved " + line(a.Filename) + " to " + line(path)}, nil
	}), m.tick())
}

// download writes a's bytes to a new file at path (0600, never over an
// existing file); a failed or cancelled download leaves no partial file.
// err is what the user reads; sent is the request's own error, for the
// store (nil when no request was made).
func download(ctx context.Context, cl *jiraclient.Client, a jiraclient.Attachment, path string, prog *transfer) (err, sent error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists already: choose another name, jiffy does not overwrite files", path), nil
		}
		return fmt.Errorf("could not create %s: %w", path, err), nil
	}
	prog.done.Store(0)
	tctx, cancel := store.Transfer(ctx)
	defer cancel()
	_, sent = cl.DownloadAttachment(tctx, a, f, jiraclient.TransferOptions{Progress: prog.fn()})
	err = sent
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("could not write %s: %w", path, cerr)
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err, sent
}

// upload sends the file at the path typed. The path is checked here, for
// an error at once; the command opens the file itself, so an upload held
// for a sign-in and sent again reads it from the start.
func (m *Attachments) upload() tea.Cmd {
	path, err := expandPath(m.input.Value())
	if err != nil {
		m.err = err
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		m.err = fmt.Errorf("cannot read %s: %w", path, err)
		return nil
	}
	if fi.IsDir() {
		m.err = fmt.Errorf("%s is not a file: give the path of a file to upload", path)
		return nil
	}
	name := filepath.Base(path)
	prog, seq := m.start("uploading " + line(name))
	prog.total.Store(fi.Size())
	key := m.issue.Key
	return tea.Batch(m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return attachDoneMsg{seq: seq, err: errNoClient}, nil
		}
		f, err := os.Open(path)
		if err != nil {
			return attachDoneMsg{seq: seq, err: fmt.Errorf("cannot read %s: %w", path, err)}, nil
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || fi.IsDir() {
			return attachDoneMsg{seq: seq, err: fmt.Errorf("%s is not a file: give the path of a file to upload", path)}, nil
		}
		prog.done.Store(0)
		prog.total.Store(fi.Size())
		tctx, cancel := store.Transfer(ctx)
		defer cancel()
		if _, err := cl.UploadAttachment(tctx, key, name, f, fi.Size(), jiraclient.TransferOptions{Progress: prog.fn()}); err != nil {
			return attachDoneMsg{seq: seq, err: err}, err
		}
		rctx, rcancel := store.Again(ctx) // the read-back's own deadline
		defer rcancel()
		is, _ := common.ReadBack(rctx, cl, key)
		return attachDoneMsg{seq: seq, issue: is, note: "attached " + line(name) + " to " + key}, nil
	}, func(err error) tea.Msg { return attachDoneMsg{seq: seq, err: err} }), m.tick())
}

// remove deletes attachment a from Jira (after the second d); a lost
// answer is settled by reading the issue back.
func (m *Attachments) remove(a jiraclient.Attachment) tea.Cmd {
	m.seq++
	m.busy, m.err, m.note, m.what = true, nil, "", "deleting "+line(a.Filename)
	seq, key := m.seq, m.issue.Key
	return m.c.Write(func(ctx context.Context, cl *jiraclient.Client) (tea.Msg, error) {
		if cl == nil {
			return attachDoneMsg{seq: seq, err: errNoClient}, nil
		}
		note := "deleted " + line(a.Filename) + " from " + key
		err := cl.DeleteAttachment(ctx, a.ID)
		seen := err
		if err != nil && jiraclient.OutcomeUnknown(err) {
			// A deadline of its own: the write's may be spent.
			rctx, rcancel := store.Again(ctx)
			defer rcancel()
			is, ferr := common.ReadBack(rctx, cl, key)
			if ferr == nil && !hasAttachment(is, a.ID) {
				return attachDoneMsg{seq: seq, issue: is, note: note}, nil
			}
			seen = ferr
			err = &common.LostAnswerError{Err: err, Key: key, Noun: "the deletion", Checked: ferr == nil}
		}
		if err != nil {
			return attachDoneMsg{seq: seq, err: err}, seen
		}
		is, _ := common.ReadBack(ctx, cl, key)
		return attachDoneMsg{seq: seq, issue: is, note: note}, nil
	}, func(err error) tea.Msg { return attachDoneMsg{seq: seq, err: err} })
}

func hasAttachment(is *jiraclient.Issue, id string) bool {
	for _, a := range is.Attachments {
		if a.ID == id {
			return true
		}
	}
	return false
}

// expandPath reads a typed path: "~/" is the home folder.
func expandPath(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("no path given: type where the file is or goes")
	}
	if s == "~" || strings.HasPrefix(s, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot find the home folder for ~: %w", err)
		}
		s = filepath.Join(home, s[1:])
	}
	return filepath.Clean(s), nil
}

// safeName is a file name from Jira made safe for the local disk: no
// folder parts, no control characters.
func safeName(name string) string {
	name = line(filepath.Base(strings.ReplaceAll(name, "\\", "/")))
	name = strings.Map(func(r rune) rune {
		if r == '/' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		return "attachment"
	}
	return name
}

// View draws the dialog.
func (m *Attachments) View() string {
	st := m.c.Styles
	w := innerWidth(st, m.w)
	head := []string{title(st, "Attachments of", m.issue.Key), ""}
	var body []string
	if len(m.issue.Attachments) == 0 {
		body = append(body, st.Muted.Render("No attachments yet."))
	}
	nameW := 0
	for _, a := range m.issue.Attachments {
		nameW = max(nameW, len([]rune(line(a.Filename))))
	}
	nameW = min(nameW, max(w/2, 12))
	for i, a := range m.issue.Attachments {
		name := []rune(line(a.Filename))
		if len(name) > nameW {
			name = append(name[:nameW-1], '…')
		}
		row := pad(string(name), nameW) + " " + size(a.Size)
		if a.Author != "" {
			row += " · " + line(a.Author)
		}
		if i == m.cur {
			body = append(body, st.Selected.Render("▸ "+row))
		} else {
			body = append(body, "  "+st.Text.Render(row))
		}
		if m.confirm != "" && m.confirm == a.ID {
			body = append(body, "  "+st.Warning.Render("Delete "+line(a.Filename)+" from "+line(m.issue.Key)+"?"),
				"  "+st.Warning.Render("d again deletes it for everyone; any other key keeps it."))
		}
	}
	switch m.step {
	case attachSaveTo:
		body = append(body, "", st.Bold.Render("Save to")+strings.Repeat(" ", labelW-len("Save to"))+m.input.View())
	case attachUpload:
		body = append(body, "", st.Bold.Render("Upload")+strings.Repeat(" ", labelW-len("Upload"))+m.input.View())
	}
	if m.busy {
		text := m.what + "…"
		if p := m.progress; p != nil && p.total.Load() > 0 {
			text += fmt.Sprintf(" %s of %s (%d%%)", size(p.done.Load()), size(p.total.Load()), p.done.Load()*100/p.total.Load())
		}
		body = append(body, "", st.Muted.Render(text))
	}
	if m.note != "" {
		body = append(body, "", st.Muted.Render("✓ "+m.note))
	}
	if m.err != nil {
		body = append(body, "")
		body = append(body, errorLines(st, m.err, w)...)
	}
	foot := []string{"", keyHelp(st, m.KeyMap().(AttachmentsKeys).ShortHelp()...)}
	return frame(st, w, innerHeight(st, m.h), head, body, foot)
}

// size is a byte count as people read it.
func size(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1024*1024))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1024*1024*1024))
}
