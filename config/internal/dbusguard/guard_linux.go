//go:build linux

package dbusguard

import "os"

const envVar = "DBUS_SESSION_BUS_ADDRESS"

var disabled, restored bool

func init() {
	if addr := os.Getenv(envVar); addr != "" && addr != "autolaunch:" {
		return
	}
	// The same places godbus looks before it resorts to dbus-launch.
	run := "/run/user/" + itoa(os.Getuid())
	for _, p := range []string{run + "/bus", run + "/dbus-session"} {
		if _, err := os.Stat(p); err == nil {
			return
		}
	}
	if os.Setenv(envVar, "disabled:") == nil {
		disabled = true
	}
}

// Restore removes the "disabled:" address the guard set, if it set one.
// Call it after the keyring package has initialised (any init of a package
// that imports it will do). It is safe to call more than once.
func Restore() {
	if disabled && !restored && os.Getenv(envVar) == "disabled:" {
		os.Unsetenv(envVar)
		restored = true
	}
}

// itoa avoids importing strconv, so that this package stays ready to
// initialise as early as possible (see the package doc).
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
