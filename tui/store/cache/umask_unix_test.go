//go:build unix

package cache

import (
	"runtime"
	"syscall"
)

func umask(m int) int { return syscall.Umask(m) }

func isDarwin() bool { return runtime.GOOS == "darwin" || runtime.GOOS == "ios" }
