//go:build !linux

package e2e

import (
	"errors"
	"os"
	"syscall"
)

// openPTY is Linux-only here; the benchmarks that need it skip elsewhere.
func openPTY() (master, tty *os.File, err error) {
	return nil, nil, errors.New("pseudo-terminals are opened on Linux only")
}

func ptyAttr() *syscall.SysProcAttr { return nil }
