package config

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/99designs/keyring"

	"github.com/jiffy-tui/jiffy/config/internal/dbusguard"
)

func init() {
	// The keyring package's init (which probes D-Bus) has run by now; give
	// the environment back to the programs jiffy starts.
	dbusguard.Restore()
}

// Store keeps one token per profile. Implementations are safe for
// concurrent use; every call may block (D-Bus, gpg) so the UI calls them
// from a tea.Cmd.
type Store interface {
	// Get returns the profile's token, or ErrTokenNotFound.
	Get(ctx context.Context, profile string) (string, error)
	// Set stores (or replaces) the profile's token.
	Set(ctx context.Context, profile, token string) error
	// Remove deletes the profile's token; a missing one is not an error.
	Remove(ctx context.Context, profile string) error
	// Backend names the store: "secret-service", "keyctl", "file", "memory", ...
	Backend() string
}

// KeyringOptions choose and tune the keyring.
type KeyringOptions struct {
	// Backend is "" for the automatic choice (the OS store), else only that
	// backend is tried.
	Backend string
	// FileDir is the file backend's directory; default UserConfigDir/jiffy/keyring.
	FileDir string
	// Passphrase unlocks the file backend. The TUI collects it in a masked
	// field; when nil, JIFFY_KEYRING_PASSPHRASE is used, else the file
	// backend fails with ErrNeedPassphrase. The terminal is never read.
	Passphrase func() (string, error)
	// Timeout bounds each keyring call (a D-Bus call can hang on an unlock
	// prompt nobody sees); default 5 s.
	Timeout time.Duration
}

// EnvPassphrase is read for the file backend when KeyringOptions.Passphrase is nil.
const EnvPassphrase = "JIFFY_KEYRING_PASSPHRASE"

// DefaultKeyringTimeout bounds each keyring call when KeyringOptions.Timeout is 0.
const DefaultKeyringTimeout = 5 * time.Second

// serviceName namespaces jiffy's items where the backend has services
// (keychain, keyctl's named keyring, wincred prefix, pass prefix).
const serviceName = "jiffy"

// keyPrefix namespaces the item key itself, because secret-service stores
// items with no service attribute, so another program's "default" profile
// would otherwise collide with ours.
const keyPrefix = "jiffy:"

// probePrefix is outside keyPrefix's namespace so no profile name can
// collide with the sentinel.
const probePrefix = "jiffy-probe:"

var (
	// ErrTokenNotFound: the keyring has no token for the profile.
	ErrTokenNotFound = errors.New("no token stored for this profile")
	// ErrNeedPassphrase: the file backend needs a passphrase and none was
	// given; the UI asks for one and opens the keyring again with it.
	ErrNeedPassphrase = errors.New("the file keyring needs a passphrase: enter it, or set " + EnvPassphrase)
	// ErrWrongPassphrase: the passphrase does not decrypt the stored items.
	ErrWrongPassphrase = errors.New("wrong passphrase for the file keyring")
	// ErrKeyringTimeout: a keyring call did not answer within the timeout.
	ErrKeyringTimeout = errors.New("the keyring did not answer in time")
)

// Attempt is one backend OpenKeyring tried and why it could not be used.
type Attempt struct {
	Backend string
	Err     error
}

// NoBackendError says that no keyring could be used: which backends were
// tried, why each failed and how to fix each, and the ways around the
// keyring.
type NoBackendError struct {
	Attempts []Attempt
}

// Error lists every attempt with its fix, then the alternatives.
func (e *NoBackendError) Error() string {
	var b strings.Builder
	b.WriteString("no keyring could store the Jira token:")
	for _, a := range e.Attempts {
		fmt.Fprintf(&b, "\n  - %s: %v", a.Backend, a.Err)
		if h := backendHint(a.Backend, a.Err); h != "" {
			fmt.Fprintf(&b, "\n    fix: %s", h)
		}
	}
	b.WriteString("\nOther ways:" +
		"\n  - keep the token in an encrypted file: set backend = \"file\" under [keyring] in the config file and give a passphrase (" + EnvPassphrase + " or the prompt)" +
		"\n  - use the kernel keyring (lost at reboot): backend = \"keyctl\"" +
		"\n  - use pass: run `pass init <gpg-id>`, then backend = \"pass\"" +
		"\n  - skip the keyring: export " + EnvURL + ", " + EnvToken + " (and " + EnvEmail + " for Jira Cloud)")
	return b.String()
}

// Unwrap exposes each attempt's error, so errors.Is(err, ErrNeedPassphrase)
// tells the UI to ask for the file passphrase.
func (e *NoBackendError) Unwrap() []error {
	errs := make([]error, 0, len(e.Attempts))
	for _, a := range e.Attempts {
		errs = append(errs, a.Err)
	}
	return errs
}

// backendHint turns a backend failure into the user's next step.
func backendHint(backend string, err error) string {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	switch {
	case errors.Is(err, ErrNeedPassphrase):
		return "enter the keyring passphrase, or set " + EnvPassphrase
	case errors.Is(err, ErrWrongPassphrase):
		return "enter the passphrase the file keyring was created with; if it is lost, delete the keyring directory and log in again"
	case errors.Is(err, ErrKeyringTimeout):
		return "the keyring may be waiting for an unlock prompt; unlock it (log in to the desktop) and try again"
	}
	switch backend {
	case "secret-service":
		switch {
		case strings.Contains(msg, "locked"):
			return "unlock the login keyring: log in to a desktop session, or run `gnome-keyring-daemon --unlock` and type its password"
		case strings.Contains(msg, "Object does not exist at path"):
			return "the keyring has no \"login\" collection and could not show a prompt to create one; create it with Seahorse (Passwords and Keys) or `gnome-keyring-daemon --unlock`"
		case strings.Contains(msg, "D-Bus"), strings.Contains(msg, "not provided by any .service files"):
			return "install a Secret Service (apt install gnome-keyring) and run jiffy in a desktop session, or under `dbus-run-session`"
		}
		return "install and unlock a Secret Service provider such as gnome-keyring or KeePassXC"
	case "kwallet":
		if strings.Contains(msg, "D-Bus") {
			return "run jiffy in a desktop session with a D-Bus session bus"
		}
		return "start KDE Wallet (kwalletd5) in a Plasma session"
	case "keyctl":
		if strings.Contains(msg, "permission denied") {
			return "the kernel keyring belongs to another login session; run jiffy from the session that stored the token, or log in again"
		}
		return "install keyutils and check that the kernel has keyrings (CONFIG_KEYS)"
	case "pass":
		return "install pass and run `pass init <gpg-id>`"
	case "keychain":
		return "unlock the login keychain in Keychain Access"
	case "wincred":
		return "check that Windows Credential Manager is available"
	case "file":
		return "check that the keyring directory is writable"
	}
	return ""
}

// AvailableBackends lists, in preference order, the backends this OS and
// session offer. secret-service and kwallet appear only when a D-Bus
// session bus was found at start-up.
func AvailableBackends() []string {
	var out []string
	for _, b := range keyring.AvailableBackends() {
		// The keyring package offers pass whether or not it is installed.
		if b == keyring.PassBackend {
			if _, err := exec.LookPath("pass"); err != nil {
				continue
			}
		}
		out = append(out, string(b))
	}
	return out
}

// autoBackends is the automatic order: only the OS's own stores. keyctl
// (lost at reboot, tied to the login session), pass (writes gpg's messages
// straight to the terminal, may need pinentry on the tty) and file (needs a
// passphrase) are used only when chosen in the config.
func autoBackends() []string {
	switch runtime.GOOS {
	case "darwin", "ios":
		return []string{"keychain"}
	case "windows":
		return []string{"wincred"}
	default:
		return []string{"secret-service", "kwallet"}
	}
}

// OpenKeyring opens the chosen backend (or, with Backend "", the OS store)
// and proves it works by storing, reading and removing a sentinel item: an
// Open that succeeds says little (a locked secret-service collection opens
// fine and only fails on write). On failure it falls through to the next
// automatic backend; when none works the error is a *NoBackendError.
func OpenKeyring(ctx context.Context, o KeyringOptions) (Store, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultKeyringTimeout
	}
	order := autoBackends()
	if o.Backend != "" {
		if !contains(Backends, o.Backend) {
			return nil, fmt.Errorf("keyring backend %q is unknown; use one of %s", o.Backend, strings.Join(Backends, ", "))
		}
		order = []string{o.Backend}
	}
	var attempts []Attempt
	for _, b := range order {
		s, err := openOne(ctx, b, o)
		if err == nil {
			return s, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		attempts = append(attempts, Attempt{Backend: b, Err: err})
	}
	return nil, &NoBackendError{Attempts: attempts}
}

func openOne(ctx context.Context, backend string, o KeyringOptions) (Store, error) {
	if !contains(AvailableBackends(), backend) {
		return nil, unavailable(backend)
	}
	cfg := keyring.Config{
		AllowedBackends:         []keyring.BackendType{keyring.BackendType(backend)},
		ServiceName:             serviceName,
		LibSecretCollectionName: "login", // creating a new collection needs a GUI prompt
		KeyCtlScope:             "user",  // "" fails; session/process scopes do not outlive the shell
		KeyCtlPerm:              0,       // a custom perm breaks Set (KEYCTL_SETPERM EACCES)
		KWalletAppID:            serviceName,
		KWalletFolder:           serviceName,
		PassPrefix:              serviceName,
		WinCredPrefix:           serviceName,
		// macOS: let jiffy itself read its item without a prompt each
		// start, keep the token off iCloud, and readable only while the
		// keychain is unlocked.
		KeychainTrustApplication:       true,
		KeychainSynchronizable:         false,
		KeychainAccessibleWhenUnlocked: true,
	}
	s := &keyringStore{backend: backend, timeout: o.Timeout, sem: make(chan struct{}, 1)}
	if backend == "file" {
		dir, err := fileDir(o.FileDir)
		if err != nil {
			return nil, err
		}
		s.fileDir = dir
		cfg.FileDir = dir
		// The passphrase is fetched once here, outside the keyring package,
		// so a missing one is an error we choose (never a terminal prompt,
		// never the nil-func panic in keyring's unlock).
		pass, err := passphrase(o.Passphrase)
		if err != nil {
			return nil, err
		}
		cfg.FilePasswordFunc = keyring.FixedStringPrompt(pass)
	}
	var ring keyring.Keyring
	err := s.do(ctx, "open", func() error {
		var err error
		ring, err = openCaptured(cfg)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.ring = ring
	if err := s.probe(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func unavailable(backend string) error {
	switch backend {
	case "secret-service", "kwallet":
		if runtime.GOOS != "linux" {
			return fmt.Errorf("%s exists only on Linux", backend)
		}
		if dbusguard.Disabled() {
			return errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and there is no /run/user/<uid>/bus)")
		}
		return errors.New("the D-Bus session bus did not answer when jiffy started")
	case "keychain":
		return errors.New("the keychain exists only on macOS")
	case "wincred":
		return errors.New("Credential Manager exists only on Windows")
	case "keyctl":
		return errors.New("the kernel keyring exists only on Linux")
	case "pass":
		return errors.New("the pass program is not installed")
	}
	return fmt.Errorf("%s is not available on this system", backend)
}

// openMu serialises Opens: keyring.Debug and the standard logger are
// process-wide.
var openMu sync.Mutex

// openCaptured runs keyring.Open with its debug log sent to a buffer,
// because Open reports only "backend not available", while the debug line
// carries the reason (D-Bus errors, keyctl scope errors). Nothing the
// package logs reaches the terminal, which a TUI owns.
//
// keyring.Debug is read without a lock by the keychain backend and by the
// file backend when its dir starts with "~/"; fileDir expands "~" so the
// latter never happens, and keychain ops and a non-keychain Open do not
// run in one process.
func openCaptured(cfg keyring.Config) (keyring.Keyring, error) {
	openMu.Lock()
	defer openMu.Unlock()
	var buf bytes.Buffer
	oldOut, oldFlags, oldDebug := log.Writer(), log.Flags(), keyring.Debug
	log.SetOutput(&buf)
	log.SetFlags(0)
	keyring.Debug = true
	k, err := keyring.Open(cfg)
	keyring.Debug = oldDebug
	log.SetFlags(oldFlags)
	log.SetOutput(oldOut)
	if err != nil {
		for _, line := range strings.Split(buf.String(), "\n") {
			if _, reason, ok := strings.Cut(line, "Failed backend "+string(cfg.AllowedBackends[0])+": "); ok {
				return nil, errors.New(strings.TrimSpace(reason))
			}
		}
		return nil, err
	}
	return k, nil
}

func fileDir(dir string) (string, error) {
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("cannot find the config directory for the file keyring (%v): set file_dir under [keyring]", err)
		}
		return filepath.Join(base, "jiffy", "keyring"), nil
	}
	if dir == "~" || strings.HasPrefix(dir, "~/") || strings.HasPrefix(dir, `~\`) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~ in the file keyring directory: %v", err)
		}
		dir = filepath.Join(home, dir[1:])
	}
	return dir, nil
}

func passphrase(fn func() (string, error)) (string, error) {
	if fn == nil {
		if p := os.Getenv(EnvPassphrase); p != "" {
			return p, nil
		}
		return "", ErrNeedPassphrase
	}
	p, err := fn()
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", ErrNeedPassphrase
	}
	return p, nil
}

// keyringStore adapts a 99designs keyring to Store: namespaced keys,
// per-call timeouts, one call at a time, and the backends' differing
// errors made uniform.
type keyringStore struct {
	ring    keyring.Keyring
	backend string
	timeout time.Duration
	fileDir string // file backend only
	// sem admits one call at a time (the file backend caches its
	// passphrase unguarded). A call that timed out keeps it until the
	// backend returns, so later calls time out too instead of piling up.
	sem chan struct{}
}

func (s *keyringStore) Backend() string { return s.backend }

// do runs fn with the store's timeout and ctx. The keyring calls cannot be
// cancelled, so on timeout fn is left to finish in the background.
func (s *keyringStore) do(ctx context.Context, op string, fn func() error) error {
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	timedOut := func() error {
		return fmt.Errorf("%s keyring: %s did not finish within %s: %w", s.backend, op, s.timeout, ErrKeyringTimeout)
	}
	select {
	case s.sem <- struct{}{}:
	case <-timer.C:
		return timedOut()
	case <-ctx.Done():
		return ctx.Err()
	}
	done := make(chan error, 1)
	go func() {
		defer func() { <-s.sem }()
		done <- fn()
	}()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return timedOut()
	case <-ctx.Done():
		return ctx.Err()
	}
}

func checkProfile(profile string) error {
	if strings.TrimSpace(profile) == "" {
		return errors.New("keyring: empty profile name")
	}
	return nil
}

func (s *keyringStore) Get(ctx context.Context, profile string) (string, error) {
	if err := checkProfile(profile); err != nil {
		return "", err
	}
	var tok string
	err := s.do(ctx, "get", func() error {
		it, err := s.ring.Get(keyPrefix + profile)
		if err != nil {
			return err
		}
		tok = string(it.Data)
		return nil
	})
	if err != nil {
		return "", s.wrap("reading the token", err)
	}
	return tok, nil
}

func (s *keyringStore) Set(ctx context.Context, profile, token string) error {
	if err := checkProfile(profile); err != nil {
		return err
	}
	if strings.TrimSpace(token) == "" {
		return errors.New("keyring: refusing to store an empty token")
	}
	err := s.do(ctx, "set", func() error {
		if s.backend == "file" {
			// The file backend encrypts with whatever passphrase it holds,
			// without checking it against the items already there.
			if err := s.verifyPassphrase(); err != nil {
				return err
			}
		}
		return s.ring.Set(keyring.Item{
			Key:         keyPrefix + profile,
			Data:        []byte(token),
			Label:       keyPrefix + profile,
			Description: "jiffy: Jira API token for profile " + profile,
		})
	})
	return s.wrap("storing the token", err)
}

func (s *keyringStore) Remove(ctx context.Context, profile string) error {
	if err := checkProfile(profile); err != nil {
		return err
	}
	err := s.do(ctx, "remove", func() error { return s.ring.Remove(keyPrefix + profile) })
	if isNotFound(err) {
		return nil
	}
	return s.wrap("removing the token", err)
}

// verifyPassphrase decrypts one existing jiffy item, if there is one.
func (s *keyringStore) verifyPassphrase() error {
	keys, err := s.ring.Keys()
	if err != nil {
		return err
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.HasPrefix(k, keyPrefix) {
			continue
		}
		_, err := s.ring.Get(k)
		if errors.Is(err, keyring.ErrKeyNotFound) {
			continue
		}
		return err
	}
	return nil
}

// probe proves the backend can write, read back and delete, with a
// sentinel no profile can collide with.
func (s *keyringStore) probe(ctx context.Context) error {
	var rnd [8]byte
	rand.Read(rnd[:])
	key := probePrefix + hex.EncodeToString(rnd[:])
	want := "probe-" + hex.EncodeToString(rnd[:])
	err := s.do(ctx, "probe", func() error {
		if s.backend == "file" {
			if err := s.verifyPassphrase(); err != nil {
				return err
			}
		}
		if err := s.ring.Set(keyring.Item{Key: key, Data: []byte(want), Label: key, Description: "jiffy keyring check"}); err != nil {
			return fmt.Errorf("test write failed: %w", err)
		}
		it, err := s.ring.Get(key)
		if err != nil {
			s.ring.Remove(key)
			return fmt.Errorf("test read failed: %w", err)
		}
		if string(it.Data) != want {
			s.ring.Remove(key)
			return errors.New("test read returned different data than was written")
		}
		if err := s.ring.Remove(key); err != nil && !isNotFound(err) {
			return fmt.Errorf("test delete failed: %w", err)
		}
		return nil
	})
	return s.wrap("", err)
}

func isNotFound(err error) bool {
	return errors.Is(err, keyring.ErrKeyNotFound) || errors.Is(err, fs.ErrNotExist)
}

// wrap maps backend errors onto this package's: not found, wrong
// passphrase, and a message that names the backend. Backend errors never
// contain the token (they come from D-Bus, the kernel, gpg or jose).
func (s *keyringStore) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, keyring.ErrKeyNotFound):
		return ErrTokenNotFound
	case errors.Is(err, ErrKeyringTimeout), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case strings.Contains(err.Error(), "integrity check failed"):
		return ErrWrongPassphrase
	}
	if what == "" {
		return err
	}
	msg := fmt.Sprintf("%s keyring: %s failed: %v", s.backend, what, err)
	if h := backendHint(s.backend, err); h != "" {
		msg += "; " + h
	}
	return &keyringError{msg: msg, err: err}
}

type keyringError struct {
	msg string
	err error
}

func (e *keyringError) Error() string { return e.msg }
func (e *keyringError) Unwrap() error { return e.err }

// MemoryStore is an in-process Store for tests and --demo; tokens vanish
// when the process exits.
func MemoryStore() Store { return &memoryStore{m: map[string]string{}} }

type memoryStore struct {
	mu sync.Mutex
	m  map[string]string
}

func (m *memoryStore) Backend() string { return "memory" }

func (m *memoryStore) Get(ctx context.Context, profile string) (string, error) {
	if err := checkProfile(profile); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.m[profile]
	if !ok {
		return "", ErrTokenNotFound
	}
	return t, nil
}

func (m *memoryStore) Set(ctx context.Context, profile, token string) error {
	if err := checkProfile(profile); err != nil {
		return err
	}
	if strings.TrimSpace(token) == "" {
		return errors.New("keyring: refusing to store an empty token")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[profile] = token
	return nil
}

func (m *memoryStore) Remove(ctx context.Context, profile string) error {
	if err := checkProfile(profile); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, profile)
	return nil
}
