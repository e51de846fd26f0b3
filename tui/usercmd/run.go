package usercmd

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/jiffy-tui/jiffy/jiraclient/safetext"
)

// DoneMsg is a command's outcome, sent by the Cmd Run returns.
type DoneMsg struct {
	Name, Key string
	Err       error
	// Stderr is the first line the command wrote on its standard error
	// (background commands only).
	Stderr string
}

// Text is the outcome as the status bar says it; ok is false on failure.
func (m DoneMsg) Text() (text string, ok bool) {
	if m.Err == nil {
		return "“" + m.Name + "” done for " + m.Key, true
	}
	var ee *exec.ExitError
	what := m.Err.Error()
	if errors.As(m.Err, &ee) {
		what = "exit status " + strconv.Itoa(ee.ExitCode())
	}
	text = "“" + m.Name + "” failed for " + m.Key + " (" + what + ")"
	if m.Stderr != "" {
		text += ": " + m.Stderr
	}
	return safetext.Line(text), false
}

// Env is the issue's values as environment variables for the command
// (JIFFY_KEY, JIFFY_SUMMARY, JIFFY_URL, JIFFY_STATUS): a shell script can
// use "$JIFFY_SUMMARY" without any quoting of its own.
func (is Issue) Env() []string {
	return []string{"JIFFY_KEY=" + is.Key, "JIFFY_SUMMARY=" + is.Summary, "JIFFY_URL=" + is.URL, "JIFFY_STATUS=" + is.Status}
}

// Run runs the command on an issue: with the terminal (interactive) through
// tea.ExecProcess, or in the background with its standard input empty and
// its standard error kept for the outcome. A command that cannot be built
// for this issue (a key that is no key, a value that would be an option)
// is not run; the DoneMsg says why.
func (c *Command) Run(is Issue) tea.Cmd {
	done := DoneMsg{Name: c.Name, Key: safetext.Line(is.Key)}
	argv, err := c.Argv(is)
	if err != nil {
		done.Err = err
		return func() tea.Msg { return done }
	}
	clean, _ := is.clean()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), clean.Env()...)
	if c.Interactive {
		// The command reads the terminal itself: Bubble Tea's input is a
		// reader around it (tui/keyin) that exec would pump through a pipe
		// whose copy never ends.
		cmd.Stdin = os.Stdin
		return tea.ExecProcess(cmd, func(err error) tea.Msg {
			done.Err = err
			return done
		})
	}
	return func() tea.Msg {
		var stderr firstLine
		cmd.Stderr = &stderr
		done.Err = cmd.Run()
		done.Stderr = strings.TrimSpace(stderr.line())
		return done
	}
}

// firstLine keeps the start of what a command writes, up to its first
// line, and discards the rest.
type firstLine struct {
	b    []byte
	full bool
}

func (f *firstLine) Write(p []byte) (int, error) {
	for _, ch := range p {
		if f.full {
			break
		}
		if ch == '\n' {
			if len(strings.TrimSpace(string(f.b))) > 0 {
				f.full = true
			}
			continue
		}
		if len(f.b) < 200 {
			f.b = append(f.b, ch)
		}
	}
	return len(p), nil
}

func (f *firstLine) line() string { return safetext.Line(string(f.b)) }
