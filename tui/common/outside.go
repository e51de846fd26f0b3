package common

import (
	"io"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/atotto/clipboard"
	"github.com/pkg/browser"
)

// Copy writes text to the system clipboard and says so in the status bar
// (what names it: "OPS-12", a URL). OSC 52 is sent beside it
// (tea.SetClipboard), which reaches the local terminal even over SSH, so a
// missing clipboard tool is reported but not fatal. The list and the
// detail share it, so y and Y mean the same in both.
func Copy(what, text string) tea.Cmd {
	return tea.Batch(tea.SetClipboard(text), func() tea.Msg {
		if err := clipboard.WriteAll(text); err != nil {
			return NoticeMsg{Level: NoticeWarning, Text: "copied " + what + " via the terminal (OSC 52); no clipboard tool found: install xclip, xsel or wl-clipboard"}
		}
		return NoticeMsg{Level: NoticeSuccess, Text: "copied " + what}
	})
}

var quietBrowser sync.Once

// Browse opens url in the browser and says so in the status bar. The
// browser's own output would print over the TUI, so it goes nowhere.
func Browse(url string) tea.Cmd {
	quietBrowser.Do(func() {
		browser.Stdout = io.Discard
		browser.Stderr = io.Discard
	})
	return func() tea.Msg {
		if err := browser.OpenURL(url); err != nil {
			return NoticeMsg{Level: NoticeError, Text: "could not open a browser: " + err.Error() + "; the URL is " + url}
		}
		return NoticeMsg{Level: NoticeInfo, Text: "opened " + url}
	}
}
