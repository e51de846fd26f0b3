//go:build !linux

package dbusguard

// Outside Linux the keyring package never probes D-Bus at init.
var disabled bool

// Restore does nothing outside Linux.
func Restore() {}
