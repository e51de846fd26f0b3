// Package config is jiffy's settings and secrets: the TOML config file with
// its profiles, the token in the OS keyring (or the JIRA_* environment),
// and the small state files (site cache, JQL history, drafts). It does no
// terminal I/O: every message is returned as an error or a value for the
// UI to show.
//
// # Files
//
//   - Config: $JIFFY_CONFIG, else UserConfigDir/jiffy/config.toml
//     (~/.config/jiffy/config.toml on Linux). Load treats a missing file as
//     empty and a malformed one as a *ParseError ("config.toml:12:5: ... —
//     fix or move the file"); Save never replaces a file that does not parse.
//     Saves are atomic (temp file, fsync, rename), mode 0600, directory 0700.
//     Comments in the file are not kept when jiffy saves it.
//   - State: $JIFFY_STATE_DIR, else $XDG_STATE_HOME/jiffy, else
//     ~/.local/state/jiffy: sites.json (flavour and account per site URL +
//     user), history.json (JQL, newest first, 200 max), drafts.json (unsent
//     text), boards.json (the last agile board per site URL + user, with its
//     estimate field and active sprint). Same atomic 0600 writes. A file that does not decode is moved
//     aside to NAME.corrupt-TIME and reported as a *CorruptFileError.
//
// Neither ever contains a token. Load warns (Config.Warnings) when a
// token-like key was typed into the config file, and ignores it.
//
// # Where the token comes from
//
// Resolve looks, in order:
//
//  1. The environment: JIRA_URL + JIRA_API_TOKEN (+ JIRA_EMAIL for Jira
//     Cloud, sent as HTTP Basic; without it the token is a Data Center
//     Personal Access Token sent as Bearer). This overrides any profile, so
//     CI and one-off runs need no setup. A partial set is an error naming
//     the missing variable.
//  2. The profile (--profile, else default, else the only one) and its
//     token in the keyring, under the item key "jiffy:<profile>". The item
//     holds the origins the token was given for with the token
//     ("jiffy-site <origin>[ <api origin>]\n<token>", written by StoreToken),
//     and Resolve hands it out only while the profile's url (and api_base)
//     still have those origins (*SiteChangedError otherwise: a new login).
//     An item from before this binding is used only for a URL the site
//     cache (sites.json) has a sign-in to as the same user, and is bound on
//     that use; for any other URL a new login is asked for. While
//     config.toml or its folder can be written by group or others (a sticky
//     folder excepted), Load adds a warning and Resolve refuses every stored
//     token (*InsecureConfigError naming the chmod that fixes it); the
//     environment still works.
//
// Nothing set up gives ErrNoCredentials, which the UI answers with the login
// screen. Credentials.Where says which source was used.
//
// # Which keyring backend is used when
//
// Backends come from github.com/99designs/keyring v1.2.2. OpenKeyring tries
// them in order and proves each one with a real write: it stores, reads back
// and deletes a sentinel item ("jiffy-probe:<random>"), because an Open that
// succeeds says little (a locked Secret Service collection opens fine and
// fails only on write). A backend that fails is recorded and the next is
// tried; if none works the error is a *NoBackendError listing each backend,
// its exact failure and its fix, plus the ways around the keyring.
//
// With [keyring] backend unset (automatic), only the operating system's
// own store is tried:
//
//   - macOS: keychain (the default keychain; the item trusts jiffy, so no
//     prompt on every start, is not synced to iCloud, and is readable only
//     while the keychain is unlocked).
//   - Windows: wincred (Credential Manager, prefix "jiffy").
//   - Linux and BSD: secret-service (GNOME Keyring, KeePassXC, ...; the
//     "login" collection, because creating a new collection needs a GUI
//     prompt), then kwallet. Both need a D-Bus session bus.
//
// The others are used only when named in [keyring] backend, because each
// has a catch that the user should choose knowingly:
//
//   - "keyctl": the Linux kernel keyring, "user" scope, in a keyring named
//     "jiffy". Needs nothing installed, but lives in kernel memory only: it
//     is gone after a reboot, and a process in another login session gets
//     "permission denied". Fine for a headless box you log in to again.
//   - "pass": the pass password store (prefix "jiffy/"). Needs `pass init`.
//     The keyring package lets pass and gpg write to jiffy's stderr, i.e.
//     over the TUI, and a passphrase-protected GPG key may want pinentry on
//     the terminal; hence opt-in only.
//   - "file": JWE-encrypted files in file_dir (default
//     UserConfigDir/jiffy/keyring), 0600 in a 0700 directory. The
//     passphrase comes from KeyringOptions.Passphrase (the TUI asks for it in
//     a masked field) or JIFFY_KEYRING_PASSPHRASE; otherwise OpenKeyring fails
//     with ErrNeedPassphrase (never a terminal prompt, which would fight
//     Bubble Tea for the keyboard). A passphrase that does not decrypt the
//     stored items is ErrWrongPassphrase; it is checked before every write,
//     because the backend would otherwise encrypt new items with it silently.
//
// MemoryStore is an in-process store for tests and --demo.
// AvailableBackends lists what this OS and session offer (for a chooser);
// pass is listed only when the pass program is installed.
//
// Every keyring call runs with a timeout (KeyringOptions.Timeout, default
// 5 s) and returns an error wrapping ErrKeyringTimeout that names the
// backend, because a D-Bus call can wait forever on an unlock prompt nobody
// sees. Removing a token that is not there is not an error on any backend.
//
// # Keeping the keyring package quiet
//
// Nothing the keyring package prints may reach the terminal the TUI owns:
//
//   - Its debug log (which holds the only explanation of why a backend
//     failed to open) is switched on while Open runs, with the standard
//     logger sent to a buffer, then restored; the reason becomes the
//     Attempt's error.
//   - Its package init probes the D-Bus session bus, and godbus, finding
//     none, runs dbus-launch (with dbus-x11 installed), leaking a daemon per
//     start and then offering a locked keyring. The internal dbusguard
//     package, initialised before the keyring package, sets
//     DBUS_SESSION_BUS_ADDRESS=disabled: when the variable is unset and no
//     /run/user/<uid>/bus exists, and this package's init removes it again
//     so programs jiffy starts later see the environment unchanged.
//   - pass is never used unless chosen (see above).
//
// # Token hygiene
//
// StoreToken records Profile.TokenStoredAt; Profile.NeedsRotation reports a
// token 90 days old or more. Credentials' String and GoString never show the
// token, and no error from this package contains one.
//
// # Tests
//
// The keyring tests use real backends: keyctl (scope user, unique keys,
// removed afterwards), the file backend in a temp dir, and Secret Service
// through gnome-keyring under `dbus-run-session -- sh testdata/ss-run.sh`.
// Under CI=true a missing tool fails the test; CI needs the Debian packages
// gnome-keyring, dbus and keyutils (dbus-x11 should not be installed; the
// guard copes if it is). keychain, wincred, kwallet and pass are wired the
// same way but are not exercised by these tests.
package config
