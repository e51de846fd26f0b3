package login

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/pkg/browser"

	"github.com/jiffy-tui/jiffy/config"
	"github.com/jiffy-tui/jiffy/config/account"
	"github.com/jiffy-tui/jiffy/jiraclient"
	"github.com/jiffy-tui/jiffy/tui/store"
)

// Messages from this screen's commands to its Update. Each carries the id
// of the request it answers; an answer whose id is no longer current
// (the URL changed, the user pressed esc) is dropped.
type (
	// detectedMsg answers detectCmd: the site's flavour, or why the
	// address does not work.
	detectedMsg struct {
		id   int
		site account.Site
		err  error
		// background: started by Init for a prefilled URL, not by the
		// user leaving the field; raw is the URL text it was for.
		background bool
		raw        string
	}
	// verifiedMsg answers verifyCmd.
	verifiedMsg struct {
		id  int
		res *account.Result
		err error
	}
	// storeOpenedMsg answers openStoreCmd.
	storeOpenedMsg struct {
		id      int
		backend string
		store   config.Store
		err     error
	}
	// savedMsg answers saveCmd; cfg is the config as saved.
	savedMsg struct {
		id    int
		saved account.Saved
		cfg   *config.Config
		err   error
	}
	// resumedMsg answers resumeCmd: the stored login, checked.
	resumedMsg struct {
		id      int
		res     *account.Result
		profile string
		err     error
	}
	// browserMsg answers browserCmd.
	browserMsg struct {
		err error
	}
)

// direct runs fn with a context from the store's request helper
// (store.Direct), narrowed to bound: the login checks what the user typed
// with a client of its own, before any session (and store client) exists,
// and a refusal here is an answer to show on this screen, never an expired
// login for the store to hold and replay. The bounds are short because
// the user is waiting on this screen for each answer (a keyring prompt
// left unanswered, a host that never answers).
func direct(bound time.Duration, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	return store.Direct(nil, func(ctx context.Context, _ *jiraclient.Client) (tea.Msg, error) {
		ctx, cancel := context.WithTimeout(ctx, bound)
		defer cancel()
		return fn(ctx), nil
	})
}

func detectCmd(id int, raw string, hc *http.Client) tea.Cmd {
	return direct(detectTimeout, func(ctx context.Context) tea.Msg {
		site, err := account.Detect(ctx, raw, hc)
		return detectedMsg{id: id, site: site, err: err, raw: raw}
	})
}

func detectBackgroundCmd(id int, raw string, hc *http.Client) tea.Cmd {
	return func() tea.Msg {
		msg := detectCmd(id, raw, hc)().(detectedMsg)
		msg.background = true
		return msg
	}
}

func verifyCmd(id int, in account.VerifyInput) tea.Cmd {
	return direct(verifyTimeout, func(ctx context.Context) tea.Msg {
		res, err := account.Verify(ctx, in)
		return verifiedMsg{id: id, res: res, err: err}
	})
}

func openStoreCmd(id int, backend string, open func(context.Context, config.KeyringOptions) (config.Store, error), ko config.KeyringOptions) tea.Cmd {
	return direct(keyringTimeout, func(ctx context.Context) tea.Msg {
		s, err := open(ctx, ko)
		return storeOpenedMsg{id: id, backend: backend, store: s, err: err}
	})
}

func saveCmd(id int, cfg *config.Config, path string, store config.Store, res *account.Result, token string, opts []account.Option) tea.Cmd {
	return direct(saveTimeout, func(ctx context.Context) tea.Msg {
		saved, err := account.Save(ctx, cfg, path, store, res, token, opts...)
		return savedMsg{id: id, saved: saved, cfg: cfg, err: err}
	})
}

func resumeCmd(id int, cfg *config.Config, profile string, store config.Store, hc *http.Client) tea.Cmd {
	// Resume only reads the config; nothing writes it while this runs
	// (the screen is waiting for the answer).
	return direct(verifyTimeout, func(ctx context.Context) tea.Msg {
		res, name, err := account.Resume(ctx, cfg, profile, store, hc)
		return resumedMsg{id: id, res: res, profile: name, err: err}
	})
}

func browserCmd(url string, open func(string) error) tea.Cmd {
	return func() tea.Msg {
		return browserMsg{err: open(url)}
	}
}

var quietBrowser sync.Once

// openInBrowser opens url with the system browser. The browser's own
// output would draw over the screen, so it is discarded.
func openInBrowser(url string) error {
	quietBrowser.Do(func() {
		browser.Stdout = io.Discard
		browser.Stderr = io.Discard
	})
	return browser.OpenURL(url)
}
