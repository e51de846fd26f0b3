package compose

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// editorDoneMsg carries the text back from $EDITOR. field says which text
// it was for (an overlay may have several).
type editorDoneMsg struct {
	id    uint64
	field string
	text  string
	err   error
}

// editorRun is a prepared $EDITOR session: the process to run (the program
// suspends itself around it) and what turns its exit into a message.
// Tests run cmd themselves and call done.
type editorRun struct {
	cmd  *exec.Cmd
	done func(error) tea.Msg
}

// editorCommand is the editor command line: the configured one, else
// $VISUAL, else $EDITOR.
func editorCommand(configured string) string {
	for _, e := range []string{configured, os.Getenv("VISUAL"), os.Getenv("EDITOR")} {
		if strings.TrimSpace(e) != "" {
			return strings.TrimSpace(e)
		}
	}
	return ""
}

// errNoEditor explains how to get ctrl+e working.
var errNoEditor = errors.New("no editor set: set $VISUAL or $EDITOR (e.g. export EDITOR=vim) and start jiffy again")

// prepareEditor writes text to a private temporary file and builds the
// command that edits it. The command line goes through sh, so an editor
// given with flags ("code --wait", "emacsclient -t") works.
func prepareEditor(editor, text string, id uint64, field string) (*editorRun, error) {
	if editor == "" {
		return nil, errNoEditor
	}
	f, err := os.CreateTemp("", "jiffy-*.md") // 0600
	if err != nil {
		return nil, fmt.Errorf("cannot create a temporary file for the editor: %w", err)
	}
	path := f.Name()
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("cannot write the temporary file for the editor: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("cannot write the temporary file for the editor: %w", err)
	}
	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		parts := strings.Fields(editor)
		cmd = exec.Command(parts[0], append(parts[1:], path)...)
	} else {
		cmd = exec.Command("sh", "-c", editor+` "$1"`, "jiffy-editor", path)
	}
	// The editor reads the terminal itself. Bubble Tea would give it the
	// program's input, which is a reader around the terminal (tui/keyin),
	// and exec pumps a reader that is not an *os.File through a pipe whose
	// copy never ends, so the editor's exit would never be seen.
	cmd.Stdin = os.Stdin
	done := func(runErr error) tea.Msg {
		keep := false
		defer func() {
			if !keep {
				os.Remove(path)
			}
		}()
		if runErr != nil {
			return editorDoneMsg{id: id, field: field, err: fmt.Errorf("the editor (%s) failed: %v; your text is unchanged", editor, runErr)}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return editorDoneMsg{id: id, field: field, err: fmt.Errorf("cannot read back the editor's file: %v; your text is unchanged", err)}
		}
		// Editors add a final newline; Jira does not need it.
		text := strings.TrimRight(string(b), "\n")
		if n := utf8.RuneCountInString(text); n > MaxText {
			// Not taken (Jira would refuse it, and every key would redraw
			// it all), and not lost: the file stays for the user.
			keep = true
			return editorDoneMsg{id: id, field: field, err: fmt.Errorf("the editor's text is %d characters, more than the %d Jira takes: your text here is unchanged, and the editor's version is kept in %s", n, MaxText, path)}
		}
		return editorDoneMsg{id: id, field: field, text: text}
	}
	return &editorRun{cmd: cmd, done: done}, nil
}

// execCmd hands the session to Bubble Tea.
func (r *editorRun) execCmd() tea.Cmd {
	return tea.ExecProcess(r.cmd, r.done)
}
