// Package dbusguard stops github.com/99designs/keyring from autolaunching a
// D-Bus daemon when it is imported.
//
// The keyring package probes the session bus in its package init (to decide
// whether to register the secret-service and kwallet backends). When no bus
// is known, godbus falls back to running `dbus-launch`, which (with dbus-x11
// installed) starts a daemon that outlives jiffy, one per start, and then
// offers a locked secret-service. This package's init runs before the
// keyring's: it imports only "os", and Go (1.21+) initialises, at each step,
// the first ready package in import-path order, so it is always chosen
// before os/exec, which godbus (and so keyring) needs. When the environment
// names no bus and no /run/user/<uid>/bus socket exists, it sets
// DBUS_SESSION_BUS_ADDRESS to "disabled:" so the probe fails fast instead.
//
// Restore undoes that change once the keyring's init has run, so programs
// jiffy starts later (an editor, a browser) see the environment unchanged.
package dbusguard

// Disabled reports whether the guard set DBUS_SESSION_BUS_ADDRESS to
// "disabled:" at start-up (no session bus was known). The keyring code uses
// it to explain why secret-service is unavailable.
func Disabled() bool { return disabled }
